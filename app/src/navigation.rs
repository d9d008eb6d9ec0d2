//! Moving between pages without reloading them, when JavaScript is on.
//!
//! Every page is rendered on the server and every form is a plain HTML form, so the app
//! works with JavaScript off. With it on, this listens for link clicks and form submissions
//! on the same site, fetches the next page itself (following the server's redirects, so a
//! quiz submission lands on its results page just as it does without JavaScript) and
//! swaps the new page's `<body>` in place. The document, its scripts and the browser tab's
//! state stay; the address bar, the title, Back and Forward behave as they would anyway.
//!
//! The whole body is replaced rather than diffed: Leptos's islands router diffed a table
//! of people into duplicated rows once, and a wrong list is worse than a slower swap.
//! Anything that is not an HTML page (a CSV download, a network failure) falls back to the
//! browser's own navigation, so the worst case is a normal page load.
//!
//! If islands are added later, call `leptos::mount::hydrate_islands` after each swap.

use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Document, DomParser, Element, Event, FormData, HtmlAnchorElement, HtmlElement, HtmlFormElement,
    MouseEvent, RequestInit, Response, SubmitEvent, SupportedType, Url, UrlSearchParams, Window,
};

thread_local! {
    /// The page shown now, without its `#fragment`: Back to a fragment of the same page
    /// must not fetch it again.
    static SHOWN: RefCell<String> = const { RefCell::new(String::new()) };
    /// A form is being sent: a second press of its button must not send it twice.
    static SENDING: Cell<bool> = const { Cell::new(false) };
    /// The number of the newest visit: an older one answering late is dropped, so the
    /// page shown is always the one asked for last.
    static LATEST: Cell<u64> = const { Cell::new(0) };
}

/// How the visit changes the browser's history.
#[derive(Clone, Copy)]
enum History {
    /// A new entry (a link or a form).
    Push,
    /// Back or Forward: the browser has already moved.
    Keep,
}

/// What to fetch.
enum Visit {
    Get(String),
    Post {
        action: String,
        body: UrlSearchParams,
        form: HtmlFormElement,
        /// The pressed button's name and value, which `form.submit()` would leave out.
        button: Option<(String, String)>,
    },
}

/// Why a visit was not shown.
enum Failed {
    /// No answer came (network error): nothing reached the server, so the browser may
    /// try the ordinary way, even for a form.
    NoAnswer,
    /// The server answered with something other than a page (a download): the browser
    /// opens that address itself. A form is never sent a second time.
    NotAPage(String),
    /// A newer visit has started; this one is dropped.
    Overtaken,
    /// Anything else going wrong in the browser.
    Broken,
}

impl From<JsValue> for Failed {
    fn from(_: JsValue) -> Self {
        Failed::Broken
    }
}

/// Starts listening. Called once, when the app's script loads.
pub fn start() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    SHOWN.with(|shown| *shown.borrow_mut() = without_fragment(&location_href(&window)));
    listen(&document, "click", |event| {
        if let Some(event) = event.dyn_ref::<MouseEvent>() {
            on_click(event);
        }
    });
    listen(&document, "submit", |event| {
        if let Some(event) = event.dyn_ref::<SubmitEvent>() {
            on_submit(event);
        }
    });
    listen(&window, "popstate", |_| on_back_or_forward());
}

fn listen(target: &web_sys::EventTarget, name: &str, handler: impl Fn(Event) + 'static) {
    let closure = Closure::<dyn Fn(Event)>::new(handler);
    // Listeners live as long as the page, so the closure is never freed.
    let _ = target.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
    closure.forget();
}

fn on_click(event: &MouseEvent) {
    if event.default_prevented()
        || event.button() != 0
        || event.ctrl_key()
        || event.meta_key()
        || event.shift_key()
        || event.alt_key()
    {
        return;
    }
    let Some(link) = event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|e| e.closest("a[href]").ok().flatten())
        .and_then(|e| e.dyn_into::<HtmlAnchorElement>().ok())
    else {
        return;
    };
    if link.has_attribute("download") || !matches!(link.target().as_str(), "" | "_self") {
        return;
    }
    let href = link.href();
    if !same_site(&href) || is_fragment_of_this_page(&href) {
        return;
    }
    event.prevent_default();
    go(Visit::Get(href), History::Push);
}

fn on_submit(event: &SubmitEvent) {
    if event.default_prevented() {
        return;
    }
    let Some(form) = event
        .target()
        .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    // File uploads and forms aimed at another window keep the browser's own behaviour.
    if form.enctype() == "multipart/form-data" || !matches!(form.target().as_str(), "" | "_self") {
        return;
    }
    let submitter = event.submitter();
    let action = submitter
        .as_ref()
        .and_then(|s| s.get_attribute("formaction"))
        .and_then(|a| absolute(&a))
        .unwrap_or_else(|| form.action());
    if !same_site(&action) {
        return;
    }
    let button = submitter.as_ref().and_then(|b| {
        let name = b.get_attribute("name").filter(|n| !n.is_empty())?;
        Some((name, b.get_attribute("value").unwrap_or_default()))
    });
    let Some(fields) = fields_of(&form, button.as_ref()) else {
        return;
    };
    event.prevent_default();
    if form.method().eq_ignore_ascii_case("get") {
        let Ok(url) = Url::new(&action) else {
            return;
        };
        url.set_search(&String::from(fields.to_string()));
        go(Visit::Get(url.href()), History::Push);
    } else {
        if SENDING.with(Cell::get) {
            return;
        }
        go(
            Visit::Post {
                action,
                body: fields,
                form,
                button,
            },
            History::Push,
        );
    }
}

fn on_back_or_forward() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let href = location_href(&window);
    if SHOWN.with(|shown| *shown.borrow() == without_fragment(&href)) {
        return;
    }
    go(Visit::Get(href), History::Keep);
}

/// The form's fields as the browser would send them, with the pressed button's own value.
fn fields_of(form: &HtmlFormElement, button: Option<&(String, String)>) -> Option<UrlSearchParams> {
    let data = FormData::new_with_form(form).ok()?;
    if let Some((name, value)) = button {
        data.append_with_str(name, value).ok()?;
    }
    UrlSearchParams::new_with_str_sequence_sequence(&data).ok()
}

fn go(visit: Visit, history: History) {
    let number = LATEST.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    wasm_bindgen_futures::spawn_local(async move {
        let sending = matches!(visit, Visit::Post { .. });
        if sending {
            SENDING.with(|s| s.set(true));
        }
        set_busy(true);
        let shown = show(&visit, history, number).await;
        if sending {
            SENDING.with(|s| s.set(false));
        }
        if LATEST.with(Cell::get) == number {
            set_busy(false);
        }
        if let Err(failed) = shown {
            fall_back(visit, failed);
        }
    });
}

/// When the page cannot be swapped in, the browser does it the ordinary way.
fn fall_back(visit: Visit, failed: Failed) {
    let Some(window) = web_sys::window() else {
        return;
    };
    match (visit, failed) {
        (_, Failed::Overtaken) => {}
        (_, Failed::NotAPage(url)) | (Visit::Get(url), _) => {
            let _ = window.location().assign(&url);
        }
        (Visit::Post { form, button, .. }, Failed::NoAnswer | Failed::Broken) => {
            resubmit(&window, &form, button);
        }
    }
}

/// Send the form the ordinary way (`submit()` fires no `submit` event, so this does not
/// come back here), carrying the pressed button's value as a hidden field.
fn resubmit(window: &Window, form: &HtmlFormElement, button: Option<(String, String)>) {
    if let (Some((name, value)), Some(document)) = (button, window.document()) {
        if let Ok(field) = document.create_element("input") {
            let _ = field.set_attribute("type", "hidden");
            let _ = field.set_attribute("name", &name);
            let _ = field.set_attribute("value", &value);
            let _ = form.append_child(&field);
        }
    }
    let _ = form.submit();
}

async fn show(visit: &Visit, history: History, number: u64) -> Result<(), Failed> {
    let window = web_sys::window().ok_or(Failed::Broken)?;
    let request = RequestInit::new();
    let headers = js_sys::Object::new();
    js_sys::Reflect::set(&headers, &"Accept".into(), &"text/html".into())?;
    request.set_headers(&headers);
    let url = match visit {
        Visit::Get(url) => url,
        Visit::Post { action, body, .. } => {
            request.set_method("POST");
            request.set_body(body);
            action
        }
    };
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(url, &request))
        .await
        .map_err(|_| Failed::NoAnswer)?
        .dyn_into()?;
    let landed_on = with_fragment(&response, url);
    let is_page = response
        .headers()
        .get("content-type")?
        .is_some_and(|t| t.starts_with("text/html"));
    if !is_page {
        return Err(Failed::NotAPage(landed_on));
    }
    let html = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .ok_or(Failed::Broken)?;
    if LATEST.with(Cell::get) != number {
        return Err(Failed::Overtaken);
    }
    let document = window.document().ok_or(Failed::Broken)?;
    swap_body(&document, &html)?;
    remember(&window, &landed_on, history)?;
    settle(&window, &document, &landed_on);
    Ok(())
}

/// Where the visit landed. Fetch drops the `#fragment`; it is kept when the server did
/// not send the visit elsewhere.
fn with_fragment(response: &Response, asked_for: &str) -> String {
    let landed = response.url();
    match asked_for.split_once('#') {
        Some((page, fragment)) if !response.redirected() && landed == page => {
            format!("{landed}#{fragment}")
        }
        _ => landed,
    }
}

fn swap_body(document: &Document, html: &str) -> Result<(), JsValue> {
    let next = DomParser::new()?.parse_from_string(html, SupportedType::TextHtml)?;
    let body = next.body().ok_or(JsValue::NULL)?;
    document.set_title(&next.title());
    document
        .body()
        .ok_or(JsValue::NULL)?
        .replace_with_with_node_1(&body)
}

fn remember(window: &Window, landed_on: &str, history: History) -> Result<(), JsValue> {
    let here = location_href(window);
    let entries = window.history()?;
    match history {
        History::Push if here != landed_on => {
            entries.push_state_with_url(&JsValue::NULL, "", Some(landed_on))?
        }
        // The same page again, or Back/Forward to an address the server sent elsewhere:
        // the address bar shows where the page really is.
        _ => entries.replace_state_with_url(&JsValue::NULL, "", Some(landed_on))?,
    }
    SHOWN.with(|shown| *shown.borrow_mut() = without_fragment(&location_href(window)));
    Ok(())
}

/// After a swap: back to the top (or the linked part), and keyboard focus where a screen
/// reader user needs it: on the error if there is one, else on a "done" message (a
/// status filled in before it is shown is not announced), else on the page's heading.
fn settle(window: &Window, document: &Document, landed_on: &str) {
    let fragment = Url::new(landed_on).map(|u| u.hash()).unwrap_or_default();
    let target = fragment
        .strip_prefix('#')
        .filter(|id| !id.is_empty())
        .and_then(|id| document.get_element_by_id(id));
    match &target {
        Some(element) => element.scroll_into_view(),
        None => window.scroll_to_with_x_and_y(0.0, 0.0),
    }
    let first = |selector: &str| document.query_selector(selector).ok().flatten();
    let focus = first("[role=alert]")
        .or(target)
        .or_else(|| first("main [role=status].message"))
        .or_else(|| first("main h1"));
    if let Some(element) = focus.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        if !element.has_attribute("tabindex") {
            let _ = element.set_attribute("tabindex", "-1");
        }
        let _ = element.focus();
    }
}

/// `aria-busy` tells assistive technology the page is changing; the style sheet also
/// shows a wait cursor.
fn set_busy(busy: bool) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = if busy {
            root.set_attribute("aria-busy", "true")
        } else {
            root.remove_attribute("aria-busy")
        };
    }
}

fn location_href(window: &Window) -> String {
    window.location().href().unwrap_or_default()
}

fn absolute(href: &str) -> Option<String> {
    let base = web_sys::window().map(|w| location_href(&w))?;
    Url::new_with_base(href, &base).ok().map(|u| u.href())
}

fn same_site(href: &str) -> bool {
    let here = web_sys::window().and_then(|w| w.location().origin().ok());
    match (Url::new(href), here) {
        (Ok(url), Some(origin)) => url.origin() == origin && !url.pathname().starts_with("/pkg/"),
        _ => false,
    }
}

/// A link to `#part` of the page already shown: the browser scrolls there itself.
fn is_fragment_of_this_page(href: &str) -> bool {
    href.contains('#') && SHOWN.with(|shown| *shown.borrow() == without_fragment(href))
}

fn without_fragment(href: &str) -> String {
    href.split('#').next().unwrap_or(href).to_string()
}

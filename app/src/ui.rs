//! Small pieces every page uses: messages, and how a page answers an error.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod load_once;
#[cfg(feature = "ssr")]
pub use load_once::load_once;
pub mod typed;
pub use typed::Typed;

/// An error message announced to screen readers as soon as it appears.
#[component]
pub fn ErrorMessage(error: Option<AppError>) -> impl IntoView {
    error.map(|e| {
        view! {
            <div class="message message-error" role="alert">
                // A message may list several problems, one per line.
                {e.to_string().lines().map(|line| view! { <p>{line.to_string()}</p> }).collect_view()}
            </div>
        }
    })
}

/// A confirmation message ("Your password has been changed").
/// An import's problems, each linked to its line in the preview table below it (rows
/// carry `id="line-N"`): the same list for every import.
#[component]
pub fn ProblemsByLine(problems: Vec<(usize, String)>) -> impl IntoView {
    view! {
        <div class="message message-error" role="alert">
            <h3>"Problems"</h3>
            <ul>
                {problems.into_iter().map(|(line, message)| view! {
                    <li><a href=format!("#line-{line}")>{format!("Line {line}")}</a>": "{message}</li>
                }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
pub fn Notice(text: Option<String>) -> impl IntoView {
    text.map(|t| {
        view! {
            <div class="message message-success" role="status">
                <p>{t}</p>
            </div>
        }
    })
}

/// A parameter of the current route (`:module` in `/induction/:module`), or "".
pub fn route_param(name: &str) -> String {
    leptos_router::hooks::use_params_map()
        .get_untracked()
        .get(name)
        .unwrap_or_default()
}

/// A `tel:` link for a phone number as people write it ("0161 496 0000").
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

/// A value from the current page's query string.
pub fn query_value(name: &'static str) -> Option<String> {
    leptos_router::hooks::use_query_map()
        .get_untracked()
        .get(name)
        .filter(|v| !v.is_empty())
}

/// The shape of every page that loads its data before it is shown: `load` fetches it
/// (called on each render), `show` renders it, and an error gets [`page_error`]'s page
/// (with its status, or the sign-in redirect).
pub fn page<T, Fut, V>(
    load: impl Fn() -> Fut + Send + Sync + 'static,
    show: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    page_or(load, show, page_error)
}

/// [`page`] for the few pages whose failure is part of what they say (a link that no
/// longer works, a sign-in that expired): `failed` renders the error in the page's own
/// words. It should still call [`page_error`]'s status rules where they apply.
pub fn page_or<T, Fut, V>(
    load: impl Fn() -> Fut + Send + Sync + 'static,
    show: impl Fn(T) -> V + Send + Sync + 'static,
    failed: impl Fn(AppError) -> AnyView + Send + Sync + 'static,
) -> impl IntoView
where
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    // The server renders these children twice; both runs share one load (see `load_once`).
    #[cfg(feature = "ssr")]
    let load = load_once(load);
    let show = std::sync::Arc::new(show);
    let failed = std::sync::Arc::new(failed);
    view! {
        <Suspense>
            {move || {
                let (loading, show, failed) = (load(), show.clone(), failed.clone());
                Suspend::new(async move {
                    match loading.await {
                        Ok(data) => show(data).into_any(),
                        Err(e) => failed(e),
                    }
                })
            }}
        </Suspense>
    }
}

/// What a page shows when its data could not be loaded; on the server it also sets the
/// status, and sends a signed-out visitor to the sign-in page.
pub fn page_error(err: AppError) -> AnyView {
    #[cfg(feature = "ssr")]
    answer_page_error(&err);
    match err {
        AppError::NotSignedIn => view! {
            <h1>"Please sign in"</h1>
            <p><a href="/login">"Sign in to continue"</a></p>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <leptos_meta::Title text="No access"/>
            <h1>"You do not have access to this page"</h1>
            <p>"Your account does not have the role this page needs. If you think it should, ask your administrator."</p>
            <p><a href="/home">"Go to your home page"</a></p>
        }
        .into_any(),
        AppError::NotFound => view! {
            <leptos_meta::Title text="Not found"/>
            <h1>"We could not find that page"</h1>
            <p><a href="/home">"Go to your home page"</a></p>
        }
        .into_any(),
        other => view! {
            <leptos_meta::Title text="Something went wrong"/>
            <h1>"Something went wrong"</h1>
            <ErrorMessage error=Some(other)/>
        }
        .into_any(),
    }
}

#[cfg(feature = "ssr")]
fn answer_page_error(err: &AppError) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    if *err == AppError::NotSignedIn {
        let here = with_context::<http::request::Parts, _>(|p| {
            p.uri.path_and_query().map(|pq| pq.as_str().to_string())
        })
        .flatten()
        .unwrap_or_else(|| "/home".into());
        send_to(&format!("/login?next={}", encode_component(&here)));
    } else if let Ok(status) = http::StatusCode::from_u16(err.status()) {
        response.set_status(status);
    }
}

/// Set the status of the page being rendered (a no-op in the browser).
pub fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// Answer a page request with a redirect (a 302 whatever the client accepts).
#[cfg(feature = "ssr")]
pub fn send_to(path: &str) {
    leptos_axum::redirect(path);
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::FOUND);
    }
}

/// Text made safe to place inside an element whose children Leptos does not escape:
/// `<textarea>` is one (its contents are raw text to Leptos), so a stored
/// `</textarea><script>` would otherwise end the box and run. Use with `inner_html`.
pub fn escape_text(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

/// Everything but letters, digits and `-_.~/` is percent-encoded in a query value.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Percent-encode a value for use in a query string.
pub fn encode_component(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, QUERY_VALUE).to_string()
}

#[cfg(test)]
mod tests {
    use super::{encode_component, escape_text};

    #[test]
    fn text_for_a_text_box_cannot_close_it() {
        assert_eq!(
            escape_text("a & b </textarea><script>"),
            "a &amp; b &lt;/textarea&gt;&lt;script&gt;"
        );
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            encode_component("/admin/users?q=a b&x=1"),
            "/admin/users%3Fq%3Da%20b%26x%3D1"
        );
    }
}

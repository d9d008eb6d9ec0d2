//! Refused forms keep what was typed (WCAG 2.2 SC 3.3.7), except passwords: the next
//! view of the form's page shows it once, in that browser only, and the session keeps no
//! password or link token. (JavaScript on follows the same redirect, so these cover it.)

use crate::helpers::*;
use app::mail::transport::Mailer;
use reqwest::{Client, StatusCode};

const LEARNER: &str = "learner@demo.test";
const TUTOR: &str = "tutor@demo.test";
const ADMIN: &str = "admin@demo.test";

/// The start tags of the form controls (`input`, `textarea`, `select`) named `name`.
fn controls<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let marker = format!(" name=\"{name}\"");
    let mut found = Vec::new();
    for tag in ["<input", "<textarea", "<select"] {
        let mut rest = html;
        while let Some(start) = rest.find(tag) {
            let end = rest[start..]
                .find('>')
                .map_or(rest.len(), |e| start + e + 1);
            let element = &rest[start..end];
            if element.contains(&marker) {
                found.push(element);
            }
            rest = &rest[end..];
        }
    }
    found
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attribute(tag: &str, attribute: &str) -> Option<String> {
    let marker = format!(" {attribute}=\"");
    let start = tag.find(&marker)? + marker.len();
    let end = tag[start..].find('"')?;
    Some(unescape(&tag[start..start + end]))
}

fn has_flag(tag: &str, flag: &str) -> bool {
    [" ", "/", ">", "="]
        .iter()
        .any(|after| tag.contains(&format!(" {flag}{after}")))
}

/// The `value` of the text box named `name` (None: no box, or an empty one).
fn typed_value(html: &str, name: &str) -> Option<String> {
    let boxes = controls(html, name);
    assert!(!boxes.is_empty(), "no field named {name}");
    attribute(boxes[0], "value").filter(|v| !v.is_empty())
}

/// Whether the tick box or radio button named `name` (with `value`, for radios) is on.
fn is_checked(html: &str, name: &str, value: Option<&str>) -> bool {
    let boxes = controls(html, name);
    assert!(!boxes.is_empty(), "no field named {name}");
    boxes
        .into_iter()
        .filter(|tag| value.is_none() || attribute(tag, "value").as_deref() == value)
        .any(|tag| has_flag(tag, "checked"))
}

/// The text in the textarea named `name`.
fn textarea_text(html: &str, name: &str) -> String {
    let open = controls(html, name)
        .into_iter()
        .find(|t| t.starts_with("<textarea"))
        .unwrap_or_else(|| panic!("no textarea named {name}"));
    let start = html.find(open).expect("tag in page") + open.len();
    let end = html[start..].find("</textarea>").expect("closed");
    unescape(&html[start..start + end])
}

/// The chosen option of the select named `name`.
fn selected_option(html: &str, name: &str) -> Option<String> {
    let open = controls(html, name)
        .into_iter()
        .find(|t| t.starts_with("<select"))
        .unwrap_or_else(|| panic!("no select named {name}"));
    let start = html.find(open).expect("tag in page");
    let end = html[start..].find("</select>").expect("closed") + start;
    html[start..end]
        .split("<option")
        .skip(1)
        .find(|option| has_flag(&format!(" {option}"), "selected"))
        .and_then(|option| attribute(option, "value"))
}

/// Every session's stored data, as the database holds it.
async fn session_data(app: &TestApp) -> String {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT data FROM sessions")
        .fetch_all(&app.db)
        .await
        .expect("sessions");
    rows.into_iter()
        .map(|(d,)| d)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Submit a form as a browser; it must be refused back to `page`. Answers the address of
/// the page with the error.
async fn refused(
    app: &TestApp,
    client: &Client,
    function: &str,
    form: &[(&str, &str)],
    page: &str,
) -> String {
    let r = app.submit(client, function, form, page).await;
    assert_eq!(r.status(), StatusCode::FOUND, "{function} redirects");
    let to = app.path_of(&location(&r));
    assert!(
        to.starts_with(&format!("{page}?")) && to.contains("__err="),
        "{function} is refused back to {page}: {to}"
    );
    to
}

#[tokio::test]
async fn sign_in_keeps_the_email_never_the_password_and_only_once_in_that_browser() {
    let app = spawn_app().await;
    let visitor = browser();
    let wrong = "wrong-password-typed-9";
    let to = refused(
        &app,
        &visitor,
        "auth/sign_in",
        &[
            ("email", "learner@demo.test"),
            ("password", wrong),
            ("next", "/induction"),
        ],
        "/login",
    )
    .await;
    // Stored for the visitor (a session made for this), without the password.
    let stored = session_data(&app).await;
    assert!(stored.contains("learner@demo.test"), "{stored}");
    assert!(!stored.contains(wrong));

    // Another browser opening the same address sees the error but nothing typed.
    let (_, other) = app.page(&browser(), &to).await;
    assert!(visible_text(&other).contains("Email or password is wrong"));
    assert_eq!(typed_value(&other, "email"), None);

    let (status, page) = app.page(&visitor, &to).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        typed_value(&page, "email").as_deref(),
        Some("learner@demo.test")
    );
    assert_eq!(typed_value(&page, "password"), None);
    assert!(!page.contains(wrong));
    assert!(!session_data(&app).await.contains("learner@demo.test"));

    // Shown once: the same address again shows an empty box.
    let (_, again) = app.page(&visitor, &to).await;
    assert_eq!(typed_value(&again, "email"), None);
}

#[tokio::test]
async fn forgotten_password_keeps_the_email() {
    let app = spawn_app().await;
    let visitor = browser();
    let to = refused(
        &app,
        &visitor,
        "auth/request_password_reset",
        &[("email", "not an email")],
        "/forgot-password",
    )
    .await;
    let (_, page) = app.page(&visitor, &to).await;
    assert_eq!(typed_value(&page, "email").as_deref(), Some("not an email"));
}

#[tokio::test]
async fn an_invitation_with_a_bad_email_keeps_name_email_and_role_on_its_page_only() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let form = [
        ("full_name", "Ann \"Nan\" <Newby>"),
        ("email", "ann at example"),
        ("role", "tutor"),
    ];
    let to = refused(&app, &admin, "admin/invite_user", &form, "/admin/users").await;
    let (_, page) = app.page(&admin, &to).await;
    assert!(visible_text(&page).contains("right format"));
    assert_eq!(
        typed_value(&page, "full_name").as_deref(),
        Some("Ann \"Nan\" <Newby>")
    );
    assert!(!page.contains("<Newby>"), "typed text is escaped");
    assert_eq!(
        typed_value(&page, "email").as_deref(),
        Some("ann at example")
    );
    assert_eq!(selected_option(&page, "role").as_deref(), Some("tutor"));
    let (_, again) = app.page(&admin, &to).await;
    assert_eq!(typed_value(&again, "full_name"), None);
    assert_eq!(selected_option(&again, "role"), None);

    // Carried to another page (with the signed error in its address), it is not shown.
    let to = refused(&app, &admin, "admin/invite_user", &form, "/admin/users").await;
    let query = to.split_once('?').expect("query").1;
    let (_, elsewhere) = app
        .page(&admin, &format!("/admin/safe-internet?{query}"))
        .await;
    assert!(!elsewhere.contains("Nan"), "{elsewhere}");
    let (_, page) = app.page(&admin, &to).await;
    assert_eq!(typed_value(&page, "full_name"), None, "shown once at most");
}

#[tokio::test]
async fn signing_a_policy_with_a_wrong_name_keeps_the_name_and_the_tick() {
    let app = spawn_app().await;
    let learner = app.signed_in_only(LEARNER, PASSWORD).await;
    let policy: serde_json::Value = app
        .call(&learner, "policies/to_sign", &[("kind", "learner")])
        .await
        .json()
        .await
        .expect("policy");
    let version = policy["version_id"].as_str().expect("version");
    let page = "/policies/sign/learner";
    let form = [
        ("version_id", version),
        ("agree", "on"),
        ("full_name", "Someone Else"),
    ];
    let to = refused(&app, &learner, "policies/sign", &form, page).await;
    let (_, html) = app.page(&learner, &to).await;
    assert!(visible_text(&html).contains("does not match"));
    assert_eq!(
        typed_value(&html, "full_name").as_deref(),
        Some("Someone Else")
    );
    assert!(is_checked(&html, "agree", None));

    // Without the tick: the name comes back and the box stays empty.
    let form = [("version_id", version), ("full_name", "Alex Learner")];
    let to = refused(&app, &learner, "policies/sign", &form, page).await;
    let (_, html) = app.page(&learner, &to).await;
    assert_eq!(
        typed_value(&html, "full_name").as_deref(),
        Some("Alex Learner")
    );
    assert!(!is_checked(&html, "agree", None));
    let (_, again) = app.page(&learner, page).await;
    assert_eq!(typed_value(&again, "full_name"), None);
}

/// Email the demo learner's parent a link and hand back its path.
async fn parent_link(app: &TestApp, tutor: &Client, learner_id: &str) -> String {
    let r = app
        .submit(
            tutor,
            "policies/email_parent",
            &[("learner_id", learner_id), ("email", "jo@example.org")],
            &format!("/policies/parents/{learner_id}"),
        )
        .await;
    assert!(location(&r).contains("emailed=1"));
    let (sink, url) = SmtpSink::start();
    let mailer = Mailer::smtp(&url).expect("mailer");
    assert_eq!(app.send_mail(&mailer).await.sent, 1);
    link_in(&sink.messages().pop().expect("one email"), "/parent/")
}

#[tokio::test]
async fn the_public_parent_form_keeps_name_and_relationship_but_not_the_token() {
    let app = spawn_app().await;
    let learner_id = app.user_id(LEARNER).await;
    let tutor = app.signed_in(TUTOR).await;
    let link = parent_link(&app, &tutor, &learner_id).await;
    let token = link.trim_start_matches("/parent/").to_string();

    let parent = browser();
    let form = [
        ("token", token.as_str()),
        ("parent_name", "Jo Parent"),
        ("relationship", "Mother"),
    ];
    let to = refused(&app, &parent, "parent/acknowledge", &form, &link).await;
    assert!(
        !session_data(&app).await.contains(&token),
        "no link token kept"
    );
    let (_, other) = app.page(&browser(), &to).await;
    assert_eq!(typed_value(&other, "parent_name"), None);
    let (_, page) = app.page(&parent, &to).await;
    assert!(visible_text(&page).contains("Tick"));
    assert_eq!(
        typed_value(&page, "parent_name").as_deref(),
        Some("Jo Parent")
    );
    assert_eq!(
        typed_value(&page, "relationship").as_deref(),
        Some("Mother")
    );
    assert!(!is_checked(&page, "agree", None));
    let (_, again) = app.page(&parent, &to).await;
    assert_eq!(typed_value(&again, "parent_name"), None);
}

#[tokio::test]
async fn the_paper_form_keeps_every_field_and_leaves_the_other_form_alone() {
    let app = spawn_app().await;
    let learner_id = app.user_id(LEARNER).await;
    let tutor = app.signed_in(TUTOR).await;
    let page = format!("/policies/parents/{learner_id}");
    let today = chrono::Utc::now().date_naive().to_string();
    // "Seen" ticked, but whether it was scanned left unanswered.
    let form = [
        ("learner_id", learner_id.as_str()),
        ("parent_name", "Pat Carer"),
        ("relationship", "Grandmother"),
        ("signed_on", today.as_str()),
        ("seen", "on"),
    ];
    let to = refused(&app, &tutor, "policies/record_paper", &form, &page).await;
    let (_, html) = app.page(&tutor, &to).await;
    assert!(visible_text(&html).contains("scanned"));
    assert_eq!(
        typed_value(&html, "parent_name").as_deref(),
        Some("Pat Carer")
    );
    assert_eq!(
        typed_value(&html, "relationship").as_deref(),
        Some("Grandmother")
    );
    assert_eq!(typed_value(&html, "signed_on"), Some(today));
    assert!(is_checked(&html, "seen", None));
    assert!(!is_checked(&html, "scanned", Some("yes")));
    assert!(!is_checked(&html, "scanned", Some("no")));
    // The email form on the same page is not filled from the paper form.
    assert_eq!(typed_value(&html, "email"), None);

    // A radio choice comes back too.
    let form = [
        ("learner_id", learner_id.as_str()),
        ("parent_name", "Pat Carer"),
        ("relationship", "Grandmother"),
        ("signed_on", "25/11/2026"),
        ("scanned", "no"),
    ];
    let to = refused(&app, &tutor, "policies/record_paper", &form, &page).await;
    let (_, html) = app.page(&tutor, &to).await;
    assert!(is_checked(&html, "scanned", Some("no")));
    assert!(!is_checked(&html, "scanned", Some("yes")));
    assert!(!is_checked(&html, "seen", None));
    assert_eq!(
        typed_value(&html, "signed_on").as_deref(),
        Some("25/11/2026")
    );
}

#[tokio::test]
async fn the_safe_internet_contacts_form_keeps_what_was_typed_then_shows_the_saved_text() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let (_, before) = app.page(&admin, "/admin/safe-internet").await;
    let saved_name = typed_value(&before, "dsl_name");
    let links = "Our policy | not-a-link\n</textarea><b>bold</b>";
    let form = [
        ("dsl_name", "Dee Typed"),
        ("dsl_phone", "0161 496 0000"),
        ("dsl_email", "dee@example.org"),
        ("raise_concern", "Tell us & we act."),
        ("policy_links", links),
    ];
    let to = refused(
        &app,
        &admin,
        "safe_internet/save_contacts",
        &form,
        "/admin/safe-internet",
    )
    .await;
    let (_, page) = app.page(&admin, &to).await;
    assert_eq!(typed_value(&page, "dsl_name").as_deref(), Some("Dee Typed"));
    assert_eq!(
        typed_value(&page, "dsl_phone").as_deref(),
        Some("0161 496 0000")
    );
    assert_eq!(textarea_text(&page, "raise_concern"), "Tell us & we act.");
    assert_eq!(textarea_text(&page, "policy_links"), links);
    assert!(
        !page.contains("<b>bold</b>"),
        "the text cannot leave its box"
    );
    let (_, again) = app.page(&admin, &to).await;
    assert_eq!(typed_value(&again, "dsl_name"), saved_name);
}

#[tokio::test]
async fn a_pass_mark_comes_back_in_its_own_row_only() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let (_, before) = app.page(&admin, "/admin/modules").await;
    let module = attribute(controls(&before, "module_id")[0], "value").expect("a module");
    let form = [("module_id", module.as_str()), ("pass_mark", "150")];
    let to = refused(&app, &admin, "learning/pass_mark", &form, "/admin/modules").await;
    let (_, page) = app.page(&admin, &to).await;
    let marks: Vec<Option<String>> = controls(&page, "pass_mark")
        .into_iter()
        .map(|t| attribute(t, "value"))
        .collect();
    assert_eq!(
        marks.iter().filter(|m| m.as_deref() == Some("150")).count(),
        1,
        "{marks:?}"
    );
    let mine = format!("id=\"pass-mark-{module}\"");
    let row = controls(&page, "pass_mark")
        .into_iter()
        .find(|t| t.contains(&mine))
        .expect("the module's box");
    assert_eq!(attribute(row, "value").as_deref(), Some("150"));
}

#[tokio::test]
async fn a_form_that_succeeds_leaves_nothing_behind() {
    let app = spawn_app().await;
    let visitor = browser();
    let r = app
        .submit(
            &visitor,
            "auth/request_password_reset",
            &[("email", "kept at example")],
            "/forgot-password",
        )
        .await;
    assert!(location(&r).contains("__err="));
    let r = app
        .submit(
            &visitor,
            "auth/request_password_reset",
            &[("email", "learner@demo.test")],
            "/forgot-password",
        )
        .await;
    assert!(!location(&r).contains("__err="), "{}", location(&r));
    assert!(!session_data(&app).await.contains("kept at example"));
}

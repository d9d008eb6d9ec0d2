//! Refused forms keep what was typed (WCAG 2.2 SC 3.3.7, redundant entry), with
//! JavaScript on or off, for every form in the app, by one mechanism:
//!
//! 1. A form posts its urlencoded fields to a server function (`/api/...`). The
//!    middleware `server::security::signed_form_errors` reads them before the function runs.
//! 2. When the function refuses, the framework redirects back to the form's page with
//!    `?__path=...&__err=...`. The middleware then keeps the fields in the person's own
//!    session ([`SESSION_KEY`]) with the function's path and (a keyed hash of) the page's
//!    path, as a [`TypedForm`]. Secrets are never kept: any field whose name contains `password` or
//!    `token`. Values that would take the total over [`MAX_TOTAL`] bytes are left out (the
//!    page then shows its saved value or an empty box). A visitor without a session (sign-in,
//!    a parent's link) gets one for this.
//! 3. The next page view that carries our signed error takes the fields out of the session,
//!    so they are shown once, and hands them to the page (as a request extension) only if
//!    it is the same page showing that function's error. A form that succeeds removes them.
//! 4. The page asks `Typed::of::<TheServerFunction>()` and puts the values back as
//!    `value=`, `checked`, `selected` or (escaped) textarea text. With JavaScript on,
//!    `navigation.rs` follows the same redirect, so nothing differs in the browser.
//!
//! Nothing is ever read from the address (only our signed error is trusted there), and the
//! session is the person's own, so another browser never sees what someone typed.

use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

/// The session key under which a refused form's fields wait for the page to show them.
pub const SESSION_KEY: &str = "typed_form";
/// At most this many bytes of names and values are kept for one form.
pub const MAX_TOTAL: usize = 64 * 1024;

/// A refused form as it was submitted, waiting in the session for its page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TypedForm {
    /// The server function's path (`/api/auth/sign_in`).
    pub function: String,
    /// A keyed hash of the path of the page the error was sent back to: a path may hold
    /// a secret (`/parent/TOKEN`), and the session must not.
    pub page: String,
    /// The fields in the order they were sent; a name may repeat.
    pub fields: Vec<(String, String)>,
}

/// A secret is never stored, whatever the form: passwords and link tokens.
fn is_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("password") || name.contains("token")
}

/// The submitted fields worth keeping: no secrets, and no more than [`MAX_TOTAL`] bytes
/// in all (a field that does not fit is left out; smaller ones after it may still fit).
pub fn keepable(fields: impl IntoIterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut total = 0;
    fields
        .into_iter()
        .filter(|(name, _)| !is_secret(name))
        .filter(|(name, value)| {
            let size = name.len() + value.len();
            let fits = total + size <= MAX_TOTAL;
            if fits {
                total += size;
            }
            fits
        })
        .collect()
}

/// What a page may put back into one of its forms: the fields of that form's refused
/// submission, or nothing (the form shows its saved values or is empty).
#[derive(Clone, Debug, Default)]
pub struct Typed {
    fields: Option<Vec<(String, String)>>,
}

impl Typed {
    /// The typed fields for the form that posts to the server function `S`, when this page
    /// view follows that form's refusal. Always empty in the browser (pages are rendered on
    /// the server).
    pub fn of<S: ServerFn>() -> Self {
        Self {
            fields: handed_over()
                .filter(|form| form.function == S::PATH)
                .map(|form| form.fields),
        }
    }

    /// Only if the form's `name` field was `value`: for a page with one form per row
    /// (one pass mark per module), so only the row that was refused gets the text back.
    pub fn for_row(&self, name: &str, value: &str) -> Self {
        Self {
            fields: self
                .fields
                .clone()
                .filter(|_| self.value(name).as_deref() == Some(value)),
        }
    }

    /// Whether a refused submission of this form is being shown.
    pub fn is_refused(&self) -> bool {
        self.fields.is_some()
    }

    /// The typed value of a field, if any.
    pub fn value(&self, name: &str) -> Option<String> {
        self.fields
            .as_ref()?
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    /// The typed value of a text field, or `saved` when there is none (the form was not
    /// refused, or the value was too large to keep). A field sent empty stays empty.
    pub fn text(&self, name: &str, saved: impl Into<String>) -> String {
        self.value(name).unwrap_or_else(|| saved.into())
    }

    /// Whether a tick box was ticked (browsers send a ticked box only), or `saved`.
    pub fn ticked(&self, name: &str, saved: bool) -> bool {
        match &self.fields {
            Some(_) => self.value(name).is_some(),
            None => saved,
        }
    }

    /// Whether `option` was the choice of a radio group or a select, or `saved`.
    pub fn chose(&self, name: &str, option: &str, saved: bool) -> bool {
        match &self.fields {
            Some(_) => self.value(name).as_deref() == Some(option),
            None => saved,
        }
    }
}

/// The refused form the middleware handed to this page view, if any.
#[cfg(feature = "ssr")]
fn handed_over() -> Option<TypedForm> {
    leptos::prelude::with_context::<http::request::Parts, _>(|p| {
        p.extensions.get::<TypedForm>().cloned()
    })
    .flatten()
}

#[cfg(not(feature = "ssr"))]
fn handed_over() -> Option<TypedForm> {
    None
}

/// Keep a refused form's fields for the next view of its page (replacing any older ones).
#[cfg(feature = "ssr")]
pub async fn remember(
    session: &tower_sessions::Session,
    form: TypedForm,
) -> Result<(), tower_sessions::session::Error> {
    session.insert(SESSION_KEY, form).await
}

/// Take the waiting fields out of the session (shown once, whatever page asks).
#[cfg(feature = "ssr")]
pub async fn take(
    session: &tower_sessions::Session,
) -> Result<Option<TypedForm>, tower_sessions::session::Error> {
    // Looked at first: removing marks the session changed, which would save (and for a
    // visitor create) a session for nothing.
    if session.get_value(SESSION_KEY).await?.is_none() {
        return Ok(None);
    }
    // A value from an older layout is dropped, not an error.
    Ok(session
        .remove_value(SESSION_KEY)
        .await?
        .and_then(|v| serde_json::from_value(v).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn secrets_are_never_kept() {
        let kept = keepable(pairs(&[
            ("email", "a@b.test"),
            ("password", "hunter2"),
            ("new_Password", "x"),
            ("confirm_password", "y"),
            ("token", "t"),
            ("next", "/home"),
        ]));
        assert_eq!(kept, pairs(&[("email", "a@b.test"), ("next", "/home")]));
    }

    #[test]
    fn at_most_the_cap_is_kept() {
        let big = "x".repeat(MAX_TOTAL);
        let kept = keepable(pairs(&[
            ("title", "Hi"),
            ("body", &big),
            ("what_changed", "More"),
        ]));
        let names: Vec<&str> = kept.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["title", "what_changed"]);
        let total: usize = kept.iter().map(|(n, v)| n.len() + v.len()).sum();
        assert!(total <= MAX_TOTAL);
    }

    fn typed(fields: &[(&str, &str)]) -> Typed {
        Typed {
            fields: Some(pairs(fields)),
        }
    }

    #[test]
    fn a_refused_form_shows_what_was_typed_even_when_empty() {
        let t = typed(&[("full_name", "Ann"), ("title", "")]);
        assert_eq!(t.text("full_name", "Saved"), "Ann");
        assert_eq!(t.text("title", "Saved"), "");
        // Left out (too large): the saved text rather than an empty box.
        assert_eq!(t.text("body", "Saved"), "Saved");
        assert!(!t.ticked("agree", true));
        assert!(typed(&[("agree", "on")]).ticked("agree", false));
        assert!(t.is_refused());
    }

    #[test]
    fn without_a_refusal_the_saved_values_show() {
        let t = Typed::default();
        assert_eq!(t.text("full_name", "Saved"), "Saved");
        assert!(t.ticked("agree", true));
        assert!(t.chose("role", "learner", true));
        assert_eq!(t.value("full_name"), None);
    }

    #[test]
    fn choices_and_rows() {
        let t = typed(&[("module_id", "m2"), ("pass_mark", "101")]);
        assert!(t.chose("module_id", "m2", false));
        assert!(!t.chose("module_id", "m1", true));
        assert_eq!(
            t.for_row("module_id", "m2").value("pass_mark").as_deref(),
            Some("101")
        );
        assert!(!t.for_row("module_id", "m1").is_refused());
    }
}

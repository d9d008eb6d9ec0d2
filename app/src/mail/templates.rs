//! Every email the app sends, written as templates in `templates/`: `NAME.txt` for the
//! plain-text body and `NAME.html` (inside the shared `layout.html`) for the HTML one.
//!
//! Escaping happens in exactly one place: MiniJinja escapes every value put into an
//! `.html` template, and nothing in a `.txt` one. Callers pass values, never HTML.

use super::{Draft, Email};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value};
use minijinja::{context, Environment, UndefinedBehavior};

/// The templates, compiled into the binary so a running server cannot lack one.
const TEMPLATES: [(&str, &str); 17] = [
    ("layout.html", include_str!("templates/layout.html")),
    ("invitation.txt", include_str!("templates/invitation.txt")),
    ("nudge.txt", include_str!("templates/nudge.txt")),
    ("nudge.html", include_str!("templates/nudge.html")),
    ("invitation.html", include_str!("templates/invitation.html")),
    (
        "password_reset.txt",
        include_str!("templates/password_reset.txt"),
    ),
    (
        "password_reset.html",
        include_str!("templates/password_reset.html"),
    ),
    (
        "policy_reminder.txt",
        include_str!("templates/policy_reminder.txt"),
    ),
    (
        "policy_reminder.html",
        include_str!("templates/policy_reminder.html"),
    ),
    (
        "parent_request.txt",
        include_str!("templates/parent_request.txt"),
    ),
    (
        "parent_request.html",
        include_str!("templates/parent_request.html"),
    ),
    (
        "cpd_reminder.txt",
        include_str!("templates/cpd_reminder.txt"),
    ),
    (
        "cpd_reminder.html",
        include_str!("templates/cpd_reminder.html"),
    ),
    (
        "cpd_manager_digest.txt",
        include_str!("templates/cpd_manager_digest.txt"),
    ),
    (
        "cpd_manager_digest.html",
        include_str!("templates/cpd_manager_digest.html"),
    ),
    (
        "cpd_people_digest.txt",
        include_str!("templates/cpd_people_digest.txt"),
    ),
    (
        "cpd_people_digest.html",
        include_str!("templates/cpd_people_digest.html"),
    ),
];

#[derive(Debug, thiserror::Error)]
#[error("the {name} email could not be written: {source}")]
pub struct TemplateError {
    name: String,
    #[source]
    source: minijinja::Error,
}

/// An email inviting someone to choose a password for a new account.
pub fn invitation(
    to: &str,
    full_name: &str,
    org_name: &str,
    link: &str,
) -> Result<Email, TemplateError> {
    render(
        "invitation",
        to,
        format!("You have been invited to {org_name}'s e-safety training"),
        context! { full_name, org_name, link },
    )
}

/// An email with a one-hour link to choose a new password; `org_name` says which account, as one
/// address may have an account with more than one organisation.
pub fn password_reset(
    to: &str,
    full_name: &str,
    org_name: &str,
    link: &str,
) -> Result<Email, TemplateError> {
    render(
        "password_reset",
        to,
        format!("Reset your e-safety training password ({org_name})"),
        context! { full_name, org_name, link },
    )
}

/// An email asking someone to sign the organisation's Acceptable Use Policy; `reason`
/// says why they are asked (never signed, or due to sign again).
pub fn policy_reminder(
    to: &str,
    full_name: &str,
    org_name: &str,
    reason: &str,
    link: &str,
) -> Result<Email, TemplateError> {
    render(
        "policy_reminder",
        to,
        format!("Please sign {org_name}'s Acceptable Use Policy"),
        context! { full_name, reason, link },
    )
}

/// What a tutor's reminder to a learner about their induction says.
pub struct Nudge<'a> {
    pub to: &'a str,
    pub full_name: &'a str,
    pub tutor_name: &'a str,
    pub org_name: &'a str,
    /// Where they are, kindly: "You have passed 2 of 5 modules so far."
    pub progress: &'a str,
    pub link: &'a str,
}

/// A short reminder from a tutor to a learner to carry on with their induction.
pub fn nudge(n: &Nudge<'_>) -> Result<Email, TemplateError> {
    render(
        "nudge",
        n.to,
        format!("A reminder about your e-safety induction at {}", n.org_name),
        context! {
            full_name => n.full_name,
            tutor_name => n.tutor_name,
            org_name => n.org_name,
            progress => n.progress,
            link => n.link,
        },
    )
}

/// What the email to a learner's parent or carer says.
pub struct ParentRequest<'a> {
    pub to: &'a str,
    pub learner_first_name: &'a str,
    pub org_name: &'a str,
    pub staff_name: &'a str,
    pub link: &'a str,
    /// The link's last day, as shown (`9 December 2026`).
    pub until: &'a str,
}

/// An email asking a parent or carer to read the learner policy and confirm it.
pub fn parent_request(r: &ParentRequest<'_>) -> Result<Email, TemplateError> {
    render(
        "parent_request",
        r.to,
        format!(
            "Please read {}'s online safety rules for {}",
            r.org_name, r.learner_first_name
        ),
        context! {
            learner_first_name => r.learner_first_name,
            org_name => r.org_name,
            staff_name => r.staff_name,
            link => r.link,
            until => r.until,
        },
    )
}

/// Render `NAME.txt` and `NAME.html` with `values` and the subject (for emails written
/// elsewhere, such as the reminders', which build their own values).
pub(crate) fn render(
    name: &'static str,
    to: &str,
    subject: String,
    values: Value,
) -> Result<Email, TemplateError> {
    let values = context! { subject => &subject, ..values };
    Ok(Email {
        to: to.to_string(),
        text: body(name, "txt", &values)?,
        html: body(name, "html", &values)?,
        subject,
    })
}

/// As [`render`], but only noted down: the template's name and its values (as JSON),
/// written into bodies by [`write`] when the email is sent. A run that queues thousands
/// of emails leaves the writing to the outbox worker.
pub(crate) fn draft(
    name: &'static str,
    to: &str,
    subject: String,
    values: Value,
) -> Result<Draft, TemplateError> {
    let fail = |source| TemplateError {
        name: name.to_string(),
        source,
    };
    // The template must exist now, not only when the email is sent.
    environment()
        .and_then(|env| env.get_template(&format!("{name}.txt")).map(|_| ()))
        .map_err(fail)?;
    let values = serde_json::to_string(&values).map_err(|err| {
        fail(minijinja::Error::new(
            minijinja::ErrorKind::BadSerialization,
            err.to_string(),
        ))
    })?;
    Ok(Draft {
        to: to.to_string(),
        subject,
        template: name.to_string(),
        values,
    })
}

/// The email a draft describes, written now.
pub fn write(draft: &Draft) -> Result<Email, TemplateError> {
    let values: serde_json::Value =
        serde_json::from_str(&draft.values).map_err(|err| TemplateError {
            name: draft.template.clone(),
            source: minijinja::Error::new(minijinja::ErrorKind::CannotDeserialize, err.to_string()),
        })?;
    let values = context! { subject => &draft.subject, ..Value::from(Serde(&values)) };
    Ok(Email {
        to: draft.to.clone(),
        subject: draft.subject.clone(),
        text: body(&draft.template, "txt", &values)?,
        html: body(&draft.template, "html", &values)?,
    })
}

/// One body of the email `name` (`ext`: `txt` or `html`, which chooses the escaping).
fn body(name: &str, ext: &str, values: &Value) -> Result<String, TemplateError> {
    environment()
        .and_then(|env| env.get_template(&format!("{name}.{ext}")))
        .and_then(|t| t.render(values))
        .map_err(|source| TemplateError {
            name: name.to_string(),
            source,
        })
}

/// The environment, built once: the daily reminders write thousands of emails in a run,
/// and compiling the templates for each one would cost more than writing it. A build
/// that fails is not kept, so every email reports the fault. The file name's extension
/// chooses the escaping.
fn environment() -> Result<&'static Environment<'static>, minijinja::Error> {
    static BUILT: std::sync::OnceLock<Environment<'static>> = std::sync::OnceLock::new();
    if let Some(env) = BUILT.get() {
        return Ok(env);
    }
    let env = build_environment()?;
    Ok(BUILT.get_or_init(|| env))
}

fn build_environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    // Plain-text bodies end with a newline, as a text file does; keep it.
    env.set_syntax(
        SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .trim_blocks(true)
            .build()?,
    );
    // A misspelt value in a template is an error, never an empty gap in an email.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name and an organisation that would break HTML if they were not escaped.
    const NAME: &str = "Jo \"JJ\" O'Neil <script>alert(1)</script>";
    const ORG: &str = "Smith & Daughters <b>Training</b>";
    const LINK: &str = "https://esafety.example/set-password?token=abc123&x=\"1\"";

    fn both(email: &Email) -> String {
        format!(
            "To: {}\nSubject: {}\n\n--- text ---\n{}\n--- html ---\n{}",
            email.to, email.subject, email.text, email.html
        )
    }

    #[test]
    fn invitation_snapshot() {
        let email = invitation("jo@example.org", NAME, ORG, LINK).unwrap();
        insta::assert_snapshot!(both(&email));
    }

    #[test]
    fn password_reset_snapshot() {
        let email = password_reset("jo@example.org", NAME, ORG, LINK).unwrap();
        insta::assert_snapshot!(both(&email));
    }

    #[test]
    fn policy_reminder_snapshot() {
        let reason = format!(
            "{ORG} asks everyone to read and sign its Acceptable Use Policy. You have not signed the current version yet."
        );
        let email = policy_reminder(
            "jo@example.org",
            NAME,
            ORG,
            &reason,
            "https://esafety.example/policies/sign/learner",
        )
        .unwrap();
        insta::assert_snapshot!(both(&email));
    }

    #[test]
    fn nudge_snapshot() {
        let email = nudge(&Nudge {
            to: "jo@example.org",
            full_name: NAME,
            tutor_name: "Sam Tutor <b>",
            org_name: ORG,
            progress: "You have passed 2 of 5 modules so far.",
            link: "https://esafety.example/induction",
        })
        .unwrap();
        insta::assert_snapshot!(both(&email));
    }

    #[test]
    fn parent_request_snapshot() {
        let email = parent_request(&ParentRequest {
            to: "parent@example.org",
            learner_first_name: "Alex <i>",
            org_name: ORG,
            staff_name: NAME,
            link: "https://esafety.example/parent/abc123",
            until: "9 December 2026",
        })
        .unwrap();
        insta::assert_snapshot!(both(&email));
    }

    #[test]
    fn html_is_escaped_once_and_text_not_at_all() {
        let email = invitation("jo@example.org", NAME, ORG, LINK).unwrap();
        assert!(email.text.contains(NAME) && email.text.contains(ORG));
        assert!(email.text.contains(LINK));
        assert!(!email.html.contains("<script>") && !email.html.contains("<b>"));
        assert!(email.html.contains("&lt;script&gt;"));
        assert!(email.html.contains("Smith &amp; Daughters"));
        // Escaped once: no escape of an escape.
        assert!(!email.html.contains("&amp;amp;") && !email.html.contains("&amp;lt;"));
        // The subject is escaped in the layout's title too.
        assert!(email.html.contains("<title>You have been invited to Smith &amp; Daughters &lt;b&gt;Training&lt;&#x2f;b&gt;"));
    }
}

//! Email: every message is written to the outbox table first, in the same transaction as
//! the change that causes it, and a worker sends it (see `outbox`). A crash or an SMTP
//! outage therefore loses nothing.

pub mod outbox;
pub mod transport;

use crate::db;
use sqlx::AnyConnection;

/// One email with its plain-text and HTML bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Queue an email for sending. Call inside the transaction that makes the change.
pub async fn enqueue(
    conn: &mut AnyConnection,
    org_id: Option<&str>,
    email: &Email,
) -> Result<String, sqlx::Error> {
    let id = db::new_id();
    let now = db::now();
    sqlx::query(
        "INSERT INTO outbox (id, org_id, to_address, subject, text_body, html_body, created_at, attempts, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $7)",
    )
    .bind(&id)
    .bind(org_id)
    .bind(&email.to)
    .bind(&email.subject)
    .bind(&email.text)
    .bind(&email.html)
    .bind(&now)
    .execute(conn)
    .await?;
    Ok(id)
}

/// Escape text for an HTML email body.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Wrap an HTML email body in a plain, readable layout.
pub fn html_layout(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #1b1b1b; max-width: 36em; margin: 0 auto; padding: 1em;\">\
         {body}</body></html>",
        escape_html(title)
    )
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn html_special_characters_are_escaped() {
        assert_eq!(
            escape_html("<b>\"Jo\" & 'Al'</b>"),
            "&lt;b&gt;&quot;Jo&quot; &amp; &#39;Al&#39;&lt;/b&gt;"
        );
    }
}

//! Email: every message is written to the outbox table first, in the same transaction as
//! the change that causes it, and a worker sends it (see `outbox`). A crash or an SMTP
//! outage therefore loses nothing. Bodies are written from templates (`templates`) and
//! kept encrypted while queued (`seal`).

pub mod outbox;
pub mod seal;
pub mod templates;
pub mod transport;

use crate::db;
use crate::error::AppError;
use crate::ids::{EmailId, OrganisationId};
use crate::people::queries::Sql;
use crate::state::SecretKey;
use seal::{OutboxKey, Part, SealError};
use sqlx::AnyConnection;

/// One email with its plain-text and HTML bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// An email to be written when it is sent: its template's name and the values to fill
/// it with, as JSON (see [`templates::draft`] and [`templates::write`]). Queued by
/// [`enqueue_drafts`], which seals the values like a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub to: String,
    pub subject: String,
    pub template: String,
    pub values: String,
}

/// Why an email could not be queued.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("the email could not be encrypted for the outbox: {0}")]
    Seal(#[from] SealError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

// Neither can come from what a person typed: both are faults of the installation.
impl From<QueueError> for AppError {
    fn from(err: QueueError) -> Self {
        AppError::internal(err)
    }
}

impl From<templates::TemplateError> for AppError {
    fn from(err: templates::TemplateError) -> Self {
        AppError::internal(err)
    }
}

/// Queue an email for sending. Call inside the transaction that makes the change. The
/// bodies hold live links, so they are stored encrypted under `secret` (see `seal`).
pub async fn enqueue(
    conn: &mut AnyConnection,
    secret: &SecretKey,
    org_id: Option<&OrganisationId>,
    email: &Email,
) -> Result<EmailId, QueueError> {
    let id = EmailId::generate();
    let now = db::now();
    let key = OutboxKey::derive(secret);
    let text = key.seal(&id, Part::Text, &email.text)?;
    let html = key.seal(&id, Part::Html, &email.html)?;
    sqlx::query(
        "INSERT INTO outbox (id, org_id, to_address, subject, text_body, html_body, created_at, attempts, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $7)",
    )
    .bind(&id)
    .bind(org_id)
    .bind(&email.to)
    .bind(&email.subject)
    .bind(&text)
    .bind(&html)
    .bind(&now)
    .execute(conn)
    .await?;
    Ok(id)
}

/// Queue many drafts (a daily run queues thousands): as [`enqueue`], in the caller's
/// transaction, returning their ids in order, but each email is written by the outbox
/// worker when it is sent, so queueing costs a few hundred sealed bytes instead of two
/// rendered bodies. A statement takes [`Sql::ROWS_AT_ONCE`] of them.
pub async fn enqueue_drafts(
    conn: &mut AnyConnection,
    secret: &SecretKey,
    org_id: &OrganisationId,
    drafts: &[&Draft],
) -> Result<Vec<EmailId>, QueueError> {
    let key = OutboxKey::derive(secret);
    let now = db::now();
    let mut ids = Vec::with_capacity(drafts.len());
    for part in drafts.chunks(Sql::ROWS_AT_ONCE) {
        let mut sql = Sql::default();
        sql.push(
            "INSERT INTO outbox (id, to_address, subject, template, text_body, org_id, created_at, next_attempt_at, html_body, attempts) ",
        )
        .rows_sharing(5, &[org_id.as_str(), &now, &now], "'', 0");
        for draft in part {
            let id = EmailId::generate();
            let values = key.seal(&id, Part::Values, &draft.values)?;
            sql.values_row(
                &[
                    id.as_str(),
                    &draft.to,
                    &draft.subject,
                    &draft.template,
                    &values,
                ],
                "",
            );
            ids.push(id);
        }
        sql.end_rows().execute_on(conn).await?;
    }
    Ok(ids)
}

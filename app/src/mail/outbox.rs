//! The outbox worker: claims due emails, sends them, retries with backoff.
//!
//! A claim is an UPDATE that succeeds for one worker only, so several app servers can
//! run the worker against one database without sending anything twice.
//!
//! Once sent, an email's bodies are cleared, and the row itself is deleted after the
//! retention time, so nothing sent stays readable in the database.

use super::seal::{OutboxKey, Part, SealError};
use super::templates::{self, TemplateError};
use super::transport::{MailError, Mailer, SMTP_CONNECTIONS};
use super::{Draft, Email};
use crate::db::{self, Db};
use crate::ids::EmailId;
use crate::state::SecretKey;
use chrono::{Duration, Utc};
use lettre::message::Mailbox;
use std::sync::atomic::{AtomicI64, Ordering};

/// After this many failed attempts an email is marked failed and left for a person to see.
pub const MAX_ATTEMPTS: i64 = 10;
/// Emails sent at once, each on its own pooled connection; see [`send_due`].
const IN_FLIGHT: usize = SMTP_CONNECTIONS as usize;
/// How long a claim lasts; a worker that dies mid-send releases its email after this.
const CLAIM_SECONDS: i64 = 120;
/// Sent rows are purged at most this often by each process (see [`send_due`]).
const PURGE_EVERY_SECONDS: i64 = 3600;
/// When this process may next purge (Unix seconds; 0: at its first run).
static NEXT_PURGE: AtomicI64 = AtomicI64::new(0);

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SendReport {
    pub sent: u64,
    pub retried: u64,
    pub failed: u64,
    /// Sent rows deleted because they were older than the retention time.
    pub purged: u64,
}

#[derive(sqlx::FromRow)]
struct Queued {
    id: EmailId,
    to_address: String,
    subject: String,
    /// Set for a draft: `text_body` then holds its sealed values (see `Draft`).
    template: Option<String>,
    text_body: String,
    html_body: String,
    attempts: i64,
}

/// Why a queued email cannot be sent however often it is tried.
#[derive(Debug, thiserror::Error)]
pub enum Unreadable {
    #[error(transparent)]
    Seal(#[from] SealError),
    #[error("the email could not be written when sent: {0}")]
    Template(#[from] TemplateError),
}

/// Wait before the next try: 1, 2, 4, ... minutes, at most an hour.
pub fn backoff(attempts: i64) -> Duration {
    let minutes = 1i64 << attempts.clamp(0, 6);
    Duration::minutes(minutes.min(60))
}

/// Claim up to `n` due emails for this worker: each claim is an UPDATE that only one
/// worker can win, so two servers never hold the same email.
async fn claim_due(db: &Db, n: usize) -> Result<Vec<Queued>, sqlx::Error> {
    let now = Utc::now();
    // More candidates than needed, since another worker may win some of them.
    let candidates: Vec<(EmailId,)> = sqlx::query_as(&format!(
        "SELECT id FROM outbox
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
           AND (claimed_until IS NULL OR claimed_until < $1)
         ORDER BY next_attempt_at LIMIT {}",
        n * 2
    ))
    .bind(db::timestamp(now))
    .fetch_all(db)
    .await?;
    let mut claimed = Vec::with_capacity(n);
    for (id,) in candidates {
        if claimed.len() == n {
            break;
        }
        let won = sqlx::query(
            "UPDATE outbox SET claimed_until = $1
             WHERE id = $2 AND sent_at IS NULL AND failed_at IS NULL
               AND (claimed_until IS NULL OR claimed_until < $3)",
        )
        .bind(db::timestamp(now + Duration::seconds(CLAIM_SECONDS)))
        .bind(&id)
        .bind(db::timestamp(now))
        .execute(db)
        .await?;
        if won.rows_affected() == 1 {
            let row: Option<Queued> = sqlx::query_as(
                "SELECT id, to_address, subject, template, text_body, html_body, attempts FROM outbox WHERE id = $1",
            )
            .bind(&id)
            .fetch_optional(db)
            .await?;
            claimed.extend(row);
        }
    }
    Ok(claimed)
}

/// Send every email that is due now, once, then (at most once an hour per process)
/// delete sent rows older than `keep_sent`. Returns what happened.
///
/// Emails go [`IN_FLIGHT`] at a time over the transport's pool of connections: an SMTP
/// exchange is several round trips, mostly waiting, so one at a time would cap a go-live
/// day's sending at what one connection's latency allows.
pub async fn send_due(
    db: &Db,
    mailer: &Mailer,
    from: &Mailbox,
    secret: &SecretKey,
    keep_sent: Duration,
) -> Result<SendReport, sqlx::Error> {
    let key = OutboxKey::derive(secret);
    let mut report = SendReport::default();
    loop {
        let claimed = claim_due(db, IN_FLIGHT).await?;
        if claimed.is_empty() {
            break;
        }
        let mut readable = Vec::with_capacity(claimed.len());
        for queued in claimed {
            match open(&key, &queued) {
                Ok(email) => readable.push((queued, email)),
                Err(err) => {
                    // Altered, or written under another secret key: sending cannot work
                    // however often it is tried, so give up at once and say why.
                    tracing::error!(outbox_id = %queued.id, error = %err, "email not sent");
                    give_up_unreadable(db, &queued.id, &err).await?;
                    report.failed += 1;
                }
            }
        }
        let results = futures::future::join_all(
            readable
                .iter()
                .map(|(queued, email)| mailer.send(from, &queued.id, email)),
        )
        .await;
        let mut any_failed = false;
        for ((queued, _), result) in readable.iter().zip(results) {
            match result {
                Ok(()) => {
                    mark_sent(db, &queued.id).await?;
                    report.sent += 1;
                }
                Err(err) => {
                    any_failed = true;
                    if retry_later(db, queued, &err).await? {
                        report.failed += 1;
                    } else {
                        report.retried += 1;
                    }
                }
            }
        }
        // Stop this round on a failure: the server is likely down for all of them.
        if any_failed {
            break;
        }
    }
    if purge_is_due(Utc::now().timestamp()) {
        report.purged = purge_sent(db, keep_sent).await?;
    }
    Ok(report)
}

/// Record a failed try and when to try again; after [`MAX_ATTEMPTS`], give up. Returns
/// whether it gave up.
async fn retry_later(db: &Db, queued: &Queued, err: &MailError) -> Result<bool, sqlx::Error> {
    let attempts = queued.attempts + 1;
    tracing::warn!(outbox_id = %queued.id, attempts, error = %err, "email not sent");
    let gave_up = attempts >= MAX_ATTEMPTS;
    // The bodies stay encrypted: a person can look into a failed email with the secret
    // key, and nobody can without it.
    sqlx::query(
        "UPDATE outbox SET attempts = $1, last_error = $2, claimed_until = NULL,
                next_attempt_at = $3, failed_at = $4 WHERE id = $5",
    )
    .bind(attempts)
    .bind(err.to_string())
    .bind(db::timestamp(Utc::now() + backoff(attempts)))
    .bind(gave_up.then(db::now))
    .bind(&queued.id)
    .execute(db)
    .await?;
    Ok(gave_up)
}

/// The email a queued row holds, decrypted (and, for a draft, written now).
fn open(key: &OutboxKey, queued: &Queued) -> Result<Email, Unreadable> {
    let Some(template) = &queued.template else {
        return Ok(Email {
            to: queued.to_address.clone(),
            subject: queued.subject.clone(),
            text: key.open(&queued.id, Part::Text, &queued.text_body)?,
            html: key.open(&queued.id, Part::Html, &queued.html_body)?,
        });
    };
    let draft = Draft {
        to: queued.to_address.clone(),
        subject: queued.subject.clone(),
        template: template.clone(),
        values: key.open(&queued.id, Part::Values, &queued.text_body)?,
    };
    Ok(templates::write(&draft)?)
}

/// Sent: the bodies are cleared, since a sent link must not stay readable here.
async fn mark_sent(db: &Db, id: &EmailId) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET sent_at = $1, claimed_until = NULL, attempts = attempts + 1,
                text_body = '', html_body = '' WHERE id = $2",
    )
    .bind(db::now())
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Give up on an email whose bodies cannot be decrypted or written. Ciphertext that does not decrypt
/// is kept for a person to look into; a body not encrypted at all (queued by an earlier
/// version, or written by hand) may hold a live link in plain text, so it is cleared.
async fn give_up_unreadable(db: &Db, id: &EmailId, err: &Unreadable) -> Result<(), sqlx::Error> {
    let sql = if matches!(err, Unreadable::Seal(SealError::Format)) {
        "UPDATE outbox SET failed_at = $1, last_error = $2, claimed_until = NULL,
                text_body = '', html_body = '' WHERE id = $3"
    } else {
        "UPDATE outbox SET failed_at = $1, last_error = $2, claimed_until = NULL WHERE id = $3"
    };
    sqlx::query(sql)
        .bind(db::now())
        .bind(err.to_string())
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Whether this run should purge: true once per [`PURGE_EVERY_SECONDS`] in a process,
/// even when several runs overlap.
fn purge_is_due(now: i64) -> bool {
    let next = NEXT_PURGE.load(Ordering::Relaxed);
    now >= next
        && NEXT_PURGE
            .compare_exchange(
                next,
                now + PURGE_EVERY_SECONDS,
                Ordering::Relaxed,
                Ordering::Relaxed,
            )
            .is_ok()
}

/// Delete the rows of emails sent more than `older_than` ago. Unsent and failed emails
/// are kept. Returns how many were deleted.
pub async fn purge_sent(db: &Db, older_than: Duration) -> Result<u64, sqlx::Error> {
    // A retention too long to subtract from now means nothing is old enough yet.
    let Some(cutoff) = Utc::now().checked_sub_signed(older_than) else {
        return Ok(0);
    };
    let deleted = sqlx::query("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1")
        .bind(db::timestamp(cutoff))
        .execute(db)
        .await?;
    Ok(deleted.rows_affected())
}

/// The decrypted bodies of one queued or failed email, for a person (or a test) to read
/// with the installation's secret. `None` if there is no such row; an error if its
/// bodies cannot be decrypted (including once sent, when they are cleared).
pub async fn read_queued(
    db: &Db,
    secret: &SecretKey,
    id: &EmailId,
) -> Result<Option<Result<Email, Unreadable>>, sqlx::Error> {
    let row: Option<Queued> = sqlx::query_as(
        "SELECT id, to_address, subject, template, text_body, html_body, attempts FROM outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|queued| open(&OutboxKey::derive(secret), &queued)))
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_doubles_and_is_capped_at_an_hour() {
        assert_eq!(backoff(0).num_minutes(), 1);
        assert_eq!(backoff(1).num_minutes(), 2);
        assert_eq!(backoff(3).num_minutes(), 8);
        assert_eq!(backoff(9).num_minutes(), 60);
    }
}

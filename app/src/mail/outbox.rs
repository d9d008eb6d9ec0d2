//! The outbox worker: claims due emails, sends them, retries with backoff.
//!
//! A claim is an UPDATE that succeeds for one worker only, so several app servers can
//! run the worker against one database without sending anything twice.

use super::transport::Mailer;
use super::Email;
use crate::db::{self, Db};
use chrono::{Duration, Utc};
use lettre::message::Mailbox;

/// After this many failed attempts an email is marked failed and left for a person to see.
pub const MAX_ATTEMPTS: i64 = 10;
/// How long a claim lasts; a worker that dies mid-send releases its email after this.
const CLAIM_SECONDS: i64 = 120;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SendReport {
    pub sent: u64,
    pub retried: u64,
    pub failed: u64,
}

#[derive(sqlx::FromRow)]
struct Queued {
    id: String,
    to_address: String,
    subject: String,
    text_body: String,
    html_body: String,
    attempts: i64,
}

/// Wait before the next try: 1, 2, 4, ... minutes, at most an hour.
pub fn backoff(attempts: i64) -> Duration {
    let minutes = 1i64 << attempts.clamp(0, 6);
    Duration::minutes(minutes.min(60))
}

async fn claim_next(db: &Db) -> Result<Option<Queued>, sqlx::Error> {
    let now = Utc::now();
    let candidates: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM outbox
         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
           AND (claimed_until IS NULL OR claimed_until < $1)
         ORDER BY next_attempt_at LIMIT 5",
    )
    .bind(db::timestamp(now))
    .fetch_all(db)
    .await?;
    for (id,) in candidates {
        let claimed = sqlx::query(
            "UPDATE outbox SET claimed_until = $1
             WHERE id = $2 AND sent_at IS NULL AND failed_at IS NULL
               AND (claimed_until IS NULL OR claimed_until < $3)",
        )
        .bind(db::timestamp(now + Duration::seconds(CLAIM_SECONDS)))
        .bind(&id)
        .bind(db::timestamp(now))
        .execute(db)
        .await?;
        if claimed.rows_affected() == 1 {
            return sqlx::query_as(
                "SELECT id, to_address, subject, text_body, html_body, attempts FROM outbox WHERE id = $1",
            )
            .bind(&id)
            .fetch_optional(db)
            .await;
        }
    }
    Ok(None)
}

/// Send every email that is due now, once. Returns what happened.
pub async fn send_due(db: &Db, mailer: &Mailer, from: &Mailbox) -> Result<SendReport, sqlx::Error> {
    let mut report = SendReport::default();
    while let Some(queued) = claim_next(db).await? {
        let email = Email {
            to: queued.to_address.clone(),
            subject: queued.subject.clone(),
            text: queued.text_body.clone(),
            html: queued.html_body.clone(),
        };
        match mailer.send(from, &queued.id, &email).await {
            Ok(()) => {
                sqlx::query("UPDATE outbox SET sent_at = $1, claimed_until = NULL, attempts = attempts + 1 WHERE id = $2")
                    .bind(db::now())
                    .bind(&queued.id)
                    .execute(db)
                    .await?;
                report.sent += 1;
            }
            Err(err) => {
                let attempts = queued.attempts + 1;
                tracing::warn!(outbox_id = %queued.id, attempts, error = %err, "email not sent");
                let gave_up = attempts >= MAX_ATTEMPTS;
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
                if gave_up {
                    report.failed += 1;
                } else {
                    report.retried += 1;
                }
                // Stop this round on a failure: the server is likely down for all of them.
                break;
            }
        }
    }
    Ok(report)
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

//! Notifications sent once: a row in `notifications_sent` per recipient, kind, subject and
//! period, written in the transaction that queues the email. Whoever inserts the row first
//! sends; a second run, a second server or a second click finds it and sends nothing.

use crate::ids::{OrganisationId, PersonId};
use sqlx::AnyConnection;

/// What a notification is about. `period` says how often it may go: a day (2026-12-02, see
/// `calendar::day_key`), an ISO week (2026-W49, `calendar::iso_week_key`)...
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Notification<'a> {
    pub recipient_id: &'a PersonId,
    pub org_id: Option<&'a OrganisationId>,
    pub kind: &'a str,
    pub subject: &'a str,
    pub period: &'a str,
}

/// Record `n` as sent, inside the caller's transaction. True only the first time for its
/// key: queue the email then, and only then. Two transactions racing for one key (on both
/// databases) leave one row, and only one of them sees true.
pub async fn first_time(
    conn: &mut AnyConnection,
    n: &Notification<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO notifications_sent (recipient_id, org_id, kind, subject, period, sent_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (recipient_id, kind, subject, period) DO NOTHING",
    )
    .bind(n.recipient_id)
    .bind(n.org_id)
    .bind(n.kind)
    .bind(n.subject)
    .bind(n.period)
    .bind(crate::db::now())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

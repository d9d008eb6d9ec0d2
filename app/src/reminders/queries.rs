//! The SQL of a run: which reminders were sent already (`notifications_sent`), claiming
//! the ones about to be sent, and the reminder log. Every statement takes a batch of
//! people at once, so a run costs a few statements per [`BATCH`] people.

use crate::db::Db;
use crate::ids::{EmailId, OrganisationId, PersonId};
use crate::people::queries::Sql;
use sqlx::AnyConnection;
use std::collections::HashSet;

/// People handled per transaction: a run of 100,000 holds the database's write lock
/// (SQLite) for one batch at a time, and no statement nears a limit on bound values.
pub const BATCH: usize = 500;

/// A "sent once" key: recipient, kind, subject and period (see `notifications`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub recipient: PersonId,
    pub kind: &'static str,
    pub subject: String,
    pub period: String,
}

/// The keys of `kind` already sent to any of `recipients` (subject, period), by recipient.
pub async fn sent(
    db: &Db,
    kind: &str,
    recipients: &[&PersonId],
) -> Result<HashSet<(PersonId, String, String)>, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push("SELECT recipient_id, subject, period FROM notifications_sent WHERE kind = ")
        .bind(kind)
        .push(" AND recipient_id ")
        .bind_in(recipients);
    let rows: Vec<(PersonId, String, String)> = sql.fetch_all(db).await?;
    Ok(rows.into_iter().collect())
}

/// Record `keys` as sent in the caller's transaction; returns those this call recorded
/// (a key already there, from another run or server, is left out and must not be sent).
///
/// Usually every key is new, and they are inserted without asking back which ones were
/// (RETURNING costs SQLite about as much as the insert itself): only when some were
/// there already is that undone, under a savepoint, and done again asking back.
pub async fn claim(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    keys: &[&Key],
) -> Result<HashSet<Key>, sqlx::Error> {
    use sqlx::Connection;
    if keys.is_empty() {
        return Ok(HashSet::new());
    }
    let mut all_new = conn.begin().await?;
    let mut inserted = 0;
    for part in keys.chunks(Sql::ROWS_AT_ONCE) {
        inserted += insert_keys(org_id, part, "")
            .execute_on(&mut all_new)
            .await?;
    }
    if usize::try_from(inserted).is_ok_and(|n| n == keys.len()) {
        all_new.commit().await?;
        return Ok(keys.iter().map(|k| (*k).clone()).collect());
    }
    all_new.rollback().await?;
    let mut won = HashSet::new();
    for part in keys.chunks(Sql::ROWS_AT_ONCE) {
        claim_part(conn, org_id, part, &mut won).await?;
    }
    Ok(won)
}

/// The statement inserting `keys`, ending with `tail`.
fn insert_keys(org_id: &OrganisationId, keys: &[&Key], tail: &str) -> Sql {
    let now = crate::db::now();
    let mut sql = Sql::default();
    sql.push(
        "INSERT INTO notifications_sent (recipient_id, kind, subject, period, org_id, sent_at) ",
    )
    .rows_sharing(4, &[org_id.as_str(), &now], "");
    for key in keys {
        sql.values_row(
            &[key.recipient.as_str(), key.kind, &key.subject, &key.period],
            "",
        );
    }
    sql.end_rows()
        .push(" ON CONFLICT (recipient_id, kind, subject, period) DO NOTHING")
        .push(tail);
    sql
}

async fn claim_part(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    keys: &[&Key],
    won: &mut HashSet<Key>,
) -> Result<(), sqlx::Error> {
    if keys.is_empty() {
        return Ok(());
    }
    let sql = insert_keys(
        org_id,
        keys,
        " RETURNING recipient_id, kind, subject, period",
    );
    let rows: Vec<(PersonId, String, String, String)> = sql.fetch_all_on(conn).await?;
    for (recipient, kind, subject, period) in rows {
        if let Some(key) = keys.iter().find(|k| k.kind == kind) {
            won.insert(Key {
                recipient,
                kind: key.kind,
                subject,
                period,
            });
        }
    }
    Ok(())
}

/// A reminder log row about to be written.
pub struct LogRow<'a> {
    pub recipient: &'a PersonId,
    pub kind: &'static str,
    pub summary: &'a str,
    pub outbox_id: &'a EmailId,
}

/// Add `rows` to the reminder log, for the run of `day` (`YYYY-MM-DD`, ISO week `week`).
pub async fn log(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    day: &str,
    week: &str,
    rows: &[LogRow<'_>],
) -> Result<(), sqlx::Error> {
    let now = crate::db::now();
    for part in rows.chunks(Sql::ROWS_AT_ONCE) {
        let mut sql = Sql::default();
        sql.push("INSERT INTO reminder_log (id, recipient_id, kind, summary, outbox_id, org_id, day, week, queued_at) ")
            .rows_sharing(5, &[org_id.as_str(), day, week, &now], "");
        for row in part {
            let id = crate::db::ordered_id();
            sql.values_row(
                &[
                    id.as_str(),
                    row.recipient.as_str(),
                    row.kind,
                    row.summary,
                    row.outbox_id.as_str(),
                ],
                "",
            );
        }
        sql.end_rows().execute_on(conn).await?;
    }
    Ok(())
}

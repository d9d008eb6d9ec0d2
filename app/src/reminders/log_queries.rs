//! The reminder log's SQL: one page of an organisation's reminders, newest first, with
//! each recipient and each email's outbox row joined in (two queries: the count and the
//! page, whatever the page size). Portable SQL; every query takes the organisation.

use super::words::OutboxRow;
use crate::db::Db;
use crate::ids::{OrganisationId, PersonId};
use crate::people::queries::{like_pattern, Sql};
use crate::people::Paging;

/// Reminders on a page of the log.
pub const PER_PAGE: u32 = 50;

/// Which reminders, checked (see `service::log`).
pub struct LogQuery<'a> {
    pub org_id: &'a OrganisationId,
    /// Part of the recipient's name or email, any case.
    pub person: Option<&'a str>,
    pub person_id: Option<&'a PersonId>,
    /// An ISO week key, like 2026-W49.
    pub week: Option<&'a str>,
    pub page: u32,
}

/// One reminder as stored, with its recipient and outbox row.
pub struct LoggedReminder {
    pub queued_at: String,
    pub recipient_id: PersonId,
    pub recipient_name: String,
    pub recipient_email: String,
    pub kind: String,
    pub summary: String,
    pub outbox: OutboxRow,
}

type Row = (
    String,
    PersonId,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// ` FROM ... WHERE ...` for both queries (the outbox only for the page's columns), its
/// values bound in `sql`.
fn from_where(sql: &mut Sql, q: &LogQuery<'_>, with_outbox: bool) {
    // The user is joined within the organisation too: a row can only name its own people.
    sql.push(
        " FROM reminder_log l
          LEFT JOIN users u ON u.id = l.recipient_id AND u.org_id = l.org_id",
    );
    if with_outbox {
        sql.push(" LEFT JOIN outbox o ON o.id = l.outbox_id");
    }
    sql.push(" WHERE l.org_id = ").bind(q.org_id.as_str());
    if let Some(week) = q.week {
        sql.push(" AND l.week = ").bind(week);
    }
    if let Some(id) = q.person_id {
        sql.push(" AND l.recipient_id = ").bind(id.as_str());
    }
    if let Some(person) = q.person {
        let pattern = like_pattern(person);
        sql.push(" AND (LOWER(u.full_name) LIKE ")
            .bind(&pattern)
            .push(" ESCAPE '\\' OR LOWER(u.email) LIKE ")
            .bind(&pattern)
            .push(" ESCAPE '\\')");
    }
}

/// The page of the log asked for (past the end: the last page), with its paging.
pub async fn page(db: &Db, q: &LogQuery<'_>) -> Result<(Vec<LoggedReminder>, Paging), sqlx::Error> {
    let mut count = Sql::default();
    count.push("SELECT COUNT(*)");
    from_where(&mut count, q, false);
    let paging = Paging::new(q.page, PER_PAGE, count.count(db).await?);
    let mut sql = Sql::default();
    sql.push(
        "SELECT l.queued_at, l.recipient_id, u.full_name, u.email, l.kind, l.summary,
                o.id, o.sent_at, o.failed_at, o.attempts, o.next_attempt_at, o.last_error",
    );
    from_where(&mut sql, q, true);
    // One run queues many at the same moment: those by name, then id, so every row has
    // one place and none shows on two pages.
    sql.push(&format!(
        " ORDER BY l.queued_at DESC, LOWER(u.full_name), l.id LIMIT {} OFFSET {}",
        paging.per_page,
        paging.offset()
    ));
    let rows: Vec<Row> = sql.fetch_all(db).await?;
    Ok((rows.into_iter().map(from_row).collect(), paging))
}

fn from_row(row: Row) -> LoggedReminder {
    let (
        queued_at,
        recipient_id,
        name,
        email,
        kind,
        summary,
        id,
        sent,
        failed,
        attempts,
        next,
        error,
    ) = row;
    LoggedReminder {
        queued_at,
        recipient_id,
        recipient_name: name.unwrap_or_default(),
        recipient_email: email.unwrap_or_default(),
        kind,
        summary,
        outbox: OutboxRow {
            id,
            sent_at: sent,
            failed_at: failed,
            attempts,
            next_attempt_at: next,
            last_error: error,
        },
    }
}

//! Who is below whom in the line-manager chain, from staff records: one query each,
//! whatever the size of the team or the depth of the chain (a recursive CTE, which SQLite
//! and PostgreSQL both run). `UNION`, not `UNION ALL`: a person already found is not
//! walked again, so even a loop that slipped into the records ends.
//!
//! A line manager whose leaving date has come manages nobody any more (their people are
//! "exceptions" for the People department), so they see nobody below them.

use crate::db::Db;
use crate::ids::{OrganisationId, PersonId};

/// How far down from a line manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// The people they manage themselves.
    Direct,
    /// Everyone below them: their people, their people's people, and so on.
    Everyone,
}

/// ` AND` the manager `$n` has not left on the day `$n+1`.
fn not_left(manager: usize) -> String {
    format!(
        " AND NOT EXISTS (SELECT 1 FROM staff_records gone WHERE gone.user_id = ${manager}
             AND gone.leaving_date IS NOT NULL AND gone.leaving_date <= ${})",
        manager + 1
    )
}

/// The people below `manager` in the organisation on `today` (`YYYY-MM-DD`), never
/// `manager` themself.
pub async fn below(
    db: &Db,
    org_id: &OrganisationId,
    manager: &PersonId,
    reach: Reach,
    today: &str,
) -> Result<Vec<PersonId>, sqlx::Error> {
    let sql = match reach {
        Reach::Direct => format!(
            "SELECT r.user_id FROM staff_records r
             WHERE r.org_id = $1 AND r.line_manager_id = $2{}",
            not_left(3)
        ),
        Reach::Everyone => format!(
            "WITH RECURSIVE below (id) AS (
                 SELECT r.user_id FROM staff_records r
                 WHERE r.org_id = $1 AND r.line_manager_id = $2{}
               UNION
                 SELECT r.user_id FROM staff_records r
                 JOIN below b ON r.line_manager_id = b.id
                 WHERE r.org_id = $5
             )
             SELECT id FROM below",
            not_left(3)
        ),
    };
    let mut query = sqlx::query_as::<_, (PersonId,)>(&sql)
        .bind(org_id)
        .bind(manager)
        .bind(manager)
        .bind(today);
    if reach == Reach::Everyone {
        query = query.bind(org_id);
    }
    let rows = query.fetch_all(db).await?;
    // Never the manager themself, even if a loop in the records leads back to them.
    Ok(rows
        .into_iter()
        .map(|(id,)| id)
        .filter(|id| id != manager)
        .collect())
}

/// Whether `manager` is above `person` in the organisation's line-manager chain on
/// `today` (their manager, their manager's manager...). Walks up from the person: a
/// chain, not a tree.
pub async fn is_above(
    db: &Db,
    org_id: &OrganisationId,
    manager: &PersonId,
    person: &PersonId,
    today: &str,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "WITH RECURSIVE above (id) AS (
             SELECT r.line_manager_id FROM staff_records r
             WHERE r.org_id = $1 AND r.user_id = $2 AND r.line_manager_id IS NOT NULL
           UNION
             SELECT r.line_manager_id FROM staff_records r JOIN above a ON r.user_id = a.id
             WHERE r.org_id = $3 AND r.line_manager_id IS NOT NULL
         )
         SELECT CAST(COUNT(*) AS BIGINT) FROM above WHERE id = $4 AND id <> $5{}",
        not_left(6)
    );
    let (found,): (i64,) = sqlx::query_as(&sql)
        .bind(org_id)
        .bind(person)
        .bind(org_id)
        .bind(manager)
        .bind(person)
        .bind(manager)
        .bind(today)
        .fetch_one(db)
        .await?;
    Ok(found > 0)
}

//! Who is below whom in the line-manager chain, from staff records: one query each,
//! whatever the size of the team or the depth of the chain (a recursive CTE, which SQLite
//! and PostgreSQL both run). `UNION`, not `UNION ALL`: a person already found is not
//! walked again, so even a loop that slipped into the records ends.

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

/// The people below `manager` in the organisation, never `manager` themself.
pub async fn below(
    db: &Db,
    org_id: &OrganisationId,
    manager: &PersonId,
    reach: Reach,
) -> Result<Vec<PersonId>, sqlx::Error> {
    let rows: Vec<(PersonId,)> = match reach {
        Reach::Direct => {
            sqlx::query_as(
                "SELECT user_id FROM staff_records
                 WHERE org_id = $1 AND line_manager_id = $2 AND user_id <> $3",
            )
            .bind(org_id)
            .bind(manager)
            .bind(manager)
            .fetch_all(db)
            .await?
        }
        Reach::Everyone => {
            sqlx::query_as(
                "WITH RECURSIVE below (id) AS (
                     SELECT r.user_id FROM staff_records r
                     WHERE r.org_id = $1 AND r.line_manager_id = $2
                   UNION
                     SELECT r.user_id FROM staff_records r
                     JOIN below b ON r.line_manager_id = b.id
                     WHERE r.org_id = $3
                 )
                 SELECT id FROM below WHERE id <> $4",
            )
            .bind(org_id)
            .bind(manager)
            .bind(org_id)
            .bind(manager)
            .fetch_all(db)
            .await?
        }
    };
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Whether `manager` is above `person` in the organisation's line-manager chain (their
/// manager, their manager's manager...). Walks up from the person: a chain, not a tree.
pub async fn is_above(
    db: &Db,
    org_id: &OrganisationId,
    manager: &PersonId,
    person: &PersonId,
) -> Result<bool, sqlx::Error> {
    let (found,): (i64,) = sqlx::query_as(
        "WITH RECURSIVE above (id) AS (
             SELECT r.line_manager_id FROM staff_records r
             WHERE r.org_id = $1 AND r.user_id = $2 AND r.line_manager_id IS NOT NULL
           UNION
             SELECT r.line_manager_id FROM staff_records r JOIN above a ON r.user_id = a.id
             WHERE r.org_id = $3 AND r.line_manager_id IS NOT NULL
         )
         SELECT CAST(COUNT(*) AS BIGINT) FROM above WHERE id = $4 AND id <> $5",
    )
    .bind(org_id)
    .bind(person)
    .bind(org_id)
    .bind(manager)
    .bind(person)
    .fetch_one(db)
    .await?;
    Ok(found > 0)
}

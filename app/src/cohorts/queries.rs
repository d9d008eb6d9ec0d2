//! The data layer for cohorts. Every query names the organisation it is about; the pages'
//! reads are a fixed number of queries whatever the number of learners.

use crate::db::{self, Db};
use crate::ids::{CohortId, OrganisationId, PersonId};
use sqlx::AnyConnection;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CohortRow {
    pub id: CohortId,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub learners: i64,
    /// Whether the person asking is one of its tutors.
    pub taught: i64,
    /// The organisation's days from a learner's start to their induction's due day.
    pub induction_days: i64,
}

const COHORT_COLUMNS: &str = "SELECT c.id, c.name, c.starts_on, c.ends_on,
        (SELECT o.induction_days FROM organisations o WHERE o.id = c.org_id) AS induction_days,
        (SELECT COUNT(*) FROM cohort_learners m WHERE m.cohort_id = c.id AND m.left_at IS NULL) AS learners,
        (SELECT COUNT(*) FROM cohort_tutors t WHERE t.cohort_id = c.id AND t.user_id = $2) AS taught
     FROM cohorts c";

/// The organisation's cohorts by start day (newest first) then name; `only_taught` keeps
/// those `asker` teaches.
pub async fn cohorts(
    db: &Db,
    org_id: &OrganisationId,
    asker: &PersonId,
    only_taught: bool,
) -> Result<Vec<CohortRow>, sqlx::Error> {
    let rows: Vec<CohortRow> = sqlx::query_as(&format!(
        "{COHORT_COLUMNS} WHERE c.org_id = $1 ORDER BY c.starts_on DESC, c.name, c.id"
    ))
    .bind(org_id)
    .bind(asker)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|r| !only_taught || r.taught > 0)
        .collect())
}

/// One cohort of the organisation, if it exists there.
pub async fn cohort(
    db: &Db,
    org_id: &OrganisationId,
    cohort_id: &CohortId,
    asker: &PersonId,
) -> Result<Option<CohortRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{COHORT_COLUMNS} WHERE c.org_id = $1 AND c.id = $3"
    ))
    .bind(org_id)
    .bind(asker)
    .bind(cohort_id)
    .fetch_optional(db)
    .await
}

/// The tutors of the organisation's cohorts (or of one), as (cohort, name), by name.
pub async fn tutors(
    db: &Db,
    org_id: &OrganisationId,
    only: Option<&CohortId>,
) -> Result<Vec<(CohortId, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.cohort_id, u.full_name FROM cohort_tutors t JOIN users u ON u.id = t.user_id
         WHERE t.org_id = $1 AND ($2 IS NULL OR t.cohort_id = $2) ORDER BY u.full_name, u.id",
    )
    .bind(org_id)
    .bind(only)
    .fetch_all(db)
    .await
}

pub async fn insert_cohort(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    name: &str,
    starts_on: &str,
    ends_on: &str,
    by: &PersonId,
) -> Result<Option<CohortId>, sqlx::Error> {
    let id = CohortId::generate();
    let done = sqlx::query(
        "INSERT INTO cohorts (id, org_id, name, starts_on, ends_on, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, name) DO NOTHING",
    )
    .bind(&id)
    .bind(org_id)
    .bind(name)
    .bind(starts_on)
    .bind(ends_on)
    .bind(db::now())
    .bind(by)
    .execute(conn)
    .await?;
    Ok((done.rows_affected() == 1).then_some(id))
}

/// The active person of the organisation with this email and role, if any.
pub async fn person_with_role(
    db: &Db,
    org_id: &OrganisationId,
    email: &str,
    role: &str,
) -> Result<Option<PersonId>, sqlx::Error> {
    let found: Option<(PersonId,)> = sqlx::query_as(
        "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = $3
         WHERE u.org_id = $1 AND u.email = $2 AND u.deactivated_at IS NULL",
    )
    .bind(org_id)
    .bind(email)
    .bind(role)
    .fetch_optional(db)
    .await?;
    Ok(found.map(|(id,)| id))
}

pub async fn add_tutor(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    cohort_id: &CohortId,
    tutor: &PersonId,
    by: &PersonId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO cohort_tutors (cohort_id, user_id, org_id, added_at, added_by)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (cohort_id, user_id) DO NOTHING",
    )
    .bind(cohort_id)
    .bind(tutor)
    .bind(org_id)
    .bind(db::now())
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// Put the learner in the cohort (ending their time in any other) and record their
/// start date; enrolling makes them active again. Their progress is theirs and is not
/// touched.
pub async fn enrol(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    cohort_id: &CohortId,
    learner: &PersonId,
    start_on: &str,
    due_on: &str,
    by: &PersonId,
) -> Result<(), sqlx::Error> {
    let now = db::now();
    sqlx::query(
        "UPDATE cohort_learners SET left_at = $3
         WHERE user_id = $1 AND left_at IS NULL AND cohort_id <> $2",
    )
    .bind(learner)
    .bind(cohort_id)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO cohort_learners (cohort_id, user_id, org_id, joined_at, added_by)
         SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (
             SELECT 1 FROM cohort_learners WHERE cohort_id = $1 AND user_id = $2 AND left_at IS NULL)",
    )
    .bind(cohort_id)
    .bind(learner)
    .bind(org_id)
    .bind(&now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO learner_records (user_id, org_id, start_on, due_on, updated_at, updated_by)
         VALUES ($1, $2, $3, $6, $4, $5)
         ON CONFLICT (user_id) DO UPDATE SET start_on = $3, due_on = $6, updated_at = $4,
             updated_by = $5, status = 'active', break_from = NULL, break_to = NULL",
    )
    .bind(learner)
    .bind(org_id)
    .bind(start_on)
    .bind(&now)
    .bind(by)
    .bind(due_on)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How many days after their start a learner's induction is due, in this organisation.
pub async fn induction_days<'c, E>(conn: E, org_id: &OrganisationId) -> Result<i64, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let (days,): (i64,) = sqlx::query_as("SELECT induction_days FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_one(conn)
        .await?;
    Ok(days)
}

/// Set how many days after their start a learner's induction is due (for enrolments
/// from now on).
pub async fn set_induction_days(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    days: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE organisations SET induction_days = $2 WHERE id = $1")
        .bind(org_id)
        .bind(days)
        .execute(conn)
        .await?;
    Ok(())
}

pub use super::grid_queries::*;

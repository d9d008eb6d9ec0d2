//! The SQL about learners: their page (three queries whatever the learner has done), their
//! status, and what enrolment by file matches against. Every query names the organisation.

use crate::db::{self, Db};
use crate::ids::{CohortId, ModuleSlug, OrganisationId, PersonId};
use sqlx::AnyConnection;

/// A learner with their programme record and current cohort.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LearnerRow {
    pub id: PersonId,
    pub full_name: String,
    pub email: String,
    pub date_of_birth: Option<String>,
    pub start_on: Option<String>,
    pub due_on: Option<String>,
    pub status: Option<String>,
    pub break_from: Option<String>,
    pub break_to: Option<String>,
    pub cohort_id: Option<CohortId>,
    pub cohort_name: Option<String>,
    /// Whether the person asking teaches the learner's current cohort.
    pub taught: i64,
}

/// The organisation's learner (someone with the learner role), if they are one.
pub async fn learner(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    learner_id: &PersonId,
    asker: &PersonId,
) -> Result<Option<LearnerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.email, u.date_of_birth, r.start_on, r.due_on, r.status, r.break_from,
                r.break_to, c.id AS cohort_id, c.name AS cohort_name,
                (SELECT COUNT(*) FROM cohort_tutors t
                 WHERE t.cohort_id = m.cohort_id AND t.user_id = $3) AS taught
         FROM users u
         JOIN user_roles ur ON ur.user_id = u.id AND ur.org_id = u.org_id AND ur.role = 'learner'
         LEFT JOIN learner_records r ON r.user_id = u.id AND r.org_id = u.org_id
         LEFT JOIN cohort_learners m ON m.user_id = u.id AND m.left_at IS NULL
         LEFT JOIN cohorts c ON c.id = m.cohort_id AND c.org_id = u.org_id
         WHERE u.org_id = $1 AND u.id = $2",
    )
    .bind(org_id)
    .bind(learner_id)
    .bind(asker)
    .fetch_optional(conn)
    .await
}

/// A learner's progress in one module, every column.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProgressLine {
    pub module_id: ModuleSlug,
    pub sections_read: i64,
    pub attempts_started: i64,
    pub attempts_submitted: i64,
    pub best_score: Option<i64>,
    pub best_total: Option<i64>,
    pub passed_at: Option<String>,
    pub last_active_at: Option<String>,
}

pub async fn progress(db: &Db, learner_id: &PersonId) -> Result<Vec<ProgressLine>, sqlx::Error> {
    sqlx::query_as(
        "SELECT module_id, sections_read, attempts_started, attempts_submitted, best_score,
                best_total, passed_at, last_active_at
         FROM module_progress WHERE user_id = $1",
    )
    .bind(learner_id)
    .fetch_all(db)
    .await
}

/// The learner's signatures with what they signed, newest first: (signature id, title,
/// version number, signed at).
pub async fn signatures(
    db: &Db,
    org_id: &OrganisationId,
    learner_id: &PersonId,
) -> Result<Vec<(String, String, i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, v.title, v.number, s.signed_at FROM policy_signatures s
         JOIN policy_versions v ON v.id = s.version_id
         WHERE s.org_id = $1 AND s.user_id = $2 ORDER BY s.signed_at DESC",
    )
    .bind(org_id)
    .bind(learner_id)
    .fetch_all(db)
    .await
}

/// Every cohort the learner has been in, the latest first: (cohort, name, joined, left).
pub async fn history(
    db: &Db,
    org_id: &OrganisationId,
    learner_id: &PersonId,
) -> Result<Vec<(CohortId, String, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.name, m.joined_at, m.left_at FROM cohort_learners m
         JOIN cohorts c ON c.id = m.cohort_id
         WHERE m.org_id = $1 AND m.user_id = $2 ORDER BY m.joined_at DESC, c.name",
    )
    .bind(org_id)
    .bind(learner_id)
    .fetch_all(db)
    .await
}

/// The learner's record as a status change leaves it.
pub struct StatusChange<'a> {
    pub status: &'a str,
    pub due_on: &'a str,
    pub break_from: Option<&'a str>,
    pub break_to: Option<&'a str>,
}

/// Write a status change to the learner's record; false when they have none.
pub async fn set_status(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    learner_id: &PersonId,
    change: &StatusChange<'_>,
    by: &PersonId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE learner_records SET status = $3, due_on = $4, break_from = $5, break_to = $6,
                updated_at = $7, updated_by = $8
         WHERE org_id = $1 AND user_id = $2",
    )
    .bind(org_id)
    .bind(learner_id)
    .bind(change.status)
    .bind(change.due_on)
    .bind(change.break_from)
    .bind(change.break_to)
    .bind(db::now())
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An account of the organisation as enrolment matches it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: PersonId,
    pub email: String,
    pub full_name: String,
    pub is_learner: i64,
    pub deactivated_at: Option<String>,
    pub date_of_birth: Option<String>,
    pub status: Option<String>,
    pub cohort_id: Option<CohortId>,
}

/// Everyone in the organisation, with their learner record and current cohort: one query.
pub async fn accounts(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
) -> Result<Vec<AccountRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.email, u.full_name, u.deactivated_at, u.date_of_birth, r.status,
                m.cohort_id,
                (SELECT COUNT(*) FROM user_roles ur WHERE ur.user_id = u.id
                   AND ur.org_id = u.org_id AND ur.role = 'learner') AS is_learner
         FROM users u
         LEFT JOIN learner_records r ON r.user_id = u.id AND r.org_id = u.org_id
         LEFT JOIN cohort_learners m ON m.user_id = u.id AND m.left_at IS NULL
         WHERE u.org_id = $1",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await
}

/// The organisation's cohorts with whether `asker` teaches each: (id, name, taught).
pub async fn cohort_names(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    asker: &PersonId,
) -> Result<Vec<(CohortId, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.name, (SELECT COUNT(*) FROM cohort_tutors t
                               WHERE t.cohort_id = c.id AND t.user_id = $2)
         FROM cohorts c WHERE c.org_id = $1 ORDER BY c.name",
    )
    .bind(org_id)
    .bind(asker)
    .fetch_all(conn)
    .await
}

/// Keep the provider's own reference for the learner on their record.
pub async fn set_reference(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    learner_id: &PersonId,
    reference: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE learner_records SET reference = $3 WHERE org_id = $1 AND user_id = $2")
        .bind(org_id)
        .bind(learner_id)
        .bind(reference)
        .execute(conn)
        .await?;
    Ok(())
}

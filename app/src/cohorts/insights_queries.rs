//! The insights' SQL: two queries whatever the cohort's size.

use crate::db::Db;
use crate::ids::{CohortId, ModuleSlug, OrganisationId, PolicyVersionId};
use crate::people::queries::Sql;

/// An active learner of the cohort: how many of the modules they passed, their last first
/// pass, and their first signature of a version covering the current policy.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Completion {
    pub passed: i64,
    pub last_pass: Option<String>,
    pub signed_at: Option<String>,
}

pub async fn completions(
    db: &Db,
    org_id: &OrganisationId,
    cohort_id: &CohortId,
    modules: &[ModuleSlug],
    covering: &[PolicyVersionId],
) -> Result<Vec<Completion>, sqlx::Error> {
    let mut sql = Sql::default();
    sql.push(
        "SELECT (SELECT COUNT(*) FROM module_progress p WHERE p.user_id = m.user_id
                   AND p.passed_at IS NOT NULL AND p.module_id ",
    )
    .bind_in(modules)
    .push(
        ") AS passed,
            (SELECT MAX(p.passed_at) FROM module_progress p WHERE p.user_id = m.user_id
               AND p.module_id ",
    )
    .bind_in(modules)
    .push(
        ") AS last_pass,
            (SELECT MIN(s.signed_at) FROM policy_signatures s WHERE s.user_id = m.user_id
               AND s.version_id ",
    )
    .bind_in(covering)
    .push(
        ") AS signed_at
         FROM cohort_learners m LEFT JOIN learner_records r ON r.user_id = m.user_id
         WHERE m.left_at IS NULL AND COALESCE(r.status, 'active') = 'active'
           AND m.org_id = ",
    )
    .bind(org_id.as_str())
    .push(" AND m.cohort_id = ")
    .bind(cohort_id.as_str());
    sql.fetch_all(db).await
}

/// The first submitted attempt at each module of each current learner of the cohort, as
/// (module, answers JSON).
pub async fn first_attempts(
    db: &Db,
    org_id: &OrganisationId,
    cohort_id: &CohortId,
) -> Result<Vec<(ModuleSlug, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.module_id, a.answers FROM quiz_attempts a
         JOIN cohort_learners m ON m.user_id = a.user_id AND m.left_at IS NULL
         WHERE m.org_id = $1 AND m.cohort_id = $2 AND a.submitted_at IS NOT NULL
           AND a.submitted_at = (SELECT MIN(b.submitted_at) FROM quiz_attempts b
                                 WHERE b.user_id = a.user_id AND b.module_id = a.module_id
                                   AND b.submitted_at IS NOT NULL)",
    )
    .bind(org_id)
    .bind(cohort_id)
    .fetch_all(db)
    .await
}

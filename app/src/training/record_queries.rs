//! The SQL behind recording training by hand: the organisation's staff and requirements
//! as the briefing form, the completion editor and the back-fill import need them, and a
//! person's whole history (the back-fill's waiting file is in `crate::imports`). Every
//! query takes the organisation, so nothing of another organisation is ever read or
//! written. Each list is one query, whatever its size.

use crate::ids::{CompletionId, OrganisationId, PersonId, RequirementId};
use sqlx::AnyConnection;

/// A member of staff (anyone with a role other than learner), with what recording
/// training needs to know about them.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StaffMember {
    pub id: PersonId,
    pub full_name: String,
    pub email: String,
    pub employee_number: Option<String>,
    pub department: String,
    pub leaving_date: Option<String>,
    pub deactivated_at: Option<String>,
}

impl StaffMember {
    /// Still here on `day` (a `YYYY-MM-DD` key): active, and not left by then.
    pub fn present_on(&self, day: &str) -> bool {
        self.deactivated_at.is_none() && self.leaving_date.as_deref().is_none_or(|left| left > day)
    }
}

/// The organisation's staff, by name: one query.
pub async fn staff_members<'c, E>(
    conn: E,
    org_id: &OrganisationId,
) -> Result<Vec<StaffMember>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.email, r.employee_number,
                COALESCE(r.department, '') AS department, r.leaving_date, u.deactivated_at
         FROM users u
         LEFT JOIN staff_records r ON r.user_id = u.id AND r.org_id = u.org_id
         WHERE u.org_id = $1 AND EXISTS (
             SELECT 1 FROM user_roles ur
             WHERE ur.user_id = u.id AND ur.org_id = u.org_id AND ur.role <> 'learner')
         ORDER BY LOWER(u.full_name), u.email, u.id",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await
}

/// One member of staff of the organisation, or None (not staff, or not theirs).
pub async fn staff_member<'c, E>(
    conn: E,
    org_id: &OrganisationId,
    person_id: &PersonId,
) -> Result<Option<StaffMember>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.email, r.employee_number,
                COALESCE(r.department, '') AS department, r.leaving_date, u.deactivated_at
         FROM users u
         LEFT JOIN staff_records r ON r.user_id = u.id AND r.org_id = u.org_id
         WHERE u.org_id = $1 AND u.id = $2 AND EXISTS (
             SELECT 1 FROM user_roles ur
             WHERE ur.user_id = u.id AND ur.org_id = u.org_id AND ur.role <> 'learner')",
    )
    .bind(org_id)
    .bind(person_id)
    .fetch_optional(conn)
    .await
}

/// (person, their line manager) for everyone in the organisation who has one: one query.
pub async fn line_managers<'c, E>(
    conn: E,
    org_id: &OrganisationId,
) -> Result<Vec<(PersonId, PersonId)>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT user_id, line_manager_id FROM staff_records
         WHERE org_id = $1 AND line_manager_id IS NOT NULL",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await
}

/// A requirement as the recording forms list it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RequirementName {
    pub id: RequirementId,
    pub name: String,
    /// As stored: `module`, `any-module`, `external-course`, `briefing`, `document`.
    pub satisfied_by: String,
    pub retired_at: Option<String>,
}

/// Every requirement of the organisation, retired ones too (their history stays), in
/// the order shown: one query.
pub async fn requirement_names<'c, E>(
    conn: E,
    org_id: &OrganisationId,
) -> Result<Vec<RequirementName>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT id, name, satisfied_by, retired_at FROM training_requirements
         WHERE org_id = $1 ORDER BY position, name, id",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await
}

/// (person, requirement, day) of every standing completion in the organisation: rows
/// with a day that no later row supersedes. One query.
pub async fn standing_days<'c, E>(
    conn: E,
    org_id: &OrganisationId,
) -> Result<Vec<(PersonId, RequirementId, String)>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT c.user_id, c.requirement_id, c.completed_on FROM training_completions c
         WHERE c.org_id = $1 AND c.completed_on IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM training_completions s WHERE s.supersedes = c.id)",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await
}

/// One row of a person's history, with who recorded it and what superseded it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct HistoryRow {
    pub id: CompletionId,
    pub requirement_id: RequirementId,
    pub completed_on: Option<String>,
    pub source: String,
    pub reference: Option<String>,
    pub supersedes: Option<CompletionId>,
    pub reason: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: String,
    pub superseded_by: Option<CompletionId>,
}

/// Every completion row of the person, oldest first: one query.
pub async fn history_rows<'c, E>(
    conn: E,
    org_id: &OrganisationId,
    person_id: &PersonId,
) -> Result<Vec<HistoryRow>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT c.id, c.requirement_id, c.completed_on, c.source, c.reference, c.supersedes,
                c.reason, b.full_name AS recorded_by, c.recorded_at, s.id AS superseded_by
         FROM training_completions c
         LEFT JOIN users b ON b.id = c.recorded_by AND b.org_id = c.org_id
         LEFT JOIN training_completions s ON s.supersedes = c.id AND s.org_id = c.org_id
         WHERE c.org_id = $1 AND c.user_id = $2
         ORDER BY c.recorded_at, c.id",
    )
    .bind(org_id)
    .bind(person_id)
    .fetch_all(conn)
    .await
}

/// One completion row of the person, with whether it still stands.
pub async fn completion_of(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    person_id: &PersonId,
    completion_id: &CompletionId,
) -> Result<Option<HistoryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.requirement_id, c.completed_on, c.source, c.reference, c.supersedes,
                c.reason, CAST(NULL AS TEXT) AS recorded_by, c.recorded_at,
                s.id AS superseded_by
         FROM training_completions c
         LEFT JOIN training_completions s ON s.supersedes = c.id
         WHERE c.org_id = $1 AND c.user_id = $2 AND c.id = $3",
    )
    .bind(org_id)
    .bind(person_id)
    .bind(completion_id)
    .fetch_optional(conn)
    .await
}

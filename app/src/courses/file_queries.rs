//! The SQL behind a certificate download: whose course it is, whether the asker is above
//! them in the line-manager chain, and the file. Every query takes the organisation.

use crate::db::Db;
use crate::ids::{ExternalCourseId, OrganisationId, PersonId};

/// A course's certificate file, for whoever may open it.
#[derive(Debug, sqlx::FromRow)]
pub struct CertificateFile {
    pub user_id: PersonId,
    pub content_type: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Who the course belongs to (to decide whether the asker may open its file).
pub async fn course_owner(
    db: &Db,
    org_id: &OrganisationId,
    id: &ExternalCourseId,
) -> Result<Option<PersonId>, sqlx::Error> {
    let row: Option<(PersonId,)> =
        sqlx::query_as("SELECT user_id FROM external_courses WHERE org_id = $1 AND id = $2")
            .bind(org_id)
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(id,)| id))
}

/// Whether `manager` is above `person` in the organisation's line-manager chain (their
/// manager, their manager's manager, and so on). Loops are refused when records are
/// saved; the depth limit keeps a loop made some other way from running for ever.
pub async fn is_above(
    db: &Db,
    org_id: &OrganisationId,
    manager: &PersonId,
    person: &PersonId,
) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "WITH RECURSIVE chain (manager_id, depth) AS (
             SELECT line_manager_id, 1 FROM staff_records
             WHERE org_id = $1 AND user_id = $2 AND line_manager_id IS NOT NULL
             UNION ALL
             SELECT s.line_manager_id, c.depth + 1
             FROM staff_records s JOIN chain c ON s.user_id = c.manager_id
             WHERE s.org_id = $3 AND s.line_manager_id IS NOT NULL AND c.depth < 100
         )
         SELECT COUNT(*) FROM chain WHERE manager_id = $4",
    )
    .bind(org_id)
    .bind(person)
    .bind(org_id)
    .bind(manager)
    .fetch_one(db)
    .await?;
    Ok(n > 0)
}

pub async fn certificate(
    db: &Db,
    org_id: &OrganisationId,
    id: &ExternalCourseId,
) -> Result<Option<CertificateFile>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.user_id, f.content_type, f.file_name, f.bytes
         FROM external_courses c JOIN evidence_files f ON f.id = c.evidence_id AND f.org_id = c.org_id
         WHERE c.org_id = $1 AND c.id = $2",
    )
    .bind(org_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

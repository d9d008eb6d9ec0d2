//! Files waiting between an import's preview and its confirmation, for every import (the
//! HR import of staff, the back-fill of historic completions): the SQL over
//! `import_uploads`.
//!
//! Kept in the database rather than in the session because the session row is read on
//! every request, and a file may be 1 MB: it would be loaded again and again until the
//! import is confirmed or cancelled. One file per person, organisation and kind of import.
//! Every query takes the organisation and the person, so nobody ever reads a file of
//! another organisation, or of anyone but themselves.

use crate::db;
use crate::ids::{OrganisationId, PersonId};

/// Which import a waiting file belongs to: a person may have one of each waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// The HR import of staff records (`/staff/import`), with a column mapping.
    HrImport,
    /// The back-fill of historic completions (`/training/import`), without one.
    TrainingBackfill,
    /// Learners enrolled in cohorts from a file (`/cohorts/enrol`), without one.
    CohortEnrolment,
}

impl ImportKind {
    /// As stored in `import_uploads.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::HrImport => "hr-import",
            ImportKind::TrainingBackfill => "training-backfill",
            ImportKind::CohortEnrolment => "cohort-enrolment",
        }
    }
}

/// What a file is called when it was pasted without a name.
pub const PASTED: &str = "pasted text";

/// A file waiting for its confirmation.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct WaitingFile {
    pub file_name: String,
    pub csv: String,
    /// The import's column mapping (JSON), for an import with a mapping step.
    pub mapping: Option<String>,
}

/// Keep `csv` as the person's waiting file of this kind, replacing any before it (one
/// statement, so two previews at once leave one file, never an error).
pub async fn keep<'c, E>(
    conn: E,
    org_id: &OrganisationId,
    user_id: &PersonId,
    kind: ImportKind,
    file_name: &str,
    csv: &str,
    mapping: Option<&str>,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO import_uploads (org_id, user_id, kind, file_name, csv, mapping, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (org_id, user_id, kind) DO UPDATE
         SET file_name = excluded.file_name, csv = excluded.csv, mapping = excluded.mapping,
             uploaded_at = excluded.uploaded_at",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(kind.as_str())
    .bind(file_name)
    .bind(csv)
    .bind(mapping)
    .bind(db::now())
    .execute(conn)
    .await?;
    Ok(())
}

/// The person's waiting file of this kind, if any.
pub async fn waiting<'c, E>(
    conn: E,
    org_id: &OrganisationId,
    user_id: &PersonId,
    kind: ImportKind,
) -> Result<Option<WaitingFile>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT file_name, csv, mapping FROM import_uploads
         WHERE org_id = $1 AND user_id = $2 AND kind = $3",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(kind.as_str())
    .fetch_optional(conn)
    .await
}

/// Change the column mapping (JSON) of the person's waiting file; false if none waits.
pub async fn set_mapping<'c, E>(
    conn: E,
    org_id: &OrganisationId,
    user_id: &PersonId,
    kind: ImportKind,
    mapping: &str,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "UPDATE import_uploads SET mapping = $4
         WHERE org_id = $1 AND user_id = $2 AND kind = $3",
    )
    .bind(org_id)
    .bind(user_id)
    .bind(kind.as_str())
    .bind(mapping)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Forget the person's waiting file of this kind; true if there was one.
pub async fn forget<'c, E>(
    conn: E,
    org_id: &OrganisationId,
    user_id: &PersonId,
    kind: ImportKind,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done =
        sqlx::query("DELETE FROM import_uploads WHERE org_id = $1 AND user_id = $2 AND kind = $3")
            .bind(org_id)
            .bind(user_id)
            .bind(kind.as_str())
            .execute(conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

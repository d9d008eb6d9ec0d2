//! Files waiting between an import's preview and its confirmation, for every import (the
//! HR import of staff, the back-fill of historic completions, enrolment by file): the SQL
//! over `import_uploads`, and the steps the imports without a column mapping share.
//!
//! Kept in the database rather than in the session because the session row is read on
//! every request, and a file may be 1 MB: it would be loaded again and again until the
//! import is confirmed or cancelled. One file per person, organisation and kind of import.
//! Every query takes the organisation and the person, so nobody ever reads a file of
//! another organisation, or of anyone but themselves.

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::ids::{OrganisationId, PersonId};
use crate::state::AppState;
use crate::{audit, db};

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

/// The longest file name kept with a waiting file.
pub const MAX_FILE_NAME: usize = 200;

/// The file name as given (spaces tidied), or [`PASTED`] when none was.
pub fn file_name_of(text: &str) -> Result<String, AppError> {
    let name: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.chars().count() > MAX_FILE_NAME || name.chars().any(char::is_control) {
        return Err(AppError::invalid(format!(
            "File name: use at most {MAX_FILE_NAME} letters, numbers and spaces."
        )));
    }
    Ok(if name.is_empty() {
        PASTED.to_string()
    } else {
        name
    })
}

/// The shared steps of an import with a preview and no column mapping (the back-fill,
/// enrolment by file): keeping the file for its preview, cancelling, and refusing to
/// confirm a file with problems. Each step is in the audit trail.
pub struct Steps {
    pub kind: ImportKind,
    /// The import's page, where each step returns.
    pub page: &'static str,
    pub previewed: audit::Action,
    pub cancelled: audit::Action,
    /// What confirming without a waiting file says, like "Paste the CSV file first."
    pub nothing_waiting: &'static str,
    /// What a refused confirmation ends with, like "Nothing was imported."
    pub nothing_done: &'static str,
}

impl Steps {
    /// Keep `csv` (already read and its headings checked) as the asker's waiting file,
    /// then show its preview.
    pub async fn keep_for_preview(
        &self,
        state: &AppState,
        user: &CurrentUser,
        file_name: &str,
        csv: &str,
        rows: usize,
    ) -> Result<(), AppError> {
        let file_name = file_name_of(file_name)?;
        let mut tx = db::begin(&state.db).await?;
        let (org, me) = (&user.org_id, &user.id);
        keep(&mut *tx, org, me, self.kind, &file_name, csv, None).await?;
        let detail = format!("rows={rows} file={file_name}");
        audit::record(&mut tx, org, Some(me), self.previewed, None, &detail).await?;
        tx.commit().await?;
        leptos_axum::redirect(&format!("{}#preview", self.page));
        Ok(())
    }

    /// Forget the asker's waiting file (recorded only when there was one).
    pub async fn cancel(&self, state: &AppState, user: &CurrentUser) -> Result<(), AppError> {
        let mut tx = db::begin(&state.db).await?;
        if forget(&mut *tx, &user.org_id, &user.id, self.kind).await? {
            let action = self.cancelled;
            audit::record(&mut tx, &user.org_id, Some(&user.id), action, None, "").await?;
        }
        tx.commit().await?;
        leptos_axum::redirect(self.page);
        Ok(())
    }

    /// The asker's waiting file, for confirming inside `conn`'s transaction.
    pub async fn waiting_to_confirm(
        &self,
        conn: &mut sqlx::AnyConnection,
        user: &CurrentUser,
    ) -> Result<WaitingFile, AppError> {
        waiting(conn, &user.org_id, &user.id, self.kind)
            .await?
            .ok_or_else(|| AppError::invalid(self.nothing_waiting))
    }

    /// Refuse to confirm a file that still has problems (their lines, in order).
    pub fn refuse_problems(&self, lines: impl IntoIterator<Item = usize>) -> Result<(), AppError> {
        let mut lines = lines.into_iter();
        let Some(first) = lines.next() else {
            return Ok(());
        };
        let count = 1 + lines.count();
        Err(AppError::invalid(format!(
            "The file has {count} problem{} (the first on line {first}). {}",
            if count == 1 { "" } else { "s" },
            self.nothing_done
        )))
    }
}

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

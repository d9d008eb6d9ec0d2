//! The back-fill's steps: every one starts with the guard and works only inside the
//! asker's organisation; the waiting file is the asker's own.

use super::checks::{check, columns, Known, Plan};
use super::*;
use crate::auth::CurrentUser;
use crate::calendar;
use crate::csv_table::{read, Limits, Table};
use crate::ids::{PersonId, RequirementId};
use crate::imports::{self, ImportKind, Steps};
use crate::training::queries::{record_completion, NewCompletion};
use crate::training::record_queries::{requirement_names, staff_members, standing_days};
use crate::training::recording::{recorder, source_for};
use crate::{audit, db};
use sqlx::AnyConnection;
use std::collections::HashSet;

const PAGE: &str = "/training/import";
const KIND: ImportKind = ImportKind::TrainingBackfill;
const STEPS: Steps = Steps {
    kind: KIND,
    page: PAGE,
    previewed: audit::Action::CompletionsImportPreviewed,
    cancelled: audit::Action::CompletionsImportCancelled,
    nothing_waiting: "Paste the CSV file first.",
    nothing_done: "Nothing was imported.",
};

fn parse(text: &str) -> Result<Table, AppError> {
    read(
        text,
        Limits {
            max_bytes: MAX_BYTES,
            max_rows: MAX_ROWS,
            rows_of: "completions",
        },
    )
}

/// Check the file against the organisation as it is now, on `conn` (inside the
/// confirming transaction, so nothing changes under it).
async fn plan(conn: &mut AnyConnection, user: &CurrentUser, csv: &str) -> Result<Plan, AppError> {
    let table = parse(csv)?;
    let columns = columns(&table.headings)?;
    let staff = staff_members(&mut *conn, &user.org_id).await?;
    let requirements = requirement_names(&mut *conn, &user.org_id).await?;
    let standing: HashSet<(PersonId, RequirementId, String)> =
        standing_days(&mut *conn, &user.org_id)
            .await?
            .into_iter()
            .collect();
    let known = Known {
        staff: &staff,
        requirements: &requirements,
        standing: &standing,
        today: calendar::today(),
    };
    Ok(check(&table, columns, &known))
}

pub async fn state() -> Result<BackfillView, AppError> {
    let (user, state) = recorder().await?;
    let mut conn = state.db.acquire().await?;
    let Some(file) = imports::waiting(&mut *conn, &user.org_id, &user.id, KIND).await? else {
        return Ok(BackfillView { preview: None });
    };
    let plan = plan(&mut conn, &user, &file.csv).await?;
    Ok(BackfillView {
        preview: Some(plan.preview(file.file_name)),
    })
}

pub async fn upload(csv: String, file_name: String) -> Result<(), AppError> {
    let (user, state) = recorder().await?;
    // Refused here, with what is wrong, rather than kept for a preview that cannot be.
    let table = parse(&csv)?;
    columns(&table.headings)?;
    let rows = table.rows.len();
    STEPS
        .keep_for_preview(&state, &user, &file_name, &csv, rows)
        .await
}

pub async fn cancel() -> Result<(), AppError> {
    let (user, state) = recorder().await?;
    STEPS.cancel(&state, &user).await
}

pub async fn confirm() -> Result<usize, AppError> {
    let (user, state) = recorder().await?;
    let mut tx = db::begin(&state.db).await?;
    let file = STEPS.waiting_to_confirm(&mut tx, &user).await?;
    // Checked again inside the transaction, against the records as they are now.
    let plan = plan(&mut tx, &user, &file.csv).await?;
    STEPS.refuse_problems(plan.problems.iter().map(|p| p.line))?;
    let reason = format!("Imported at go-live from {}", file.file_name);
    for row in &plan.rows {
        let written = record_completion(
            &mut tx,
            &NewCompletion {
                org_id: &user.org_id,
                user_id: &row.person_id,
                requirement_id: &row.requirement_id,
                completed_on: row.completed_on,
                source: source_for(&row.satisfied_by),
                reference: row.reference.as_deref(),
                reason: Some(&reason),
                recorded_by: Some(&user.id),
            },
        )
        .await?;
        if written.is_none() {
            return Err(AppError::internal(format!(
                "checked back-fill line {} was not recorded",
                row.line
            )));
        }
    }
    imports::forget(&mut *tx, &user.org_id, &user.id, KIND).await?;
    audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        audit::Action::CompletionsImported,
        None,
        &format!("rows={} file={}", plan.rows.len(), file.file_name),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("{PAGE}?imported={}#result", plan.rows.len()));
    Ok(plan.rows.len())
}

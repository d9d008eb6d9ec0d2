//! The import's steps: every one starts with the guard and works only inside the
//! asker's organisation.

use super::*;
use crate::auth::{guard, Capability, CurrentUser};
use crate::ids::PersonId;
use crate::imports::{self, ImportKind, PASTED};
use crate::staff::import_queries as queries;
use crate::state::{app_state, AppState};
use crate::{audit, calendar, db};
use std::collections::HashMap;

/// The last import's result (its counts and who the file left out), shown until the next
/// file is previewed, is kept in the session; the file itself waits in `import_uploads`
/// (see `crate::imports`), so the session stays small while it waits.
const OUTCOME_KEY: &str = "staff_import.outcome";
const KIND: ImportKind = ImportKind::HrImport;

/// The asker's waiting file, read.
struct Upload {
    csv: String,
    mapping: Mapping,
}

async fn people() -> Result<(CurrentUser, AppState, tower_sessions::Session), AppError> {
    let user = guard::allowed(Capability::ManageStaffRecords).await?;
    Ok((user, app_state()?, guard::session().await?))
}

/// The asker's own waiting file, in their organisation, if any.
async fn waiting<'c, E>(conn: E, user: &CurrentUser) -> Result<Option<Upload>, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let Some(file) = imports::waiting(conn, &user.org_id, &user.id, KIND).await? else {
        return Ok(None);
    };
    // Always written by `upload`, so a mapping that does not read is our fault.
    let mapping = file
        .mapping
        .as_deref()
        .map(serde_json::from_str::<Mapping>)
        .transpose()
        .map_err(AppError::internal)?
        .unwrap_or_default();
    Ok(Some(Upload {
        csv: file.csv,
        mapping,
    }))
}

fn mapping_json(mapping: &Mapping) -> Result<String, AppError> {
    serde_json::to_string(mapping).map_err(AppError::internal)
}

pub async fn state() -> Result<ImportView, AppError> {
    let (user, state, session) = people().await?;
    let outcome: Option<Outcome> = session
        .get_value(OUTCOME_KEY)
        .await
        .map_err(AppError::from)?
        .and_then(|v| serde_json::from_value(v).ok());
    let preview = match waiting(&state.db, &user).await? {
        Some(upload) => {
            let table = parse(&upload.csv)?;
            let existing = queries::people_in_org(&state.db, &user.org_id).await?;
            let plan = check(&table, &upload.mapping, &existing, calendar::today());
            Some(plan.preview(&table, &upload.mapping, &existing))
        }
        None => None,
    };
    Ok(ImportView { preview, outcome })
}

pub async fn upload(csv: String) -> Result<(), AppError> {
    let (user, state, session) = people().await?;
    let table = parse(&csv)?;
    let saved = queries::saved_mapping(&state.db, &user.org_id)
        .await?
        .and_then(|json| serde_json::from_str::<Mapping>(&json).ok());
    let mapping = mapping_json(&offered(saved.as_ref(), &table.headings))?;
    // A pasted export has no name (the page's file picker only fills the text box).
    imports::keep(
        &state.db,
        &user.org_id,
        &user.id,
        KIND,
        PASTED,
        &csv,
        Some(&mapping),
    )
    .await?;
    session
        .remove_value(OUTCOME_KEY)
        .await
        .map_err(AppError::from)?;
    leptos_axum::redirect("/staff/import#preview");
    Ok(())
}

pub async fn set_mapping(mapping: Mapping) -> Result<(), AppError> {
    let (user, state, _session) = people().await?;
    let upload = waiting(&state.db, &user)
        .await?
        .ok_or_else(|| AppError::invalid("Paste the CSV export first."))?;
    let table = parse(&upload.csv)?;
    if mapping.values().any(|h| !table.headings.contains(h)) {
        return Err(AppError::invalid(
            "Choose columns from the file's headings.",
        ));
    }
    let json = mapping_json(&mapping)?;
    if !imports::set_mapping(&state.db, &user.org_id, &user.id, KIND, &json).await? {
        // Confirmed or cancelled (in another tab) since it was read just now.
        return Err(AppError::invalid("Paste the CSV export first."));
    }
    leptos_axum::redirect("/staff/import#preview");
    Ok(())
}

pub async fn cancel() -> Result<(), AppError> {
    let (user, state, _session) = people().await?;
    imports::forget(&state.db, &user.org_id, &user.id, KIND).await?;
    leptos_axum::redirect("/staff/import");
    Ok(())
}

pub async fn confirm(send_invitations: bool) -> Result<Outcome, AppError> {
    let (user, state, session) = people().await?;
    let mut tx = db::begin(&state.db).await?;
    let upload = waiting(&mut *tx, &user)
        .await?
        .ok_or_else(|| AppError::invalid("Paste the CSV export first."))?;
    let table = parse(&upload.csv)?;
    let today = calendar::today();
    // Checked again inside the transaction, against the records as they are now.
    let existing = queries::people_in_org(&mut *tx, &user.org_id).await?;
    let plan = check(&table, &upload.mapping, &existing, today);
    if let Some(first) = plan.problems.first() {
        return Err(AppError::invalid(format!(
            "The file has {} problem{} (the first on line {}). Nothing was imported.",
            plan.problems.len(),
            if plan.problems.len() == 1 { "" } else { "s" },
            first.line
        )));
    }
    let outcome = save(&mut tx, &state, &user, &plan, &existing, send_invitations).await;
    let outcome = match outcome {
        Ok(o) => o,
        Err(Saving::Db(e)) if db::is_unique_violation(&e) => {
            return Err(AppError::invalid(
                "Someone changed these people while you were importing (an email or employee number is now taken). Nothing was imported: look at the preview again.",
            ))
        }
        Err(Saving::Db(e)) => return Err(e.into()),
        Err(Saving::App(e)) => return Err(e),
    };
    let outcome = Outcome {
        missing: plan.missing(&existing, today),
        ..outcome
    };
    let mapping = mapping_json(&upload.mapping)?;
    queries::save_mapping(&mut tx, &user.org_id, &mapping, &user.id).await?;
    // Gone with the same commit that saves its rows, so it cannot be confirmed twice.
    imports::forget(&mut *tx, &user.org_id, &user.id, KIND).await?;
    audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        audit::Action::StaffImported,
        None,
        &format!(
            "rows={} created={} updated={} invited={}",
            plan.rows.len(),
            outcome.created,
            outcome.updated,
            outcome.invited
        ),
    )
    .await?;
    tx.commit().await?;
    session
        .insert(OUTCOME_KEY, outcome.clone())
        .await
        .map_err(AppError::from)?;
    leptos_axum::redirect("/staff/import?done=imported#result");
    Ok(outcome)
}

enum Saving {
    Db(sqlx::Error),
    App(AppError),
}

impl From<sqlx::Error> for Saving {
    fn from(e: sqlx::Error) -> Self {
        Saving::Db(e)
    }
}

async fn save(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    plan: &Plan,
    existing: &[Existing],
    send_invitations: bool,
) -> Result<Outcome, Saving> {
    let by_id: HashMap<&str, &Existing> = existing.iter().map(|p| (p.id.as_str(), p)).collect();
    // First everyone gets an account, so managers can point at new people.
    let mut ids: Vec<PersonId> = Vec::with_capacity(plan.rows.len());
    let (mut created, mut invited) = (0, 0);
    for row in &plan.rows {
        let id = match &row.target {
            Target::Existing(id) => PersonId::from_param(id.clone()),
            Target::New => {
                let email = row.email.as_deref().unwrap_or_default();
                let name = row.full_name.as_deref().unwrap_or_default();
                let id = crate::admin::queries::insert_user(conn, &user.org_id, email, name, None)
                    .await?;
                crate::admin::queries::add_role(conn, &user.org_id, &id, row.role).await?;
                created += 1;
                if send_invitations {
                    crate::admin::service::send_invitation(conn, state, user, &id, email, name)
                        .await
                        .map_err(Saving::App)?;
                    invited += 1;
                }
                id
            }
        };
        ids.push(id);
    }
    let now = db::now();
    let day = |d: Option<chrono::NaiveDate>| d.map(calendar::day_key);
    for (i, row) in plan.rows.iter().enumerate() {
        let id = &ids[i];
        let manager = row.manager.as_ref().map(|m| match m {
            ManagerRef::Row(r) => ids[*r].clone(),
            ManagerRef::Existing(id) => PersonId::from_param(id.clone()),
        });
        if let Target::Existing(eid) = &row.target {
            // Someone here without a staff role yet (a learner's account) becomes staff.
            if by_id.get(eid.as_str()).is_some_and(|p| !p.is_staff) {
                crate::admin::queries::add_role(conn, &user.org_id, id, row.role).await?;
            }
            queries::update_account(
                conn,
                &user.org_id,
                id,
                row.email.as_deref(),
                row.full_name.as_deref(),
            )
            .await?;
        }
        let change = queries::RecordChange {
            employee_number: row.employee_number.as_deref(),
            job_title: row.job_title.as_deref(),
            department: row.department.as_deref(),
            start_date: day(row.start_date),
            line_manager_id: manager.as_ref(),
            leaving_date: day(row.leaving_date),
            updated_at: &now,
            updated_by: &user.id,
        };
        let has_record = match &row.target {
            Target::Existing(eid) => by_id.get(eid.as_str()).is_some_and(|p| p.has_record),
            Target::New => false,
        };
        if has_record {
            queries::update_record(conn, &user.org_id, id, &change).await?;
        } else {
            queries::insert_record(conn, &user.org_id, id, &change).await?;
        }
    }
    Ok(Outcome {
        created,
        updated: plan.rows.len() - created,
        invited,
        missing: Vec::new(),
    })
}

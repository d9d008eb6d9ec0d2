//! Enrolment by file, step by step: every step starts with the guard and works only inside
//! the asker's organisation; the waiting file is the asker's own.

use super::checks::{check, columns, Account, CohortName, Known, Learner, Plan};
use super::*;
use crate::admin::queries::{add_role, insert_user, set_date_of_birth};
use crate::auth::{guard, Capability, CurrentUser, Role};
use crate::cohorts::learner::queries::{accounts, cohort_names, set_reference};
use crate::cohorts::queries::{enrol, induction_days};
use crate::cohorts::service::due_day;
use crate::cohorts::status::LearnerStatus;
use crate::csv_table::{read, Limits, Table};
use crate::ids::PersonId;
use crate::imports::{self, ImportKind, Steps};
use crate::state::{app_state, AppState};
use crate::{audit, calendar, db};
use sqlx::AnyConnection;

const PAGE: &str = "/cohorts/enrol";
const KIND: ImportKind = ImportKind::CohortEnrolment;
const STEPS: Steps = Steps {
    kind: KIND,
    page: PAGE,
    previewed: audit::Action::EnrolmentPreviewed,
    cancelled: audit::Action::EnrolmentCancelled,
    nothing_waiting: "Paste the file of learners first.",
    nothing_done: "Nobody was enrolled.",
};

async fn enroller() -> Result<(CurrentUser, AppState), AppError> {
    let user = guard::allowed(Capability::EnrolLearners).await?;
    Ok((user, app_state()?))
}

fn parse(text: &str) -> Result<Table, AppError> {
    read(
        text,
        Limits {
            max_bytes: MAX_BYTES,
            max_rows: MAX_ROWS,
            rows_of: "learners",
        },
    )
}

/// The cohorts `user` may see, with whether they may enrol into each.
async fn cohorts_for(
    conn: &mut AnyConnection,
    user: &CurrentUser,
) -> Result<Vec<CohortName>, AppError> {
    let any = user.can(Capability::ManageCohorts);
    Ok(cohort_names(conn, &user.org_id, &user.id)
        .await?
        .into_iter()
        .map(|(id, name, taught)| CohortName {
            id,
            name,
            may_enrol: any || taught > 0,
        })
        .collect())
}

/// Check the file against the organisation as it is now, on `conn` (inside the
/// confirming transaction, so nothing changes under it).
async fn plan(conn: &mut AnyConnection, user: &CurrentUser, csv: &str) -> Result<Plan, AppError> {
    let table = parse(csv)?;
    let columns = columns(&table.headings)?;
    let cohorts = cohorts_for(conn, user).await?;
    let accounts: Vec<Account> = accounts(conn, &user.org_id)
        .await?
        .into_iter()
        .map(|a| Account {
            id: a.id,
            email: a.email.to_lowercase(),
            full_name: a.full_name,
            is_learner: a.is_learner > 0,
            deactivated: a.deactivated_at.is_some(),
            date_of_birth: a.date_of_birth.as_deref().and_then(calendar::parse_day),
            status: a.status.as_deref().and_then(LearnerStatus::parse),
            cohort: a.cohort_id,
        })
        .collect();
    let known = Known {
        accounts: &accounts,
        cohorts: &cohorts,
        today: calendar::today(),
    };
    Ok(check(&table, columns, &known))
}

pub async fn state() -> Result<EnrolmentView, AppError> {
    let (user, state) = enroller().await?;
    let mut conn = state.db.acquire().await?;
    let cohorts = cohorts_for(&mut conn, &user)
        .await?
        .into_iter()
        .filter(|c| c.may_enrol)
        .map(|c| c.name)
        .collect();
    let Some(file) = imports::waiting(&mut *conn, &user.org_id, &user.id, KIND).await? else {
        return Ok(EnrolmentView {
            preview: None,
            cohorts,
        });
    };
    let plan = plan(&mut conn, &user, &file.csv).await?;
    Ok(EnrolmentView {
        preview: Some(plan.preview(file.file_name)),
        cohorts,
    })
}

pub async fn upload(csv: String, file_name: String) -> Result<(), AppError> {
    let (user, state) = enroller().await?;
    // Refused here, with what is wrong, rather than kept for a preview that cannot be.
    let table = parse(&csv)?;
    columns(&table.headings)?;
    let rows = table.rows.len();
    STEPS
        .keep_for_preview(&state, &user, &file_name, &csv, rows)
        .await
}

pub async fn cancel() -> Result<(), AppError> {
    let (user, state) = enroller().await?;
    STEPS.cancel(&state, &user).await
}

/// The account a planned row enrols: a new one (with the learner role, their date of
/// birth and an invitation through the outbox), or the existing one.
async fn account_for(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    learner: &Learner,
) -> Result<(PersonId, bool), AppError> {
    let org = &user.org_id;
    match learner {
        Learner::Existing { id, date_of_birth } => {
            if let Some(day) = date_of_birth {
                set_date_of_birth(conn, org, id, Some(&calendar::day_key(*day))).await?;
            }
            Ok((id.clone(), false))
        }
        Learner::New {
            full_name,
            email,
            date_of_birth,
        } => {
            let id = insert_user(conn, org, email, full_name, None).await?;
            add_role(conn, org, &id, Role::Learner).await?;
            if let Some(day) = date_of_birth {
                set_date_of_birth(conn, org, &id, Some(&calendar::day_key(*day))).await?;
            }
            crate::admin::service::send_invitation(conn, state, user, &id, email, full_name)
                .await?;
            Ok((id, true))
        }
    }
}

pub async fn confirm() -> Result<usize, AppError> {
    let (user, state) = enroller().await?;
    let mut tx = db::begin(&state.db).await?;
    let file = STEPS.waiting_to_confirm(&mut tx, &user).await?;
    // Checked again inside the transaction, against the organisation as it is now.
    let plan = plan(&mut tx, &user, &file.csv).await?;
    STEPS.refuse_problems(plan.problems.iter().map(|p| p.line))?;
    let days = induction_days(&mut *tx, &user.org_id).await?;
    let mut invited = 0;
    for row in &plan.rows {
        let (id, new) = account_for(&mut tx, &state, &user, &row.learner).await?;
        invited += usize::from(new);
        let start = calendar::day_key(row.start_on);
        let due = calendar::day_key(due_day(row.start_on, days));
        enrol(
            &mut tx,
            &user.org_id,
            &row.cohort_id,
            &id,
            &start,
            &due,
            &user.id,
        )
        .await?;
        if let Some(reference) = &row.reference {
            set_reference(&mut tx, &user.org_id, &id, reference).await?;
        }
    }
    imports::forget(&mut *tx, &user.org_id, &user.id, KIND).await?;
    let detail = format!(
        "rows={} invited={invited} file={}",
        plan.rows.len(),
        file.file_name
    );
    let action = audit::Action::LearnersEnrolled;
    audit::record(&mut tx, &user.org_id, Some(&user.id), action, None, &detail).await?;
    tx.commit().await?;
    let enrolled = plan.rows.len();
    leptos_axum::redirect(&format!(
        "{PAGE}?enrolled={enrolled}&invited={invited}#result"
    ));
    Ok(enrolled)
}

//! The rules for cohorts: who may see and change which, and the checks on what is typed.
//! The grid is worked out in `grid`.

use super::learner::queries::{learner as learner_record, LearnerRow};
use super::queries;
use super::types::*;
use crate::auth::{guard, Capability, CurrentUser, Role};
use crate::calendar;
use crate::content::module::Audience;
use crate::error::AppError;
use crate::ids::{CohortId, OrganisationId};
use crate::learning::catalogue::{self, OrgModule};
use crate::staff::service::{display_date, parse_date};
use crate::state::{app_state, AppState};
use chrono::NaiveDate;
use std::collections::HashMap;

pub const MAX_NAME: usize = 100;

pub fn long_day(stored: &str) -> String {
    calendar::parse_day(stored)
        .map(display_date)
        .unwrap_or_default()
}

/// Someone who may see cohorts at all.
pub async fn viewer() -> Result<(CurrentUser, AppState), AppError> {
    let user = guard::allowed(Capability::ViewCohorts).await?;
    Ok((user, app_state()?))
}

/// The cohort, if the asker may see it: every cohort of their organisation for those who
/// see all, else only one they teach. Another organisation's is "not found".
pub async fn visible_cohort(
    state: &AppState,
    user: &CurrentUser,
    cohort_id: &CohortId,
) -> Result<queries::CohortRow, AppError> {
    let cohort = queries::cohort(&state.db, &user.org_id, cohort_id, &user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if user.can(Capability::ViewAllCohorts) || cohort.taught > 0 {
        Ok(cohort)
    } else {
        Err(AppError::NotFound)
    }
}

fn tutors_by_cohort(tutors: Vec<(CohortId, String)>) -> HashMap<CohortId, Vec<String>> {
    let mut by_cohort: HashMap<CohortId, Vec<String>> = HashMap::new();
    for (cohort, name) in tutors {
        by_cohort.entry(cohort).or_default().push(name);
    }
    by_cohort
}

pub async fn list() -> Result<CohortList, AppError> {
    let (user, state) = viewer().await?;
    let all = user.can(Capability::ViewAllCohorts);
    let rows = queries::cohorts(&state.db, &user.org_id, &user.id, !all).await?;
    let induction_days = queries::induction_days(&state.db, &user.org_id).await?;
    let mut tutors = tutors_by_cohort(queries::tutors(&state.db, &user.org_id, None).await?);
    Ok(CohortList {
        cohorts: rows
            .into_iter()
            .map(|c| CohortSummary {
                tutors: tutors.remove(&c.id).unwrap_or_default(),
                starts_on: long_day(&c.starts_on),
                ends_on: long_day(&c.ends_on),
                learners: c.learners,
                name: c.name,
                id: c.id,
            })
            .collect(),
        all,
        induction_days,
        can_create: user.can(Capability::ManageCohorts),
        can_enrol: user.can(Capability::EnrolLearners),
    })
}

/// A day typed in a form, named in the message when it is not one.
pub fn typed_day(label: &str, text: &str) -> Result<NaiveDate, AppError> {
    parse_date(text).ok_or_else(|| {
        AppError::invalid(format!(
            "{label}: '{}' is not a day. Type it like 01/09/2026.",
            text.trim()
        ))
    })
}

/// The name as typed, checked: 1 to 100 characters, no control characters.
pub fn cohort_name(text: &str) -> Result<String, AppError> {
    let name = text.trim();
    if name.is_empty() {
        return Err(AppError::invalid("Name: give the cohort a name."));
    }
    if name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(AppError::invalid(format!(
            "Name: use up to {MAX_NAME} letters, numbers and spaces."
        )));
    }
    Ok(name.to_string())
}

pub async fn create(name: String, starts_on: String, ends_on: String) -> Result<(), AppError> {
    let user = guard::allowed(Capability::ManageCohorts).await?;
    let state = app_state()?;
    let name = cohort_name(&name)?;
    let starts = typed_day("Start date", &starts_on)?;
    let ends = typed_day("End date", &ends_on)?;
    if ends < starts {
        return Err(AppError::invalid(
            "End date: the cohort must end on or after the day it starts.",
        ));
    }
    let mut tx = crate::db::begin(&state.db).await?;
    let (starts, ends) = (calendar::day_key(starts), calendar::day_key(ends));
    let id = queries::insert_cohort(&mut tx, &user.org_id, &name, &starts, &ends, &user.id)
        .await?
        .ok_or_else(|| {
            AppError::invalid(format!("Name: there is already a cohort called '{name}'."))
        })?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/cohorts/{id}?done=created"));
    Ok(())
}

pub async fn add_tutor(cohort_id: CohortId, email: String) -> Result<(), AppError> {
    let user = guard::allowed(Capability::ManageCohorts).await?;
    let state = app_state()?;
    let cohort = visible_cohort(&state, &user, &cohort_id).await?;
    let email = email.trim().to_lowercase();
    let tutor = queries::person_with_role(&state.db, &user.org_id, &email, Role::Tutor.as_str())
        .await?
        .ok_or_else(|| {
            AppError::invalid(format!(
                "Email: nobody in your organisation with the tutor role has the address '{email}'. Give them the role on their account first."
            ))
        })?;
    let mut tx = crate::db::begin(&state.db).await?;
    queries::add_tutor(&mut tx, &user.org_id, &cohort.id, &tutor, &user.id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/cohorts/{}?done=tutor", cohort.id));
    Ok(())
}

pub async fn enrol(cohort_id: CohortId, email: String, start_on: String) -> Result<(), AppError> {
    let (user, state) = viewer().await?;
    let cohort = visible_cohort(&state, &user, &cohort_id).await?;
    if !(user.can(Capability::ManageCohorts) || cohort.taught > 0) {
        return Err(AppError::Forbidden);
    }
    let email = email.trim().to_lowercase();
    let start = typed_day("Start date", &start_on)?;
    let learner =
        queries::person_with_role(&state.db, &user.org_id, &email, Role::Learner.as_str())
            .await?
            .ok_or_else(|| {
                AppError::invalid(format!(
            "Email: nobody in your organisation with the learner role has the address '{email}'."
        ))
            })?;
    let due = due_day(start, cohort.induction_days);
    let (start, due) = (calendar::day_key(start), calendar::day_key(due));
    let mut tx = crate::db::begin(&state.db).await?;
    // A learner in a cohort the asker does not teach stays there (an administrator moves
    // them), so a tutor cannot take another tutor's learner. Checked in the transaction
    // that enrols them.
    if !user.can(Capability::ManageCohorts) {
        let record = learner_record(&mut tx, &user.org_id, &learner, &user.id).await?;
        if let Some(LearnerRow {
            cohort_name: Some(name),
            taught: 0,
            ..
        }) = record
        {
            return Err(AppError::invalid(format!(
                "Email: this learner is in the cohort '{name}', which you do not teach: an administrator can move them."
            )));
        }
    }
    let (org, learner) = (&user.org_id, &learner);
    queries::enrol(&mut tx, org, &cohort.id, learner, &start, &due, &user.id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/cohorts/{}?done=enrolled", cohort.id));
    Ok(())
}

/// The modules a learner's induction is made of: the organisation's switched-on modules
/// that are not for staff only (the grid's columns).
pub async fn learner_modules(
    state: &AppState,
    org_id: &OrganisationId,
) -> Result<Vec<OrgModule>, AppError> {
    Ok(catalogue::all_for_org(state, org_id)
        .await?
        .into_iter()
        .filter(|m| m.switched_on && m.module.audience != Audience::Staff)
        .collect())
}

/// The day a learner starting on `start` is due to have finished their induction.
pub fn due_day(start: NaiveDate, induction_days: i64) -> NaiveDate {
    start + chrono::Days::new(u64::try_from(induction_days).unwrap_or(0))
}

/// The longest induction an organisation may set, in days (a year).
pub const MAX_INDUCTION_DAYS: i64 = 365;

pub async fn set_induction_days(days: String) -> Result<(), AppError> {
    let user = guard::allowed(Capability::ManageCohorts).await?;
    let state = app_state()?;
    let days = days
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=MAX_INDUCTION_DAYS).contains(d))
        .ok_or_else(|| {
            AppError::invalid(format!(
                "Days to complete the induction: give a whole number from 1 to {MAX_INDUCTION_DAYS}."
            ))
        })?;
    let mut tx = crate::db::begin(&state.db).await?;
    queries::set_induction_days(&mut tx, &user.org_id, days).await?;
    let action = crate::audit::Action::InductionDaysChanged;
    let detail = format!("days={days}");
    crate::audit::record(&mut tx, &user.org_id, Some(&user.id), action, None, &detail).await?;
    tx.commit().await?;
    leptos_axum::redirect("/cohorts?done=days");
    Ok(())
}

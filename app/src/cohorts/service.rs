//! The rules for cohorts: who may see and change which, the checks on what is typed, and
//! the grid worked out from the learners' progress rows.

use super::queries::{self, GridLine, GridQuery, Show, SortBy};
use super::types::*;
use crate::auth::{guard, Capability, CurrentUser, Role};
use crate::calendar;
use crate::content::module::Audience;
use crate::error::AppError;
use crate::ids::{CohortId, ModuleSlug};
use crate::learning::{catalogue, ModuleStatus};
use crate::people::{parse_page, Paging, PER_PAGE};
use crate::staff::service::{display_date, parse_date};
use crate::state::{app_state, AppState};
use chrono::NaiveDate;
use std::collections::HashMap;

const MAX_NAME: usize = 100;

fn long_day(stored: &str) -> String {
    calendar::parse_day(stored)
        .map(display_date)
        .unwrap_or_default()
}

/// Someone who may see cohorts at all.
async fn viewer() -> Result<(CurrentUser, AppState), AppError> {
    let user = guard::allowed(Capability::ViewCohorts).await?;
    Ok((user, app_state()?))
}

/// The cohort, if the asker may see it: every cohort of their organisation for those who
/// see all, else only one they teach. Another organisation's is "not found".
async fn visible_cohort(
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
        can_create: user.can(Capability::ManageCohorts),
    })
}

/// A day typed in a form, named in the message when it is not one.
fn typed_day(label: &str, text: &str) -> Result<NaiveDate, AppError> {
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
    let days = queries::induction_days(&state.db, &user.org_id).await?;
    let due = start + chrono::Days::new(u64::try_from(days).unwrap_or(0));
    let (start, due) = (calendar::day_key(start), calendar::day_key(due));
    let mut tx = crate::db::begin(&state.db).await?;
    let (org, learner) = (&user.org_id, &learner);
    queries::enrol(&mut tx, org, &cohort.id, learner, &start, &due, &user.id).await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/cohorts/{}?done=enrolled", cohort.id));
    Ok(())
}

/// The filter asked for, and its name as the address writes it.
fn show_of(text: &str) -> (Show, &'static str) {
    match text.trim() {
        "behind" => (Show::Behind, "behind"),
        "not-started" => (Show::NotStarted, "not-started"),
        "complete" => (Show::Complete, "complete"),
        _ => (Show::Everyone, ""),
    }
}

/// The sort asked for (a known column, else by name), whether descending, and its name as
/// the address writes it.
fn sort_of(text: &str, modules: &[ModuleSlug]) -> (SortBy, bool, String) {
    let text = text.trim();
    let (descending, key) = match text.strip_prefix('-') {
        Some(key) => (true, key),
        None => (false, text),
    };
    let sort = match key {
        "due" => SortBy::Due,
        "active" => SortBy::LastActive,
        "passed" => SortBy::Passed,
        _ => match key.strip_prefix("module-") {
            Some(id) if modules.iter().any(|m| m.as_str() == id) => {
                SortBy::Module(ModuleSlug::from_param(id.to_string()))
            }
            _ => return (SortBy::Name, false, String::new()),
        },
    };
    let written = format!("{}{key}", if descending { "-" } else { "" });
    (sort, descending, written)
}

pub async fn grid(cohort_id: CohortId, asked: GridAsked) -> Result<CohortGrid, AppError> {
    let (user, state) = viewer().await?;
    grid_of(&state, &user, &cohort_id, asked, Rows::OnePage).await
}

/// How much of the grid to read: one page, or every learner the filter keeps (the export).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    OnePage,
    All,
}

/// The grid as `user` (who may view cohorts) may see it.
pub async fn grid_of(
    state: &AppState,
    user: &CurrentUser,
    cohort_id: &CohortId,
    asked: GridAsked,
    rows: Rows,
) -> Result<CohortGrid, AppError> {
    let cohort = visible_cohort(state, user, cohort_id).await?;
    let tutors = queries::tutors(&state.db, &user.org_id, Some(&cohort.id))
        .await?
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    let modules: Vec<_> = catalogue::all_for_org(state, &user.org_id)
        .await?
        .into_iter()
        .filter(|m| m.switched_on && m.module.audience != Audience::Staff)
        .collect();
    let ids: Vec<ModuleSlug> = modules.iter().map(|m| m.module.id.clone()).collect();
    let (show, show_written) = show_of(&asked.show);
    let (sort, descending, sort_written) = sort_of(&asked.sort, &ids);
    let search: String = asked.q.trim().chars().take(MAX_NAME).collect();
    let today = calendar::today();
    let today_key = calendar::day_key(today);
    let mut query = GridQuery {
        org_id: &user.org_id,
        cohort_id: &cohort.id,
        modules: &ids,
        today: &today_key,
        show,
        search: &search,
        sort: &sort,
        descending,
        offset: 0,
        limit: PER_PAGE,
    };
    let [learners, behind, not_started, complete, matched] =
        queries::grid_counts(&state.db, &query).await?;
    let matched = u64::try_from(matched).unwrap_or(0);
    let paging = match rows {
        Rows::OnePage => Paging::new(parse_page(Some(&asked.page)), PER_PAGE, matched),
        Rows::All => Paging::new(1, u32::try_from(matched).unwrap_or(u32::MAX), matched),
    };
    query.offset = paging.offset();
    query.limit = paging.per_page;
    let lines = queries::grid(&state.db, &query).await?;
    let sections: Vec<(ModuleSlug, usize)> = modules
        .iter()
        .map(|m| (m.module.id.clone(), m.module.sections.len()))
        .collect();
    Ok(CohortGrid {
        asked: GridAsked {
            show: show_written.to_string(),
            q: search.clone(),
            sort: sort_written,
            page: paging.page.to_string(),
        },
        totals: GridTotals {
            learners,
            behind,
            not_started,
            complete,
        },
        paging,
        rows: rows_of(&lines, &sections, today),
        columns: modules
            .iter()
            .map(|m| GridColumn {
                id: m.module.id.clone(),
                title: m.module.title.clone(),
            })
            .collect(),
        id: cohort.id,
        name: cohort.name,
        starts_on: long_day(&cohort.starts_on),
        ends_on: long_day(&cohort.ends_on),
        tutors,
        can_enrol: user.can(Capability::ManageCohorts) || cohort.taught > 0,
        can_add_tutor: user.can(Capability::ManageCohorts),
    })
}

/// A module's cell from the learner's progress line for it, if any.
fn cell(line: Option<&GridLine>, sections: usize) -> CellState {
    let Some(progress) = line.and_then(GridLine::progress) else {
        return CellState::NotStarted;
    };
    match (progress.status(), &progress.passed_at) {
        (ModuleStatus::Passed, Some(passed_at)) => CellState::Passed {
            best_percent: progress.best_percent().unwrap_or(0),
            on: crate::db::display_day(passed_at),
        },
        (ModuleStatus::InProgress, _) => CellState::InProgress {
            sections_read: progress.sections_read_of(sections),
            sections,
        },
        _ => CellState::NotStarted,
    }
}

/// The grid's rows from the query's lines (grouped by learner, in the query's order).
pub fn rows_of(
    lines: &[GridLine],
    modules: &[(ModuleSlug, usize)],
    today: NaiveDate,
) -> Vec<GridRow> {
    let mut rows: Vec<GridRow> = Vec::new();
    for learner in lines.chunk_by(|a, b| a.learner_id == b.learner_id) {
        let first = &learner[0];
        let by_module: HashMap<&ModuleSlug, &GridLine> = learner
            .iter()
            .filter_map(|l| l.module_id.as_ref().map(|m| (m, l)))
            .collect();
        let cells: Vec<CellState> = modules
            .iter()
            .map(|(id, sections)| cell(by_module.get(id).copied(), *sections))
            .collect();
        let passed = cells
            .iter()
            .filter(|c| matches!(c, CellState::Passed { .. }))
            .count();
        let due = first.due_on.as_deref().and_then(calendar::parse_day);
        let last_active = first
            .last_active
            .as_deref()
            .map(crate::db::display_day)
            .unwrap_or_default();
        rows.push(GridRow {
            learner_id: first.learner_id.clone(),
            name: first.full_name.clone(),
            behind: due.is_some_and(|d| d < today) && passed < modules.len(),
            due_on: due.map(display_date).unwrap_or_default(),
            passed,
            cells,
            last_active,
        });
    }
    rows
}

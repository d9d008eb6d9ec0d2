//! Who may see whose training, and the views built from `standing`. Every function starts
//! with the guard and works only inside the asker's own organisation.
//!
//! - "My training" and "My team": any member of staff (the access rule's
//!   `ViewOwnTraining`; a learner is refused). The team follows the line-manager
//!   relationship in the staff records, not a role: anyone with people below them sees
//!   them, and nobody else (a line manager whose leaving date has come: nobody).
//! - One person's training: the person, anyone above them in the line-manager chain, and
//!   holders of `ViewTrainingDashboard` (People, administrators). Anyone else (a manager
//!   who has left among them) is told "not found", the same answer as for an id that
//!   names nobody, so the page never reveals who exists in another organisation or
//!   outside one's own team.

use super::dashboard::{self, Filters};
use super::standing::{self, Scope, StaffMember, Standing};
use super::team_queries::{self, Reach};
use super::types::{SatisfiedBy, Status};
use super::views::{
    Dashboard, DashboardFilters, PersonRow, PersonTraining, StatusGrid, TeamView, TrainingLine,
};
use crate::auth::{guard, Capability, CurrentUser};
use crate::calendar;
use crate::error::AppError;
use crate::ids::PersonId;
use crate::people::{Paging, PER_PAGE};
use crate::state::{app_state, AppState};
use chrono::NaiveDate;

async fn staff_member() -> Result<(CurrentUser, AppState), AppError> {
    let user = guard::allowed(Capability::ViewOwnTraining).await?;
    Ok((user, app_state()?))
}

pub async fn mine() -> Result<PersonTraining, AppError> {
    let (user, state) = staff_member().await?;
    training_of(&state, &user, &user.id).await
}

pub async fn person(person_id: PersonId) -> Result<PersonTraining, AppError> {
    let (user, state) = staff_member().await?;
    let person_id = person_id.trimmed();
    let today = calendar::day_key(calendar::today());
    let allowed = person_id == user.id
        || user.can(Capability::ViewTrainingDashboard)
        || team_queries::is_above(&state.db, &user.org_id, &user.id, &person_id, &today).await?;
    if !allowed {
        return Err(AppError::NotFound);
    }
    training_of(&state, &user, &person_id).await
}

/// The person's training, loaded in the asker's organisation only.
async fn training_of(
    state: &AppState,
    user: &CurrentUser,
    person_id: &PersonId,
) -> Result<PersonTraining, AppError> {
    let ids = [person_id.clone()];
    let standing = standing::load(&state.db, &user.org_id, Scope::People(&ids)).await?;
    let person = standing.staff.first().ok_or(AppError::NotFound)?;
    let today = calendar::today();
    let (applies, not_required) = standing
        .requirements
        .iter()
        .map(|r| TrainingLine {
            requirement_id: r.id.clone(),
            name: r.requirement.name.clone(),
            level: r.requirement.level.clone(),
            module_title: module_title(state, &r.requirement.satisfied_by),
            satisfied_by: r.requirement.satisfied_by.clone(),
            status: standing.status(person, r, today),
        })
        .partition(|line| !matches!(line.status, Status::NotRequired { .. }));
    Ok(PersonTraining {
        person_id: person.id.clone(),
        name: person.name.clone(),
        email: person.email.clone(),
        job_title: person.facts.job_title.clone(),
        department: person.facts.department.clone(),
        manager_name: person.manager_name.clone(),
        is_self: person.id == user.id,
        applies,
        not_required,
    })
}

/// The title of one of our built-in modules (an organisation's own shows its slug).
pub(crate) fn module_title(state: &AppState, satisfied_by: &SatisfiedBy) -> Option<String> {
    let SatisfiedBy::Module { module_id } = satisfied_by else {
        return None;
    };
    state
        .content
        .modules
        .iter()
        .find(|m| &m.id == module_id)
        .map(|m| m.title.clone())
}

pub async fn team(all: bool) -> Result<TeamView, AppError> {
    let (user, state) = staff_member().await?;
    let reach = if all { Reach::Everyone } else { Reach::Direct };
    let today = calendar::today();
    let day = calendar::day_key(today);
    let below = team_queries::below(&state.db, &user.org_id, &user.id, reach, &day).await?;
    let standing = standing::load(&state.db, &user.org_id, Scope::People(&below)).await?;
    let people: Vec<(&StaffMember, Vec<Status>)> = standing
        .statuses(today)
        .into_iter()
        // Never the manager themself, whatever the records say.
        .filter(|(p, _)| p.id != user.id)
        .collect();
    let mut counts = super::StatusCounts::default();
    for status in people.iter().flat_map(|(_, s)| s) {
        counts.add(status);
    }
    Ok(TeamView {
        all,
        counts,
        grid: grid(&standing, people.iter().map(|(p, s)| (*p, s.clone()))),
    })
}

fn grid<'a>(
    standing: &Standing,
    people: impl Iterator<Item = (&'a StaffMember, Vec<Status>)>,
) -> StatusGrid {
    grid_of(
        standing.requirements.iter().map(dashboard::head).collect(),
        people,
    )
}

fn grid_of<'a>(
    requirements: Vec<super::views::RequirementHead>,
    people: impl Iterator<Item = (&'a StaffMember, Vec<Status>)>,
) -> StatusGrid {
    StatusGrid {
        requirements,
        rows: people
            .map(|(p, statuses)| PersonRow {
                id: p.id.clone(),
                name: p.name.clone(),
                job_title: p.facts.job_title.clone(),
                department: p.facts.department.clone(),
                manager_name: p.manager_name.clone(),
                statuses,
            })
            .collect(),
    }
}

async fn dashboard_reader() -> Result<(CurrentUser, AppState), AppError> {
    let user = guard::allowed(Capability::ViewTrainingDashboard).await?;
    Ok((user, app_state()?))
}

pub async fn dashboard(raw: DashboardFilters) -> Result<Dashboard, AppError> {
    let (user, state) = dashboard_reader().await?;
    let standing = standing::load(&state.db, &user.org_id, Scope::Organisation).await?;
    let today = calendar::today();
    let (filters, problems) = Filters::read(&raw, &standing);
    let selection = dashboard::select(&standing, &filters, today);
    let listed = selection.listed(&filters);
    let paging = Paging::new(filters.page, PER_PAGE, listed.len() as u64);
    let shown = listed
        .iter()
        .skip(usize::try_from(paging.offset()).unwrap_or(usize::MAX))
        .take(PER_PAGE as usize)
        .map(|(p, s)| (*p, s.clone()));
    let exceptions =
        crate::staff::queries::count_exceptions(&state.db, &user.org_id, &calendar::day_key(today))
            .await?;
    let reminders = crate::reminders::service::summary(&state.db, &user.org_id).await?;
    Ok(Dashboard {
        filters: filters.to_raw(),
        problems,
        counts: selection.counts(),
        by_requirement: selection.by_requirement(),
        by_department: selection.by_department(),
        grid: grid_of(
            selection
                .requirements
                .iter()
                .map(|r| dashboard::head(r))
                .collect(),
            shown,
        ),
        paging,
        exceptions,
        choices: dashboard::choices(&standing),
        reminders,
    })
}

/// The CSV download's rows: every (person, requirement) the filters keep, in the
/// dashboard's order. Checked by the same access rule as the page.
pub struct ExportRow<'a> {
    pub person: &'a StaffMember,
    pub requirement: &'a super::RequirementRecord,
    pub status: Status,
}

/// Rows for the CSV (the caller checked access); `Err` names a refused filter, since a
/// file for an auditor must never quietly leave a filter out.
pub fn export_rows<'a>(
    standing: &'a Standing,
    raw: &DashboardFilters,
    today: NaiveDate,
) -> Result<Vec<ExportRow<'a>>, AppError> {
    let (filters, problems) = Filters::read(raw, standing);
    if !problems.is_empty() {
        return Err(AppError::invalid(problems.join("\n")));
    }
    let selection = dashboard::select(standing, &filters, today);
    let mut rows = Vec::new();
    for (person, statuses) in selection.listed(&filters) {
        for (requirement, status) in selection.requirements.iter().zip(statuses) {
            let kept = filters
                .status
                .is_none_or(|kind| super::words::StatusKind::of(status) == kind);
            if kept {
                rows.push(ExportRow {
                    person,
                    requirement,
                    status: *status,
                });
            }
        }
    }
    Ok(rows)
}

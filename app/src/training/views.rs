//! The training status views: "My training", one person's training, a line manager's
//! team and the People department's dashboard. The shapes the pages show, and the server
//! functions behind them (each one asks the access rule first: see `views_service`).

use super::types::{SatisfiedBy, Status, StatusCounts};
use crate::error::AppError;
use crate::ids::{PersonId, RequirementId};
use crate::people::Paging;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One requirement as it stands for one person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingLine {
    pub requirement_id: RequirementId,
    pub name: String,
    pub level: String,
    pub satisfied_by: SatisfiedBy,
    /// For a requirement met by one module: that module's title, if it is one of ours.
    pub module_title: Option<String>,
    pub status: Status,
}

/// A person's training: every requirement that applies to them, and those that do not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonTraining {
    pub person_id: PersonId,
    pub name: String,
    pub email: String,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub manager_name: Option<String>,
    /// The person looking is this person: the page speaks to them, with links to act.
    pub is_self: bool,
    pub applies: Vec<TrainingLine>,
    pub not_required: Vec<TrainingLine>,
}

/// A requirement as a column heading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementHead {
    pub id: RequirementId,
    pub name: String,
    pub level: String,
}

/// A person as a row of a table of statuses, one status per requirement column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: PersonId,
    pub name: String,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub manager_name: Option<String>,
    pub statuses: Vec<Status>,
}

/// People by requirements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusGrid {
    pub requirements: Vec<RequirementHead>,
    pub rows: Vec<PersonRow>,
}

/// A line manager's team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamView {
    /// Everyone below them (`?all=1`), not only their own people.
    pub all: bool,
    /// Each (person, requirement) pair counted by status.
    pub counts: StatusCounts,
    pub grid: StatusGrid,
}

/// The dashboard's filters, as they arrive in the address (all optional text).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFilters {
    pub status: Option<String>,
    pub requirement: Option<String>,
    pub department: Option<String>,
    pub manager: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
}

/// The order of the people.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    #[default]
    Name,
    /// By department, then name (people with none last).
    Department,
    /// Most days overdue first, then name.
    MostOverdue,
}

impl SortBy {
    pub const ALL: [SortBy; 3] = [SortBy::Name, SortBy::Department, SortBy::MostOverdue];

    pub fn as_str(self) -> &'static str {
        match self {
            SortBy::Name => "name",
            SortBy::Department => "department",
            SortBy::MostOverdue => "overdue",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortBy::Name => "Name",
            SortBy::Department => "Department",
            SortBy::MostOverdue => "Most overdue",
        }
    }

    pub fn parse(text: &str) -> Option<SortBy> {
        Self::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }
}

/// Counts for one row of a counts table (a requirement, or a department).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountsRow {
    pub label: String,
    pub counts: StatusCounts,
}

/// The People department's dashboard: one page of people, with the organisation's counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The filters in force (any refused one left out).
    pub filters: DashboardFilters,
    /// What was wrong with the filters asked for, in words.
    pub problems: Vec<String>,
    /// Each (person, requirement) pair counted by status.
    pub counts: StatusCounts,
    pub by_requirement: Vec<CountsRow>,
    pub by_department: Vec<CountsRow>,
    pub grid: StatusGrid,
    pub paging: Paging,
    /// People with no line manager, or whose manager has left.
    pub exceptions: u64,
    pub choices: DashboardChoices,
    /// When reminders last ran, whether that is too long ago, and the pause.
    pub reminders: crate::reminders::RemindersSummary,
}

/// What the filter lists offer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardChoices {
    pub requirements: Vec<RequirementHead>,
    pub departments: Vec<String>,
    /// Everyone who is someone's line manager: (id, name).
    pub managers: Vec<(PersonId, String)>,
}

/// My own training, today.
#[server(endpoint = "training/mine")]
pub async fn my_training() -> Result<PersonTraining, AppError> {
    crate::error::finish(super::views_service::mine().await)
}

/// One person's training: for the person, anyone above them in the line-manager chain,
/// and the People department or an administrator; "not found" for everyone else.
#[server(endpoint = "training/person")]
pub async fn load_person_training(person_id: PersonId) -> Result<PersonTraining, AppError> {
    crate::error::finish(super::views_service::person(person_id).await)
}

/// The people I manage (`all` = "1": everyone below me) and where they stand.
#[server(endpoint = "training/team")]
pub async fn team_training(all: Option<String>) -> Result<TeamView, AppError> {
    crate::error::finish(super::views_service::team(all.as_deref() == Some("1")).await)
}

/// The organisation's training, filtered, sorted and one page of it (the filters as in
/// the page's address: see `DashboardFilters`).
#[server(endpoint = "training/dashboard")]
pub async fn training_dashboard(
    status: Option<String>,
    requirement: Option<String>,
    department: Option<String>,
    manager: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<String>,
) -> Result<Dashboard, AppError> {
    let filters = DashboardFilters {
        status,
        requirement,
        department,
        manager,
        q,
        sort,
        page,
    };
    crate::error::finish(super::views_service::dashboard(filters).await)
}

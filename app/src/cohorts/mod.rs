//! Cohorts: groups of learners with their tutors, and the grid of the learners' induction
//! progress (`module_progress`, kept per learner by the database). Administrators create
//! cohorts and choose tutors; tutors see and enrol the learners of their own cohorts; the
//! DSL and the People department see every cohort.

pub mod enrolment;
pub mod enrolment_pages;
pub mod insights;
pub mod insights_pages;
pub mod learner;
pub mod learner_pages;
pub mod nudge_pages;
pub mod nudges;
pub mod pages;
pub mod print_pages;
pub mod status;
pub mod types;

#[cfg(feature = "ssr")]
pub mod access;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod grid;
#[cfg(feature = "ssr")]
pub mod grid_queries;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod service;

pub use learner::{load_learner, set_learner_status, LearnerPage, SetLearnerStatus};
pub use status::LearnerStatus;
pub use types::*;

use crate::error::AppError;
use crate::ids::CohortId;
use leptos::prelude::*;

/// The cohorts the asker may see: every one for administrators, the DSL and the People
/// department; a tutor's own for a tutor.
#[server(endpoint = "cohorts/list")]
pub async fn list_cohorts() -> Result<CohortList, AppError> {
    crate::error::finish(service::list().await)
}

/// Create a cohort. Days as `2026-09-01` or `01/09/2026`.
#[server(endpoint = "cohorts/create")]
pub async fn create_cohort(
    name: String,
    starts_on: String,
    ends_on: String,
) -> Result<(), AppError> {
    crate::error::finish(service::create(name, starts_on, ends_on).await)
}

/// Set how many days after their start date a learner's induction is due (1 to 365), for
/// learners enrolled from now on.
#[server(endpoint = "cohorts/induction_days")]
pub async fn set_induction_days(days: String) -> Result<(), AppError> {
    crate::error::finish(service::set_induction_days(days).await)
}

/// A cohort with one page of its learners' progress: `show` is `behind`, `not-started`,
/// `complete` or `inactive` (else everyone), `q` part of a name, `sort` a column (`name`, `due`,
/// `active`, `passed`, `status`, `policy` or `module-ID`, with a leading `-` for descending),
/// `page` as typed (`all`: every learner, for the print view).
#[server(endpoint = "cohorts/grid")]
pub async fn load_cohort_grid(
    cohort_id: CohortId,
    show: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<String>,
) -> Result<CohortGrid, AppError> {
    let asked = GridAsked {
        show: show.unwrap_or_default(),
        q: q.unwrap_or_default(),
        sort: sort.unwrap_or_default(),
        page: page.unwrap_or_default(),
    };
    crate::error::finish(grid::grid(cohort_id, asked).await)
}

/// Make a person with the tutor role one of the cohort's tutors, by email.
#[server(endpoint = "cohorts/add_tutor")]
pub async fn add_cohort_tutor(cohort_id: CohortId, email: String) -> Result<(), AppError> {
    crate::error::finish(service::add_tutor(cohort_id, email).await)
}

/// Enrol a learner (an account with the learner role, by email) in the cohort, with
/// their start date; a learner in another cohort moves, keeping all their progress.
#[server(endpoint = "cohorts/enrol")]
pub async fn enrol_learner(
    cohort_id: CohortId,
    email: String,
    start_on: String,
) -> Result<(), AppError> {
    crate::error::finish(service::enrol(cohort_id, email, start_on).await)
}

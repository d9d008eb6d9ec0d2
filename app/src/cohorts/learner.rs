//! A learner's page for their tutor (`/learners/ID`): their programme (cohort, start and
//! due days, status), each module's progress, and their cohort history; and the form that
//! changes their status. Seen by the tutors of the learner's cohort and by those who see
//! every cohort; another organisation's learner, or someone who is not a learner, is "not
//! found".

use super::status::LearnerStatus;
use crate::error::AppError;
use crate::ids::{CohortId, PersonId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One module as the learner's page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleLine {
    pub title: String,
    pub passed: bool,
    /// The state in words, as the grid has it.
    pub state: String,
    pub sections_read: usize,
    pub sections: usize,
    pub attempts_submitted: i64,
    /// Like "80%", or empty before a submitted attempt.
    pub best: String,
    /// Like "3 October 2026", or empty.
    pub last_active: String,
}

/// A time in a cohort.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortSpell {
    pub cohort_id: CohortId,
    pub cohort: String,
    /// Like "1 September 2026".
    pub joined: String,
    /// Empty while they are in it.
    pub left: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerPage {
    pub id: PersonId,
    pub name: String,
    pub email: String,
    /// The cohort they are in now, if any.
    pub cohort: Option<(CohortId, String)>,
    pub status: LearnerStatus,
    /// Like "On a break in learning from 10 September 2026 to 23 September 2026".
    pub status_words: String,
    /// Like "1 September 2026", or empty when never enrolled.
    pub start_on: String,
    pub due_on: String,
    /// Past the due day, active, and not every module passed with the policy signed.
    pub behind: bool,
    /// The learner policy, like "Signed (version 2, 3 September 2026)".
    pub policy: String,
    /// Their parent's acknowledgement, like "Waiting (under 18)" or "Not needed (18 or over)".
    pub parent: String,
    /// The current or last break, as typed in the form (`10/09/2026`), or empty.
    pub break_from: String,
    pub break_to: String,
    pub modules: Vec<ModuleLine>,
    pub history: Vec<CohortSpell>,
    /// Their signatures (policies and documents), newest first: (signature id, like
    /// "Learner Acceptable Use Policy, version 2: signed 3 September 2026").
    pub signatures: Vec<(String, String)>,
    /// Their certificates: (code, like "Grooming and exploitation: 90%, 3 October 2026").
    pub certificates: Vec<(String, String)>,
    /// Reminders from their tutors, newest first, like "3 December 2026 at 10:15, from
    /// Sam Tutor".
    pub nudges: Vec<String>,
    /// May change their status (the tutors of their cohort and administrators).
    pub can_change: bool,
}

#[server(endpoint = "cohorts/learner")]
pub async fn load_learner(learner_id: PersonId) -> Result<LearnerPage, AppError> {
    crate::error::finish(service::page(learner_id).await)
}

/// Change a learner's status: `active`, `break` (with its first and last day, like
/// `10/09/2026`), `withdrawn` or `completed`. A break moves their due day on by its length.
#[server(endpoint = "cohorts/set_status")]
pub async fn set_learner_status(
    learner_id: PersonId,
    status: String,
    break_from: Option<String>,
    break_to: Option<String>,
) -> Result<(), AppError> {
    let days = (break_from.unwrap_or_default(), break_to.unwrap_or_default());
    crate::error::finish(service::set_status(learner_id, status, days).await)
}

#[cfg(feature = "ssr")]
#[path = "learner_queries.rs"]
pub mod queries;
#[cfg(feature = "ssr")]
#[path = "learner_service.rs"]
pub mod service;

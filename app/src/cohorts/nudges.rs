//! Nudges (`/cohorts/ID/nudge`): a cohort's tutor (or an administrator) chooses learners,
//! or "everyone behind", sees exactly who will get a short reminder and who is skipped and
//! why, then sends it through the outbox. Nobody is nudged twice within 24 hours; learners
//! on a break, withdrawn, completed, or already complete are skipped. The cohort page shows
//! how many of those nudged made progress within 7 days; the learner's page lists theirs.

use crate::error::AppError;
use crate::ids::{CohortId, PersonId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How long after a nudge the same learner may be nudged again.
pub const QUIET_HOURS: i64 = 24;
/// How long after a nudge progress counts as following it.
pub const EFFECT_DAYS: i64 = 7;

/// A learner who may be chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NudgeChoice {
    pub id: PersonId,
    pub name: String,
    /// Where they are, like "1 of 5 modules passed (behind)".
    pub state: String,
}

/// Someone left out, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub name: String,
    pub reason: String,
}

/// Exactly what sending would do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NudgePreview {
    pub to: Vec<NudgeChoice>,
    pub skipped: Vec<Skipped>,
    /// The email the first of them would get, as text.
    pub sample: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NudgePage {
    pub cohort_id: CohortId,
    pub cohort: String,
    /// The cohort's active learners who are not complete, by name.
    pub choices: Vec<NudgeChoice>,
    /// When learners were chosen.
    pub preview: Option<NudgePreview>,
}

/// A nudge sent, and what followed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NudgeSent {
    /// Like "3 December 2026 at 10:15".
    pub sent: String,
    pub by: String,
    pub nudged: i64,
    /// Of those nudged, how many read a section, opened a quiz or signed the policy
    /// within 7 days.
    pub progressed: i64,
    /// The 7 days are not over yet.
    pub measuring: bool,
}

/// The nudge page: the learners who may be chosen and, when `who` is `behind` or
/// `learners` lists ids (comma-separated), the preview.
#[server(endpoint = "cohorts/nudge_page")]
pub async fn load_nudge_page(
    cohort_id: CohortId,
    who: Option<String>,
    learners: Option<String>,
) -> Result<NudgePage, AppError> {
    crate::error::finish(service::page(cohort_id, who, learners).await)
}

/// Send the reminder to the learners listed (comma-separated ids), checked again: the
/// 24-hour rule and who is active are as they are now.
#[server(endpoint = "cohorts/nudge")]
pub async fn send_nudge(cohort_id: CohortId, learners: String) -> Result<(), AppError> {
    crate::error::finish(service::send(cohort_id, learners).await)
}

#[cfg(feature = "ssr")]
#[path = "nudge_queries.rs"]
pub mod queries;
#[cfg(feature = "ssr")]
#[path = "nudge_service.rs"]
pub mod service;

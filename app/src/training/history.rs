//! A person's full training history, and the completion editor: the People department
//! records a completion for someone, or corrects one (a new date, or withdrawn), always
//! with a reason. Nothing is overwritten: each change is a new row (a correction
//! supersedes the row it corrects, see `queries::record_correction`), and the history
//! shows every row, who recorded it, when, why, and whether a later row superseded it.

use super::briefings::RequirementChoice;
use crate::error::AppError;
use crate::ids::{CompletionId, PersonId, RequirementId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The longest reason, in characters.
pub const MAX_REASON: usize = 500;
/// The longest reference (a certificate number), in characters.
pub const MAX_REFERENCE: usize = 200;

/// One row of the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: CompletionId,
    /// `YYYY-MM-DD`; None on a row that withdraws the one it corrects.
    pub completed_on: Option<String>,
    /// "Briefing", "External course", "Correction"...
    pub source: String,
    pub reference: Option<String>,
    pub reason: Option<String>,
    /// Who recorded it; None when the app itself did.
    pub recorded_by: Option<String>,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// The row this one corrects.
    pub corrects: Option<CompletionId>,
    /// The later row that superseded this one; None: it stands.
    pub superseded_by: Option<CompletionId>,
}

/// A requirement and its rows, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementHistory {
    pub requirement_id: RequirementId,
    pub name: String,
    pub retired: bool,
    pub entries: Vec<HistoryEntry>,
}

/// What the history page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    pub person_id: PersonId,
    pub full_name: String,
    pub email: String,
    /// Whether the asker may record and correct (the People department, administrators);
    /// the person themselves and their managers only read it.
    pub can_edit: bool,
    /// Requirements in force, for the "record a completion" form.
    pub requirements: Vec<RequirementChoice>,
    /// Every requirement in force, and any retired one with rows.
    pub history: Vec<RequirementHistory>,
}

/// A member of staff's history: for the People department and administrators of their
/// organisation, for the person themselves, and for the managers above them.
#[server(endpoint = "training/history")]
pub async fn person_history(person_id: PersonId) -> Result<HistoryView, AppError> {
    crate::error::finish(service::history(person_id).await)
}

/// Record a completion for someone: day as `02/09/2025` or `2025-09-02`, not in the
/// future; `reference` optional (a certificate number); `reason` required.
#[server(endpoint = "training/record_completion")]
pub async fn record_completion_for(
    person_id: PersonId,
    requirement_id: RequirementId,
    completed_on: String,
    reference: Option<String>,
    reason: String,
) -> Result<CompletionId, AppError> {
    crate::error::finish(
        service::record(service::RecordInput {
            person_id,
            requirement_id,
            completed_on,
            reference: reference.unwrap_or_default(),
            reason,
        })
        .await,
    )
}

/// Correct a standing completion: `change` is `date` (with `completed_on`, the right
/// day) or `withdraw`; `reason` required. A new row, never an overwrite.
#[server(endpoint = "training/correct_completion")]
pub async fn correct_completion(
    person_id: PersonId,
    completion_id: CompletionId,
    change: String,
    completed_on: Option<String>,
    reason: String,
) -> Result<CompletionId, AppError> {
    crate::error::finish(
        service::correct(service::CorrectInput {
            person_id,
            completion_id,
            change,
            completed_on: completed_on.unwrap_or_default(),
            reason,
        })
        .await,
    )
}

#[cfg(feature = "ssr")]
#[path = "history_service.rs"]
pub mod service;

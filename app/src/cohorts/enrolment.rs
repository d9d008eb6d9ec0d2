//! Enrolment by CSV (`/cohorts/enrol`): an administrator, or a tutor for the cohorts they
//! teach, pastes a file of learners (first name, last name, email, cohort, start date, and
//! optionally date of birth and learner reference), sees every row and every problem by
//! line number, and confirms; then every row is enrolled or none is, checked again inside
//! the transaction against the organisation as it is then.
//!
//! Existing accounts are matched by email (never duplicated) and enrolled, moving cohort
//! if they were in another; new learners get an account with the learner role and an
//! invitation through the outbox. The file waits between preview and confirmation in
//! `import_uploads` (see `crate::imports`), like every import.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The largest file accepted, in bytes of text.
pub const MAX_BYTES: usize = 1_000_000;
/// The most rows in one file.
pub const MAX_ROWS: usize = 5_000;
/// The longest learner reference (a ULN is 10 digits; providers' own are longer).
pub const MAX_REFERENCE: usize = 50;

/// A problem with one line of the file (line 1 is the headings).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// One row as the preview shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    pub line: usize,
    /// The account's name when matched, else the name the file gives.
    pub name: String,
    pub email: String,
    /// The cohort's name when found, else what the file gave.
    pub cohort: String,
    /// As the file has it.
    pub start_on: String,
    /// What confirming does with the row, like "New learner, invited" or "Moves from
    /// Cohort A"; the problem count when it has problems.
    pub action: String,
    pub problems: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub file_name: String,
    pub rows: Vec<PreviewRow>,
    pub problems: Vec<Problem>,
    pub new_learners: usize,
    pub existing: usize,
}

/// What the enrolment page shows: the file waiting to be confirmed, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    pub preview: Option<Preview>,
    /// The cohorts the asker may enrol into, by name (for the instructions).
    pub cohorts: Vec<String>,
}

/// The enrolment page: the waiting file's preview, if any.
#[server(endpoint = "cohorts/enrolment_state")]
pub async fn enrolment_state() -> Result<EnrolmentView, AppError> {
    crate::error::finish(service::state().await)
}

/// Keep the pasted CSV text for the preview, replacing any file waiting (nothing is
/// enrolled yet). `file_name` is for the preview's heading; empty for "pasted text".
#[server(endpoint = "cohorts/enrolment_upload")]
pub async fn enrolment_upload(csv: String, file_name: Option<String>) -> Result<(), AppError> {
    crate::error::finish(service::upload(csv, file_name.unwrap_or_default()).await)
}

/// Enrol every row of the waiting file, or none; returns how many were enrolled.
#[server(endpoint = "cohorts/enrolment_confirm")]
pub async fn enrolment_confirm() -> Result<usize, AppError> {
    crate::error::finish(service::confirm().await)
}

/// Forget the waiting file.
#[server(endpoint = "cohorts/enrolment_cancel")]
pub async fn enrolment_cancel() -> Result<(), AppError> {
    crate::error::finish(service::cancel().await)
}

#[cfg(feature = "ssr")]
#[path = "enrolment_checks.rs"]
pub mod checks;
#[cfg(feature = "ssr")]
#[path = "enrolment_service.rs"]
pub mod service;
#[cfg(all(test, feature = "ssr"))]
#[path = "enrolment_tests.rs"]
mod tests;

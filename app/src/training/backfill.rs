//! Back-fill at go-live: the People department imports historic completions from a CSV
//! file (employee number or email, requirement, completion date, optional certificate
//! reference), sees every row and every problem by line number, and confirms; then every
//! row is recorded or none is, checked again inside the transaction.
//!
//! The file waits between the preview and the confirmation in `import_uploads` (see
//! `crate::imports`, shared with the HR import), one per person and organisation (not in
//! the session, which is read on every request), replaced by each new preview and deleted
//! on confirmation.
//!
//! Imported rows carry the source their requirement's kind implies (see
//! `recording::source_for`) and the reason "Imported at go-live from FILE".

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The largest file accepted, in bytes of text.
pub const MAX_BYTES: usize = 1_000_000;
/// The most rows in one file.
pub const MAX_ROWS: usize = 5_000;

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
    /// The person's name when found, else what the file gave.
    pub person: String,
    /// The requirement's name when found, else what the file gave.
    pub requirement: String,
    /// As the file has it.
    pub completed_on: String,
    pub reference: String,
    pub problems: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub file_name: String,
    pub rows: Vec<PreviewRow>,
    pub problems: Vec<Problem>,
}

/// What the import page shows: the file waiting to be confirmed, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackfillView {
    pub preview: Option<Preview>,
}

#[server(endpoint = "training/import_state")]
pub async fn backfill_state() -> Result<BackfillView, AppError> {
    crate::error::finish(service::state().await)
}

/// Keep the pasted CSV text for the preview, replacing any file waiting (nothing is
/// recorded yet). `file_name` is kept with the rows; empty for "pasted text".
#[server(endpoint = "training/import_upload")]
pub async fn backfill_upload(csv: String, file_name: Option<String>) -> Result<(), AppError> {
    crate::error::finish(service::upload(csv, file_name.unwrap_or_default()).await)
}

/// Record every row of the waiting file, or none; returns how many were recorded.
#[server(endpoint = "training/import_confirm")]
pub async fn backfill_confirm() -> Result<usize, AppError> {
    crate::error::finish(service::confirm().await)
}

/// Forget the waiting file.
#[server(endpoint = "training/import_cancel")]
pub async fn backfill_cancel() -> Result<(), AppError> {
    crate::error::finish(service::cancel().await)
}

#[cfg(feature = "ssr")]
#[path = "backfill_checks.rs"]
pub mod checks;
#[cfg(feature = "ssr")]
#[path = "backfill_service.rs"]
pub mod service;
#[cfg(all(test, feature = "ssr"))]
#[path = "backfill_tests.rs"]
mod tests;

//! The HR import: the People department pastes the CSV export of their HR system, says
//! which column is which, sees every row and every problem by line number, and confirms;
//! then every row is saved or none is.
//!
//! How the file travels: the text is posted once (a plain form, so it works without
//! JavaScript) and kept, with the mapping, as the asker's waiting file in `import_uploads`
//! (see `crate::imports`; not in the session, which is read on every request); the preview
//! and the confirmation both read it from there, so what is confirmed is exactly what was
//! previewed, and confirming checks everything again against the database as it is then,
//! and removes the file in the same transaction. A new preview replaces it.
//!
//! Matching: by employee number, then by email, only among the asker's organisation's
//! accounts. A blank cell leaves the stored value alone; nobody is ever deleted.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest file accepted, in bytes of text (about 5,000 rows of a typical export).
pub const MAX_BYTES: usize = 1_000_000;
/// The most rows in one file.
pub const MAX_ROWS: usize = 5_000;

/// What a column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    FullName,
    Email,
    EmployeeNumber,
    JobTitle,
    Department,
    StartDate,
    LineManager,
    LeavingDate,
    Role,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::FullName,
        Field::Email,
        Field::EmployeeNumber,
        Field::JobTitle,
        Field::Department,
        Field::StartDate,
        Field::LineManager,
        Field::LeavingDate,
        Field::Role,
    ];

    /// The form field's name (and the key in the remembered mapping).
    pub fn key(self) -> &'static str {
        match self {
            Field::FullName => "full_name",
            Field::Email => "email",
            Field::EmployeeNumber => "employee_number",
            Field::JobTitle => "job_title",
            Field::Department => "department",
            Field::StartDate => "start_date",
            Field::LineManager => "line_manager",
            Field::LeavingDate => "leaving_date",
            Field::Role => "role",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::FullName => "Full name",
            Field::Email => "Email",
            Field::EmployeeNumber => "Employee number",
            Field::JobTitle => "Job title",
            Field::Department => "Department",
            Field::StartDate => "Start date",
            Field::LineManager => "Line manager (email or employee number)",
            Field::LeavingDate => "Leaving date",
            Field::Role => "Role for new people (staff if not given)",
        }
    }
}

/// Which column heading holds each field (a field not mapped is not in the file).
pub type Mapping = BTreeMap<Field, String>;

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
    /// The cells of the mapped fields, in [`Field::ALL`] order ("" when blank or unmapped).
    pub cells: Vec<String>,
    /// "New person", or "Update" with who it matched.
    pub action: String,
    pub problems: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub headings: Vec<String>,
    pub mapping: Mapping,
    pub rows: Vec<PreviewRow>,
    pub problems: Vec<Problem>,
    pub new_people: usize,
    pub updates: usize,
}

/// Someone in the organisation the file did not mention: perhaps a leaver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingPerson {
    pub id: crate::ids::PersonId,
    pub full_name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub created: usize,
    pub updated: usize,
    pub invited: usize,
    pub missing: Vec<MissingPerson>,
}

/// What the import page shows: the file waiting to be confirmed, the last result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub preview: Option<Preview>,
    pub outcome: Option<Outcome>,
}

#[server(endpoint = "staff/import_state")]
pub async fn import_state() -> Result<ImportView, AppError> {
    crate::error::finish(service::state().await)
}

/// Keep the pasted CSV text for the preview (nothing is saved in the records yet).
#[server(endpoint = "staff/import_upload")]
pub async fn import_upload(csv: String) -> Result<(), AppError> {
    crate::error::finish(service::upload(csv).await)
}

pub use mapping_form::*;

/// The mapping form's server function: one field per column it can map.
mod mapping_form {
    // The generated client and server halves take every form field as an argument.
    #![allow(clippy::too_many_arguments)]
    use super::*;

    /// Say which column heading holds each field ("" for "not in the file").
    #[server(endpoint = "staff/import_map")]
    pub async fn import_map(
        full_name: Option<String>,
        email: Option<String>,
        employee_number: Option<String>,
        job_title: Option<String>,
        department: Option<String>,
        start_date: Option<String>,
        line_manager: Option<String>,
        leaving_date: Option<String>,
        role: Option<String>,
    ) -> Result<(), AppError> {
        let chosen = [
            (Field::FullName, full_name),
            (Field::Email, email),
            (Field::EmployeeNumber, employee_number),
            (Field::JobTitle, job_title),
            (Field::Department, department),
            (Field::StartDate, start_date),
            (Field::LineManager, line_manager),
            (Field::LeavingDate, leaving_date),
            (Field::Role, role),
        ];
        let mapping: Mapping = chosen
            .into_iter()
            .filter_map(|(f, v)| {
                v.map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .map(|v| (f, v))
            })
            .collect();
        crate::error::finish(service::set_mapping(mapping).await)
    }
}

/// Save every row of the waiting file, or none; `send_invitations` ticked ("on") emails
/// the new people their invitation.
#[server(endpoint = "staff/import_confirm")]
pub async fn import_confirm(send_invitations: Option<String>) -> Result<Outcome, AppError> {
    crate::error::finish(service::confirm(send_invitations.is_some()).await)
}

/// Forget the waiting file.
#[server(endpoint = "staff/import_cancel")]
pub async fn import_cancel() -> Result<(), AppError> {
    crate::error::finish(service::cancel().await)
}

#[cfg(feature = "ssr")]
#[path = "import_file.rs"]
mod file;
#[cfg(feature = "ssr")]
pub use file::*;
#[cfg(feature = "ssr")]
#[path = "import_checks.rs"]
mod checks;
#[cfg(feature = "ssr")]
pub use checks::*;
#[cfg(feature = "ssr")]
#[path = "import_managers.rs"]
mod managers;
#[cfg(feature = "ssr")]
#[path = "import_service.rs"]
pub mod service;
#[cfg(all(test, feature = "ssr"))]
#[path = "import_tests.rs"]
mod tests;

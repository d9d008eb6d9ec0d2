//! External courses (#13): a member of staff records a course taken elsewhere, with its
//! certificate file (PDF, PNG or JPEG, at most 5 MB, its kind read from its bytes); the
//! People department records one for someone, and verifies or rejects each with a
//! reason. Only a verified course counts: verifying adds the `training_completions` row.
//! Files live in the database, and are served only to the person, anyone above them in
//! the line-manager chain, and the People department and administrators.
//!
//! Layers, each using only those before it: `types` (what pages receive), `evidence` and
//! `input` (pure rules for files and fields), `queries` and `file_queries` (all the SQL), `service` (the
//! rules with the guard), then the server functions here, `upload` (the upload and
//! download routes) and the pages.

pub mod check_pages;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod evidence;
#[cfg(feature = "ssr")]
pub mod file_queries;
#[cfg(feature = "ssr")]
pub mod input;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod upload;

pub use types::*;

use crate::error::AppError;
use crate::ids::ExternalCourseId;
use leptos::prelude::*;

/// The upload form's POST and the certificate download.
#[cfg(feature = "ssr")]
pub fn routes() -> axum::Router<crate::state::AppState> {
    upload::routes()
}

/// The asker's own external courses, newest first, with where each stands.
#[server(endpoint = "courses/mine")]
pub async fn my_courses() -> Result<Vec<CourseRecord>, AppError> {
    crate::error::finish(service::mine().await)
}

/// What the "Record an external course" form needs; `refused` is the id of a refused
/// upload to show again (from the form's address).
#[server(endpoint = "courses/form")]
pub async fn load_course_form(refused: Option<String>) -> Result<CourseForm, AppError> {
    crate::error::finish(service::form(refused).await)
}

/// The People department's list of courses awaiting a check, oldest first.
#[server(endpoint = "courses/awaiting")]
pub async fn awaiting_courses(page: Option<String>) -> Result<AwaitingList, AppError> {
    crate::error::finish(service::awaiting(page).await)
}

/// Verify a course: it now counts towards its requirement.
#[server(endpoint = "courses/verify")]
pub async fn verify_course(course_id: ExternalCourseId) -> Result<(), AppError> {
    crate::error::finish(service::decide(course_id, None).await)
}

/// Reject a course; the reason is required, and the member of staff sees it.
#[server(endpoint = "courses/reject")]
pub async fn reject_course(course_id: ExternalCourseId, reason: String) -> Result<(), AppError> {
    crate::error::finish(service::decide(course_id, Some(reason)).await)
}

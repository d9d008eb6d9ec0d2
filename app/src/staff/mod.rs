//! Staff records: what the People department keeps about each member of staff (employee
//! number, job title, department, start and leaving dates, line manager), edited by hand
//! or imported from the HR system's export. Staff training status (`training`) is worked
//! out from these facts.

pub mod import;
pub mod import_pages;
#[cfg(feature = "ssr")]
pub mod import_queries;
pub mod pages;
pub mod rules;
pub mod types;

#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod service;

pub use types::*;

use crate::error::AppError;
use crate::ids::PersonId;
use leptos::prelude::*;

/// The organisation's staff, by name: `q` searches name and email, `show=exceptions`
/// keeps only people with no line manager or whose manager has left, `page` as typed.
#[server(endpoint = "staff/list")]
pub async fn list_staff(
    q: Option<String>,
    show: Option<String>,
    page: Option<String>,
) -> Result<StaffList, AppError> {
    crate::error::finish(service::list_staff(q, show, page).await)
}

/// A member of staff's record, with the people who may be their line manager.
#[server(endpoint = "staff/record")]
pub async fn load_staff_record(person_id: PersonId) -> Result<RecordForm, AppError> {
    crate::error::finish(service::record(person_id).await)
}

/// Save a record. Dates as `2024-09-02` or `02/09/2024`; empty fields clear them;
/// `line_manager_id` empty for none.
#[server(endpoint = "staff/save_record")]
pub async fn save_staff_record(
    person_id: PersonId,
    employee_number: String,
    job_title: String,
    department: String,
    start_date: String,
    line_manager_id: String,
    leaving_date: String,
) -> Result<(), AppError> {
    crate::error::finish(
        service::save(
            person_id,
            service::RecordInput {
                employee_number,
                job_title,
                department,
                start_date,
                line_manager_id,
                leaving_date,
            },
        )
        .await,
    )
}

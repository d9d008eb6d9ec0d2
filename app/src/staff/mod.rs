//! Staff records: what the People department keeps about each member of staff (employee
//! number, job title, department, start and leaving dates, line manager), edited by hand
//! or imported from the HR system's export. Staff training status (`training`) is worked
//! out from these facts.

pub mod import;
pub mod import_pages;
#[cfg(feature = "ssr")]
pub mod import_queries;
pub mod rules;

//! Plain data about staff records, shared by the server and the browser.

use crate::ids::PersonId;
use crate::people::Paging;
use serde::{Deserialize, Serialize};

/// Longest job title, department or employee number, in characters.
pub const MAX_TEXT_LENGTH: usize = 200;

/// One member of staff's record, as the form shows it. Dates are calendar days
/// (`2024-09-02`); a person without a stored record has empty fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRecord {
    pub person_id: PersonId,
    pub full_name: String,
    pub email: String,
    pub employee_number: String,
    pub job_title: String,
    pub department: String,
    pub start_date: Option<String>,
    pub line_manager_id: Option<PersonId>,
    pub leaving_date: Option<String>,
}

/// Someone who may be chosen as a line manager.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagerChoice {
    pub id: PersonId,
    pub full_name: String,
    pub email: String,
}

/// A record and the people who may manage its person (staff who have not left, not
/// the person themselves). The current manager is always among them, marked if they
/// have left since, so the form shows what is stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordForm {
    pub record: StaffRecord,
    pub managers: Vec<ManagerChoice>,
    /// The stored manager's name and leaving day, when they have left.
    pub manager_left: Option<(String, String)>,
}

/// A member of staff in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub id: PersonId,
    pub full_name: String,
    pub email: String,
    pub job_title: String,
    pub department: String,
    pub start_date: Option<String>,
    pub leaving_date: Option<String>,
    pub line_manager: Option<String>,
    /// The line manager's leaving day, when they have left (on or before today).
    pub manager_left_on: Option<String>,
    /// The line manager's account is closed or holds no staff role any more.
    pub manager_no_longer_staff: bool,
    /// On or before today.
    pub has_left: bool,
}

/// One page of the organisation's staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffList {
    pub rows: Vec<StaffRow>,
    pub paging: Paging,
    /// Only the exceptions (no manager, or a manager who has left) were asked for.
    pub exceptions_only: bool,
    /// How many exceptions the organisation has, whatever the search.
    pub exceptions: u64,
}

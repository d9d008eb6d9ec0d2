//! What the external-course pages receive. Plain data with serde, so the same types reach
//! the browser; the rules are in `input` and `evidence`, the SQL in `queries`.

use crate::ids::{ExternalCourseId, PersonId, RequirementId};
use crate::people::Paging;
use serde::{Deserialize, Serialize};

/// The largest certificate file accepted: 5 MB.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// Where the upload form posts (a plain axum route: a file does not fit a server function).
pub const UPLOAD_PATH: &str = "/training/courses/upload";

/// Courses per page on the People department's list.
pub const PER_PAGE: u32 = 25;

/// Where a course stands. Computed from whether the People department has decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CourseState {
    AwaitingCheck,
    Verified,
    Rejected,
}

impl CourseState {
    pub fn label(self) -> &'static str {
        match self {
            CourseState::AwaitingCheck => "Awaiting check",
            CourseState::Verified => "Verified",
            CourseState::Rejected => "Rejected",
        }
    }
}

/// One of the person's own courses, as "My external courses" lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseRecord {
    pub id: ExternalCourseId,
    pub requirement: String,
    pub provider: String,
    pub title: String,
    /// A day, `YYYY-MM-DD`.
    pub completed_on: String,
    pub hours_tenths: i64,
    pub file_name: String,
    pub state: CourseState,
    /// Why it was rejected (rejected courses only).
    pub reason: Option<String>,
    /// The (London) day it was verified or rejected, `YYYY-MM-DD`.
    pub decided_on: Option<String>,
}

/// A requirement an external course can meet, to choose in the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementChoice {
    pub id: RequirementId,
    pub name: String,
}

/// A member of staff the People department may record a course for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonChoice {
    pub id: PersonId,
    pub full_name: String,
    pub email: String,
}

/// A refused upload, shown on the form it returns to: the message and what was typed (never the
/// file). Kept in the person's own session, never read from the address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refused {
    /// Matches the `refused` in the form's address, so only that view shows it.
    pub id: String,
    pub message: String,
    pub fields: Vec<(String, String)>,
}

impl Refused {
    /// What was typed in the field `name`, or "".
    pub fn value(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// Everything the "Record an external course" form needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseForm {
    pub me: PersonId,
    pub requirements: Vec<RequirementChoice>,
    /// The organisation's staff, for the People department (empty for anyone else).
    pub people: Vec<PersonChoice>,
    pub refused: Option<Refused>,
}

/// A course waiting for the People department's check.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AwaitingCourse {
    pub id: ExternalCourseId,
    pub person: String,
    pub email: String,
    pub requirement: String,
    pub provider: String,
    pub title: String,
    pub completed_on: String,
    pub hours_tenths: i64,
    pub file_name: String,
    pub size_bytes: i64,
    /// The (London) day it was recorded, `YYYY-MM-DD`.
    pub recorded_on: String,
}

/// One page of the courses awaiting a check, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AwaitingList {
    pub rows: Vec<AwaitingCourse>,
    pub paging: Paging,
}

/// "7.5 hours", "1 hour".
pub fn hours_text(tenths: i64) -> String {
    let whole = tenths / 10;
    let tenth = tenths % 10;
    let number = if tenth == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{tenth}")
    };
    if tenths == 10 {
        "1 hour".to_string()
    } else {
        format!("{number} hours")
    }
}

/// "2 September 2024" for a stored day, or the text as it is.
pub fn day_text(day: &str) -> String {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|_| day.to_string())
}

/// "1.2 MB", "350 KB".
pub fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_and_sizes_read_as_people_say_them() {
        assert_eq!(hours_text(75), "7.5 hours");
        assert_eq!(hours_text(10), "1 hour");
        assert_eq!(hours_text(3), "0.3 hours");
        assert_eq!(hours_text(60), "6 hours");
        assert_eq!(size_text(2_000), "2 KB");
        assert_eq!(size_text(3 * 1024 * 1024 / 2), "1.5 MB");
        assert_eq!(day_text("2024-09-02"), "2 September 2024");
    }
}

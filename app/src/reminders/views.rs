//! What the People department's reminder pages show: the reminder log, the settings form
//! and the dashboard's "Reminders" section. Plain data, sent from the server functions.

use crate::ids::PersonId;
use crate::people::Paging;
use serde::{Deserialize, Serialize};

/// The log's filters as they arrive in the address (all optional text).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFilters {
    /// Part of the recipient's name or email.
    pub person: Option<String>,
    /// One person's id (from a link).
    pub person_id: Option<String>,
    /// An ISO week, as `<input type="week">` sends it: 2026-W49.
    pub week: Option<String>,
    pub page: Option<String>,
}

/// One reminder email in the log, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    /// When it was queued, London time: "2 Dec 2026, 08:01".
    pub queued: String,
    pub recipient_id: PersonId,
    pub recipient_name: String,
    pub recipient_email: String,
    /// The kind of reminder, as `ReminderKind::label` says it.
    pub kind: String,
    /// What it listed, in a few words.
    pub summary: String,
    /// Sent, waiting, being retried or failed, and why: see `words::delivery`.
    pub state: String,
}

/// One page of the organisation's reminder log, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderLog {
    /// The filters in force (a refused one left out).
    pub filters: LogFilters,
    /// What was wrong with the filters asked for, in words.
    pub problems: Vec<String>,
    pub lines: Vec<LogLine>,
    pub paging: Paging,
}

/// The settings form: the organisation's settings as saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub due_soon_days: u32,
    /// ISO weekday: 1 Monday ... 7 Sunday.
    pub digest_weekday: u32,
    pub escalate_after_days: u32,
    pub send_hour: u32,
    /// While paused: "Paused since 2 Dec 2026, 08:00 by Morgan People".
    pub paused: Option<String>,
}

/// The People dashboard's "Reminders" section.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemindersSummary {
    /// When the last run finished, London time; None: never.
    pub last_run: Option<String>,
    /// No run has finished for `LATE_AFTER_HOURS`.
    pub late: bool,
    /// While paused: since when, London time.
    pub paused_since: Option<String>,
}

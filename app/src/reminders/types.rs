//! What reminders are, shared by the pages and the server: the organisation's settings,
//! the stages a requirement's reminders go through and the kinds of reminder email.

use serde::{Deserialize, Serialize};

/// The weekday digests go on unless changed (ISO numbering: 1 is Monday).
pub const DEFAULT_DIGEST_WEEKDAY: u32 = 1;
/// Overdue by more than this many days: in the People department's escalation digest.
pub const DEFAULT_ESCALATE_AFTER_DAYS: u32 = 30;
/// Emails go from this hour, London time.
pub const DEFAULT_SEND_HOUR: u32 = 8;
/// With no successful run for this long, the People dashboard and `/healthz` warn.
pub const LATE_AFTER_HOURS: i64 = 36;

/// An organisation's reminder settings. The due-soon days are the training setting of the
/// same name (`training_settings`): one number drives both the statuses and the reminders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderSettings {
    pub due_soon_days: u32,
    /// ISO weekday of the weekly digests: 1 Monday ... 7 Sunday.
    pub digest_weekday: u32,
    pub escalate_after_days: u32,
    /// The hour (0 to 23, London time) from which the day's emails go.
    pub send_hour: u32,
    /// When all reminders were paused (the app's UTC timestamp), if they are.
    pub paused_since: Option<String>,
}

impl ReminderSettings {
    pub fn defaults(due_soon_days: u32) -> ReminderSettings {
        ReminderSettings {
            due_soon_days,
            digest_weekday: DEFAULT_DIGEST_WEEKDAY,
            escalate_after_days: DEFAULT_ESCALATE_AFTER_DAYS,
            send_hour: DEFAULT_SEND_HOUR,
            paused_since: None,
        }
    }

    pub fn is_paused(&self) -> bool {
        self.paused_since.is_some()
    }
}

/// A weekday's name from its ISO number (1 Monday ... 7 Sunday).
pub fn weekday_name(iso: u32) -> &'static str {
    match iso {
        1 => "Monday",
        2 => "Tuesday",
        3 => "Wednesday",
        4 => "Thursday",
        5 => "Friday",
        6 => "Saturday",
        _ => "Sunday",
    }
}

/// Where a requirement's reminders have got to for one due date. Each stage's email goes
/// once; after a gap only the latest stage reached goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// Within the due-soon days before the due date.
    DueSoon,
    /// The due date is today.
    Due,
    /// Past the due date.
    Overdue,
    /// Overdue by more than the escalation days: the People department is told too.
    Escalated,
}

impl Stage {
    pub const ALL: [Stage; 4] = [Stage::DueSoon, Stage::Due, Stage::Overdue, Stage::Escalated];

    /// The stored name (in `notifications_sent.period`).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::DueSoon => "due-soon",
            Stage::Due => "due",
            Stage::Overdue => "overdue",
            Stage::Escalated => "escalated",
        }
    }

    pub fn parse(text: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// The three kinds of reminder email.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReminderKind {
    /// To a member of staff: everything that needs them.
    Staff,
    /// Weekly, to a line manager: the people below them who are overdue or due soon.
    ManagerDigest,
    /// Weekly, to the People department: escalations and people without a manager.
    PeopleDigest,
}

impl ReminderKind {
    pub const ALL: [ReminderKind; 3] = [
        ReminderKind::Staff,
        ReminderKind::ManagerDigest,
        ReminderKind::PeopleDigest,
    ];

    /// The stored name (in `reminder_log.kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::Staff => "staff",
            ReminderKind::ManagerDigest => "manager-digest",
            ReminderKind::PeopleDigest => "people-digest",
        }
    }

    /// Its kind of "sent once" key in `notifications_sent`.
    pub const fn sent_key(self) -> &'static str {
        match self {
            ReminderKind::Staff => "cpd-reminder",
            ReminderKind::ManagerDigest => "cpd-manager-digest",
            ReminderKind::PeopleDigest => "cpd-people-digest",
        }
    }

    pub fn parse(text: &str) -> Option<ReminderKind> {
        ReminderKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// As the reminder log shows it.
    pub fn label(self) -> &'static str {
        match self {
            ReminderKind::Staff => "Reminder to a member of staff",
            ReminderKind::ManagerDigest => "Weekly digest to a line manager",
            ReminderKind::PeopleDigest => "Weekly escalation to the People department",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_and_kinds_round_trip_through_their_stored_names() {
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        }
        for kind in ReminderKind::ALL {
            assert_eq!(ReminderKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(Stage::parse("late"), None);
        assert!(Stage::DueSoon < Stage::Due && Stage::Overdue < Stage::Escalated);
    }
}

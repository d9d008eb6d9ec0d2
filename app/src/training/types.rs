//! What a training requirement is, what is known about a member of staff, and where they
//! stand. Plain data with serde, so the same types reach the browser; the rules that join
//! them are in `rules`, the SQL in `queries`.

use crate::auth::Role;
use crate::ids::{ModuleSlug, RequirementId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How many days before a due date someone shows as "due soon", unless the organisation
/// chose another number.
pub const DEFAULT_DUE_SOON_DAYS: u32 = 30;

/// A training requirement as the People department sets it: what satisfies it, who it
/// applies to, when it is first due and how it renews.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub name: String,
    /// A local label such as "Level 3": free text, not law. May be empty.
    pub level: String,
    pub satisfied_by: SatisfiedBy,
    pub applies_to: AppliesTo,
    pub first_due: FirstDue,
    pub renews: Renewal,
    /// For renewals on a schedule (from the due date, or a fixed day): how many days
    /// before a due date a completion counts for that cycle. See `rules`.
    pub window_days: Option<u32>,
    /// Time given to people already in post when the rule was added or changed.
    pub grace: Option<Grace>,
}

/// A requirement as an organisation keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementRecord {
    pub id: RequirementId,
    /// The built-in default it started as (see `defaults`), if it did.
    pub default_key: Option<String>,
    pub requirement: Requirement,
}

/// What counts as doing the training.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SatisfiedBy {
    /// Passing this one of our modules (built in or the organisation's own).
    Module { module_id: ModuleSlug },
    /// Passing any of our modules.
    AnyModule,
    /// An external course, recorded with evidence.
    ExternalCourse,
    /// Attending a briefing (a team meeting, a safeguarding e-bulletin).
    Briefing,
    /// Reading and acknowledging a document the organisation publishes in versions.
    Document { document: String },
}

/// Who the requirement applies to. It only ever applies to staff (anyone with a role
/// other than learner).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppliesTo {
    AllStaff,
    /// Staff holding any of these roles.
    Roles(Vec<Role>),
    /// Staff in any of these departments (compared ignoring case and extra spaces).
    Departments(Vec<String>),
    /// Staff with any of these job titles (compared ignoring case and extra spaces).
    JobTitles(Vec<String>),
}

/// When the requirement is first due for a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FirstDue {
    /// Within this many days of the day it began to apply to them (their start date, or
    /// for a requirement of a role, the day they were given the role if later).
    WithinDaysOfStart { days: u32 },
    /// By this date, for everyone it applies to (see `rules` for people who join later).
    ByDate { date: NaiveDate },
}

/// How the requirement comes round again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Renewal {
    Never,
    /// Due again this many months after each completion.
    MonthsAfterCompletion {
        months: u32,
    },
    /// Due again this many months after the previous due date: renewing early loses nothing.
    MonthsAfterDueDate {
        months: u32,
    },
    /// Due every year on this day (29 February falls on 28 February in other years).
    EveryYearOn {
        month: u32,
        day: u32,
    },
}

/// Nobody to whom the requirement already applied on `in_post_on` (the day it was added
/// or changed) is due before `until`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grace {
    pub in_post_on: NaiveDate,
    pub until: NaiveDate,
}

/// What the status rules need to know about a member of staff, as it is today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffFacts {
    /// The start date from their staff record; where none is recorded, the caller passes
    /// the day their account was created, so every rule has a day to count from.
    pub start: NaiveDate,
    /// Their last day, if they are leaving or have left.
    pub leaving: Option<NaiveDate>,
    pub roles: Vec<HeldRole>,
    pub department: Option<String>,
    pub job_title: Option<String>,
}

/// A role and the day it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldRole {
    pub role: Role,
    pub since: NaiveDate,
}

/// Where a person stands with one requirement today. Computed from dates, never stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Done for the current cycle; `until` is when it is next due (None: never again).
    Compliant {
        until: Option<NaiveDate>,
    },
    /// Due within the organisation's "due soon" days (0: due today).
    DueSoon {
        due: NaiveDate,
        days_left: u32,
    },
    Overdue {
        due: NaiveDate,
        days: u32,
    },
    /// Never done yet, and not due for a while (a new starter, a new rule).
    NotYetDue {
        due: NaiveDate,
    },
    NotRequired {
        reason: NotRequiredReason,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotRequiredReason {
    /// Their leaving date has come.
    Left,
    /// It does not apply to them (any more): their completions are kept all the same.
    DoesNotApply,
}

impl Status {
    /// The date the person is working towards, if there is one.
    pub fn due(&self) -> Option<NaiveDate> {
        match *self {
            Status::Compliant { until } => until,
            Status::DueSoon { due, .. }
            | Status::Overdue { due, .. }
            | Status::NotYetDue { due } => Some(due),
            Status::NotRequired { .. } => None,
        }
    }
}

/// How many people stand where: the counts on the dashboard and in a rule's preview.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub compliant: u32,
    pub due_soon: u32,
    pub overdue: u32,
    pub not_yet_due: u32,
    pub not_required: u32,
}

impl StatusCounts {
    pub fn add(&mut self, status: &Status) {
        let count = match status {
            Status::Compliant { .. } => &mut self.compliant,
            Status::DueSoon { .. } => &mut self.due_soon,
            Status::Overdue { .. } => &mut self.overdue,
            Status::NotYetDue { .. } => &mut self.not_yet_due,
            Status::NotRequired { .. } => &mut self.not_required,
        };
        *count += 1;
    }

    /// Everyone the requirement applies to (all but "not required").
    pub fn required(&self) -> u32 {
        self.compliant + self.due_soon + self.overdue + self.not_yet_due
    }
}

/// Where a completion came from. The stored names are stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CompletionSource {
    ModulePass,
    ExternalCourse,
    Briefing,
    Acknowledgement,
    /// The People department correcting an earlier row (a new date, or withdrawn).
    Correction,
}

impl CompletionSource {
    pub const ALL: [CompletionSource; 5] = [
        CompletionSource::ModulePass,
        CompletionSource::ExternalCourse,
        CompletionSource::Briefing,
        CompletionSource::Acknowledgement,
        CompletionSource::Correction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CompletionSource::ModulePass => "module-pass",
            CompletionSource::ExternalCourse => "external-course",
            CompletionSource::Briefing => "briefing",
            CompletionSource::Acknowledgement => "acknowledgement",
            CompletionSource::Correction => "correction",
        }
    }

    pub fn parse(value: &str) -> Option<CompletionSource> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_sources_round_trip_through_their_stored_names() {
        for source in CompletionSource::ALL {
            assert_eq!(CompletionSource::parse(source.as_str()), Some(source));
        }
        assert_eq!(CompletionSource::parse("guess"), None);
    }
}

//! The status rules at their edges (see `rules.rs`).
use super::*;
use crate::error::AppError;
use crate::training::checks::check;
use crate::training::types::HeldRole;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date in the test")
}

fn staff(start: &str) -> StaffFacts {
    StaffFacts {
        start: d(start),
        leaving: None,
        roles: vec![HeldRole {
            role: Role::Staff,
            since: d(start),
        }],
        department: None,
        job_title: None,
    }
}

fn rule(first_due: FirstDue, renews: Renewal) -> Requirement {
    Requirement {
        name: "Test requirement".into(),
        level: String::new(),
        satisfied_by: SatisfiedBy::Briefing,
        applies_to: AppliesTo::AllStaff,
        first_due,
        renews,
        window_days: None,
        grace: None,
    }
}

fn within(days: u32) -> FirstDue {
    FirstDue::WithinDaysOfStart { days }
}

fn by(date: &str) -> FirstDue {
    FirstDue::ByDate { date: d(date) }
}

fn from_completion(months: u32) -> Renewal {
    Renewal::MonthsAfterCompletion { months }
}

fn from_due_date(months: u32) -> Renewal {
    Renewal::MonthsAfterDueDate { months }
}

fn windowed(mut requirement: Requirement, days: u32) -> Requirement {
    requirement.window_days = Some(days);
    requirement
}

/// The status on `today` with completions `done`, due soon meaning 30 days.
fn at(requirement: &Requirement, facts: &StaffFacts, done: &[&str], today: &str) -> Status {
    at_with(requirement, facts, done, today, 30)
}

fn at_with(
    requirement: &Requirement,
    facts: &StaffFacts,
    done: &[&str],
    today: &str,
    due_soon_days: u32,
) -> Status {
    let done: Vec<NaiveDate> = done.iter().map(|day| d(day)).collect();
    status(requirement, facts, &done, d(today), due_soon_days)
}

fn compliant(until: &str) -> Status {
    Status::Compliant {
        until: Some(d(until)),
    }
}

const DONE_FOR_GOOD: Status = Status::Compliant { until: None };

fn due_soon(due: &str, days_left: u32) -> Status {
    Status::DueSoon {
        due: d(due),
        days_left,
    }
}

fn overdue(due: &str, days: u32) -> Status {
    Status::Overdue { due: d(due), days }
}

fn not_yet(due: &str) -> Status {
    Status::NotYetDue { due: d(due) }
}

const LEFT: Status = Status::NotRequired {
    reason: NotRequiredReason::Left,
};
const DOES_NOT_APPLY: Status = Status::NotRequired {
    reason: NotRequiredReason::DoesNotApply,
};

mod days_and_checks;
mod due_dates;
mod renewals;
mod who;

//! The status rules as pure functions: no database, no clock. Given a requirement, what
//! is known about a member of staff, the days they completed it and today's date, where
//! do they stand? Everything is calendar days (`NaiveDate`): "today" is decided once, in
//! Europe/London, by the caller (`calendar::today`), so a midnight near a clock change
//! never moves a due date.
//!
//! The rules, in the words the People department reads:
//!
//! - **Who.** A requirement only applies to staff (anyone with a role other than
//!   learner) who match it. A leaver (leaving date on or before today) and someone it no
//!   longer applies to are "not required"; their completions stay in the history.
//! - **First due.** Counted from the day it began to apply: the start date, or for a
//!   requirement of a role, the day the role was given if that is later (so a member of
//!   staff made DSL today has the DSL training due from today, not from years ago). A
//!   department or job title has no date of change, so it counts from the start date.
//!   "By a fixed date": for anyone it applies to after that date, the first due date is
//!   the next one on the renewal schedule, or with no schedule, the day it applies.
//! - **Grace.** Nobody to whom the rule already applied on the day it was added or
//!   changed is due before the grace date. It moves the first due date, and a schedule
//!   counted from the due date then runs on from it.
//! - **Renewal from the completion.** Due again N months after the latest completion
//!   (never before the first due date: training that ran out before someone started does
//!   not make them overdue from before they started). Every completion counts, so there is
//!   no window.
//! - **Renewal on a schedule** (every N months from the previous due date, or on a fixed
//!   day every year). The due dates are fixed in advance. A completion made while a due
//!   date is missed meets it (late), and every due date up to the completion's day. A
//!   completion made in good time meets the next due date: with a window, only if it is
//!   made within the window's days before that date (earlier, it changes nothing); with
//!   no window, any time after the previous due date. A completion that meets a due date
//!   and also falls in the window of the one after meets that one too, so a new starter
//!   who does the training just before the yearly date is not asked twice. Renewing early
//!   loses nothing: the next due date stays on the schedule.
//! - **First cycle on a schedule.** A completion counts for the first due date if it is
//!   at most one renewal period older than it (recent training from a previous employer
//!   counts, training from years ago does not); with a window, from the window's start, or
//!   from the day it began to apply if that is earlier (a new starter's first week counts).
//! - **Months** are calendar months: 31 January + 1 month = 28 (or 29) February. On a
//!   schedule, every due date is counted from the first one, so a schedule that starts on
//!   31 January comes back to 31 March, not 28 March, and one that starts on 29 February
//!   falls on 28 February in other years and on 29 February again in leap years.
//! - **A fixed day of 29 February** falls on 28 February in years without one: the due
//!   date stays in February (as adding months does) instead of moving into March.
//! - **Status.** Overdue the day after the due date, by the days since. Due soon from N
//!   days before it (N set per organisation, the due date itself included: "due in 0
//!   days"), but not before a completion would count (a window shorter than N). Otherwise
//!   compliant until the due date once it has been met at least once, or not yet due.

use super::types::{
    AppliesTo, FirstDue, Grace, NotRequiredReason, Renewal, Requirement, SatisfiedBy, StaffFacts,
    Status,
};
use crate::auth::Role;
use crate::ids::ModuleSlug;
use chrono::{Datelike, Days, Months, NaiveDate};

/// Where `facts` stands with `requirement` on `today`, given the days they completed it.
pub fn status(
    requirement: &Requirement,
    facts: &StaffFacts,
    completions: &[NaiveDate],
    today: NaiveDate,
    due_soon_days: u32,
) -> Status {
    if facts.leaving.is_some_and(|last_day| last_day <= today) {
        return Status::NotRequired {
            reason: NotRequiredReason::Left,
        };
    }
    let Some(from) = applies_from(&requirement.applies_to, facts) else {
        return Status::NotRequired {
            reason: NotRequiredReason::DoesNotApply,
        };
    };
    let done = counted(completions, today);
    let cycle = current_cycle(requirement, from, &done);
    status_of(&cycle, today, due_soon_days)
}

/// The days that count for a requirement: those recorded against it, and for one met by
/// passing a module, the days the person passed it (or, for any module, any module).
pub fn days_done(
    satisfied_by: &SatisfiedBy,
    recorded: impl IntoIterator<Item = NaiveDate>,
    passes: &[(ModuleSlug, NaiveDate)],
) -> Vec<NaiveDate> {
    let passed = passes.iter().filter(|(module_id, _)| match satisfied_by {
        SatisfiedBy::Module { module_id: wanted } => module_id == wanted,
        SatisfiedBy::AnyModule => true,
        _ => false,
    });
    recorded
        .into_iter()
        .chain(passed.map(|(_, day)| *day))
        .collect()
}

/// The day the requirement began to apply to the person, or None if it does not.
pub fn applies_from(applies_to: &AppliesTo, facts: &StaffFacts) -> Option<NaiveDate> {
    if !facts.roles.iter().any(|held| held.role != Role::Learner) {
        return None;
    }
    match applies_to {
        AppliesTo::AllStaff => Some(facts.start),
        AppliesTo::Roles(roles) => facts
            .roles
            .iter()
            .filter(|held| roles.contains(&held.role))
            .map(|held| held.since.max(facts.start))
            .min(),
        AppliesTo::Departments(names) => {
            matches_any(names, facts.department.as_deref()).then_some(facts.start)
        }
        AppliesTo::JobTitles(names) => {
            matches_any(names, facts.job_title.as_deref()).then_some(facts.start)
        }
    }
}

/// Whether `value` is one of `names`, compared as people type them into an HR system:
/// any case, any spacing.
fn matches_any(names: &[String], value: Option<&str>) -> bool {
    let value = normalise(value.unwrap_or_default());
    !value.is_empty() && names.iter().any(|name| normalise(name) == value)
}

fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The completions that count today: none from the future, each day once, in order.
fn counted(completions: &[NaiveDate], today: NaiveDate) -> Vec<NaiveDate> {
    let mut done: Vec<NaiveDate> = completions
        .iter()
        .copied()
        .filter(|day| *day <= today)
        .collect();
    done.sort_unstable();
    done.dedup();
    done
}

/// Where the person is in the requirement's cycles, after all their completions.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Cycle {
    /// The date they are working towards; None: met for good (a requirement that never
    /// renews, or a schedule past the end of the calendar).
    pub(crate) due: Option<NaiveDate>,
    /// The first day a completion would count towards `due`.
    pub(crate) opens: NaiveDate,
    /// Whether any due date has been met.
    pub(crate) met: bool,
}

fn current_cycle(requirement: &Requirement, from: NaiveDate, done: &[NaiveDate]) -> Cycle {
    let first = first_due(requirement, from);
    match schedule(requirement.renews, first) {
        Some(schedule) => on_schedule(&schedule, requirement.window_days, from, done),
        None => unscheduled(requirement.renews, first, done),
    }
}

/// The person's first due date, with any grace.
pub fn first_due(requirement: &Requirement, from: NaiveDate) -> NaiveDate {
    let planned = match requirement.first_due {
        FirstDue::WithinDaysOfStart { days } => from
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MAX),
        FirstDue::ByDate { date } if date >= from => date,
        FirstDue::ByDate { date } => joined_after(requirement.renews, date, from),
    };
    with_grace(planned, requirement.grace, from)
}

/// For someone to whom a "by a fixed date" rule began to apply after that date: the next
/// due date on the schedule, or with none, the day it began to apply.
fn joined_after(renews: Renewal, date: NaiveDate, from: NaiveDate) -> NaiveDate {
    let Some(schedule) = schedule(renews, date) else {
        return from;
    };
    let index = schedule.index_after(0, from.pred_opt().unwrap_or(from));
    index.and_then(|i| schedule.nth(i)).unwrap_or(from)
}

fn with_grace(planned: NaiveDate, grace: Option<Grace>, from: NaiveDate) -> NaiveDate {
    match grace {
        Some(grace) if from <= grace.in_post_on => planned.max(grace.until),
        _ => planned,
    }
}

/// Never renewing, or renewing from each completion.
fn unscheduled(renews: Renewal, first: NaiveDate, done: &[NaiveDate]) -> Cycle {
    let (due, met) = match (renews, done.last()) {
        (_, None) => (Some(first), false),
        (Renewal::MonthsAfterCompletion { months }, Some(last)) => {
            let expires = add_months(*last, months).unwrap_or(NaiveDate::MAX);
            (Some(expires.max(first)), expires >= first)
        }
        // Never renewing (the only other kind without a schedule): done for good.
        (_, Some(_)) => (None, true),
    };
    Cycle {
        due,
        opens: NaiveDate::MIN,
        met,
    }
}

/// The due dates of a renewal on a schedule: the first due date, then the rest.
#[derive(Debug)]
struct Schedule {
    first: NaiveDate,
    every: Every,
}

#[derive(Clone, Copy, Debug)]
enum Every {
    Months(u32),
    YearOn { month: u32, day: u32 },
}

fn schedule(renews: Renewal, first: NaiveDate) -> Option<Schedule> {
    let every = match renews {
        Renewal::MonthsAfterDueDate { months } => Every::Months(months.max(1)),
        Renewal::EveryYearOn { month, day } => Every::YearOn { month, day },
        Renewal::Never | Renewal::MonthsAfterCompletion { .. } => return None,
    };
    Some(Schedule { first, every })
}

impl Schedule {
    /// The `i`th due date (0: the first); None past the end of the calendar. Each is
    /// counted from the first, never from the one before, so a month-end stays one.
    fn nth(&self, i: u32) -> Option<NaiveDate> {
        if i == 0 {
            return Some(self.first);
        }
        match self.every {
            Every::Months(months) => add_months(self.first, months.checked_mul(i)?),
            Every::YearOn { month, day } => {
                let this_year = yearly_day(self.first.year(), month, day)?;
                let first_year = if this_year > self.first {
                    self.first.year()
                } else {
                    self.first.year().checked_add(1)?
                };
                let year = first_year.checked_add(i32::try_from(i - 1).ok()?)?;
                yearly_day(year, month, day)
            }
        }
    }

    /// One renewal period before the first due date.
    fn period_before_first(&self) -> NaiveDate {
        let months = match self.every {
            Every::Months(months) => months,
            Every::YearOn { .. } => 12,
        };
        self.first
            .checked_sub_months(Months::new(months))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The index of the first due date after `day`, looking from index `i` on; None
    /// when the calendar ends first.
    fn index_after(&self, mut i: u32, day: NaiveDate) -> Option<u32> {
        loop {
            if self.nth(i)? > day {
                return Some(i);
            }
            i = i.checked_add(1)?;
        }
    }
}

/// Walk the completions through a schedule's due dates (see the module's rules).
fn on_schedule(
    schedule: &Schedule,
    window: Option<u32>,
    from: NaiveDate,
    done: &[NaiveDate],
) -> Cycle {
    let mut at = Some(0);
    let mut cycle = Cycle {
        due: Some(schedule.first),
        opens: first_opening(schedule, window, from),
        met: false,
    };
    for &day in done {
        let (Some(i), Some(due)) = (at, cycle.due) else {
            break;
        };
        if day < cycle.opens {
            continue;
        }
        cycle.met = true;
        // It meets `due`, late or not, and every due date up to its own day...
        at = schedule.index_after(i, day.max(due));
        // ...and the one after that too if it falls within its window.
        if let (Some(next), Some(days)) = (at, window) {
            let next_due = schedule.nth(next);
            if next_due.is_some_and(|d| minus_days(d, days) <= day) {
                at = next.checked_add(1);
            }
        }
        cycle.due = at.and_then(|i| schedule.nth(i));
        cycle.opens = at.map_or(NaiveDate::MIN, |i| opening(schedule, window, i));
    }
    cycle
}

/// Where the first cycle opens: one period before the first due date; with a window,
/// the window's start or the day the rule began to apply, whichever is earlier, but
/// never more than one period back.
fn first_opening(schedule: &Schedule, window: Option<u32>, from: NaiveDate) -> NaiveDate {
    let period = schedule.period_before_first();
    match window {
        Some(days) => period.max(minus_days(schedule.first, days).min(from)),
        None => period,
    }
}

/// Where the cycle of the `i`th due date opens (after the first): its window's start, or
/// with no window the due date before it.
fn opening(schedule: &Schedule, window: Option<u32>, i: u32) -> NaiveDate {
    let opens = match window {
        Some(days) => schedule.nth(i).map(|due| minus_days(due, days)),
        None => i.checked_sub(1).and_then(|before| schedule.nth(before)),
    };
    opens.unwrap_or(NaiveDate::MIN)
}

pub(crate) fn status_of(cycle: &Cycle, today: NaiveDate, due_soon_days: u32) -> Status {
    let Some(due) = cycle.due else {
        return Status::Compliant { until: None };
    };
    if due < today {
        return Status::Overdue {
            due,
            days: days_between(due, today),
        };
    }
    let days_left = days_between(today, due);
    if days_left <= due_soon_days && today >= cycle.opens {
        Status::DueSoon { due, days_left }
    } else if cycle.met {
        Status::Compliant { until: Some(due) }
    } else {
        Status::NotYetDue { due }
    }
}

/// Calendar months later: the same day of the month, or the month's last day if it has
/// no such day (31 January + 1 month = 28 or 29 February).
pub fn add_months(day: NaiveDate, months: u32) -> Option<NaiveDate> {
    day.checked_add_months(Months::new(months))
}

/// The fixed day `month`/`day` in `year`; 29 February is 28 February in other years.
pub fn yearly_day(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| {
        (month == 2 && day == 29)
            .then(|| NaiveDate::from_ymd_opt(year, 2, 28))
            .flatten()
    })
}

fn minus_days(day: NaiveDate, days: u32) -> NaiveDate {
    day.checked_sub_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MIN)
}

fn days_between(earlier: NaiveDate, later: NaiveDate) -> u32 {
    u32::try_from((later - earlier).num_days()).unwrap_or(u32::MAX)
}

#[cfg(test)]
#[path = "rules_tests/mod.rs"]
mod tests;

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
use crate::error::AppError;
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
    recorded: &[NaiveDate],
    passes: &[(ModuleSlug, NaiveDate)],
) -> Vec<NaiveDate> {
    let passed = passes.iter().filter(|(module_id, _)| match satisfied_by {
        SatisfiedBy::Module { module_id: wanted } => module_id == wanted,
        SatisfiedBy::AnyModule => true,
        _ => false,
    });
    recorded
        .iter()
        .copied()
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
struct Cycle {
    /// The date they are working towards; None: met for good (a requirement that never
    /// renews, or a schedule past the end of the calendar).
    due: Option<NaiveDate>,
    /// The first day a completion would count towards `due`.
    opens: NaiveDate,
    /// Whether any due date has been met.
    met: bool,
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

fn status_of(cycle: &Cycle, today: NaiveDate, due_soon_days: u32) -> Status {
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

/// Longest first-due period, renewal and window we accept: ten years.
const MAX_DAYS: u32 = 3650;
const MAX_MONTHS: u32 = 120;

/// Whether a requirement makes sense, with a message saying what to fix if not.
pub fn check(requirement: &Requirement) -> Result<(), AppError> {
    check_words(requirement)?;
    check_satisfied_by(&requirement.satisfied_by)?;
    check_applies_to(&requirement.applies_to)?;
    check_timing(requirement)
}

fn check_words(requirement: &Requirement) -> Result<(), AppError> {
    let name = requirement.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(AppError::invalid(
            "Give the requirement a name of 1 to 120 characters.",
        ));
    }
    if requirement.level.chars().count() > 60 {
        return Err(AppError::invalid("Keep the level to 60 characters."));
    }
    Ok(())
}

fn check_satisfied_by(satisfied_by: &SatisfiedBy) -> Result<(), AppError> {
    match satisfied_by {
        SatisfiedBy::Module { module_id } if module_id.as_str().trim().is_empty() => {
            Err(AppError::invalid("Choose the module that satisfies it."))
        }
        SatisfiedBy::Document { document } if document.trim().is_empty() => {
            Err(AppError::invalid("Choose the document to acknowledge."))
        }
        _ => Ok(()),
    }
}

fn check_applies_to(applies_to: &AppliesTo) -> Result<(), AppError> {
    let blank = |names: &[String]| names.is_empty() || names.iter().any(|n| n.trim().is_empty());
    match applies_to {
        AppliesTo::AllStaff => Ok(()),
        AppliesTo::Roles(roles) if roles.is_empty() => {
            Err(AppError::invalid("Choose at least one role."))
        }
        AppliesTo::Roles(roles) if roles.contains(&Role::Learner) => Err(AppError::invalid(
            "Training requirements are for staff: learners cannot be chosen.",
        )),
        AppliesTo::Roles(_) => Ok(()),
        AppliesTo::Departments(names) if blank(names) => Err(AppError::invalid(
            "Name at least one department, with no empty names.",
        )),
        AppliesTo::JobTitles(names) if blank(names) => Err(AppError::invalid(
            "Name at least one job title, with no empty titles.",
        )),
        AppliesTo::Departments(_) | AppliesTo::JobTitles(_) => Ok(()),
    }
}

fn check_timing(requirement: &Requirement) -> Result<(), AppError> {
    if let FirstDue::WithinDaysOfStart { days } = requirement.first_due {
        if days > MAX_DAYS {
            return Err(AppError::invalid(
                "The first due date must be within 3650 days of the start date.",
            ));
        }
    }
    let shortest_period = match requirement.renews {
        Renewal::Never => None,
        Renewal::MonthsAfterCompletion { months } | Renewal::MonthsAfterDueDate { months } => {
            if months == 0 || months > MAX_MONTHS {
                return Err(AppError::invalid("Renew every 1 to 120 months."));
            }
            Some(months * 28)
        }
        Renewal::EveryYearOn { month, day } => {
            if NaiveDate::from_ymd_opt(2024, month, day).is_none() {
                return Err(AppError::invalid("Choose a day of the year that exists."));
            }
            Some(365)
        }
    };
    check_window(requirement, shortest_period)?;
    match requirement.grace {
        Some(grace) if grace.until < grace.in_post_on => Err(AppError::invalid(
            "The grace date must come after the day the rule was added.",
        )),
        _ => Ok(()),
    }
}

fn check_window(requirement: &Requirement, shortest_period: Option<u32>) -> Result<(), AppError> {
    let Some(days) = requirement.window_days else {
        return Ok(());
    };
    let scheduled = matches!(
        requirement.renews,
        Renewal::MonthsAfterDueDate { .. } | Renewal::EveryYearOn { .. }
    );
    if !scheduled {
        return Err(AppError::invalid(
            "A window only applies when renewal is counted from the due date or falls on a fixed day.",
        ));
    }
    if days == 0 || shortest_period.is_some_and(|period| days >= period) {
        return Err(AppError::invalid(
            "The window must be at least 1 day and shorter than the time between due dates.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn module_passes_count_only_for_requirements_met_by_that_module() {
        let passes = vec![
            (
                ModuleSlug::from_param("staff-online-safety"),
                d("2026-02-01"),
            ),
            (ModuleSlug::from_param("grooming"), d("2026-03-01")),
        ];
        let recorded = [d("2026-01-15")];
        let staff_module = SatisfiedBy::Module {
            module_id: ModuleSlug::from_param("staff-online-safety"),
        };
        assert_eq!(
            days_done(&staff_module, &recorded, &passes),
            ["2026-01-15", "2026-02-01"].map(d)
        );
        assert_eq!(
            days_done(&SatisfiedBy::AnyModule, &[], &passes),
            ["2026-02-01", "2026-03-01"].map(d)
        );
        assert_eq!(
            days_done(&SatisfiedBy::Briefing, &recorded, &passes),
            ["2026-01-15"].map(d)
        );
    }

    // The start date itself.

    #[test]
    fn due_within_0_days_means_due_on_the_start_date_itself() {
        let r = rule(within(0), Renewal::Never);
        let p = staff("2026-03-02");
        assert_eq!(at(&r, &p, &[], "2026-03-02"), due_soon("2026-03-02", 0));
        assert_eq!(at(&r, &p, &[], "2026-03-03"), overdue("2026-03-02", 1));
        assert_eq!(at(&r, &p, &["2026-03-02"], "2026-03-02"), DONE_FOR_GOOD);
    }

    #[test]
    fn the_first_due_date_counts_calendar_days_from_the_start_date() {
        let r = rule(within(28), Renewal::Never);
        let p = staff("2026-01-05");
        // 5 January + 28 days: 2 February. On the first day, 28 days are left.
        assert_eq!(at(&r, &p, &[], "2026-01-05"), due_soon("2026-02-02", 28));
        assert_eq!(
            at_with(&r, &p, &[], "2026-01-05", 14),
            not_yet("2026-02-02")
        );
        // Done on the first day, or even before it (at a previous post), counts.
        assert_eq!(at(&r, &p, &["2026-01-05"], "2026-01-06"), DONE_FOR_GOOD);
        assert_eq!(at(&r, &p, &["2025-11-01"], "2026-01-06"), DONE_FOR_GOOD);
    }

    #[test]
    fn someone_who_has_not_started_yet_is_not_yet_due() {
        let r = rule(within(28), Renewal::Never);
        assert_eq!(
            at(&r, &staff("2026-09-01"), &[], "2026-06-01"),
            not_yet("2026-09-29")
        );
    }

    // 29 February and month ends.

    #[test]
    fn a_start_on_29_february_counts_days_like_any_other() {
        let r = rule(within(28), Renewal::Never);
        assert_eq!(
            at(&r, &staff("2028-02-29"), &[], "2028-02-29"),
            due_soon("2028-03-28", 28)
        );
    }

    #[test]
    fn twelve_months_after_29_february_is_28_february() {
        let r = rule(within(28), from_completion(12));
        let p = staff("2028-01-10");
        assert_eq!(
            at(&r, &p, &["2028-02-29"], "2028-06-01"),
            compliant("2029-02-28")
        );
        assert_eq!(add_months(d("2024-02-29"), 48), Some(d("2028-02-29")));
        assert_eq!(add_months(d("2026-01-31"), 1), Some(d("2026-02-28")));
        assert_eq!(add_months(d("2028-01-31"), 1), Some(d("2028-02-29")));
    }

    #[test]
    fn a_schedule_counts_every_due_date_from_the_first_so_month_ends_stay() {
        let leap = Schedule {
            first: d("2028-02-29"),
            every: Every::Months(12),
        };
        let dates: Vec<_> = (0..5).filter_map(|i| leap.nth(i)).collect();
        assert_eq!(
            dates,
            [
                "2028-02-29",
                "2029-02-28",
                "2030-02-28",
                "2031-02-28",
                "2032-02-29"
            ]
            .map(d)
        );
        let month_end = Schedule {
            first: d("2026-01-31"),
            every: Every::Months(1),
        };
        let dates: Vec<_> = (0..4).filter_map(|i| month_end.nth(i)).collect();
        assert_eq!(
            dates,
            ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"].map(d)
        );
    }

    #[test]
    fn a_fixed_day_of_29_february_falls_on_28_february_in_other_years() {
        assert_eq!(yearly_day(2027, 2, 29), Some(d("2027-02-28")));
        assert_eq!(yearly_day(2028, 2, 29), Some(d("2028-02-29")));
        assert_eq!(yearly_day(2027, 2, 30), None);
        let yearly = Schedule {
            first: d("2026-12-01"),
            every: Every::YearOn { month: 2, day: 29 },
        };
        let dates: Vec<_> = (0..4).filter_map(|i| yearly.nth(i)).collect();
        assert_eq!(
            dates,
            ["2026-12-01", "2027-02-28", "2028-02-29", "2029-02-28"].map(d)
        );
        let r = rule(by("2027-02-28"), Renewal::EveryYearOn { month: 2, day: 29 });
        let p = staff("2020-01-01");
        assert_eq!(
            at(&r, &p, &["2027-02-20"], "2027-03-01"),
            compliant("2028-02-29")
        );
        assert_eq!(
            at(&r, &p, &["2027-02-20", "2028-02-27"], "2028-03-01"),
            compliant("2029-02-28")
        );
    }

    // The due-soon boundary.

    #[test]
    fn due_soon_starts_exactly_n_days_before_the_due_date() {
        let r = rule(within(28), Renewal::Never);
        let p = staff("2026-01-05"); // due 2 February
        assert_eq!(
            at_with(&r, &p, &[], "2026-01-22", 10),
            not_yet("2026-02-02")
        );
        assert_eq!(
            at_with(&r, &p, &[], "2026-01-23", 10),
            due_soon("2026-02-02", 10)
        );
        assert_eq!(
            at_with(&r, &p, &[], "2026-02-02", 10),
            due_soon("2026-02-02", 0)
        );
        assert_eq!(
            at_with(&r, &p, &[], "2026-02-03", 10),
            overdue("2026-02-02", 1)
        );
        // With 0 days, only the due date itself is "due soon".
        assert_eq!(at_with(&r, &p, &[], "2026-02-01", 0), not_yet("2026-02-02"));
        assert_eq!(
            at_with(&r, &p, &[], "2026-02-02", 0),
            due_soon("2026-02-02", 0)
        );
    }

    #[test]
    fn a_renewal_is_due_soon_n_days_before_and_compliant_until_then() {
        let r = rule(within(28), from_completion(12));
        let p = staff("2026-01-05");
        let done = ["2026-01-10"];
        assert_eq!(at(&r, &p, &done, "2026-12-10"), compliant("2027-01-10"));
        assert_eq!(at(&r, &p, &done, "2026-12-11"), due_soon("2027-01-10", 30));
        assert_eq!(at(&r, &p, &done, "2027-01-11"), overdue("2027-01-10", 1));
    }

    // Renewal counted from the completion.

    #[test]
    fn counted_from_the_completion_the_latest_completion_sets_the_due_date() {
        let r = rule(within(28), from_completion(12));
        let p = staff("2026-01-05");
        assert_eq!(
            at(&r, &p, &["2026-01-20"], "2026-03-01"),
            compliant("2027-01-20")
        );
        // Renewing early starts the twelve months again from that day.
        assert_eq!(
            at(&r, &p, &["2026-01-20", "2026-11-01"], "2026-11-02"),
            compliant("2027-11-01")
        );
        // Late: overdue until done, then twelve months from the day it was done.
        assert_eq!(
            at(&r, &p, &["2026-01-20", "2027-03-01"], "2027-02-15"),
            overdue("2027-01-20", 26)
        );
        assert_eq!(
            at(&r, &p, &["2026-01-20", "2027-03-01"], "2027-03-02"),
            compliant("2028-03-01")
        );
    }

    #[test]
    fn training_that_ran_out_before_someone_started_leaves_the_first_due_date() {
        let r = rule(within(28), from_completion(12));
        let p = staff("2026-01-05"); // first due 2 February
        assert_eq!(
            at(&r, &p, &["2024-06-01"], "2026-01-10"),
            due_soon("2026-02-02", 23)
        );
        // Still valid from a previous post: good until it runs out.
        assert_eq!(
            at(&r, &p, &["2025-06-01"], "2026-01-10"),
            compliant("2026-06-01")
        );
    }

    #[test]
    fn completions_after_today_do_not_count_yet() {
        let r = rule(within(28), from_completion(12));
        let p = staff("2026-01-05");
        assert_eq!(
            at(&r, &p, &["2026-06-01"], "2026-05-01"),
            overdue("2026-02-02", 88)
        );
    }

    // Renewal counted from the due date.

    #[test]
    fn counted_from_the_due_date_renewing_early_loses_nothing() {
        let r = rule(within(28), from_due_date(12));
        let p = staff("2026-01-05"); // due 2 February each year
        assert_eq!(
            at(&r, &p, &["2026-01-20"], "2026-03-01"),
            compliant("2027-02-02")
        );
        // Renewed three months early: still due on the schedule, a year on.
        assert_eq!(
            at(&r, &p, &["2026-01-20", "2026-11-01"], "2026-11-02"),
            compliant("2028-02-02")
        );
        // Counted from the completion, the same two days give less.
        let from_done = rule(within(28), from_completion(12));
        assert_eq!(
            at(&from_done, &p, &["2026-01-20", "2026-11-01"], "2026-11-02"),
            compliant("2027-11-01")
        );
    }

    #[test]
    fn counted_from_the_due_date_a_late_completion_keeps_the_schedule() {
        let r = rule(within(28), from_due_date(12));
        let p = staff("2026-01-05");
        assert_eq!(
            at(&r, &p, &["2026-03-01"], "2026-02-20"),
            overdue("2026-02-02", 18)
        );
        assert_eq!(
            at(&r, &p, &["2026-03-01"], "2026-03-02"),
            compliant("2027-02-02")
        );
    }

    #[test]
    fn missed_cycles_stay_overdue_from_the_first_until_one_completion_clears_them() {
        let r = rule(within(28), from_due_date(12));
        let p = staff("2026-01-05");
        assert_eq!(at(&r, &p, &[], "2027-03-01"), overdue("2026-02-02", 392));
        assert_eq!(
            at(&r, &p, &["2027-03-01"], "2027-03-01"),
            compliant("2028-02-02")
        );
    }

    #[test]
    fn two_completions_before_a_due_date_meet_it_once() {
        let r = rule(within(28), from_due_date(12));
        let p = staff("2026-01-05");
        assert_eq!(
            at(&r, &p, &["2026-01-10", "2026-01-20"], "2026-03-01"),
            compliant("2027-02-02")
        );
        // The same day recorded twice (a briefing and a correction, say) is one day.
        assert_eq!(
            at(&r, &p, &["2026-03-01", "2026-03-01"], "2026-03-02"),
            compliant("2027-02-02")
        );
    }

    // Renewal on a fixed day every year.

    /// The default yearly update's shape: first within a year, then every 30 September,
    /// anything from 1 July counting for that year.
    fn yearly_update(window: Option<u32>) -> Requirement {
        let mut r = rule(within(365), Renewal::EveryYearOn { month: 9, day: 30 });
        r.window_days = window;
        r
    }

    #[test]
    fn on_a_fixed_day_a_new_starter_joins_the_yearly_round() {
        let r = yearly_update(Some(91));
        let p = staff("2026-08-01"); // first due 1 August 2027
        assert_eq!(at(&r, &p, &[], "2026-10-01"), not_yet("2027-08-01"));
        // The September briefing after starting meets the first due date; the next is
        // the yearly one.
        assert_eq!(
            at(&r, &p, &["2026-09-05"], "2026-10-01"),
            compliant("2027-09-30")
        );
        assert_eq!(
            at(&r, &p, &["2026-09-05", "2027-09-06"], "2027-10-01"),
            compliant("2028-09-30")
        );
        // Renewing in July, inside the window, loses nothing.
        assert_eq!(
            at(&r, &p, &["2026-09-05", "2027-07-15"], "2027-08-01"),
            compliant("2028-09-30")
        );
    }

    #[test]
    fn on_a_fixed_day_one_completion_meets_a_first_due_date_just_before_it() {
        let p = staff("2026-09-15"); // first due 15 September 2027, then 30 September
        assert_eq!(
            at(&yearly_update(Some(91)), &p, &["2027-09-06"], "2027-09-20"),
            compliant("2028-09-30")
        );
        // With no window, the yearly date asks again.
        assert_eq!(
            at(&yearly_update(None), &p, &["2027-09-06"], "2027-09-20"),
            due_soon("2027-09-30", 10)
        );
    }

    #[test]
    fn on_a_fixed_day_a_missed_year_is_overdue_from_that_day() {
        let r = yearly_update(Some(91));
        let p = staff("2026-08-01");
        // 30 September 2027 to 10 October 2028: 376 days (2028 is a leap year).
        assert_eq!(
            at(&r, &p, &["2026-09-05"], "2028-10-10"),
            overdue("2027-09-30", 376)
        );
        assert_eq!(
            at(&r, &p, &["2026-09-05", "2028-10-10"], "2028-10-10"),
            compliant("2029-09-30")
        );
    }

    // The window.

    #[test]
    fn before_the_window_a_completion_changes_nothing() {
        let r = windowed(rule(within(28), from_due_date(12)), 30);
        let p = staff("2026-01-05"); // due 2 February; next window opens 3 January 2027
        assert_eq!(
            at(&r, &p, &["2026-01-20", "2026-11-01"], "2026-11-02"),
            compliant("2027-02-02")
        );
        assert_eq!(
            at(&r, &p, &["2026-01-20", "2027-01-02"], "2027-01-10"),
            due_soon("2027-02-02", 23)
        );
        // From the window's first day, it counts for the next cycle.
        assert_eq!(
            at(&r, &p, &["2026-01-20", "2027-01-03"], "2027-01-10"),
            compliant("2028-02-02")
        );
    }

    #[test]
    fn due_soon_waits_for_a_window_shorter_than_the_due_soon_days() {
        let r = windowed(rule(within(28), from_due_date(12)), 14);
        let p = staff("2026-01-05");
        let done = ["2026-01-20"];
        // 23 days before: inside the 30 due-soon days, but nothing done now would count.
        assert_eq!(at(&r, &p, &done, "2027-01-10"), compliant("2027-02-02"));
        assert_eq!(at(&r, &p, &done, "2027-01-19"), due_soon("2027-02-02", 14));
    }

    #[test]
    fn a_late_completion_inside_the_next_window_meets_both() {
        let r = windowed(rule(within(28), from_due_date(12)), 30);
        let p = staff("2026-01-05");
        assert_eq!(
            at(&r, &p, &["2027-01-10"], "2027-01-11"),
            compliant("2028-02-02")
        );
        assert_eq!(
            at(&r, &p, &["2026-06-01"], "2026-06-02"),
            compliant("2027-02-02")
        );
    }

    #[test]
    fn for_the_first_due_date_anything_since_starting_counts_but_nothing_stale() {
        let r = windowed(rule(within(28), from_due_date(12)), 7);
        let p = staff("2026-01-05");
        // The first day, long before the 7-day window: a new starter's induction counts.
        assert_eq!(
            at(&r, &p, &["2026-01-05"], "2026-01-06"),
            compliant("2027-02-02")
        );
        // No window: up to one period (12 months) before the first due date counts...
        let open = rule(within(28), from_due_date(12));
        assert_eq!(
            at(&open, &p, &["2025-03-01"], "2026-01-06"),
            compliant("2027-02-02")
        );
        // ...and older training does not.
        assert_eq!(
            at(&open, &p, &["2024-12-01"], "2026-01-10"),
            due_soon("2026-02-02", 23)
        );
    }

    // Leavers, role changes, who it applies to.

    #[test]
    fn a_leaver_is_not_required_from_their_leaving_date() {
        let r = rule(within(28), Renewal::Never);
        let mut p = staff("2026-01-05");
        p.leaving = Some(d("2026-03-31"));
        assert_eq!(at(&r, &p, &[], "2026-03-30"), overdue("2026-02-02", 56));
        assert_eq!(at(&r, &p, &[], "2026-03-31"), LEFT);
        assert_eq!(at(&r, &p, &["2026-01-10"], "2026-04-01"), LEFT);
    }

    fn dsl_rule() -> Requirement {
        Requirement {
            applies_to: AppliesTo::Roles(vec![Role::Dsl]),
            ..rule(within(90), from_completion(24))
        }
    }

    #[test]
    fn a_role_requirement_counts_from_the_day_the_role_was_given() {
        let r = dsl_rule();
        let mut p = staff("2020-09-01");
        assert_eq!(at(&r, &p, &[], "2026-05-02"), DOES_NOT_APPLY);
        p.roles.push(HeldRole {
            role: Role::Dsl,
            since: d("2026-05-01"),
        });
        // 90 days from 1 May, not from the start in 2020.
        assert_eq!(at(&r, &p, &[], "2026-05-02"), not_yet("2026-07-30"));
        // A role recorded before the start date counts from the start date.
        let mut early = staff("2026-05-01");
        early.roles.push(HeldRole {
            role: Role::Dsl,
            since: d("2026-04-01"),
        });
        assert_eq!(at(&r, &early, &[], "2026-05-02"), not_yet("2026-07-30"));
    }

    #[test]
    fn a_role_taken_away_takes_the_requirement_with_it_and_keeps_the_history() {
        let r = dsl_rule();
        let mut p = staff("2020-09-01");
        p.roles.push(HeldRole {
            role: Role::Dsl,
            since: d("2021-01-01"),
        });
        let done = ["2025-01-10"];
        assert_eq!(at(&r, &p, &done, "2026-05-01"), compliant("2027-01-10"));
        p.roles.retain(|held| held.role != Role::Dsl);
        assert_eq!(at(&r, &p, &done, "2026-05-01"), DOES_NOT_APPLY);
        // Given back: the same completions count again.
        p.roles.push(HeldRole {
            role: Role::Dsl,
            since: d("2026-06-01"),
        });
        assert_eq!(at(&r, &p, &done, "2026-06-02"), compliant("2027-01-10"));
    }

    #[test]
    fn requirements_are_for_staff_only() {
        let r = rule(within(28), Renewal::Never);
        let mut p = staff("2026-01-05");
        p.roles = vec![HeldRole {
            role: Role::Learner,
            since: d("2026-01-05"),
        }];
        assert_eq!(at(&r, &p, &[], "2026-01-06"), DOES_NOT_APPLY);
        p.roles.push(HeldRole {
            role: Role::Tutor,
            since: d("2026-01-05"),
        });
        assert_eq!(at(&r, &p, &[], "2026-01-06"), due_soon("2026-02-02", 27));
    }

    #[test]
    fn departments_and_job_titles_match_whatever_the_case_and_spacing() {
        let r = Requirement {
            applies_to: AppliesTo::Departments(vec!["Health and Social Care".into()]),
            ..rule(within(28), Renewal::Never)
        };
        let mut p = staff("2026-01-05");
        assert_eq!(at(&r, &p, &[], "2026-01-06"), DOES_NOT_APPLY);
        p.department = Some("  health  and social CARE ".into());
        assert_eq!(at(&r, &p, &[], "2026-01-06"), due_soon("2026-02-02", 27));
        p.department = Some("Construction".into());
        assert_eq!(at(&r, &p, &[], "2026-01-06"), DOES_NOT_APPLY);
        let titles = Requirement {
            applies_to: AppliesTo::JobTitles(vec!["Assessor".into(), "Tutor".into()]),
            ..rule(within(28), Renewal::Never)
        };
        p.job_title = Some("assessor".into());
        assert_eq!(
            at(&titles, &p, &[], "2026-01-06"),
            due_soon("2026-02-02", 27)
        );
        p.job_title = Some(String::new());
        assert_eq!(at(&titles, &p, &[], "2026-01-06"), DOES_NOT_APPLY);
    }

    // Grace for people already in post.

    fn graced(requirement: Requirement) -> Requirement {
        Requirement {
            grace: Some(Grace {
                in_post_on: d("2026-12-01"),
                until: d("2027-03-01"),
            }),
            ..requirement
        }
    }

    #[test]
    fn people_already_in_post_are_not_due_before_the_grace_date() {
        let r = graced(rule(within(28), from_completion(12)));
        // Started in 2020: without grace, overdue for years.
        assert_eq!(
            at(&r, &staff("2020-09-01"), &[], "2026-12-02"),
            not_yet("2027-03-01")
        );
        // In post on the day the rule was added: graced too.
        assert_eq!(
            at(&r, &staff("2026-12-01"), &[], "2026-12-02"),
            not_yet("2027-03-01")
        );
        // A newcomer after that day follows the rule as written.
        assert_eq!(
            at(&r, &staff("2026-12-10"), &[], "2026-12-11"),
            due_soon("2027-01-07", 27)
        );
        // Grace never brings a due date forward.
        let short = Requirement {
            grace: Some(Grace {
                in_post_on: d("2026-12-01"),
                until: d("2026-12-05"),
            }),
            ..rule(within(28), Renewal::Never)
        };
        assert_eq!(
            at(&short, &staff("2026-11-30"), &[], "2026-12-01"),
            due_soon("2026-12-28", 27)
        );
    }

    #[test]
    fn a_schedule_from_the_due_date_runs_on_from_the_grace_date() {
        let r = graced(rule(within(28), from_due_date(12)));
        let p = staff("2020-09-01");
        assert_eq!(
            at(&r, &p, &["2027-02-20"], "2027-02-21"),
            compliant("2028-03-01")
        );
    }

    #[test]
    fn a_role_given_after_the_rule_was_added_gets_no_grace() {
        let r = graced(dsl_rule());
        let mut p = staff("2020-09-01");
        p.roles.push(HeldRole {
            role: Role::Dsl,
            since: d("2027-01-10"),
        });
        assert_eq!(at(&r, &p, &[], "2027-01-11"), not_yet("2027-04-10"));
    }

    // By a fixed date.

    #[test]
    fn by_a_fixed_date_for_everyone_in_post() {
        let r = rule(by("2027-03-31"), Renewal::Never);
        assert_eq!(
            at(&r, &staff("2020-09-01"), &[], "2027-01-01"),
            not_yet("2027-03-31")
        );
        // Someone who joins after the date has it due from their first day.
        assert_eq!(
            at(&r, &staff("2027-05-01"), &[], "2027-05-01"),
            due_soon("2027-05-01", 0)
        );
    }

    #[test]
    fn by_a_fixed_date_then_yearly_a_later_joiner_takes_the_next_yearly_date() {
        let r = rule(by("2026-09-30"), Renewal::EveryYearOn { month: 9, day: 30 });
        assert_eq!(
            at(&r, &staff("2027-01-10"), &[], "2027-01-11"),
            not_yet("2027-09-30")
        );
        assert_eq!(
            at(&r, &staff("2027-09-30"), &[], "2027-09-30"),
            due_soon("2027-09-30", 0)
        );
    }

    // Day by day.

    #[test]
    fn overdue_days_grow_by_one_each_day_and_never_turn_back() {
        let r = rule(within(28), from_due_date(12));
        let p = staff("2026-01-05");
        let mut day = d("2026-02-03");
        for expected in 1..=800 {
            assert_eq!(
                status(&r, &p, &[], day, 30),
                Status::Overdue {
                    due: d("2026-02-02"),
                    days: expected
                }
            );
            day = day.succ_opt().expect("a next day");
        }
    }

    // "Today" near the clock changes.

    #[cfg(feature = "ssr")]
    mod clock_changes {
        use super::*;
        use crate::calendar::today_at;
        use chrono::{DateTime, Utc};

        fn instant(text: &str) -> DateTime<Utc> {
            DateTime::parse_from_rfc3339(text)
                .expect("an instant in the test")
                .with_timezone(&Utc)
        }

        fn at_instant(r: &Requirement, p: &StaffFacts, when: &str) -> Status {
            status(r, p, &[], today_at(instant(when)), 30)
        }

        /// 29 March 2026: at 01:00 UTC, London goes from 01:00 GMT to 02:00 BST.
        #[test]
        fn the_spring_clock_change_never_moves_a_due_date() {
            let r = rule(within(28), Renewal::Never);
            let p = staff("2026-03-01"); // due Sunday 29 March
            for (when, expected) in [
                ("2026-03-28T23:30:00Z", due_soon("2026-03-29", 1)),
                ("2026-03-29T00:30:00Z", due_soon("2026-03-29", 0)),
                ("2026-03-29T00:59:59Z", due_soon("2026-03-29", 0)),
                ("2026-03-29T01:00:00Z", due_soon("2026-03-29", 0)),
                ("2026-03-29T01:30:00Z", due_soon("2026-03-29", 0)),
                ("2026-03-29T22:59:59Z", due_soon("2026-03-29", 0)),
                // Midnight in London is 23:00 UTC now: the next day, a day overdue.
                ("2026-03-29T23:00:00Z", overdue("2026-03-29", 1)),
            ] {
                assert_eq!(at_instant(&r, &p, when), expected, "at {when}");
            }
        }

        /// 25 October 2026: at 01:00 UTC, London goes from 02:00 BST back to 01:00 GMT.
        #[test]
        fn the_autumn_clock_change_never_moves_a_due_date() {
            let r = rule(within(28), Renewal::Never);
            let p = staff("2026-09-27"); // due Sunday 25 October
            for (when, expected) in [
                ("2026-10-24T22:59:59Z", due_soon("2026-10-25", 1)),
                // Already Sunday in London, though still Saturday in UTC.
                ("2026-10-24T23:00:00Z", due_soon("2026-10-25", 0)),
                ("2026-10-25T00:30:00Z", due_soon("2026-10-25", 0)),
                ("2026-10-25T01:00:00Z", due_soon("2026-10-25", 0)),
                ("2026-10-25T01:30:00Z", due_soon("2026-10-25", 0)),
                ("2026-10-25T23:59:59Z", due_soon("2026-10-25", 0)),
                ("2026-10-26T00:00:00Z", overdue("2026-10-25", 1)),
            ] {
                assert_eq!(at_instant(&r, &p, when), expected, "at {when}");
            }
        }

        #[test]
        fn a_completion_on_the_night_of_a_clock_change_is_the_london_day() {
            let r = rule(within(28), from_completion(12));
            let p = staff("2026-09-27");
            // Done at 23:30 UTC on Saturday: 00:30 on Sunday in London, on the due date.
            let done = today_at(instant("2026-10-24T23:30:00Z"));
            assert_eq!(done, d("2026-10-25"));
            let today = today_at(instant("2026-10-26T09:00:00Z"));
            assert_eq!(status(&r, &p, &[done], today, 30), compliant("2027-10-25"));
        }
    }

    // Checking a requirement.

    #[test]
    fn a_window_needs_a_schedule_and_must_be_shorter_than_it() {
        let on_completion = windowed(rule(within(28), from_completion(12)), 30);
        assert!(matches!(check(&on_completion), Err(AppError::Invalid(_))));
        let too_long = windowed(rule(within(28), from_due_date(1)), 28);
        assert!(matches!(check(&too_long), Err(AppError::Invalid(_))));
        let fine = windowed(rule(within(28), from_due_date(1)), 27);
        assert_eq!(check(&fine), Ok(()));
        let yearly = windowed(
            rule(within(28), Renewal::EveryYearOn { month: 9, day: 1 }),
            365,
        );
        assert!(matches!(check(&yearly), Err(AppError::Invalid(_))));
    }

    #[test]
    fn nonsense_requirements_are_refused_with_a_message() {
        let good = rule(within(28), Renewal::Never);
        assert_eq!(check(&good), Ok(()));
        let refused = [
            Requirement {
                name: "   ".into(),
                ..good.clone()
            },
            Requirement {
                applies_to: AppliesTo::Roles(vec![Role::Learner]),
                ..good.clone()
            },
            Requirement {
                applies_to: AppliesTo::Roles(vec![]),
                ..good.clone()
            },
            Requirement {
                applies_to: AppliesTo::Departments(vec![" ".into()]),
                ..good.clone()
            },
            Requirement {
                satisfied_by: SatisfiedBy::Module {
                    module_id: ModuleSlug::from_param(""),
                },
                ..good.clone()
            },
            Requirement {
                renews: Renewal::EveryYearOn { month: 2, day: 30 },
                ..good.clone()
            },
            Requirement {
                renews: from_completion(0),
                ..good.clone()
            },
            Requirement {
                first_due: within(5000),
                ..good.clone()
            },
            Requirement {
                grace: Some(Grace {
                    in_post_on: d("2027-01-01"),
                    until: d("2026-12-01"),
                }),
                ..good.clone()
            },
        ];
        for requirement in refused {
            assert!(
                matches!(check(&requirement), Err(AppError::Invalid(_))),
                "{requirement:?}"
            );
        }
        let leap_day = Requirement {
            renews: Renewal::EveryYearOn { month: 2, day: 29 },
            ..good
        };
        assert_eq!(check(&leap_day), Ok(()));
    }
}

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

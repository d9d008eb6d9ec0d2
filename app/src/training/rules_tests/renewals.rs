//! Renewing: from the completion, from the due date, on a fixed day, and windows.

use super::*;

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

//! First due dates, 29 February, schedules and the due-soon boundary.

use super::*;

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
        days_done(&staff_module, recorded, &passes),
        ["2026-01-15", "2026-02-01"].map(d)
    );
    assert_eq!(
        days_done(&SatisfiedBy::AnyModule, [], &passes),
        ["2026-02-01", "2026-03-01"].map(d)
    );
    assert_eq!(
        days_done(&SatisfiedBy::Briefing, recorded, &passes),
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

//! Who a requirement applies to: leavers, roles, departments, job titles, grace and fixed dates.

use super::*;

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

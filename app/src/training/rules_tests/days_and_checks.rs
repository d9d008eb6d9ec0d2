//! Day by day across the clock changes, and requirements refused as nonsense.

use super::*;

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
        ..good.clone()
    };
    assert_eq!(check(&leap_day), Ok(()));
}

#[test]
fn each_message_names_the_field_to_fix() {
    let good = rule(within(28), Renewal::Never);
    let cases = [
        (
            Requirement {
                name: "Tab\there".into(),
                ..good.clone()
            },
            "Name: remove the characters",
        ),
        (
            Requirement {
                applies_to: AppliesTo::JobTitles(vec!["Tutor".into(), "Bell\u{7}".into()]),
                ..good.clone()
            },
            "Job titles: remove the characters",
        ),
        (
            Requirement {
                satisfied_by: SatisfiedBy::Document {
                    document: "kcsie\r\n".into(),
                },
                ..good.clone()
            },
            "Document: remove the characters",
        ),
        (
            Requirement {
                renews: from_completion(121),
                ..good.clone()
            },
            "Renews: ",
        ),
        (windowed(good.clone(), 30), "Window: "),
    ];
    for (requirement, words) in cases {
        let message = check(&requirement).expect_err("refused").to_string();
        assert!(message.starts_with(words), "{message}");
    }
}

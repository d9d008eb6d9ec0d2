//! The document rule at its edges (see `documents.rs`).
use super::*;
use crate::auth::Role;
use crate::training::types::{AppliesTo, HeldRole, Renewal, SatisfiedBy};

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

fn read(first_due: FirstDue) -> Requirement {
    Requirement {
        name: "Keeping Children Safe in Education, Part one".into(),
        level: String::new(),
        satisfied_by: SatisfiedBy::Document {
            document: "kcsie-part-one".into(),
        },
        applies_to: AppliesTo::AllStaff,
        first_due,
        renews: Renewal::Never,
        window_days: None,
        grace: None,
    }
}

fn within(days: u32) -> Requirement {
    read(FirstDue::WithinDaysOfStart { days })
}

fn edition(number: u32, effective_from: &str) -> Option<Edition> {
    Some(Edition {
        number,
        effective_from: d(effective_from),
    })
}

/// The status on `today`, due soon meaning 30 days.
fn at(
    requirement: &Requirement,
    facts: &StaffFacts,
    current: Option<Edition>,
    acknowledged: Option<&str>,
    today: &str,
) -> Status {
    document_status(
        requirement,
        facts,
        current,
        acknowledged.map(d),
        d(today),
        30,
    )
}

#[test]
fn a_first_edition_is_due_its_days_after_it_takes_effect_for_people_in_post() {
    let old_hand = staff("2020-01-06");
    let first = edition(1, "2026-09-01");
    assert_eq!(
        at(&within(28), &old_hand, first, None, "2026-09-01"),
        Status::DueSoon {
            due: d("2026-09-29"),
            days_left: 28
        }
    );
    assert_eq!(
        at(&within(28), &old_hand, first, None, "2026-09-30"),
        Status::Overdue {
            due: d("2026-09-29"),
            days: 1
        }
    );
    assert_eq!(
        at(
            &within(28),
            &old_hand,
            first,
            Some("2026-09-10"),
            "2026-09-30"
        ),
        Status::Compliant { until: None }
    );
}

#[test]
fn a_new_starter_counts_from_their_start() {
    let starter = staff("2026-11-02");
    let current = edition(3, "2026-09-01");
    assert_eq!(
        at(&within(28), &starter, current, None, "2026-11-02"),
        Status::DueSoon {
            due: d("2026-11-30"),
            days_left: 28
        }
    );
    // Someone starting the day an edition takes effect is a new starter too.
    let same_day = staff("2026-09-01");
    assert_eq!(
        edition_due(&within(28), same_day.start, current.unwrap()),
        d("2026-09-29")
    );
}

#[test]
fn a_new_edition_makes_it_due_again_at_its_effective_date_plus_the_days() {
    let old_hand = staff("2020-01-06");
    let second = edition(2, "2027-09-01");
    // They acknowledged edition 1; edition 2 is current, so nothing of theirs counts.
    assert_eq!(
        at(&within(14), &old_hand, second, None, "2027-09-01"),
        Status::DueSoon {
            due: d("2027-09-15"),
            days_left: 14
        }
    );
    assert_eq!(
        at(&within(14), &old_hand, second, None, "2027-09-16"),
        Status::Overdue {
            due: d("2027-09-15"),
            days: 1
        }
    );
}

#[test]
fn a_new_edition_is_never_due_before_the_persons_own_first_due_date() {
    // Started a week before the edition took effect, with 28 days to read.
    let recent = staff("2026-08-25");
    let current = edition(2, "2026-09-01");
    assert_eq!(
        edition_due(&within(28), recent.start, current.unwrap()),
        d("2026-09-29")
    );
    // With a grace date later than that, the grace date.
    let mut graced = within(28);
    graced.grace = Some(crate::training::types::Grace {
        in_post_on: d("2026-08-30"),
        until: d("2026-10-31"),
    });
    assert_eq!(
        edition_due(&graced, recent.start, current.unwrap()),
        d("2026-10-31")
    );
}

#[test]
fn by_a_fixed_date_the_date_counts_first_and_later_editions_give_28_days() {
    let old_hand = staff("2020-01-06");
    let requirement = read(FirstDue::ByDate {
        date: d("2026-10-01"),
    });
    assert_eq!(
        edition_due(
            &requirement,
            old_hand.start,
            edition(1, "2026-09-01").unwrap()
        ),
        d("2026-10-01")
    );
    assert_eq!(
        edition_due(
            &requirement,
            old_hand.start,
            edition(2, "2027-09-01").unwrap()
        ),
        d("2027-09-29")
    );
}

#[test]
fn no_edition_in_force_means_nothing_to_read() {
    let old_hand = staff("2020-01-06");
    let not_required = Status::NotRequired {
        reason: NotRequiredReason::DoesNotApply,
    };
    assert_eq!(
        at(&within(28), &old_hand, None, None, "2026-09-01"),
        not_required
    );
    assert_eq!(
        at(
            &within(28),
            &old_hand,
            edition(1, "2026-09-02"),
            None,
            "2026-09-01"
        ),
        not_required
    );
}

#[test]
fn a_leaver_and_a_learner_are_not_required() {
    let mut leaver = staff("2020-01-06");
    leaver.leaving = Some(d("2026-09-10"));
    let current = edition(1, "2026-09-01");
    assert!(matches!(
        at(&within(28), &leaver, current, None, "2026-09-09"),
        Status::DueSoon { .. }
    ));
    assert_eq!(
        at(&within(28), &leaver, current, None, "2026-09-10"),
        Status::NotRequired {
            reason: NotRequiredReason::Left
        }
    );
    let mut learner = staff("2020-01-06");
    learner.roles[0].role = Role::Learner;
    assert_eq!(
        at(&within(28), &learner, current, None, "2026-09-10"),
        Status::NotRequired {
            reason: NotRequiredReason::DoesNotApply
        }
    );
}

#[test]
fn due_soon_starts_exactly_n_days_before_the_due_date() {
    let old_hand = staff("2020-01-06");
    let current = edition(1, "2026-09-01");
    // Due 2026-10-31 (60 days); due soon means 30 days.
    let requirement = within(60);
    assert_eq!(
        at(&requirement, &old_hand, current, None, "2026-09-30"),
        Status::NotYetDue {
            due: d("2026-10-31")
        }
    );
    assert_eq!(
        at(&requirement, &old_hand, current, None, "2026-10-01"),
        Status::DueSoon {
            due: d("2026-10-31"),
            days_left: 30
        }
    );
    assert_eq!(
        at(&requirement, &old_hand, current, None, "2026-10-31"),
        Status::DueSoon {
            due: d("2026-10-31"),
            days_left: 0
        }
    );
}

#[test]
fn an_acknowledgement_of_an_earlier_edition_does_not_count() {
    let (first, second) = (
        PolicyVersionId::from_param("v1"),
        PolicyVersionId::from_param("v2"),
    );
    let sam = PersonId::from_param("sam");
    let published = |version_id: &PolicyVersionId, number, day: &str| PublishedEdition {
        document: "kcsie".into(),
        version_id: version_id.clone(),
        edition: edition(number, day).unwrap(),
    };
    let editions = vec![
        published(&first, 1, "2026-09-01"),
        published(&second, 2, "2027-09-01"),
    ];
    let acks = vec![Acknowledgement {
        person: sam.clone(),
        version_id: first.clone(),
        on: d("2026-09-05"),
    }];
    // Before edition 2 takes effect, edition 1 is current and acknowledged.
    let before = DocumentFacts::new(editions.clone(), acks.clone(), d("2027-08-31"));
    assert_eq!(before.current("kcsie"), edition(1, "2026-09-01"));
    assert_eq!(
        before.acknowledged_current_on(&sam, "kcsie"),
        Some(d("2026-09-05"))
    );
    // From its day, edition 2 is current, and Sam's acknowledgement no longer counts.
    let after = DocumentFacts::new(editions.clone(), acks.clone(), d("2027-09-01"));
    assert_eq!(after.current("kcsie"), edition(2, "2027-09-01"));
    assert_eq!(after.acknowledged_current_on(&sam, "kcsie"), None);
    assert!(matches!(
        after.status(
            &within(28),
            &sam,
            &staff("2020-01-06"),
            "kcsie",
            d("2027-09-01"),
            30
        ),
        Status::DueSoon { .. }
    ));
    // Acknowledging edition 2 (twice, by a double click) counts from the first day.
    let mut more = acks;
    for day in ["2027-09-04", "2027-09-03"] {
        more.push(Acknowledgement {
            person: sam.clone(),
            version_id: second.clone(),
            on: d(day),
        });
    }
    let done = DocumentFacts::new(editions, more, d("2027-09-10"));
    assert_eq!(
        done.acknowledged_current_on(&sam, "kcsie"),
        Some(d("2027-09-03"))
    );
    assert_eq!(done.current("unknown"), None);
}

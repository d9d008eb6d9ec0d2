//! The day's plan on a small made-up organisation: stages, who is left out, managers'
//! digests down the whole line, and the People department's exceptions.

use super::plan::*;
use super::types::{ReminderSettings, Stage};
use crate::auth::Role;
use crate::training::standing::{StaffMember, Standing};
use crate::training::test_fixtures::{self as fixtures, day, managed_by, requirement};
use crate::training::Status;

fn member(id: &str, start: &str, manager: Option<&str>, role: Role) -> StaffMember {
    managed_by(
        fixtures::member(id, &format!("Name {id}"), start, role),
        manager,
    )
}

fn settings() -> ReminderSettings {
    ReminderSettings::defaults(30)
}

/// Rule "a" is due 10 days after starting. On Wednesday 2 December 2026:
/// - boss (top, no manager, started long ago): overdue by far (escalated);
/// - mid (reports to boss): overdue by 5 days;
/// - amy (reports to mid): due today; bo (reports to mid): due soon (in 8 days);
/// - cal (reports to a manager who left): overdue by 5 days;
/// - gone (left on 1 December), reporting to boss: never reminded;
/// - hr (People department, reports to boss): started today, not yet due... due soon.
fn standing() -> Standing {
    let mut gone = member("gone", "2026-01-01", Some("boss"), Role::Staff);
    gone.facts.leaving = Some(day("2026-12-01"));
    let mut ex = member("ex", "2020-01-01", Some("boss"), Role::Manager);
    ex.facts.leaving = Some(day("2026-11-30"));
    Standing::without_completions(
        vec![requirement("a", 10)],
        vec![
            member("boss", "2020-01-01", None, Role::Manager),
            member("mid", "2026-11-17", Some("boss"), Role::Manager),
            member("amy", "2026-11-22", Some("mid"), Role::Staff),
            member("bo", "2026-11-30", Some("mid"), Role::Staff),
            member("cal", "2026-11-17", Some("ex"), Role::Staff),
            gone,
            ex,
            member("hr", "2026-12-02", Some("boss"), Role::People),
        ],
    )
}

fn ids<'a>(people: impl IntoIterator<Item = &'a StaffMember>) -> Vec<&'a str> {
    people.into_iter().map(|p| p.id.as_str()).collect()
}

#[test]
fn each_status_reaches_its_stage_and_escalates_only_past_the_threshold() {
    let due = day("2026-12-02");
    assert_eq!(
        stage_of(&Status::DueSoon { due, days_left: 0 }, 30),
        Some((due, Stage::Due))
    );
    assert_eq!(
        stage_of(&Status::DueSoon { due, days_left: 3 }, 30),
        Some((due, Stage::DueSoon))
    );
    assert_eq!(
        stage_of(&Status::Overdue { due, days: 30 }, 30),
        Some((due, Stage::Overdue))
    );
    assert_eq!(
        stage_of(&Status::Overdue { due, days: 31 }, 30),
        Some((due, Stage::Escalated))
    );
    assert_eq!(stage_of(&Status::NotYetDue { due }, 30), None);
    assert_eq!(stage_of(&Status::Compliant { until: Some(due) }, 30), None);
}

#[test]
fn staff_are_planned_with_their_stage_and_leavers_never() {
    let standing = standing();
    let plan = plan(&standing, &settings(), day("2026-12-02"));
    let stages: Vec<(&str, Stage)> = plan
        .staff
        .iter()
        .map(|(p, needs)| (p.id.as_str(), needs[0].stage))
        .collect();
    assert_eq!(
        stages,
        vec![
            ("boss", Stage::Escalated),
            ("mid", Stage::Overdue),
            ("amy", Stage::Due),
            ("bo", Stage::DueSoon),
            ("cal", Stage::Overdue),
            ("hr", Stage::DueSoon),
        ],
        "gone and ex have left: nothing for them"
    );
    assert_eq!(ids(plan.people_department.iter().copied()), vec!["hr"]);
    let escalated: Vec<&str> = plan
        .needs_at(&plan.escalated)
        .iter()
        .map(|n| n.person.id.as_str())
        .collect();
    assert_eq!(escalated, vec!["boss"]);
}

#[test]
fn a_manager_hears_about_everyone_below_them_but_never_themself() {
    let standing = standing();
    let plan = plan(&standing, &settings(), day("2026-12-02"));
    let digest = |id: &str| -> Option<Vec<&str>> {
        plan.manager_digests()
            .find(|(m, _)| m.id.as_str() == id)
            .map(|(_, needs)| needs.iter().map(|n| n.person.id.as_str()).collect())
    };
    assert_eq!(digest("mid"), Some(vec!["amy", "bo"]));
    let mut boss = digest("boss").expect("boss manages mid and hr");
    boss.sort_unstable();
    // cal reports to ex, who left and reported to boss: the line still reaches boss.
    assert_eq!(
        boss,
        vec!["amy", "bo", "cal", "hr", "mid"],
        "down the whole line, not boss"
    );
    assert_eq!(digest("ex"), None, "a manager who left gets no digest");
    assert_eq!(digest("amy"), None, "nobody reports to amy");
}

#[test]
fn people_with_no_manager_or_one_who_left_are_exceptions() {
    let standing = standing();
    let plan = plan(&standing, &settings(), day("2026-12-02"));
    let exceptions: Vec<(&str, NoManager)> = plan
        .exceptions
        .iter()
        .map(|(p, why)| (p.id.as_str(), *why))
        .collect();
    assert_eq!(
        exceptions,
        vec![
            ("boss", NoManager::NoneRecorded),
            ("cal", NoManager::ManagerLeft)
        ]
    );
}

#[test]
fn a_loop_in_the_line_management_records_ends() {
    let standing = Standing::without_completions(
        vec![requirement("a", 10)],
        vec![
            member("x", "2026-11-17", Some("y"), Role::Manager),
            member("y", "2026-11-17", Some("x"), Role::Manager),
        ],
    );
    let plan = plan(&standing, &settings(), day("2026-12-02"));
    for (manager, needs) in plan.manager_digests() {
        let listed: Vec<&str> = needs.iter().map(|n| n.person.id.as_str()).collect();
        assert!(!listed.contains(&manager.id.as_str()), "{listed:?}");
        assert_eq!(listed.len(), 1);
    }
}

#[test]
fn digests_go_from_their_day_to_the_end_of_the_iso_week() {
    // Monday 30 November 2026 starts ISO week 49.
    assert_eq!(
        digest_due(1, day("2026-11-30")).as_deref(),
        Some("2026-W49")
    );
    assert_eq!(
        digest_due(1, day("2026-12-03")).as_deref(),
        Some("2026-W49")
    );
    assert_eq!(
        digest_due(5, day("2026-12-03")),
        None,
        "Friday's digest not yet"
    );
    assert_eq!(
        digest_due(5, day("2026-12-06")).as_deref(),
        Some("2026-W49")
    );
    assert_eq!(digest_due(7, day("2026-12-05")), None);
}

#[test]
fn a_long_digest_stops_at_fifty_rows_and_every_name_is_escaped_in_html() {
    use super::emails::{manager_digest, Letterhead, LIST_AT_MOST};
    let mut staff: Vec<StaffMember> = (0..60)
        .map(|i| member(&format!("p{i:02}"), "2026-11-01", Some("boss"), Role::Staff))
        .collect();
    staff[0].name = "Jo <script>alert(1)</script>".into();
    staff.push(member("boss", "2026-12-01", None, Role::Manager));
    let standing = Standing::without_completions(vec![requirement("a", 10)], staff);
    let plan = plan(&standing, &settings(), day("2026-12-02"));
    let (boss, needs) = plan
        .manager_digests()
        .find(|(m, _)| m.id.as_str() == "boss")
        .expect("boss's digest");
    let title = |_: &crate::training::SatisfiedBy| None;
    let head = Letterhead {
        org_name: "Smith & Daughters",
        base_url: "https://esafety.example",
        escalate_after_days: 30,
        module_title: &title,
    };
    let draft = manager_digest(&head, boss, &needs).expect("drafts");
    let email = crate::mail::templates::write(&draft).expect("writes when sent");
    assert_eq!(needs.len(), 60);
    assert_eq!(
        email.subject,
        "Weekly training digest: 60 people in your team need to act"
    );
    assert_eq!(
        email.text.matches("/training/people/").count(),
        LIST_AT_MOST
    );
    assert!(email
        .text
        .contains("and 10 more: https://esafety.example/team?all=1"));
    assert!(email.html.contains("Jo &lt;script&gt;") && !email.html.contains("<script>"));
    assert!(
        email.text.contains("Smith & Daughters") && email.html.contains("Smith &amp; Daughters")
    );
}

#[test]
fn without_a_people_department_the_administrators_read_the_escalations() {
    let standing = Standing::without_completions(
        vec![requirement("a", 10)],
        vec![
            member("x", "2020-01-01", None, Role::Staff),
            member("root", "2026-11-30", None, Role::Admin),
        ],
    );
    let plan = plan(&standing, &settings(), day("2026-12-02"));
    assert_eq!(ids(plan.people_department.iter().copied()), vec!["root"]);
    assert_eq!(plan.escalated.len(), 1);
}

/// Every reminder email as it reads (text and HTML), on the fixture organisation.
#[test]
fn reminder_emails_snapshot() {
    use super::emails::{manager_digest, people_digest, staff_reminder, Letterhead};
    let mut standing = standing();
    standing.requirements.push(requirement("b", 20));
    let plan = plan(&standing, &settings(), day("2026-12-02"));
    let title = |_: &crate::training::SatisfiedBy| None;
    let head = Letterhead {
        org_name: "Smith & Daughters",
        base_url: "https://esafety.example",
        escalate_after_days: 30,
        module_title: &title,
    };
    // Written as the outbox worker writes them: from the stored draft.
    let both = |draft: crate::mail::Draft| {
        let email = crate::mail::templates::write(&draft).expect("writes when sent");
        format!(
            "To: {}\nSubject: {}\n\n--- text ---\n{}\n--- html ---\n{}",
            email.to, email.subject, email.text, email.html
        )
    };
    let (boss, needs) = &plan.staff[0];
    insta::assert_snapshot!(
        "staff_reminder",
        both(staff_reminder(&head, boss, needs).unwrap())
    );
    let (mid, team) = plan
        .manager_digests()
        .find(|(m, _)| m.id.as_str() == "mid")
        .expect("mid's digest");
    insta::assert_snapshot!(
        "manager_digest",
        both(manager_digest(&head, mid, &team).unwrap())
    );
    let hr = plan.people_department[0];
    insta::assert_snapshot!(
        "people_digest",
        both(people_digest(&head, hr, &plan.needs_at(&plan.escalated), &plan.exceptions).unwrap())
    );
}

//! The dashboard's filters, counts and sorting on a small made-up organisation.

use super::*;
use crate::auth::Role;
use crate::training::test_fixtures::{self as fixtures, day, managed_by, requirement};

const TODAY: &str = "2026-12-02";

fn member(
    id: &str,
    name: &str,
    start: &str,
    department: Option<&str>,
    manager: Option<&str>,
) -> StaffMember {
    let mut person = managed_by(fixtures::member(id, name, start, Role::Staff), manager);
    person.facts.department = department.map(str::to_string);
    person
}

/// On 2 December 2026, with rule a due 40 days after the start and rule b 10 days after:
/// Ben is overdue with both (by 52 and 82 days), Ada with both (by 3 and 33), Cy and Dee
/// are due soon with rule b and not yet due with rule a.
fn standing() -> Standing {
    Standing::without_completions(
        vec![requirement("a", 40), requirement("b", 10)],
        vec![
            member("ada", "Ada", "2026-10-20", Some("Skills"), Some("m1")),
            member("ben", "Ben", "2026-09-01", Some("skills "), Some("m2")),
            member("cy", "Cy", "2026-11-28", None, Some("m1")),
            member("dee", "Dee", "2026-11-30", Some("Care"), None),
        ],
    )
}

fn raw(pairs: &[(&str, &str)]) -> DashboardFilters {
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
    };
    DashboardFilters {
        status: get("status"),
        requirement: get("requirement"),
        department: get("department"),
        manager: get("manager"),
        q: get("q"),
        sort: get("sort"),
        page: get("page"),
    }
}

fn names(standing: &Standing, pairs: &[(&str, &str)]) -> Vec<String> {
    let (filters, problems) = Filters::read(&raw(pairs), standing);
    assert!(problems.is_empty(), "{problems:?}");
    let selection = select(standing, &filters, day(TODAY));
    selection
        .listed(&filters)
        .iter()
        .map(|(p, _)| p.name.clone())
        .collect()
}

#[test]
fn filters_keep_the_people_asked_for() {
    let s = standing();
    assert_eq!(names(&s, &[]), ["Ada", "Ben", "Cy", "Dee"]);
    assert_eq!(names(&s, &[("status", "overdue")]), ["Ada", "Ben"]);
    assert_eq!(names(&s, &[("status", "due-soon")]), ["Cy", "Dee"]);
    assert!(names(&s, &[("status", "due-soon"), ("requirement", "a")]).is_empty());
    // Departments as typed into an HR system: any case, any spacing.
    assert_eq!(names(&s, &[("department", " SKILLS")]), ["Ada", "Ben"]);
    let (typed, _) = Filters::read(&raw(&[("department", "skills")]), &s);
    assert_eq!(
        typed.department.as_deref(),
        Some("Skills"),
        "as the records spell it"
    );
    assert_eq!(names(&s, &[("manager", "m1")]), ["Ada", "Cy"]);
    assert_eq!(names(&s, &[("q", "EE")]), ["Dee"]);
    assert_eq!(names(&s, &[("q", "ben@example")]), ["Ben"]);
}

#[test]
fn people_sort_by_name_department_or_most_overdue() {
    let s = standing();
    assert_eq!(
        names(&s, &[("sort", "department")]),
        ["Dee", "Ada", "Ben", "Cy"],
        "Care, Skills, then no department"
    );
    assert_eq!(
        names(&s, &[("sort", "overdue")]),
        ["Ben", "Ada", "Cy", "Dee"]
    );
}

#[test]
fn counts_leave_out_the_status_filter_and_add_up() {
    let s = standing();
    let (filters, _) = Filters::read(&raw(&[("status", "compliant")]), &s);
    let selection = select(&s, &filters, day(TODAY));
    let counts = selection.counts();
    assert_eq!(
        counts.required() + counts.not_required,
        8,
        "4 people x 2 rules"
    );
    assert!(selection.listed(&filters).is_empty(), "nobody is compliant");
    let by_requirement = selection.by_requirement();
    assert_eq!(by_requirement.len(), 2);
    assert_eq!(by_requirement[0].label, "Rule a");
    assert_eq!(by_requirement[0].counts.overdue, 2);
    assert_eq!(by_requirement[0].counts.not_yet_due, 2);
    assert_eq!(by_requirement[1].counts.due_soon, 2);
    let by_department = selection.by_department();
    let labels: Vec<&str> = by_department.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["Care", "Skills", "No department recorded"]);
    assert_eq!(by_department[1].counts.required(), 4, "Ada and Ben, 2 each");
}

#[test]
fn bad_filters_are_left_out_with_a_message_each() {
    let s = standing();
    let (filters, problems) = Filters::read(
        &raw(&[
            ("status", "late"),
            ("requirement", "other-org:rule"),
            ("manager", "ada"),
            ("q", "a\u{0}b"),
            ("department", &"x".repeat(MAX_FILTER_LENGTH + 1)),
            ("sort", "salary"),
            ("page", "0"),
        ]),
        &s,
    );
    assert_eq!(problems.len(), 6, "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("no such status")));
    assert!(problems.iter().any(|p| p.contains("not a line manager")));
    assert!(problems.iter().any(|p| p.contains("cannot be used")));
    assert_eq!(
        filters,
        Filters {
            page: 0,
            ..Filters::default()
        }
    );
    assert_eq!(filters.to_raw(), DashboardFilters::default());
}

#[test]
fn the_choices_come_from_the_organisation() {
    let c = choices(&standing());
    assert_eq!(c.departments, ["Care", "Skills"]);
    let managers: Vec<&str> = c.managers.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(managers, ["Manager m1", "Manager m2"]);
    assert_eq!(c.requirements.len(), 2);
}

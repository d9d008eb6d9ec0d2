//! Reading the requirement form: each kind of choice, and a specific message for each
//! field problem.

use super::*;
use crate::training::types::Grace;
use chrono::NaiveDate;

fn form(fields: &[(&str, &str)]) -> RequirementInput {
    let mut input = RequirementInput::blank();
    input.name = "Prevent awareness".into();
    let mut pairs = input.pairs();
    for (name, value) in fields {
        pairs.retain(|(n, _)| n != name);
        pairs.push((name.to_string(), value.to_string()));
    }
    RequirementInput::from_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
}

fn problem(fields: &[(&str, &str)]) -> String {
    form(fields).read().expect_err("refused").to_string()
}

#[test]
fn each_kind_of_choice_reads_back_into_the_form_it_came_from() {
    let cases = [
        form(&[]),
        form(&[("satisfied_by", "document"), ("document", "kcsie-part-one")]),
        form(&[
            ("applies_to", "roles"),
            ("role_dsl", "on"),
            ("role_tutor", "on"),
        ]),
        form(&[
            ("applies_to", "departments"),
            ("departments", "Care, Construction\nIT"),
        ]),
        form(&[("applies_to", "job-titles"), ("job_titles", "Tutor")]),
        form(&[("first_due", "by-date"), ("first_due_date", "01/09/2027")]),
        form(&[
            ("renews", "months-after-completion"),
            ("months_after_completion", "24"),
        ]),
        form(&[
            ("renews", "months-after-due-date"),
            ("months_after_due_date", "12"),
            ("window_days", "60"),
        ]),
        form(&[
            ("renews", "every-year-on"),
            ("renew_day", "29"),
            ("renew_month", "2"),
        ]),
    ];
    for input in cases {
        let requirement = input.read().expect("sound");
        assert_eq!(RequirementInput::of(&requirement).read(), Ok(requirement));
    }
    let departments = form(&[
        ("applies_to", "departments"),
        ("departments", "Care, care\n\nIT,"),
    ]);
    assert_eq!(
        departments.read().map(|r| r.applies_to),
        Ok(AppliesTo::Departments(vec!["Care".into(), "IT".into()]))
    );
}

#[test]
fn fields_of_options_not_chosen_are_ignored() {
    let requirement = form(&[
        ("first_due_date", "not a date"),
        ("months_after_completion", "0"),
        ("renew_day", "31"),
        ("renew_month", "2"),
        ("document", "\u{7}"),
    ])
    .read()
    .expect("sound");
    assert_eq!(requirement.renews, Renewal::Never);
    assert_eq!(requirement.grace, None::<Grace>);
}

#[test]
fn every_field_problem_names_its_field() {
    for (fields, words) in [
        (vec![("name", "  ")], "Name: give the requirement a name"),
        (vec![("name", "a\u{0}b")], "Name: remove the characters"),
        (vec![("level", &"x".repeat(61)[..])], "Level: keep it to 60"),
        (vec![("module_id", "")], "Satisfied by: choose the module"),
        (
            vec![("applies_to", "roles")],
            "Applies to: tick at least one role",
        ),
        (
            vec![("applies_to", "departments"), ("departments", " , ")],
            "Departments: name at least one",
        ),
        (
            vec![("first_due_days", "-1")],
            "First due: enter the days as a whole number from 0 to 3650",
        ),
        (
            vec![("first_due", "by-date"), ("first_due_date", "31/02/2027")],
            "First due: enter the date as a real date",
        ),
        (
            vec![
                ("renews", "months-after-completion"),
                ("months_after_completion", "0"),
            ],
            "Renews: enter the months as a whole number from 1 to 120",
        ),
        (
            vec![
                ("renews", "every-year-on"),
                ("renew_day", "31"),
                ("renew_month", "2"),
            ],
            "there is no 31 February",
        ),
        (vec![("window_days", "30")], "Window: a window only applies"),
        (
            vec![("satisfied_by", "guess")],
            "Satisfied by: choose what satisfies",
        ),
    ] {
        let message = problem(&fields);
        assert!(message.contains(words), "{fields:?}: {message}");
    }
    // Several problems at once: one line each.
    let message = problem(&[("name", ""), ("applies_to", "roles")]);
    assert_eq!(message.lines().count(), 2, "{message}");
}

#[test]
fn dates_are_read_as_iso_or_uk_day_first() {
    let day = NaiveDate::from_ymd_opt(2027, 9, 1);
    assert_eq!(date("2027-09-01"), day);
    assert_eq!(date("01/09/2027"), day);
    assert_eq!(date("1/9/2027"), day);
    assert_eq!(date("31/02/2027"), None);
    assert_eq!(date("01/09/27"), None);
}

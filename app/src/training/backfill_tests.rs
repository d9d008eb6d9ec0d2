//! The back-fill's checks, without a database.

use super::checks::{check, columns, Known};
use crate::csv_table::{read, Limits};
use crate::ids::{PersonId, RequirementId};
use crate::training::record_queries::{RequirementName, StaffMember};
use chrono::NaiveDate;
use std::collections::HashSet;

fn member(id: &str, name: &str, email: &str, number: Option<&str>) -> StaffMember {
    StaffMember {
        id: PersonId::from_param(id),
        full_name: name.into(),
        email: email.into(),
        employee_number: number.map(String::from),
        department: String::new(),
        leaving_date: None,
        deactivated_at: None,
    }
}

fn requirement(id: &str, name: &str, retired: bool) -> RequirementName {
    RequirementName {
        id: RequirementId::from_param(id),
        name: name.into(),
        satisfied_by: "external-course".into(),
        retired_at: retired.then(|| "2026-01-01T00:00:00Z".to_string()),
    }
}

fn problems_of(csv: &str, standing: &HashSet<(PersonId, RequirementId, String)>) -> Vec<String> {
    let table = read(
        csv,
        Limits {
            max_bytes: 10_000,
            max_rows: 10,
            rows_of: "completions",
        },
    )
    .expect("reads");
    let staff = [
        member("p1", "Ann Able", "ann@x.test", Some("E1")),
        member("p2", "Bob Best", "bob@x.test", None),
    ];
    let requirements = [
        requirement("r1", "Prevent  awareness", false),
        requirement("r2", "Old thing", true),
    ];
    let known = Known {
        staff: &staff,
        requirements: &requirements,
        standing,
        today: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
    };
    let cols = columns(&table.headings).expect("columns");
    check(&table, cols, &known)
        .problems
        .into_iter()
        .map(|p| format!("{}: {}", p.line, p.message))
        .collect()
}

#[test]
fn columns_are_found_by_their_headings() {
    let h = |s: &str| s.split(',').map(String::from).collect::<Vec<_>>();
    let c = columns(&h(
        "Staff ID,Work email,Training,Date completed,Certificate ref",
    ))
    .unwrap();
    assert_eq!(
        (
            c.employee_number,
            c.email,
            c.requirement,
            c.completed_on,
            c.reference
        ),
        (Some(0), Some(1), 2, 3, Some(4))
    );
    let err = columns(&h("Name,Requirement")).unwrap_err().to_string();
    assert!(
        err.contains("\"Employee number\" or \"Email\"") && err.contains("\"Completion date\""),
        "{err}"
    );
}

#[test]
fn a_clean_file_has_no_problems_and_matches_by_number_then_email() {
    let csv = "Employee number,Email,Requirement,Completion date\r\n\
               E1,wrong@x.test,prevent awareness,01/02/2026\r\n\
               E9,bob@x.test,r1,2026-02-01\r\n";
    assert!(problems_of(csv, &HashSet::new()).is_empty());
}

#[test]
fn every_problem_is_reported_by_line() {
    let csv = "Employee number,Email,Requirement,Completion date,Certificate\n\
               E9,,Prevent awareness,01/02/2026,\n\
               E1,,Nothing,01/02/2026,\n\
               E1,,Old thing,01/02/2026,\n\
               E1,,Prevent awareness,31/02/2026,\n\
               E1,,Prevent awareness,02/03/2026,\n\
               E1,,Prevent awareness,2026-01-05,\n\
               ,ann@x.test,Prevent awareness,05/01/2026,\n\
               ,bob@x.test,Prevent awareness,2026-01-06,\n";
    let standing = HashSet::from([(
        PersonId::from_param("p2"),
        RequirementId::from_param("r1"),
        "2026-01-06".to_string(),
    )]);
    let got = problems_of(csv, &standing);
    assert_eq!(got.len(), 7, "{got:#?}");
    assert!(got[0].starts_with("2: No member of staff here has the employee number \"E9\""));
    assert!(got[1].starts_with("3: There is no requirement \"Nothing\""));
    assert!(got[2].starts_with("4: The requirement \"Old thing\" is retired"));
    assert!(got[3].starts_with("5: \"31/02/2026\" is not a date"));
    assert!(got[4].starts_with("6: The completion date 02/03/2026 is in the future"));
    assert_eq!(
        got[5],
        "8: The same person, requirement and date as line 7."
    );
    assert_eq!(
        got[6],
        "9: Bob Best already has \"Prevent  awareness\" recorded on 06/01/2026."
    );
}

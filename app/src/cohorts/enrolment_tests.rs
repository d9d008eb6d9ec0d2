//! The enrolment file's checks, without a database: real exports read right, and every
//! problem named with its line.

use super::checks::{check, columns, Account, CohortName, Known, Learner, Plan};
use crate::cohorts::status::LearnerStatus;
use crate::csv_table::{read, Limits};
use crate::ids::{CohortId, PersonId};
use chrono::NaiveDate;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
}

fn cohorts() -> Vec<CohortName> {
    vec![
        CohortName {
            id: CohortId::from_param("c-other".to_string()),
            name: "Evening intake".into(),
            may_enrol: true,
        },
        CohortName {
            id: CohortId::from_param("c-sept".to_string()),
            name: "September intake".into(),
            may_enrol: true,
        },
        CohortName {
            id: CohortId::from_param("c-jan".to_string()),
            name: "January intake".into(),
            may_enrol: false,
        },
    ]
}

fn account(email: &str, name: &str) -> Account {
    Account {
        id: PersonId::from_param(format!("id-{email}")),
        email: email.into(),
        full_name: name.into(),
        is_learner: true,
        deactivated: false,
        date_of_birth: None,
        status: Some(LearnerStatus::Active),
        cohort: None,
    }
}

fn plan_of(text: &str, accounts: &[Account]) -> Plan {
    let limits = Limits {
        max_bytes: 1_000_000,
        max_rows: 5_000,
        rows_of: "learners",
    };
    let table = read(text, limits).expect("the file reads");
    let columns = columns(&table.headings).expect("the columns are found");
    let cohorts = cohorts();
    let known = Known {
        accounts,
        cohorts: &cohorts,
        today: day("2026-12-04"),
    };
    check(&table, columns, &known)
}

#[test]
fn a_real_export_reads_with_bom_crlf_quotes_and_accents() {
    let text = "\u{feff}Forename,Surname,E-mail address,Cohort,Start Date,DOB,ULN\r\n\
        Zoë,O'Neill-Brown,Zoe.ONeill@Example.org,september intake,01/09/2026,14/05/2009,4455667788\r\n\
        \"Jean, Paul\",Müller,jp@example.org,September  Intake,2026-09-08,,\r\n";
    let plan = plan_of(text, &[]);
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    assert_eq!(plan.rows.len(), 2);
    match &plan.rows[0].learner {
        Learner::New {
            full_name,
            email,
            date_of_birth,
        } => {
            assert_eq!(full_name, "Zoë O'Neill-Brown");
            assert_eq!(email, "zoe.oneill@example.org");
            assert_eq!(*date_of_birth, Some(day("2009-05-14")));
        }
        other => panic!("expected a new learner, got {other:?}"),
    }
    assert_eq!(plan.rows[0].start_on, day("2026-09-01"));
    assert_eq!(plan.rows[0].reference.as_deref(), Some("4455667788"));
    assert_eq!(plan.rows[1].start_on, day("2026-09-08"));
    assert_eq!(plan.preview[1].name, "Jean, Paul Müller");
    assert_eq!(plan.preview[1].cohort, "September intake");
    assert_eq!(plan.preview[0].line, 2);
}

#[test]
fn every_problem_is_named_with_its_line_and_nothing_is_planned_for_it() {
    let text = "First name,Last name,Email,Cohort,Start date,Date of birth\n\
        Amy,Lee,not-an-email,September intake,01/09/2026,\n\
        Ben,Cole,ben@example.org,Evening group,31/02/2026,\n\
        Cara,Day,cara@example.org,January intake,01/01/2027,01/01/2030\n\
        ,Ellis,dan@example.org,September intake,,\n\
        Eve,Fox,BEN@example.org,September intake,01/09/2026,\n";
    let plan = plan_of(text, &[]);
    let lines: Vec<(usize, &str)> = plan
        .problems
        .iter()
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    let has = |line: usize, part: &str| {
        assert!(
            lines.iter().any(|(l, m)| *l == line && m.contains(part)),
            "line {line} should say {part:?}: {lines:?}"
        )
    };
    has(2, "\"not-an-email\" is not an email address");
    has(3, "There is no cohort called \"Evening group\"");
    has(3, "\"31/02/2026\" is not a date");
    has(4, "You do not teach \"January intake\"");
    has(4, "not in the past");
    has(5, "first name and last name");
    has(5, "start date");
    has(6, "The same email as line 3");
    assert_eq!(plan.rows.len(), 0, "only line 6 had no problem of its own");
    assert_eq!(plan.preview.len(), 5);
    assert_eq!(plan.preview[0].action, "1 problem");
}

#[test]
fn existing_accounts_are_matched_by_email_never_duplicated() {
    let mut moving = account("sam@example.org", "Sam Patel");
    moving.cohort = Some(CohortId::from_param("c-other".to_string()));
    moving.status = Some(LearnerStatus::Withdrawn);
    let mut staff = account("tutor@example.org", "Terry Tutor");
    staff.is_learner = false;
    let mut gone = account("gone@example.org", "Gone Person");
    gone.deactivated = true;
    let mut born = account("born@example.org", "Bo Rn");
    born.date_of_birth = Some(day("2008-01-01"));
    let accounts = [moving, staff, gone, born];
    let text = "First name,Last name,Email,Cohort,Start date,Date of birth\n\
        Samuel,Patel,SAM@example.org,September intake,01/09/2026,02/03/2008\n\
        Terry,Tutor,tutor@example.org,September intake,01/09/2026,\n\
        Gone,Person,gone@example.org,September intake,01/09/2026,\n\
        Bo,Rn,born@example.org,September intake,01/09/2026,02/01/2008\n";
    let plan = plan_of(text, &accounts);
    assert_eq!(plan.rows.len(), 1);
    assert_eq!(
        plan.rows[0].learner,
        Learner::Existing {
            id: PersonId::from_param("id-sam@example.org".to_string()),
            date_of_birth: Some(day("2008-03-02")),
        }
    );
    assert_eq!(plan.preview[0].name, "Sam Patel", "the account's own name");
    assert!(plan.preview[0].action.contains("moves to this cohort"));
    assert!(plan.preview[0].action.contains("becomes active"));
    let says = |line: usize, part: &str| {
        plan.problems
            .iter()
            .any(|p| p.line == line && p.message.contains(part))
    };
    assert!(says(3, "without the learner role"));
    assert!(says(4, "deactivated"));
    assert!(says(5, "differs from the one recorded"));
}

#[test]
fn a_learner_in_a_cohort_the_asker_does_not_teach_stays_there() {
    let mut theirs = account("kim@example.org", "Kim Ng");
    theirs.cohort = Some(CohortId::from_param("c-jan".to_string()));
    let text = "First name,Last name,Email,Cohort,Start date\n\
        Kim,Ng,kim@example.org,September intake,01/09/2026\n";
    let plan = plan_of(text, &[theirs]);
    assert!(plan.rows.is_empty());
    assert!(
        plan.problems[0]
            .message
            .contains("Kim Ng is in the cohort \"January intake\", which you do not teach"),
        "{:?}",
        plan.problems
    );
}

#[test]
fn a_file_without_the_needed_columns_says_which() {
    let headings = vec!["Name".to_string(), "Email".to_string()];
    let message = columns(&headings).expect_err("refused").to_string();
    assert!(message.contains("\"First name\""), "{message}");
    assert!(message.contains("\"Cohort\""), "{message}");
    assert!(message.contains("Headings found: Name, Email"), "{message}");
}

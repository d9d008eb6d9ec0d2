//! The HR import's reading and checking rules.
use super::*;
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2026, 12, 2)
}

fn existing(id: &str, email: &str, name: &str, number: Option<&str>) -> Existing {
    Existing {
        id: id.into(),
        email: email.into(),
        full_name: name.into(),
        employee_number: number.map(str::to_string),
        is_staff: true,
        ..Existing::default()
    }
}

fn run(csv: &str, people: &[Existing]) -> Plan {
    let table = parse(csv).expect("parses");
    let mapping = guess(&table.headings);
    check(&table, &mapping, people, today())
}

fn problems(plan: &Plan) -> Vec<(usize, String)> {
    plan.problems
        .iter()
        .map(|p| (p.line, p.message.clone()))
        .collect()
}

#[test]
fn a_real_export_is_read_bom_crlf_quotes_accents_and_trailing_columns() {
    let csv = "\u{feff}Employee No,Full Name,Work email,Job Title,Department,Start Date,Line Manager,,\r\n\
               E1,\"O'Brien, Siân\",Sian@Example.org,\"Tutor, Level 3\",Maths,31/01/2026,,,\r\n\
               E2,Zoë Smith-Jones,zoe@example.org,Assessor,Care,2025-09-01,E1,,\r\n\
               \r\n";
    let table = parse(csv).unwrap();
    assert_eq!(
        table.headings,
        vec![
            "Employee No",
            "Full Name",
            "Work email",
            "Job Title",
            "Department",
            "Start Date",
            "Line Manager"
        ]
    );
    assert_eq!(table.rows.len(), 2);
    assert_eq!(table.rows[0].0, 2);
    assert_eq!(table.rows[1].0, 3);
    let plan = run(csv, &[]);
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    let first = &plan.rows[0];
    assert_eq!(first.full_name.as_deref(), Some("O'Brien, Siân"));
    assert_eq!(first.email.as_deref(), Some("sian@example.org"));
    assert_eq!(first.job_title.as_deref(), Some("Tutor, Level 3"));
    assert_eq!(first.start_date, Some(day(2026, 1, 31)));
    assert_eq!(plan.rows[1].start_date, Some(day(2025, 9, 1)));
    assert_eq!(plan.rows[1].full_name.as_deref(), Some("Zoë Smith-Jones"));
    assert_eq!(plan.rows[1].manager, Some(ManagerRef::Row(0)));
}

#[test]
fn both_date_formats_and_nothing_else() {
    assert_eq!(parse_date("31/01/2026"), Some(day(2026, 1, 31)));
    assert_eq!(parse_date("1/2/2026"), Some(day(2026, 2, 1)));
    assert_eq!(parse_date("2026-01-31"), Some(day(2026, 1, 31)));
    assert_eq!(parse_date("31/02/2026"), None);
    assert_eq!(parse_date("01/31/2026"), None);
    assert_eq!(parse_date("31/01/26"), None);
    assert_eq!(parse_date("tomorrow"), None);
}

#[test]
fn headings_are_guessed() {
    let headings: Vec<String> = [
        "Employee Number",
        "Name",
        "Email address",
        "Position",
        "Dept",
        "Date started",
        "Manager's email",
        "Leaving date",
        "Role",
        "Notes",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let m = guess(&headings);
    assert_eq!(m[&Field::EmployeeNumber], "Employee Number");
    assert_eq!(m[&Field::FullName], "Name");
    assert_eq!(m[&Field::Email], "Email address");
    assert_eq!(m[&Field::JobTitle], "Position");
    assert_eq!(m[&Field::Department], "Dept");
    assert_eq!(m[&Field::StartDate], "Date started");
    assert_eq!(m[&Field::LineManager], "Manager's email");
    assert_eq!(m[&Field::LeavingDate], "Leaving date");
    assert_eq!(m[&Field::Role], "Role");
    assert_eq!(m.len(), 9);
    for email in ["Email", "Work email", "Email address", "E-mail"] {
        assert_eq!(guess(&[email.to_string()])[&Field::Email], email);
    }
}

#[test]
fn the_saved_mapping_comes_first_and_guesses_fill_the_rest() {
    let headings: Vec<String> = ["Ref", "Who", "Email", "Role"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let saved: Mapping = [
        (Field::EmployeeNumber, "Ref".to_string()),
        (Field::FullName, "Who".to_string()),
        (Field::Department, "Gone".to_string()),
    ]
    .into_iter()
    .collect();
    let m = offered(Some(&saved), &headings);
    assert_eq!(m[&Field::EmployeeNumber], "Ref");
    assert_eq!(m[&Field::FullName], "Who");
    assert_eq!(m[&Field::Email], "Email");
    assert_eq!(m[&Field::Role], "Role");
    assert!(!m.contains_key(&Field::Department));
}

#[test]
fn every_problem_is_given_with_its_line() {
    let people = [
        existing("u-ann", "ann@example.org", "Ann Here", Some("A1")),
        existing("u-bob", "bob@example.org", "Bob Here", Some("B1")),
        Existing {
            leaving_date: Some(day(2026, 1, 1)),
            ..existing("u-lee", "lee@example.org", "Lee Left", Some("L1"))
        },
    ];
    let csv = "Employee number,Name,Email,Start date,Line manager,Role\n\
               N1,New One,not-an-email,01/01/2026,,\n\
               N2,New Two,two@example.org,2026-13-01,,\n\
               N3,New Three,three@example.org,,nobody@example.org,\n\
               N2,New Four,four@example.org,,,\n\
               N5,New Five,two@example.org,,,\n\
               A1,Ann Here,bob@example.org,,,\n\
               N7,New Seven,seven@example.org,,L1,\n\
               N8,New Eight,eight@example.org,,,admin\n\
               N9,,,,,\n";
    let plan = run(csv, &people);
    let found = problems(&plan);
    let lines: Vec<usize> = found.iter().map(|p| p.0).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8, 9, 10, 10], "{found:#?}");
    assert!(found[0].1.contains("is not an email address"));
    assert!(found[1].1.contains("is not a date"));
    assert!(found[2].1.contains("nobody@example.org"));
    assert!(found[3].1.contains("also on line 3"));
    assert!(found[4].1.contains("also on line 3"));
    assert!(found[5].1.contains("belongs to Bob Here"));
    assert!(found[6].1.contains("Lee Left has left"));
    assert!(found[7].1.contains("admin"));
    assert!(found[8].1.contains("needs an email"));
    assert!(found[9].1.contains("needs a full name"));
}

#[test]
fn a_person_twice_and_a_manager_loop_in_the_file() {
    let people = [existing("u-ann", "ann@example.org", "Ann Here", Some("A1"))];
    let csv = "Employee number,Name,Email,Line manager\n\
               A1,Ann Here,,\n\
               ,Ann Again,ann@example.org,\n\
               X1,Xavier,x@example.org,Y1\n\
               Y1,Yasmin,y@example.org,z@example.org\n\
               Z1,Zac,z@example.org,X1\n";
    let plan = run(csv, &people);
    let found = problems(&plan);
    assert_eq!(found[0].0, 3);
    assert!(found[0].1.contains("same person as line 2"));
    let loops: Vec<usize> = found
        .iter()
        .filter(|p| p.1.contains("loop"))
        .map(|p| p.0)
        .collect();
    assert_eq!(loops, vec![4, 5, 6]);
    assert!(found[1]
        .1
        .contains("Xavier \u{2192} Yasmin \u{2192} Zac \u{2192} Xavier"));
}

#[test]
fn a_loop_with_the_records_already_kept_is_found() {
    // Bob is managed by Ann already; the file makes Bob Ann's manager.
    let people = [
        existing("u-ann", "ann@example.org", "Ann", Some("A1")),
        Existing {
            line_manager_id: Some("u-ann".into()),
            ..existing("u-bob", "bob@example.org", "Bob", Some("B1"))
        },
    ];
    let plan = run("Employee number,Line manager\nA1,B1\n", &people);
    assert_eq!(plan.problems.len(), 1);
    assert!(
        plan.problems[0].message.contains("loop"),
        "{:?}",
        plan.problems
    );
    assert_eq!(plan.problems[0].line, 2);
}

#[test]
fn matching_is_by_number_then_email_and_blank_cells_stay_unset() {
    let people = [
        existing("u-ann", "ann@example.org", "Ann", Some("A1")),
        existing("u-bob", "bob@example.org", "Bob", None),
        existing("u-cat", "cat@example.org", "Cat", None),
    ];
    let plan = run(
        "Employee number,Email,Job title\nA1,ann.new@example.org,\nB7,BOB@example.org,Cook\n,new@example.org,Chef\n",
        &people,
    );
    assert!(plan
        .problems
        .iter()
        .all(|p| p.message.contains("full name")));
    assert_eq!(plan.rows[0].target, Target::Existing("u-ann".into()));
    assert_eq!(plan.rows[0].job_title, None);
    assert_eq!(plan.rows[1].target, Target::Existing("u-bob".into()));
    assert_eq!(plan.rows[2].target, Target::New);
    let missing = plan.missing(&people, today());
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].full_name, "Cat");
}

#[test]
fn files_that_cannot_be_imported_are_refused_whole() {
    assert!(parse("").is_err());
    assert!(parse("Name,Email\r\n").is_err());
    let big = format!("Name\n{}", "x\n".repeat(MAX_BYTES / 2 + 1));
    assert!(parse(&big).is_err());
}

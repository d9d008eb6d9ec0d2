//! Checking an HR export row by row against the organisation's people: who each row is,
//! and every problem by line number. Pure, so tested without a database.

use super::managers::{report_loops, resolve_managers};
use super::*;
use crate::auth::Role;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// Someone already in the organisation, as the checks need them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Existing {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub employee_number: Option<String>,
    pub line_manager_id: Option<String>,
    pub leaving_date: Option<NaiveDate>,
    /// Holds a role other than learner, or has a staff record.
    pub is_staff: bool,
    pub deactivated: bool,
    pub has_record: bool,
}

/// Who a row is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Existing(String),
    New,
}

/// Who a row's line manager is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManagerRef {
    /// Another row of the file (its index in `Plan::rows`).
    Row(usize),
    Existing(String),
}

/// One row, checked: `None` leaves the stored value alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowPlan {
    pub line: usize,
    pub target: Target,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub employee_number: Option<String>,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub leaving_date: Option<NaiveDate>,
    pub manager: Option<ManagerRef>,
    pub role: Role,
    pub cells: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub rows: Vec<RowPlan>,
    pub problems: Vec<Problem>,
}

impl Plan {
    /// The people of the organisation the file does not mention, still in post.
    pub fn missing(&self, existing: &[Existing], today: NaiveDate) -> Vec<MissingPerson> {
        let named: HashSet<&str> = self
            .rows
            .iter()
            .filter_map(|r| match &r.target {
                Target::Existing(id) => Some(id.as_str()),
                Target::New => None,
            })
            .collect();
        let mut missing: Vec<MissingPerson> = existing
            .iter()
            .filter(|p| p.is_staff && !p.deactivated && !named.contains(p.id.as_str()))
            .filter(|p| p.leaving_date.is_none_or(|d| d > today))
            .map(|p| MissingPerson {
                id: crate::ids::PersonId::from_param(p.id.clone()),
                full_name: p.full_name.clone(),
                email: p.email.clone(),
            })
            .collect();
        missing.sort_by(|a, b| a.full_name.cmp(&b.full_name).then(a.email.cmp(&b.email)));
        missing
    }

    pub fn preview(&self, table: &Table, mapping: &Mapping, existing: &[Existing]) -> Preview {
        let names: HashMap<&str, &str> = existing
            .iter()
            .map(|p| (p.id.as_str(), p.full_name.as_str()))
            .collect();
        let rows = self
            .rows
            .iter()
            .map(|r| PreviewRow {
                line: r.line,
                cells: r.cells.clone(),
                action: match &r.target {
                    Target::New => "New person".to_string(),
                    Target::Existing(id) => {
                        format!("Update {}", names.get(id.as_str()).unwrap_or(&""))
                    }
                },
                problems: self.problems.iter().filter(|p| p.line == r.line).count(),
            })
            .collect();
        Preview {
            headings: table.headings.clone(),
            mapping: mapping.clone(),
            rows,
            problems: self.problems.clone(),
            new_people: self.rows.iter().filter(|r| r.target == Target::New).count(),
            updates: self.rows.iter().filter(|r| r.target != Target::New).count(),
        }
    }
}

/// Roles an import may give a new person (never administrator or learner).
const IMPORT_ROLES: [Role; 5] = [
    Role::Staff,
    Role::Manager,
    Role::Tutor,
    Role::Dsl,
    Role::People,
];

/// Check every row of `table` read with `mapping` against the organisation's people
/// (`existing`) on `today`: who each row is, and every problem by line number.
pub fn check(table: &Table, mapping: &Mapping, existing: &[Existing], today: NaiveDate) -> Plan {
    let mut problems: Vec<Problem> = Vec::new();
    let mut problem = |line: usize, message: String| problems.push(Problem { line, message });
    if !mapping.contains_key(&Field::EmployeeNumber) && !mapping.contains_key(&Field::Email) {
        problem(
            1,
            "Choose the column with the email address or the employee number: people are matched by them.".into(),
        );
    }
    let column: HashMap<Field, usize> = mapping
        .iter()
        .filter_map(|(f, h)| table.headings.iter().position(|x| x == h).map(|i| (*f, i)))
        .collect();
    let by_number: HashMap<&str, &Existing> = existing
        .iter()
        .filter_map(|p| p.employee_number.as_deref().map(|n| (n, p)))
        .collect();
    let by_email: HashMap<&str, &Existing> =
        existing.iter().map(|p| (p.email.as_str(), p)).collect();
    let by_id: HashMap<&str, &Existing> = existing.iter().map(|p| (p.id.as_str(), p)).collect();

    let mut rows: Vec<RowPlan> = Vec::new();
    let mut managers_named: Vec<Option<String>> = Vec::new();
    let mut seen_number: HashMap<String, usize> = HashMap::new();
    let mut seen_email: HashMap<String, usize> = HashMap::new();
    let mut seen_person: HashMap<String, usize> = HashMap::new();
    for (line, cells) in &table.rows {
        let line = *line;
        let cell = |f: Field| -> Option<String> {
            column
                .get(&f)
                .and_then(|&i| cells.get(i))
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
        };
        let shown = Field::ALL
            .iter()
            .map(|f| cell(*f).unwrap_or_default())
            .collect();
        let full_name = match cell(Field::FullName) {
            Some(n) => match crate::admin::service::check_full_name(&n) {
                Ok(n) => Some(n),
                Err(e) => {
                    problem(line, format!("Full name: {e}"));
                    None
                }
            },
            None => None,
        };
        let email = match cell(Field::Email) {
            Some(e) => match crate::auth::service::normalise_email(&e) {
                Ok(e) => Some(e),
                Err(_) => {
                    problem(
                        line,
                        format!("\u{201c}{e}\u{201d} is not an email address."),
                    );
                    None
                }
            },
            None => None,
        };
        let employee_number = cell(Field::EmployeeNumber);
        if employee_number
            .as_ref()
            .is_some_and(|n| n.chars().count() > 50 || n.chars().any(char::is_control))
        {
            problem(line, "The employee number is longer than 50 characters or has characters that cannot be used.".into());
        }
        let mut text = |f: Field| -> Option<String> {
            let value = cell(f)?;
            if value.chars().count() > 200 {
                problem(
                    line,
                    format!("{} is longer than 200 characters.", f.label()),
                );
                return None;
            }
            Some(value)
        };
        let job_title = text(Field::JobTitle);
        let department = text(Field::Department);
        let mut date = |f: Field| -> Option<NaiveDate> {
            let value = cell(f)?;
            let day = parse_date(&value);
            if day.is_none() {
                problem(
                    line,
                    format!(
                        "{}: \u{201c}{value}\u{201d} is not a date. Write it as 31/01/2026 or 2026-01-31.",
                        f.label()
                    ),
                );
            }
            day
        };
        let start_date = date(Field::StartDate);
        let leaving_date = date(Field::LeavingDate);
        let role = match cell(Field::Role) {
            None => Role::Staff,
            Some(r) => match Role::parse(&r.to_lowercase()).filter(|r| IMPORT_ROLES.contains(r)) {
                Some(r) => r,
                None => {
                    problem(
                        line,
                        format!("Role: \u{201c}{r}\u{201d} is not one of staff, manager, tutor, dsl or people."),
                    );
                    Role::Staff
                }
            },
        };

        // Duplicates within the file.
        if let Some(n) = &employee_number {
            if let Some(first) = seen_number.insert(n.clone(), line) {
                seen_number.insert(n.clone(), first);
                problem(
                    line,
                    format!("The employee number {n} is also on line {first}."),
                );
            }
        }
        if let Some(e) = &email {
            if let Some(first) = seen_email.insert(e.clone(), line) {
                seen_email.insert(e.clone(), first);
                problem(line, format!("The email {e} is also on line {first}."));
            }
        }

        // Who this is: by employee number, then by email, in this organisation only.
        let by_n = employee_number.as_deref().and_then(|n| by_number.get(n));
        let by_e = email.as_deref().and_then(|e| by_email.get(e));
        let target = match (by_n, by_e) {
            (Some(p), Some(q)) if p.id != q.id => {
                problem(
                    line,
                    format!(
                        "The email {} belongs to {}, but employee number {} is {}'s.",
                        q.email,
                        q.full_name,
                        employee_number.as_deref().unwrap_or_default(),
                        p.full_name
                    ),
                );
                Target::Existing(p.id.clone())
            }
            (Some(p), _) | (None, Some(p)) => Target::Existing(p.id.clone()),
            (None, None) => Target::New,
        };
        match &target {
            Target::Existing(id) => {
                if let Some(first) = seen_person.insert(id.clone(), line) {
                    seen_person.insert(id.clone(), first);
                    problem(
                        line,
                        format!(
                            "This is the same person as line {first} ({}).",
                            by_id
                                .get(id.as_str())
                                .map(|p| p.full_name.as_str())
                                .unwrap_or("")
                        ),
                    );
                }
            }
            Target::New => {
                if email.is_none() && cell(Field::Email).is_none() {
                    problem(line, "A new person needs an email address: nobody in your organisation has this employee number.".into());
                }
                if full_name.is_none() && cell(Field::FullName).is_none() {
                    problem(line, "A new person needs a full name.".into());
                }
            }
        }
        managers_named.push(cell(Field::LineManager));
        rows.push(RowPlan {
            line,
            target,
            full_name,
            email,
            employee_number,
            job_title,
            department,
            start_date,
            leaving_date,
            manager: None,
            role,
            cells: shown,
        });
    }

    let resolved = resolve_managers(
        &rows,
        &managers_named,
        (&by_number, &by_email, &by_id),
        today,
        &mut problems,
    );
    report_loops(&rows, &resolved, existing, &by_id, &mut problems);
    for (row, m) in rows.iter_mut().zip(resolved) {
        row.manager = m;
    }
    problems.sort_by_key(|p| p.line);
    Plan { rows, problems }
}

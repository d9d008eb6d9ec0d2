//! Checking a back-fill file against the organisation's staff, requirements and standing
//! completions: every row, every problem, by line number. Pure, so tested without a
//! database; run for the preview and again inside the confirming transaction.

use super::{Preview, PreviewRow, Problem};
use crate::calendar::day_key;
use crate::csv_table::{plain, Table};
use crate::error::AppError;
use crate::ids::{PersonId, RequirementId};
use crate::training::history::MAX_REFERENCE;
use crate::training::record_queries::{RequirementName, StaffMember};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// Which column holds what (an index into each row).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    pub employee_number: Option<usize>,
    pub email: Option<usize>,
    pub requirement: usize,
    pub completed_on: usize,
    pub reference: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    EmployeeNumber,
    Email,
    Requirement,
    CompletedOn,
    Reference,
}

fn kind_of(heading: &str) -> Option<Kind> {
    let h = plain(heading);
    let has = |w: &str| h.split(' ').any(|x| x == w);
    if has("email") || has("e") && has("mail") {
        return Some(Kind::Email);
    }
    let number = has("number") || has("no") || has("id") || has("ref");
    if (has("employee") || has("payroll") || has("staff")) && number || h == "employee" {
        return Some(Kind::EmployeeNumber);
    }
    if has("date") || has("completed") || has("on") {
        return Some(Kind::CompletedOn);
    }
    if has("certificate") || has("cert") || has("reference") || has("ref") {
        return Some(Kind::Reference);
    }
    if has("requirement") || has("training") || has("course") {
        return Some(Kind::Requirement);
    }
    None
}

/// The columns, from the headings (the first heading of each kind).
pub fn columns(headings: &[String]) -> Result<Columns, AppError> {
    let find = |kind: Kind| headings.iter().position(|h| kind_of(h) == Some(kind));
    let (employee_number, email) = (find(Kind::EmployeeNumber), find(Kind::Email));
    let (requirement, completed_on) = (find(Kind::Requirement), find(Kind::CompletedOn));
    let mut missing = Vec::new();
    if employee_number.is_none() && email.is_none() {
        missing.push("\"Employee number\" or \"Email\"");
    }
    if requirement.is_none() {
        missing.push("\"Requirement\"");
    }
    if completed_on.is_none() {
        missing.push("\"Completion date\"");
    }
    match (requirement, completed_on) {
        (Some(requirement), Some(completed_on)) if missing.is_empty() => Ok(Columns {
            employee_number,
            email,
            requirement,
            completed_on,
            reference: find(Kind::Reference),
        }),
        _ => Err(AppError::invalid(format!(
            "The file needs a column headed {}. Headings found: {}.",
            missing.join(", and one headed "),
            headings.join(", ")
        ))),
    }
}

/// A row ready to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub line: usize,
    pub person_id: PersonId,
    pub requirement_id: RequirementId,
    pub satisfied_by: String,
    pub completed_on: NaiveDate,
    pub reference: Option<String>,
}

/// What the file would record, and what stops it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub rows: Vec<Planned>,
    pub preview: Vec<PreviewRow>,
    pub problems: Vec<Problem>,
}

impl Plan {
    pub fn preview(self, file_name: String) -> Preview {
        Preview {
            file_name,
            rows: self.preview,
            problems: self.problems,
        }
    }
}

/// What is known in the organisation when checking.
pub struct Known<'a> {
    pub staff: &'a [StaffMember],
    pub requirements: &'a [RequirementName],
    /// (person, requirement, `YYYY-MM-DD`) of every standing completion.
    pub standing: &'a HashSet<(PersonId, RequirementId, String)>,
    pub today: NaiveDate,
}

fn folded(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn find_person<'a>(
    known: &'a Known<'_>,
    number: &str,
    email: &str,
) -> Result<&'a StaffMember, String> {
    if !number.is_empty() {
        if let Some(m) = known
            .staff
            .iter()
            .find(|m| m.employee_number.as_deref().map(str::trim) == Some(number))
        {
            return Ok(m);
        }
    }
    if !email.is_empty() {
        if let Some(m) = known
            .staff
            .iter()
            .find(|m| m.email.eq_ignore_ascii_case(email))
        {
            return Ok(m);
        }
    }
    Err(match (number.is_empty(), email.is_empty()) {
        (true, true) => "Give the person's employee number or email.".to_string(),
        (false, true) => format!("No member of staff here has the employee number \"{number}\"."),
        (true, false) => format!("No member of staff here has the email \"{email}\"."),
        (false, false) => format!(
            "No member of staff here has the employee number \"{number}\" or the email \"{email}\"."
        ),
    })
}

fn find_requirement<'a>(known: &'a Known<'_>, given: &str) -> Result<&'a RequirementName, String> {
    if given.is_empty() {
        return Err("Give the requirement's name.".to_string());
    }
    let name = folded(given);
    let found: Vec<&RequirementName> = known
        .requirements
        .iter()
        .filter(|r| r.id.as_str() == given || folded(&r.name) == name)
        .collect();
    match found.iter().find(|r| r.retired_at.is_none()) {
        Some(r) => Ok(r),
        None if !found.is_empty() => Err(format!(
            "The requirement \"{given}\" is retired: completions can no longer be recorded for it."
        )),
        None => Err(format!(
            "There is no requirement \"{given}\". Use a requirement's name as your organisation has it."
        )),
    }
}

fn find_day(known: &Known<'_>, given: &str) -> Result<NaiveDate, String> {
    if given.is_empty() {
        return Err("Give the completion date, like 31/01/2024 or 2024-01-31.".to_string());
    }
    let day = crate::staff::service::parse_date(given).ok_or_else(|| {
        format!("\"{given}\" is not a date. Write it like 31/01/2024 or 2024-01-31.")
    })?;
    if day > known.today {
        return Err(format!("The completion date {given} is in the future."));
    }
    Ok(day)
}

/// Check every row of `table`.
pub fn check(table: &Table, columns: Columns, known: &Known<'_>) -> Plan {
    let mut plan = Plan::default();
    // (person, requirement, day) -> the first line that has it.
    let mut seen: HashMap<(PersonId, RequirementId, NaiveDate), usize> = HashMap::new();
    for (line, cells) in &table.rows {
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .map(|c| c.trim().to_string())
                .unwrap_or_default()
        };
        let (number, email) = (cell(columns.employee_number), cell(columns.email));
        let (given_requirement, given_day) = (
            cell(Some(columns.requirement)),
            cell(Some(columns.completed_on)),
        );
        let reference = cell(columns.reference);
        let mut problems: Vec<String> = Vec::new();
        let person = find_person(known, &number, &email)
            .map_err(|p| problems.push(p))
            .ok();
        let requirement = find_requirement(known, &given_requirement)
            .map_err(|p| problems.push(p))
            .ok();
        let day = find_day(known, &given_day)
            .map_err(|p| problems.push(p))
            .ok();
        if reference.chars().count() > MAX_REFERENCE {
            problems.push(format!(
                "The certificate reference is longer than {MAX_REFERENCE} characters."
            ));
        }
        if let (Some(p), Some(r), Some(d)) = (person, requirement, day) {
            let key = (p.id.clone(), r.id.clone(), d);
            if let Some(first) = seen.get(&key) {
                problems.push(format!(
                    "The same person, requirement and date as line {first}."
                ));
            } else {
                seen.insert(key, *line);
            }
            if known
                .standing
                .contains(&(p.id.clone(), r.id.clone(), day_key(d)))
            {
                problems.push(format!(
                    "{} already has \"{}\" recorded on {}.",
                    p.full_name,
                    r.name,
                    d.format("%d/%m/%Y")
                ));
            }
            if problems.is_empty() {
                plan.rows.push(Planned {
                    line: *line,
                    person_id: p.id.clone(),
                    requirement_id: r.id.clone(),
                    satisfied_by: r.satisfied_by.clone(),
                    completed_on: d,
                    reference: (!reference.is_empty()).then(|| reference.clone()),
                });
            }
        }
        plan.preview.push(PreviewRow {
            line: *line,
            person: person.map(|p| p.full_name.clone()).unwrap_or_else(|| {
                if number.is_empty() {
                    email.clone()
                } else {
                    number.clone()
                }
            }),
            requirement: requirement
                .map(|r| r.name.clone())
                .unwrap_or(given_requirement),
            completed_on: given_day,
            reference,
            problems: problems.len(),
        });
        plan.problems
            .extend(problems.into_iter().map(|message| Problem {
                line: *line,
                message,
            }));
    }
    plan
}

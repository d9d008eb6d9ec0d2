//! Checking an enrolment file against the organisation's accounts and cohorts: every row,
//! every problem, by line number. Pure, so tested without a database; run for the preview
//! and again inside the confirming transaction.

use super::{Preview, PreviewRow, Problem, MAX_REFERENCE};
use crate::cohorts::status::LearnerStatus;
use crate::csv_table::{plain, Table};
use crate::error::AppError;
use crate::ids::{CohortId, PersonId};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Which column holds what (an index into each row).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    pub first_name: usize,
    pub last_name: usize,
    pub email: usize,
    pub cohort: usize,
    pub start_on: usize,
    pub date_of_birth: Option<usize>,
    pub reference: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    FirstName,
    LastName,
    Email,
    Cohort,
    StartOn,
    DateOfBirth,
    Reference,
}

fn kind_of(heading: &str) -> Option<Kind> {
    let h = plain(heading);
    let has = |w: &str| h.split(' ').any(|x| x == w);
    if has("email") || has("e") && has("mail") {
        return Some(Kind::Email);
    }
    if has("birth") || h == "dob" {
        return Some(Kind::DateOfBirth);
    }
    if has("first") || has("forename") || has("forenames") || has("given") {
        return Some(Kind::FirstName);
    }
    if has("last") || has("surname") || has("family") {
        return Some(Kind::LastName);
    }
    if has("cohort") || has("group") || h == "class" {
        return Some(Kind::Cohort);
    }
    if has("start") || has("started") || has("enrolment") && has("date") {
        return Some(Kind::StartOn);
    }
    if has("reference") || has("ref") || has("uln") || has("learner") && has("number") {
        return Some(Kind::Reference);
    }
    None
}

/// The columns, from the headings (the first heading of each kind).
pub fn columns(headings: &[String]) -> Result<Columns, AppError> {
    let find = |kind: Kind| headings.iter().position(|h| kind_of(h) == Some(kind));
    let needed = [
        (Kind::FirstName, "\"First name\""),
        (Kind::LastName, "\"Last name\""),
        (Kind::Email, "\"Email\""),
        (Kind::Cohort, "\"Cohort\""),
        (Kind::StartOn, "\"Start date\""),
    ];
    let missing: Vec<&str> = needed
        .iter()
        .filter(|(k, _)| find(*k).is_none())
        .map(|(_, name)| *name)
        .collect();
    match (
        find(Kind::FirstName),
        find(Kind::LastName),
        find(Kind::Email),
        find(Kind::Cohort),
        find(Kind::StartOn),
    ) {
        (Some(first_name), Some(last_name), Some(email), Some(cohort), Some(start_on)) => {
            Ok(Columns {
                first_name,
                last_name,
                email,
                cohort,
                start_on,
                date_of_birth: find(Kind::DateOfBirth),
                reference: find(Kind::Reference),
            })
        }
        _ => Err(AppError::invalid(format!(
            "The file needs a column headed {}. Headings found: {}.",
            missing.join(", and one headed "),
            headings.join(", ")
        ))),
    }
}

/// An account of the organisation, as matching needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: PersonId,
    pub email: String,
    pub full_name: String,
    pub is_learner: bool,
    pub deactivated: bool,
    pub date_of_birth: Option<NaiveDate>,
    /// Their learner record's status, if they have one.
    pub status: Option<LearnerStatus>,
    /// The cohort they are in now, if any.
    pub cohort: Option<CohortId>,
}

/// A cohort of the organisation, and whether the asker may enrol into it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CohortName {
    pub id: CohortId,
    pub name: String,
    pub may_enrol: bool,
}

/// What is known in the organisation when checking.
pub struct Known<'a> {
    pub accounts: &'a [Account],
    pub cohorts: &'a [CohortName],
    pub today: NaiveDate,
}

/// Who a row is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Learner {
    Existing {
        id: PersonId,
        /// Their date of birth, to record when none was.
        date_of_birth: Option<NaiveDate>,
    },
    New {
        full_name: String,
        email: String,
        date_of_birth: Option<NaiveDate>,
    },
}

/// A row ready to enrol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub line: usize,
    pub learner: Learner,
    pub cohort_id: CohortId,
    pub start_on: NaiveDate,
    pub reference: Option<String>,
}

/// What the file would enrol, and what stops it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub rows: Vec<Planned>,
    pub preview: Vec<PreviewRow>,
    pub problems: Vec<Problem>,
}

impl Plan {
    pub fn preview(self, file_name: String) -> Preview {
        let new_learners = self
            .rows
            .iter()
            .filter(|r| matches!(r.learner, Learner::New { .. }))
            .count();
        Preview {
            file_name,
            existing: self.rows.len() - new_learners,
            new_learners,
            rows: self.preview,
            problems: self.problems,
        }
    }
}

fn folded(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn day(given: &str, what: &str) -> Result<NaiveDate, String> {
    crate::staff::service::parse_date(given)
        .ok_or_else(|| format!("{what}: \"{given}\" is not a date. Write it like 01/09/2026."))
}

fn find_cohort<'a>(known: &'a Known<'_>, given: &str) -> Result<&'a CohortName, String> {
    if given.is_empty() {
        return Err("Give the cohort's name.".to_string());
    }
    let name = folded(given);
    match known.cohorts.iter().find(|c| folded(&c.name) == name) {
        Some(c) if c.may_enrol => Ok(c),
        Some(c) => Err(format!(
            "You do not teach \"{}\": only its tutors and administrators enrol learners in it.",
            c.name
        )),
        None => Err(format!(
            "There is no cohort called \"{given}\". Create it first, or use a cohort's name as it is written on the Cohorts page."
        )),
    }
}

fn name_of(first: &str, last: &str) -> Result<String, String> {
    if first.is_empty() || last.is_empty() {
        return Err("Give the learner's first name and last name.".to_string());
    }
    crate::admin::service::check_full_name(&format!("{first} {last}")).map_err(|e| e.to_string())
}

/// What confirming does for an existing account, in words.
fn existing_action(account: &Account, cohort: &CohortName) -> String {
    let back = match account.status {
        Some(s) if s.inactive() => format!(" ({} now: becomes active)", s.label().to_lowercase()),
        _ => String::new(),
    };
    match &account.cohort {
        Some(c) if *c == cohort.id => format!("Already in this cohort: start date updated{back}"),
        Some(_) => format!("Existing account: moves to this cohort{back}"),
        None => format!("Existing account: enrolled{back}"),
    }
}

fn check_account(account: &Account, dob: Option<NaiveDate>, problems: &mut Vec<String>) {
    if account.deactivated {
        problems.push(format!(
            "{}'s account is deactivated. Reactivate it on the People page first.",
            account.full_name
        ));
    } else if !account.is_learner {
        problems.push(format!(
            "{} has an account here without the learner role. Give them the learner role on their account first.",
            account.full_name
        ));
    }
    if let (Some(given), Some(recorded)) = (dob, account.date_of_birth) {
        if given != recorded {
            problems.push(format!(
                "The date of birth differs from the one recorded for {} ({}).",
                account.full_name,
                recorded.format("%d/%m/%Y")
            ));
        }
    }
}

/// The value, or None with its problem noted.
fn noted<T>(problems: &mut Vec<String>, found: Result<T, String>) -> Option<T> {
    found.map_err(|p| problems.push(p)).ok()
}

/// A learner in a cohort the asker does not teach stays there: only an administrator (or
/// that cohort's tutor) moves them, so a tutor cannot take another tutor's learner.
fn check_move(account: &Account, known: &Known<'_>, problems: &mut Vec<String>) {
    let Some(now) = &account.cohort else {
        return;
    };
    if let Some(c) = known.cohorts.iter().find(|c| c.id == *now && !c.may_enrol) {
        problems.push(format!(
            "{} is in the cohort \"{}\", which you do not teach: an administrator can move them.",
            account.full_name, c.name
        ));
    }
}

/// Check every row of `table`.
pub fn check(table: &Table, columns: Columns, known: &Known<'_>) -> Plan {
    let mut plan = Plan::default();
    let by_email: HashMap<&str, &Account> = known
        .accounts
        .iter()
        .map(|a| (a.email.as_str(), a))
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, cells) in &table.rows {
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .map(|c| c.trim().to_string())
                .unwrap_or_default()
        };
        let (first, last) = (
            cell(Some(columns.first_name)),
            cell(Some(columns.last_name)),
        );
        let (given_email, given_cohort) = (cell(Some(columns.email)), cell(Some(columns.cohort)));
        let (given_start, given_dob) = (cell(Some(columns.start_on)), cell(columns.date_of_birth));
        let reference = cell(columns.reference);
        let mut problems: Vec<String> = Vec::new();
        let name = noted(&mut problems, name_of(&first, &last));
        let email = noted(
            &mut problems,
            crate::auth::service::normalise_email(&given_email).map_err(|_| {
                format!("\"{given_email}\" is not an email address, like name@example.com.")
            }),
        );
        let cohort = noted(&mut problems, find_cohort(known, &given_cohort));
        let start = noted(
            &mut problems,
            if given_start.is_empty() {
                Err("Give the learner's start date, like 01/09/2026.".to_string())
            } else {
                day(&given_start, "Start date")
            },
        );
        let dob = match given_dob.as_str() {
            "" => None,
            given => noted(
                &mut problems,
                day(given, "Date of birth").and_then(|d| {
                    (d < known.today)
                        .then_some(d)
                        .ok_or_else(|| format!("The date of birth {given} is not in the past."))
                }),
            ),
        };
        if reference.chars().count() > MAX_REFERENCE || reference.chars().any(char::is_control) {
            problems.push(format!(
                "The learner reference must be at most {MAX_REFERENCE} letters and numbers."
            ));
        }
        if let Some(email) = &email {
            if let Some(first) = seen.get(email) {
                problems.push(format!("The same email as line {first}."));
            } else {
                seen.insert(email.clone(), *line);
            }
        }
        let account = email.as_deref().and_then(|e| by_email.get(e).copied());
        if let Some(account) = account {
            check_account(account, dob, &mut problems);
            check_move(account, known, &mut problems);
        }
        let action = match (account, cohort) {
            (Some(a), Some(c)) => existing_action(a, c),
            (None, _) => "New learner: account created and invited".to_string(),
            _ => String::new(),
        };
        if let (Some(name), Some(email), Some(cohort), Some(start)) = (&name, &email, cohort, start)
        {
            if problems.is_empty() {
                plan.rows.push(Planned {
                    line: *line,
                    learner: match account {
                        Some(a) => Learner::Existing {
                            id: a.id.clone(),
                            date_of_birth: dob.filter(|_| a.date_of_birth.is_none()),
                        },
                        None => Learner::New {
                            full_name: name.clone(),
                            email: email.clone(),
                            date_of_birth: dob,
                        },
                    },
                    cohort_id: cohort.id.clone(),
                    start_on: start,
                    reference: (!reference.is_empty()).then(|| reference.clone()),
                });
            }
        }
        plan.preview.push(PreviewRow {
            line: *line,
            name: account
                .map(|a| a.full_name.clone())
                .or(name)
                .unwrap_or_else(|| format!("{first} {last}").trim().to_string()),
            email: email.unwrap_or(given_email),
            cohort: cohort.map(|c| c.name.clone()).unwrap_or(given_cohort),
            start_on: given_start,
            action: match problems.len() {
                0 => action,
                1 => "1 problem".to_string(),
                n => format!("{n} problems"),
            },
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

//! The HR import: the People department pastes the CSV export of their HR system, says
//! which column is which, sees every row and every problem by line number, and confirms;
//! then every row is saved or none is.
//!
//! How the file travels: the text is posted once (a plain form, so it works without
//! JavaScript) and kept in the asker's server-side session, with the mapping; the preview
//! and the confirmation both read it from there, so what is confirmed is exactly what was
//! previewed, and confirming checks everything again against the database as it is then.
//!
//! Matching: by employee number, then by email, only among the asker's organisation's
//! accounts. A blank cell leaves the stored value alone; nobody is ever deleted.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest file accepted, in bytes of text (about 5,000 rows of a typical export).
pub const MAX_BYTES: usize = 1_000_000;
/// The most rows in one file.
pub const MAX_ROWS: usize = 5_000;

/// What a column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    FullName,
    Email,
    EmployeeNumber,
    JobTitle,
    Department,
    StartDate,
    LineManager,
    LeavingDate,
    Role,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::FullName,
        Field::Email,
        Field::EmployeeNumber,
        Field::JobTitle,
        Field::Department,
        Field::StartDate,
        Field::LineManager,
        Field::LeavingDate,
        Field::Role,
    ];

    /// The form field's name (and the key in the remembered mapping).
    pub fn key(self) -> &'static str {
        match self {
            Field::FullName => "full_name",
            Field::Email => "email",
            Field::EmployeeNumber => "employee_number",
            Field::JobTitle => "job_title",
            Field::Department => "department",
            Field::StartDate => "start_date",
            Field::LineManager => "line_manager",
            Field::LeavingDate => "leaving_date",
            Field::Role => "role",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::FullName => "Full name",
            Field::Email => "Email",
            Field::EmployeeNumber => "Employee number",
            Field::JobTitle => "Job title",
            Field::Department => "Department",
            Field::StartDate => "Start date",
            Field::LineManager => "Line manager (email or employee number)",
            Field::LeavingDate => "Leaving date",
            Field::Role => "Role for new people (staff if not given)",
        }
    }
}

/// Which column heading holds each field (a field not mapped is not in the file).
pub type Mapping = BTreeMap<Field, String>;

/// A problem with one line of the file (line 1 is the headings).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// One row as the preview shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    pub line: usize,
    /// The cells of the mapped fields, in [`Field::ALL`] order ("" when blank or unmapped).
    pub cells: Vec<String>,
    /// "New person", or "Update" with who it matched.
    pub action: String,
    pub problems: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub headings: Vec<String>,
    pub mapping: Mapping,
    pub rows: Vec<PreviewRow>,
    pub problems: Vec<Problem>,
    pub new_people: usize,
    pub updates: usize,
}

/// Someone in the organisation the file did not mention: perhaps a leaver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingPerson {
    pub id: crate::ids::PersonId,
    pub full_name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub created: usize,
    pub updated: usize,
    pub invited: usize,
    pub missing: Vec<MissingPerson>,
}

/// What the import page shows: the file waiting to be confirmed, the last result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportView {
    pub preview: Option<Preview>,
    pub outcome: Option<Outcome>,
}

#[server(endpoint = "staff/import_state")]
pub async fn import_state() -> Result<ImportView, AppError> {
    crate::error::finish(service::state().await)
}

/// Keep the pasted CSV text for the preview (nothing is saved in the records yet).
#[server(endpoint = "staff/import_upload")]
pub async fn import_upload(csv: String) -> Result<(), AppError> {
    crate::error::finish(service::upload(csv).await)
}

pub use mapping_form::*;

/// The mapping form's server function: one field per column it can map.
mod mapping_form {
    // The generated client and server halves take every form field as an argument.
    #![allow(clippy::too_many_arguments)]
    use super::*;

    /// Say which column heading holds each field ("" for "not in the file").
    #[server(endpoint = "staff/import_map")]
    pub async fn import_map(
        full_name: Option<String>,
        email: Option<String>,
        employee_number: Option<String>,
        job_title: Option<String>,
        department: Option<String>,
        start_date: Option<String>,
        line_manager: Option<String>,
        leaving_date: Option<String>,
        role: Option<String>,
    ) -> Result<(), AppError> {
        let chosen = [
            (Field::FullName, full_name),
            (Field::Email, email),
            (Field::EmployeeNumber, employee_number),
            (Field::JobTitle, job_title),
            (Field::Department, department),
            (Field::StartDate, start_date),
            (Field::LineManager, line_manager),
            (Field::LeavingDate, leaving_date),
            (Field::Role, role),
        ];
        let mapping: Mapping = chosen
            .into_iter()
            .filter_map(|(f, v)| {
                v.map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
                    .map(|v| (f, v))
            })
            .collect();
        crate::error::finish(service::set_mapping(mapping).await)
    }
}

/// Save every row of the waiting file, or none; `send_invitations` ticked ("on") emails
/// the new people their invitation.
#[server(endpoint = "staff/import_confirm")]
pub async fn import_confirm(send_invitations: Option<String>) -> Result<Outcome, AppError> {
    crate::error::finish(service::confirm(send_invitations.is_some()).await)
}

/// Forget the waiting file.
#[server(endpoint = "staff/import_cancel")]
pub async fn import_cancel() -> Result<(), AppError> {
    crate::error::finish(service::cancel().await)
}

#[cfg(feature = "ssr")]
pub use rules::*;

/// Parsing, mapping and checking: pure, so tested without a database.
#[cfg(feature = "ssr")]
mod rules {
    use super::*;
    use crate::auth::Role;
    use chrono::{Datelike, NaiveDate};
    use std::collections::{HashMap, HashSet};

    /// The file as read: its headings and its rows with their line numbers.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Table {
        pub headings: Vec<String>,
        pub rows: Vec<(usize, Vec<String>)>,
    }

    /// Read a CSV export: a byte-order mark, CRLF or LF, quoted fields, rows shorter or
    /// longer than the headings (trailing empty columns), blank lines skipped.
    pub fn parse(text: &str) -> Result<Table, AppError> {
        if text.len() > MAX_BYTES {
            return Err(AppError::invalid(format!(
                "The file is larger than {} MB. Split it into smaller files.",
                MAX_BYTES / 1_000_000
            )));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(text.as_bytes());
        let mut headings: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        // Line breaks counted so far, up to byte `counted` (counted once, not per row).
        let (mut lines_before, mut counted) = (0usize, 0usize);
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                AppError::invalid(format!(
                    "Line {line} of the file could not be read as CSV. Export it again as CSV (comma separated)."
                ))
            })?;
            // The line the record starts on, counted in the text itself: the reader's own
            // count can lag a line behind after a CRLF.
            let start = record.position().map(|p| p.byte() as usize).unwrap_or(0);
            let skipped = text
                .get(start..)
                .map(|rest| rest.len() - rest.trim_start_matches(['\r', '\n']).len())
                .unwrap_or(0);
            let upto = (start + skipped).min(text.len());
            lines_before += text.as_bytes()[counted..upto.max(counted)]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted = upto.max(counted);
            let line = 1 + lines_before;
            let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            if headings.is_none() {
                headings = Some(cells);
                continue;
            }
            rows.push((line, cells));
            if rows.len() > MAX_ROWS {
                return Err(AppError::invalid(format!(
                    "The file has more than {MAX_ROWS} rows. Split it into smaller files."
                )));
            }
        }
        let mut headings = headings.ok_or_else(|| {
            AppError::invalid("The file is empty. Paste the CSV export, headings first.")
        })?;
        while headings.last().is_some_and(|h| h.is_empty()) {
            headings.pop();
        }
        if rows.is_empty() {
            return Err(AppError::invalid(
                "The file has headings but no rows of people.",
            ));
        }
        Ok(Table { headings, rows })
    }

    /// A heading as compared: lower case, letters and digits, single spaces.
    fn plain(heading: &str) -> String {
        heading
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn guess_for(heading: &str) -> Option<Field> {
        let h = plain(heading);
        let has = |w: &str| h.split(' ').any(|x| x == w);
        if has("manager") || h.contains("reports to") || h == "supervisor" {
            return Some(Field::LineManager);
        }
        if has("email") || has("e") && has("mail") {
            return Some(Field::Email);
        }
        if (has("employee") || has("staff") || has("payroll") || has("emp") || has("person"))
            && (has("number") || has("no") || has("id") || has("ref") || has("reference"))
            || h == "employee"
        {
            return Some(Field::EmployeeNumber);
        }
        if has("leaving") || has("left") || has("termination") || h == "end date" || has("leave") {
            return Some(Field::LeavingDate);
        }
        if has("start") || has("started") || has("joined") || h == "hire date" {
            return Some(Field::StartDate);
        }
        if has("department") || has("dept") || h == "team" {
            return Some(Field::Department);
        }
        if has("job") || has("position") || h == "title" {
            return Some(Field::JobTitle);
        }
        if has("name") {
            return Some(Field::FullName);
        }
        if h == "role" || h == "app role" || h == "access role" {
            return Some(Field::Role);
        }
        None
    }

    /// Sensible guesses from the headings: each field to the first heading that looks
    /// like it.
    pub fn guess(headings: &[String]) -> Mapping {
        let mut mapping = Mapping::new();
        for heading in headings {
            if let Some(field) = guess_for(heading) {
                mapping.entry(field).or_insert_with(|| heading.clone());
            }
        }
        mapping
    }

    /// `mapping` without the headings this file does not have.
    pub fn fit(mapping: &Mapping, headings: &[String]) -> Mapping {
        mapping
            .iter()
            .filter(|(_, h)| headings.contains(h))
            .map(|(f, h)| (*f, h.clone()))
            .collect()
    }

    /// The mapping offered for a new file: what the organisation used last time, where
    /// the file has those headings, and guesses for the rest from headings not yet used.
    pub fn offered(saved: Option<&Mapping>, headings: &[String]) -> Mapping {
        let mut mapping = saved.map(|m| fit(m, headings)).unwrap_or_default();
        for (field, heading) in guess(headings) {
            if !mapping.contains_key(&field) && !mapping.values().any(|h| *h == heading) {
                mapping.insert(field, heading);
            }
        }
        mapping
    }

    /// A day as UK exports write it: `31/01/2026` or `2026-01-31`.
    pub fn parse_date(text: &str) -> Option<NaiveDate> {
        let text = text.trim();
        let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
            .ok()?;
        (1900..=2200).contains(&day.year()).then_some(day)
    }

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
    pub fn check(
        table: &Table,
        mapping: &Mapping,
        existing: &[Existing],
        today: NaiveDate,
    ) -> Plan {
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
                Some(r) => {
                    match Role::parse(&r.to_lowercase()).filter(|r| IMPORT_ROLES.contains(r)) {
                        Some(r) => r,
                        None => {
                            problem(
                            line,
                            format!("Role: \u{201c}{r}\u{201d} is not one of staff, manager, tutor, dsl or people."),
                        );
                            Role::Staff
                        }
                    }
                }
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

        // Line managers: another row of the file, or someone already here.
        let row_by_number: HashMap<&str, usize> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.employee_number.as_deref().map(|n| (n, i)))
            .collect();
        let row_by_email: HashMap<&str, usize> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.email.as_deref().map(|e| (e, i)))
            .collect();
        let row_of_person: HashMap<&str, usize> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match &r.target {
                Target::Existing(id) => Some((id.as_str(), i)),
                Target::New => None,
            })
            .collect();
        let mut resolved: Vec<Option<ManagerRef>> = Vec::new();
        for (i, named) in managers_named.iter().enumerate() {
            let line = rows[i].line;
            let Some(named) = named else {
                resolved.push(None);
                continue;
            };
            let lower = named.to_lowercase();
            let found = row_by_number
                .get(named.as_str())
                .or_else(|| row_by_email.get(lower.as_str()))
                .map(|&r| ManagerRef::Row(r))
                .or_else(|| {
                    by_number
                        .get(named.as_str())
                        .or_else(|| by_email.get(lower.as_str()))
                        .map(|p| match row_of_person.get(p.id.as_str()) {
                            Some(&r) => ManagerRef::Row(r),
                            None => ManagerRef::Existing(p.id.clone()),
                        })
                });
            let Some(found) = found else {
                problem(
                    line,
                    format!("The line manager \u{201c}{named}\u{201d} is not in the file or in your organisation."),
                );
                resolved.push(None);
                continue;
            };
            let (left, name) = match &found {
                ManagerRef::Row(r) => {
                    let row = &rows[*r];
                    let stored = match &row.target {
                        Target::Existing(id) => by_id.get(id.as_str()).and_then(|p| p.leaving_date),
                        Target::New => None,
                    };
                    (row.leaving_date.or(stored), named.clone())
                }
                ManagerRef::Existing(id) => {
                    let p = by_id[id.as_str()];
                    (p.leaving_date, p.full_name.clone())
                }
            };
            if left.is_some_and(|d| d <= today) {
                problem(
                    line,
                    format!("The line manager {name} has left. Choose someone still in post."),
                );
            }
            resolved.push(Some(found));
        }

        // Loops, inside the file or with the records already kept.
        let key_of_row = |i: usize| -> String {
            match &rows[i].target {
                Target::Existing(id) => id.clone(),
                Target::New => format!("line:{}", rows[i].line),
            }
        };
        let mut managers: HashMap<String, String> = existing
            .iter()
            .filter_map(|p| p.line_manager_id.clone().map(|m| (p.id.clone(), m)))
            .collect();
        for (i, m) in resolved.iter().enumerate() {
            if let Some(m) = m {
                let manager = match m {
                    ManagerRef::Row(r) => key_of_row(*r),
                    ManagerRef::Existing(id) => id.clone(),
                };
                managers.insert(key_of_row(i), manager);
            }
        }
        let line_of_key: HashMap<String, usize> = (0..rows.len())
            .map(|i| (key_of_row(i), rows[i].line))
            .collect();
        let name_of_key = |k: &String| -> String {
            if let Some(&line) = line_of_key.get(k) {
                let row = rows.iter().find(|r| r.line == line);
                if let Some(n) = row.and_then(|r| r.full_name.clone()) {
                    return n;
                }
                return format!("line {line}");
            }
            by_id
                .get(k.as_str())
                .map(|p| p.full_name.clone())
                .unwrap_or_default()
        };
        for found in crate::staff::rules::loops(&managers) {
            let in_file: Vec<usize> = found
                .iter()
                .filter_map(|k| line_of_key.get(k).copied())
                .collect();
            if in_file.is_empty() {
                continue;
            }
            let mut chain: Vec<String> = found.iter().map(name_of_key).collect();
            chain.push(name_of_key(&found[0]));
            let message = format!(
                "The line managers make a loop: {}. Someone in it must report to someone outside it.",
                chain.join(" \u{2192} ")
            );
            for line in in_file {
                problem(line, message.clone());
            }
        }

        for (row, m) in rows.iter_mut().zip(resolved) {
            row.manager = m;
        }
        problems.sort_by_key(|p| p.line);
        Plan { rows, problems }
    }
}

#[cfg(feature = "ssr")]
pub mod service {
    //! The import's steps: every one starts with the guard and works only inside the
    //! asker's organisation.

    use super::*;
    use crate::auth::{guard, Capability, CurrentUser};
    use crate::ids::PersonId;
    use crate::staff::import_queries as queries;
    use crate::state::{app_state, AppState};
    use crate::{audit, calendar, db};
    use std::collections::HashMap;

    const UPLOAD_KEY: &str = "staff_import.upload";
    const OUTCOME_KEY: &str = "staff_import.outcome";

    /// The file waiting in the session, with whose it is.
    #[derive(Clone, Debug, Serialize, Deserialize)]
    struct Upload {
        org_id: crate::ids::OrganisationId,
        user_id: PersonId,
        csv: String,
        mapping: Mapping,
    }

    async fn people() -> Result<(CurrentUser, AppState, tower_sessions::Session), AppError> {
        let user = guard::allowed(Capability::ManageStaffRecords).await?;
        Ok((user, app_state()?, guard::session().await?))
    }

    async fn waiting(
        session: &tower_sessions::Session,
        user: &CurrentUser,
    ) -> Result<Option<Upload>, AppError> {
        let upload: Option<Upload> = session
            .get_value(UPLOAD_KEY)
            .await
            .map_err(AppError::from)?
            .and_then(|v| serde_json::from_value(v).ok());
        Ok(upload.filter(|u| u.org_id == user.org_id && u.user_id == user.id))
    }

    pub async fn state() -> Result<ImportView, AppError> {
        let (user, state, session) = people().await?;
        let outcome: Option<Outcome> = session
            .get_value(OUTCOME_KEY)
            .await
            .map_err(AppError::from)?
            .and_then(|v| serde_json::from_value(v).ok());
        let preview = match waiting(&session, &user).await? {
            Some(upload) => {
                let table = parse(&upload.csv)?;
                let existing = queries::people_in_org(&state.db, &user.org_id).await?;
                let plan = check(&table, &upload.mapping, &existing, calendar::today());
                Some(plan.preview(&table, &upload.mapping, &existing))
            }
            None => None,
        };
        Ok(ImportView { preview, outcome })
    }

    pub async fn upload(csv: String) -> Result<(), AppError> {
        let (user, state, session) = people().await?;
        let table = parse(&csv)?;
        let saved = queries::saved_mapping(&state.db, &user.org_id)
            .await?
            .and_then(|json| serde_json::from_str::<Mapping>(&json).ok());
        let mapping = offered(saved.as_ref(), &table.headings);
        let upload = Upload {
            org_id: user.org_id.clone(),
            user_id: user.id.clone(),
            csv,
            mapping,
        };
        session
            .remove_value(OUTCOME_KEY)
            .await
            .map_err(AppError::from)?;
        session
            .insert(UPLOAD_KEY, upload)
            .await
            .map_err(AppError::from)?;
        leptos_axum::redirect("/staff/import#preview");
        Ok(())
    }

    pub async fn set_mapping(mapping: Mapping) -> Result<(), AppError> {
        let (user, _state, session) = people().await?;
        let mut upload = waiting(&session, &user)
            .await?
            .ok_or_else(|| AppError::invalid("Paste the CSV export first."))?;
        let table = parse(&upload.csv)?;
        if mapping.values().any(|h| !table.headings.contains(h)) {
            return Err(AppError::invalid(
                "Choose columns from the file's headings.",
            ));
        }
        upload.mapping = mapping;
        session
            .insert(UPLOAD_KEY, upload)
            .await
            .map_err(AppError::from)?;
        leptos_axum::redirect("/staff/import#preview");
        Ok(())
    }

    pub async fn cancel() -> Result<(), AppError> {
        let (_user, _state, session) = people().await?;
        session
            .remove_value(UPLOAD_KEY)
            .await
            .map_err(AppError::from)?;
        leptos_axum::redirect("/staff/import");
        Ok(())
    }

    pub async fn confirm(send_invitations: bool) -> Result<Outcome, AppError> {
        let (user, state, session) = people().await?;
        let upload = waiting(&session, &user)
            .await?
            .ok_or_else(|| AppError::invalid("Paste the CSV export first."))?;
        let table = parse(&upload.csv)?;
        let today = calendar::today();
        let mut tx = db::begin(&state.db).await?;
        // Checked again inside the transaction, against the records as they are now.
        let existing = queries::people_in_org(&mut *tx, &user.org_id).await?;
        let plan = check(&table, &upload.mapping, &existing, today);
        if let Some(first) = plan.problems.first() {
            return Err(AppError::invalid(format!(
                "The file has {} problem{} (the first on line {}). Nothing was imported.",
                plan.problems.len(),
                if plan.problems.len() == 1 { "" } else { "s" },
                first.line
            )));
        }
        let outcome = save(&mut tx, &state, &user, &plan, &existing, send_invitations).await;
        let outcome = match outcome {
            Ok(o) => o,
            Err(Saving::Db(e)) if db::is_unique_violation(&e) => {
                return Err(AppError::invalid(
                    "Someone changed these people while you were importing (an email or employee number is now taken). Nothing was imported: look at the preview again.",
                ))
            }
            Err(Saving::Db(e)) => return Err(e.into()),
            Err(Saving::App(e)) => return Err(e),
        };
        let outcome = Outcome {
            missing: plan.missing(&existing, today),
            ..outcome
        };
        let mapping = serde_json::to_string(&upload.mapping).map_err(AppError::internal)?;
        queries::save_mapping(&mut tx, &user.org_id, &mapping, &user.id).await?;
        audit::record(
            &mut tx,
            &user.org_id,
            Some(&user.id),
            audit::Action::StaffImported,
            None,
            &format!(
                "rows={} created={} updated={} invited={}",
                plan.rows.len(),
                outcome.created,
                outcome.updated,
                outcome.invited
            ),
        )
        .await?;
        tx.commit().await?;
        session
            .remove_value(UPLOAD_KEY)
            .await
            .map_err(AppError::from)?;
        session
            .insert(OUTCOME_KEY, outcome.clone())
            .await
            .map_err(AppError::from)?;
        leptos_axum::redirect("/staff/import?done=imported#result");
        Ok(outcome)
    }

    enum Saving {
        Db(sqlx::Error),
        App(AppError),
    }

    impl From<sqlx::Error> for Saving {
        fn from(e: sqlx::Error) -> Self {
            Saving::Db(e)
        }
    }

    async fn save(
        conn: &mut sqlx::AnyConnection,
        state: &AppState,
        user: &CurrentUser,
        plan: &Plan,
        existing: &[Existing],
        send_invitations: bool,
    ) -> Result<Outcome, Saving> {
        let by_id: HashMap<&str, &Existing> = existing.iter().map(|p| (p.id.as_str(), p)).collect();
        // First everyone gets an account, so managers can point at new people.
        let mut ids: Vec<PersonId> = Vec::with_capacity(plan.rows.len());
        let (mut created, mut invited) = (0, 0);
        for row in &plan.rows {
            let id = match &row.target {
                Target::Existing(id) => PersonId::from_param(id.clone()),
                Target::New => {
                    let email = row.email.as_deref().unwrap_or_default();
                    let name = row.full_name.as_deref().unwrap_or_default();
                    let id =
                        crate::admin::queries::insert_user(conn, &user.org_id, email, name, None)
                            .await?;
                    crate::admin::queries::add_role(conn, &user.org_id, &id, row.role).await?;
                    created += 1;
                    if send_invitations {
                        crate::admin::service::send_invitation(conn, state, user, &id, email, name)
                            .await
                            .map_err(Saving::App)?;
                        invited += 1;
                    }
                    id
                }
            };
            ids.push(id);
        }
        let now = db::now();
        let day = |d: Option<chrono::NaiveDate>| d.map(calendar::day_key);
        for (i, row) in plan.rows.iter().enumerate() {
            let id = &ids[i];
            let manager = row.manager.as_ref().map(|m| match m {
                ManagerRef::Row(r) => ids[*r].clone(),
                ManagerRef::Existing(id) => PersonId::from_param(id.clone()),
            });
            if let Target::Existing(eid) = &row.target {
                // Someone here without a staff role yet (a learner's account) becomes staff.
                if by_id.get(eid.as_str()).is_some_and(|p| !p.is_staff) {
                    crate::admin::queries::add_role(conn, &user.org_id, id, row.role).await?;
                }
                queries::update_account(
                    conn,
                    &user.org_id,
                    id,
                    row.email.as_deref(),
                    row.full_name.as_deref(),
                )
                .await?;
            }
            let change = queries::RecordChange {
                employee_number: row.employee_number.as_deref(),
                job_title: row.job_title.as_deref(),
                department: row.department.as_deref(),
                start_date: day(row.start_date),
                line_manager_id: manager.as_ref(),
                leaving_date: day(row.leaving_date),
                updated_at: &now,
                updated_by: &user.id,
            };
            let has_record = match &row.target {
                Target::Existing(eid) => by_id.get(eid.as_str()).is_some_and(|p| p.has_record),
                Target::New => false,
            };
            if has_record {
                queries::update_record(conn, &user.org_id, id, &change).await?;
            } else {
                queries::insert_record(conn, &user.org_id, id, &change).await?;
            }
        }
        Ok(Outcome {
            created,
            updated: plan.rows.len() - created,
            invited,
            missing: Vec::new(),
        })
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
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
}

//! Reading an HR export: the CSV itself, its headings, the column mapping and UK dates.
//! Pure, so tested without a database.

use super::*;
use crate::csv_table::plain;
use chrono::{Datelike, NaiveDate};

pub use crate::csv_table::Table;

/// Read an HR export (see `csv_table::read`): at most [`MAX_BYTES`] and [`MAX_ROWS`].
pub fn parse(text: &str) -> Result<Table, AppError> {
    crate::csv_table::read(
        text,
        crate::csv_table::Limits {
            max_bytes: MAX_BYTES,
            max_rows: MAX_ROWS,
            rows_of: "people",
        },
    )
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

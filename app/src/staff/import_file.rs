//! Reading an HR export: the CSV itself, its headings, the column mapping and UK dates.
//! Pure, so tested without a database.

use super::*;
use chrono::{Datelike, NaiveDate};

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

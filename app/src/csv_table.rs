//! Reading a CSV file people paste or upload (an HR export, a back-fill of training
//! records): a byte-order mark, CRLF or LF, quoted fields, rows shorter or longer than the
//! headings (trailing empty columns), blank lines skipped, each row with the line of the
//! file it starts on. Shared by every import, so they all read files the same way. Pure,
//! so tested without a database.

use crate::error::AppError;

/// The file as read: its headings and its rows with their line numbers (line 1 is the
/// headings, when they are on the first line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub headings: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// How much an import accepts, and what its rows are (for the messages).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_rows: usize,
    /// What a row is, as in "The file has headings but no rows of {rows_of}".
    pub rows_of: &'static str,
}

/// Read `text` as CSV within `limits`; each refusal says what to do about it.
pub fn read(text: &str, limits: Limits) -> Result<Table, AppError> {
    if text.len() > limits.max_bytes {
        return Err(AppError::invalid(format!(
            "The file is larger than {} MB. Split it into smaller files.",
            limits.max_bytes / 1_000_000
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
        if rows.len() > limits.max_rows {
            return Err(AppError::invalid(format!(
                "The file has more than {} rows. Split it into smaller files.",
                limits.max_rows
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
        return Err(AppError::invalid(format!(
            "The file has headings but no rows of {}.",
            limits.rows_of
        )));
    }
    Ok(Table { headings, rows })
}

/// A heading as compared: lower case, letters and digits, single spaces.
pub fn plain(heading: &str) -> String {
    heading
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

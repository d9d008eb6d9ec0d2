//! Line managers in an HR export: who each row's manager is (another row, or someone
//! already in the organisation), whether they have left, and loops, inside the file or
//! with the records already kept. Pure, so tested without a database.

use super::*;
use chrono::NaiveDate;
use std::collections::HashMap;

/// The organisation's people by employee number, by email and by id.
pub(super) type Lookups<'a, 'b> = (
    &'b HashMap<&'a str, &'a Existing>,
    &'b HashMap<&'a str, &'a Existing>,
    &'b HashMap<&'a str, &'a Existing>,
);

fn problem(problems: &mut Vec<Problem>, line: usize, message: String) {
    problems.push(Problem { line, message });
}

/// Each row's line manager, from what the row names (`named`): another row of the file
/// (by employee number or email), or someone already here.
pub(super) fn resolve_managers(
    rows: &[RowPlan],
    named: &[Option<String>],
    (by_number, by_email, by_id): Lookups,
    today: NaiveDate,
    problems: &mut Vec<Problem>,
) -> Vec<Option<ManagerRef>> {
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
    for (i, named) in named.iter().enumerate() {
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
        problems,
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
                problems,
                line,
                format!("The line manager {name} has left. Choose someone still in post."),
            );
        }
        resolved.push(Some(found));
    }
    resolved
}

/// Every loop the file's managers make, with each other or with the records already kept:
/// a problem on each of the file's lines in it, naming everyone in the loop.
pub(super) fn report_loops(
    rows: &[RowPlan],
    resolved: &[Option<ManagerRef>],
    existing: &[Existing],
    by_id: &HashMap<&str, &Existing>,
    problems: &mut Vec<Problem>,
) {
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
            problem(problems, line, message.clone());
        }
    }
}

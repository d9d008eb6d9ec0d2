//! The rules for keeping staff records. Every function starts with the guard and works
//! only inside the asker's own organisation: someone from another organisation is "not
//! found", whatever their id.

use super::queries::{self, Stored};
use super::rules::loop_if_managed_by;
use super::{ManagerChoice, RecordForm, StaffList, StaffRecord, MAX_TEXT_LENGTH};
use crate::auth::{guard, Capability, CurrentUser};
use crate::calendar;
use crate::error::AppError;
use crate::ids::PersonId;
use crate::state::{app_state, AppState};
use crate::{audit, db};
use chrono::{Datelike, NaiveDate};

const MAX_SEARCH_LENGTH: usize = 200;

async fn keeper() -> Result<(CurrentUser, AppState), AppError> {
    let user = guard::allowed(Capability::ManageStaffRecords).await?;
    Ok((user, app_state()?))
}

/// A day as people type it: `2024-09-02`, or the UK's `02/09/2024` (day first, also
/// `2/9/2024`). Years outside 1900 to 2100 are typing mistakes.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let day = if text.contains('/') {
        let parts: Vec<&str> = text.split('/').collect();
        let [d, m, y] = parts[..] else {
            return None;
        };
        if y.len() != 4 || d.is_empty() || m.is_empty() || d.len() > 2 || m.len() > 2 {
            return None;
        }
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?
    } else {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?
    };
    (1900..=2100).contains(&day.year()).then_some(day)
}

/// A day as people read it, like "2 September 2024".
pub fn display_date(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

fn date_field(text: &str, what: &str) -> Result<Option<NaiveDate>, AppError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_date(text).map(Some).ok_or_else(|| {
        AppError::invalid(format!(
            "Enter the {what} as a real date, like 02/09/2024 or 2024-09-02."
        ))
    })
}

fn text_field(text: &str, what: &str) -> Result<String, AppError> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > MAX_TEXT_LENGTH {
        return Err(AppError::invalid(format!(
            "Enter a {what} of at most {MAX_TEXT_LENGTH} characters."
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(AppError::invalid(format!(
            "The {what} contains characters that cannot be used."
        )));
    }
    Ok(text)
}

/// The form as submitted.
pub struct RecordInput {
    pub employee_number: String,
    pub job_title: String,
    pub department: String,
    pub start_date: String,
    pub line_manager_id: String,
    pub leaving_date: String,
}

/// The record the form asks for, checked on its own (before anything is read).
pub fn check_input(input: &RecordInput) -> Result<Stored, AppError> {
    let employee_number = text_field(&input.employee_number, "employee number")?;
    let job_title = text_field(&input.job_title, "job title")?;
    let department = text_field(&input.department, "department")?;
    let start = date_field(&input.start_date, "start date")?;
    let leaving = date_field(&input.leaving_date, "leaving date")?;
    if let (Some(start), Some(leaving)) = (start, leaving) {
        if leaving < start {
            return Err(AppError::invalid(format!(
                "The leaving date ({}) is before the start date ({}). Check both dates.",
                display_date(leaving),
                display_date(start)
            )));
        }
    }
    let manager = input.line_manager_id.trim();
    Ok(Stored {
        employee_number: (!employee_number.is_empty()).then_some(employee_number),
        job_title,
        department,
        start_date: start.map(calendar::day_key),
        line_manager_id: (!manager.is_empty()).then(|| PersonId::from_param(manager)),
        leaving_date: leaving.map(calendar::day_key),
    })
}

/// Which fields differ, by name (for the audit log: names, not values, since the log is
/// read more widely than the records and values such as leaving dates are HR data).
pub fn changed_fields(before: &Stored, after: &Stored) -> Vec<&'static str> {
    let mut changed = Vec::new();
    if before.employee_number != after.employee_number {
        changed.push("employee number");
    }
    if before.job_title != after.job_title {
        changed.push("job title");
    }
    if before.department != after.department {
        changed.push("department");
    }
    if before.start_date != after.start_date {
        changed.push("start date");
    }
    if before.line_manager_id != after.line_manager_id {
        changed.push("line manager");
    }
    if before.leaving_date != after.leaving_date {
        changed.push("leaving date");
    }
    changed
}

fn not_staff(name: &str) -> AppError {
    AppError::invalid(format!(
        "{name} is a learner, not a member of staff: staff records are kept for staff only. Give them a staff role first."
    ))
}

pub async fn list_staff(
    q: Option<String>,
    show: Option<String>,
    page: Option<String>,
) -> Result<StaffList, AppError> {
    let (user, state) = keeper().await?;
    let q = q.unwrap_or_default();
    if q.chars().count() > MAX_SEARCH_LENGTH {
        return Err(AppError::invalid(format!(
            "Search for at most {MAX_SEARCH_LENGTH} characters."
        )));
    }
    let exceptions_only = show.as_deref() == Some("exceptions");
    let page = crate::people::parse_page(page.as_deref());
    let today = calendar::day_key(calendar::today());
    let found = queries::list(
        &state.db,
        &user.org_id,
        q.trim(),
        exceptions_only,
        &today,
        page,
    )
    .await?;
    let exceptions = queries::count_exceptions(&state.db, &user.org_id, &today).await?;
    Ok(StaffList {
        rows: found.rows,
        paging: found.paging,
        exceptions_only,
        exceptions,
    })
}

pub async fn record(person_id: PersonId) -> Result<RecordForm, AppError> {
    let (user, state) = keeper().await?;
    let mut conn = state.db.acquire().await?;
    let person = queries::person(&mut conn, &user.org_id, &person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if person.is_staff != 1 {
        return Err(not_staff(&person.full_name));
    }
    let stored = queries::stored(&mut conn, &user.org_id, &person.id)
        .await?
        .unwrap_or_default();
    drop(conn);
    let today = calendar::day_key(calendar::today());
    let managers: Vec<ManagerChoice> = queries::possible_managers(&state.db, &user.org_id, &today)
        .await?
        .into_iter()
        .filter(|m| m.id != person.id)
        .map(|m| ManagerChoice {
            id: m.id,
            full_name: m.full_name,
            email: m.email,
        })
        .collect();
    let mut manager_left = None;
    if let Some(manager) = &stored.line_manager_id {
        if !managers.iter().any(|m| &m.id == manager) {
            let mut conn = state.db.acquire().await?;
            let names =
                queries::names(&mut conn, &user.org_id, std::slice::from_ref(manager)).await?;
            let left = queries::leaving_date(&mut conn, &user.org_id, manager).await?;
            let day = left
                .as_deref()
                .and_then(calendar::parse_day)
                .map(display_date)
                .unwrap_or_default();
            manager_left = Some((names.get(manager).cloned().unwrap_or_default(), day));
        }
    }
    Ok(RecordForm {
        record: StaffRecord {
            person_id: person.id,
            full_name: person.full_name,
            email: person.email,
            employee_number: stored.employee_number.unwrap_or_default(),
            job_title: stored.job_title,
            department: stored.department,
            start_date: stored.start_date,
            line_manager_id: stored.line_manager_id,
            leaving_date: stored.leaving_date,
        },
        managers,
        manager_left,
    })
}

pub async fn save(person_id: PersonId, input: RecordInput) -> Result<(), AppError> {
    let (user, state) = keeper().await?;
    let org = &user.org_id;
    let mut tx = db::begin(&state.db).await?;
    // One save at a time per organisation, so two saves cannot make a loop between them.
    db::lock_organisation(&mut tx, org).await?;
    let person = queries::person(&mut tx, org, &person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if person.is_staff != 1 {
        return Err(not_staff(&person.full_name));
    }
    // Checked after the person is found: another organisation's id is "not found" whatever
    // the form says.
    let wanted = check_input(&input)?;
    let before = queries::stored(&mut tx, org, &person.id).await?;
    if let Some(number) = &wanted.employee_number {
        if let Some(holder) =
            queries::employee_number_holder(&mut tx, org, number, &person.id).await?
        {
            return Err(AppError::invalid(format!(
                "Employee number {number} already belongs to {holder}. Each employee number can belong to one person in your organisation: check the number, or change {holder}'s record first."
            )));
        }
    }
    if let Some(manager_id) = &wanted.line_manager_id {
        check_manager(&mut tx, &user, &person, before.as_ref(), manager_id).await?;
    }
    let unchanged = Stored::default();
    let changed = changed_fields(before.as_ref().unwrap_or(&unchanged), &wanted);
    match queries::save(&mut tx, org, &person.id, &wanted, &user.id).await {
        Err(e) if db::is_unique_violation(&e) => {
            return Err(AppError::invalid(
                "That employee number already belongs to someone else in your organisation.",
            ))
        }
        other => other?,
    }
    let detail = match (before.is_some(), changed.is_empty()) {
        (_, true) => "saved, nothing changed".to_string(),
        (false, false) => format!("created: {}", changed.join(", ")),
        (true, false) => format!("changed: {}", changed.join(", ")),
    };
    audit::record(
        &mut tx,
        org,
        Some(&user.id),
        audit::Action::StaffRecordChanged,
        Some(person.id.as_str()),
        &detail,
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/staff/{}?done=saved", person.id));
    Ok(())
}

/// A line manager must be staff of the same organisation, must not have left (when newly
/// chosen: one who left after being chosen stays until changed, and the person shows
/// among the exceptions), and must not close a loop.
async fn check_manager(
    conn: &mut sqlx::AnyConnection,
    user: &CurrentUser,
    person: &queries::Person,
    before: Option<&Stored>,
    manager_id: &PersonId,
) -> Result<(), AppError> {
    let org = &user.org_id;
    if manager_id == &person.id {
        return Err(AppError::invalid(format!(
            "{} cannot be their own line manager. Choose someone else, or no line manager.",
            person.full_name
        )));
    }
    let Some(manager) = queries::person(conn, org, manager_id).await? else {
        return Err(AppError::invalid(
            "Choose the line manager from the list: that person is not in your organisation.",
        ));
    };
    if manager.is_staff != 1 {
        return Err(AppError::invalid(format!(
            "{} is a learner, not a member of staff, so cannot be a line manager. Choose a member of staff.",
            manager.full_name
        )));
    }
    let unchanged = before.and_then(|b| b.line_manager_id.as_ref()) == Some(manager_id);
    if !unchanged {
        let today = calendar::today();
        if let Some(left) = queries::leaving_date(conn, org, manager_id)
            .await?
            .as_deref()
            .and_then(calendar::parse_day)
            .filter(|d| *d <= today)
        {
            return Err(AppError::invalid(format!(
                "{} left on {}, so cannot be a line manager. Choose someone who has not left.",
                manager.full_name,
                display_date(left)
            )));
        }
    }
    let managers = queries::managers(conn, org).await?;
    if let Some(chain) = loop_if_managed_by(&managers, &person.id, manager_id) {
        let names = queries::names(conn, org, &chain).await?;
        let name = |id: &PersonId| names.get(id).cloned().unwrap_or_default();
        let mut text = format!(
            "{} would be managed by {}",
            name(&chain[0]),
            name(&chain[1])
        );
        for id in &chain[2..] {
            text.push_str(&format!(", who is managed by {}", name(id)));
        }
        return Err(AppError::invalid(format!(
            "That would make a loop of line managers: {text}. Choose a different line manager."
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(start: &str, leaving: &str) -> RecordInput {
        RecordInput {
            employee_number: " E 1 ".into(),
            job_title: "Tutor".into(),
            department: "".into(),
            start_date: start.into(),
            line_manager_id: "".into(),
            leaving_date: leaving.into(),
        }
    }

    #[test]
    fn dates_are_read_as_iso_or_uk_day_first() {
        let day = NaiveDate::from_ymd_opt(2024, 9, 2);
        assert_eq!(parse_date("2024-09-02"), day);
        assert_eq!(parse_date("02/09/2024"), day);
        assert_eq!(parse_date(" 2/9/2024 "), day);
        assert_eq!(parse_date("29/02/2023"), None);
        assert_eq!(parse_date("09/02/24"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("01/01/1850"), None);
        assert_eq!(parse_date("1/2/3/2024"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn a_leaving_date_before_the_start_is_refused() {
        assert!(check_input(&input("02/09/2024", "01/09/2024")).is_err());
        let same = check_input(&input("02/09/2024", "2024-09-02")).unwrap();
        assert_eq!(same.start_date.as_deref(), Some("2024-09-02"));
        assert_eq!(same.employee_number.as_deref(), Some("E 1"));
        assert!(check_input(&input("31/02/2024", "")).is_err());
    }

    #[test]
    fn long_text_is_refused() {
        let mut long = input("", "");
        long.job_title = "x".repeat(MAX_TEXT_LENGTH + 1);
        assert!(check_input(&long).is_err());
        long.job_title = "x".repeat(MAX_TEXT_LENGTH);
        assert!(check_input(&long).is_ok());
    }

    #[test]
    fn only_changed_field_names_are_listed() {
        let before = Stored {
            job_title: "Tutor".into(),
            ..Stored::default()
        };
        let after = Stored {
            job_title: "Lead tutor".into(),
            leaving_date: Some("2026-01-01".into()),
            ..Stored::default()
        };
        assert_eq!(
            changed_fields(&before, &after),
            vec!["job title", "leaving date"]
        );
    }
}

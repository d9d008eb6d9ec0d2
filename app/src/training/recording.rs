//! What recording training by hand shares (briefings, the completion editor, the
//! back-fill import): who may do it, how a day and a line of text are checked, and which
//! `source` a hand-made row carries.

use super::briefings::RequirementChoice;
use super::record_queries::RequirementName;
use super::types::CompletionSource;
use crate::auth::{guard, Capability, CurrentUser};
use crate::error::AppError;
use crate::state::{app_state, AppState};
use chrono::NaiveDate;

/// The People department or an administrator, in their own organisation.
pub async fn recorder() -> Result<(CurrentUser, AppState), AppError> {
    let user = guard::allowed(Capability::RecordTraining).await?;
    Ok((user, app_state()?))
}

/// A day as typed (`02/09/2025` or `2025-09-02`) that is not after `today`.
pub fn past_day(text: &str, what: &str, today: NaiveDate) -> Result<NaiveDate, AppError> {
    if text.trim().is_empty() {
        return Err(AppError::invalid(format!(
            "Enter the {what}, like 02/09/2025 or 2025-09-02."
        )));
    }
    let day = crate::staff::service::parse_date(text).ok_or_else(|| {
        AppError::invalid(format!(
            "Enter the {what} as a real date, like 02/09/2025 or 2025-09-02."
        ))
    })?;
    if day > today {
        return Err(AppError::invalid(format!(
            "The {what} cannot be in the future."
        )));
    }
    Ok(day)
}

/// Text on one line, spaces tidied, at most `max` characters; `Ok("")` when empty and
/// not `required`.
pub fn line_of_text(
    text: &str,
    what: &str,
    max: usize,
    required: bool,
) -> Result<String, AppError> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if required && text.is_empty() {
        return Err(AppError::invalid(format!("Enter {what}.")));
    }
    if text.chars().count() > max {
        return Err(AppError::invalid(format!(
            "Shorten {what} to {max} characters or fewer."
        )));
    }
    Ok(text)
}

/// The source of a row made by hand or imported, from what satisfies its requirement.
/// A module's pass counts by itself from the quiz attempts, so a module requirement
/// done elsewhere (before go-live, on another system) is recorded as training done
/// outside the app: an external course.
pub fn source_for(satisfied_by: &str) -> CompletionSource {
    match satisfied_by {
        "briefing" => CompletionSource::Briefing,
        "document" => CompletionSource::Acknowledgement,
        _ => CompletionSource::ExternalCourse,
    }
}

/// The requirements still in force, as a form offers them.
pub fn in_force(all: &[RequirementName]) -> Vec<RequirementChoice> {
    all.iter()
        .filter(|r| r.retired_at.is_none())
        .map(|r| RequirementChoice {
            id: r.id.clone(),
            name: r.name.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_day_is_real_and_not_in_the_future() {
        let today = day(2026, 3, 1);
        assert_eq!(past_day("01/03/2026", "date", today), Ok(today));
        assert_eq!(past_day("2026-02-28", "date", today), Ok(day(2026, 2, 28)));
        for bad in ["", "31/02/2026", "yesterday", "02/03/2026"] {
            assert!(past_day(bad, "date", today).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_is_tidied_required_and_limited() {
        assert_eq!(line_of_text("  a \n b ", "x", 5, true), Ok("a b".into()));
        assert!(line_of_text("   ", "x", 5, true).is_err());
        assert_eq!(line_of_text("", "x", 5, false), Ok(String::new()));
        assert!(line_of_text("abcdef", "x", 5, false).is_err());
    }

    #[test]
    fn a_hand_made_row_takes_its_source_from_the_requirement() {
        assert_eq!(source_for("briefing"), CompletionSource::Briefing);
        assert_eq!(source_for("document"), CompletionSource::Acknowledgement);
        for other in ["module", "any-module", "external-course"] {
            assert_eq!(source_for(other), CompletionSource::ExternalCourse);
        }
    }
}

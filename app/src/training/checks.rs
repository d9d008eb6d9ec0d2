//! Whether a requirement the People department writes makes sense, with a message that
//! names the field and says what to fix: checked before it is saved, so the status rules (`rules.rs`) only
//! ever see requirements they can work with.

use super::types::{AppliesTo, FirstDue, Renewal, Requirement, SatisfiedBy};
use crate::auth::Role;
use crate::error::AppError;
use chrono::NaiveDate;

/// Longest first-due period, renewal and window we accept: ten years.
const MAX_DAYS: u32 = 3650;
const MAX_MONTHS: u32 = 120;

/// Whether a requirement makes sense, with a message saying what to fix if not.
pub fn check(requirement: &Requirement) -> Result<(), AppError> {
    check_words(requirement)?;
    check_satisfied_by(&requirement.satisfied_by)?;
    check_applies_to(&requirement.applies_to)?;
    check_timing(requirement)
}

fn check_words(requirement: &Requirement) -> Result<(), AppError> {
    let mut texts = vec![("Name", &requirement.name), ("Level", &requirement.level)];
    if let SatisfiedBy::Document { document } = &requirement.satisfied_by {
        texts.push(("Document", document));
    }
    match &requirement.applies_to {
        AppliesTo::Departments(names) => texts.extend(names.iter().map(|n| ("Departments", n))),
        AppliesTo::JobTitles(names) => texts.extend(names.iter().map(|n| ("Job titles", n))),
        _ => {}
    }
    // Text is shown on pages and in exports: a control character has no place in it.
    if let Some((field, _)) = texts.iter().find(|(_, t)| t.chars().any(char::is_control)) {
        return Err(AppError::invalid(format!(
            "{field}: remove the characters that cannot be used (tabs, line breaks or other control characters)."
        )));
    }
    let name = requirement.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(AppError::invalid(
            "Name: give the requirement a name of 1 to 120 characters.",
        ));
    }
    if requirement.level.chars().count() > 60 {
        return Err(AppError::invalid("Level: keep it to 60 characters."));
    }
    Ok(())
}

fn check_satisfied_by(satisfied_by: &SatisfiedBy) -> Result<(), AppError> {
    match satisfied_by {
        SatisfiedBy::Module { module_id } if module_id.as_str().trim().is_empty() => Err(
            AppError::invalid("Satisfied by: choose the module that satisfies it."),
        ),
        SatisfiedBy::Document { document } if document.trim().is_empty() => Err(AppError::invalid(
            "Document: choose the document to acknowledge.",
        )),
        _ => Ok(()),
    }
}

fn check_applies_to(applies_to: &AppliesTo) -> Result<(), AppError> {
    let blank = |names: &[String]| names.is_empty() || names.iter().any(|n| n.trim().is_empty());
    match applies_to {
        AppliesTo::AllStaff => Ok(()),
        AppliesTo::Roles(roles) if roles.is_empty() => {
            Err(AppError::invalid("Applies to: tick at least one role."))
        }
        AppliesTo::Roles(roles) if roles.contains(&Role::Learner) => Err(AppError::invalid(
            "Applies to: training requirements are for staff, so learners cannot be chosen.",
        )),
        AppliesTo::Roles(_) => Ok(()),
        AppliesTo::Departments(names) if blank(names) => Err(AppError::invalid(
            "Departments: name at least one department, with no empty names.",
        )),
        AppliesTo::JobTitles(names) if blank(names) => Err(AppError::invalid(
            "Job titles: name at least one job title, with no empty titles.",
        )),
        AppliesTo::Departments(_) | AppliesTo::JobTitles(_) => Ok(()),
    }
}

fn check_timing(requirement: &Requirement) -> Result<(), AppError> {
    if let FirstDue::WithinDaysOfStart { days } = requirement.first_due {
        if days > MAX_DAYS {
            return Err(AppError::invalid(
                "First due: the first due date must be within 3650 days of the start date.",
            ));
        }
    }
    let shortest_period = match requirement.renews {
        Renewal::Never => None,
        Renewal::MonthsAfterCompletion { months } | Renewal::MonthsAfterDueDate { months } => {
            if months == 0 || months > MAX_MONTHS {
                return Err(AppError::invalid("Renews: renew every 1 to 120 months."));
            }
            Some(months * 28)
        }
        Renewal::EveryYearOn { month, day } => {
            if NaiveDate::from_ymd_opt(2024, month, day).is_none() {
                return Err(AppError::invalid(
                    "Renews every year: choose a day of the year that exists.",
                ));
            }
            Some(365)
        }
    };
    check_window(requirement, shortest_period)?;
    match requirement.grace {
        Some(grace) if grace.until < grace.in_post_on => Err(AppError::invalid(
            "Grace: the grace date must come after the day the rule was added.",
        )),
        _ => Ok(()),
    }
}

fn check_window(requirement: &Requirement, shortest_period: Option<u32>) -> Result<(), AppError> {
    let Some(days) = requirement.window_days else {
        return Ok(());
    };
    let scheduled = matches!(
        requirement.renews,
        Renewal::MonthsAfterDueDate { .. } | Renewal::EveryYearOn { .. }
    );
    if !scheduled {
        return Err(AppError::invalid(
            "Window: a window only applies when renewal is counted from the due date or falls on a fixed day.",
        ));
    }
    if days == 0 || shortest_period.is_some_and(|period| days >= period) {
        return Err(AppError::invalid(
            "Window: the window must be at least 1 day and shorter than the time between due dates.",
        ));
    }
    Ok(())
}

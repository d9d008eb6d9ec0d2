//! Whether a requirement the People department writes makes sense, with a message that
//! says what to fix: checked before it is saved, so the status rules (`rules.rs`) only
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
    let name = requirement.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(AppError::invalid(
            "Give the requirement a name of 1 to 120 characters.",
        ));
    }
    if requirement.level.chars().count() > 60 {
        return Err(AppError::invalid("Keep the level to 60 characters."));
    }
    Ok(())
}

fn check_satisfied_by(satisfied_by: &SatisfiedBy) -> Result<(), AppError> {
    match satisfied_by {
        SatisfiedBy::Module { module_id } if module_id.as_str().trim().is_empty() => {
            Err(AppError::invalid("Choose the module that satisfies it."))
        }
        SatisfiedBy::Document { document } if document.trim().is_empty() => {
            Err(AppError::invalid("Choose the document to acknowledge."))
        }
        _ => Ok(()),
    }
}

fn check_applies_to(applies_to: &AppliesTo) -> Result<(), AppError> {
    let blank = |names: &[String]| names.is_empty() || names.iter().any(|n| n.trim().is_empty());
    match applies_to {
        AppliesTo::AllStaff => Ok(()),
        AppliesTo::Roles(roles) if roles.is_empty() => {
            Err(AppError::invalid("Choose at least one role."))
        }
        AppliesTo::Roles(roles) if roles.contains(&Role::Learner) => Err(AppError::invalid(
            "Training requirements are for staff: learners cannot be chosen.",
        )),
        AppliesTo::Roles(_) => Ok(()),
        AppliesTo::Departments(names) if blank(names) => Err(AppError::invalid(
            "Name at least one department, with no empty names.",
        )),
        AppliesTo::JobTitles(names) if blank(names) => Err(AppError::invalid(
            "Name at least one job title, with no empty titles.",
        )),
        AppliesTo::Departments(_) | AppliesTo::JobTitles(_) => Ok(()),
    }
}

fn check_timing(requirement: &Requirement) -> Result<(), AppError> {
    if let FirstDue::WithinDaysOfStart { days } = requirement.first_due {
        if days > MAX_DAYS {
            return Err(AppError::invalid(
                "The first due date must be within 3650 days of the start date.",
            ));
        }
    }
    let shortest_period = match requirement.renews {
        Renewal::Never => None,
        Renewal::MonthsAfterCompletion { months } | Renewal::MonthsAfterDueDate { months } => {
            if months == 0 || months > MAX_MONTHS {
                return Err(AppError::invalid("Renew every 1 to 120 months."));
            }
            Some(months * 28)
        }
        Renewal::EveryYearOn { month, day } => {
            if NaiveDate::from_ymd_opt(2024, month, day).is_none() {
                return Err(AppError::invalid("Choose a day of the year that exists."));
            }
            Some(365)
        }
    };
    check_window(requirement, shortest_period)?;
    match requirement.grace {
        Some(grace) if grace.until < grace.in_post_on => Err(AppError::invalid(
            "The grace date must come after the day the rule was added.",
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
            "A window only applies when renewal is counted from the due date or falls on a fixed day.",
        ));
    }
    if days == 0 || shortest_period.is_some_and(|period| days >= period) {
        return Err(AppError::invalid(
            "The window must be at least 1 day and shorter than the time between due dates.",
        ));
    }
    Ok(())
}

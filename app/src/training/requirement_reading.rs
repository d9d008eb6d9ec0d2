//! Reading the requirement form into a [`Requirement`]: every field's problem is
//! collected, one per line, each naming its field; fields of options not chosen are
//! ignored. Then `checks` has the last word, as for every requirement.

use super::checks;
use super::requirement_form::{RequirementInput, MONTHS, STAFF_ROLES};
use super::types::{AppliesTo, FirstDue, Renewal, Requirement, SatisfiedBy};
use crate::auth::Role;
use crate::error::AppError;
use crate::ids::ModuleSlug;
use chrono::{Datelike, NaiveDate};

impl RequirementInput {
    /// The requirement the form describes (with no grace: the confirmation adds it), or
    /// every problem, one per line, each naming its field.
    pub fn read(&self) -> Result<Requirement, AppError> {
        let mut problems = Vec::new();
        let mut note = |result: Result<(), String>| {
            if let Err(problem) = result {
                problems.push(problem);
            }
        };
        let name = clean_text(&self.name, "Name", 120);
        let level = clean_text(&self.level, "Level", 60);
        let satisfied_by = self.satisfied_by();
        let applies_to = self.applies_to();
        let first_due = self.first_due();
        let renews = self.renews();
        let window_days = self.window_days();
        if name.as_ref().is_ok_and(|n| n.is_empty()) {
            note(Err("Name: give the requirement a name.".into()));
        }
        note(name.as_ref().map(|_| ()).map_err(Clone::clone));
        note(level.as_ref().map(|_| ()).map_err(Clone::clone));
        note(satisfied_by.as_ref().map(|_| ()).map_err(Clone::clone));
        note(applies_to.as_ref().map(|_| ()).map_err(Clone::clone));
        note(first_due.as_ref().map(|_| ()).map_err(Clone::clone));
        note(renews.as_ref().map(|_| ()).map_err(Clone::clone));
        note(window_days.as_ref().map(|_| ()).map_err(Clone::clone));
        let (
            Ok(name),
            Ok(level),
            Ok(satisfied_by),
            Ok(applies_to),
            Ok(first_due),
            Ok(renews),
            Ok(window_days),
        ) = (
            name,
            level,
            satisfied_by,
            applies_to,
            first_due,
            renews,
            window_days,
        )
        else {
            return Err(AppError::invalid(problems.join("\n")));
        };
        if !problems.is_empty() {
            return Err(AppError::invalid(problems.join("\n")));
        }
        if window_days.is_some()
            && !matches!(
                renews,
                Renewal::MonthsAfterDueDate { .. } | Renewal::EveryYearOn { .. }
            )
        {
            return Err(AppError::invalid(
                "Window: a window only applies when the rule renews from the previous due date or every year on a day. Leave the window empty for this rule.",
            ));
        }
        let requirement = Requirement {
            name,
            level,
            satisfied_by,
            applies_to,
            first_due,
            renews,
            window_days,
            grace: None,
        };
        checks::check(&requirement)?;
        Ok(requirement)
    }

    fn satisfied_by(&self) -> Result<SatisfiedBy, String> {
        match self.satisfied_by.trim() {
            "module" => {
                let module = self.module_id.trim();
                if module.is_empty() {
                    Err("Satisfied by: choose the module that satisfies it.".into())
                } else {
                    Ok(SatisfiedBy::Module {
                        module_id: ModuleSlug::from_param(module),
                    })
                }
            }
            "any-module" => Ok(SatisfiedBy::AnyModule),
            "external-course" => Ok(SatisfiedBy::ExternalCourse),
            "briefing" => Ok(SatisfiedBy::Briefing),
            "document" => {
                let document = clean_text(&self.document, "Document", 200)?;
                if document.is_empty() {
                    Err("Document: give the key of the document to read and acknowledge.".into())
                } else {
                    Ok(SatisfiedBy::Document { document })
                }
            }
            _ => Err("Satisfied by: choose what satisfies the requirement.".into()),
        }
    }

    fn applies_to(&self) -> Result<AppliesTo, String> {
        match self.applies_to.trim() {
            "all-staff" => Ok(AppliesTo::AllStaff),
            "roles" => {
                let roles: Vec<Role> = STAFF_ROLES
                    .into_iter()
                    .filter(|r| self.has_role(*r))
                    .collect();
                if roles.is_empty() {
                    Err("Applies to: tick at least one role.".into())
                } else {
                    Ok(AppliesTo::Roles(roles))
                }
            }
            "departments" => Ok(AppliesTo::Departments(names(
                &self.departments,
                "Departments",
                "department",
            )?)),
            "job-titles" => Ok(AppliesTo::JobTitles(names(
                &self.job_titles,
                "Job titles",
                "job title",
            )?)),
            _ => Err("Applies to: choose who the requirement applies to.".into()),
        }
    }

    fn first_due(&self) -> Result<FirstDue, String> {
        match self.first_due.trim() {
            "days-after-start" => Ok(FirstDue::WithinDaysOfStart {
                days: whole_number(&self.first_due_days, "First due", "days", 0, 3650)?,
            }),
            "by-date" => Ok(FirstDue::ByDate {
                date: date(&self.first_due_date).ok_or_else(|| {
                    "First due: enter the date as a real date, like 01/09/2027 or 2027-09-01."
                        .to_string()
                })?,
            }),
            _ => Err("First due: choose when the requirement is first due.".into()),
        }
    }

    fn renews(&self) -> Result<Renewal, String> {
        match self.renews.trim() {
            "never" => Ok(Renewal::Never),
            "months-after-completion" => Ok(Renewal::MonthsAfterCompletion {
                months: whole_number(&self.months_after_completion, "Renews", "months", 1, 120)?,
            }),
            "months-after-due-date" => Ok(Renewal::MonthsAfterDueDate {
                months: whole_number(&self.months_after_due_date, "Renews", "months", 1, 120)?,
            }),
            "every-year-on" => {
                let day = whole_number(&self.renew_day, "Renews every year", "day", 1, 31)?;
                let month = whole_number(&self.renew_month, "Renews every year", "month", 1, 12)?;
                // 2024 is a leap year: 29 February is a day the rule can fall on.
                if NaiveDate::from_ymd_opt(2024, month, day).is_none() {
                    let name = MONTHS[(month - 1) as usize];
                    return Err(format!(
                        "Renews every year: there is no {day} {name}. Choose a day that exists in {name}."
                    ));
                }
                Ok(Renewal::EveryYearOn { month, day })
            }
            _ => Err("Renews: choose how the requirement renews.".into()),
        }
    }

    fn window_days(&self) -> Result<Option<u32>, String> {
        if self.window_days.trim().is_empty() {
            return Ok(None);
        }
        whole_number(&self.window_days, "Window", "days", 1, 3650).map(Some)
    }
}

/// Text with spaces tidied, at most `max` characters, no control characters.
fn clean_text(text: &str, field: &str, max: usize) -> Result<String, String> {
    if text.chars().any(char::is_control) {
        return Err(format!(
            "{field}: remove the characters that cannot be used (tabs, line breaks or other control characters)."
        ));
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > max {
        return Err(format!("{field}: keep it to {max} characters."));
    }
    Ok(text)
}

/// Departments or job titles, one per line or comma-separated; blanks and repeats dropped.
fn names(text: &str, field: &str, one: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split(['\n', ',']) {
        let part = clean_text(part.trim_end_matches('\r'), field, 200)?;
        if !part.is_empty() && !out.iter().any(|n| n.eq_ignore_ascii_case(&part)) {
            out.push(part);
        }
    }
    if out.is_empty() {
        return Err(format!("{field}: name at least one {one}."));
    }
    if out.len() > 50 {
        return Err(format!("{field}: name at most 50."));
    }
    Ok(out)
}

fn whole_number(text: &str, field: &str, unit: &str, min: u32, max: u32) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!(
            "{field}: enter the {unit} as a whole number from {min} to {max}."
        )),
    }
}

/// A day as people type it: `2027-09-01`, or the UK's `01/09/2027` (day first).
pub fn date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let day = if let [d, m, y] = text.split('/').collect::<Vec<_>>()[..] {
        if y.len() != 4 || d.is_empty() || m.is_empty() || d.len() > 2 || m.len() > 2 {
            return None;
        }
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?
    } else {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?
    };
    (1900..=2100).contains(&day.year()).then_some(day)
}

/// "1 September 2027".
pub fn long_date(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

//! The requirement form as it is typed: every field as text, so a refused form can be shown
//! again exactly as it was, and the candidate can travel between the form, the preview and
//! the confirmation in the address and in hidden fields (no session storage). Reading it
//! into a [`Requirement`] collects every field's problem, each naming its field; fields of
//! options not chosen are ignored, as a browser sends them all.

use super::checks;
use super::types::{AppliesTo, FirstDue, Renewal, Requirement, SatisfiedBy};
use crate::auth::Role;
use crate::error::AppError;
use crate::ids::ModuleSlug;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The roles a requirement can be given to: every staff role (never learners).
pub const STAFF_ROLES: [Role; 6] = [
    Role::Staff,
    Role::Tutor,
    Role::Manager,
    Role::People,
    Role::Dsl,
    Role::Admin,
];

/// The months of the year, for the yearly renewal's select.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The form's fields as typed (names as in the HTML form).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementInput {
    pub name: String,
    pub level: String,
    /// `module`, `any-module`, `external-course`, `briefing` or `document`.
    pub satisfied_by: String,
    pub module_id: String,
    pub document: String,
    /// `all-staff`, `roles`, `departments` or `job-titles`.
    pub applies_to: String,
    /// The ticked roles (`staff`, `dsl`...).
    pub roles: Vec<String>,
    /// One per line or comma-separated.
    pub departments: String,
    pub job_titles: String,
    /// `days-after-start` or `by-date`.
    pub first_due: String,
    pub first_due_days: String,
    pub first_due_date: String,
    /// `never`, `months-after-completion`, `months-after-due-date` or `every-year-on`.
    pub renews: String,
    pub months_after_completion: String,
    pub months_after_due_date: String,
    pub renew_day: String,
    /// 1 to 12.
    pub renew_month: String,
    pub window_days: String,
}

/// The form field names, in the order they are sent (roles as `role_NAME` tick boxes).
pub const TEXT_FIELDS: [&str; 18] = [
    "name",
    "level",
    "satisfied_by",
    "module_id",
    "document",
    "applies_to",
    "departments",
    "job_titles",
    "first_due",
    "first_due_days",
    "first_due_date",
    "renews",
    "months_after_completion",
    "months_after_due_date",
    "renew_day",
    "renew_month",
    "window_days",
    "roles",
];

impl RequirementInput {
    /// The value of a text field by its form name ("" for `roles` and unknown names).
    pub fn field(&self, name: &str) -> &str {
        match name {
            "name" => &self.name,
            "level" => &self.level,
            "satisfied_by" => &self.satisfied_by,
            "module_id" => &self.module_id,
            "document" => &self.document,
            "applies_to" => &self.applies_to,
            "departments" => &self.departments,
            "job_titles" => &self.job_titles,
            "first_due" => &self.first_due,
            "first_due_days" => &self.first_due_days,
            "first_due_date" => &self.first_due_date,
            "renews" => &self.renews,
            "months_after_completion" => &self.months_after_completion,
            "months_after_due_date" => &self.months_after_due_date,
            "renew_day" => &self.renew_day,
            "renew_month" => &self.renew_month,
            "window_days" => &self.window_days,
            _ => "",
        }
    }

    fn field_mut(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "name" => &mut self.name,
            "level" => &mut self.level,
            "satisfied_by" => &mut self.satisfied_by,
            "module_id" => &mut self.module_id,
            "document" => &mut self.document,
            "applies_to" => &mut self.applies_to,
            "departments" => &mut self.departments,
            "job_titles" => &mut self.job_titles,
            "first_due" => &mut self.first_due,
            "first_due_days" => &mut self.first_due_days,
            "first_due_date" => &mut self.first_due_date,
            "renews" => &mut self.renews,
            "months_after_completion" => &mut self.months_after_completion,
            "months_after_due_date" => &mut self.months_after_due_date,
            "renew_day" => &mut self.renew_day,
            "renew_month" => &mut self.renew_month,
            "window_days" => &mut self.window_days,
            _ => return None,
        })
    }

    /// The form as `(name, value)` pairs, to send on in hidden fields or an address.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = TEXT_FIELDS
            .iter()
            .filter(|name| **name != "roles")
            .map(|name| (name.to_string(), self.field(name).to_string()))
            .collect();
        for role in &self.roles {
            out.push((format!("role_{role}"), "on".to_string()));
        }
        out
    }

    /// The form from `(name, value)` pairs (an address's query, a posted form).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut input = RequirementInput::default();
        for (name, value) in pairs {
            if let Some(role) = name.strip_prefix("role_") {
                if Role::parse(role).is_some() && !input.roles.iter().any(|r| r == role) {
                    input.roles.push(role.to_string());
                }
            } else if let Some(slot) = input.field_mut(name) {
                *slot = value.to_string();
            }
        }
        input
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|r| r == role.as_str())
    }

    /// The form filled in for a stored requirement (or a new one's starting point).
    pub fn of(requirement: &Requirement) -> Self {
        let mut input = RequirementInput {
            name: requirement.name.clone(),
            level: requirement.level.clone(),
            window_days: requirement
                .window_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            ..RequirementInput::default()
        };
        input.satisfied_by = match &requirement.satisfied_by {
            SatisfiedBy::Module { module_id } => {
                input.module_id = module_id.to_string();
                "module"
            }
            SatisfiedBy::AnyModule => "any-module",
            SatisfiedBy::ExternalCourse => "external-course",
            SatisfiedBy::Briefing => "briefing",
            SatisfiedBy::Document { document } => {
                input.document = document.clone();
                "document"
            }
        }
        .into();
        input.applies_to = match &requirement.applies_to {
            AppliesTo::AllStaff => "all-staff",
            AppliesTo::Roles(roles) => {
                input.roles = roles.iter().map(|r| r.as_str().to_string()).collect();
                "roles"
            }
            AppliesTo::Departments(names) => {
                input.departments = names.join("\n");
                "departments"
            }
            AppliesTo::JobTitles(names) => {
                input.job_titles = names.join("\n");
                "job-titles"
            }
        }
        .into();
        input.first_due = match requirement.first_due {
            FirstDue::WithinDaysOfStart { days } => {
                input.first_due_days = days.to_string();
                "days-after-start"
            }
            FirstDue::ByDate { date } => {
                input.first_due_date = date.format("%d/%m/%Y").to_string();
                "by-date"
            }
        }
        .into();
        input.renews = match requirement.renews {
            Renewal::Never => "never",
            Renewal::MonthsAfterCompletion { months } => {
                input.months_after_completion = months.to_string();
                "months-after-completion"
            }
            Renewal::MonthsAfterDueDate { months } => {
                input.months_after_due_date = months.to_string();
                "months-after-due-date"
            }
            Renewal::EveryYearOn { month, day } => {
                input.renew_day = day.to_string();
                input.renew_month = month.to_string();
                "every-year-on"
            }
        }
        .into();
        input
    }

    /// A new requirement's starting point: the staff module, all staff, within 28 days,
    /// not renewing.
    pub fn blank() -> Self {
        RequirementInput {
            satisfied_by: "module".into(),
            module_id: "staff-online-safety".into(),
            applies_to: "all-staff".into(),
            first_due: "days-after-start".into(),
            first_due_days: "28".into(),
            renews: "never".into(),
            ..RequirementInput::default()
        }
    }

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

#[cfg(test)]
#[path = "requirement_form_tests.rs"]
mod tests;

//! The requirement form as it is typed: every field as text, so a refused form can be shown
//! again exactly as it was, and the candidate can travel between the form, the preview and
//! the confirmation in the address and in hidden fields (no session storage). Reading it
//! into a [`Requirement`] is in `requirement_reading`.

use super::types::{AppliesTo, FirstDue, Renewal, Requirement, SatisfiedBy};
use crate::auth::Role;
use serde::{Deserialize, Serialize};

pub use super::requirement_reading::{date, long_date};

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

/// The form's fields as typed (names as in the HTML form). A field not sent is empty (an
/// empty list of roles is not sent at all).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
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
}

#[cfg(test)]
#[path = "requirement_form_tests.rs"]
mod tests;

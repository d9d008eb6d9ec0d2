//! How a requirement is kept in its row of `training_requirements`: one column per choice,
//! written from a [`Requirement`] and read back into one (a row the app could not have
//! written is an error, never a guess).

use super::types::{
    AppliesTo, FirstDue, Grace, Renewal, Requirement, RequirementRecord, SatisfiedBy,
};
use crate::auth::Role;
use crate::calendar::{self, day_key};
use crate::ids::{ModuleSlug, RequirementId};
use chrono::NaiveDate;

/// A requirement as its columns hold it.
pub(super) struct Columns {
    pub(super) satisfied_by: &'static str,
    pub(super) module_id: Option<ModuleSlug>,
    pub(super) document: Option<String>,
    pub(super) applies_to: &'static str,
    pub(super) applies_to_values: String,
    pub(super) first_due: &'static str,
    pub(super) first_due_days: Option<i64>,
    pub(super) first_due_on: Option<String>,
    pub(super) renews: &'static str,
    pub(super) renew_months: Option<i64>,
    pub(super) renew_on: Option<String>,
    pub(super) window_days: Option<i64>,
    pub(super) grace_in_post_on: Option<String>,
    pub(super) grace_until: Option<String>,
}

impl Columns {
    pub(super) fn of(r: &Requirement) -> Result<Columns, sqlx::Error> {
        let (satisfied_by, module_id, document) = match &r.satisfied_by {
            SatisfiedBy::Module { module_id } => ("module", Some(module_id.clone()), None),
            SatisfiedBy::AnyModule => ("any-module", None, None),
            SatisfiedBy::ExternalCourse => ("external-course", None, None),
            SatisfiedBy::Briefing => ("briefing", None, None),
            SatisfiedBy::Document { document } => ("document", None, Some(document.clone())),
        };
        let (applies_to, values): (&str, Vec<String>) = match &r.applies_to {
            AppliesTo::AllStaff => ("all-staff", Vec::new()),
            AppliesTo::Roles(roles) => (
                "roles",
                roles.iter().map(|r| r.as_str().to_string()).collect(),
            ),
            AppliesTo::Departments(names) => ("departments", names.clone()),
            AppliesTo::JobTitles(names) => ("job-titles", names.clone()),
        };
        let (first_due, first_due_days, first_due_on) = match r.first_due {
            FirstDue::WithinDaysOfStart { days } => {
                ("days-after-start", Some(i64::from(days)), None)
            }
            FirstDue::ByDate { date } => ("by-date", None, Some(day_key(date))),
        };
        let (renews, renew_months, renew_on) = match r.renews {
            Renewal::Never => ("never", None, None),
            Renewal::MonthsAfterCompletion { months } => {
                ("months-after-completion", Some(i64::from(months)), None)
            }
            Renewal::MonthsAfterDueDate { months } => {
                ("months-after-due-date", Some(i64::from(months)), None)
            }
            Renewal::EveryYearOn { month, day } => {
                ("every-year-on", None, Some(format!("{month:02}-{day:02}")))
            }
        };
        Ok(Columns {
            satisfied_by,
            module_id,
            document,
            applies_to,
            applies_to_values: serde_json::to_string(&values)
                .map_err(|e| sqlx::Error::Encode(e.into()))?,
            first_due,
            first_due_days,
            first_due_on,
            renews,
            renew_months,
            renew_on,
            window_days: r.window_days.map(i64::from),
            grace_in_post_on: r.grace.map(|g| day_key(g.in_post_on)),
            grace_until: r.grace.map(|g| day_key(g.until)),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct RequirementRow {
    id: RequirementId,
    default_key: Option<String>,
    name: String,
    level: String,
    satisfied_by: String,
    module_id: Option<ModuleSlug>,
    document: Option<String>,
    applies_to: String,
    applies_to_values: String,
    first_due: String,
    first_due_days: Option<i64>,
    first_due_on: Option<String>,
    renews: String,
    renew_months: Option<i64>,
    renew_on: Option<String>,
    window_days: Option<i64>,
    grace_in_post_on: Option<String>,
    grace_until: Option<String>,
}

impl RequirementRow {
    /// The stored row as a requirement; a row the app could not have written is an error.
    pub(super) fn into_record(self) -> Result<RequirementRecord, sqlx::Error> {
        let requirement = Requirement {
            satisfied_by: self.satisfied_by()?,
            applies_to: self.applies_to()?,
            first_due: self.first_due()?,
            renews: self.renews()?,
            window_days: self
                .window_days
                .map(|d| number(d, "window_days"))
                .transpose()?,
            grace: self.grace()?,
            name: self.name,
            level: self.level,
        };
        Ok(RequirementRecord {
            id: self.id,
            default_key: self.default_key,
            requirement,
        })
    }

    fn satisfied_by(&self) -> Result<SatisfiedBy, sqlx::Error> {
        Ok(
            match (self.satisfied_by.as_str(), &self.module_id, &self.document) {
                ("module", Some(module_id), _) => SatisfiedBy::Module {
                    module_id: module_id.clone(),
                },
                ("any-module", _, _) => SatisfiedBy::AnyModule,
                ("external-course", _, _) => SatisfiedBy::ExternalCourse,
                ("briefing", _, _) => SatisfiedBy::Briefing,
                ("document", _, Some(document)) => SatisfiedBy::Document {
                    document: document.clone(),
                },
                (other, _, _) => return Err(bad("satisfied_by", other)),
            },
        )
    }

    fn applies_to(&self) -> Result<AppliesTo, sqlx::Error> {
        let values: Vec<String> = serde_json::from_str(&self.applies_to_values)
            .map_err(|_| bad("applies_to_values", &self.applies_to_values))?;
        Ok(match self.applies_to.as_str() {
            "all-staff" => AppliesTo::AllStaff,
            "roles" => AppliesTo::Roles(
                values
                    .iter()
                    .map(|v| Role::parse(v).ok_or_else(|| bad("applies_to_values", v)))
                    .collect::<Result<_, _>>()?,
            ),
            "departments" => AppliesTo::Departments(values),
            "job-titles" => AppliesTo::JobTitles(values),
            other => return Err(bad("applies_to", other)),
        })
    }

    fn first_due(&self) -> Result<FirstDue, sqlx::Error> {
        Ok(
            match (
                self.first_due.as_str(),
                self.first_due_days,
                &self.first_due_on,
            ) {
                ("days-after-start", Some(days), _) => FirstDue::WithinDaysOfStart {
                    days: number(days, "first_due_days")?,
                },
                ("by-date", _, Some(day)) => FirstDue::ByDate {
                    date: parse_day(day, "first_due_on")?,
                },
                (other, _, _) => return Err(bad("first_due", other)),
            },
        )
    }

    fn renews(&self) -> Result<Renewal, sqlx::Error> {
        let months = || {
            self.renew_months
                .ok_or_else(|| bad("renew_months", "NULL"))
                .and_then(|m| number(m, "renew_months"))
        };
        Ok(match self.renews.as_str() {
            "never" => Renewal::Never,
            "months-after-completion" => Renewal::MonthsAfterCompletion { months: months()? },
            "months-after-due-date" => Renewal::MonthsAfterDueDate { months: months()? },
            "every-year-on" => {
                let text = self.renew_on.as_deref().unwrap_or_default();
                let (month, day) = text
                    .split_once('-')
                    .and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?)))
                    .ok_or_else(|| bad("renew_on", text))?;
                Renewal::EveryYearOn { month, day }
            }
            other => return Err(bad("renews", other)),
        })
    }

    fn grace(&self) -> Result<Option<Grace>, sqlx::Error> {
        match (&self.grace_in_post_on, &self.grace_until) {
            (Some(in_post_on), Some(until)) => Ok(Some(Grace {
                in_post_on: parse_day(in_post_on, "grace_in_post_on")?,
                until: parse_day(until, "grace_until")?,
            })),
            _ => Ok(None),
        }
    }
}

fn number(value: i64, column: &str) -> Result<u32, sqlx::Error> {
    u32::try_from(value).map_err(|_| bad(column, &value.to_string()))
}

pub(super) fn parse_day(text: &str, column: &str) -> Result<NaiveDate, sqlx::Error> {
    calendar::parse_day(text).ok_or_else(|| bad(column, text))
}

/// A stored value the app could not have written.
pub(super) fn bad(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("training: unexpected {column} {value:?}").into())
}

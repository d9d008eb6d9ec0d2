//! All the SQL for staff training. Every query takes the organisation, so one can never
//! read or change another's. Lists are loaded in a fixed number of queries whatever
//! their size: an organisation's requirements in one, completions of up to
//! `people::queries::CHUNK` people in one.

use super::defaults::defaults;
use super::types::{
    AppliesTo, CompletionSource, FirstDue, Grace, Renewal, Requirement, RequirementRecord,
    SatisfiedBy, DEFAULT_DUE_SOON_DAYS,
};
use crate::auth::Role;
use crate::calendar::{self, day_key};
use crate::db::{self, Db};
use crate::ids::{CompletionId, ModuleSlug, OrganisationId, PersonId, RequirementId};
use crate::people::queries::{Sql, CHUNK};
use chrono::NaiveDate;
use sqlx::AnyConnection;
use std::collections::HashMap;

/// Give a new organisation the default requirements, in the transaction that creates it.
pub async fn seed_defaults(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
) -> Result<(), sqlx::Error> {
    for (position, default) in (1_i64..).zip(defaults()) {
        let placed = Placement {
            org_id,
            default_key: Some(default.key),
            position,
            by: None,
        };
        insert_requirement(conn, &placed, &default.requirement).await?;
    }
    Ok(())
}

/// Where a new requirement goes, and who adds it (None: the app itself).
pub struct Placement<'a> {
    pub org_id: &'a OrganisationId,
    pub default_key: Option<&'a str>,
    pub position: i64,
    pub by: Option<&'a PersonId>,
}

/// Add a requirement; returns its id.
pub async fn insert_requirement(
    conn: &mut AnyConnection,
    placed: &Placement<'_>,
    requirement: &Requirement,
) -> Result<RequirementId, sqlx::Error> {
    let id = RequirementId::generate();
    let now = db::now();
    let c = Columns::of(requirement)?;
    sqlx::query(
        "INSERT INTO training_requirements
            (id, org_id, default_key, position, name, level, satisfied_by, module_id, document,
             applies_to, applies_to_values, first_due, first_due_days, first_due_on,
             renews, renew_months, renew_on, window_days, grace_in_post_on, grace_until,
             created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 $18, $19, $20, $21, $22, $23, $24)",
    )
    .bind(&id)
    .bind(placed.org_id)
    .bind(placed.default_key)
    .bind(placed.position)
    .bind(requirement.name.trim())
    .bind(requirement.level.trim())
    .bind(c.satisfied_by)
    .bind(c.module_id)
    .bind(c.document)
    .bind(c.applies_to)
    .bind(c.applies_to_values)
    .bind(c.first_due)
    .bind(c.first_due_days)
    .bind(c.first_due_on)
    .bind(c.renews)
    .bind(c.renew_months)
    .bind(c.renew_on)
    .bind(c.window_days)
    .bind(c.grace_in_post_on)
    .bind(c.grace_until)
    .bind(&now)
    .bind(placed.by)
    .bind(&now)
    .bind(placed.by)
    .execute(conn)
    .await?;
    Ok(id)
}

/// The organisation's requirements in force, in the order shown.
pub async fn requirements_of(
    db: &Db,
    org_id: &OrganisationId,
) -> Result<Vec<RequirementRecord>, sqlx::Error> {
    let rows: Vec<RequirementRow> = sqlx::query_as(
        "SELECT id, default_key, name, level, satisfied_by, module_id, document, applies_to,
                applies_to_values, first_due, first_due_days, first_due_on, renews,
                renew_months, renew_on, window_days, grace_in_post_on, grace_until
         FROM training_requirements
         WHERE org_id = $1 AND retired_at IS NULL
         ORDER BY position, name, id",
    )
    .bind(org_id)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(RequirementRow::into_record).collect()
}

/// How many days before a due date someone shows as due soon in the organisation.
pub async fn due_soon_days(db: &Db, org_id: &OrganisationId) -> Result<u32, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT due_soon_days FROM training_settings WHERE org_id = $1")
            .bind(org_id)
            .fetch_optional(db)
            .await?;
    Ok(row
        .and_then(|(days,)| u32::try_from(days).ok())
        .unwrap_or(DEFAULT_DUE_SOON_DAYS))
}

/// A completion to record (never a correction: see [`record_correction`]).
pub struct NewCompletion<'a> {
    pub org_id: &'a OrganisationId,
    pub user_id: &'a PersonId,
    pub requirement_id: &'a RequirementId,
    pub completed_on: NaiveDate,
    pub source: CompletionSource,
    pub reference: Option<&'a str>,
    pub reason: Option<&'a str>,
    /// Who recorded it (None: the app itself).
    pub recorded_by: Option<&'a PersonId>,
}

/// Record a completion; returns its id. The person and the requirement must belong to
/// `org_id`: the insert only happens when both do.
pub async fn record_completion(
    conn: &mut AnyConnection,
    completion: &NewCompletion<'_>,
) -> Result<Option<CompletionId>, sqlx::Error> {
    let id = CompletionId::generate();
    let inserted = sqlx::query(
        "INSERT INTO training_completions
            (id, org_id, user_id, requirement_id, completed_on, source, reference, reason,
             recorded_by, recorded_at)
         SELECT $1, r.org_id, u.id, r.id, $5, $6, $7, $8, $9, $10
         FROM training_requirements r JOIN users u ON u.org_id = r.org_id
         WHERE r.org_id = $2 AND u.id = $3 AND r.id = $4",
    )
    .bind(&id)
    .bind(completion.org_id)
    .bind(completion.user_id)
    .bind(completion.requirement_id)
    .bind(day_key(completion.completed_on))
    .bind(completion.source.as_str())
    .bind(completion.reference)
    .bind(completion.reason)
    .bind(completion.recorded_by)
    .bind(db::now())
    .execute(conn)
    .await?;
    Ok((inserted.rows_affected() == 1).then_some(id))
}

/// A correction by the People department: a new row that supersedes `corrects` (in the
/// same organisation, for the same person and requirement), with the right day, or
/// None to withdraw it. Returns its id, or None when there is no such row. A row
/// already corrected cannot be corrected again: correct the correction.
pub async fn record_correction(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    corrects: &CompletionId,
    completed_on: Option<NaiveDate>,
    reason: &str,
    recorded_by: &PersonId,
) -> Result<Option<CompletionId>, sqlx::Error> {
    let id = CompletionId::generate();
    let inserted = sqlx::query(
        "INSERT INTO training_completions
            (id, org_id, user_id, requirement_id, completed_on, source, reference, supersedes,
             reason, recorded_by, recorded_at)
         SELECT $1, org_id, user_id, requirement_id, $2, $3, reference, id, $4, $5, $6
         FROM training_completions WHERE id = $7 AND org_id = $8",
    )
    .bind(&id)
    .bind(completed_on.map(day_key))
    .bind(CompletionSource::Correction.as_str())
    .bind(reason.trim())
    .bind(recorded_by)
    .bind(db::now())
    .bind(corrects)
    .bind(org_id)
    .execute(conn)
    .await?;
    Ok((inserted.rows_affected() == 1).then_some(id))
}

/// The days that count for each (person, requirement) among the listed people: every
/// row not superseded by another, unless it withdraws one. One query per `CHUNK` people.
pub async fn completion_days(
    db: &Db,
    org_id: &OrganisationId,
    people: &[PersonId],
) -> Result<HashMap<(PersonId, RequirementId), Vec<NaiveDate>>, sqlx::Error> {
    let mut out: HashMap<(PersonId, RequirementId), Vec<NaiveDate>> = HashMap::new();
    for chunk in people.chunks(CHUNK) {
        let mut sql = Sql::default();
        sql.push(
            "SELECT c.user_id, c.requirement_id, c.completed_on FROM training_completions c
             WHERE c.completed_on IS NOT NULL AND c.org_id = ",
        )
        .bind(org_id.as_str())
        .push(" AND c.user_id ")
        .bind_in(chunk)
        .push(" AND NOT EXISTS (SELECT 1 FROM training_completions s WHERE s.supersedes = c.id)");
        let rows: Vec<(PersonId, RequirementId, String)> = sql.fetch_all(db).await?;
        for (user_id, requirement_id, day) in rows {
            let day = parse_day(&day, "completed_on")?;
            out.entry((user_id, requirement_id)).or_default().push(day);
        }
    }
    Ok(out)
}

/// The modules each of the listed people has passed, with the London day of each pass
/// (every pass counts, so taking a module again renews it). One query per `CHUNK`.
pub async fn module_pass_days(
    db: &Db,
    org_id: &OrganisationId,
    people: &[PersonId],
) -> Result<HashMap<PersonId, Vec<(ModuleSlug, NaiveDate)>>, sqlx::Error> {
    let mut out: HashMap<PersonId, Vec<(ModuleSlug, NaiveDate)>> = HashMap::new();
    for chunk in people.chunks(CHUNK) {
        let mut sql = Sql::default();
        sql.push(
            "SELECT user_id, module_id, passed_at FROM quiz_attempts
             WHERE passed_at IS NOT NULL AND org_id = ",
        )
        .bind(org_id.as_str())
        .push(" AND user_id ")
        .bind_in(chunk);
        let rows: Vec<(PersonId, ModuleSlug, String)> = sql.fetch_all(db).await?;
        for (user_id, module_id, passed_at) in rows {
            let at = db::parse_timestamp(&passed_at).ok_or_else(|| bad("passed_at", &passed_at))?;
            out.entry(user_id)
                .or_default()
                .push((module_id, calendar::today_at(at)));
        }
    }
    Ok(out)
}

/// A requirement as its columns hold it.
struct Columns {
    satisfied_by: &'static str,
    module_id: Option<ModuleSlug>,
    document: Option<String>,
    applies_to: &'static str,
    applies_to_values: String,
    first_due: &'static str,
    first_due_days: Option<i64>,
    first_due_on: Option<String>,
    renews: &'static str,
    renew_months: Option<i64>,
    renew_on: Option<String>,
    window_days: Option<i64>,
    grace_in_post_on: Option<String>,
    grace_until: Option<String>,
}

impl Columns {
    fn of(r: &Requirement) -> Result<Columns, sqlx::Error> {
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
struct RequirementRow {
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
    fn into_record(self) -> Result<RequirementRecord, sqlx::Error> {
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

fn parse_day(text: &str, column: &str) -> Result<NaiveDate, sqlx::Error> {
    calendar::parse_day(text).ok_or_else(|| bad(column, text))
}

/// A stored value the app could not have written.
fn bad(column: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("training: unexpected {column} {value:?}").into())
}

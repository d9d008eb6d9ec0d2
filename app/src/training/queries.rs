//! All the SQL for staff training. Every query takes the organisation, so one can never
//! read or change another's. Lists are loaded in a fixed number of queries whatever
//! their size: an organisation's requirements in one, completions of up to
//! `people::queries::CHUNK` people in one.

use super::columns::{bad, parse_day, Columns, RequirementRow};
use super::defaults::defaults;
use super::types::{CompletionSource, Requirement, RequirementRecord, DEFAULT_DUE_SOON_DAYS};
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

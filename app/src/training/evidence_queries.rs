//! The SQL that rebuilds an organisation's training records as they stood at an instant
//! (the end of a past day), from the history the database keeps of every change (see the
//! migration `training_history`): requirement versions, staff record versions, roles
//! given and taken away, accounts closed and reopened, and completions as recorded by
//! then (a correction recorded later does not yet apply). Seven queries whatever the
//! organisation's size.

use super::columns::{bad, parse_day, RequirementRow};
use super::standing::StaffMember;
use super::standing_queries::{days_by_pair, held_by_person, passes_by_person, RecordedDays};
use super::types::{HeldRole, RequirementRecord, StaffFacts};
use crate::calendar;
use crate::db::{self, Db};
use crate::ids::{ModuleSlug, OrganisationId, PersonId, RequirementId};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// The requirements in force at `cutoff`: each one's latest version written before it.
pub async fn requirements_at(
    db: &Db,
    org_id: &OrganisationId,
    cutoff: &str,
) -> Result<Vec<RequirementRecord>, sqlx::Error> {
    let rows: Vec<RequirementRow> = sqlx::query_as(
        "SELECT h.requirement_id AS id, r.default_key, h.name, h.level, h.satisfied_by,
                h.module_id, h.document, h.applies_to, h.applies_to_values, h.first_due,
                h.first_due_days, h.first_due_on, h.renews, h.renew_months, h.renew_on,
                h.window_days, h.grace_in_post_on, h.grace_until
         FROM training_requirement_history h
         JOIN training_requirements r ON r.id = h.requirement_id
         WHERE h.org_id = $1 AND h.recorded_at < $2 AND h.retired_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM training_requirement_history n
                           WHERE n.requirement_id = h.requirement_id
                             AND n.recorded_at < $2 AND n.seq > h.seq)
         ORDER BY h.position, h.name, h.requirement_id",
    )
    .bind(org_id)
    .bind(cutoff)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(RequirementRow::into_record).collect()
}

#[derive(sqlx::FromRow)]
struct RecordVersion {
    user_id: PersonId,
    employee_number: Option<String>,
    job_title: String,
    department: String,
    start_date: Option<String>,
    line_manager_id: Option<PersonId>,
    leaving_date: Option<String>,
}

/// The organisation's staff at `cutoff`: accounts open then, holding a role other than
/// learner then, with their staff records as they were; by name.
pub async fn staff_at(
    db: &Db,
    org_id: &OrganisationId,
    cutoff: &str,
) -> Result<Vec<StaffMember>, sqlx::Error> {
    let roles = roles_at(db, org_id, cutoff).await?;
    let closed = closed_at(db, org_id, cutoff).await?;
    let mut records = records_at(db, org_id, cutoff).await?;
    let people: Vec<(PersonId, String, String, String)> = sqlx::query_as(
        "SELECT id, full_name, email, created_at FROM users
         WHERE org_id = $1 AND created_at < $2",
    )
    .bind(org_id)
    .bind(cutoff)
    .fetch_all(db)
    .await?;
    let names: HashMap<PersonId, String> = people
        .iter()
        .map(|(id, name, _, _)| (id.clone(), name.clone()))
        .collect();
    let mut staff = Vec::new();
    for (id, name, email, created_at) in people {
        let held = roles.get(&id).cloned().unwrap_or_default();
        if held.is_empty() || closed.contains(&id) {
            continue;
        }
        let record = records.remove(&id);
        let manager_name = record
            .as_ref()
            .and_then(|r| r.line_manager_id.as_ref())
            .and_then(|m| names.get(m).cloned());
        let mut member = member(id, name, email, &created_at, held, record)?;
        member.manager_name = manager_name;
        staff.push(member);
    }
    staff.sort_by_cached_key(|m| m.name.to_lowercase());
    Ok(staff)
}

fn member(
    id: PersonId,
    name: String,
    email: String,
    created_at: &str,
    roles: Vec<HeldRole>,
    record: Option<RecordVersion>,
) -> Result<StaffMember, sqlx::Error> {
    let joined = db::parse_timestamp(created_at)
        .map(calendar::today_at)
        .ok_or_else(|| bad("created_at", created_at))?;
    let day = |text: Option<&str>, column| text.map(|t| parse_day(t, column)).transpose();
    let start = day(
        record.as_ref().and_then(|r| r.start_date.as_deref()),
        "start_date",
    )?;
    let leaving = day(
        record.as_ref().and_then(|r| r.leaving_date.as_deref()),
        "leaving_date",
    )?;
    let named = |text: &str| Some(text.to_string()).filter(|t| !t.trim().is_empty());
    Ok(StaffMember {
        id,
        name,
        email,
        employee_number: record.as_ref().and_then(|r| r.employee_number.clone()),
        manager_name: None,
        manager_id: record.as_ref().and_then(|r| r.line_manager_id.clone()),
        facts: StaffFacts {
            start: start.unwrap_or(joined),
            leaving,
            roles,
            department: record.as_ref().and_then(|r| named(&r.department)),
            job_title: record.as_ref().and_then(|r| named(&r.job_title)),
        },
    })
}

/// The staff roles each person held at `cutoff`, each since the day it was last given.
async fn roles_at(
    db: &Db,
    org_id: &OrganisationId,
    cutoff: &str,
) -> Result<HashMap<PersonId, Vec<HeldRole>>, sqlx::Error> {
    let rows: Vec<(PersonId, String, i64, String)> = sqlx::query_as(
        "SELECT user_id, role, held, recorded_at FROM role_history
         WHERE org_id = $1 AND recorded_at < $2 AND role <> 'learner' ORDER BY seq",
    )
    .bind(org_id)
    .bind(cutoff)
    .fetch_all(db)
    .await?;
    // Replayed in order: the last change to each (person, role) is how it stood.
    let mut latest: HashMap<(PersonId, String), Option<String>> = HashMap::new();
    for (user_id, role, held, at) in rows {
        latest.insert((user_id, role), (held == 1).then_some(at));
    }
    held_by_person(
        latest
            .into_iter()
            .filter_map(|((user_id, role), given_at)| Some((user_id, role, given_at?))),
    )
}

/// The accounts that were closed at `cutoff`.
async fn closed_at(
    db: &Db,
    org_id: &OrganisationId,
    cutoff: &str,
) -> Result<HashSet<PersonId>, sqlx::Error> {
    let rows: Vec<(PersonId, i64)> = sqlx::query_as(
        "SELECT user_id, active FROM account_history
         WHERE org_id = $1 AND recorded_at < $2 ORDER BY seq",
    )
    .bind(org_id)
    .bind(cutoff)
    .fetch_all(db)
    .await?;
    let mut closed = HashSet::new();
    for (user_id, active) in rows {
        if active == 1 {
            closed.remove(&user_id);
        } else {
            closed.insert(user_id);
        }
    }
    Ok(closed)
}

/// Each person's staff record as it was at `cutoff` (its latest version written before).
async fn records_at(
    db: &Db,
    org_id: &OrganisationId,
    cutoff: &str,
) -> Result<HashMap<PersonId, RecordVersion>, sqlx::Error> {
    let rows: Vec<RecordVersion> = sqlx::query_as(
        "SELECT h.user_id, h.employee_number, h.job_title, h.department, h.start_date,
                h.line_manager_id, h.leaving_date
         FROM staff_record_history h
         WHERE h.org_id = $1 AND h.recorded_at < $2
           AND NOT EXISTS (SELECT 1 FROM staff_record_history n
                           WHERE n.user_id = h.user_id AND n.recorded_at < $2 AND n.seq > h.seq)",
    )
    .bind(org_id)
    .bind(cutoff)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.user_id.clone(), r)).collect())
}

/// The completion days that stood at `cutoff`: rows recorded before it, less those a
/// correction recorded before it had replaced.
pub async fn recorded_days_at(
    db: &Db,
    org_id: &OrganisationId,
    cutoff: &str,
) -> Result<RecordedDays, sqlx::Error> {
    let rows: Vec<(PersonId, RequirementId, String)> = sqlx::query_as(
        "SELECT c.user_id, c.requirement_id, c.completed_on FROM training_completions c
         WHERE c.org_id = $1 AND c.completed_on IS NOT NULL AND c.recorded_at < $2
           AND NOT EXISTS (SELECT 1 FROM training_completions s
                           WHERE s.supersedes = c.id AND s.recorded_at < $2)",
    )
    .bind(org_id)
    .bind(cutoff)
    .fetch_all(db)
    .await?;
    days_by_pair(rows)
}

/// The modules passed before `cutoff` by anyone who has ever held a staff role.
pub async fn module_passes_at(
    db: &Db,
    org_id: &OrganisationId,
    cutoff: &str,
) -> Result<HashMap<PersonId, Vec<(ModuleSlug, NaiveDate)>>, sqlx::Error> {
    let rows: Vec<(PersonId, ModuleSlug, String)> = sqlx::query_as(
        "SELECT a.user_id, a.module_id, a.passed_at FROM quiz_attempts a
         WHERE a.org_id = $1 AND a.passed_at IS NOT NULL AND a.passed_at < $2
           AND EXISTS (SELECT 1 FROM role_history h
                       WHERE h.user_id = a.user_id AND h.role <> 'learner')",
    )
    .bind(org_id)
    .bind(cutoff)
    .fetch_all(db)
    .await?;
    passes_by_person(rows)
}

/// The London day the organisation began (its records cannot go further back).
pub async fn organisation_began(
    db: &Db,
    org_id: &OrganisationId,
) -> Result<NaiveDate, sqlx::Error> {
    let (created_at,): (String,) =
        sqlx::query_as("SELECT created_at FROM organisations WHERE id = $1")
            .bind(org_id)
            .fetch_one(db)
            .await?;
    db::parse_timestamp(&created_at)
        .map(calendar::today_at)
        .ok_or_else(|| bad("created_at", &created_at))
}

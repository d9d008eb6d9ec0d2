//! The SQL behind `standing`: who the organisation's staff are, what is known about them,
//! and the days they did their training. A whole organisation is loaded in five queries
//! whatever its size; a list of people in five per `CHUNK` of them.

use super::columns::{bad, parse_day};
use super::standing::{Scope, StaffMember};
use super::types::{HeldRole, StaffFacts};
use crate::auth::Role;
use crate::calendar;
use crate::db::{self, Db};
use crate::ids::{ModuleSlug, OrganisationId, PersonId, RequirementId};
use crate::people::queries::{Sql, CHUNK};
use chrono::NaiveDate;
use std::collections::HashMap;

/// The SQL that picks out staff `u`: an active account holding a role other than learner.
const IS_STAFF: &str = " AND u.deactivated_at IS NULL AND EXISTS (SELECT 1 FROM user_roles sr
     WHERE sr.user_id = u.id AND sr.role <> 'learner')";

/// The rows `build` selects, for the whole organisation in one query, or for the listed
/// people in one query per chunk of them.
async fn fetch_scoped<T>(
    db: &Db,
    scope: &Scope<'_>,
    build: impl Fn(Option<&[PersonId]>) -> Sql,
) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    fetch_scoped_map(db, scope, build, Ok).await
}

/// [`fetch_scoped`], making each row into `U` as it arrives.
async fn fetch_scoped_map<T, U>(
    db: &Db,
    scope: &Scope<'_>,
    build: impl Fn(Option<&[PersonId]>) -> Sql,
    mut make: impl FnMut(T) -> Result<U, sqlx::Error>,
) -> Result<Vec<U>, sqlx::Error>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    match scope {
        Scope::Organisation => build(None).fetch_map(db, make).await,
        Scope::People(people) => {
            let mut made = Vec::new();
            for chunk in people.chunks(CHUNK) {
                made.extend(build(Some(chunk)).fetch_map(db, &mut make).await?);
            }
            Ok(made)
        }
    }
}

fn push_people(sql: &mut Sql, column: &str, people: Option<&[PersonId]>) {
    if let Some(people) = people {
        sql.push(" AND ").push(column).push(" ").bind_in(people);
    }
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: PersonId,
    full_name: String,
    email: String,
    created_at: String,
    job_title: Option<String>,
    department: Option<String>,
    start_date: Option<String>,
    leaving_date: Option<String>,
    line_manager_id: Option<PersonId>,
    manager_name: Option<String>,
    employee_number: Option<String>,
}

/// The staff in scope, by name, with their records and the roles they hold.
pub async fn staff(
    db: &Db,
    org_id: &OrganisationId,
    scope: &Scope<'_>,
) -> Result<Vec<StaffMember>, sqlx::Error> {
    // Roles first, so each member is made as their row arrives (100,000 rows are not
    // held as well as the members made of them).
    let mut roles = held_roles(db, org_id, scope).await?;
    let make = |row: MemberRow| {
        let held = roles.remove(&row.id).unwrap_or_default();
        member(row, held)
    };
    let mut members = fetch_scoped_map(
        db,
        scope,
        |people| {
            let mut sql = Sql::default();
            sql.push(
                "SELECT u.id, u.full_name, u.email, u.created_at, r.job_title, r.department,
                    r.start_date, r.leaving_date, r.line_manager_id,
                    m.full_name AS manager_name, r.employee_number
             FROM users u LEFT JOIN staff_records r ON r.user_id = u.id
             LEFT JOIN users m ON m.id = r.line_manager_id AND m.org_id = u.org_id
             WHERE u.org_id = ",
            )
            .bind(org_id.as_str())
            .push(IS_STAFF);
            push_people(&mut sql, "u.id", people);
            sql
        },
        make,
    )
    .await?;
    members.sort_by_cached_key(|m| m.name.to_lowercase());
    Ok(members)
}

fn member(row: MemberRow, roles: Vec<HeldRole>) -> Result<StaffMember, sqlx::Error> {
    let joined = db::parse_timestamp(&row.created_at)
        .map(calendar::today_at)
        .ok_or_else(|| bad("created_at", &row.created_at))?;
    let start = match row.start_date.as_deref() {
        Some(day) => parse_day(day, "start_date")?,
        None => joined,
    };
    let leaving = match row.leaving_date.as_deref() {
        Some(day) => Some(parse_day(day, "leaving_date")?),
        None => None,
    };
    let department = row.department.filter(|d| !d.trim().is_empty());
    let job_title = row.job_title.filter(|t| !t.trim().is_empty());
    Ok(StaffMember {
        id: row.id,
        name: row.full_name,
        email: row.email,
        manager_id: row.line_manager_id,
        manager_name: row.manager_name,
        employee_number: row.employee_number.filter(|n| !n.trim().is_empty()),
        facts: StaffFacts {
            start,
            leaving,
            roles,
            department,
            job_title,
        },
    })
}

/// The staff roles each person in scope holds, with the day each was given.
async fn held_roles(
    db: &Db,
    org_id: &OrganisationId,
    scope: &Scope<'_>,
) -> Result<HashMap<PersonId, Vec<HeldRole>>, sqlx::Error> {
    let mut held = HashMap::new();
    let add = |row| add_held(&mut held, row);
    fetch_scoped_map(db, scope, |people| {
        let mut sql = Sql::default();
        sql.push("SELECT user_id, role, granted_at FROM user_roles WHERE role <> 'learner' AND org_id = ")
            .bind(org_id.as_str());
        push_people(&mut sql, "user_id", people);
        sql
    }, add)
    .await?;
    Ok(held)
}

/// (person, role, the stored time it was given) rows, grouped by person; the live and
/// the past-day loaders read theirs alike.
pub(super) fn held_by_person(
    rows: impl IntoIterator<Item = (PersonId, String, String)>,
) -> Result<HashMap<PersonId, Vec<HeldRole>>, sqlx::Error> {
    let mut held = HashMap::new();
    for row in rows {
        add_held(&mut held, row)?;
    }
    Ok(held)
}

fn add_held(
    held: &mut HashMap<PersonId, Vec<HeldRole>>,
    (user_id, role, given_at): (PersonId, String, String),
) -> Result<(), sqlx::Error> {
    let role = Role::parse(&role).ok_or_else(|| bad("role", &role))?;
    let since = db::parse_timestamp(&given_at)
        .map(calendar::today_at)
        .ok_or_else(|| bad("granted_at", &given_at))?;
    held.entry(user_id)
        .or_default()
        .push(HeldRole { role, since });
    Ok(())
}

/// The days recorded for each person in scope, by requirement.
///
/// Kept compact: a large organisation has a row per person and requirement, and a map
/// keyed by both ids took more memory than the staff themselves (each row's ids copied
/// into its key). Here each person's id is held once, and each requirement's id once
/// for all, with a small number for it beside each day.
#[derive(Default)]
pub struct RecordedDays {
    requirements: HashMap<RequirementId, u32>,
    by_person: HashMap<PersonId, Vec<(u32, NaiveDate)>>,
}

impl RecordedDays {
    pub fn add(&mut self, person: PersonId, requirement: RequirementId, day: NaiveDate) {
        let next = u32::try_from(self.requirements.len()).unwrap_or(u32::MAX);
        let number = *self.requirements.entry(requirement).or_insert(next);
        self.by_person
            .entry(person)
            .or_default()
            .push((number, day));
    }

    /// The days recorded for `person` against `requirement`, in the order loaded.
    pub fn days<'a>(
        &'a self,
        person: &PersonId,
        requirement: &RequirementId,
    ) -> impl Iterator<Item = NaiveDate> + 'a {
        let number = self.requirements.get(requirement).copied();
        let days = number.and_then(|_| self.by_person.get(person));
        days.map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter(move |(n, _)| Some(*n) == number)
            .map(|(_, day)| *day)
    }
}

/// The days that count for each (person, requirement) in scope: every recorded row not
/// superseded by another, unless it withdraws one.
pub async fn recorded_days(
    db: &Db,
    org_id: &OrganisationId,
    scope: &Scope<'_>,
) -> Result<RecordedDays, sqlx::Error> {
    let mut recorded = RecordedDays::default();
    let add = |(person, requirement, day): (PersonId, RequirementId, String)| {
        recorded.add(person, requirement, parse_day(&day, "completed_on")?);
        Ok(())
    };
    fetch_scoped_map(
        db,
        scope,
        |people| {
            let mut sql = Sql::default();
            sql.push(
                "SELECT c.user_id, c.requirement_id, c.completed_on FROM training_completions c
             WHERE c.completed_on IS NOT NULL AND c.org_id = ",
            )
            .bind(org_id.as_str())
            .push(
                " AND NOT EXISTS (SELECT 1 FROM training_completions s WHERE s.supersedes = c.id)",
            );
            push_people(&mut sql, "c.user_id", people);
            sql
        },
        add,
    )
    .await?;
    Ok(recorded)
}

/// (person, requirement, completed_on) rows as [`RecordedDays`].
pub(super) fn days_by_pair(
    rows: Vec<(PersonId, RequirementId, String)>,
) -> Result<RecordedDays, sqlx::Error> {
    let mut out = RecordedDays::default();
    for (user_id, requirement_id, day) in rows {
        out.add(user_id, requirement_id, parse_day(&day, "completed_on")?);
    }
    Ok(out)
}

/// The modules each member of staff in scope has passed, with the London day of each
/// pass (every pass counts, so taking a module again renews it). Learners' passes are
/// never read: an intake of thousands costs the staff views nothing.
pub async fn module_passes(
    db: &Db,
    org_id: &OrganisationId,
    scope: &Scope<'_>,
) -> Result<HashMap<PersonId, Vec<(ModuleSlug, NaiveDate)>>, sqlx::Error> {
    let rows: Vec<(PersonId, ModuleSlug, String)> = fetch_scoped(db, scope, |people| {
        let mut sql = Sql::default();
        sql.push(
            "SELECT a.user_id, a.module_id, a.passed_at FROM quiz_attempts a
             JOIN users u ON u.id = a.user_id
             WHERE a.passed_at IS NOT NULL AND a.org_id = ",
        )
        .bind(org_id.as_str())
        .push(IS_STAFF);
        push_people(&mut sql, "a.user_id", people);
        sql
    })
    .await?;
    passes_by_person(rows)
}

/// (person, module, passed_at) rows, grouped by person with the London day of each pass.
pub(super) fn passes_by_person(
    rows: Vec<(PersonId, ModuleSlug, String)>,
) -> Result<HashMap<PersonId, Vec<(ModuleSlug, NaiveDate)>>, sqlx::Error> {
    let mut out: HashMap<PersonId, Vec<(ModuleSlug, NaiveDate)>> = HashMap::new();
    for (user_id, module_id, passed_at) in rows {
        let at = db::parse_timestamp(&passed_at).ok_or_else(|| bad("passed_at", &passed_at))?;
        out.entry(user_id)
            .or_default()
            .push((module_id, calendar::today_at(at)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
    }

    #[test]
    fn recorded_days_are_found_by_person_and_requirement_only() {
        let (sam, lou) = (PersonId::from_param("sam"), PersonId::from_param("lou"));
        let (prevent, update) = (
            RequirementId::from_param("prevent"),
            RequirementId::from_param("update"),
        );
        let mut recorded = RecordedDays::default();
        recorded.add(sam.clone(), prevent.clone(), day("2026-01-10"));
        recorded.add(sam.clone(), update.clone(), day("2026-02-01"));
        recorded.add(sam.clone(), prevent.clone(), day("2025-01-09"));
        recorded.add(lou.clone(), update.clone(), day("2026-03-03"));
        let days = |who: &PersonId, what: &RequirementId| -> Vec<NaiveDate> {
            recorded.days(who, what).collect()
        };
        assert_eq!(days(&sam, &prevent), [day("2026-01-10"), day("2025-01-09")]);
        assert_eq!(days(&sam, &update), [day("2026-02-01")]);
        assert_eq!(days(&lou, &update), [day("2026-03-03")]);
        assert_eq!(days(&lou, &prevent), []);
        assert_eq!(days(&PersonId::from_param("pat"), &update), []);
        assert_eq!(days(&sam, &RequirementId::from_param("never")), []);
    }
}

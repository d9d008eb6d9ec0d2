//! All the SQL for staff records. Every query takes the organisation, so one organisation
//! can never read or change another's records. Portable SQL for SQLite and PostgreSQL;
//! calendar days are `YYYY-MM-DD` text, so comparing them as text compares the days.

use super::StaffRow;
use crate::auth::Role;
use crate::db::Db;
use crate::ids::{OrganisationId, PersonId};
use crate::people::queries::{self as people, Page, PeopleQuery, Sort, Sql, CHUNK};
use sqlx::AnyConnection;
use std::collections::HashMap;

/// The roles that make someone a member of staff: every role but learner.
pub fn staff_roles() -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Learner)
        .collect()
}

/// SQL true when the line manager `x.line_manager_id` can no longer manage anyone: their
/// account is closed, or they hold no staff role any more.
const MANAGER_GONE: &str = "(NOT EXISTS (SELECT 1 FROM users mu
         WHERE mu.id = x.line_manager_id AND mu.deactivated_at IS NULL)
     OR NOT EXISTS (SELECT 1 FROM user_roles mr
         WHERE mr.user_id = x.line_manager_id AND mr.role <> 'learner'))";

/// ` AND` the person `u` is an exception on `today`: they have not left, and they have
/// no line manager, or their manager has left (a manager without a record has not), or
/// their manager's account is closed or holds no staff role any more.
fn push_exception(sql: &mut Sql, today: &str) {
    sql.push(
        " AND NOT EXISTS (SELECT 1 FROM staff_records x
             WHERE x.user_id = u.id AND x.leaving_date IS NOT NULL AND x.leaving_date <= ",
    )
    .bind(today)
    .push(
        ") AND NOT EXISTS (SELECT 1 FROM staff_records x
             LEFT JOIN staff_records xm ON xm.user_id = x.line_manager_id
             WHERE x.user_id = u.id AND x.line_manager_id IS NOT NULL
               AND NOT ",
    )
    .push(MANAGER_GONE)
    .push(" AND (xm.leaving_date IS NULL OR xm.leaving_date > ")
    .bind(today)
    .push("))");
}

/// ` AND` the person `u` has not left on `today`.
fn push_not_left(sql: &mut Sql, today: &str) {
    sql.push(
        " AND NOT EXISTS (SELECT 1 FROM staff_records x
             WHERE x.user_id = u.id AND x.leaving_date IS NOT NULL AND x.leaving_date <= ",
    )
    .bind(today)
    .push(")");
}

#[derive(sqlx::FromRow)]
struct Details {
    user_id: PersonId,
    job_title: String,
    department: String,
    start_date: Option<String>,
    leaving_date: Option<String>,
    manager_name: Option<String>,
    manager_leaving: Option<String>,
    manager_gone: i64,
}

/// One page of the organisation's staff by name (`search` in name or email), or only the
/// exceptions: three queries whatever the page size (count, people, their records).
pub async fn list(
    db: &Db,
    org_id: &OrganisationId,
    search: &str,
    exceptions_only: bool,
    today: &str,
    page: u32,
) -> Result<Page<StaffRow>, sqlx::Error> {
    let roles = staff_roles();
    let exception = |sql: &mut Sql| push_exception(sql, today);
    let found = people::list(
        db,
        &PeopleQuery {
            org_id,
            search,
            roles: &roles,
            active_only: false,
            taught_by: None,
            also: if exceptions_only {
                Some(&exception)
            } else {
                None
            },
            sort: Sort::Name,
            page: Some(page),
            per_page: crate::people::PER_PAGE,
        },
    )
    .await?;
    let ids: Vec<PersonId> = found.rows.iter().map(|p| p.id.clone()).collect();
    let mut details: HashMap<PersonId, Details> = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let mut sql = Sql::default();
        sql.push(&format!(
            "SELECT s.user_id, s.job_title, s.department, s.start_date, s.leaving_date,
                    m.full_name AS manager_name, ms.leaving_date AS manager_leaving,
                    CASE WHEN EXISTS (SELECT 1 FROM staff_records x
                                      WHERE x.user_id = s.user_id
                                        AND x.line_manager_id IS NOT NULL AND {MANAGER_GONE})
                         THEN 1 ELSE 0 END AS manager_gone
             FROM staff_records s
             LEFT JOIN users m ON m.id = s.line_manager_id AND m.org_id = s.org_id
             LEFT JOIN staff_records ms ON ms.user_id = s.line_manager_id
             WHERE s.org_id = "
        ))
        .bind(org_id.as_str())
        .push(" AND s.user_id ")
        .bind_in(chunk);
        let rows: Vec<Details> = sql.fetch_all(db).await?;
        details.extend(rows.into_iter().map(|d| (d.user_id.clone(), d)));
    }
    let has_left = |day: &Option<String>| day.as_deref().is_some_and(|d| d <= today);
    let rows = found
        .rows
        .into_iter()
        .map(|p| {
            let d = details.remove(&p.id);
            let manager_gone = d.as_ref().is_some_and(|d| d.manager_gone == 1);
            let (job_title, department, start_date, leaving_date, manager, manager_leaving) =
                match d {
                    Some(d) => (
                        d.job_title,
                        d.department,
                        d.start_date,
                        d.leaving_date,
                        d.manager_name,
                        d.manager_leaving,
                    ),
                    None => Default::default(),
                };
            StaffRow {
                has_left: has_left(&leaving_date),
                manager_left_on: manager_leaving.filter(|d| d.as_str() <= today),
                manager_no_longer_staff: manager_gone,
                id: p.id,
                full_name: p.full_name,
                email: p.email,
                job_title,
                department,
                start_date,
                leaving_date,
                line_manager: manager,
            }
        })
        .collect();
    Ok(Page {
        rows,
        paging: found.paging,
    })
}

/// How many of the organisation's staff are exceptions on `today`.
pub async fn count_exceptions(
    db: &Db,
    org_id: &OrganisationId,
    today: &str,
) -> Result<u64, sqlx::Error> {
    let roles = staff_roles();
    let exception = |sql: &mut Sql| push_exception(sql, today);
    people::count(
        db,
        &PeopleQuery {
            org_id,
            search: "",
            roles: &roles,
            active_only: false,
            taught_by: None,
            also: Some(&exception),
            sort: Sort::Name,
            page: None,
            per_page: crate::people::PER_PAGE,
        },
    )
    .await
}

/// Staff of the organisation who have not left on `today`, by name: who may be chosen
/// as a line manager.
pub async fn possible_managers(
    db: &Db,
    org_id: &OrganisationId,
    today: &str,
) -> Result<Vec<people::PersonRow>, sqlx::Error> {
    let roles = staff_roles();
    let not_left = |sql: &mut Sql| push_not_left(sql, today);
    Ok(people::list(
        db,
        &PeopleQuery {
            org_id,
            search: "",
            roles: &roles,
            active_only: false,
            taught_by: None,
            also: Some(&not_left),
            sort: Sort::Name,
            page: None,
            per_page: crate::people::PER_PAGE,
        },
    )
    .await?
    .rows)
}

/// A person of the organisation: their name, email, and whether they are staff.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Person {
    pub id: PersonId,
    pub full_name: String,
    pub email: String,
    /// 1 when they hold a role other than learner.
    pub is_staff: i64,
}

pub async fn person(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    id: &PersonId,
) -> Result<Option<Person>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.email,
             CAST(CASE WHEN EXISTS (SELECT 1 FROM user_roles r
                 WHERE r.user_id = u.id AND r.org_id = u.org_id AND r.role <> 'learner')
             THEN 1 ELSE 0 END AS BIGINT) AS is_staff
         FROM users u WHERE u.id = $1 AND u.org_id = $2",
    )
    .bind(id)
    .bind(org_id)
    .fetch_optional(conn)
    .await
}

/// What is stored for a person (None: no record yet).
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Stored {
    pub employee_number: Option<String>,
    pub job_title: String,
    pub department: String,
    pub start_date: Option<String>,
    pub line_manager_id: Option<PersonId>,
    pub leaving_date: Option<String>,
}

pub async fn stored(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    id: &PersonId,
) -> Result<Option<Stored>, sqlx::Error> {
    sqlx::query_as(
        "SELECT employee_number, job_title, department, start_date, line_manager_id, leaving_date
         FROM staff_records WHERE user_id = $1 AND org_id = $2",
    )
    .bind(id)
    .bind(org_id)
    .fetch_optional(conn)
    .await
}

/// A person's leaving day, if recorded.
pub async fn leaving_date(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    id: &PersonId,
) -> Result<Option<String>, sqlx::Error> {
    let found: Option<(Option<String>,)> =
        sqlx::query_as("SELECT leaving_date FROM staff_records WHERE user_id = $1 AND org_id = $2")
            .bind(id)
            .bind(org_id)
            .fetch_optional(conn)
            .await?;
    Ok(found.and_then(|(d,)| d))
}

/// Everyone's line manager in the organisation: person -> manager.
pub async fn managers(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
) -> Result<HashMap<PersonId, PersonId>, sqlx::Error> {
    let rows: Vec<(PersonId, PersonId)> = sqlx::query_as(
        "SELECT user_id, line_manager_id FROM staff_records
         WHERE org_id = $1 AND line_manager_id IS NOT NULL",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The names of some of the organisation's people.
pub async fn names(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    ids: &[PersonId],
) -> Result<HashMap<PersonId, String>, sqlx::Error> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let mut sql = Sql::default();
        sql.push("SELECT id, full_name FROM users WHERE org_id = ")
            .bind(org_id.as_str())
            .push(" AND id ")
            .bind_in(chunk);
        let rows: Vec<(PersonId, String)> = sql.fetch_all_on(conn).await?;
        found.extend(rows);
    }
    Ok(found)
}

/// Who else in the organisation has this employee number, if anyone.
pub async fn employee_number_holder(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    number: &str,
    except: &PersonId,
) -> Result<Option<String>, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT u.full_name FROM staff_records s JOIN users u ON u.id = s.user_id
         WHERE s.org_id = $1 AND s.employee_number = $2 AND s.user_id <> $3",
    )
    .bind(org_id)
    .bind(number)
    .bind(except)
    .fetch_optional(conn)
    .await?;
    Ok(found.map(|(name,)| name))
}

/// Write a person's record, creating it if they had none.
pub async fn save(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    id: &PersonId,
    record: &Stored,
    by: &PersonId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO staff_records (user_id, org_id, employee_number, job_title, department,
             start_date, line_manager_id, leaving_date, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (user_id) DO UPDATE SET
             employee_number = excluded.employee_number, job_title = excluded.job_title,
             department = excluded.department, start_date = excluded.start_date,
             line_manager_id = excluded.line_manager_id, leaving_date = excluded.leaving_date,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(id)
    .bind(org_id)
    .bind(record.employee_number.as_deref())
    .bind(&record.job_title)
    .bind(&record.department)
    .bind(record.start_date.as_deref())
    .bind(record.line_manager_id.as_ref())
    .bind(record.leaving_date.as_deref())
    .bind(crate::db::now())
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

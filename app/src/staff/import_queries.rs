//! The HR import's SQL. Every query takes the organisation, so an import can never read or
//! change another organisation's people.

use super::import::Existing;
use crate::calendar;
use crate::ids::{OrganisationId, PersonId};
use sqlx::AnyConnection;

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: String,
    email: String,
    full_name: String,
    deactivated_at: Option<String>,
    employee_number: Option<String>,
    line_manager_id: Option<String>,
    leaving_date: Option<String>,
    has_record: i64,
    is_staff: i64,
}

/// Everyone in the organisation, with their staff record if they have one: one query.
pub async fn people_in_org<'c, E>(
    conn: E,
    org_id: &OrganisationId,
) -> Result<Vec<Existing>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let rows: Vec<PersonRow> = sqlx::query_as(
        "SELECT u.id, u.email, u.full_name, u.deactivated_at,
                r.employee_number, r.line_manager_id, r.leaving_date,
                CAST(CASE WHEN r.user_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_record,
                CAST(CASE WHEN r.user_id IS NOT NULL OR EXISTS (
                    SELECT 1 FROM user_roles ur
                    WHERE ur.user_id = u.id AND ur.org_id = u.org_id AND ur.role <> 'learner'
                ) THEN 1 ELSE 0 END AS BIGINT) AS is_staff
         FROM users u
         LEFT JOIN staff_records r ON r.user_id = u.id AND r.org_id = u.org_id
         WHERE u.org_id = $1",
    )
    .bind(org_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Existing {
            id: r.id,
            email: r.email,
            full_name: r.full_name,
            employee_number: r.employee_number,
            line_manager_id: r.line_manager_id,
            leaving_date: r.leaving_date.as_deref().and_then(calendar::parse_day),
            is_staff: r.is_staff == 1,
            deactivated: r.deactivated_at.is_some(),
            has_record: r.has_record == 1,
        })
        .collect())
}

/// The mapping (JSON) the organisation last imported with.
pub async fn saved_mapping<'c, E>(
    conn: E,
    org_id: &OrganisationId,
) -> Result<Option<String>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let found: Option<(String,)> =
        sqlx::query_as("SELECT mapping FROM staff_import_mappings WHERE org_id = $1")
            .bind(org_id)
            .fetch_optional(conn)
            .await?;
    Ok(found.map(|(m,)| m))
}

pub async fn save_mapping(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    mapping: &str,
    by: &PersonId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO staff_import_mappings (org_id, mapping, updated_at, updated_by)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (org_id) DO UPDATE
         SET mapping = excluded.mapping, updated_at = excluded.updated_at,
             updated_by = excluded.updated_by",
    )
    .bind(org_id)
    .bind(mapping)
    .bind(crate::db::now())
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// Change a person's email and name where the file gives them (None: leave alone).
pub async fn update_account(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    user_id: &PersonId,
    email: Option<&str>,
    full_name: Option<&str>,
) -> Result<(), sqlx::Error> {
    if email.is_none() && full_name.is_none() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE users SET email = COALESCE($1, email), full_name = COALESCE($2, full_name)
         WHERE id = $3 AND org_id = $4",
    )
    .bind(email)
    .bind(full_name)
    .bind(user_id)
    .bind(org_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// What the file says about one record; None leaves the stored value alone.
pub struct RecordChange<'a> {
    pub employee_number: Option<&'a str>,
    pub job_title: Option<&'a str>,
    pub department: Option<&'a str>,
    pub start_date: Option<String>,
    pub line_manager_id: Option<&'a PersonId>,
    pub leaving_date: Option<String>,
    pub updated_at: &'a str,
    pub updated_by: &'a PersonId,
}

pub async fn insert_record(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    user_id: &PersonId,
    c: &RecordChange<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO staff_records (user_id, org_id, employee_number, job_title, department,
             start_date, line_manager_id, leaving_date, updated_at, updated_by)
         VALUES ($1, $2, $3, COALESCE($4, ''), COALESCE($5, ''), $6, $7, $8, $9, $10)",
    )
    .bind(user_id)
    .bind(org_id)
    .bind(c.employee_number)
    .bind(c.job_title)
    .bind(c.department)
    .bind(c.start_date.as_deref())
    .bind(c.line_manager_id)
    .bind(c.leaving_date.as_deref())
    .bind(c.updated_at)
    .bind(c.updated_by)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update_record(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    user_id: &PersonId,
    c: &RecordChange<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE staff_records SET
             employee_number = COALESCE($1, employee_number),
             job_title = COALESCE($2, job_title),
             department = COALESCE($3, department),
             start_date = COALESCE($4, start_date),
             line_manager_id = COALESCE($5, line_manager_id),
             leaving_date = COALESCE($6, leaving_date),
             updated_at = $7, updated_by = $8
         WHERE user_id = $9 AND org_id = $10",
    )
    .bind(c.employee_number)
    .bind(c.job_title)
    .bind(c.department)
    .bind(c.start_date.as_deref())
    .bind(c.line_manager_id)
    .bind(c.leaving_date.as_deref())
    .bind(c.updated_at)
    .bind(c.updated_by)
    .bind(user_id)
    .bind(org_id)
    .execute(conn)
    .await?;
    Ok(())
}

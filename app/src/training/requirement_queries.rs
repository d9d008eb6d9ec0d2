//! The SQL behind the requirement pages. Every write to a requirement or to the
//! organisation's training settings is one function here (adding one is
//! `queries::insert_requirement`), taking the caller's transaction, so each kind of change
//! happens in exactly one place.

use super::columns::{Columns, RequirementRow};
use super::types::{Requirement, RequirementRecord};
use crate::db::{self, Db};
use crate::ids::{OrganisationId, PersonId, RequirementId};
use sqlx::AnyConnection;

const COLUMNS: &str = "id, default_key, name, level, satisfied_by, module_id, document,
    applies_to, applies_to_values, first_due, first_due_days, first_due_on, renews,
    renew_months, renew_on, window_days, grace_in_post_on, grace_until";

/// One of the organisation's requirements, and whether it is retired.
pub async fn requirement(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    id: &RequirementId,
) -> Result<Option<(RequirementRecord, bool)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        requirement: RequirementRow,
        retired_at: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS}, retired_at FROM training_requirements WHERE org_id = $1 AND id = $2"
    ))
    .bind(org_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| Ok((r.requirement.into_record()?, r.retired_at.is_some())))
        .transpose()
}

/// The organisation's retired requirements, in their old order.
pub async fn retired_requirements(
    db: &Db,
    org_id: &OrganisationId,
) -> Result<Vec<RequirementRecord>, sqlx::Error> {
    let rows: Vec<RequirementRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM training_requirements
         WHERE org_id = $1 AND retired_at IS NOT NULL
         ORDER BY position, name, id"
    ))
    .bind(org_id)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(RequirementRow::into_record).collect()
}

/// The position after the organisation's last requirement (retired ones included).
pub async fn next_position(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
) -> Result<i64, sqlx::Error> {
    let (last,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(position) FROM training_requirements WHERE org_id = $1")
            .bind(org_id)
            .fetch_one(conn)
            .await?;
    Ok(last.unwrap_or(0) + 1)
}

/// Change a requirement in force to `requirement`; false when there is none.
pub async fn update_requirement(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    id: &RequirementId,
    requirement: &Requirement,
    by: &PersonId,
) -> Result<bool, sqlx::Error> {
    let c = Columns::of(requirement)?;
    let done = sqlx::query(
        "UPDATE training_requirements SET
            name = $1, level = $2, satisfied_by = $3, module_id = $4, document = $5,
            applies_to = $6, applies_to_values = $7, first_due = $8, first_due_days = $9,
            first_due_on = $10, renews = $11, renew_months = $12, renew_on = $13,
            window_days = $14, grace_in_post_on = $15, grace_until = $16,
            updated_at = $17, updated_by = $18
         WHERE org_id = $19 AND id = $20 AND retired_at IS NULL",
    )
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
    .bind(db::now())
    .bind(by)
    .bind(org_id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Take a requirement out of force (its completions stay); false when it is not in force.
pub async fn retire_requirement(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    id: &RequirementId,
    by: &PersonId,
) -> Result<bool, sqlx::Error> {
    let now = db::now();
    let done = sqlx::query(
        "UPDATE training_requirements SET retired_at = $1, updated_at = $1, updated_by = $2
         WHERE org_id = $3 AND id = $4 AND retired_at IS NULL",
    )
    .bind(&now)
    .bind(by)
    .bind(org_id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Put a retired requirement back in force, in its old place; false when it is not retired.
pub async fn bring_back_requirement(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    id: &RequirementId,
    by: &PersonId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE training_requirements SET retired_at = NULL, updated_at = $1, updated_by = $2
         WHERE org_id = $3 AND id = $4 AND retired_at IS NOT NULL",
    )
    .bind(db::now())
    .bind(by)
    .bind(org_id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Set how many days before a due date someone shows as due soon (0 to 365).
pub async fn set_due_soon_days(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    days: u32,
    by: &PersonId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO training_settings (org_id, due_soon_days, updated_at, updated_by)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (org_id) DO UPDATE SET due_soon_days = $2, updated_at = $3, updated_by = $4",
    )
    .bind(org_id)
    .bind(i64::from(days))
    .bind(db::now())
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// The departments on the organisation's staff records, as a hint for the form.
pub async fn departments(db: &Db, org_id: &OrganisationId) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT department FROM staff_records
         WHERE org_id = $1 AND department <> '' ORDER BY department",
    )
    .bind(org_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(d,)| d).collect())
}

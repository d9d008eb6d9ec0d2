//! The audit trail: who did what to whom, kept for administrators and inspectors.

use crate::db;
use sqlx::AnyConnection;

pub async fn record(
    conn: &mut AnyConnection,
    org_id: &str,
    actor_id: Option<&str>,
    action: &str,
    subject_id: Option<&str>,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_events (id, org_id, actor_id, action, subject_id, detail, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(db::new_id())
    .bind(org_id)
    .bind(actor_id)
    .bind(action)
    .bind(subject_id)
    .bind(detail)
    .bind(db::now())
    .execute(conn)
    .await?;
    Ok(())
}

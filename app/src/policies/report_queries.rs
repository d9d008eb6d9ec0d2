//! The data layer for the signing report: who the policy applies to, their roles and
//! their signatures. Every query takes the organisation.

use super::queries::{SignatureRow, SIGNATURE_COLUMNS};
use crate::db::Db;

/// A person as the report lists them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Person {
    pub id: String,
    pub email: String,
    pub full_name: String,
}

/// Active people of the organisation with a password (invited people cannot sign yet).
pub async fn people_who_can_sign(db: &Db, org_id: &str) -> Result<Vec<Person>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, email, full_name FROM users
         WHERE org_id = $1 AND deactivated_at IS NULL AND password_hash IS NOT NULL
         ORDER BY full_name, email",
    )
    .bind(org_id)
    .fetch_all(db)
    .await
}

/// Every role given in the organisation, as (person, role, given at).
pub async fn roles_given(
    db: &Db,
    org_id: &str,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT user_id, role, granted_at FROM user_roles WHERE org_id = $1")
        .bind(org_id)
        .fetch_all(db)
        .await
}

/// Every signature made in the organisation, newest first.
pub async fn signatures_in(db: &Db, org_id: &str) -> Result<Vec<SignatureRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SIGNATURE_COLUMNS} FROM policy_signatures WHERE org_id = $1 ORDER BY signed_at DESC"
    ))
    .bind(org_id)
    .fetch_all(db)
    .await
}

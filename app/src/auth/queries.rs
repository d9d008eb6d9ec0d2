//! The data layer for signing in: people, roles, sessions, throttling.

use super::types::{CurrentUser, Role};
use crate::db::Db;
use crate::ids::{OrganisationId, PersonId};
use sqlx::AnyConnection;

/// What sign-in needs to know about an account.
#[derive(sqlx::FromRow)]
pub struct Account {
    pub id: PersonId,
    pub org_id: OrganisationId,
    pub org_name: String,
    pub email: String,
    pub full_name: String,
    pub password_hash: Option<String>,
    pub deactivated_at: Option<String>,
}

const ACCOUNT_COLUMNS: &str = "SELECT u.id, u.org_id, o.name AS org_name, u.email, u.full_name, u.password_hash, u.deactivated_at FROM users u JOIN organisations o ON o.id = u.org_id";

/// Every account an address has: one per organisation at most, in the order of the
/// organisations' names.
pub async fn accounts_by_email(db: &Db, email: &str) -> Result<Vec<Account>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{ACCOUNT_COLUMNS} WHERE u.email = $1 ORDER BY o.name, o.id"
    ))
    .bind(email)
    .fetch_all(db)
    .await
}

pub async fn account_by_id(db: &Db, user_id: &PersonId) -> Result<Option<Account>, sqlx::Error> {
    sqlx::query_as(&format!("{ACCOUNT_COLUMNS} WHERE u.id = $1"))
        .bind(user_id)
        .fetch_optional(db)
        .await
}

pub async fn roles_of(db: &Db, user_id: &PersonId) -> Result<Vec<Role>, sqlx::Error> {
    let names: Vec<(String,)> = sqlx::query_as("SELECT role FROM user_roles WHERE user_id = $1")
        .bind(user_id)
        .fetch_all(db)
        .await?;
    let mut roles: Vec<Role> = names.iter().filter_map(|(n,)| Role::parse(n)).collect();
    roles.sort();
    Ok(roles)
}

/// The active person behind a session, with organisation and roles.
/// A person's full name and their organisation's name.
pub async fn name_and_organisation(
    db: &Db,
    user_id: &PersonId,
) -> Result<(String, String), sqlx::Error> {
    sqlx::query_as(
        "SELECT u.full_name, o.name FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_one(db)
    .await
}

pub async fn current_user(db: &Db, user_id: &PersonId) -> Result<Option<CurrentUser>, sqlx::Error> {
    let rows: Vec<PersonRow> = sqlx::query_as(&format!("{PERSON_COLUMNS} {PERSON_FROM}"))
        .bind(user_id)
        .fetch_all(db)
        .await?;
    Ok(person_of_rows(&rows))
}

/// A person with their organisation's name, and one row per role (one round trip, not two).
pub type PersonRow = (
    PersonId,
    OrganisationId,
    String,
    String,
    String,
    Option<String>,
);
pub const PERSON_COLUMNS: &str = "SELECT u.id, u.org_id, o.name, u.email, u.full_name, r.role";
/// `$1` is the person's id; only an active person is found.
pub const PERSON_FROM: &str = "FROM users u JOIN organisations o ON o.id = u.org_id
     LEFT JOIN user_roles r ON r.user_id = u.id
     WHERE u.id = $1 AND u.deactivated_at IS NULL";

/// The person in `rows` (from PERSON_COLUMNS and PERSON_FROM), if any.
pub fn person_of_rows(rows: &[PersonRow]) -> Option<CurrentUser> {
    let (id, org_id, org_name, email, full_name, _) = rows.first()?.clone();
    let mut roles: Vec<Role> = rows
        .iter()
        .filter_map(|r| r.5.as_deref().and_then(Role::parse))
        .collect();
    roles.sort();
    roles.dedup();
    Some(CurrentUser {
        id,
        org_id,
        org_name,
        email,
        full_name,
        roles,
    })
}

pub async fn set_password_hash(
    conn: &mut AnyConnection,
    user_id: &PersonId,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// End every session of a person (after a password change, a reset or deactivation).
pub async fn end_sessions_of(
    conn: &mut AnyConnection,
    user_id: &PersonId,
    except_session: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id)
        .bind(
            except_session
                .map(crate::db::session_store::stored_id)
                .unwrap_or_default(),
        )
        .execute(conn)
        .await?;
    Ok(())
}

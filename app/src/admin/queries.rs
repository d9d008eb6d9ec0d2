//! The data layer for organisations and their people. Every query about people takes
//! the organisation, so one organisation can never read or change another's.

use super::{UserRow, UserStatus};
use crate::auth::Role;
use crate::db::{self, Db};
use sqlx::AnyConnection;
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct UserRecord {
    id: String,
    email: String,
    full_name: String,
    password_hash: Option<String>,
    deactivated_at: Option<String>,
    date_of_birth: Option<String>,
}

fn status_of(record: &UserRecord) -> UserStatus {
    if record.deactivated_at.is_some() {
        UserStatus::Deactivated
    } else if record.password_hash.is_none() {
        UserStatus::Invited
    } else {
        UserStatus::Active
    }
}

fn into_row(record: UserRecord, mut roles: Vec<Role>) -> UserRow {
    roles.sort();
    UserRow {
        status: status_of(&record),
        id: record.id,
        email: record.email,
        full_name: record.full_name,
        date_of_birth: record.date_of_birth,
        roles,
    }
}

/// Every role held in an organisation, by person: one query however many people.
async fn roles_in_org(db: &Db, org_id: &str) -> Result<HashMap<String, Vec<Role>>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT user_id, role FROM user_roles WHERE org_id = $1")
            .bind(org_id)
            .fetch_all(db)
            .await?;
    let mut by_person: HashMap<String, Vec<Role>> = HashMap::new();
    for (user_id, role) in rows {
        if let Some(role) = Role::parse(&role) {
            by_person.entry(user_id).or_default().push(role);
        }
    }
    Ok(by_person)
}

/// Escape LIKE wildcards so a search for "50%" means the text "50%".
fn like_pattern(search: &str) -> String {
    let escaped = search
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

pub async fn list_users(db: &Db, org_id: &str, search: &str) -> Result<Vec<UserRow>, sqlx::Error> {
    let records: Vec<UserRecord> = sqlx::query_as(
        "SELECT id, email, full_name, password_hash, deactivated_at, date_of_birth FROM users
         WHERE org_id = $1 AND (LOWER(full_name) LIKE $2 ESCAPE '\\' OR email LIKE $2 ESCAPE '\\')
         ORDER BY LOWER(full_name), email LIMIT 500",
    )
    .bind(org_id)
    .bind(like_pattern(search))
    .fetch_all(db)
    .await?;
    let mut roles = roles_in_org(db, org_id).await?;
    Ok(records
        .into_iter()
        .map(|record| {
            let held = roles.remove(&record.id).unwrap_or_default();
            into_row(record, held)
        })
        .collect())
}

pub async fn user_in_org(
    db: &Db,
    org_id: &str,
    user_id: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    let record: Option<UserRecord> = sqlx::query_as(
        "SELECT id, email, full_name, password_hash, deactivated_at, date_of_birth FROM users WHERE id = $1 AND org_id = $2",
    )
    .bind(user_id)
    .bind(org_id)
    .fetch_optional(db)
    .await?;
    match record {
        Some(r) => {
            let roles = crate::auth::queries::roles_of(db, &r.id).await?;
            Ok(Some(into_row(r, roles)))
        }
        None => Ok(None),
    }
}

pub async fn email_taken(db: &Db, email: &str) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

pub async fn insert_user(
    conn: &mut AnyConnection,
    org_id: &str,
    email: &str,
    full_name: &str,
    password_hash: Option<&str>,
) -> Result<String, sqlx::Error> {
    let id = db::new_id();
    sqlx::query(
        "INSERT INTO users (id, org_id, email, full_name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(org_id)
    .bind(email)
    .bind(full_name)
    .bind(password_hash)
    .bind(db::now())
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn add_role(
    conn: &mut AnyConnection,
    org_id: &str,
    user_id: &str,
    role: Role,
) -> Result<bool, sqlx::Error> {
    let held: Option<(String,)> =
        sqlx::query_as("SELECT role FROM user_roles WHERE user_id = $1 AND role = $2")
            .bind(user_id)
            .bind(role.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    if held.is_some() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO user_roles (user_id, org_id, role, granted_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(org_id)
    .bind(role.as_str())
    .bind(db::now())
    .execute(conn)
    .await?;
    Ok(true)
}

pub async fn remove_role(
    conn: &mut AnyConnection,
    org_id: &str,
    user_id: &str,
    role: Role,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND org_id = $2 AND role = $3")
            .bind(user_id)
            .bind(org_id)
            .bind(role.as_str())
            .execute(conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn set_deactivated(
    conn: &mut AnyConnection,
    org_id: &str,
    user_id: &str,
    deactivated: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET deactivated_at = $1 WHERE id = $2 AND org_id = $3")
        .bind(deactivated.then(db::now))
        .bind(user_id)
        .bind(org_id)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Organisation {
    pub id: String,
    pub slug: String,
    pub name: String,
}

pub async fn organisation_by_slug(
    db: &Db,
    slug: &str,
) -> Result<Option<Organisation>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, name FROM organisations WHERE slug = $1")
        .bind(slug)
        .fetch_optional(db)
        .await
}

pub async fn organisation_name(db: &Db, org_id: &str) -> Result<String, sqlx::Error> {
    let (name,): (String,) = sqlx::query_as("SELECT name FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_one(db)
        .await?;
    Ok(name)
}

pub async fn create_organisation(
    conn: &mut AnyConnection,
    slug: &str,
    name: &str,
) -> Result<Organisation, sqlx::Error> {
    let org = Organisation {
        id: db::new_id(),
        slug: slug.to_string(),
        name: name.to_string(),
    };
    sqlx::query("INSERT INTO organisations (id, slug, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&org.id)
        .bind(&org.slug)
        .bind(&org.name)
        .bind(db::now())
        .execute(conn)
        .await?;
    Ok(org)
}

pub async fn organisation_count(db: &Db) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organisations")
        .fetch_one(db)
        .await?;
    Ok(n)
}

/// Record (or with None, clear) a person's date of birth.
pub async fn set_date_of_birth(
    conn: &mut AnyConnection,
    org_id: &str,
    user_id: &str,
    date_of_birth: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET date_of_birth = $1 WHERE id = $2 AND org_id = $3")
        .bind(date_of_birth)
        .bind(user_id)
        .bind(org_id)
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn search_wildcards_are_taken_literally() {
        assert_eq!(like_pattern("50%_Off"), "%50\\%\\_off%");
    }
}

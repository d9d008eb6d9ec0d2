//! The data layer for organisations and their people. Every query about people takes
//! the organisation, so one organisation can never read or change another's.

use super::{UserRow, UserStatus};
use crate::auth::Role;
use crate::db::{self, Db};
use crate::ids::{OrganisationId, PersonId};
use crate::people::queries::{self as people, Page, PeopleQuery, Sort};
use sqlx::AnyConnection;

#[derive(sqlx::FromRow)]
struct UserRecord {
    id: PersonId,
    email: String,
    full_name: String,
    password_hash: Option<String>,
    deactivated_at: Option<String>,
    date_of_birth: Option<String>,
}

fn status_of(deactivated: bool, has_password: bool) -> UserStatus {
    if deactivated {
        UserStatus::Deactivated
    } else if !has_password {
        UserStatus::Invited
    } else {
        UserStatus::Active
    }
}

fn into_row(record: UserRecord, mut roles: Vec<Role>) -> UserRow {
    roles.sort();
    UserRow {
        status: status_of(
            record.deactivated_at.is_some(),
            record.password_hash.is_some(),
        ),
        id: record.id,
        email: record.email,
        full_name: record.full_name,
        date_of_birth: record.date_of_birth,
        roles,
    }
}

/// One page of the organisation's people, by name, `search` in name or email.
pub async fn list_users(
    db: &Db,
    org_id: &OrganisationId,
    search: &str,
    page: u32,
) -> Result<Page<UserRow>, sqlx::Error> {
    let found = people::list(
        db,
        &PeopleQuery {
            org_id,
            search,
            roles: &[],
            active_only: false,
            taught_by: None,
            also: None,
            sort: Sort::Name,
            page: Some(page),
            per_page: crate::people::PER_PAGE,
        },
    )
    .await?;
    let ids: Vec<PersonId> = found.rows.iter().map(|p| p.id.clone()).collect();
    let mut roles = people::roles_of(db, org_id, &ids).await?;
    let rows = found
        .rows
        .into_iter()
        .map(|p| {
            let mut held = roles.remove(&p.id).unwrap_or_default();
            held.sort();
            UserRow {
                status: status_of(p.deactivated_at.is_some(), p.has_password == 1),
                id: p.id,
                email: p.email,
                full_name: p.full_name,
                date_of_birth: p.date_of_birth,
                roles: held,
            }
        })
        .collect();
    Ok(Page {
        rows,
        paging: found.paging,
    })
}

pub async fn user_in_org(
    db: &Db,
    org_id: &OrganisationId,
    user_id: &PersonId,
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

/// The account `email` has in this organisation, if any.
pub async fn account_with_email(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    email: &str,
) -> Result<Option<PersonId>, sqlx::Error> {
    let found: Option<(PersonId,)> =
        sqlx::query_as("SELECT id FROM users WHERE email = $1 AND org_id = $2")
            .bind(email)
            .bind(org_id)
            .fetch_optional(conn)
            .await?;
    Ok(found.map(|(id,)| id))
}

pub async fn email_taken(
    db: &Db,
    org_id: &OrganisationId,
    email: &str,
) -> Result<bool, sqlx::Error> {
    let mut conn = db.acquire().await?;
    Ok(account_with_email(&mut conn, org_id, email)
        .await?
        .is_some())
}

pub async fn insert_user(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    email: &str,
    full_name: &str,
    password_hash: Option<&str>,
) -> Result<PersonId, sqlx::Error> {
    let id = PersonId::generate();
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
    org_id: &OrganisationId,
    user_id: &PersonId,
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
    org_id: &OrganisationId,
    user_id: &PersonId,
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
    org_id: &OrganisationId,
    user_id: &PersonId,
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
    pub id: OrganisationId,
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

pub async fn organisation_name(db: &Db, org_id: &OrganisationId) -> Result<String, sqlx::Error> {
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
        id: OrganisationId::generate(),
        slug: slug.to_string(),
        name: name.to_string(),
    };
    sqlx::query("INSERT INTO organisations (id, slug, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&org.id)
        .bind(&org.slug)
        .bind(&org.name)
        .bind(db::now())
        .execute(&mut *conn)
        .await?;
    // Every organisation starts with the default training requirements, in the same
    // transaction: there is never one without them.
    crate::training::queries::seed_defaults(conn, &org.id).await?;
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
    org_id: &OrganisationId,
    user_id: &PersonId,
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

//! The rules for administering people. Every function starts with the guard and works
//! only inside the administrator's own organisation.

use super::{queries, UserRow, UserStatus, UsersPage};
use crate::auth::links::{self, LinkPurpose};
use crate::auth::service::normalise_email;
use crate::auth::{guard, Capability, CurrentUser, Role};
use crate::error::AppError;
use crate::ids::PersonId;
use crate::state::{app_state, AppState};
use crate::{audit, db, mail};

const MAX_NAME_LENGTH: usize = 200;
const MAX_SEARCH_LENGTH: usize = 200;

async fn admin() -> Result<(CurrentUser, AppState), AppError> {
    let user = guard::allowed(Capability::ManageUsers).await?;
    Ok((user, app_state()?))
}

fn parse_role(role: &str) -> Result<Role, AppError> {
    Role::parse(role).ok_or_else(|| AppError::invalid("Choose a role from the list."))
}

pub fn check_full_name(full_name: &str) -> Result<String, AppError> {
    let name = full_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(AppError::invalid("Enter the person's full name."));
    }
    if name.chars().count() > MAX_NAME_LENGTH {
        return Err(AppError::invalid(format!(
            "Enter a name of at most {MAX_NAME_LENGTH} characters."
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "The name contains characters that cannot be used.",
        ));
    }
    Ok(name)
}

async fn target(
    state: &AppState,
    admin: &CurrentUser,
    user_id: &PersonId,
) -> Result<UserRow, AppError> {
    queries::user_in_org(&state.db, &admin.org_id, user_id)
        .await?
        .ok_or(AppError::NotFound)
}

fn back_to(user_id: &PersonId, done: &str) {
    leptos_axum::redirect(&format!("/admin/users/{user_id}?done={done}"));
}

pub async fn list_users(q: Option<String>, page: Option<String>) -> Result<UsersPage, AppError> {
    let (admin, state) = admin().await?;
    let q = q.unwrap_or_default();
    if q.chars().count() > MAX_SEARCH_LENGTH {
        return Err(AppError::invalid(format!(
            "Search for at most {MAX_SEARCH_LENGTH} characters."
        )));
    }
    let page = crate::people::parse_page(page.as_deref());
    let found = queries::list_users(&state.db, &admin.org_id, q.trim(), page).await?;
    Ok(UsersPage {
        rows: found.rows,
        paging: found.paging,
    })
}

pub async fn user_details(user_id: PersonId) -> Result<UserRow, AppError> {
    let (admin, state) = admin().await?;
    target(&state, &admin, &user_id).await
}

/// An address has at most one account in each organisation. Other organisations' accounts
/// are never looked at: inviting an address used elsewhere works exactly as for a new one.
const ADDRESS_IN_USE: &str = "Someone in your organisation already has an account with that email address. Find them in the list of users and open their page instead.";

pub async fn invite_user(full_name: String, email: String, role: String) -> Result<(), AppError> {
    let (admin, state) = admin().await?;
    let full_name = check_full_name(&full_name)?;
    let email = normalise_email(&email)?;
    let role = parse_role(&role)?;
    if queries::email_taken(&state.db, &admin.org_id, &email).await? {
        return Err(AppError::invalid(ADDRESS_IN_USE));
    }
    let mut tx = crate::db::begin(&state.db).await?;
    let user_id = match queries::insert_user(&mut tx, &admin.org_id, &email, &full_name, None).await
    {
        Ok(id) => id,
        Err(e) if db::is_unique_violation(&e) => return Err(AppError::invalid(ADDRESS_IN_USE)),
        Err(e) => return Err(e.into()),
    };
    queries::add_role(&mut tx, &admin.org_id, &user_id, role).await?;
    send_invitation(&mut tx, &state, &admin, &user_id, &email, &full_name).await?;
    audit::record(
        &mut tx,
        &admin.org_id,
        Some(&admin.id),
        crate::audit::Action::UserInvited,
        Some(user_id.as_str()),
        role.as_str(),
    )
    .await?;
    tx.commit().await?;
    back_to(&user_id, "invited");
    Ok(())
}

pub(crate) async fn send_invitation(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    admin: &CurrentUser,
    user_id: &PersonId,
    email: &str,
    full_name: &str,
) -> Result<(), AppError> {
    let token = links::issue(
        conn,
        state.settings.secret_key.expose(),
        &admin.org_id,
        user_id,
        LinkPurpose::Invitation,
    )
    .await?;
    let link = format!("{}/set-password?token={token}", state.settings.base_url);
    let message = mail::templates::invitation(email, full_name, &admin.org_name, &link)?;
    mail::enqueue(
        conn,
        &state.settings.secret_key,
        Some(&admin.org_id),
        &message,
    )
    .await?;
    Ok(())
}

pub async fn resend_invitation(user_id: PersonId) -> Result<(), AppError> {
    let (admin, state) = admin().await?;
    let person = target(&state, &admin, &user_id).await?;
    if person.status != UserStatus::Invited {
        return Err(AppError::invalid(
            "This person has already chosen a password. They can use \"Forgotten your password?\" on the sign-in page.",
        ));
    }
    let mut tx = crate::db::begin(&state.db).await?;
    send_invitation(
        &mut tx,
        &state,
        &admin,
        &person.id,
        &person.email,
        &person.full_name,
    )
    .await?;
    audit::record(
        &mut tx,
        &admin.org_id,
        Some(&admin.id),
        crate::audit::Action::InvitationResent,
        Some(person.id.as_str()),
        "",
    )
    .await?;
    tx.commit().await?;
    back_to(&person.id, "resent");
    Ok(())
}

pub async fn grant_role(user_id: PersonId, role: String) -> Result<(), AppError> {
    let (admin, state) = admin().await?;
    let role = parse_role(&role)?;
    let person = target(&state, &admin, &user_id).await?;
    let mut tx = crate::db::begin(&state.db).await?;
    if queries::add_role(&mut tx, &admin.org_id, &person.id, role).await? {
        audit::record(
            &mut tx,
            &admin.org_id,
            Some(&admin.id),
            crate::audit::Action::RoleGranted,
            Some(person.id.as_str()),
            role.as_str(),
        )
        .await?;
    }
    tx.commit().await?;
    // A new role can bring a policy to sign: the gate checks again at once.
    state.signed_recently.forget(&person.id);
    back_to(&person.id, "role-granted");
    Ok(())
}

pub async fn revoke_role(user_id: PersonId, role: String) -> Result<(), AppError> {
    let (admin, state) = admin().await?;
    let role = parse_role(&role)?;
    let person = target(&state, &admin, &user_id).await?;
    if person.id == admin.id && role == Role::Admin {
        return Err(AppError::invalid(
            "You cannot take the administrator role from yourself. Ask another administrator.",
        ));
    }
    let mut tx = crate::db::begin(&state.db).await?;
    if queries::remove_role(&mut tx, &admin.org_id, &person.id, role).await? {
        audit::record(
            &mut tx,
            &admin.org_id,
            Some(&admin.id),
            crate::audit::Action::RoleRevoked,
            Some(person.id.as_str()),
            role.as_str(),
        )
        .await?;
    }
    tx.commit().await?;
    back_to(&person.id, "role-revoked");
    Ok(())
}

pub async fn set_active(user_id: PersonId, active: bool) -> Result<(), AppError> {
    let (admin, state) = admin().await?;
    let person = target(&state, &admin, &user_id).await?;
    if person.id == admin.id && !active {
        return Err(AppError::invalid("You cannot deactivate your own account."));
    }
    let mut tx = crate::db::begin(&state.db).await?;
    queries::set_deactivated(&mut tx, &admin.org_id, &person.id, !active).await?;
    if !active {
        crate::auth::queries::end_sessions_of(&mut tx, &person.id, None).await?;
    }
    let action = if active {
        crate::audit::Action::UserReactivated
    } else {
        crate::audit::Action::UserDeactivated
    };
    audit::record(
        &mut tx,
        &admin.org_id,
        Some(&admin.id),
        action,
        Some(person.id.as_str()),
        "",
    )
    .await?;
    tx.commit().await?;
    back_to(
        &person.id,
        if active { "reactivated" } else { "deactivated" },
    );
    Ok(())
}

/// A date of birth as typed: empty, or a real date between 1900 and today.
pub fn check_date_of_birth(text: &str) -> Result<Option<String>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| AppError::invalid("Enter the date of birth as a date, like 2009-05-14."))?;
    let today = chrono::Utc::now().date_naive();
    if date > today || chrono::Datelike::year(&date) < 1900 {
        return Err(AppError::invalid(
            "That date of birth is not possible: check the year.",
        ));
    }
    Ok(Some(date.format("%Y-%m-%d").to_string()))
}

pub async fn set_date_of_birth(user_id: PersonId, date_of_birth: String) -> Result<(), AppError> {
    let (admin, state) = admin().await?;
    let person = target(&state, &admin, &user_id).await?;
    let date = check_date_of_birth(&date_of_birth)?;
    let mut tx = crate::db::begin(&state.db).await?;
    queries::set_date_of_birth(&mut tx, &admin.org_id, &person.id, date.as_deref()).await?;
    audit::record(
        &mut tx,
        &admin.org_id,
        Some(&admin.id),
        crate::audit::Action::DateOfBirthSet,
        Some(person.id.as_str()),
        if date.is_some() {
            "recorded"
        } else {
            "cleared"
        },
    )
    .await?;
    tx.commit().await?;
    back_to(&person.id, "date-of-birth");
    Ok(())
}

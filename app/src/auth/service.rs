//! Signing in and out, changing and resetting passwords: the rules, on the server.

use super::links::{self, LinkPurpose};
use super::password::{self, Password};
use super::{guard, queries};
use crate::db::session_store::USER_ID_KEY;
use crate::error::AppError;
use crate::state::app_state;
use crate::{audit, mail};

/// The one message for an unknown email, a wrong password or a deactivated account.
pub const WRONG_CREDENTIALS: &str = "Email or password is wrong.";
const MAX_EMAIL_LENGTH: usize = 254;

/// Trim and lower-case an email, and check it looks like one.
pub fn normalise_email(email: &str) -> Result<String, AppError> {
    let email = email.trim().to_lowercase();
    let valid_shape = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    };
    if email.is_empty() {
        return Err(AppError::invalid("Enter your email address."));
    }
    if email.chars().count() > MAX_EMAIL_LENGTH
        || !valid_shape
        || email.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(AppError::invalid(
            "Enter an email address in the right format, like name@example.com.",
        ));
    }
    Ok(email)
}

/// Only paths on this site may follow sign-in, so a link cannot send people elsewhere.
pub fn safe_next(next: Option<String>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/home".to_string(),
    }
}

pub(crate) async fn client_address() -> String {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|_| "unknown".to_string())
}

pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let email = normalise_email(&email)?;
    if password.is_empty() {
        return Err(AppError::invalid("Enter your password."));
    }
    let state = app_state()?;
    let address = client_address().await;
    if queries::sign_in_throttled(&state.db, &email, &address).await? {
        return Err(AppError::RateLimited);
    }
    let account = queries::account_by_email(&state.db, &email).await?;
    let stored = account
        .as_ref()
        .filter(|a| a.deactivated_at.is_none())
        .and_then(|a| a.password_hash.clone());
    // Overlong input is verified against nothing, at the same cost, and fails.
    let usable = password.chars().count() <= password::MAX_LENGTH;
    let matches = password::verify(Password::new(password), stored.filter(|_| usable)).await?;
    let Some(account) = account.filter(|_| matches) else {
        queries::record_sign_in_failure(&state.db, &email, &address).await?;
        return Err(AppError::invalid(WRONG_CREDENTIALS));
    };
    let session = guard::session().await?;
    session.cycle_id().await?;
    session.insert(USER_ID_KEY, account.id.clone()).await?;
    queries::clear_sign_in_failures(&state.db, &email).await?;
    leptos_axum::redirect(&safe_next(next));
    Ok(())
}

pub async fn sign_out() -> Result<(), AppError> {
    let session = guard::session().await?;
    session.flush().await?;
    leptos_axum::redirect("/login?signed_out=1");
    Ok(())
}

pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    let user = guard::require(&[]).await?;
    let state = app_state()?;
    let account = queries::account_by_id(&state.db, &user.id)
        .await?
        .ok_or(AppError::NotSignedIn)?;
    if !password::verify(Password::new(current), account.password_hash).await? {
        return Err(AppError::invalid("Your current password is wrong."));
    }
    password::check_new_password(&new, &confirm, &user.email)?;
    let hash = password::hash(Password::new(new)).await?;
    let session = guard::session().await?;
    let this_session = session.id().map(|id| id.to_string());
    let mut tx = state.db.begin().await?;
    queries::set_password_hash(&mut tx, &user.id, &hash).await?;
    queries::end_sessions_of(&mut tx, &user.id, this_session.as_deref()).await?;
    audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        "password_changed",
        Some(&user.id),
        "",
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/account?changed=1");
    Ok(())
}

/// Reset emails allowed per account per hour, so nobody can flood someone's inbox.
const MAX_RESETS_PER_HOUR: i64 = 3;

pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let email = normalise_email(&email)?;
    let state = app_state()?;
    let account = queries::account_by_email(&state.db, &email).await?;
    // The answer is the same whether or not the account exists.
    if let Some(account) = account.filter(|a| a.deactivated_at.is_none()) {
        let since = crate::db::timestamp(chrono::Utc::now() - chrono::Duration::hours(1));
        let (recent,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM account_links WHERE user_id = $1 AND purpose = 'reset' AND created_at > $2",
        )
        .bind(&account.id)
        .bind(since)
        .fetch_one(&state.db)
        .await?;
        if recent < MAX_RESETS_PER_HOUR {
            let mut tx = state.db.begin().await?;
            let token = links::issue(
                &mut tx,
                state.settings.secret_key.expose(),
                &account.org_id,
                &account.id,
                LinkPurpose::Reset,
            )
            .await?;
            let link = format!("{}/set-password?token={token}", state.settings.base_url);
            let email = mail::templates::password_reset(&account.email, &account.full_name, &link)?;
            mail::enqueue(
                &mut tx,
                &state.settings.secret_key,
                Some(&account.org_id),
                &email,
            )
            .await?;
            tx.commit().await?;
        }
    }
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

/// What the set-password page shows for a link.
pub async fn link_details(token: String) -> Result<super::LinkDetails, AppError> {
    let state = app_state()?;
    let link = links::find_valid(&state.db, state.settings.secret_key.expose(), &token).await?;
    Ok(super::LinkDetails {
        email: link.email,
        invitation: link.purpose == LinkPurpose::Invitation,
    })
}

/// Set a password from an emailed link (reset or invitation), then sign the person in.
pub async fn set_password_with_link(
    token: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let link = links::find_valid(&state.db, state.settings.secret_key.expose(), &token).await?;
    password::check_new_password(&new, &confirm, &link.email)?;
    let hash = password::hash(Password::new(new)).await?;
    let account = queries::account_by_id(&state.db, &link.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    links::spend(&mut tx, &link).await?;
    queries::set_password_hash(&mut tx, &link.user_id, &hash).await?;
    queries::end_sessions_of(&mut tx, &link.user_id, None).await?;
    let action = match link.purpose {
        LinkPurpose::Reset => "password_reset",
        LinkPurpose::Invitation => "invitation_accepted",
    };
    audit::record(
        &mut tx,
        &account.org_id,
        Some(&account.id),
        action,
        Some(&account.id),
        "",
    )
    .await?;
    tx.commit().await?;
    let session = guard::session().await?;
    session.cycle_id().await?;
    session.insert(USER_ID_KEY, account.id).await?;
    leptos_axum::redirect("/home");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_bad_shapes_refused() {
        assert_eq!(
            normalise_email("  Sam@Example.TEST ").unwrap(),
            "sam@example.test"
        );
        for bad in [
            "",
            "sam",
            "sam@",
            "@x.test",
            "sam@localhost",
            "s am@x.test",
            "sam@x.test.",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(normalise_email(&format!("{}@x.test", "a".repeat(260))).is_err());
    }

    #[test]
    fn only_local_paths_may_follow_sign_in() {
        assert_eq!(safe_next(Some("/admin/users".into())), "/admin/users");
        assert_eq!(safe_next(Some("https://evil.test/".into())), "/home");
        assert_eq!(safe_next(Some("//evil.test/".into())), "/home");
        assert_eq!(safe_next(None), "/home");
    }
}

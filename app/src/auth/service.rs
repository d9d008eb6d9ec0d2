//! Signing out, changing and resetting passwords, and the checks every sign-in form shares
//! (email shape, where to go next, who is asking). Signing in itself is `sign_in.rs`.

use super::links::{self, LinkPurpose};
use super::password::{self, Password};
use super::{guard, queries};
use crate::client_address::ClientAddress;
use crate::error::AppError;
use crate::limits::{self, Limit};
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
/// Browsers drop tabs and line breaks from addresses (`/\t/evil.test` becomes
/// `//evil.test`), so they are removed before the check; any other control character
/// is refused.
pub fn safe_next(next: Option<String>) -> Result<String, AppError> {
    let Some(next) = next.filter(|n| !n.is_empty()) else {
        return Ok("/home".to_string());
    };
    let cleaned: String = next
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if cleaned.chars().any(char::is_control) {
        return Err(AppError::BadRequest(
            "the page to go to next contains control characters".into(),
        ));
    }
    let mut chars = cleaned.chars();
    let local = chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'));
    Ok(if local && !cleaned.contains('\\') {
        cleaned
    } else {
        "/home".to_string()
    })
}

/// The address of the person asking, as the server's middleware worked it out (see
/// `client_address`: behind a trusted proxy, from `X-Forwarded-For`).
pub(crate) async fn client_address() -> ClientAddress {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    if let Ok(axum::Extension(address)) =
        leptos_axum::extract::<axum::Extension<ClientAddress>>().await
    {
        return address;
    }
    let peer = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    ClientAddress(peer)
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
    let user = guard::signed_in().await?;
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
    let mut tx = crate::db::begin(&state.db).await?;
    queries::set_password_hash(&mut tx, &user.id, &hash).await?;
    queries::end_sessions_of(&mut tx, &user.id, this_session.as_deref()).await?;
    links::revoke_all(&mut tx, &user.id).await?;
    audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        crate::audit::Action::PasswordChanged,
        Some(user.id.as_str()),
        "",
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/account?changed=1");
    Ok(())
}

/// Reset emails per account per hour, so nobody can flood someone's inbox; and reset
/// requests per address per hour, so nobody can flood the outbox.
pub const RESETS_PER_ACCOUNT: Limit = Limit::new("reset:account", 3, 3600);
pub const RESET_REQUESTS_PER_ADDRESS: Limit = Limit::new("reset:address", 20, 3600);
/// Every reset request is answered after this long, whether or not the account exists,
/// so the time taken tells nothing.
const RESET_ANSWER_AFTER: std::time::Duration = std::time::Duration::from_millis(400);

pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let started = tokio::time::Instant::now();
    let email = normalise_email(&email)?;
    let state = app_state()?;
    let address = client_address().await.limit_subject();
    let mut conn = state.db.acquire().await?;
    if !limits::take(&mut conn, &RESET_REQUESTS_PER_ADDRESS, &address).await? {
        return Err(AppError::RateLimited);
    }
    drop(conn);
    let result = issue_reset(&state, &email).await;
    tokio::time::sleep_until(started + RESET_ANSWER_AFTER).await;
    result?;
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

/// The part of a reset request that depends on the account: a link and an email, within
/// the account's own limit. Says nothing either way.
async fn issue_reset(state: &crate::state::AppState, email: &str) -> Result<(), AppError> {
    let accounts = queries::accounts_by_email(&state.db, email).await?;
    // One email per organisation the address has an active account with.
    for account in accounts.iter().filter(|a| a.deactivated_at.is_none()) {
        issue_reset_for(state, account).await?;
    }
    Ok(())
}

async fn issue_reset_for(
    state: &crate::state::AppState,
    account: &queries::Account,
) -> Result<(), AppError> {
    let mut tx = crate::db::begin(&state.db).await?;
    if !limits::take(&mut tx, &RESETS_PER_ACCOUNT, account.id.as_str()).await? {
        return Ok(());
    }
    let token = links::issue(
        &mut tx,
        state.settings.secret_key.expose(),
        &account.org_id,
        &account.id,
        LinkPurpose::Reset,
    )
    .await?;
    let link = format!("{}/set-password?token={token}", state.settings.base_url);
    let email = mail::templates::password_reset(
        &account.email,
        &account.full_name,
        &account.org_name,
        &link,
    )?;
    mail::enqueue(
        &mut tx,
        &state.settings.secret_key,
        Some(&account.org_id),
        &email,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the set-password page shows for a link.
pub async fn link_details(token: String) -> Result<super::LinkDetails, AppError> {
    let state = app_state()?;
    let link = links::find_valid(&state.db, state.settings.secret_key.expose(), &token).await?;
    let organisation = queries::account_by_id(&state.db, &link.user_id)
        .await?
        .map(|a| a.org_name)
        .unwrap_or_default();
    Ok(super::LinkDetails {
        email: link.email,
        organisation,
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
    let mut tx = crate::db::begin(&state.db).await?;
    links::spend(&mut tx, &link).await?;
    links::revoke_all(&mut tx, &link.user_id).await?;
    queries::set_password_hash(&mut tx, &link.user_id, &hash).await?;
    queries::end_sessions_of(&mut tx, &link.user_id, None).await?;
    let action = match link.purpose {
        LinkPurpose::Reset => crate::audit::Action::PasswordReset,
        LinkPurpose::Invitation => crate::audit::Action::InvitationAccepted,
    };
    audit::record(
        &mut tx,
        &account.org_id,
        Some(&account.id),
        action,
        Some(account.id.as_str()),
        "",
    )
    .await?;
    tx.commit().await?;
    super::sign_in::start_session(&guard::session().await?, &account.id).await?;
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
        let next = |n: &str| safe_next(Some(n.to_string()));
        assert_eq!(next("/admin/users?q=a").unwrap(), "/admin/users?q=a");
        for away in [
            "https://evil.test/",
            "//evil.test/",
            "/\\evil.test",
            "\\/evil.test",
            "/\t/evil.test",
            "/\n/evil.test",
            "\t//evil.test",
            "/x\\y",
            "evil.test",
        ] {
            assert_eq!(next(away).unwrap(), "/home", "{away:?}");
        }
        assert_eq!(safe_next(None).unwrap(), "/home");
        assert_eq!(next("").unwrap(), "/home");
        for control in ["/home\u{0}", "/a\u{1b}b", "/\u{7f}"] {
            assert!(matches!(next(control), Err(AppError::BadRequest(_))));
        }
    }
}

//! Signing in and out, changing and resetting passwords: the rules, on the server.

use super::links::{self, LinkPurpose};
use super::password::{self, Password};
use super::{guard, queries};
use crate::client_address::ClientAddress;
use crate::db::session_store::USER_ID_KEY;
use crate::error::AppError;
use crate::ids::PersonId;
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

/// Sign-in attempts for one account from one address in 15 minutes: past this, that
/// pair waits. The owner signing in from anywhere else is not affected.
pub const SIGN_IN_ATTEMPTS_PER_PAIR: Limit = Limit::new("sign-in:pair", 10, 900);
/// Failed sign-ins from one address (any account) in 15 minutes, and for one account
/// (any address) in an hour, after which each attempt is slowed down, never refused:
/// a shared address or a guessed-at account must not lock out the right password.
pub const FAILURES_PER_ADDRESS: Limit = Limit::new("sign-in:failures-by-address", 50, 900);
pub const FAILURES_PER_ACCOUNT: Limit = Limit::new("sign-in:failures-by-account", 20, 3600);
const SLOW_DOWN: std::time::Duration = std::time::Duration::from_secs(2);
/// Past those counts, one attempt every 2 seconds per account and per address.
const PACE_PER_ACCOUNT: Limit = Limit::new("sign-in:pace-account", 1, 2);
const PACE_PER_ADDRESS: Limit = Limit::new("sign-in:pace-address", 1, 2);
/// How many seconds an attempt waits for its turn before being told to try later.
const PACE_WAIT_SECONDS: u32 = 10;

/// Wait (a second at a time) until `limit` lets `subject` go, or say the site is busy.
async fn wait_turn(db: &crate::db::Db, limit: &Limit, subject: &str) -> Result<(), AppError> {
    for _ in 0..PACE_WAIT_SECONDS {
        let mut conn = db.acquire().await?;
        if limits::take(&mut conn, limit, subject).await? {
            return Ok(());
        }
        drop(conn);
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    Err(AppError::Busy)
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
    let next = safe_next(next)?;
    let state = app_state()?;
    let address = client_address().await.limit_subject();
    let pair = format!("{email}|{address}");
    // Counted before the check, atomically: a burst of parallel guesses gets no more.
    let mut conn = state.db.acquire().await?;
    if !limits::take(&mut conn, &SIGN_IN_ATTEMPTS_PER_PAIR, &pair).await? {
        return Err(AppError::RateLimited);
    }
    drop(conn);
    let address_over = limits::is_over(&state.db, &FAILURES_PER_ADDRESS, &address).await?;
    let account_over = limits::is_over(&state.db, &FAILURES_PER_ACCOUNT, &email).await?;
    if address_over || account_over {
        tokio::time::sleep(SLOW_DOWN).await;
        // One attempt at a time: parallel requests wait their turn instead of guessing
        // side by side.
        if account_over {
            wait_turn(&state.db, &PACE_PER_ACCOUNT, &email).await?;
        }
        if address_over {
            wait_turn(&state.db, &PACE_PER_ADDRESS, &address).await?;
        }
    }
    let accounts = queries::accounts_by_email(&state.db, &email).await?;
    let matched = accounts_opened_by(accounts, password).await?;
    if matched.is_empty() {
        limits::record(&state.db, &FAILURES_PER_ADDRESS, &address).await?;
        limits::record(&state.db, &FAILURES_PER_ACCOUNT, &email).await?;
        return Err(AppError::invalid(WRONG_CREDENTIALS));
    }
    limits::clear(&state.db, &SIGN_IN_ATTEMPTS_PER_PAIR, &pair).await?;
    let session = guard::session().await?;
    if let [account] = matched.as_slice() {
        start_session(&session, &account.id).await?;
        leptos_axum::redirect(&next);
        return Ok(());
    }
    // One address and password open accounts with several organisations: the person
    // says which one, on the next page, within a few minutes.
    let choice = SignInChoice {
        account_ids: matched.into_iter().map(|a| a.id).collect(),
        next,
        until: chrono::Utc::now().timestamp() + CHOICE_SECONDS,
    };
    session.cycle_id().await?;
    session.remove_value(USER_ID_KEY).await?;
    session.insert(CHOICE_KEY, choice).await?;
    leptos_axum::redirect("/login/organisation");
    Ok(())
}

/// The active accounts among `accounts` that `password` opens. An unknown address, or one
/// with no usable account, costs one check against nothing, like a wrong password.
async fn accounts_opened_by(
    accounts: Vec<queries::Account>,
    password: String,
) -> Result<Vec<queries::Account>, AppError> {
    // Overlong input is verified against nothing, at the same cost, and fails.
    let usable = password.chars().count() <= password::MAX_LENGTH;
    let candidates: Vec<_> = accounts
        .into_iter()
        .filter(|a| usable && a.deactivated_at.is_none() && a.password_hash.is_some())
        .collect();
    if candidates.is_empty() {
        password::verify(Password::new(password), None).await?;
        return Ok(Vec::new());
    }
    let mut opened = Vec::new();
    for account in candidates {
        let stored = account.password_hash.clone();
        if password::verify(Password::new(password.clone()), stored).await? {
            opened.push(account);
        }
    }
    Ok(opened)
}

async fn start_session(
    session: &tower_sessions::Session,
    user_id: &PersonId,
) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.remove_value(CHOICE_KEY).await?;
    session.insert(USER_ID_KEY, user_id).await?;
    Ok(())
}

/// Where a sign-in that opened several accounts waits for the person to choose one.
const CHOICE_KEY: &str = "sign_in_choice";
const CHOICE_SECONDS: i64 = 300;

#[derive(serde::Serialize, serde::Deserialize)]
struct SignInChoice {
    account_ids: Vec<PersonId>,
    next: String,
    until: i64,
}

async fn pending_choice(session: &tower_sessions::Session) -> Result<SignInChoice, AppError> {
    let choice: Option<SignInChoice> = session.get(CHOICE_KEY).await?;
    choice
        .filter(|c| c.until >= chrono::Utc::now().timestamp())
        .ok_or_else(|| {
            AppError::invalid(
                "That sign-in has expired. Sign in again with your email and password.",
            )
        })
}

/// The organisations a pending sign-in may continue into.
pub async fn sign_in_choices() -> Result<Vec<super::OrganisationChoice>, AppError> {
    let state = app_state()?;
    let choice = pending_choice(&guard::session().await?).await?;
    let mut choices = Vec::new();
    for id in &choice.account_ids {
        if let Some(account) = queries::account_by_id(&state.db, id).await? {
            choices.push(super::OrganisationChoice {
                account_id: account.id,
                organisation: account.org_name,
            });
        }
    }
    Ok(choices)
}

/// Finish a sign-in with the account the person chose; only one the password opened.
pub async fn choose_organisation(account_id: PersonId) -> Result<(), AppError> {
    let state = app_state()?;
    let session = guard::session().await?;
    let choice = pending_choice(&session).await?;
    if !choice.account_ids.contains(&account_id) {
        return Err(AppError::invalid("Choose one of the organisations listed."));
    }
    // Deactivated while the person was choosing: the same answer as a wrong password.
    let active = queries::account_by_id(&state.db, &account_id)
        .await?
        .is_some_and(|a| a.deactivated_at.is_none());
    if !active {
        session.remove_value(CHOICE_KEY).await?;
        return Err(AppError::invalid(WRONG_CREDENTIALS));
    }
    start_session(&session, &account_id).await?;
    leptos_axum::redirect(&choice.next);
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
    start_session(&guard::session().await?, &account.id).await?;
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

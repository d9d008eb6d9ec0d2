//! Signing in: the limits that keep guessing slow without locking out the right
//! password, checking the password against the address's accounts, and, when it opens
//! accounts with several organisations, the choice of which one.

use super::password::{self, Password};
use super::service::{client_address, normalise_email, safe_next, WRONG_CREDENTIALS};
use super::{guard, queries};
use crate::db::session_store::USER_ID_KEY;
use crate::error::AppError;
use crate::ids::PersonId;
use crate::limits::{self, Limit};
use crate::state::app_state;

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

pub(super) async fn start_session(
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

//! The one check every server function, protected page and plain handler makes first:
//! who is asking, in which organisation, and may they do this (see `access`). It
//! returns an error, never a redirect.

use super::access::Capability;
use super::queries;
use super::types::CurrentUser;
use crate::db::session_store::{PERSON_KEY, USER_ID_KEY};
use crate::error::AppError;
use crate::ids::{OrganisationId, PersonId};
use crate::policies::gate_queries::StampedPerson;
use crate::state::{app_state, AppState};
use tower_sessions::Session;

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| AppError::internal(format!("session layer missing: {e}")))
}

/// The person the policy gate found behind this request's session, handed to the page
/// and its server functions in the request's extensions, so no part of the page looks
/// them up again (the header and the page each ask); with their organisation's settings
/// version, read in the same query (see `db::versioned`).
#[derive(Clone)]
pub struct SeenByGate {
    pub user: CurrentUser,
    pub settings_version: i64,
}

/// The signed-in, active person, if any.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    if let Some(seen) = seen_by_gate() {
        return Ok(Some(seen.user));
    }
    let session = session().await?;
    user_of_session(&app_state()?, &session).await
}

fn seen_by_gate() -> Option<SeenByGate> {
    // `with_context`, not `use_context`: the latter would copy every header.
    leptos::prelude::with_context::<http::request::Parts, _>(|parts| {
        parts.extensions.get::<SeenByGate>().cloned()
    })
    .flatten()
}

/// `org_id`'s settings version (see `db::versioned`): as the gate read it for this
/// request when it is the asker's organisation, else from the database.
pub async fn settings_version(state: &AppState, org_id: &OrganisationId) -> Result<i64, AppError> {
    match seen_by_gate() {
        Some(seen) if seen.user.org_id == *org_id => Ok(seen.settings_version),
        _ => Ok(crate::db::versioned::settings_version(&state.db, org_id).await?),
    }
}

/// The signed-in, active person behind a session: the same for a server function and a
/// plain axum handler (which gets the session and state as extractors).
pub async fn user_of_session(
    state: &AppState,
    session: &Session,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(user_id) = session.get::<PersonId>(USER_ID_KEY).await? else {
        return Ok(None);
    };
    // Read with the session at the start of this request, when it is the same person.
    let read_with_session = session.get::<StampedPerson>(PERSON_KEY).await?;
    if let Some(person) = read_with_session.filter(|p| p.user.id == user_id) {
        return Ok(Some(person.user));
    }
    Ok(queries::current_user(&state.db, &user_id).await?)
}

/// Signed in (in a plain handler) and allowed to do `capability`.
pub async fn allowed_in(
    state: &AppState,
    session: &Session,
    capability: Capability,
) -> Result<CurrentUser, AppError> {
    let user = user_of_session(state, session)
        .await?
        .ok_or(AppError::NotSignedIn)?;
    allow(user, capability)
}

/// Signed in and allowed to do `capability`.
pub async fn allowed(capability: Capability) -> Result<CurrentUser, AppError> {
    let user = current_user().await?.ok_or(AppError::NotSignedIn)?;
    allow(user, capability)
}

fn allow(user: CurrentUser, capability: Capability) -> Result<CurrentUser, AppError> {
    if user.can(capability) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Signed in, whatever the roles.
pub async fn signed_in() -> Result<CurrentUser, AppError> {
    current_user().await?.ok_or(AppError::NotSignedIn)
}

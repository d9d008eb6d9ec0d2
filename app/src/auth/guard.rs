//! The one check every server function and protected page makes first: who is asking,
//! in which organisation, holding which roles. It returns an error, never a redirect.

use super::queries;
use super::types::{CurrentUser, Role};
use crate::db::session_store::USER_ID_KEY;
use crate::error::AppError;
use crate::state::app_state;
use tower_sessions::Session;

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| AppError::internal(format!("session layer missing: {e}")))
}

/// The signed-in, active person, if any.
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    let session = session().await?;
    let Some(user_id) = session.get::<String>(USER_ID_KEY).await? else {
        return Ok(None);
    };
    let state = app_state()?;
    Ok(queries::current_user(&state.db, &user_id).await?)
}

/// Signed in, and holding at least one of `roles` (any role when `roles` is empty).
pub async fn require(roles: &[Role]) -> Result<CurrentUser, AppError> {
    let user = current_user().await?.ok_or(AppError::NotSignedIn)?;
    if roles.is_empty() || roles.iter().any(|r| user.has(*r)) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

//! What signing, publishing, the report and the parents' part all load: the published
//! versions of a policy (version 1 made from our default text the first time), and the
//! browser a signature or acknowledgement is made with.

use super::queries::{self, VersionRow};
use super::rules::current;
use super::types::PolicyKind;
use crate::error::AppError;
use crate::ids::OrganisationId;
use crate::state::AppState;

/// The organisation's published versions, creating version 1 from our default text the
/// first time anyone needs it.
pub async fn versions(
    state: &AppState,
    org_id: &OrganisationId,
    kind: PolicyKind,
) -> Result<Vec<VersionRow>, AppError> {
    let found = queries::published(&state.db, org_id, kind).await?;
    if !found.is_empty() {
        return Ok(found);
    }
    let default = match kind {
        PolicyKind::Learner => &state.content.learner_aup,
        PolicyKind::Staff => &state.content.staff_aup,
    };
    queries::ensure_first_version(&state.db, org_id, kind, &default.title, &default.body).await?;
    Ok(queries::published(&state.db, org_id, kind).await?)
}

/// A policy's published versions and the current one, for an organisation.
pub async fn policy(
    state: &AppState,
    org_id: &OrganisationId,
    kind: PolicyKind,
) -> Result<(Vec<VersionRow>, VersionRow), AppError> {
    let versions = versions(state, org_id, kind).await?;
    let current = current(&versions).cloned().ok_or(AppError::NotFound)?;
    Ok((versions, current))
}

/// The browser of the request being served, as recorded with a signature (at most 400
/// characters: it is the sender's text).
pub async fn user_agent() -> String {
    let agent = leptos::prelude::with_context::<http::request::Parts, _>(|p| {
        p.headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    })
    .flatten()
    .unwrap_or_else(|| "unknown".to_string());
    agent.chars().take(400).collect()
}

//! The parent's or carer's side: the public page an emailed link opens, and their
//! acknowledgement, which spends the link.

use super::common::{policy, user_agent};
use super::parent_queries::{self as store, AcknowledgementRow};
use super::parent_status::age_today;
use super::parents::{first_name, last_day_of, tidy, token_hash, LINK_DAYS};
use super::queries;
use super::rules::{covering, text_hash};
use super::types::*;
use crate::content::markdown;
use crate::db::{self, display_day as day};
use crate::error::AppError;
use crate::state::{app_state, AppState};

/// The link behind a token, or why it cannot be used, in words for the parent.
async fn usable_link(state: &AppState, token: &str) -> Result<store::LinkRow, AppError> {
    let token = token.trim();
    let invalid = || {
        AppError::invalid(
            "This link is not valid. Check that you copied the whole link from the email.",
        )
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid());
    }
    let link = store::link_by_token_hash(
        &state.db,
        &token_hash(state.settings.secret_key.expose(), token),
    )
    .await?
    .ok_or_else(invalid)?;
    let org = crate::admin::queries::organisation_name(&state.db, &link.org_id).await?;
    if let Some(used) = &link.used_at {
        return Err(AppError::invalid(format!(
            "This link has already been used, on {}. Each link works once, so your acknowledgement is already recorded. If you need to do it again, ask {org} for a new link.",
            day(used)
        )));
    }
    if link.expires_at <= db::now() {
        return Err(AppError::invalid(format!(
            "This link expired at the end of {}. Links work for {LINK_DAYS} days. Please ask {org} for a new one.",
            last_day_of(&link.expires_at)
        )));
    }
    still_wanted(state, &link, &org).await?;
    Ok(link)
}

/// A link stays useful only while its version is the one that counts, and the learner is
/// still a learner under 18.
async fn still_wanted(state: &AppState, link: &store::LinkRow, org: &str) -> Result<(), AppError> {
    let learner = store::learner(&state.db, &link.org_id, &link.learner_id).await?;
    let under_18 = learner
        .as_ref()
        .and_then(age_today)
        .is_some_and(|age| age < 18);
    if !under_18 {
        return Err(AppError::invalid(format!(
            "This link is no longer needed, so nothing more is asked of you. If you have questions, please contact {org}."
        )));
    }
    let (versions, current) = policy(state, &link.org_id, PolicyKind::Learner).await?;
    if !covering(&versions, &current).any(|v| v.id == link.version_id) {
        return Err(AppError::invalid(format!(
            "The policy has been updated since this link was sent. Please ask {org} for a new link, so that you read the current version."
        )));
    }
    Ok(())
}

pub async fn request(token: String) -> Result<ParentRequest, AppError> {
    let state = app_state()?;
    let link = usable_link(&state, &token).await?;
    let version = queries::version(&state.db, &link.version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (learner_name, org_name) =
        crate::auth::queries::name_and_organisation(&state.db, &link.learner_id).await?;
    Ok(ParentRequest {
        learner_first_name: first_name(&learner_name),
        org_name,
        title: version.title,
        version: u32::try_from(version.number).unwrap_or(0),
        html: markdown::render(&version.body).html,
    })
}

pub async fn acknowledge(
    token: String,
    parent_name: String,
    relationship: String,
    agree: Option<String>,
) -> Result<(), AppError> {
    let state = app_state()?;
    let link = usable_link(&state, &token).await?;
    let parent_name = tidy(&parent_name, "your full name")?;
    let relationship = tidy(&relationship, "your relationship to the learner")?;
    if agree.as_deref() != Some("on") {
        return Err(AppError::invalid(
            "Tick \"I have read this policy\" to confirm.",
        ));
    }
    let version = queries::version(&state.db, &link.version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = db::now();
    let acknowledgement = AcknowledgementRow {
        id: db::new_id(),
        org_id: link.org_id.clone(),
        learner_id: link.learner_id.clone(),
        version_id: version.id.clone(),
        text_sha256: text_hash(&version.body),
        parent_name,
        relationship,
        method: "email".to_string(),
        acknowledged_on: crate::calendar::day_key(crate::calendar::today()),
        recorded_at: now.clone(),
        recorded_by: None,
        scanned: None,
        link_id: Some(link.id.clone()),
        address: Some(crate::auth::service::client_address().await.to_string()),
        user_agent: Some(user_agent().await),
        recorded_by_name: None,
    };
    let mut tx = crate::db::begin(&state.db).await?;
    if !store::spend_link(&mut tx, &link.id, &now).await? {
        // Someone used it a moment ago: say so in the same words as a replay.
        drop(tx);
        return usable_link(&state, &token).await.map(|_| ());
    }
    store::insert_acknowledgement(&mut tx, &acknowledgement).await?;
    crate::audit::record(
        &mut tx,
        &link.org_id,
        None,
        crate::audit::Action::ParentAcknowledged,
        Some(link.learner_id.as_str()),
        &format!("version {} by email", version.number),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/parent/thanks");
    Ok(())
}

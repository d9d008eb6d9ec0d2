//! Signing: what the gate asks, the policy to sign, signing it, my policies, and who may
//! see a signed copy. The rules themselves are pure functions in `rules`.

use super::common::{user_agent, versions};
use super::gate_queries::{self, StampedPerson};
use super::parent_status;
use super::queries::{self, SignatureRow, VersionRow};
use super::rules::{
    current, kinds_for, needs_signing, number, same_name, standing, text_hash, Standing,
};
use super::types::*;
use crate::auth::{guard, Capability, CurrentUser};
use crate::content::markdown;
use crate::db;
use crate::db::display_day as day;
use crate::error::AppError;
use crate::ids::{PersonId, PolicyVersionId, SignatureId};
use crate::state::{app_state, AppState};
use chrono::Utc;

/// What the gate found behind a session: the signed-in, active person, their
/// organisation's settings version (see `db::versioned`), and the policy they still have
/// to sign, if any.
pub struct GateAnswer {
    pub user: CurrentUser,
    pub settings_version: i64,
    pub to_sign: Option<PolicyKind>,
}

/// For the gate, before every page: what it finds behind `user_id`. One query for
/// someone found clear a moment ago (see `policies::gate`), none when the session's load
/// already read them (`read_with_session`, see `db::session_store`); the person is
/// handed on so the page need not look again.
pub async fn gate(
    state: &AppState,
    user_id: &PersonId,
    read_with_session: Option<StampedPerson>,
) -> Result<Option<GateAnswer>, AppError> {
    // The stamp is read before the check, so a version published in between is seen next time.
    let found = match read_with_session.filter(|p| p.user.id == *user_id) {
        Some(person) => Some(person),
        None => gate_queries::person_and_stamp(&state.db, user_id).await?,
    };
    let Some(StampedPerson {
        user,
        stamp,
        settings_version,
    }) = found
    else {
        return Ok(None);
    };
    let cleared = state.signed_recently.clear_under(user_id);
    let to_sign = if cleared == Some((user.org_id.clone(), stamp.clone())) {
        None
    } else {
        let pending = pending(state, &user).await?;
        if pending.is_none() {
            state
                .signed_recently
                .remember_clear(user_id, &user.org_id, stamp);
        }
        pending
    };
    Ok(Some(GateAnswer {
        user,
        settings_version,
        to_sign,
    }))
}

/// The policy `user_id` still has to sign, if any (the gate's answer, for handlers of
/// their own).
pub async fn pending_for_gate(
    state: &AppState,
    user_id: &PersonId,
) -> Result<Option<PolicyKind>, AppError> {
    Ok(gate(state, user_id, None)
        .await?
        .and_then(|answer| answer.to_sign))
}

/// The first policy `user` still has to sign, if any: where the gate sends them.
pub async fn pending(state: &AppState, user: &CurrentUser) -> Result<Option<PolicyKind>, AppError> {
    let signed = queries::signatures_of(&state.db, &user.id).await?;
    let every_months = queries::resign_every_months(&state.db, &user.org_id).await?;
    for kind in kinds_for(user) {
        let versions = versions(state, &user.org_id, kind).await?;
        if let Some(current) = current(&versions) {
            if needs_signing(&versions, current, &signed, every_months) {
                return Ok(Some(kind));
            }
        }
    }
    Ok(None)
}

async fn user_and_kind(kind: &str) -> Result<(CurrentUser, AppState, PolicyKind), AppError> {
    let user = guard::signed_in().await?;
    let state = app_state()?;
    let kind = PolicyKind::parse(kind)
        .filter(|k| kinds_for(&user).contains(k))
        .ok_or(AppError::NotFound)?;
    Ok((user, state, kind))
}

pub async fn to_sign(kind: String) -> Result<PolicyToSign, AppError> {
    let (user, state, kind) = user_and_kind(&kind).await?;
    let versions = versions(&state, &user.org_id, kind).await?;
    let current = current(&versions).ok_or(AppError::NotFound)?;
    let signed = queries::signatures_of(&state.db, &user.id).await?;
    let every_months = queries::resign_every_months(&state.db, &user.org_id).await?;
    let standing = standing(&versions, current, &signed, every_months, Utc::now());
    // "What changed" is shown only to someone whose signature is of a version before the
    // last one everyone had to sign again (not to someone due on the schedule).
    let signed_before = versions
        .iter()
        .filter(|v| v.id != current.id && signed.iter().any(|s| s.version_id == v.id))
        .max_by_key(|v| v.number)
        .filter(|_| standing == Standing::Older);
    let already_signed = standing == Standing::Signed;
    let changes = match signed_before {
        Some(before) => super::versions::changes(&before.body, &current.body),
        None => Vec::new(),
    };
    Ok(PolicyToSign {
        version_id: current.id.clone(),
        kind,
        title: current.title.clone(),
        number: number(current),
        effective_from: current.effective_from.clone(),
        html: markdown::render(&current.body).html,
        what_changed: current.what_changed.clone(),
        signed_before: signed_before.map(number),
        already_signed,
        due_again_every: every_months.filter(|_| standing == Standing::Due),
        changes,
    })
}

pub async fn sign(
    version_id: PolicyVersionId,
    agree: Option<String>,
    full_name: String,
) -> Result<(), AppError> {
    let user = guard::signed_in().await?;
    let state = app_state()?;
    let version = queries::version(&state.db, &version_id.trimmed())
        .await?
        .filter(|v| v.org_id == user.org_id && v.published_at.is_some())
        .ok_or(AppError::NotFound)?;
    let kind = PolicyKind::parse(&version.kind)
        .filter(|k| kinds_for(&user).contains(k))
        .ok_or(AppError::NotFound)?;
    let versions = versions(&state, &user.org_id, kind).await?;
    let current = current(&versions).ok_or(AppError::NotFound)?;
    if current.id != version.id {
        return Err(AppError::invalid(format!(
            "This is not the current version of the policy: version {} is. Please read and sign the current version.",
            current.number
        )));
    }
    if agree.as_deref() != Some("on") {
        return Err(AppError::invalid(
            "Tick \"I have read and agree to this policy\" to sign it.",
        ));
    }
    if !same_name(&full_name, &user.full_name) {
        return Err(AppError::invalid(format!(
            "The name you typed does not match the name on your account, {}. Type your full name to sign.",
            user.full_name
        )));
    }
    let signed = queries::signatures_of(&state.db, &user.id).await?;
    let every_months = queries::resign_every_months(&state.db, &user.org_id).await?;
    if needs_signing(&versions, current, &signed, every_months) {
        record_signature(&state, &user, &version, &signed, &full_name).await?;
    }
    let next = match pending(&state, &user).await? {
        Some(kind) => format!("/policies/sign/{}", kind.as_str()),
        None => "/policies?signed=1".to_string(),
    };
    leptos_axum::redirect(&next);
    Ok(())
}

/// A new signature of `version`: round 0 the first time, one more each time it is signed
/// again on the organisation's schedule.
async fn record_signature(
    state: &AppState,
    user: &CurrentUser,
    version: &VersionRow,
    signed: &[SignatureRow],
    full_name: &str,
) -> Result<(), AppError> {
    let round = signed.iter().filter(|s| s.version_id == version.id).count();
    let signature = SignatureRow {
        id: SignatureId::generate(),
        org_id: user.org_id.clone(),
        user_id: user.id.clone(),
        version_id: version.id.clone(),
        round: i64::try_from(round).unwrap_or(i64::MAX),
        text_sha256: text_hash(&version.body),
        typed_name: full_name.split_whitespace().collect::<Vec<_>>().join(" "),
        signed_at: db::now(),
        address: crate::auth::service::client_address().await.to_string(),
        user_agent: user_agent().await,
    };
    queries::insert_signature(&state.db, &signature).await?;
    Ok(())
}

pub async fn mine() -> Result<Vec<MyPolicy>, AppError> {
    let user = guard::signed_in().await?;
    let state = app_state()?;
    let signed = queries::signatures_of(&state.db, &user.id).await?;
    let every_months = queries::resign_every_months(&state.db, &user.org_id).await?;
    let mut out = Vec::new();
    for kind in kinds_for(&user) {
        let versions = versions(&state, &user.org_id, kind).await?;
        let Some(current) = current(&versions) else {
            continue;
        };
        let parent = match kind {
            PolicyKind::Learner => {
                parent_status::status_of_learner(&state, &user, &versions, current).await?
            }
            PolicyKind::Staff => None,
        };
        out.push(MyPolicy {
            parent,
            kind,
            title: current.title.clone(),
            current_number: number(current),
            needs_signing: needs_signing(&versions, current, &signed, every_months),
            signatures: signed
                .iter()
                .filter_map(|s| {
                    let v = versions.iter().find(|v| v.id == s.version_id)?;
                    Some((s.id.clone(), number(v), day(&s.signed_at)))
                })
                .collect(),
        });
    }
    Ok(out)
}

pub async fn signed_copy(signature_id: SignatureId) -> Result<SignedCopy, AppError> {
    let user = guard::signed_in().await?;
    let state = app_state()?;
    let s = queries::signature(&state.db, &signature_id.trimmed())
        .await?
        .ok_or(AppError::NotFound)?;
    let keeps_files = user.can(Capability::OpenSignedCopies);
    if s.user_id != user.id
        && !(s.org_id == user.org_id
            && keeps_files
            && crate::cohorts::access::sees(&state.db, &user, &s.user_id).await?)
    {
        return Err(AppError::NotFound);
    }
    let version = queries::version(&state.db, &s.version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (account_name, org_name) =
        crate::auth::queries::name_and_organisation(&state.db, &s.user_id).await?;
    let signed_at = db::parse_timestamp(&s.signed_at)
        .map(|t| t.format("%-d %B %Y at %H:%M:%S UTC").to_string())
        .unwrap_or_default();
    Ok(SignedCopy {
        check_url: format!("{}/policies/check/{}", state.settings.base_url, s.id),
        signature_id: s.id,
        title: version.title,
        number: u32::try_from(version.number).unwrap_or(0),
        html: markdown::render(&version.body).html,
        org_name,
        account_name,
        typed_name: s.typed_name,
        signed_at,
        address: s.address,
        user_agent: s.user_agent,
        text_sha256: s.text_sha256,
    })
}

pub async fn check(signature_id: SignatureId) -> Result<SignatureCheck, AppError> {
    let state = app_state()?;
    let s = queries::signature(&state.db, &signature_id.trimmed())
        .await?
        .ok_or(AppError::NotFound)?;
    let version = queries::version(&state.db, &s.version_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (account_name, _) =
        crate::auth::queries::name_and_organisation(&state.db, &s.user_id).await?;
    Ok(SignatureCheck {
        title: version.title.clone(),
        number: u32::try_from(version.number).unwrap_or(0),
        signed_on: day(&s.signed_at),
        signer: crate::learning::certificates::first_name_and_initial(&account_name),
        text_matches: text_hash(&version.body) == s.text_sha256,
        text_sha256: s.text_sha256,
    })
}

//! Learners under 18: a parent or carer acknowledges the learner policy too. A tutor (or
//! the DSL, or an administrator) emails them a link that works once, for 14 days, to a
//! public page showing the exact version; or records a form the parent signed on paper.
//!
//! The learner's own signature is what opens the app to them: a missing parent
//! acknowledgement is followed up by staff, it never locks the learner out.

use super::common::policy;
use super::parent_queries::{self as store, AcknowledgementRow, LearnerRow, NewLink};
use super::parent_status::{age_on, age_today, long_date, status_for, summary, today};
use super::rules::text_hash;
use super::types::*;
use crate::auth::{guard, Capability, CurrentUser};
use crate::db::{self, display_day as day};
use crate::error::AppError;
use crate::ids::PersonId;
use crate::mail::{self, templates};
use crate::state::{app_state, keyed_hash, AppState};
use chrono::{Datelike, Duration, NaiveDate};

/// Parent links work to the end of this many days.
pub(crate) const LINK_DAYS: i64 = 14;
/// Links per learner per day: enough for two parents and a typo or two.
const PARENT_LINKS_PER_LEARNER: crate::limits::Limit =
    crate::limits::Limit::new("parent-links:learner", 5, 86_400);
const MAX_TEXT: usize = 120;

/// The last day a link works: the day before its expiry time (midnight).
pub(crate) fn last_day_of(expires_at: &str) -> String {
    db::parse_timestamp(expires_at)
        .map(|t| (t - Duration::seconds(1)).format("%-d %B %Y").to_string())
        .unwrap_or_default()
}

async fn staff_and_learner(
    learner_id: &PersonId,
) -> Result<(CurrentUser, AppState, LearnerRow), AppError> {
    let user = guard::allowed(Capability::FollowUpParents).await?;
    let state = app_state()?;
    let learner = store::learner(&state.db, &user.org_id, &learner_id.trimmed())
        .await?
        .ok_or(AppError::NotFound)?;
    // A tutor follows up only the learners of the cohorts they teach.
    if !crate::cohorts::access::sees(&state.db, &user, &learner.id).await? {
        return Err(AppError::NotFound);
    }
    Ok((user, state, learner))
}

pub async fn case(learner_id: PersonId) -> Result<ParentCase, AppError> {
    let (user, state, learner) = staff_and_learner(&learner_id).await?;
    let (versions, current) = policy(&state, &user.org_id, PolicyKind::Learner).await?;
    let theirs = store::acknowledgements(&state.db, &user.org_id, Some(&learner.id)).await?;
    let today = today();
    let now = db::now();
    let links = store::links_of(&state.db, &user.org_id, &learner.id)
        .await?
        .into_iter()
        .map(|l| ParentLinkSummary {
            state: match &l.used_at {
                Some(used) => format!("Used on {}", day(used)),
                None if l.expires_at <= now => {
                    format!("Expired at the end of {}", last_day_of(&l.expires_at))
                }
                None => format!(
                    "Not used yet; works until the end of {}",
                    last_day_of(&l.expires_at)
                ),
            },
            email: l.email,
            sent_on: day(&l.created_at),
        })
        .collect();
    Ok(ParentCase {
        status: status_for(
            learner.date_of_birth.as_deref(),
            &versions,
            &current,
            &theirs,
            today,
        ),
        acknowledgements: theirs.iter().map(|a| summary(a, &versions)).collect(),
        links,
        age: learner
            .date_of_birth
            .as_deref()
            .and_then(|d| age_on(d, today)),
        date_of_birth: learner.date_of_birth.as_deref().map(long_date),
        learner_id: learner.id,
        learner_name: learner.full_name,
        policy_title: current.title.clone(),
        version: u32::try_from(current.number).unwrap_or(0),
    })
}

/// Only for a learner known to be under 18.
fn check_under_18(learner: &LearnerRow) -> Result<(), AppError> {
    match age_today(learner) {
        None => Err(AppError::invalid(format!(
            "{}'s date of birth is not recorded, so we cannot tell whether they are under 18. An administrator can add it on their page under Users.",
            learner.full_name
        ))),
        Some(age) if age >= 18 => Err(AppError::invalid(format!(
            "{} is 18 or over: a parent's or carer's acknowledgement is not needed.",
            learner.full_name
        ))),
        Some(_) => Ok(()),
    }
}

pub(crate) fn token_hash(secret: &[u8], token: &str) -> String {
    keyed_hash(secret, &[b"parent-link:", token.as_bytes()])
}

pub(crate) fn first_name(full_name: &str) -> String {
    full_name
        .split_whitespace()
        .next()
        .unwrap_or(full_name)
        .to_string()
}

pub async fn email_parent(learner_id: PersonId, email: String) -> Result<(), AppError> {
    let (user, state, learner) = staff_and_learner(&learner_id).await?;
    check_under_18(&learner)?;
    let email = crate::auth::service::normalise_email(&email).map_err(|_| {
        AppError::invalid("Enter the parent's or carer's email address, like name@example.com.")
    })?;
    if learner.email == email {
        return Err(AppError::invalid(format!(
            "That is {}'s own email address. Enter their parent's or carer's.",
            learner.full_name
        )));
    }
    let (_, current) = policy(&state, &user.org_id, PolicyKind::Learner).await?;
    let token = crate::auth::links::new_token();
    // Works to the end of the 14th day (UTC midnight, which is at or after midnight in
    // the UK), so "until 9 December" is true all of that day.
    let last_day = today() + Duration::days(LINK_DAYS);
    let expires = (last_day + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .ok_or_else(|| AppError::internal("link expiry out of range"))?;
    let mut tx = crate::db::begin(&state.db).await?;
    // Counted in the same transaction as the link: parallel sends cannot pass the limit.
    if !crate::limits::take(&mut tx, &PARENT_LINKS_PER_LEARNER, learner.id.as_str()).await? {
        return Err(AppError::invalid(format!(
            "{} links have been sent for {} today. Please try again tomorrow, or record a paper form instead.",
            PARENT_LINKS_PER_LEARNER.max, learner.full_name
        )));
    }
    store::insert_link(
        &mut tx,
        &NewLink {
            org_id: &user.org_id,
            learner_id: &learner.id,
            version_id: &current.id,
            email: &email,
            token_hash: &token_hash(state.settings.secret_key.expose(), &token),
            created_by: &user.id,
            expires_at: &db::timestamp(expires),
        },
    )
    .await?;
    let message = templates::parent_request(&templates::ParentRequest {
        to: &email,
        learner_first_name: &first_name(&learner.full_name),
        org_name: &user.org_name,
        staff_name: &user.full_name,
        link: &format!("{}/parent/{token}", state.settings.base_url),
        until: &last_day.format("%-d %B %Y").to_string(),
    })?;
    mail::enqueue(
        &mut tx,
        &state.settings.secret_key,
        Some(&user.org_id),
        &message,
    )
    .await?;
    crate::audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        crate::audit::Action::ParentLinkSent,
        Some(learner.id.as_str()),
        &format!("emailed to {email}"),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/policies/parents/{}?emailed=1", learner.id));
    Ok(())
}

/// A name or relationship as typed: spaces tidied, required, not too long.
pub(crate) fn tidy(text: &str, what: &str) -> Result<String, AppError> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(AppError::invalid(format!("Enter {what}.")));
    }
    if text.chars().count() > MAX_TEXT || text.chars().any(char::is_control) {
        return Err(AppError::invalid(format!(
            "Enter {what} in at most {MAX_TEXT} ordinary characters."
        )));
    }
    Ok(text)
}

pub struct PaperForm {
    pub learner_id: PersonId,
    pub parent_name: String,
    pub relationship: String,
    pub signed_on: String,
    pub scanned: Option<String>,
    pub seen: Option<String>,
}

/// The date written on a paper form: a real date, not in the future, and not before the
/// current version came into force (`in_force_from`, `2026-09-01`): an earlier form was
/// for an earlier version.
fn paper_date(text: &str, in_force_from: &str, version: i64) -> Result<NaiveDate, AppError> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::invalid("Enter the date the parent or carer signed the form, like 2026-11-25.")
    })?;
    if date > today() {
        return Err(AppError::invalid(
            "The date the form was signed cannot be in the future.",
        ));
    }
    let from = NaiveDate::parse_from_str(in_force_from, "%Y-%m-%d").ok();
    if from.is_some_and(|from| date < from) || date.year() < 2000 {
        return Err(AppError::invalid(format!(
            "A form signed before {} was for an earlier version. Version {version}, in force since then, needs a new form.",
            long_date(in_force_from)
        )));
    }
    Ok(date)
}

pub async fn record_paper(form: PaperForm) -> Result<(), AppError> {
    let (user, state, learner) = staff_and_learner(&form.learner_id).await?;
    check_under_18(&learner)?;
    let parent_name = tidy(&form.parent_name, "the parent's or carer's full name")?;
    let relationship = tidy(&form.relationship, "their relationship to the learner")?;
    let (_, current) = policy(&state, &user.org_id, PolicyKind::Learner).await?;
    let signed_on = paper_date(&form.signed_on, &current.effective_from, current.number)?;
    let scanned = match form.scanned.as_deref() {
        Some("yes") => "yes",
        Some("no") => "no",
        _ => {
            return Err(AppError::invalid(
                "Say whether the signed form has been scanned into the learner's file.",
            ))
        }
    };
    if form.seen.as_deref() != Some("on") {
        return Err(AppError::invalid(
            "Tick \"I have seen the form signed by the parent or carer\" to record it.",
        ));
    }
    let acknowledgement = AcknowledgementRow {
        id: db::new_id(),
        org_id: user.org_id.clone(),
        learner_id: learner.id.clone(),
        version_id: current.id.clone(),
        text_sha256: text_hash(&current.body),
        parent_name,
        relationship,
        method: "paper".to_string(),
        acknowledged_on: signed_on.format("%Y-%m-%d").to_string(),
        recorded_at: db::now(),
        recorded_by: Some(user.id.clone()),
        scanned: Some(scanned.to_string()),
        link_id: None,
        address: None,
        user_agent: None,
        recorded_by_name: None,
    };
    let mut tx = crate::db::begin(&state.db).await?;
    store::insert_acknowledgement(&mut tx, &acknowledgement).await?;
    crate::audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        crate::audit::Action::ParentPaperRecorded,
        Some(learner.id.as_str()),
        &format!("version {}", current.number),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/policies/parents/{}?recorded=1", learner.id));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_relationships_are_tidied_and_required() {
        assert_eq!(
            tidy("  Jo   Parent ", "x").ok().as_deref(),
            Some("Jo Parent")
        );
        assert!(tidy("   ", "x").is_err());
        assert!(tidy(&"a".repeat(MAX_TEXT + 1), "x").is_err());
    }
}

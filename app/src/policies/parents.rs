//! Learners under 18: a parent or carer acknowledges the learner policy too. A tutor (or
//! the DSL, or an administrator) emails them a link that works once, for 14 days, to a
//! public page showing the exact version; or records a form the parent signed on paper.
//!
//! The learner's own signature is what opens the app to them: a missing parent
//! acknowledgement is followed up by staff, it never locks the learner out.

use super::parent_queries::{self as store, AcknowledgementRow, LearnerRow, NewLink};
use super::queries::{self, VersionRow};
use super::service::{covering, current, text_hash, versions};
use super::*;
use crate::auth::{guard, CurrentUser, Role};
use crate::content::markdown;
use crate::db::{self, display_day as day};
use crate::mail::{self, templates};
use crate::state::{app_state, keyed_hash, AppState};
use chrono::{Datelike, Duration, NaiveDate, Utc};

/// Who asks parents and records paper forms.
pub const PARENT_ROLES: [Role; 3] = [Role::Tutor, Role::Dsl, Role::Admin];
const LINK_DAYS: i64 = 14;
/// Links per learner per day: enough for two parents and a typo or two.
const PARENT_LINKS_PER_LEARNER: crate::limits::Limit =
    crate::limits::Limit::new("parent-links:learner", 5, 86_400);
const MAX_TEXT: usize = 120;

/// Age in whole years on `today`, from a stored date of birth (`2009-05-14`).
pub fn age_on(date_of_birth: &str, today: NaiveDate) -> Option<u32> {
    let born = NaiveDate::parse_from_str(date_of_birth, "%Y-%m-%d").ok()?;
    today.years_since(born)
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The learner's age today, if their date of birth is recorded.
fn age_today(learner: &LearnerRow) -> Option<u32> {
    learner
        .date_of_birth
        .as_deref()
        .and_then(|d| age_on(d, today()))
}

/// Where a learner's parent acknowledgement stands. `acknowledgements` are this learner's.
pub(crate) fn status_for(
    date_of_birth: Option<&str>,
    versions: &[VersionRow],
    current: &VersionRow,
    acknowledgements: &[AcknowledgementRow],
    today: NaiveDate,
) -> ParentStatus {
    let Some(age) = date_of_birth.and_then(|d| age_on(d, today)) else {
        return ParentStatus::NoDateOfBirth;
    };
    if age >= 18 {
        return ParentStatus::NotNeeded;
    }
    acknowledgements
        .iter()
        .find(|a| covering(versions, current).any(|v| v.id == a.version_id))
        .map(|a| ParentStatus::Acknowledged(summary(a, versions)))
        .unwrap_or(ParentStatus::Waiting)
}

fn summary(a: &AcknowledgementRow, versions: &[VersionRow]) -> ParentAcknowledgement {
    let how = if a.method == "paper" {
        let scanned = if a.scanned.as_deref() == Some("yes") {
            "scanned copy kept"
        } else {
            "not scanned"
        };
        format!(
            "on paper, recorded by {} ({scanned})",
            a.recorded_by_name.as_deref().unwrap_or("a member of staff")
        )
    } else {
        "by email".to_string()
    };
    ParentAcknowledgement {
        parent_name: a.parent_name.clone(),
        relationship: a.relationship.clone(),
        version: versions
            .iter()
            .find(|v| v.id == a.version_id)
            .and_then(|v| u32::try_from(v.number).ok())
            .unwrap_or(0),
        on: long_date(&a.acknowledged_on),
        how,
    }
}

/// The last day a link works: the day before its expiry time (midnight).
fn last_day_of(expires_at: &str) -> String {
    db::parse_timestamp(expires_at)
        .map(|t| (t - Duration::seconds(1)).format("%-d %B %Y").to_string())
        .unwrap_or_default()
}

/// "2026-11-25" as "25 November 2026".
fn long_date(date: &str) -> String {
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|_| date.to_string())
}

/// The learner policy's versions and the current one, for an organisation.
async fn learner_policy(
    state: &AppState,
    org_id: &str,
) -> Result<(Vec<VersionRow>, VersionRow), AppError> {
    let versions = versions(state, org_id, PolicyKind::Learner).await?;
    let current = current(&versions).cloned().ok_or(AppError::NotFound)?;
    Ok((versions, current))
}

/// Status for each learner of the organisation by id, for the signing report.
/// `versions` and `current` are the learner policy's, which the caller has loaded.
pub(crate) async fn statuses(
    state: &AppState,
    org_id: &str,
    versions: &[VersionRow],
    current: &VersionRow,
) -> Result<std::collections::HashMap<String, ParentStatus>, AppError> {
    let all = store::acknowledgements(&state.db, org_id, None).await?;
    let dates = store::dates_of_birth(&state.db, org_id).await?;
    let today = today();
    let mut out = std::collections::HashMap::new();
    for (id, dob) in dates {
        let theirs: Vec<AcknowledgementRow> =
            all.iter().filter(|a| a.learner_id == id).cloned().collect();
        let status = status_for(Some(&dob), versions, current, &theirs, today);
        out.insert(id, status);
    }
    Ok(out)
}

/// For the learner's own `/policies`: shown only when their parent is asked.
/// `versions` and `current` are the learner policy's, which the caller has loaded.
pub(crate) async fn status_of_learner(
    state: &AppState,
    user: &CurrentUser,
    versions: &[VersionRow],
    current: &VersionRow,
) -> Result<Option<ParentStatus>, AppError> {
    let Some(learner) = store::learner(&state.db, &user.org_id, &user.id).await? else {
        return Ok(None);
    };
    let theirs = store::acknowledgements(&state.db, &user.org_id, Some(&user.id)).await?;
    let status = status_for(
        learner.date_of_birth.as_deref(),
        versions,
        current,
        &theirs,
        today(),
    );
    Ok(matches!(
        status,
        ParentStatus::Waiting | ParentStatus::Acknowledged(_)
    )
    .then_some(status))
}

async fn staff_and_learner(
    learner_id: &str,
) -> Result<(CurrentUser, AppState, LearnerRow), AppError> {
    let user = guard::require(&PARENT_ROLES).await?;
    let state = app_state()?;
    let learner = store::learner(&state.db, &user.org_id, learner_id.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((user, state, learner))
}

pub async fn case(learner_id: String) -> Result<ParentCase, AppError> {
    let (user, state, learner) = staff_and_learner(&learner_id).await?;
    let (versions, current) = learner_policy(&state, &user.org_id).await?;
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

fn token_hash(secret: &[u8], token: &str) -> String {
    keyed_hash(secret, &[b"parent-link:", token.as_bytes()])
}

fn first_name(full_name: &str) -> String {
    full_name
        .split_whitespace()
        .next()
        .unwrap_or(full_name)
        .to_string()
}

pub async fn email_parent(learner_id: String, email: String) -> Result<(), AppError> {
    let (user, state, learner) = staff_and_learner(&learner_id).await?;
    check_under_18(&learner)?;
    let email = crate::auth::service::normalise_email(&email).map_err(|_| {
        AppError::invalid("Enter the parent's or carer's email address, like name@example.com.")
    })?;
    let learner_email: Option<(String,)> = sqlx::query_as("SELECT email FROM users WHERE id = $1")
        .bind(&learner.id)
        .fetch_optional(&state.db)
        .await?;
    if learner_email.is_some_and(|(e,)| e == email) {
        return Err(AppError::invalid(format!(
            "That is {}'s own email address. Enter their parent's or carer's.",
            learner.full_name
        )));
    }
    let (_, current) = learner_policy(&state, &user.org_id).await?;
    let token = crate::auth::links::new_token();
    // Works to the end of the 14th day (UTC midnight, which is at or after midnight in
    // the UK), so "until 9 December" is true all of that day.
    let last_day = today() + Duration::days(LINK_DAYS);
    let expires = (last_day + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .ok_or_else(|| AppError::internal("link expiry out of range"))?;
    let mut tx = state.db.begin().await?;
    // Counted in the same transaction as the link: parallel sends cannot pass the limit.
    if !crate::limits::take(&mut tx, &PARENT_LINKS_PER_LEARNER, &learner.id).await? {
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
        "policy.parent_link",
        Some(&learner.id),
        &format!("emailed to {email}"),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/policies/parents/{}?emailed=1", learner.id));
    Ok(())
}

/// A name or relationship as typed: spaces tidied, required, not too long.
fn tidy(text: &str, what: &str) -> Result<String, AppError> {
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
    pub learner_id: String,
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
    let (_, current) = learner_policy(&state, &user.org_id).await?;
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
    let mut tx = state.db.begin().await?;
    store::insert_acknowledgement(&mut tx, &acknowledgement).await?;
    crate::audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        "policy.parent_paper",
        Some(&learner.id),
        &format!("version {}", current.number),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/policies/parents/{}?recorded=1", learner.id));
    Ok(())
}

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
    let (versions, current) = learner_policy(state, &link.org_id).await?;
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
        acknowledged_on: now[..10].to_string(),
        recorded_at: now.clone(),
        recorded_by: None,
        scanned: None,
        link_id: Some(link.id.clone()),
        address: Some(crate::auth::service::client_address().await.to_string()),
        user_agent: Some(super::service::user_agent().await),
        recorded_by_name: None,
    };
    let mut tx = state.db.begin().await?;
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
        "policy.parent_acknowledged",
        Some(&link.learner_id),
        &format!("version {} by email", version.number),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/parent/thanks");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn age_counts_whole_years_up_to_the_birthday() {
        assert_eq!(age_on("2008-11-26", date("2026-11-25")), Some(17));
        assert_eq!(age_on("2008-11-25", date("2026-11-25")), Some(18));
        assert_eq!(age_on("2008-02-29", date("2026-02-28")), Some(17));
        assert_eq!(age_on("not a date", date("2026-11-25")), None);
        assert_eq!(age_on("2030-01-01", date("2026-11-25")), None);
    }

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

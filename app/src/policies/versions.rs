//! Publishing new versions, for the DSL and administrators: a draft starts from the
//! current text, is edited and previewed, and is published once it passes the same checks
//! as our content. A published version never changes; the next change is a new version.
//! The drafts and publishing serve any numbered series of `policy_versions`: the
//! documents' editions (`crate::documents`) use `open_or_start_draft` and `save_version`
//! under their own access rule, and a policy's editor never opens a document's edition.

use super::queries::{self, DraftText, VersionRow, SIGN_AGAIN_EVERYONE};
use super::rules::number;
use super::types::*;
use crate::auth::{guard, Capability, CurrentUser};
use crate::content::markdown;
use crate::error::AppError;
use crate::ids::PolicyVersionId;
use crate::state::{app_state, AppState};

const SIGN_AGAIN_NEW_ONLY: &str = "new-signers-only";
const MAX_BODY: usize = 60_000;
const MAX_FIELD: usize = 300;

async fn editor() -> Result<(CurrentUser, AppState), AppError> {
    let user = guard::allowed(Capability::PublishPolicies).await?;
    Ok((user, app_state()?))
}

fn kind_of(v: &VersionRow) -> PolicyKind {
    PolicyKind::parse(&v.kind).unwrap_or(PolicyKind::Learner)
}

pub async fn schedule() -> Result<Option<u32>, AppError> {
    let (user, state) = editor().await?;
    Ok(queries::resign_every_months(&state.db, &user.org_id).await?)
}

/// Empty: no schedule; else a whole number of months from 1 to 60.
fn parse_months(text: &str) -> Result<Option<u32>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(months) if (1..=MAX_SCHEDULE_MONTHS).contains(&months) => Ok(Some(months)),
        _ => Err(AppError::invalid(format!(
            "Enter a whole number of months from 1 to {MAX_SCHEDULE_MONTHS}, or leave the box empty to ask for signatures only when a new version needs them."
        ))),
    }
}

pub async fn set_schedule(months: String) -> Result<(), AppError> {
    let (user, state) = editor().await?;
    let months = parse_months(&months)?;
    queries::set_resign_every_months(&state.db, &user.org_id, months, &user.id).await?;
    let mut conn = state.db.acquire().await?;
    crate::audit::record(
        &mut conn,
        &user.org_id,
        Some(&user.id),
        crate::audit::Action::PolicySchedule,
        None,
        &months.map_or("none".to_string(), |m| format!("every {m} months")),
    )
    .await?;
    leptos_axum::redirect(&format!(
        "/admin/policies?schedule={}",
        months.map_or("none".to_string(), |m| m.to_string())
    ));
    Ok(())
}

pub async fn list() -> Result<Vec<PolicyHistory>, AppError> {
    let (user, state) = editor().await?;
    let mut out = Vec::new();
    for kind in PolicyKind::ALL {
        // Version 1 exists from here on, so there is always a text to start from.
        super::common::versions(&state, &user.org_id, kind).await?;
        let versions = queries::all_versions(&state.db, &user.org_id, kind).await?;
        out.push(PolicyHistory {
            kind,
            versions: versions
                .iter()
                .map(|v| VersionSummary {
                    id: v.id.clone(),
                    number: number(v),
                    title: v.title.clone(),
                    published: v.published_at.is_some(),
                    effective_from: v.effective_from.clone(),
                    everyone_signs_again: v.sign_again == SIGN_AGAIN_EVERYONE,
                    what_changed: v.what_changed.clone(),
                })
                .collect(),
        });
    }
    Ok(out)
}

pub async fn start_draft(kind: String) -> Result<(), AppError> {
    let (user, state) = editor().await?;
    let kind = PolicyKind::parse(&kind).ok_or(AppError::NotFound)?;
    let versions = queries::all_versions(&state.db, &user.org_id, kind).await?;
    if versions.is_empty() {
        return Err(AppError::NotFound);
    }
    let id = open_or_start_draft(&state, &user, kind.as_str(), &versions, ("", "")).await?;
    leptos_axum::redirect(&format!("/admin/policies/drafts/{id}"));
    Ok(())
}

/// The draft of a numbered series (a policy, or a document: see `documents`), started if
/// there is none: one draft at a time, from the newest version's text, or from `first`
/// (title, body) when the series has no version yet. `versions` is the series, newest first.
pub(crate) async fn open_or_start_draft(
    state: &AppState,
    user: &CurrentUser,
    series: &str,
    versions: &[VersionRow],
    first: (&str, &str),
) -> Result<PolicyVersionId, AppError> {
    if let Some(draft) = versions.iter().find(|v| v.published_at.is_none()) {
        return Ok(draft.id.clone());
    }
    let text = versions.first().map_or(first, |newest| {
        (newest.title.as_str(), newest.body.as_str())
    });
    queries::insert_draft_in(&state.db, &user.org_id, series, text, &user.id)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "Someone started a new version at the same moment. Open the list again.",
            )
        })
}

/// One of the organisation's policy versions (never a document's edition: those are
/// the People department's, see `documents`).
async fn own_version(
    state: &AppState,
    user: &CurrentUser,
    id: &PolicyVersionId,
) -> Result<VersionRow, AppError> {
    queries::version(&state.db, &id.trimmed())
        .await?
        .filter(|v| v.org_id == user.org_id && PolicyKind::parse(&v.kind).is_some())
        .ok_or(AppError::NotFound)
}

/// Problems the content checker finds in a policy's text, as `line N: message`.
pub(crate) fn problems_in(body: &str) -> Vec<String> {
    markdown::render(body)
        .problems
        .into_iter()
        .map(|(line, message)| format!("line {line}: {message}"))
        .collect()
}

pub async fn draft(id: PolicyVersionId) -> Result<PolicyDraft, AppError> {
    let (user, state) = editor().await?;
    let v = own_version(&state, &user, &id).await?;
    if v.published_at.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(PolicyDraft {
        id: v.id.clone(),
        kind: kind_of(&v),
        number: number(&v),
        preview_html: markdown::render(&v.body).html,
        problems: problems_in(&v.body),
        title: v.title,
        body: v.body,
        what_changed: v.what_changed,
        effective_from: v.effective_from,
        everyone_signs_again: v.sign_again == SIGN_AGAIN_EVERYONE,
    })
}

pub struct DraftForm {
    pub title: String,
    pub body: String,
    pub what_changed: String,
    pub effective_from: String,
    pub sign_again: String,
}

fn check_form(f: &DraftForm) -> Result<(), AppError> {
    if f.title.trim().is_empty() || f.title.chars().count() > MAX_FIELD {
        return Err(AppError::invalid(
            "Title: write a title of up to 300 characters.",
        ));
    }
    if f.body.trim().is_empty() || f.body.len() > MAX_BODY {
        return Err(AppError::invalid(
            "The policy text must not be empty, and at most 60 KB.",
        ));
    }
    if f.what_changed.chars().count() > 2000 {
        return Err(AppError::invalid("What changed: at most 2000 characters."));
    }
    if chrono::NaiveDate::parse_from_str(f.effective_from.trim(), "%Y-%m-%d").is_err() {
        return Err(AppError::invalid(format!(
            "In force from: '{}' is not a date like 2026-12-01.",
            f.effective_from.trim()
        )));
    }
    if ![SIGN_AGAIN_EVERYONE, SIGN_AGAIN_NEW_ONLY].contains(&f.sign_again.as_str()) {
        return Err(AppError::invalid(
            "Choose whether everyone must sign again.",
        ));
    }
    Ok(())
}

pub async fn save(id: PolicyVersionId, f: DraftForm, publish: bool) -> Result<(), AppError> {
    let (user, state) = editor().await?;
    let v = own_version(&state, &user, &id).await?;
    if save_version(&state, &user, &v, &f, publish, None).await? {
        leptos_axum::redirect(&format!("/admin/policies?published={}", number(&v)));
    } else {
        leptos_axum::redirect(&format!("/admin/policies/drafts/{}?saved=1", v.id));
    }
    Ok(())
}

/// Save the draft `v` of a numbered series (the caller has checked who may), and with
/// `publish`, publish it once it passes the checks, with the `audit` entry (action,
/// detail) if one is given in the same transaction. Returns whether it was published.
pub(crate) async fn save_version(
    state: &AppState,
    user: &CurrentUser,
    v: &VersionRow,
    f: &DraftForm,
    publish: bool,
    audit: Option<(crate::audit::Action, String)>,
) -> Result<bool, AppError> {
    if v.published_at.is_some() {
        return Err(AppError::invalid(
            "This version is published, so its text can no longer change. Start a new version instead.",
        ));
    }
    let body = f.body.replace("\r\n", "\n");
    check_form(f)?;
    let text = DraftText {
        title: f.title.trim(),
        body: &body,
        what_changed: f.what_changed.trim(),
        effective_from: f.effective_from.trim(),
        sign_again: &f.sign_again,
    };
    if !queries::update_draft(&state.db, &v.id, &user.org_id, &text).await? {
        return Err(AppError::invalid(
            "This draft was published meanwhile. Start a new version instead.",
        ));
    }
    if publish {
        let problems = problems_in(&body);
        if !problems.is_empty() {
            return Err(AppError::invalid(format!(
                "Saved as a draft, not published. Please fix these problems first:\n{}",
                problems.join("\n")
            )));
        }
        if text.what_changed.is_empty() {
            return Err(AppError::invalid(
                "Saved as a draft, not published. Say what changed: people asked to sign again read it first.",
            ));
        }
        let mut tx = crate::db::begin(&state.db).await?;
        let published = queries::publish(&mut *tx, &v.id, &user.org_id, &user.id).await?;
        if let (true, Some((action, detail))) = (published, audit) {
            let subject = Some(v.id.as_str());
            crate::audit::record(
                &mut tx,
                &user.org_id,
                Some(&user.id),
                action,
                subject,
                &detail,
            )
            .await?;
        }
        tx.commit().await?;
        return Ok(true);
    }
    Ok(false)
}

/// The two texts paragraph by paragraph, changed paragraphs marked: what a person asked
/// to sign again reads before the full text.
pub fn changes(before: &str, after: &str) -> Vec<ChangeRow> {
    use similar::{capture_diff_slices, Algorithm, DiffOp};
    let blocks = |text: &str| -> Vec<String> {
        text.split("\n\n")
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (old, new) = (blocks(before), blocks(after));
    let mut rows = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old, &new) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                rows.extend(old[old_index..old_index + len].iter().map(|b| ChangeRow {
                    before: Some(b.clone()),
                    after: Some(b.clone()),
                    changed: false,
                }))
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => rows.extend(
                old[old_index..old_index + old_len]
                    .iter()
                    .map(|b| ChangeRow {
                        before: Some(b.clone()),
                        after: None,
                        changed: true,
                    }),
            ),
            DiffOp::Insert {
                new_index, new_len, ..
            } => rows.extend(
                new[new_index..new_index + new_len]
                    .iter()
                    .map(|b| ChangeRow {
                        before: None,
                        after: Some(b.clone()),
                        changed: true,
                    }),
            ),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                for i in 0..old_len.max(new_len) {
                    rows.push(ChangeRow {
                        before: (i < old_len).then(|| old[old_index + i].clone()),
                        after: (i < new_len).then(|| new[new_index + i].clone()),
                        changed: true,
                    });
                }
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_is_empty_or_one_to_sixty_months() {
        assert_eq!(parse_months(" ").ok(), Some(None));
        assert_eq!(parse_months("12").ok(), Some(Some(12)));
        assert_eq!(parse_months(" 60 ").ok(), Some(Some(60)));
        for bad in ["0", "61", "-1", "1.5", "twelve"] {
            assert!(parse_months(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn changed_paragraphs_are_marked_side_by_side() {
        let rows = changes("A\n\nB\n\nC", "A\n\nB2\n\nC\n\nD");
        assert_eq!(rows.len(), 4);
        assert!(!rows[0].changed);
        assert_eq!(
            (rows[1].before.as_deref(), rows[1].after.as_deref()),
            (Some("B"), Some("B2"))
        );
        assert!(rows[1].changed && !rows[2].changed);
        assert_eq!(
            (rows[3].before.as_deref(), rows[3].after.as_deref()),
            (None, Some("D"))
        );
    }
}

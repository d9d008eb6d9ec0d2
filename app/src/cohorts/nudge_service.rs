//! Nudges, step by step: who may be chosen, who a nudge would reach and who it skips (and
//! why), and the sending, with the 24-hour rule held by the database.

use super::queries::{self, NewNudge};
use super::*;
use crate::auth::CurrentUser;
use crate::cohorts::grid::{grid_of, Rows};
use crate::cohorts::service::viewer;
use crate::cohorts::{CohortGrid, GridAsked, GridRow};
use crate::mail::templates::{nudge, Nudge};
use crate::state::AppState;
use crate::{audit, calendar, db, mail};
use chrono::{Duration, Utc};
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};

/// The most learners one nudge may name.
const MAX_CHOSEN: usize = 5_000;

/// The cohort's every learner, for someone who may nudge them (its tutors, administrators).
async fn nudger(cohort_id: &CohortId) -> Result<(CurrentUser, AppState, CohortGrid), AppError> {
    let (user, state) = viewer().await?;
    let grid = grid_of(
        &state,
        &user,
        cohort_id,
        GridAsked::default(),
        Rows::AllProgress,
    )
    .await?;
    if !grid.can_enrol {
        return Err(AppError::Forbidden);
    }
    Ok((user, state, grid))
}

fn state_of(row: &GridRow, modules: usize) -> String {
    let behind = if row.behind { " (behind)" } else { "" };
    format!("{} of {modules} modules passed{behind}", row.passed)
}

/// The ids asked for: everyone behind, or the listed ones (commas), once each.
fn chosen(grid: &CohortGrid, who: Option<&str>, learners: Option<&str>) -> Vec<PersonId> {
    if who.map(str::trim) == Some("behind") {
        return grid
            .rows
            .iter()
            .filter(|r| r.behind)
            .map(|r| r.learner_id.clone())
            .collect();
    }
    let mut seen = HashSet::new();
    learners
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|id| !id.is_empty() && seen.insert(id.to_string()))
        .take(MAX_CHOSEN)
        .map(|id| PersonId::from_param(id.to_string()))
        .collect()
}

/// Who a nudge to `ids` reaches, and who it skips and why. `recent`: nudged within 24 hours.
fn plan<'g>(
    grid: &'g CohortGrid,
    ids: &[PersonId],
    recent: &HashSet<PersonId>,
) -> (Vec<&'g GridRow>, Vec<Skipped>) {
    let (mut to, mut skipped) = (Vec::new(), Vec::new());
    // Up to 5,000 chosen among up to 5,000 rows: looked up, not searched each time.
    let by_id: HashMap<&PersonId, &GridRow> =
        grid.rows.iter().map(|r| (&r.learner_id, r)).collect();
    for id in ids {
        let Some(row) = by_id.get(id).copied() else {
            skipped.push(Skipped {
                name: "Someone chosen".to_string(),
                reason: "not a learner in this cohort".to_string(),
            });
            continue;
        };
        let reason = if row.inactive {
            Some(row.status.to_lowercase())
        } else if row.complete {
            Some("their induction is complete".to_string())
        } else if recent.contains(id) {
            Some(format!("nudged less than {QUIET_HOURS} hours ago"))
        } else {
            None
        };
        match reason {
            Some(reason) => skipped.push(Skipped {
                name: row.name.clone(),
                reason,
            }),
            None => to.push(row),
        }
    }
    (to, skipped)
}

/// Where the learner is, kindly, for the email.
fn progress_words(row: &GridRow, modules: usize) -> String {
    if row.passed >= modules {
        format!("You have passed all {modules} modules: the last step is to sign the Acceptable Use Policy.")
    } else {
        format!(
            "You have passed {} of {modules} modules so far.",
            row.passed
        )
    }
}

fn email_for(
    state: &AppState,
    user: &CurrentUser,
    row: &GridRow,
    to: &str,
    modules: usize,
) -> Result<crate::mail::Email, AppError> {
    let link = format!("{}/induction", state.settings.base_url);
    Ok(nudge(&Nudge {
        to,
        full_name: &row.name,
        tutor_name: &user.full_name,
        org_name: &user.org_name,
        progress: &progress_words(row, modules),
        link: &link,
    })?)
}

fn quiet_since() -> String {
    db::timestamp(Utc::now() - Duration::hours(QUIET_HOURS))
}

pub async fn page(
    cohort_id: CohortId,
    who: Option<String>,
    learners: Option<String>,
) -> Result<NudgePage, AppError> {
    let (user, state, grid) = nudger(&cohort_id).await?;
    let modules = grid.columns.len();
    let choices = grid
        .rows
        .iter()
        .filter(|r| !r.inactive && !r.complete)
        .map(|r| NudgeChoice {
            id: r.learner_id.clone(),
            name: r.name.clone(),
            state: state_of(r, modules),
        })
        .collect();
    let asked = who.as_deref().is_some_and(|w| !w.trim().is_empty())
        || learners.as_deref().is_some_and(|l| !l.trim().is_empty());
    let preview = if asked {
        let ids = chosen(&grid, who.as_deref(), learners.as_deref());
        let mut conn = state.db.acquire().await?;
        let recent: HashSet<PersonId> =
            queries::nudged_since(&mut conn, &user.org_id, &ids, &quiet_since())
                .await?
                .into_iter()
                .collect();
        let (to, skipped) = plan(&grid, &ids, &recent);
        let sample = match to.first() {
            Some(row) => email_for(&state, &user, row, "", modules)?.text,
            None => String::new(),
        };
        Some(NudgePreview {
            to: to
                .iter()
                .map(|r| NudgeChoice {
                    id: r.learner_id.clone(),
                    name: r.name.clone(),
                    state: state_of(r, modules),
                })
                .collect(),
            skipped,
            sample,
        })
    } else {
        None
    };
    Ok(NudgePage {
        cohort_id: grid.id.clone(),
        cohort: grid.name.clone(),
        choices,
        preview,
    })
}

/// Claim the learner for this nudge: false when they were nudged within 24 hours (by
/// anyone, even a moment ago in another request).
async fn claim(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    learner: &PersonId,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE learner_records SET last_nudged_at = $3
         WHERE org_id = $1 AND user_id = $2
           AND (last_nudged_at IS NULL OR last_nudged_at <= $4)",
    )
    .bind(&user.org_id)
    .bind(learner)
    .bind(now)
    .bind(quiet_since())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn send(cohort_id: CohortId, learners: String) -> Result<(), AppError> {
    let (user, state, grid) = nudger(&cohort_id).await?;
    let ids = chosen(&grid, None, Some(&learners));
    if ids.is_empty() {
        return Err(AppError::invalid(
            "Choose at least one learner to remind, or everyone behind.",
        ));
    }
    let modules = grid.columns.len();
    let mut tx = db::begin(&state.db).await?;
    let (to, mut skipped) = plan(&grid, &ids, &HashSet::new());
    let emails: HashMap<PersonId, String> = {
        let ids: Vec<PersonId> = to.iter().map(|r| r.learner_id.clone()).collect();
        queries::emails(&mut tx, &user.org_id, &ids)
            .await?
            .into_iter()
            .collect()
    };
    let now = Utc::now();
    let (sent_at, until) = (
        db::timestamp(now),
        db::timestamp(now + Duration::days(EFFECT_DAYS)),
    );
    let id = db::new_id();
    let nudge_row = NewNudge {
        id: &id,
        org_id: &user.org_id,
        cohort_id: &grid.id,
        sent_by: &user.id,
        sent_at: &sent_at,
        measure_until: &until,
    };
    let mut sent = 0;
    for row in to {
        let Some(address) = emails.get(&row.learner_id) else {
            skipped.push(Skipped {
                name: row.name.clone(),
                reason: "their account is deactivated".to_string(),
            });
            continue;
        };
        if !claim(&mut tx, &user, &row.learner_id, &sent_at).await? {
            skipped.push(Skipped {
                name: row.name.clone(),
                reason: format!("nudged less than {QUIET_HOURS} hours ago"),
            });
            continue;
        }
        if sent == 0 {
            queries::insert_nudge(&mut tx, &nudge_row).await?;
        }
        let email = email_for(&state, &user, row, address, modules)?;
        mail::enqueue(
            &mut tx,
            &state.settings.secret_key,
            Some(&user.org_id),
            &email,
        )
        .await?;
        queries::insert_recipient(&mut tx, &nudge_row, &row.learner_id).await?;
        sent += 1;
    }
    let detail = format!("sent={sent} skipped={}", skipped.len());
    let action = audit::Action::LearnersNudged;
    let subject = Some(grid.id.as_str());
    audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        action,
        subject,
        &detail,
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/cohorts/{}?done=nudged&sent={sent}&skipped={}",
        grid.id,
        skipped.len()
    ));
    Ok(())
}

/// The cohort's latest nudges for its page.
pub async fn recent(
    state: &AppState,
    user: &CurrentUser,
    cohort_id: &CohortId,
) -> Result<Vec<NudgeSent>, AppError> {
    let now = db::now();
    Ok(queries::recent(&state.db, &user.org_id, cohort_id)
        .await?
        .into_iter()
        .map(|n| NudgeSent {
            sent: calendar::london_time(&n.sent_at),
            by: n
                .by_name
                .unwrap_or_else(|| "Someone no longer here".to_string()),
            nudged: n.nudged,
            progressed: n.progressed,
            measuring: n.measure_until > now,
        })
        .collect())
}

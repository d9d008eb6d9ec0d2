//! The learner page's rules: who may see a learner (their cohort's tutors, and those who
//! see every cohort) and change their status (their cohort's tutors and administrators),
//! and the page put together from their record, progress and cohort history.

use super::queries::{self, LearnerRow, ProgressLine, StatusChange};
use super::*;
use crate::auth::{guard, Capability, CurrentUser};
use crate::calendar;
use crate::cohorts::grid::{agreements, cell, Agreement};
use crate::cohorts::service::{learner_modules, long_day, typed_day};
use crate::cohorts::status::{due_after, kept_of, status_words, BreakDays};
use crate::cohorts::CellState;
use crate::learning::queries::ProgressRow;
use crate::policies::report::Policy;
use crate::policies::PolicyKind;
use crate::state::app_state;
use crate::state::AppState;
use crate::{audit, db};
use chrono::NaiveDate;

/// The learner, if the asker may see them. Anyone else, or a learner of another
/// organisation, is "not found".
async fn visible_learner(
    conn: &mut sqlx::AnyConnection,
    user: &CurrentUser,
    learner_id: &PersonId,
) -> Result<LearnerRow, AppError> {
    let learner = queries::learner(conn, &user.org_id, learner_id, &user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if user.can(Capability::ViewAllCohorts) || learner.taught > 0 {
        Ok(learner)
    } else {
        Err(AppError::NotFound)
    }
}

fn may_change(user: &CurrentUser, learner: &LearnerRow) -> bool {
    user.can(Capability::ManageCohorts) || learner.taught > 0
}

fn form_day(stored: Option<&str>) -> String {
    stored
        .and_then(calendar::parse_day)
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

fn break_days(learner: &LearnerRow) -> Option<BreakDays> {
    let day = |d: &Option<String>| d.as_deref().and_then(calendar::parse_day);
    Some((day(&learner.break_from)?, day(&learner.break_to)?))
}

fn status_of(learner: &LearnerRow) -> LearnerStatus {
    learner
        .status
        .as_deref()
        .and_then(LearnerStatus::parse)
        .unwrap_or(LearnerStatus::Active)
}

fn module_line(title: String, sections: usize, line: Option<&ProgressLine>) -> ModuleLine {
    let row = line.map(|p| ProgressRow {
        module_id: p.module_id.clone(),
        sections_read: p.sections_read,
        attempts_started: p.attempts_started,
        best_score: p.best_score,
        best_total: p.best_total,
        passed_at: p.passed_at.clone(),
    });
    let state = cell(row.as_ref(), sections);
    ModuleLine {
        title,
        passed: matches!(state, CellState::Passed { .. }),
        state: state.words(),
        sections_read: row
            .as_ref()
            .map(|r| r.sections_read_of(sections))
            .unwrap_or(0),
        sections,
        attempts_submitted: line.map(|p| p.attempts_submitted).unwrap_or(0),
        best: row
            .as_ref()
            .and_then(ProgressRow::best_percent)
            .map(|p| format!("{p}%"))
            .unwrap_or_default(),
        last_active: line
            .and_then(|p| p.last_active_at.as_deref())
            .map(db::display_day)
            .unwrap_or_default(),
    }
}

/// The learner policy and their parent's acknowledgement, as the grid words them. With no
/// learner policy published there is nothing to sign, so nothing holds them back.
async fn agreement(
    state: &AppState,
    user: &CurrentUser,
    learner: &LearnerRow,
) -> Result<Agreement, AppError> {
    let now = chrono::Utc::now();
    let policy = match Policy::load(state, &user.org_id, PolicyKind::Learner, now).await {
        Ok(policy) => policy,
        Err(AppError::NotFound) => {
            return Ok(Agreement {
                policy: "No learner policy published".to_string(),
                parent: String::new(),
                signed: true,
            })
        }
        Err(e) => return Err(e),
    };
    let listed = [(learner.id.clone(), learner.date_of_birth.clone())];
    let mut all = agreements(state, user, &policy, &listed).await?;
    Ok(all.remove(&learner.id).unwrap_or_default())
}

pub async fn page(learner_id: PersonId) -> Result<LearnerPage, AppError> {
    let user = guard::allowed(Capability::ViewCohorts).await?;
    let state = app_state()?;
    let mut conn = state.db.acquire().await?;
    let learner = visible_learner(&mut conn, &user, &learner_id).await?;
    drop(conn);
    let modules = learner_modules(&state, &user.org_id).await?;
    let progress = queries::progress(&state.db, &learner.id).await?;
    let history = queries::history(&state.db, &user.org_id, &learner.id).await?;
    let signatures = queries::signatures(&state.db, &user.org_id, &learner.id)
        .await?
        .into_iter()
        .map(|(id, title, number, at)| {
            let on = db::display_day(&at);
            (id, format!("{title}, version {number}: signed {on}"))
        })
        .collect();
    let certificates = crate::learning::queries::certificates_of(&state.db, &learner.id)
        .await?
        .into_iter()
        .map(|c| {
            let n = |v: i64| u32::try_from(v).unwrap_or(0);
            let percent = crate::learning::percent(n(c.score), n(c.total));
            let on = db::display_day(&c.issued_at);
            (c.code, format!("{}: {percent}%, {on}", c.module_title))
        })
        .collect();
    let nudges = crate::cohorts::nudges::queries::received(&state.db, &user.org_id, &learner.id)
        .await?
        .into_iter()
        .map(|(at, by)| {
            let by = by.unwrap_or_else(|| "someone no longer here".to_string());
            format!("{}, from {by}", calendar::london_time(&at))
        })
        .collect();
    let modules: Vec<ModuleLine> = modules
        .into_iter()
        .map(|m| {
            let line = progress.iter().find(|p| p.module_id == m.module.id);
            module_line(m.module.title.clone(), m.module.sections.len(), line)
        })
        .collect();
    let agreement = agreement(&state, &user, &learner).await?;
    let status = status_of(&learner);
    let due = learner.due_on.as_deref().and_then(calendar::parse_day);
    // As in the grid: every module passed and the learner policy signed.
    let complete = modules.iter().all(|m| m.passed) && agreement.signed;
    Ok(LearnerPage {
        policy: agreement.policy,
        parent: agreement.parent,
        status_words: status_words(status, break_days(&learner)),
        behind: !status.inactive() && due.is_some_and(|d| d < calendar::today()) && !complete,
        can_change: may_change(&user, &learner),
        cohort: learner.cohort_id.clone().zip(learner.cohort_name.clone()),
        start_on: learner
            .start_on
            .as_deref()
            .map(long_day)
            .unwrap_or_default(),
        due_on: learner.due_on.as_deref().map(long_day).unwrap_or_default(),
        break_from: form_day(learner.break_from.as_deref()),
        break_to: form_day(learner.break_to.as_deref()),
        history: history
            .into_iter()
            .map(|(cohort_id, cohort, joined, left)| CohortSpell {
                cohort_id,
                cohort,
                joined: db::display_day(&joined),
                left: left.as_deref().map(db::display_day).unwrap_or_default(),
            })
            .collect(),
        modules,
        signatures,
        certificates,
        nudges,
        status,
        id: learner.id,
        name: learner.full_name,
        email: learner.email,
    })
}

/// A break's days as typed, checked: both given, the last on or after the first, and not
/// before the learner started.
fn typed_break(days: &(String, String), start: Option<NaiveDate>) -> Result<BreakDays, AppError> {
    if days.0.trim().is_empty() || days.1.trim().is_empty() {
        return Err(AppError::invalid(
            "Break in learning: give the first and the last day of the break.",
        ));
    }
    let from = typed_day("First day of the break", &days.0)?;
    let to = typed_day("Last day of the break", &days.1)?;
    if to < from {
        return Err(AppError::invalid(
            "Last day of the break: it must be on or after the first day.",
        ));
    }
    if start.is_some_and(|s| from < s) {
        return Err(AppError::invalid(
            "First day of the break: it must be on or after the learner's start date.",
        ));
    }
    Ok((from, to))
}

pub async fn set_status(
    learner_id: PersonId,
    status: String,
    days: (String, String),
) -> Result<(), AppError> {
    let user = guard::allowed(Capability::ViewCohorts).await?;
    let state = app_state()?;
    let status = LearnerStatus::parse(&status)
        .ok_or_else(|| AppError::invalid("Status: choose one of the statuses listed."))?;
    let mut tx = db::begin(&state.db).await?;
    let learner = visible_learner(&mut tx, &user, &learner_id).await?;
    if !may_change(&user, &learner) {
        return Err(AppError::Forbidden);
    }
    let (Some(due), Some(start)) = (
        learner.due_on.as_deref().and_then(calendar::parse_day),
        learner.start_on.as_deref().and_then(calendar::parse_day),
    ) else {
        return Err(AppError::invalid(
            "Enrol the learner in a cohort with their start date first.",
        ));
    };
    let today = calendar::today();
    let was = (status_of(&learner) == LearnerStatus::Break)
        .then(|| break_days(&learner))
        .flatten();
    let now = match status {
        LearnerStatus::Break => Some(typed_break(&days, Some(start))?),
        _ => None,
    };
    // The break kept on the record: the new one, or what was taken of the old one.
    let kept = match (now, was) {
        (Some(new), _) => Some(new),
        (None, Some(old)) => kept_of(old, today),
        (None, None) => break_days(&learner),
    };
    let due = calendar::day_key(due_after(due, was, now, today));
    let (from, to) = (
        kept.map(|k| calendar::day_key(k.0)),
        kept.map(|k| calendar::day_key(k.1)),
    );
    let change = StatusChange {
        status: status.as_str(),
        due_on: &due,
        break_from: from.as_deref(),
        break_to: to.as_deref(),
    };
    if !queries::set_status(&mut tx, &user.org_id, &learner.id, &change, &user.id).await? {
        return Err(AppError::invalid(
            "Enrol the learner in a cohort with their start date first.",
        ));
    }
    let detail = format!("status={} due={due}", status.as_str());
    let subject = Some(learner.id.as_str());
    let action = audit::Action::LearnerStatusChanged;
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
    leptos_axum::redirect(&format!("/learners/{}?done=status", learner.id));
    Ok(())
}

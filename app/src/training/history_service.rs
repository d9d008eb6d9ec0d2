//! The history and the completion editor's rules. Every function starts with the guard
//! and works only inside the asker's organisation: someone of another organisation is
//! "not found", whatever their id.

use super::*;
use crate::auth::{guard, Capability};
use crate::calendar::{self, day_key};
use crate::state::app_state;
use crate::training::queries::{record_completion, record_correction, NewCompletion};
use crate::training::record_queries::{
    completion_of, history_rows, line_managers, requirement_names, staff_member, HistoryRow,
};
use crate::training::recording::{in_force, line_of_text, past_day, recorder, source_for};
use crate::training::CompletionSource;
use crate::{audit, db};
use std::collections::{HashMap, HashSet};

/// How a stored source reads on the page.
fn source_label(stored: &str) -> String {
    match CompletionSource::parse(stored) {
        Some(CompletionSource::ModulePass) => "Module passed",
        Some(CompletionSource::ExternalCourse) => "External course",
        Some(CompletionSource::Briefing) => "Briefing",
        Some(CompletionSource::Acknowledgement) => "Document acknowledged",
        Some(CompletionSource::Correction) => "Correction",
        None => stored,
    }
    .to_string()
}

fn entry(row: HistoryRow) -> HistoryEntry {
    HistoryEntry {
        id: row.id,
        completed_on: row.completed_on,
        source: source_label(&row.source),
        reference: row.reference,
        reason: row.reason,
        recorded_by: row.recorded_by,
        recorded_at: row.recorded_at,
        corrects: row.supersedes,
        superseded_by: row.superseded_by,
    }
}

/// Whether `manager` is above `person`: their line manager, or their manager's, and so
/// on up (a loop, which the staff records refuse, would simply end the walk).
pub fn is_above(pairs: &[(PersonId, PersonId)], manager: &PersonId, person: &PersonId) -> bool {
    let managers: HashMap<&PersonId, &PersonId> = pairs.iter().map(|(p, m)| (p, m)).collect();
    let mut seen: HashSet<&PersonId> = HashSet::new();
    let mut at = person;
    while let Some(next) = managers.get(at) {
        if *next == manager {
            return true;
        }
        if !seen.insert(next) {
            return false;
        }
        at = next;
    }
    false
}

pub async fn history(person_id: PersonId) -> Result<HistoryView, AppError> {
    let user = guard::signed_in().await?;
    let can_edit = user.can(Capability::RecordTraining);
    let state = app_state()?;
    let mut conn = state.db.acquire().await?;
    // Staff read their own history, managers that of the people below them.
    if !can_edit && user.id != person_id {
        let pairs = line_managers(&mut *conn, &user.org_id).await?;
        if !is_above(&pairs, &user.id, &person_id) {
            return Err(AppError::Forbidden);
        }
    }
    let person = staff_member(&mut *conn, &user.org_id, &person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let requirements = requirement_names(&mut *conn, &user.org_id).await?;
    let mut rows = history_rows(&mut *conn, &user.org_id, &person_id).await?;
    let history = requirements
        .iter()
        .filter_map(|r| {
            let entries: Vec<HistoryEntry> = rows
                .extract_if(.., |row| row.requirement_id == r.id)
                .map(entry)
                .collect();
            let retired = r.retired_at.is_some();
            (!retired || !entries.is_empty()).then(|| RequirementHistory {
                requirement_id: r.id.clone(),
                name: r.name.clone(),
                retired,
                entries,
            })
        })
        .collect();
    Ok(HistoryView {
        person_id: person.id,
        full_name: person.full_name,
        email: person.email,
        can_edit,
        requirements: in_force(&requirements),
        history,
    })
}

pub struct RecordInput {
    pub person_id: PersonId,
    pub requirement_id: RequirementId,
    pub completed_on: String,
    pub reference: String,
    pub reason: String,
}

fn history_page(person_id: &PersonId, done: &str) -> String {
    format!("/training/people/{person_id}/history?done={done}#history")
}

pub async fn record(input: RecordInput) -> Result<CompletionId, AppError> {
    let (user, state) = recorder().await?;
    let day = past_day(
        &input.completed_on,
        "date it was completed",
        calendar::today(),
    )?;
    let reference = line_of_text(&input.reference, "the reference", MAX_REFERENCE, false)?;
    let reason = line_of_text(
        &input.reason,
        "the reason for recording it",
        MAX_REASON,
        true,
    )?;
    let mut tx = db::begin(&state.db).await?;
    staff_member(&mut *tx, &user.org_id, &input.person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let requirement_id = input.requirement_id.trimmed();
    let requirement = requirement_names(&mut *tx, &user.org_id)
        .await?
        .into_iter()
        .find(|r| r.id == requirement_id && r.retired_at.is_none())
        .ok_or_else(|| AppError::invalid("Choose the requirement from the list."))?;
    let id = record_completion(
        &mut tx,
        &NewCompletion {
            org_id: &user.org_id,
            user_id: &input.person_id,
            requirement_id: &requirement.id,
            completed_on: day,
            source: source_for(&requirement.satisfied_by),
            reference: (!reference.is_empty()).then_some(reference.as_str()),
            reason: Some(&reason),
            recorded_by: Some(&user.id),
        },
    )
    .await?
    .ok_or(AppError::NotFound)?;
    audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        audit::Action::CompletionRecorded,
        Some(input.person_id.as_str()),
        &format!("completion={id} requirement={}", requirement.id),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&history_page(&input.person_id, "recorded"));
    Ok(id)
}

pub struct CorrectInput {
    pub person_id: PersonId,
    pub completion_id: CompletionId,
    pub change: String,
    pub completed_on: String,
    pub reason: String,
}

const ALREADY_CORRECTED: &str =
    "That row has already been corrected. Correct the newest row for it instead.";

pub async fn correct(input: CorrectInput) -> Result<CompletionId, AppError> {
    let (user, state) = recorder().await?;
    let new_day = match input.change.as_str() {
        "date" => Some(past_day(
            &input.completed_on,
            "new date",
            calendar::today(),
        )?),
        "withdraw" => None,
        _ => {
            return Err(AppError::invalid(
                "Choose whether to give a new date or withdraw the completion.",
            ))
        }
    };
    let reason = line_of_text(
        &input.reason,
        "the reason for the correction",
        MAX_REASON,
        true,
    )?;
    let mut tx = db::begin(&state.db).await?;
    let row = completion_of(
        &mut tx,
        &user.org_id,
        &input.person_id,
        &input.completion_id,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    if row.superseded_by.is_some() {
        return Err(AppError::invalid(ALREADY_CORRECTED));
    }
    match (&row.completed_on, new_day) {
        (None, None) => return Err(AppError::invalid("That completion is already withdrawn.")),
        (Some(old), Some(new)) if *old == day_key(new) => {
            return Err(AppError::invalid(
                "That is the date already recorded. Give a different date, or withdraw it.",
            ))
        }
        _ => {}
    }
    let id = match record_correction(&mut tx, &user.org_id, &row.id, new_day, &reason, &user.id)
        .await
    {
        Ok(Some(id)) => id,
        Ok(None) => return Err(AppError::NotFound),
        // Someone else corrected it a moment ago.
        Err(e) if db::is_unique_violation(&e) => return Err(AppError::invalid(ALREADY_CORRECTED)),
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        audit::Action::CompletionCorrected,
        Some(input.person_id.as_str()),
        &format!(
            "completion={id} corrects={} {}",
            row.id,
            if new_day.is_some() {
                "new_date"
            } else {
                "withdrawn"
            }
        ),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&history_page(&input.person_id, "corrected"));
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::is_above;
    use crate::ids::PersonId;

    fn id(s: &str) -> PersonId {
        PersonId::from_param(s)
    }

    #[test]
    fn a_manager_is_above_everyone_below_them_and_nobody_else() {
        // A manages B manages C; D manages E; F and G manage each other (a loop).
        let pairs = [("b", "a"), ("c", "b"), ("e", "d"), ("f", "g"), ("g", "f")]
            .map(|(p, m)| (id(p), id(m)));
        assert!(is_above(&pairs, &id("a"), &id("b")));
        assert!(is_above(&pairs, &id("a"), &id("c")));
        assert!(is_above(&pairs, &id("b"), &id("c")));
        assert!(!is_above(&pairs, &id("c"), &id("a")));
        assert!(!is_above(&pairs, &id("d"), &id("c")));
        assert!(!is_above(&pairs, &id("a"), &id("a")));
        assert!(is_above(&pairs, &id("g"), &id("f")));
        assert!(!is_above(&pairs, &id("a"), &id("f")));
    }
}

//! The briefing rules: every function starts with the guard and works only inside the
//! asker's organisation.

use super::*;
use crate::calendar::{self, day_key};
use crate::ids::OrganisationId;
use crate::training::briefing_queries as queries;
use crate::training::queries::{record_completion, NewCompletion};
use crate::training::record_queries::{requirement_names, staff_members, StaffMember};
use crate::training::recording::{in_force, line_of_text, past_day, recorder, source_for};
use crate::{audit, db};
use std::collections::{BTreeMap, BTreeSet};

/// The form as posted.
pub struct BriefingInput {
    pub held_on: String,
    pub title: String,
    pub led_by: String,
    pub requirement_id: RequirementId,
    pub attendees: Vec<PersonId>,
    pub departments: Vec<String>,
}

/// Requirements a briefing can count for: in force, and met by a briefing.
async fn briefing_requirements(
    conn: &mut sqlx::AnyConnection,
    org_id: &OrganisationId,
) -> Result<(Vec<RequirementChoice>, Vec<RequirementId>), AppError> {
    let all = requirement_names(&mut *conn, org_id).await?;
    let met: Vec<_> = all
        .into_iter()
        .filter(|r| r.satisfied_by == "briefing")
        .collect();
    let choices = in_force(&met);
    let ids = choices.iter().map(|c| c.id.clone()).collect();
    Ok((choices, ids))
}

/// A department as compared: ignoring case and extra spaces, as requirements do.
fn folded(department: &str) -> String {
    department
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn matches(member: &StaffMember, q: &str, department: &str) -> bool {
    let q = q.to_lowercase();
    (department.is_empty() || folded(&member.department) == folded(department))
        && (q.is_empty()
            || member.full_name.to_lowercase().contains(&q)
            || member.email.to_lowercase().contains(&q))
}

pub async fn form(
    q: Option<String>,
    department: Option<String>,
) -> Result<BriefingSetup, AppError> {
    let (user, state) = recorder().await?;
    let q = q
        .unwrap_or_default()
        .trim()
        .chars()
        .take(MAX_TEXT)
        .collect::<String>();
    let department = department.unwrap_or_default().trim().to_string();
    let mut conn = state.db.acquire().await?;
    let (requirements, _) = briefing_requirements(&mut conn, &user.org_id).await?;
    let today = day_key(calendar::today());
    let staff: Vec<StaffMember> = staff_members(&mut *conn, &user.org_id)
        .await?
        .into_iter()
        .filter(|m| m.present_on(&today))
        .collect();
    let matched = staff.iter().filter(|m| matches(m, &q, &department)).count();
    let too_many = matched > MAX_LISTED;
    let mut groups: BTreeMap<String, DepartmentGroup> = BTreeMap::new();
    for m in &staff {
        let group = groups
            .entry(folded(&m.department))
            .or_insert_with(|| DepartmentGroup {
                name: m.department.trim().to_string(),
                size: 0,
                shown: Vec::new(),
            });
        group.size += 1;
        if !too_many && matches(m, &q, &department) {
            group.shown.push(Attendee {
                id: m.id.clone(),
                full_name: m.full_name.clone(),
                email: m.email.clone(),
            });
        }
    }
    Ok(BriefingSetup {
        requirements,
        departments: groups.into_values().collect(),
        q,
        department,
        matched,
        too_many,
    })
}

/// Who attended: the people ticked and everyone present on the day in each department
/// ticked whole. Anyone who is not staff of the organisation is refused, by count only
/// (their names are none of the asker's business).
fn attendees_of(
    input: &BriefingInput,
    staff: &[StaffMember],
    held_on: &str,
) -> Result<BTreeSet<PersonId>, AppError> {
    let known: BTreeSet<&PersonId> = staff.iter().map(|m| &m.id).collect();
    let strangers = input
        .attendees
        .iter()
        .filter(|a| !known.contains(a))
        .count();
    if strangers > 0 {
        return Err(AppError::invalid(format!(
            "{strangers} of the people ticked {} not staff of your organisation. Nothing was recorded: tick only people from the list.",
            if strangers == 1 { "is" } else { "are" }
        )));
    }
    let mut chosen: BTreeSet<PersonId> = input.attendees.iter().cloned().collect();
    for department in &input.departments {
        let members: Vec<&StaffMember> = staff
            .iter()
            .filter(|m| folded(&m.department) == folded(department))
            .collect();
        if members.is_empty() {
            return Err(AppError::invalid(format!(
                "There is no department \"{}\" in your organisation. Nothing was recorded.",
                department.trim()
            )));
        }
        chosen.extend(
            members
                .into_iter()
                .filter(|m| m.present_on(held_on))
                .map(|m| m.id.clone()),
        );
    }
    if chosen.is_empty() {
        return Err(AppError::invalid(
            "Tick at least one person who attended, or a whole department.",
        ));
    }
    Ok(chosen)
}

pub async fn record(input: BriefingInput) -> Result<BriefingId, AppError> {
    let (user, state) = recorder().await?;
    let held_on = past_day(&input.held_on, "date of the briefing", calendar::today())?;
    let title = line_of_text(&input.title, "a title", MAX_TEXT, true)?;
    let led_by = line_of_text(&input.led_by, "who led it", MAX_TEXT, true)?;
    let mut tx = db::begin(&state.db).await?;
    let (_, allowed) = briefing_requirements(&mut tx, &user.org_id).await?;
    let requirement_id = input.requirement_id.trimmed();
    if !allowed.contains(&requirement_id) {
        return Err(AppError::invalid(
            "Choose the requirement the briefing counts for from the list.",
        ));
    }
    let held_key = day_key(held_on);
    let staff = staff_members(&mut *tx, &user.org_id).await?;
    let chosen = attendees_of(&input, &staff, &held_key)?;
    let id = queries::insert_briefing(
        &mut tx,
        &queries::NewBriefing {
            org_id: &user.org_id,
            held_on: &held_key,
            title: &title,
            led_by: &led_by,
            requirement_id: &requirement_id,
            recorded_by: &user.id,
        },
    )
    .await?;
    for person in &chosen {
        let written = record_completion(
            &mut tx,
            &NewCompletion {
                org_id: &user.org_id,
                user_id: person,
                requirement_id: &requirement_id,
                completed_on: held_on,
                source: source_for("briefing"),
                reference: Some(id.as_str()),
                reason: None,
                recorded_by: Some(&user.id),
            },
        )
        .await?;
        if written.is_none() {
            return Err(AppError::internal("a checked attendee was not recorded"));
        }
    }
    audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        audit::Action::BriefingRecorded,
        Some(id.as_str()),
        &format!("attendees={} requirement={requirement_id}", chosen.len()),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/training/briefings/{id}?done=recorded"));
    Ok(id)
}

fn summary(row: &queries::BriefingRow) -> BriefingSummary {
    BriefingSummary {
        id: row.id.clone(),
        held_on: row.held_on.clone(),
        title: row.title.clone(),
        led_by: row.led_by.clone(),
        requirement: row.requirement.clone(),
        attendees: row.attendees,
    }
}

pub async fn list() -> Result<Vec<BriefingSummary>, AppError> {
    let (user, state) = recorder().await?;
    let rows = queries::briefings(&state.db, &user.org_id).await?;
    Ok(rows.iter().map(summary).collect())
}

pub async fn detail(briefing_id: BriefingId) -> Result<BriefingDetail, AppError> {
    let (user, state) = recorder().await?;
    let row = queries::briefing(&state.db, &user.org_id, &briefing_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let attendees = queries::attendees(&state.db, &user.org_id, &briefing_id)
        .await?
        .into_iter()
        .map(|a| AttendedBy {
            id: a.id,
            full_name: a.full_name,
            email: a.email,
            department: a.department,
            corrected: a.corrected == 1,
        })
        .collect();
    Ok(BriefingDetail {
        summary: summary(&row),
        recorded_by: row.recorded_by.clone(),
        recorded_at: row.recorded_at.clone(),
        attendees,
    })
}

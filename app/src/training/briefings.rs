//! Attended briefings: the People department records a team meeting or a safeguarding
//! e-bulletin (date, title, who led it, the requirement it counts for) and ticks who
//! attended, in one step. Saving writes the briefing and one completion per attendee
//! (source `briefing`, reference the briefing's id) in one transaction, or nothing.
//!
//! The attendee list stays usable for a large organisation: staff are grouped by
//! department, a whole department can be ticked with one box, and a plain GET filter (by
//! name or department) narrows who is shown, with JavaScript on or off.

use crate::error::AppError;
use crate::ids::{BriefingId, PersonId, RequirementId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The most people listed one by one on the form; above this, the form asks for a
/// filter (whole departments can still be ticked).
pub const MAX_LISTED: usize = 300;
/// Put before a person's id in a form key (`attendees[p-ID]`): a key starting with a
/// digit would be read as a list index.
pub const KEY_PREFIX: &str = "p-";
/// The longest title or "led by", in characters.
pub const MAX_TEXT: usize = 200;

/// A requirement a briefing (or a hand-recorded completion) can count for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementChoice {
    pub id: RequirementId,
    pub name: String,
}

/// Someone who can be ticked as attending.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub id: PersonId,
    pub full_name: String,
    pub email: String,
}

/// A department on the form: everyone in it (for the "whole department" box) and those
/// the filter shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentGroup {
    /// As kept on staff records; "" for staff with no department.
    pub name: String,
    pub size: usize,
    pub shown: Vec<Attendee>,
}

/// What the "record a briefing" form shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BriefingSetup {
    pub requirements: Vec<RequirementChoice>,
    pub departments: Vec<DepartmentGroup>,
    /// The filter as typed.
    pub q: String,
    pub department: String,
    /// How many the filter matched, and whether they are too many to list one by one.
    pub matched: usize,
    pub too_many: bool,
}

/// A briefing in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BriefingSummary {
    pub id: BriefingId,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    pub title: String,
    pub led_by: String,
    pub requirement: String,
    pub attendees: i64,
}

/// Someone who attended, as the briefing's page lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendedBy {
    pub id: PersonId,
    pub full_name: String,
    pub email: String,
    pub department: String,
    /// Their completion from this briefing was later corrected or withdrawn.
    pub corrected: bool,
}

/// A briefing's own page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BriefingDetail {
    pub summary: BriefingSummary,
    pub recorded_by: String,
    pub recorded_at: String,
    pub attendees: Vec<AttendedBy>,
}

/// The form, with staff filtered by `q` (part of a name or email) and `department`.
#[server(endpoint = "training/briefing_form")]
pub async fn briefing_form(
    q: Option<String>,
    department: Option<String>,
) -> Result<BriefingSetup, AppError> {
    crate::error::finish(service::form(q, department).await)
}

/// Record a briefing and its attendees: `attendees[p-PERSON_ID]=on` for each ticked
/// person, `departments[dN]=NAME` for each department ticked whole. Day as `02/09/2025`
/// or `2025-09-02`, not in the future.
#[server(endpoint = "training/record_briefing")]
pub async fn record_briefing(
    held_on: String,
    title: String,
    led_by: String,
    requirement_id: RequirementId,
    attendees: Option<HashMap<String, String>>,
    departments: Option<HashMap<String, String>>,
) -> Result<BriefingId, AppError> {
    let input = service::BriefingInput {
        held_on,
        title,
        led_by,
        requirement_id,
        attendees: attendees
            .unwrap_or_default()
            .into_keys()
            .map(|key| PersonId::from_param(key.strip_prefix(KEY_PREFIX).unwrap_or(&key)))
            .collect(),
        departments: departments.unwrap_or_default().into_values().collect(),
    };
    crate::error::finish(service::record(input).await)
}

/// The organisation's briefings, newest first, with how many attended each.
#[server(endpoint = "training/briefings")]
pub async fn list_briefings() -> Result<Vec<BriefingSummary>, AppError> {
    crate::error::finish(service::list().await)
}

/// One briefing and who attended.
#[server(endpoint = "training/briefing")]
pub async fn load_briefing(briefing_id: BriefingId) -> Result<BriefingDetail, AppError> {
    crate::error::finish(service::detail(briefing_id).await)
}

#[cfg(feature = "ssr")]
#[path = "briefing_service.rs"]
pub mod service;

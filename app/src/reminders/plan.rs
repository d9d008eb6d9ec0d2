//! Who gets which reminder on a day: pure, from where the staff stand (`Standing`), the
//! organisation's settings and the day. Whether a reminder was already sent is the run's
//! business (`run`): a plan lists what would go if nothing had been sent before.

use super::types::{ReminderSettings, Stage};
use crate::auth::Role;
use crate::calendar;
use crate::ids::{PersonId, RequirementId};
use crate::training::standing::{StaffMember, Standing};
use crate::training::{RequirementRecord, Status};
use chrono::{Datelike, NaiveDate};
use std::collections::{HashMap, HashSet};

/// One requirement that needs one person now.
#[derive(Clone, Debug)]
pub struct Need<'a> {
    pub person: &'a StaffMember,
    pub requirement: &'a RequirementRecord,
    pub status: Status,
    pub due: NaiveDate,
    pub stage: Stage,
}

impl Need<'_> {
    /// The `notifications_sent` subject of this need's stages: the requirement and due
    /// date, so a new due date starts its stages afresh.
    pub fn subject(&self) -> String {
        stage_subject(&self.requirement.id, self.due)
    }
}

pub fn stage_subject(requirement: &RequirementId, due: NaiveDate) -> String {
    format!("{}/{}", requirement.as_str(), calendar::day_key(due))
}

/// The stage a status has reached, with its due date (None: nothing to remind about).
pub fn stage_of(status: &Status, escalate_after_days: u32) -> Option<(NaiveDate, Stage)> {
    match *status {
        Status::DueSoon { due, days_left: 0 } => Some((due, Stage::Due)),
        Status::DueSoon { due, .. } => Some((due, Stage::DueSoon)),
        Status::Overdue { due, days } if days > escalate_after_days => {
            Some((due, Stage::Escalated))
        }
        Status::Overdue { due, .. } => Some((due, Stage::Overdue)),
        Status::Compliant { .. } | Status::NotYetDue { .. } | Status::NotRequired { .. } => None,
    }
}

/// Still working here on `today`: no leaving date, or one still to come.
pub fn in_post(person: &StaffMember, today: NaiveDate) -> bool {
    person.facts.leaving.is_none_or(|last| last > today)
}

/// Why someone's reminders reach no line manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoManager {
    /// No line manager in their staff record.
    NoneRecorded,
    /// Their line manager has left, been deactivated or is no longer staff.
    ManagerLeft,
}

/// Everything that would go on `today`, before checking what was sent already.
pub struct Plan<'a> {
    /// Each person with something that needs them, and those needs (staff order).
    pub staff: Vec<(&'a StaffMember, Vec<Need<'a>>)>,
    /// Each line manager in post with where the needs of the people below them are in
    /// `staff` (see [`Plan::needs_at`]): a need is listed once per manager above its
    /// person, so copies would grow with the depth of the organisation.
    pub managers: Vec<(&'a StaffMember, Vec<NeedAt>)>,
    /// Everyone overdue by more than the escalation days (in `staff`).
    pub escalated: Vec<NeedAt>,
    /// People with something that needs them and no line manager to chase it.
    pub exceptions: Vec<(&'a StaffMember, NoManager)>,
    /// The People department members in post: the escalation digest's readers (the
    /// administrators when the organisation has nobody in the People department, so an
    /// escalation never goes nowhere).
    pub people_department: Vec<&'a StaffMember>,
    /// Whether the weekly digests go today (their day has come this ISO week).
    pub digest_week: Option<String>,
}

/// Where a need is in [`Plan::staff`]: the person's place, then the need's.
pub type NeedAt = (usize, usize);

impl<'a> Plan<'a> {
    /// The needs at `places` (from [`Plan::managers`] or [`Plan::escalated`]).
    pub fn needs_at(&self, places: &[NeedAt]) -> Vec<&Need<'a>> {
        places
            .iter()
            .filter_map(|&(person, need)| self.staff.get(person)?.1.get(need))
            .collect()
    }

    /// Each manager's digest, as [`Plan::managers`] with the needs themselves.
    pub fn manager_digests(&self) -> impl Iterator<Item = (&'a StaffMember, Vec<&Need<'a>>)> {
        self.managers
            .iter()
            .map(|(manager, places)| (*manager, self.needs_at(places)))
    }
}

/// Plan the day. Nobody who has left is reminded or receives a digest; requirements that
/// do not apply are "not required" in the standing and so never reminded.
pub fn plan<'a>(standing: &'a Standing, settings: &ReminderSettings, today: NaiveDate) -> Plan<'a> {
    let staff: Vec<(&StaffMember, Vec<Need>)> = standing
        .staff
        .iter()
        .filter(|person| in_post(person, today))
        .map(|person| (person, needs_of(standing, person, settings, today)))
        .filter(|(_, needs)| !needs.is_empty())
        .collect();
    let in_post_by_id: HashMap<&PersonId, &StaffMember> = standing
        .staff
        .iter()
        .filter(|p| in_post(p, today))
        .map(|p| (&p.id, p))
        .collect();
    let needing: HashMap<&PersonId, (usize, usize)> = staff
        .iter()
        .enumerate()
        .map(|(at, (p, needs))| (&p.id, (at, needs.len())))
        .collect();
    Plan {
        managers: managers_digests(standing, &in_post_by_id, &needing),
        escalated: staff
            .iter()
            .enumerate()
            .flat_map(|(at, (_, needs))| {
                needs
                    .iter()
                    .enumerate()
                    .filter(|(_, need)| need.stage == Stage::Escalated)
                    .map(move |(n, _)| (at, n))
            })
            .collect(),
        exceptions: staff
            .iter()
            .filter_map(|(person, _)| no_manager(person, &in_post_by_id).map(|why| (*person, why)))
            .collect(),
        people_department: escalation_readers(standing, today),
        digest_week: digest_due(settings.digest_weekday, today),
        staff,
    }
}

fn escalation_readers(standing: &Standing, today: NaiveDate) -> Vec<&StaffMember> {
    let holding = |role: Role| -> Vec<&StaffMember> {
        standing
            .staff
            .iter()
            .filter(|p| in_post(p, today) && p.facts.roles.iter().any(|r| r.role == role))
            .collect()
    };
    let people = holding(Role::People);
    if people.is_empty() {
        holding(Role::Admin)
    } else {
        people
    }
}

fn needs_of<'a>(
    standing: &'a Standing,
    person: &'a StaffMember,
    settings: &ReminderSettings,
    today: NaiveDate,
) -> Vec<Need<'a>> {
    standing
        .requirements
        .iter()
        .filter_map(|requirement| {
            let status = standing.status(person, requirement, today);
            let (due, stage) = stage_of(&status, settings.escalate_after_days)?;
            Some(Need {
                person,
                requirement,
                status,
                due,
                stage,
            })
        })
        .collect()
}

fn no_manager(
    person: &StaffMember,
    in_post: &HashMap<&PersonId, &StaffMember>,
) -> Option<NoManager> {
    match &person.manager_id {
        None => Some(NoManager::NoneRecorded),
        Some(manager) if !in_post.contains_key(manager) => Some(NoManager::ManagerLeft),
        Some(_) => None,
    }
}

/// The ISO week whose digests go on `today`: the week's digest day has come (a digest
/// missed on its day goes on a later day of the same week, never twice).
pub fn digest_due(digest_weekday: u32, today: NaiveDate) -> Option<String> {
    (today.weekday().number_from_monday() >= digest_weekday).then(|| calendar::iso_week_key(today))
}

/// For each manager in post, where the needs are (`needing`: each person's place in the
/// plan's staff and how many needs they have) of everyone below them (at any depth, never
/// themself), following line managers through the records even past someone who left.
fn managers_digests<'a>(
    standing: &'a Standing,
    in_post: &HashMap<&PersonId, &'a StaffMember>,
    needing: &HashMap<&PersonId, (usize, usize)>,
) -> Vec<(&'a StaffMember, Vec<NeedAt>)> {
    let mut reports: HashMap<&PersonId, Vec<&PersonId>> = HashMap::new();
    for person in &standing.staff {
        if let Some(manager) = &person.manager_id {
            reports.entry(manager).or_default().push(&person.id);
        }
    }
    standing
        .staff
        .iter()
        .filter(|p| in_post.contains_key(&p.id) && reports.contains_key(&p.id))
        .filter_map(|manager| {
            let needs: Vec<NeedAt> = below(&manager.id, &reports)
                .into_iter()
                .filter_map(|id| needing.get(id))
                .flat_map(|&(at, count)| (0..count).map(move |n| (at, n)))
                .collect();
            (!needs.is_empty()).then_some((manager, needs))
        })
        .collect()
}

/// Everyone below `top` in the line-management records, nearest first; a loop in the
/// records ends the walk instead of going round it, and `top` is never included.
fn below<'a>(
    top: &'a PersonId,
    reports: &HashMap<&'a PersonId, Vec<&'a PersonId>>,
) -> Vec<&'a PersonId> {
    let mut seen: HashSet<&PersonId> = HashSet::from([top]);
    let mut out = Vec::new();
    let mut next = 0;
    let mut frontier: Vec<&PersonId> = reports.get(top).cloned().unwrap_or_default();
    loop {
        for id in frontier.drain(..) {
            if seen.insert(id) {
                out.push(id);
            }
        }
        if next == out.len() {
            return out;
        }
        for id in &out[next..] {
            frontier.extend(reports.get(id).into_iter().flatten().copied());
        }
        next = out.len();
    }
}

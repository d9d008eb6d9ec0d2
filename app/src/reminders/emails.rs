//! The three reminder emails, drafted from a day's plan for the shared templates
//! (`mail/templates/cpd_*`), which the outbox worker fills in when it sends them. Each says why the reader gets it and carries no more about
//! anyone than a name, a requirement and a date; long lists stop at [`LIST_AT_MOST`] with
//! a link to the page that has them all.

use super::plan::{Need, NoManager};
use super::types::Stage;
use crate::mail::templates::{draft, TemplateError};
use crate::mail::Draft;
use crate::training::standing::StaffMember;
use crate::training::words::{next_step, uk_date};
use crate::training::Status;
use crate::ui::encode_component;
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Serialize;

/// Digests list at most this many rows; the rest are counted, with a link.
pub const LIST_AT_MOST: usize = 50;

/// What the emails need from the organisation and the installation.
pub struct Letterhead<'a> {
    pub org_name: &'a str,
    /// The site's address (`ESAFETY_BASE_URL`), for links.
    pub base_url: &'a str,
    pub escalate_after_days: u32,
    /// A module's title from its slug (built-in modules; an organisation's own shows its slug).
    pub module_title: &'a (dyn Fn(&crate::training::SatisfiedBy) -> Option<String> + Sync),
}

#[derive(Serialize)]
struct Item {
    name: String,
    when: String,
    step: String,
    link: String,
    link_label: String,
}

#[derive(Serialize)]
struct Row {
    name: String,
    requirement: String,
    when: String,
    link: String,
}

#[derive(Serialize)]
struct Exception {
    name: String,
    why: &'static str,
    link: String,
}

/// "overdue since 1 Dec 2026 (5 days)", "due today", "due 18 Dec 2026 (in 16 days)".
pub fn when(status: &Status) -> String {
    let days = |n: u32| {
        if n == 1 {
            "1 day".to_string()
        } else {
            format!("{n} days")
        }
    };
    match *status {
        Status::Overdue { due, days: late } => {
            format!("overdue since {} ({})", uk_date(due), days(late))
        }
        Status::DueSoon { days_left: 0, .. } => "due today".to_string(),
        Status::DueSoon { due, days_left } => {
            format!("due {} (in {})", uk_date(due), days(days_left))
        }
        Status::Compliant { .. } | Status::NotYetDue { .. } | Status::NotRequired { .. } => {
            String::new()
        }
    }
}

fn person_link(head: &Letterhead<'_>, person: &StaffMember) -> String {
    format!(
        "{}/training/people/{}",
        head.base_url,
        encode_component(person.id.as_str())
    )
}

/// The subject of a member of staff's reminder: the most urgent news first.
fn staff_subject(needs: &[Need<'_>]) -> String {
    let count = |stages: &[Stage]| needs.iter().filter(|n| stages.contains(&n.stage)).count();
    let overdue = count(&[Stage::Overdue, Stage::Escalated]);
    let due = count(&[Stage::Due, Stage::DueSoon]);
    match (overdue, due) {
        (0, 1) if needs[0].stage == Stage::Due => format!(
            "Training due today: {}",
            needs[0].requirement.requirement.name
        ),
        (0, 1) => format!(
            "Training due soon: {}",
            needs[0].requirement.requirement.name
        ),
        (1, 0) => format!(
            "Training overdue: {}",
            needs[0].requirement.requirement.name
        ),
        (0, n) => format!("Your training: {n} things due soon"),
        (o, 0) => format!("Your training: {o} things overdue"),
        (o, d) => format!("Your training: {o} overdue, {d} due soon"),
    }
}

/// One email to a member of staff listing everything that needs them.
pub fn staff_reminder(
    head: &Letterhead<'_>,
    person: &StaffMember,
    needs: &[Need<'_>],
) -> Result<Draft, TemplateError> {
    let items: Vec<Item> = needs
        .iter()
        .map(|need| {
            let record = need.requirement;
            let title = (head.module_title)(&record.requirement.satisfied_by);
            let step = next_step(
                &record.requirement.satisfied_by,
                &record.id,
                &need.status,
                title.as_deref(),
            );
            let (href, label) = step
                .link
                .unwrap_or_else(|| ("/training".to_string(), "See your training".to_string()));
            Item {
                name: record.requirement.name.clone(),
                when: when(&need.status),
                step: step.text,
                link: format!("{}{href}", head.base_url),
                link_label: label,
            }
        })
        .collect();
    let escalated = needs.iter().any(|n| n.stage == Stage::Escalated);
    draft(
        "cpd_reminder",
        &person.email,
        staff_subject(needs),
        context! {
            full_name => &person.name,
            org_name => head.org_name,
            count => items.len(),
            items => Value::from(Serde(&items)),
            escalated,
            escalate_after_days => head.escalate_after_days,
            training_link => format!("{}/training", head.base_url),
        },
    )
}

fn rows(head: &Letterhead<'_>, needs: &[&Need<'_>]) -> Vec<Row> {
    needs
        .iter()
        .take(LIST_AT_MOST)
        .map(|need| Row {
            name: need.person.name.clone(),
            requirement: need.requirement.requirement.name.clone(),
            when: when(&need.status),
            link: person_link(head, need.person),
        })
        .collect()
}

/// The number of different people in `needs`.
pub fn people_in(needs: &[&Need<'_>]) -> usize {
    let mut ids: Vec<&str> = needs.iter().map(|n| n.person.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

/// A line manager's weekly digest of the people below them who are overdue or due soon.
pub fn manager_digest(
    head: &Letterhead<'_>,
    manager: &StaffMember,
    needs: &[&Need<'_>],
) -> Result<Draft, TemplateError> {
    let people = people_in(needs);
    let subject = if people == 1 {
        "Weekly training digest: 1 person in your team needs to act".to_string()
    } else {
        format!("Weekly training digest: {people} people in your team need to act")
    };
    draft(
        "cpd_manager_digest",
        &manager.email,
        subject,
        context! {
            full_name => &manager.name,
            org_name => head.org_name,
            people,
            rows => Value::from(Serde(rows(head, needs))),
            more => needs.len().saturating_sub(LIST_AT_MOST),
            team_link => format!("{}/team?all=1", head.base_url),
        },
    )
}

/// The People department's weekly digest: escalations and people no manager is chasing.
pub fn people_digest(
    head: &Letterhead<'_>,
    reader: &StaffMember,
    escalated: &[&Need<'_>],
    exceptions: &[(&StaffMember, NoManager)],
) -> Result<Draft, TemplateError> {
    let listed: Vec<Exception> = exceptions
        .iter()
        .take(LIST_AT_MOST)
        .map(|(person, why)| Exception {
            name: person.name.clone(),
            why: match why {
                NoManager::NoneRecorded => "no line manager in their staff record",
                NoManager::ManagerLeft => "their line manager has left",
            },
            link: person_link(head, person),
        })
        .collect();
    let subject = format!(
        "Weekly training escalation: {} overdue by more than {} days, {} with no manager",
        people_in(escalated),
        head.escalate_after_days,
        exceptions.len()
    );
    draft(
        "cpd_people_digest",
        &reader.email,
        subject,
        context! {
            full_name => &reader.name,
            org_name => head.org_name,
            people_department => reader.facts.roles.iter().any(|r| r.role == crate::auth::Role::People),
            escalate_after_days => head.escalate_after_days,
            escalated_count => escalated.len(),
            escalated_people => people_in(escalated),
            escalated => Value::from(Serde(rows(head, escalated))),
            escalated_more => escalated.len().saturating_sub(LIST_AT_MOST),
            exceptions_count => exceptions.len(),
            exceptions => Value::from(Serde(&listed)),
            exceptions_more => exceptions.len().saturating_sub(LIST_AT_MOST),
            dashboard_link => format!("{}/training/dashboard?status=overdue", head.base_url),
        },
    )
}

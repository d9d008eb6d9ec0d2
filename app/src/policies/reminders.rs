//! Reminders to sign: the report's button (everyone who has not signed, at most once a
//! day each), and the automatic ones (the `policy-reminders` job, every morning): in every
//! organisation, everyone who has had the current version of their policy to sign for a
//! week and has not signed gets the button's reminder, at most once per ISO week per
//! person and version. Reminders go to everyone waiting, so they load the whole list.

use super::report::{asked, reader, Policy};
use super::report_queries as store;
use super::rules::{required_since, roles_asked};
use super::{queries, PolicyKind, ReportRow, SignStatus};
use crate::auth::Role;
use crate::calendar;
use crate::db;
use crate::error::AppError;
use crate::ids::{OrganisationId, PersonId, PolicyVersionId};
use crate::mail;
use crate::notifications::{self, Notification};
use crate::people::queries as people;
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;

/// Everyone the policy applies to in the organisation `org_id` at `now`.
pub(super) struct Built {
    pub current_id: PolicyVersionId,
    pub rows: Vec<Reportee>,
}

/// A person in the report, with what reminders need.
pub(super) struct Reportee {
    pub id: PersonId,
    pub row: ReportRow,
    /// The day since which they have had to sign the current version (if they have not).
    pub asked_since: NaiveDate,
}

/// Everyone asked to sign the `kind` policy, or (`taught_by` a tutor) the learners of the
/// cohorts they teach.
pub(super) async fn build(
    state: &AppState,
    org_id: &OrganisationId,
    kind: PolicyKind,
    now: DateTime<Utc>,
    taught_by: Option<&PersonId>,
) -> Result<Built, AppError> {
    let policy = Policy::load(state, org_id, kind, now).await?;
    let roles = roles_asked(kind);
    let asked = asked(org_id, &roles, taught_by);
    let everyone = people::list(&state.db, &asked).await?.rows;
    let ids: Vec<PersonId> = everyone.iter().map(|p| p.id.clone()).collect();
    let signatures = store::signatures_of_people(&state.db, org_id, &ids).await?;
    let given = first_asked(&store::roles_given(&state.db, org_id).await?, &roles);
    let rows = everyone
        .iter()
        .map(|p| {
            let theirs = policy.signatures_of(&p.id, &signatures);
            let role_given = given.get(&p.id).copied().unwrap_or(NaiveDate::MIN);
            Reportee {
                id: p.id.clone(),
                asked_since: required_since(
                    &policy.versions,
                    &policy.current,
                    &theirs,
                    policy.every_months,
                    role_given,
                ),
                row: policy.row(p, &theirs, None),
            }
        })
        .collect();
    Ok(Built {
        current_id: policy.current.id,
        rows,
    })
}

/// The day each person was first given one of `roles` (those that ask them to sign),
/// from (person, role, given at).
fn first_asked(
    given: &[(PersonId, String, String)],
    roles: &[Role],
) -> HashMap<PersonId, NaiveDate> {
    let mut out: HashMap<PersonId, NaiveDate> = HashMap::new();
    for (person, role, at) in given {
        let asks = Role::parse(role).is_some_and(|r| roles.contains(&r));
        if let Some(day) = db::parse_timestamp(at)
            .filter(|_| asks)
            .map(calendar::today_at)
        {
            out.entry(person.clone())
                .and_modify(|d| *d = (*d).min(day))
                .or_insert(day);
        }
    }
    out
}

/// What a reminder says: why this person is asked.
fn reason(status: SignStatus, org_name: &str, every_months: Option<u32>) -> String {
    match (status, every_months) {
        (SignStatus::Due, Some(months)) => format!(
            "{org_name} asks everyone to read its Acceptable Use Policy and sign it again every {months} months, and it is time for you to sign again."
        ),
        _ => format!(
            "{org_name} asks everyone to read and sign its Acceptable Use Policy. You have not signed the current version yet."
        ),
    }
}

/// A reminder to sign, from the shared email templates.
fn reminder(
    to: &str,
    full_name: &str,
    org_name: &str,
    reason: &str,
    link: &str,
) -> Result<crate::mail::Email, crate::mail::templates::TemplateError> {
    crate::mail::templates::policy_reminder(to, full_name, org_name, reason, link)
}

/// Where a reminder takes its reader: the policy to sign.
fn sign_link(state: &AppState, kind: PolicyKind) -> String {
    format!(
        "{}/policies/sign/{}",
        state.settings.base_url,
        kind.as_str()
    )
}

/// The kind of notification the report's button sends: once a day per person and policy.
pub const BUTTON_REMINDER: &str = "policy-reminder";

pub async fn remind(kind: String) -> Result<(), AppError> {
    let (user, state, kind) = reader(&kind).await?;
    let taught_by = crate::cohorts::access::narrowed_to(&user);
    let rows = build(&state, &user.org_id, kind, Utc::now(), taught_by)
        .await?
        .rows;
    let today = calendar::day_key(calendar::today());
    let link = sign_link(&state, kind);
    let every_months = queries::resign_every_months(&state.db, &user.org_id).await?;
    let mut tx = crate::db::begin(&state.db).await?;
    let mut sent = 0;
    for Reportee { id, row, .. } in rows.iter().filter(|r| r.row.status != SignStatus::Signed) {
        let key = Notification {
            recipient_id: id,
            org_id: Some(&user.org_id),
            kind: BUTTON_REMINDER,
            subject: kind.as_str(),
            period: &today,
        };
        if notifications::first_time(&mut tx, &key).await? {
            let why = reason(row.status, &user.org_name, every_months);
            let email = reminder(&row.email, &row.full_name, &user.org_name, &why, &link)?;
            mail::enqueue(
                &mut tx,
                &state.settings.secret_key,
                Some(&user.org_id),
                &email,
            )
            .await?;
            sent += 1;
        }
    }
    crate::audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        crate::audit::Action::PolicyReminders,
        None,
        &format!("{}: {sent} sent", kind.as_str()),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/policies/report?kind={}&reminded={sent}",
        kind.as_str()
    ));
    Ok(())
}

/// The kind of notification in `notifications_sent`: subject the version, period the week.
pub const WEEKLY_REMINDER: &str = "policy-reminder-weekly";
/// Days someone has to sign before the first automatic reminder.
pub const DAYS_BEFORE_REMINDING: i64 = 7;

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RemindReport {
    /// Reminders queued now.
    pub sent: u64,
    /// People who would be reminded but already were this week.
    pub already: u64,
}

/// Whether `person` is due an automatic reminder on `today`.
fn waiting_a_week(person: &Reportee, today: NaiveDate) -> bool {
    person.row.status != SignStatus::Signed
        && (today - person.asked_since).num_days() >= DAYS_BEFORE_REMINDING
}

/// Remind everyone waiting, in every organisation, at `now`. With `dry_run` nothing is
/// recorded or sent: the report counts who would be reminded (as `sent`). An organisation
/// that fails does not stop the others; the first error is returned at the end, so the
/// job is retried (and the people already reminded are not reminded again).
pub async fn remind_everyone(
    state: &AppState,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<RemindReport, AppError> {
    let mut total = RemindReport::default();
    let mut first_error = None;
    for (org_id, org_name) in queries::organisations(&state.db).await? {
        for kind in PolicyKind::ALL {
            match remind_organisation(state, &org_id, &org_name, kind, now, dry_run).await {
                Ok(done) => {
                    total.sent += done.sent;
                    total.already += done.already;
                }
                Err(error) => {
                    tracing::warn!(org_id = org_id.as_str(), kind = kind.as_str(), %error, "policy reminders failed");
                    first_error.get_or_insert(error);
                }
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(total),
    }
}

async fn remind_organisation(
    state: &AppState,
    org_id: &OrganisationId,
    org_name: &str,
    kind: PolicyKind,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<RemindReport, AppError> {
    let built = build(state, org_id, kind, now, None).await?;
    let today = calendar::today_at(now);
    let week = calendar::iso_week_key(today);
    let waiting: Vec<&Reportee> = built
        .rows
        .iter()
        .filter(|p| waiting_a_week(p, today))
        .collect();
    if dry_run {
        let sent = u64::try_from(waiting.len()).unwrap_or(u64::MAX);
        return Ok(RemindReport { sent, already: 0 });
    }
    let every_months = queries::resign_every_months(&state.db, org_id).await?;
    let link = sign_link(state, kind);
    let mut done = RemindReport::default();
    for person in waiting {
        // One transaction per person: the key and the email go together, and a long
        // organisation does not hold the database's write lock (SQLite) for long.
        let mut tx = crate::db::begin(&state.db).await?;
        let key = Notification {
            recipient_id: &person.id,
            org_id: Some(org_id),
            kind: WEEKLY_REMINDER,
            subject: built.current_id.as_str(),
            period: &week,
        };
        if notifications::first_time(&mut tx, &key).await? {
            let why = reason(person.row.status, org_name, every_months);
            let row = &person.row;
            let email = reminder(&row.email, &row.full_name, org_name, &why, &link)?;
            mail::enqueue(&mut tx, &state.settings.secret_key, Some(org_id), &email).await?;
            done.sent += 1;
        } else {
            done.already += 1;
        }
        tx.commit().await?;
    }
    if done.sent > 0 {
        let mut tx = crate::db::begin(&state.db).await?;
        let detail = format!("{}: {} sent automatically", kind.as_str(), done.sent);
        crate::audit::record(
            &mut tx,
            org_id,
            None,
            crate::audit::Action::PolicyReminders,
            None,
            &detail,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(status: SignStatus, asked_since: NaiveDate) -> Reportee {
        Reportee {
            id: PersonId::from_param("p"),
            row: ReportRow {
                person_id: PersonId::from_param("p"),
                full_name: "Alex Learner".into(),
                email: "alex@example.org".into(),
                status,
                last_signed: None,
                parent: None,
            },
            asked_since,
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("a valid date")
    }

    #[test]
    fn a_week_after_being_asked_someone_who_has_not_signed_is_reminded() {
        assert!(waiting_a_week(
            &person(SignStatus::NotSigned, day(1)),
            day(8)
        ));
        assert!(waiting_a_week(&person(SignStatus::Due, day(1)), day(20)));
        assert!(waiting_a_week(
            &person(SignStatus::SignedOlder, day(1)),
            day(8)
        ));
    }

    #[test]
    fn nobody_is_reminded_before_a_week_or_after_signing() {
        assert!(!waiting_a_week(
            &person(SignStatus::NotSigned, day(2)),
            day(8)
        ));
        assert!(!waiting_a_week(
            &person(SignStatus::Signed, day(1)),
            day(20)
        ));
    }
}

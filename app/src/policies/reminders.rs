//! Automatic reminders to sign (the `policy-reminders` job, every morning): in every
//! organisation, everyone who has had the current version of their policy to sign for a
//! week and has not signed gets the report button's reminder, at most once per ISO week
//! per person and version.

use super::report::{self, Reportee};
use super::{queries, PolicyKind, SignStatus};
use crate::calendar;
use crate::error::AppError;
use crate::mail;
use crate::notifications::{self, Notification};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};

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
                    tracing::warn!(org_id, kind = kind.as_str(), %error, "policy reminders failed");
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
    org_id: &str,
    org_name: &str,
    kind: PolicyKind,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<RemindReport, AppError> {
    let built = report::build(state, org_id, kind, now).await?;
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
    let link = report::sign_link(state, kind);
    let mut done = RemindReport::default();
    for person in waiting {
        // One transaction per person: the key and the email go together, and a long
        // organisation does not hold the database's write lock (SQLite) for long.
        let mut tx = state.db.begin().await?;
        let key = Notification {
            recipient_id: &person.id,
            org_id: Some(org_id),
            kind: WEEKLY_REMINDER,
            subject: &built.current.id,
            period: &week,
        };
        if notifications::first_time(&mut tx, &key).await? {
            let why = report::reason(person.row.status, org_name, every_months);
            let row = &person.row;
            let email = report::reminder(&row.email, &row.full_name, org_name, &why, &link)?;
            mail::enqueue(&mut tx, &state.settings.secret_key, Some(org_id), &email).await?;
            done.sent += 1;
        } else {
            done.already += 1;
        }
        tx.commit().await?;
    }
    if done.sent > 0 {
        let mut tx = state.db.begin().await?;
        let detail = format!("{}: {} sent automatically", kind.as_str(), done.sent);
        crate::audit::record(&mut tx, org_id, None, "policy.reminders", None, &detail).await?;
        tx.commit().await?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policies::ReportRow;

    fn person(status: SignStatus, asked_since: NaiveDate) -> Reportee {
        Reportee {
            id: "p".into(),
            row: ReportRow {
                person_id: "p".into(),
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

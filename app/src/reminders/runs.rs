//! The record of each organisation's daily run (`reminder_runs`): what the job checks to
//! know a day is done, and what the People dashboard and `/healthz` read to say when the
//! reminders last ran and whether that is too long ago.

use super::types::LATE_AFTER_HOURS;
use crate::db::{self, Db};
use crate::ids::OrganisationId;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// The job's name in `jobs` (its registration is when reminders began on this installation).
pub const JOB_NAME: &str = "cpd-reminders";

/// How a day's run for an organisation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The reminders due were queued (perhaps none).
    Sent,
    /// Reminders were paused: nothing was looked at or sent.
    Paused,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Sent => "sent",
            Outcome::Paused => "paused",
        }
    }
}

/// Record that the run for `day` finished (a second run the same day adds its emails).
pub async fn record(
    db: &Db,
    org_id: &OrganisationId,
    day: NaiveDate,
    outcome: Outcome,
    emails: u64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO reminder_runs (org_id, day, finished_at, outcome, emails)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (org_id, day) DO UPDATE SET finished_at = excluded.finished_at,
            outcome = excluded.outcome, emails = reminder_runs.emails + excluded.emails",
    )
    .bind(org_id)
    .bind(crate::calendar::day_key(day))
    .bind(db::now())
    .bind(outcome.as_str())
    .bind(i64::try_from(emails).unwrap_or(i64::MAX))
    .execute(db)
    .await?;
    Ok(())
}

/// How each organisation's run for `day` ended, for those that have one.
pub async fn outcomes_on(
    db: &Db,
    day: NaiveDate,
) -> Result<Vec<(OrganisationId, String)>, sqlx::Error> {
    sqlx::query_as("SELECT org_id, outcome FROM reminder_runs WHERE day = $1")
        .bind(crate::calendar::day_key(day))
        .fetch_all(db)
        .await
}

/// When reminders last ran, and whether that is too long ago.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunHealth {
    pub org_id: OrganisationId,
    /// The last run that finished (None: never).
    pub last_success: Option<DateTime<Utc>>,
    /// No run has finished for [`LATE_AFTER_HOURS`] (counted, if it never ran, from when
    /// the organisation and the reminder job both existed).
    pub late: bool,
}

type HealthRow = (String, String, Option<String>, Option<String>);

/// Every organisation's run health at `now` (one organisation with `only`), in one query.
pub async fn health(
    db: &Db,
    only: Option<&OrganisationId>,
    now: DateTime<Utc>,
) -> Result<Vec<RunHealth>, sqlx::Error> {
    // Both databases want a parameter's type known: the filter is in the text, not `$2 IS NULL`.
    let only_one = if only.is_some() {
        "WHERE o.id = $2"
    } else {
        ""
    };
    let sql = format!(
        "SELECT o.id, o.created_at, MAX(r.finished_at),
                (SELECT created_at FROM jobs WHERE name = $1)
           FROM organisations o
           LEFT JOIN reminder_runs r ON r.org_id = o.id
          {only_one}
          GROUP BY o.id, o.created_at"
    );
    let mut query = sqlx::query_as(&sql).bind(JOB_NAME);
    if let Some(org_id) = only {
        query = query.bind(org_id);
    }
    let rows: Vec<HealthRow> = query.fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(id, created, last, job_since)| {
            let last_success = last.as_deref().and_then(db::parse_timestamp);
            RunHealth {
                org_id: OrganisationId::from_param(&id),
                last_success,
                late: is_late(last_success, &[Some(created), job_since], now),
            }
        })
        .collect())
}

/// Whether reminders are late at `now`: no run has finished for [`LATE_AFTER_HOURS`],
/// counted from the last run or, if none ever finished, from the latest of `began` (the
/// organisation's and the reminder job's creation times, as stored).
pub fn is_late(
    last_success: Option<DateTime<Utc>>,
    began: &[Option<String>],
    now: DateTime<Utc>,
) -> bool {
    let since = began
        .iter()
        .flatten()
        .filter_map(|t| db::parse_timestamp(t))
        .max();
    last_success
        .or(since)
        .is_some_and(|at| now - at > Duration::hours(LATE_AFTER_HOURS))
}

//! Where an organisation's reminders stand, for the People dashboard and the settings
//! page (SQL only): the last run, whether that is too long ago, and the pause.

use super::runs::{self, JOB_NAME};
use crate::db::{self, Db};
use crate::ids::OrganisationId;
use chrono::{DateTime, Utc};

/// The dashboard's reminder facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunStatus {
    /// The last run that finished (None: never).
    pub last_success: Option<DateTime<Utc>>,
    /// As `runs::health` judges it.
    pub late: bool,
    /// Paused since then (the stored time), if paused.
    pub paused_at: Option<String>,
}

type StatusRow = (String, Option<String>, Option<String>, Option<String>);

/// The dashboard's reminder facts at `now`, in one query (the same facts `runs::health`
/// reads, with the pause).
pub async fn run_status(
    db: &Db,
    org_id: &OrganisationId,
    now: DateTime<Utc>,
) -> Result<RunStatus, sqlx::Error> {
    let row: Option<StatusRow> = sqlx::query_as(
        "SELECT o.created_at,
                (SELECT MAX(r.finished_at) FROM reminder_runs r WHERE r.org_id = o.id),
                (SELECT j.created_at FROM jobs j WHERE j.name = $1),
                s.paused_at
           FROM organisations o
           LEFT JOIN reminder_settings s ON s.org_id = o.id
          WHERE o.id = $2",
    )
    .bind(JOB_NAME)
    .bind(org_id)
    .fetch_optional(db)
    .await?;
    let Some((created, last, job_since, paused_at)) = row else {
        return Ok(RunStatus {
            last_success: None,
            late: false,
            paused_at: None,
        });
    };
    let last_success = last.as_deref().and_then(db::parse_timestamp);
    Ok(RunStatus {
        last_success,
        late: runs::is_late(last_success, &[Some(created), job_since], now),
        paused_at,
    })
}

/// Who paused the organisation's reminders and when (the stored time), while paused.
pub async fn paused_by(
    db: &Db,
    org_id: &OrganisationId,
) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT s.paused_at, u.full_name
           FROM reminder_settings s
           LEFT JOIN users u ON u.id = s.paused_by AND u.org_id = s.org_id
          WHERE s.org_id = $1",
    )
    .bind(org_id)
    .fetch_optional(db)
    .await?;
    Ok(row.and_then(|(at, name)| at.map(|at| (at, name))))
}

//! The daily run: for each organisation, plan the day (`plan`), then leave out what was
//! sent before and record, queue and log each email in one transaction per batch of
//! people (`queueing`). A second run, a restart
//! half-way or a second server finds the keys and sends nothing again; a dry run reads
//! the same and writes nothing.

use super::emails::Letterhead;
use super::plan;
use super::queueing::Run;
use super::runs::{self, Outcome};
use super::settings;
use super::types::{ReminderKind, ReminderSettings};
use crate::calendar;
use crate::ids::OrganisationId;
use crate::state::AppState;
use crate::training::standing::{self, Scope};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("reminders: database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("reminders: {0}")]
    Template(#[from] crate::mail::templates::TemplateError),
    #[error("reminders: {0}")]
    Queue(#[from] crate::mail::QueueError),
}

/// One email a run queued, or (dry run) would queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    pub kind: ReminderKind,
    pub to_name: String,
    pub to_email: String,
    /// What it lists, in a few words: also the reminder log's summary.
    pub summary: String,
}

/// What a run keeps of the emails it queues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// Each email, to print or compare: the command line and a dry run.
    Every,
    /// Only how many: the daily job, which would otherwise hold an entry per email
    /// (about 25 MB over 100,000 staff) for one log line. The reminder log has them all.
    Count,
}

/// What a run did for one organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgReport {
    pub org_id: OrganisationId,
    pub org_name: String,
    pub paused: bool,
    /// How many emails were queued (with a dry run: would be).
    pub queued: u64,
    /// The emails queued (with a dry run: that would be queued), with [`Listing::Every`];
    /// empty with [`Listing::Count`].
    pub emails: Vec<Outgoing>,
    /// People with something due who had already been reminded at its stage.
    pub already: u64,
}

/// The scheduled job: every organisation whose sending hour has come at `now` (London
/// time) and whose run for today has not finished. An organisation that fails does not
/// stop the others; the first error is returned so the job is retried. The reports
/// count the emails ([`Listing::Count`]).
pub async fn run_due(state: &AppState, now: DateTime<Utc>) -> Result<Vec<OrgReport>, RunError> {
    let today = calendar::today_at(now);
    let hour = calendar::local_hour(now);
    let finished = runs::outcomes_on(&state.db, today).await?;
    let mut due = Vec::new();
    for (org_id, name, settings) in settings::all(&state.db).await? {
        let outcome = finished
            .iter()
            .find(|(id, _)| *id == org_id)
            .map(|(_, o)| o.as_str());
        let done = match outcome {
            Some("sent") => true,
            // A run that found reminders paused is done only while they stay paused.
            Some(_) => settings.is_paused(),
            None => false,
        };
        if hour >= settings.send_hour && !done {
            due.push((org_id, name, settings));
        }
    }
    let how = How {
        dry_run: false,
        listing: Listing::Count,
    };
    run_each(state, due, today, how).await
}

/// Every organisation, for `today`, whatever the hour (the command line), listing each
/// email ([`Listing::Every`]).
pub async fn run_all(
    state: &AppState,
    today: NaiveDate,
    dry_run: bool,
) -> Result<Vec<OrgReport>, RunError> {
    let all = settings::all(&state.db).await?;
    let how = How {
        dry_run,
        listing: Listing::Every,
    };
    run_each(state, all, today, how).await
}

/// How a run goes: for real or dry, and what it keeps of the emails.
#[derive(Clone, Copy, Debug)]
pub struct How {
    pub dry_run: bool,
    pub listing: Listing,
}

async fn run_each(
    state: &AppState,
    orgs: Vec<(OrganisationId, String, ReminderSettings)>,
    today: NaiveDate,
    how: How,
) -> Result<Vec<OrgReport>, RunError> {
    let mut reports = Vec::new();
    let mut first_error = None;
    for (org_id, name, settings) in orgs {
        match run_organisation(state, &org_id, &name, &settings, today, how).await {
            Ok(report) => reports.push(report),
            Err(error) => {
                tracing::warn!(org_id = org_id.as_str(), %error, "staff reminders failed");
                first_error.get_or_insert(error);
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(reports),
    }
}

/// One organisation's run for `today`.
pub async fn run_organisation(
    state: &AppState,
    org_id: &OrganisationId,
    org_name: &str,
    settings: &ReminderSettings,
    today: NaiveDate,
    how: How,
) -> Result<OrgReport, RunError> {
    let mut report = OrgReport {
        org_id: org_id.clone(),
        org_name: org_name.to_string(),
        paused: settings.is_paused(),
        queued: 0,
        emails: Vec::new(),
        already: 0,
    };
    if settings.is_paused() {
        if !how.dry_run {
            runs::record(&state.db, org_id, today, Outcome::Paused, 0).await?;
        }
        return Ok(report);
    }
    let standing = standing::load_on(&state.db, org_id, Scope::Organisation, today).await?;
    let plan = plan::plan(&standing, settings, today);
    let title =
        |by: &crate::training::SatisfiedBy| crate::training::views_service::module_title(state, by);
    let head = Letterhead {
        org_name,
        base_url: &state.settings.base_url,
        escalate_after_days: settings.escalate_after_days,
        module_title: &title,
    };
    let run = Run::new(state, org_id, today, how);
    run.staff(&head, &plan, &mut report).await?;
    if let Some(week) = &plan.digest_week {
        run.managers(&head, &plan, week, &mut report).await?;
        run.people(&head, &plan, week, &mut report).await?;
    }
    if !how.dry_run {
        runs::record(&state.db, org_id, today, Outcome::Sent, report.queued).await?;
    }
    Ok(report)
}

// A run fails only on the installation's faults (database, templates), never on input.
impl From<RunError> for crate::error::AppError {
    fn from(error: RunError) -> Self {
        crate::error::AppError::internal(error)
    }
}

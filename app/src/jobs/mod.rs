//! Scheduled jobs, safe with several app servers on one database.
//!
//! Each job has a row in `jobs`. Every second each server checks its jobs; one that is due
//! is claimed with one conditional UPDATE (a lease), so exactly one server runs it. While it
//! runs, its holder renews the lease; a server that dies leaves a lease that runs out, and
//! another server takes the job over. The outcome is recorded (last success, or the error
//! and a retry soon) and the next run scheduled: every N seconds, or daily at a London hour.

pub mod queries;

use crate::calendar;
use crate::db::{self, Db};
use chrono::{DateTime, Duration, Utc};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum JobsError {
    #[error("scheduled jobs: database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// When a job runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// Every this many seconds, counted from the end of the previous run.
    EverySeconds(u32),
    /// Once a day when London clocks show this hour (0 to 23), summer and winter.
    DailyAt { hour: u32 },
}

/// A failed run is tried again after this long (or at its next scheduled run, if sooner).
pub const RETRY_AFTER_SECONDS: i64 = 300;
/// How long a lease lasts without renewal: how soon a job left by a dead server resumes.
pub const LEASE_SECONDS: i64 = 60;

impl Schedule {
    /// The next run after one that ended at `now`.
    pub fn next_after(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Schedule::EverySeconds(seconds) => now + Duration::seconds(i64::from(seconds.max(1))),
            Schedule::DailyAt { hour } => calendar::next_local_hour(now, hour),
        }
    }

    /// The first run of a job never run before: an interval job at once, a daily job at
    /// its next hour.
    fn first_run(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Schedule::EverySeconds(_) => now,
            Schedule::DailyAt { .. } => self.next_after(now),
        }
    }

    /// How long without a success before the job counts as late: a day and a half for a
    /// daily job (one missed run, with time to retry), else three missed runs and at least
    /// ten minutes (so a short outage or a long batch of email is not an alarm).
    pub fn late_after(self) -> Duration {
        match self {
            Schedule::EverySeconds(seconds) => {
                Duration::seconds(i64::from(seconds) * 3).max(Duration::minutes(10))
            }
            Schedule::DailyAt { .. } => Duration::hours(36),
        }
    }
}

type Run = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// A named piece of work and its schedule.
#[derive(Clone)]
pub struct Job {
    pub name: &'static str,
    pub schedule: Schedule,
    /// How long without a success before `/healthz` calls it late, if not the schedule's.
    late_after: Option<Duration>,
    run: Arc<dyn Fn() -> Run + Send + Sync>,
}

impl Job {
    /// `run` makes one run; its error is kept (as text) in the job's row.
    pub fn new<F, Fut, E>(name: &'static str, schedule: Schedule, run: F) -> Job
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: std::fmt::Display,
    {
        Job {
            name,
            schedule,
            late_after: None,
            run: Arc::new(move || {
                let fut = run();
                Box::pin(async move { fut.await.map_err(|e| e.to_string()) })
            }),
        }
    }
}

impl Job {
    /// The same job, late only after `late_after` without a success (a job that checks
    /// often for work done once a day, say).
    pub fn late_after(mut self, late_after: Duration) -> Job {
        self.late_after = Some(late_after);
        self
    }
}

/// What one attempt to run a job did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ran {
    /// Not due, or another server holds it.
    Skipped,
    Succeeded,
    Failed(String),
}

/// The jobs of one app server, and its identity as a lease holder.
pub struct Scheduler {
    db: Db,
    holder: String,
    lease: Duration,
    jobs: Vec<Job>,
}

impl Scheduler {
    pub fn new(db: Db) -> Scheduler {
        Scheduler {
            db,
            holder: db::new_id(),
            lease: Duration::seconds(LEASE_SECONDS),
            jobs: Vec::new(),
        }
    }

    /// The same scheduler with leases of `lease` (tests use short ones).
    pub fn with_lease(mut self, lease: Duration) -> Scheduler {
        self.lease = lease;
        self
    }

    pub fn with_job(mut self, job: Job) -> Scheduler {
        self.jobs.push(job);
        self
    }

    /// This server's name in `jobs.held_by`.
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Give each job its row, if it has none yet.
    pub async fn register(&self, now: DateTime<Utc>) -> Result<(), JobsError> {
        for job in &self.jobs {
            let late = job
                .late_after
                .unwrap_or_else(|| job.schedule.late_after())
                .num_seconds();
            let first = db::timestamp(job.schedule.first_run(now));
            queries::register(&self.db, job.name, &db::timestamp(now), &first, late).await?;
        }
        Ok(())
    }

    /// Try every job once, one after the other.
    pub async fn run_due(&self, now: DateTime<Utc>) -> Result<Vec<(&'static str, Ran)>, JobsError> {
        let mut out = Vec::new();
        for job in &self.jobs {
            out.push((job.name, self.run_if_due(job, now).await?));
        }
        Ok(out)
    }

    /// Take only the lease of `name` (as a server that then dies would); true if taken.
    pub async fn claim(&self, name: &str, now: DateTime<Utc>) -> Result<bool, JobsError> {
        let until = db::timestamp(now + self.lease);
        Ok(queries::claim(&self.db, name, &self.holder, &db::timestamp(now), &until).await?)
    }

    /// Run `job` if it is due at `now` and this server wins its lease; record the outcome.
    pub async fn run_if_due(&self, job: &Job, now: DateTime<Utc>) -> Result<Ran, JobsError> {
        let at = db::timestamp(now);
        if !queries::is_due(&self.db, job.name, &at).await? || !self.claim(job.name, now).await? {
            return Ok(Ran::Skipped);
        }
        let started = tokio::time::Instant::now();
        // Times follow `now` (tests pass times to come) plus the real time the run took.
        let clock = move || now + Duration::from_std(started.elapsed()).unwrap_or_default();
        let outcome = self.run_renewing(job, &clock).await;
        let ended = clock();
        let kept = match &outcome {
            Ok(()) => {
                let next = db::timestamp(job.schedule.next_after(ended));
                queries::succeeded(
                    &self.db,
                    job.name,
                    &self.holder,
                    &db::timestamp(ended),
                    &next,
                )
                .await?
            }
            Err(error) => {
                tracing::warn!(job = job.name, %error, "scheduled job failed; will retry");
                let retry = job
                    .schedule
                    .next_after(ended)
                    .min(ended + Duration::seconds(RETRY_AFTER_SECONDS));
                let (at, retry) = (db::timestamp(ended), db::timestamp(retry));
                queries::failed(&self.db, job.name, &self.holder, &at, error, &retry).await?
            }
        };
        if !kept {
            tracing::warn!(
                job = job.name,
                "lease lost during the run; outcome not recorded"
            );
        }
        Ok(match outcome {
            Ok(()) => Ran::Succeeded,
            Err(error) => Ran::Failed(error),
        })
    }

    /// Run the job in its own task (a panic becomes an error), renewing the lease meanwhile.
    async fn run_renewing(
        &self,
        job: &Job,
        clock: &(impl Fn() -> DateTime<Utc> + Sync),
    ) -> Result<(), String> {
        let mut work = tokio::spawn((job.run)());
        let every = (self.lease / 3)
            .to_std()
            .unwrap_or(std::time::Duration::from_secs(1));
        let mut renew = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            tokio::select! {
                done = &mut work => {
                    return done.unwrap_or_else(|e| Err(format!("the job stopped: {e}")));
                }
                _ = renew.tick() => {
                    let until = db::timestamp(clock() + self.lease);
                    match queries::renew(&self.db, job.name, &self.holder, &until).await {
                        Ok(true) => {}
                        Ok(false) => tracing::warn!(job = job.name, "lease taken over by another server"),
                        Err(error) => tracing::warn!(job = job.name, %error, "lease not renewed"),
                    }
                }
            }
        }
    }

    /// Register the jobs, then check each one every second, for as long as the server runs.
    pub fn spawn(self) {
        let scheduler = Arc::new(self);
        tokio::spawn(async move {
            while let Err(error) = scheduler.register(Utc::now()).await {
                tracing::warn!(%error, "cannot register scheduled jobs; trying again");
                tokio::time::sleep(std::time::Duration::from_secs(10)).await;
            }
            for job in scheduler.jobs.clone() {
                let scheduler = scheduler.clone();
                tokio::spawn(async move {
                    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
                    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                    loop {
                        tick.tick().await;
                        if let Err(error) = scheduler.run_if_due(&job, Utc::now()).await {
                            tracing::warn!(job = job.name, %error, "scheduled job not run");
                        }
                    }
                });
            }
        });
    }
}

/// A job's record, for `/healthz` and people looking after the servers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobStatus {
    pub name: String,
    pub registered_at: Option<DateTime<Utc>>,
    pub next_run_at: Option<DateTime<Utc>>,
    /// The server running it now, if any.
    pub held_by: Option<String>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    /// Errors since the last success.
    pub failures: i64,
    pub late_after: Duration,
}

impl JobStatus {
    fn from_row(row: queries::JobRow) -> JobStatus {
        let time = |t: Option<String>| t.as_deref().and_then(db::parse_timestamp);
        JobStatus {
            registered_at: db::parse_timestamp(&row.created_at),
            next_run_at: db::parse_timestamp(&row.next_run_at),
            held_by: row.held_by,
            last_success_at: time(row.last_success_at),
            last_error: row.last_error,
            last_error_at: time(row.last_error_at),
            failures: row.failures,
            late_after: Duration::seconds(row.late_after_seconds),
            name: row.name,
        }
    }

    /// No success for longer than the job's schedule allows (counted from registration for a
    /// job that never succeeded).
    pub fn is_late(&self, now: DateTime<Utc>) -> bool {
        self.last_success_at
            .or(self.registered_at)
            .is_none_or(|since| now - since > self.late_after)
    }

    /// One line for `/healthz` about a late job.
    pub fn late_line(&self) -> String {
        let success = self
            .last_success_at
            .map_or_else(|| "never".to_string(), db::timestamp);
        let error = match (&self.last_error, self.failures) {
            (Some(error), n) if n > 0 => format!("; failing ({n} times), last error: {error}"),
            _ => String::new(),
        };
        format!(
            "late: job {} last succeeded {success}, expected within {}{error}",
            self.name,
            in_words(self.late_after)
        )
    }
}

/// "36 hours", "10 minutes": a job's allowance as people say it.
fn in_words(d: Duration) -> String {
    match (d.num_hours(), d.num_minutes()) {
        (1, _) => "1 hour".to_string(),
        (h, _) if h > 1 => format!("{h} hours"),
        (_, m) => format!("{m} minutes"),
    }
}

/// Every job's record, by name.
pub async fn status(db: &Db) -> Result<Vec<JobStatus>, JobsError> {
    Ok(queries::all(db)
        .await?
        .into_iter()
        .map(JobStatus::from_row)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .expect("a valid time")
    }

    #[test]
    fn an_interval_job_runs_again_after_its_interval() {
        let now = utc(2026, 12, 2, 10);
        assert_eq!(
            Schedule::EverySeconds(2).next_after(now),
            now + Duration::seconds(2)
        );
        assert_eq!(Schedule::EverySeconds(2).first_run(now), now);
    }

    #[test]
    fn a_daily_job_runs_at_its_london_hour() {
        let daily = Schedule::DailyAt { hour: 8 };
        // 2 December: GMT, so 08:00 London is 08:00 UTC; the first run waits for it.
        assert_eq!(daily.first_run(utc(2026, 12, 2, 10)), utc(2026, 12, 3, 8));
        // June: BST, 08:00 London is 07:00 UTC.
        assert_eq!(daily.next_after(utc(2026, 6, 2, 6)), utc(2026, 6, 2, 7));
    }

    #[test]
    fn lateness_allows_a_missed_daily_run_and_a_few_missed_short_ones() {
        assert_eq!(
            Schedule::DailyAt { hour: 8 }.late_after(),
            Duration::hours(36)
        );
        assert_eq!(
            Schedule::EverySeconds(2).late_after(),
            Duration::minutes(10)
        );
        assert_eq!(
            Schedule::EverySeconds(3600).late_after(),
            Duration::hours(3)
        );
    }

    #[test]
    fn a_job_is_late_when_its_last_success_is_too_old() {
        let now = utc(2026, 12, 3, 20);
        let mut status = JobStatus {
            name: "policy-reminders".into(),
            registered_at: Some(utc(2026, 11, 1, 0)),
            next_run_at: None,
            held_by: None,
            last_success_at: Some(utc(2026, 12, 3, 8)),
            last_error: None,
            last_error_at: None,
            failures: 0,
            late_after: Duration::hours(36),
        };
        assert!(!status.is_late(now));
        status.last_success_at = Some(utc(2026, 12, 2, 7)); // 37 hours before
        assert!(status.is_late(now));
        status.last_success_at = None;
        assert!(
            status.is_late(now),
            "never succeeded since registration a month ago"
        );
        status.registered_at = Some(utc(2026, 12, 3, 19));
        assert!(!status.is_late(now), "just registered");
        assert_eq!(
            status.late_line(),
            "late: job policy-reminders last succeeded never, expected within 36 hours"
        );
    }
}

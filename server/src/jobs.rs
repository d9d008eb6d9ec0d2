//! Background work, wiring only: which jobs run and when. The scheduler (`app::jobs`) makes
//! each run happen on one app server at a time and records its last success for /healthz.

use app::db::DbSessionStore;
use app::jobs::{Job, Schedule, Scheduler};
use app::mail::outbox;
use app::mail::transport::Mailer;
use app::policies::reminders;
use app::state::AppState;
use lettre::message::Mailbox;

/// How often the outbox is checked for due email.
pub const OUTBOX: Schedule = Schedule::EverySeconds(2);
const SESSION_CLEANUP: Schedule = Schedule::EverySeconds(3600);
/// Automatic reminders to sign policies: every morning at 08:00 London time.
pub const POLICY_REMINDERS: Schedule = Schedule::DailyAt { hour: 8 };

/// Staff CPD reminders: checked every five minutes; each organisation's run goes once a
/// day, at or after its own sending hour (London time).
pub const CPD_REMINDERS: Schedule = Schedule::EverySeconds(300);

/// The server's jobs, not yet started.
/// `keep_sent`: how long a sent email's record is kept (ESAFETY_MAIL_RETENTION_DAYS).
pub fn scheduler(
    state: AppState,
    mailer: Mailer,
    from: Mailbox,
    keep_sent: chrono::Duration,
) -> Scheduler {
    let db = state.db.clone();
    let outbox_db = db.clone();
    let tidy_db = db.clone();
    let secret = state.settings.secret_key.clone();
    let store = DbSessionStore::new(db.clone());
    Scheduler::new(db)
        .with_job(Job::new("outbox", OUTBOX, move || {
            let (db, mailer, from, secret) = (
                outbox_db.clone(),
                mailer.clone(),
                from.clone(),
                secret.clone(),
            );
            async move {
                outbox::send_due(&db, &mailer, &from, &secret, keep_sent)
                    .await
                    .map(|_| ())
            }
        }))
        .with_job(Job::new("session-cleanup", SESSION_CLEANUP, move || {
            let (store, db) = (store.clone(), tidy_db.clone());
            async move {
                store.delete_expired().await?;
                // Rate-limit windows that ended long ago: nothing reads them.
                app::limits::purge_old(&db).await.map(|_| ())
            }
        }))
        .with_job(cpd_reminders(state.clone()))
        .with_job(Job::new("policy-reminders", POLICY_REMINDERS, move || {
            let state = state.clone();
            async move {
                let done = reminders::remind_everyone(&state, chrono::Utc::now(), false).await?;
                tracing::info!(sent = done.sent, "policy reminders queued");
                Ok::<(), app::error::AppError>(())
            }
        }))
}

fn cpd_reminders(state: AppState) -> Job {
    Job::new(app::reminders::runs::JOB_NAME, CPD_REMINDERS, move || {
        let state = state.clone();
        async move {
            let reports = app::reminders::run::run_due(&state, chrono::Utc::now()).await?;
            for report in reports {
                tracing::info!(
                    org = report.org_name,
                    queued = report.queued,
                    paused = report.paused,
                    "staff reminders"
                );
            }
            Ok::<(), app::reminders::run::RunError>(())
        }
    })
    .late_after(chrono::Duration::hours(app::reminders::LATE_AFTER_HOURS))
}

/// Start the jobs; they run for as long as the server does.
pub fn spawn(state: AppState, mailer: Mailer, from: Mailbox, keep_sent: chrono::Duration) {
    scheduler(state, mailer, from, keep_sent).spawn();
}

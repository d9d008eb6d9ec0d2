//! Scheduled jobs shared by several servers, their health, and the daily policy reminders
//! (sent once a week per person however often and however concurrently the job runs).

use crate::helpers::*;
use app::auth::Role;
use app::calendar;
use app::jobs::{self, Job, Ran, Schedule, Scheduler};
use app::policies::reminders;
use app::state::AppState;
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc, Weekday};
use reqwest::StatusCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A job counting its runs; each run takes a little while, so racing servers overlap.
fn counting(name: &'static str, schedule: Schedule, runs: Arc<AtomicU64>) -> Job {
    Job::new(name, schedule, move || {
        let runs = runs.clone();
        async move {
            runs.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            Ok::<(), String>(())
        }
    })
}

async fn status_of(app: &TestApp, name: &str) -> jobs::JobStatus {
    jobs::status(&app.db)
        .await
        .expect("status reads")
        .into_iter()
        .find(|j| j.name == name)
        .unwrap_or_else(|| panic!("job {name} registered"))
}

// Two threads, so the two runs really overlap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_racing_for_a_due_job_run_it_once() {
    let app = spawn_app().await;
    let runs = Arc::new(AtomicU64::new(0));
    let hourly = Schedule::EverySeconds(3600);
    let a = Scheduler::new(app.db.clone()).with_job(counting("race", hourly, runs.clone()));
    let b = Scheduler::new(app.db.clone()).with_job(counting("race", hourly, runs.clone()));
    let start = Utc::now();
    a.register(start).await.expect("register");
    b.register(start).await.expect("register again");
    for round in 0..5 {
        // Each round is two hours on: the hourly job is due again; both servers try at once.
        let now = start + Duration::hours(2 * round) + Duration::seconds(1);
        let (ran_a, ran_b) = tokio::join!(a.run_due(now), b.run_due(now));
        let mut outcomes = [
            ran_a.expect("a runs")[0].1.clone(),
            ran_b.expect("b runs")[0].1.clone(),
        ];
        outcomes.sort_by_key(|r| r == &Ran::Succeeded);
        assert_eq!(outcomes, [Ran::Skipped, Ran::Succeeded], "round {round}");
    }
    assert_eq!(runs.load(Ordering::SeqCst), 5, "one run per round, not two");
}

#[tokio::test]
async fn a_lease_left_by_a_crashed_server_is_taken_over_when_it_ends() {
    let app = spawn_app().await;
    let runs = Arc::new(AtomicU64::new(0));
    let job = || counting("crash", Schedule::EverySeconds(60), runs.clone());
    let lease = Duration::seconds(60);
    let crashed = Scheduler::new(app.db.clone())
        .with_lease(lease)
        .with_job(job());
    let other = Scheduler::new(app.db.clone())
        .with_lease(lease)
        .with_job(job());
    let now = Utc::now();
    crashed.register(now).await.expect("register");
    // The first server takes the lease and dies before running or recording anything.
    assert!(crashed.claim("crash", now).await.expect("claim"));
    assert_eq!(
        status_of(&app, "crash").await.held_by.as_deref(),
        Some(crashed.holder())
    );

    let while_held = other
        .run_due(now + Duration::seconds(30))
        .await
        .expect("runs");
    assert_eq!(while_held[0].1, Ran::Skipped, "the lease still runs");
    assert_eq!(runs.load(Ordering::SeqCst), 0);

    let after = now + lease + Duration::seconds(1);
    let taken_over = other.run_due(after).await.expect("runs");
    assert_eq!(
        taken_over[0].1,
        Ran::Succeeded,
        "taken over once the lease ended"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    let status = status_of(&app, "crash").await;
    assert_eq!(status.held_by, None, "lease released");
    assert!(status.last_success_at.is_some_and(|t| t >= after));
}

#[tokio::test]
async fn an_error_is_recorded_and_the_job_retried_soon() {
    let app = spawn_app().await;
    let attempts = Arc::new(AtomicU64::new(0));
    let counter = attempts.clone();
    let daily = Schedule::DailyAt { hour: 8 };
    let scheduler = Scheduler::new(app.db.clone()).with_job(Job::new("flaky", daily, move || {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            match n {
                0 => Err("the mail server is down".to_string()),
                _ => Ok(()),
            }
        }
    }));
    scheduler.register(Utc::now()).await.expect("register");
    let first = status_of(&app, "flaky")
        .await
        .next_run_at
        .expect("scheduled");
    assert_eq!(
        first,
        calendar::next_local_hour(Utc::now(), 8),
        "daily at 08:00 London"
    );

    let failed = scheduler.run_due(first).await.expect("runs");
    assert_eq!(failed[0].1, Ran::Failed("the mail server is down".into()));
    let status = status_of(&app, "flaky").await;
    assert_eq!(
        status.last_error.as_deref(),
        Some("the mail server is down")
    );
    assert_eq!(status.failures, 1);
    assert_eq!(status.last_success_at, None);
    let retry = status.next_run_at.expect("retry scheduled");
    assert!(
        retry > first && retry <= first + Duration::minutes(6),
        "retried in minutes, not tomorrow: {retry}"
    );

    let too_soon = scheduler
        .run_due(first + Duration::minutes(1))
        .await
        .expect("runs");
    assert_eq!(too_soon[0].1, Ran::Skipped);
    let retried = scheduler.run_due(retry).await.expect("runs");
    assert_eq!(retried[0].1, Ran::Succeeded);
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
    let status = status_of(&app, "flaky").await;
    let success = status.last_success_at.expect("last success recorded");
    assert_eq!(status.failures, 0);
    assert_eq!(
        status.next_run_at,
        Some(calendar::next_local_hour(success, 8))
    );
}

#[tokio::test]
async fn status_shows_the_last_success_and_healthz_names_late_jobs() {
    let app = spawn_app().await;
    let client = browser();
    let runs = Arc::new(AtomicU64::new(0));
    let daily = Schedule::DailyAt { hour: 8 };
    let scheduler = Scheduler::new(app.db.clone()).with_job(counting("nightly", daily, runs));
    // Registered four days ago, last run (successfully) at its first 08:00 then.
    let long_ago = Utc::now() - Duration::days(4);
    scheduler.register(long_ago).await.expect("register");
    let first = calendar::next_local_hour(long_ago, 8);
    assert_eq!(
        scheduler.run_due(first).await.expect("runs")[0].1,
        Ran::Succeeded
    );
    let status = status_of(&app, "nightly").await;
    assert!(status.last_success_at.is_some_and(|t| t >= first));

    let r = app.get(&client, "/healthz").await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "late jobs do not fail the check"
    );
    let body = r.text().await.expect("body");
    assert!(body.starts_with("ok\n"), "{body}");
    assert!(body.contains("late: job nightly last succeeded"), "{body}");
    assert!(body.contains("expected within 36 hours"), "{body}");

    // It runs again now (its next run is long past): healthy again.
    assert_eq!(
        scheduler.run_due(Utc::now()).await.expect("runs")[0].1,
        Ran::Succeeded
    );
    let r = app.get(&client, "/healthz").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.expect("body"), "ok");
}

fn state_of(app: &TestApp) -> AppState {
    let content = server::load_content(&app.config).expect("content loads");
    server::app_state(&app.config, app.db.clone(), content).expect("the site files load")
}

#[tokio::test]
async fn the_server_runs_its_jobs_on_the_scheduler() {
    let app = spawn_app().await;
    let (sink, url) = SmtpSink::start();
    let mailer = app::mail::transport::Mailer::smtp(&url).expect("smtp mailer");
    let scheduler = server::jobs::scheduler(
        state_of(&app),
        mailer,
        app.config.mail_from.clone(),
        app.config.mail_retention,
    );
    let now = Utc::now();
    scheduler.register(now).await.expect("register");
    let names: Vec<String> = jobs::status(&app.db)
        .await
        .expect("status")
        .into_iter()
        .map(|j| j.name)
        .collect();
    assert_eq!(
        names,
        [
            "cpd-reminders",
            "outbox",
            "policy-reminders",
            "session-cleanup"
        ]
    );
    let cpd = jobs::status(&app.db)
        .await
        .expect("status")
        .into_iter()
        .find(|j| j.name == "cpd-reminders")
        .expect("registered");
    assert_eq!(
        cpd.late_after,
        Duration::hours(36),
        "checked every 5 minutes, late after 36 hours"
    );

    let mut tx = app.db.begin().await.expect("tx");
    let email = app::mail::Email {
        to: "someone@example.org".into(),
        subject: "Hello".into(),
        text: "Hello".into(),
        html: "<p>Hello</p>".into(),
    };
    app::mail::enqueue(&mut tx, &app.config.secret_key, None, &email)
        .await
        .expect("queued");
    tx.commit().await.expect("commit");
    let ran = scheduler.run_due(now).await.expect("runs");
    assert!(ran.contains(&("outbox", Ran::Succeeded)), "{ran:?}");
    assert!(
        ran.contains(&("session-cleanup", Ran::Succeeded)),
        "{ran:?}"
    );
    assert!(
        ran.contains(&("cpd-reminders", Ran::Succeeded)),
        "checks each organisation's hour at once: {ran:?}"
    );
    assert!(
        ran.contains(&("policy-reminders", Ran::Skipped)),
        "not before 08:00: {ran:?}"
    );
    let sent = sink.messages();
    assert!(
        sent.iter().any(|m| m.contains("someone@example.org")),
        "the outbox job sent the email: {sent:?}"
    );
}

/// Monday 10:00 UTC of the first week starting at least `days` days from now, so runs an
/// hour or two apart stay in one ISO week.
fn a_monday_at_least(days: i64) -> DateTime<Utc> {
    let mut day = calendar::today() + Duration::days(days);
    while day.weekday() != Weekday::Mon {
        day += Duration::days(1);
    }
    Utc.from_utc_datetime(&day.and_hms_opt(10, 0, 0).expect("a valid time"))
}

async fn reminders_to(app: &TestApp, email: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE to_address = $1")
        .bind(email)
        .fetch_one(&app.db)
        .await
        .expect("count");
    n
}

async fn remind(state: &AppState, at: DateTime<Utc>) -> reminders::RemindReport {
    reminders::remind_everyone(state, at, false)
        .await
        .expect("reminders run")
}

// Two threads, so the two runs really overlap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_reminder_goes_once_a_week_to_people_waiting_a_week() {
    let app = spawn_app().await;
    let state = state_of(&app);
    add_person(
        &app,
        "demo",
        "waiting@demo.test",
        "Wes Waiting",
        Role::Learner,
    )
    .await;
    add_person(
        &app,
        "demo",
        "signed@demo.test",
        "Sid Signed",
        Role::Learner,
    )
    .await;
    add_person(&app, "demo", "gone@demo.test", "Gus Gone", Role::Learner).await;
    let recent = add_person(
        &app,
        "demo",
        "recent@demo.test",
        "Rae Recent",
        Role::Learner,
    )
    .await;
    app.signed_in("signed@demo.test").await;
    sqlx::query("UPDATE users SET deactivated_at = $1 WHERE email = 'gone@demo.test'")
        .bind(app::db::now())
        .execute(&app.db)
        .await
        .expect("deactivate");

    // Today nobody has waited a week.
    remind(&state, Utc::now()).await;
    assert_eq!(reminders_to(&app, "waiting@demo.test").await, 0);

    let monday = a_monday_at_least(8);
    // Rae was made a learner only three days before that Monday.
    sqlx::query("UPDATE user_roles SET granted_at = $1 WHERE user_id = $2")
        .bind(app::db::timestamp(monday - Duration::days(3)))
        .bind(&recent)
        .execute(&app.db)
        .await
        .expect("role date");

    let dry = reminders::remind_everyone(&state, monday, true)
        .await
        .expect("dry run");
    assert!(dry.sent >= 1);
    assert_eq!(
        reminders_to(&app, "waiting@demo.test").await,
        0,
        "a dry run sends nothing"
    );

    let done = remind(&state, monday).await;
    assert!(done.sent >= 1 && done.already == 0, "{done:?}");
    assert_eq!(reminders_to(&app, "waiting@demo.test").await, 1);
    assert_eq!(reminders_to(&app, "signed@demo.test").await, 0, "signed");
    assert_eq!(reminders_to(&app, "gone@demo.test").await, 0, "deactivated");
    assert_eq!(
        reminders_to(&app, "recent@demo.test").await,
        0,
        "asked only 3 days ago"
    );
    let (id, subject): (app::ids::EmailId, String) =
        sqlx::query_as("SELECT id, subject FROM outbox WHERE to_address = 'waiting@demo.test'")
            .fetch_one(&app.db)
            .await
            .expect("the reminder");
    // Bodies are encrypted at rest: read it as the outbox worker would.
    let body = app::mail::outbox::read_queued(&app.db, &app.config.secret_key, &id)
        .await
        .expect("read")
        .expect("queued")
        .expect("opens")
        .text;
    assert!(subject.contains("Acceptable Use Policy"), "{subject}");
    assert!(body.contains("/policies/sign/learner"), "{body}");

    // Later the same week, and twice at the same moment: nothing more.
    remind(&state, monday + Duration::hours(1)).await;
    let at = monday + Duration::hours(2);
    let (x, y) = tokio::join!(remind(&state, at), remind(&state, at));
    assert_eq!((x.sent, y.sent), (0, 0), "already reminded this week");
    assert_eq!(reminders_to(&app, "waiting@demo.test").await, 1);

    // The next week, both at once again: one more each for those still waiting.
    let next_week = monday + Duration::days(7);
    let (x, y) = tokio::join!(remind(&state, next_week), remind(&state, next_week));
    assert!(x.sent + y.sent >= 2, "{x:?} {y:?}");
    assert_eq!(reminders_to(&app, "waiting@demo.test").await, 2);
    assert_eq!(
        reminders_to(&app, "recent@demo.test").await,
        1,
        "now ten days"
    );
    assert_eq!(reminders_to(&app, "signed@demo.test").await, 0);
    assert_eq!(reminders_to(&app, "gone@demo.test").await, 0);
    let audited = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'policy.reminders' AND actor_id IS NULL")
        .await;
    assert!(audited > 0, "automatic reminders are in the audit trail");
}

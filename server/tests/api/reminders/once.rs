//! Each reminder goes once: a dry run writes nothing, a second run sends nothing, two runs
//! at once send each reminder once, a crash between queueing and sending loses nothing,
//! an SMTP outage only delays; and leavers and role changes stop reminders.

use super::fixture::*;
use crate::helpers::*;
use app::mail::transport::Mailer;
use app::reminders::run;

const TABLES: [&str; 4] = [
    "notifications_sent",
    "outbox",
    "reminder_log",
    "reminder_runs",
];

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for table in TABLES {
        out.push(app.count(&format!("SELECT COUNT(*) FROM {table}")).await);
    }
    out
}

async fn acme_outbox(app: &TestApp, acme: &Acme) -> i64 {
    let sql = format!(
        "SELECT COUNT(*) FROM outbox WHERE org_id = '{}'",
        acme.org.as_str()
    );
    app.count(&sql).await
}

#[tokio::test]
async fn a_dry_run_says_what_would_go_and_writes_nothing() {
    let app = spawn_app().await;
    let acme = acme(&app).await;
    let before = counts(&app).await;
    let reports = run::run_all(&acme.state, day("2027-03-22"), true)
        .await
        .expect("dry run");
    assert_eq!(counts(&app).await, before, "nothing recorded or queued");
    let dry = reports.iter().find(|r| r.org_id == acme.org).expect("acme");
    let mut to: Vec<&str> = dry.emails.iter().map(|e| e.to_email.as_str()).collect();
    to.sort_unstable();
    assert_eq!(dry.queued, 8, "the count agrees with the list");
    assert_eq!(
        to,
        vec![
            "greta@acme.test",
            "greta@acme.test",
            "lou@acme.test",
            "maria@acme.test",
            "maria@acme.test",
            "olly@acme.test",
            "pat@acme.test",
            "sam@acme.test"
        ]
    );
    let sam = dry
        .emails
        .iter()
        .find(|e| e.to_email == "sam@acme.test")
        .expect("sam");
    assert_eq!(
        sam.summary,
        "Safeguarding refresher: due 26 Mar 2027 (in 4 days)"
    );

    // The real run then queues exactly what the dry run said; a second run nothing.
    let real = run::run_all(&acme.state, day("2027-03-22"), false)
        .await
        .expect("run");
    let real = real.iter().find(|r| r.org_id == acme.org).expect("acme");
    assert_eq!(real.emails, dry.emails);
    assert_eq!(real.queued, 8);
    let queued = counts(&app).await;
    let again = run::run_all(&acme.state, day("2027-03-22"), false)
        .await
        .expect("run");
    let again = again.iter().find(|r| r.org_id == acme.org).expect("acme");
    assert_eq!((again.queued, again.emails.clone()), (0, vec![]));
    assert_eq!(
        again.already, 5,
        "the five people with something due, reminded earlier"
    );
    let after = counts(&app).await;
    assert_eq!(after[..3], queued[..3], "no key, email or log row added");
    // And a dry run now says nothing would go.
    let dry_again = run::run_all(&acme.state, day("2027-03-22"), true)
        .await
        .expect("dry run");
    assert!(dry_again
        .iter()
        .find(|r| r.org_id == acme.org)
        .expect("acme")
        .emails
        .is_empty());
}

#[tokio::test]
async fn two_runs_at_once_send_each_reminder_once() {
    let app = spawn_app().await;
    let acme = acme(&app).await;
    let today = day("2027-03-22");
    let (a, b) = tokio::join!(
        run::run_all(&acme.state, today, false),
        run::run_all(&acme.state, today, false)
    );
    let sent = |r: Result<Vec<run::OrgReport>, run::RunError>| {
        r.expect("both runs succeed")
            .into_iter()
            .find(|r| r.org_id == acme.org)
            .map_or(0, |r| r.emails.len())
    };
    assert_eq!(sent(a) + sent(b), 8, "between them, each email once");
    assert_eq!(acme_outbox(&app, &acme).await, 8);
    let mut inbox = Inbox::start();
    let acme_mail: Vec<_> = inbox
        .deliver(&app)
        .await
        .into_iter()
        .filter(|(to, _)| to.ends_with("@acme.test"))
        .collect();
    assert_eq!(acme_mail.len(), 8);
}

#[tokio::test]
async fn a_crash_before_sending_and_an_smtp_outage_lose_and_duplicate_nothing() {
    let app = spawn_app().await;
    let acme = acme(&app).await;
    run::run_all(&acme.state, day("2027-03-22"), false)
        .await
        .expect("run");
    assert_eq!(acme_outbox(&app, &acme).await, 8);

    // The server stops before anything is sent, and starts again on the same database.
    let url = app.config.database_url.clone();
    let data_dir = app.stop().await;
    let app = start(data_dir, &url).await;
    let state = state_of(&app);
    let again = run::run_all(&state, day("2027-03-22"), false)
        .await
        .expect("run");
    assert!(again
        .iter()
        .find(|r| r.org_id == acme.org)
        .expect("acme")
        .emails
        .is_empty());

    // The SMTP server is down: nothing goes, nothing is lost.
    let down = Mailer::smtp("smtp://127.0.0.1:9").expect("mailer");
    let report = app.send_mail(&down).await;
    assert_eq!(report.sent, 0);
    assert!(report.retried > 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND last_error IS NOT NULL")
            .await,
        report.retried as i64
    );
    // Back up: once their retry is due, every email goes, once.
    sqlx::query(
        "UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000000Z' WHERE sent_at IS NULL",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let mut inbox = Inbox::start();
    let mut acme_mail: Vec<_> = inbox
        .deliver(&app)
        .await
        .into_iter()
        .filter(|(to, _)| to.ends_with("@acme.test"))
        .collect();
    acme_mail.dedup();
    assert_eq!(acme_mail.len(), 8, "{acme_mail:#?}");
    assert_eq!(inbox.deliver(&app).await, vec![], "nothing twice");
    // The log says each was queued, by whom and what it listed.
    let logged = app
        .count(&format!(
            "SELECT COUNT(*) FROM reminder_log WHERE org_id = '{}'",
            acme.org.as_str()
        ))
        .await;
    assert_eq!(logged, 8);
}

#[tokio::test]
async fn leavers_role_changes_and_a_pause_stop_reminders() {
    let app = spawn_app().await;
    let acme = acme(&app).await;
    run::run_all(&acme.state, day("2027-03-22"), false)
        .await
        .expect("run");
    // Sam is now only a learner; Tia leaves on 30 March.
    let sam = app.user_id("sam@acme.test").await;
    let tia = app.user_id("tia@acme.test").await;
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1")
        .bind(&sam)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO user_roles (user_id, org_id, role, granted_at) VALUES ($1, $2, 'learner', $3)",
    )
    .bind(&sam)
    .bind(acme.org.as_str())
    .bind(app::db::now())
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query("UPDATE staff_records SET leaving_date = '2027-03-30' WHERE user_id = $1")
        .bind(&tia)
        .execute(&app.db)
        .await
        .unwrap();
    let report = run::run_all(&acme.state, day("2027-04-05"), false)
        .await
        .expect("run");
    let mut to: Vec<(String, String)> = report
        .into_iter()
        .find(|r| r.org_id == acme.org)
        .expect("acme")
        .emails
        .into_iter()
        .map(|e| (e.to_email, e.summary))
        .collect();
    to.sort();
    assert_eq!(
        to,
        vec![
            (
                "greta@acme.test".to_string(),
                "1 person in their team overdue or due soon".to_string()
            ),
            (
                "pat@acme.test".to_string(),
                "1 person overdue by more than 30 days; 2 people with no line manager".to_string()
            ),
        ],
        "Sam is no longer staff, Tia has left, so Maria has nobody to hear about"
    );

    // Paused: nothing at all, and the run is recorded as paused.
    sqlx::query(
        "INSERT INTO reminder_settings (org_id, digest_weekday, escalate_after_days, send_hour, paused_at, updated_at)
         VALUES ($1, 1, 30, 8, $2, $2)",
    )
    .bind(acme.org.as_str())
    .bind(app::db::now())
    .execute(&app.db)
    .await
    .unwrap();
    let paused = run::run_all(&acme.state, day("2027-04-17"), false)
        .await
        .expect("run");
    let paused = paused
        .into_iter()
        .find(|r| r.org_id == acme.org)
        .expect("acme");
    assert!(paused.paused && paused.emails.is_empty());
    let outcome: (String,) = sqlx::query_as(
        "SELECT outcome FROM reminder_runs WHERE org_id = $1 AND day = '2027-04-17'",
    )
    .bind(acme.org.as_str())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(outcome.0, "paused");
}

#[tokio::test]
async fn claiming_keys_records_each_once_and_returns_only_those_not_taken() {
    use app::ids::PersonId;
    use app::reminders::queries::{claim, Key};
    let app = spawn_app().await;
    let acme = acme(&app).await;
    let key = |who: &str, period: &str| Key {
        recipient: PersonId::from_param(who),
        kind: "staff-reminder",
        subject: "safeguarding".to_string(),
        period: period.to_string(),
    };
    let claim_committed = |keys: &[Key]| {
        let keys = keys.to_vec();
        let (db, org) = (app.db.clone(), acme.org.clone());
        async move {
            let keys: Vec<&Key> = keys.iter().collect();
            let mut tx = app::db::begin(&db).await.expect("begin");
            let won = claim(&mut tx, &org, &keys).await.expect("claim");
            tx.commit().await.expect("commit");
            won
        }
    };
    assert!(claim_committed(&[]).await.is_empty(), "no keys, none won");
    let first = [key("sam", "2027-03-26 due"), key("lou", "2027-03-26 due")];
    assert_eq!(claim_committed(&first).await.len(), 2, "both new, both won");

    // One taken already and one new: only the new one is won, and the taken one's row
    // is left as it was (the fast path's insert is undone, not kept twice).
    let second = [key("lou", "2027-03-26 due"), key("pat", "2027-03-26 due")];
    let won = claim_committed(&second).await;
    assert_eq!(won.into_iter().collect::<Vec<_>>(), vec![second[1].clone()]);
    let rows = app
        .count("SELECT COUNT(*) FROM notifications_sent WHERE kind = 'staff-reminder'")
        .await;
    assert_eq!(rows, 3, "sam, lou and pat, once each");
}

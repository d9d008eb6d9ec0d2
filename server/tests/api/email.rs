use crate::helpers::*;
use app::mail::transport::Mailer;

async fn queue_reset(app: &TestApp, email: &str) {
    app.submit(
        &browser(),
        "auth/request_password_reset",
        &[("email", email)],
        "/forgot-password",
    )
    .await;
}

#[tokio::test]
async fn an_smtp_outage_loses_nothing_and_sends_once_when_back() {
    let app = spawn_app().await;
    queue_reset(&app, "learner@demo.test").await;
    // Nothing listens on this port: the send fails and is kept for a retry.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("smtp://{}", closed.local_addr().unwrap());
    drop(closed);
    let report = app.send_mail(&Mailer::smtp(&dead_url).unwrap()).await;
    assert_eq!((report.sent, report.retried), (0, 1));
    let (attempts, sent): (i64, Option<String>) =
        sqlx::query_as("SELECT attempts, sent_at FROM outbox")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((attempts, sent), (1, None));

    // Not due yet: a run now sends nothing.
    let (sink, url) = SmtpSink::start();
    let mailer = Mailer::smtp(&url).unwrap();
    assert_eq!(app.send_mail(&mailer).await.sent, 0);
    // Once due, it goes, exactly once, however often the worker runs.
    sqlx::query("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000000Z'")
        .execute(&app.db)
        .await
        .unwrap();
    let (a, b) = tokio::join!(app.send_mail(&mailer), app.send_mail(&mailer));
    assert_eq!(a.sent + b.sent, 1);
    assert_eq!(app.send_mail(&mailer).await.sent, 0);
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn a_claimed_email_left_by_a_crashed_worker_is_sent_later() {
    let app = spawn_app().await;
    queue_reset(&app, "manager@demo.test").await;
    // A worker claimed it and died: the claim runs out and another worker sends it.
    sqlx::query("UPDATE outbox SET claimed_until = '2000-01-01T00:00:00.000000Z'")
        .execute(&app.db)
        .await
        .unwrap();
    let (sink, url) = SmtpSink::start();
    assert_eq!(app.send_mail(&Mailer::smtp(&url).unwrap()).await.sent, 1);
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn without_smtp_mail_is_written_to_files() {
    let app = spawn_app().await;
    queue_reset(&app, "dsl@demo.test").await;
    let mailer = server::mailer(&app.config).unwrap();
    assert_eq!(app.send_mail(&mailer).await.sent, 1);
    let dir = app.data_dir.path().join("mail");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);
    assert!(files[0].path().extension().is_some_and(|e| e == "eml"));
    let content = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(content.contains("To: dsl@demo.test"));
}

/// Every value of every column of every outbox row, as text (a column added later is
/// searched too).
async fn outbox_values(app: &TestApp) -> Vec<String> {
    use sqlx::{Column, Row};
    let rows = sqlx::query("SELECT * FROM outbox")
        .fetch_all(&app.db)
        .await
        .unwrap();
    let mut values = Vec::new();
    for row in &rows {
        for column in row.columns() {
            let i = column.ordinal();
            if let Ok(text) = row.try_get::<Option<String>, _>(i) {
                values.extend(text);
            } else {
                let number: Option<i64> = row
                    .try_get(i)
                    .unwrap_or_else(|e| panic!("{} is text or a number: {e}", column.name()));
                values.extend(number.map(|n| n.to_string()));
            }
        }
    }
    values
}

async fn invite(app: &TestApp, email: &str) {
    let admin = app.signed_in("admin@demo.test").await;
    app.submit(
        &admin,
        "admin/invite_user",
        &[
            ("full_name", "Ria Newcomer"),
            ("email", email),
            ("role", "learner"),
        ],
        "/admin/users",
    )
    .await;
}

#[tokio::test]
async fn no_emailed_link_or_token_is_readable_in_the_outbox_before_or_after_sending() {
    let app = spawn_app().await;
    queue_reset(&app, "tutor@demo.test").await;
    invite(&app, "ria@demo.test").await;
    let queued = outbox_values(&app).await;
    for to in ["tutor@demo.test", "ria@demo.test"] {
        assert!(queued.iter().any(|v| v == to), "{to} is queued: {queued:?}");
    }

    let (sink, url) = SmtpSink::start();
    assert_eq!(app.send_mail(&Mailer::smtp(&url).unwrap()).await.sent, 2);
    let sent = outbox_values(&app).await;
    let messages = sink.messages();
    assert_eq!(messages.len(), 2);
    for message in &messages {
        let link = link_in(message, &app.url("/set-password?token="));
        let token = link.rsplit('=').next().unwrap().to_string();
        assert_eq!(token.len(), 64, "{link}");
        for value in queued.iter().chain(&sent) {
            assert!(
                !value.contains(&token) && !value.contains("set-password"),
                "the outbox holds a link: {value}"
            );
        }
    }

    // Once sent, nothing is left of either body.
    let bodies: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT text_body, html_body, sent_at FROM outbox")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(bodies.len(), 2);
    for (text, html, sent_at) in bodies {
        assert!(sent_at.is_some());
        assert_eq!((text.as_str(), html.as_str()), ("", ""));
    }
}

#[tokio::test]
async fn sent_emails_are_purged_after_the_retention_time_and_others_kept() {
    let app = spawn_app().await;
    for email in ["tutor@demo.test", "staff@demo.test", "dsl@demo.test"] {
        queue_reset(&app, email).await;
    }
    let (_sink, url) = SmtpSink::start();
    assert_eq!(app.send_mail(&Mailer::smtp(&url).unwrap()).await.sent, 3);
    // Sent 40 days ago, 20 days ago, and just now.
    let sent_days_ago =
        |days: i64| app::db::timestamp(chrono::Utc::now() - chrono::Duration::days(days));
    for (to, days) in [("tutor@demo.test", 40), ("staff@demo.test", 20)] {
        sqlx::query("UPDATE outbox SET sent_at = $1 WHERE to_address = $2")
            .bind(sent_days_ago(days))
            .bind(to)
            .execute(&app.db)
            .await
            .unwrap();
    }
    // Not sent: still queued, and given up on, both from long ago.
    queue_reset(&app, "manager@demo.test").await;
    queue_reset(&app, "people@demo.test").await;
    sqlx::query(
        "UPDATE outbox SET created_at = $1, failed_at = $1 WHERE to_address = 'people@demo.test'",
    )
    .bind(sent_days_ago(90))
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query("UPDATE outbox SET created_at = $1 WHERE to_address = 'manager@demo.test'")
        .bind(sent_days_ago(90))
        .execute(&app.db)
        .await
        .unwrap();

    let purged = app::mail::outbox::purge_sent(&app.db, chrono::Duration::days(30))
        .await
        .unwrap();
    assert_eq!(purged, 1);
    let left: Vec<(String,)> = sqlx::query_as("SELECT to_address FROM outbox ORDER BY to_address")
        .fetch_all(&app.db)
        .await
        .unwrap();
    let left: Vec<&str> = left.iter().map(|(to,)| to.as_str()).collect();
    assert_eq!(
        left,
        [
            "dsl@demo.test",
            "manager@demo.test",
            "people@demo.test",
            "staff@demo.test"
        ]
    );
    // A shorter limit takes the 20-day-old one too, and never an unsent one.
    let purged = app::mail::outbox::purge_sent(&app.db, chrono::Duration::days(10))
        .await
        .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 3);
}

/// Send two queued emails of which one is broken: the other is not held up by it.
/// Returns the SMTP server and the one message it received, decoded.
async fn send_past_one_broken(app: &TestApp) -> (SmtpSink, String, String) {
    let (sink, url) = SmtpSink::start();
    let report = app.send_mail(&Mailer::smtp(&url).unwrap()).await;
    assert_eq!((report.sent, report.failed, report.retried), (1, 1, 0));
    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    let message = decoded(&messages[0]);
    (sink, url, message)
}

/// The email `id` was given up on, with `reason` in its last error.
async fn assert_failed_because(app: &TestApp, id: &str, reason: &str) {
    let (failed_at, error): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT failed_at, last_error FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(failed_at.is_some());
    assert!(
        error.as_deref().is_some_and(|e| e.contains(reason)),
        "{error:?}"
    );
}

/// Change one character in the middle of a stored ciphertext; it stays valid base64.
fn tamper(stored: &str) -> String {
    let mut chars: Vec<char> = stored.chars().collect();
    let i = chars.len() / 2;
    chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

#[tokio::test]
async fn a_tampered_email_is_not_sent_and_is_marked_with_the_reason() {
    let app = spawn_app().await;
    queue_reset(&app, "tutor@demo.test").await;
    queue_reset(&app, "staff@demo.test").await;
    let (id, text): (String, String) =
        sqlx::query_as("SELECT id, text_body FROM outbox WHERE to_address = 'tutor@demo.test'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(text.starts_with("v1:"));
    sqlx::query("UPDATE outbox SET text_body = $1 WHERE id = $2")
        .bind(tamper(&text))
        .bind(&id)
        .execute(&app.db)
        .await
        .unwrap();

    let (sink, url, message) = send_past_one_broken(&app).await;
    assert!(message.contains("To: staff@demo.test"));

    assert_failed_because(&app, &id, "does not decrypt").await;
    let (text_after, html_after): (String, String) =
        sqlx::query_as("SELECT text_body, html_body FROM outbox WHERE id = $1")
            .bind(&id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    // Kept, still encrypted, for a person to look into; and never tried again.
    assert_eq!(text_after, tamper(&text));
    assert!(html_after.starts_with("v1:"));
    assert_eq!(app.send_mail(&Mailer::smtp(&url).unwrap()).await.sent, 0);
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn an_email_queued_in_plain_text_is_refused_and_cleared() {
    // As an earlier version queued it, or as someone with access to the database wrote it.
    let app = spawn_app().await;
    let now = app::db::now();
    sqlx::query(
        "INSERT INTO outbox (id, org_id, to_address, subject, text_body, html_body, created_at, attempts, next_attempt_at)
         VALUES ('plain-1', NULL, 'tutor@demo.test', 'Reset', 'Open /set-password?token=abc', '<p>abc</p>', $1, 0, $1)",
    )
    .bind(&now)
    .execute(&app.db)
    .await
    .unwrap();
    let (sink, url) = SmtpSink::start();
    let report = app.send_mail(&Mailer::smtp(&url).unwrap()).await;
    assert_eq!((report.sent, report.failed), (0, 1));
    assert!(sink.messages().is_empty());
    let (failed_at, error, text, html): (Option<String>, Option<String>, String, String) =
        sqlx::query_as("SELECT failed_at, last_error, text_body, html_body FROM outbox")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(failed_at.is_some());
    assert!(
        error
            .as_deref()
            .is_some_and(|e| e.contains("not in the encrypted form")),
        "{error:?}"
    );
    assert_eq!((text.as_str(), html.as_str()), ("", ""));
}

/// Queue two drafts (emails written when sent) the way the daily reminder run does.
async fn queue_drafts(app: &TestApp, to: &[&str]) -> Vec<app::ids::EmailId> {
    let org = app::admin::queries::organisation_by_slug(&app.db, "demo")
        .await
        .unwrap()
        .expect("demo organisation")
        .id;
    let drafts: Vec<app::mail::Draft> = to
        .iter()
        .map(|to| app::mail::Draft {
            to: to.to_string(),
            subject: "You have been invited".to_string(),
            template: "invitation".to_string(),
            values: serde_json::json!({
                "full_name": "Jo <b>O'Neil</b>",
                "org_name": "Demo & Co",
                "link": "https://esafety.example/set-password?token=abc",
            })
            .to_string(),
        })
        .collect();
    let mut tx = app::db::begin(&app.db).await.unwrap();
    let ids = app::mail::enqueue_drafts(
        &mut tx,
        &app.config.secret_key,
        &org,
        &drafts.iter().collect::<Vec<_>>(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    ids
}

#[tokio::test]
async fn a_draft_is_written_when_sent_and_its_values_are_sealed_until_then() {
    let app = spawn_app().await;
    let ids = queue_drafts(&app, &["tutor@demo.test", "staff@demo.test"]).await;
    let (template, values, html): (Option<String>, String, String) =
        sqlx::query_as("SELECT template, text_body, html_body FROM outbox WHERE id = $1")
            .bind(&ids[0])
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(template.as_deref(), Some("invitation"));
    assert!(values.starts_with("v1:") && !values.contains("token"));
    assert_eq!(html, "");
    // Someone with the database changes the second draft's template: it cannot be
    // written, so it fails with the reason and holds up nothing.
    sqlx::query("UPDATE outbox SET template = 'no_such_email' WHERE id = $1")
        .bind(&ids[1])
        .execute(&app.db)
        .await
        .unwrap();

    let (_sink, _url, message) = send_past_one_broken(&app).await;
    assert!(message.contains("To: tutor@demo.test"), "{message}");
    assert!(message.contains("https://esafety.example/set-password?token=abc"));
    assert!(
        message.contains("Jo &lt;b&gt;O&#x27;Neil&lt;&#x2f;b&gt;"),
        "{message}"
    );
    assert_failed_because(&app, ids[1].as_str(), "could not be written when sent").await;
    // Sent: the sealed values are cleared like any body.
    let (sent_values,): (String,) = sqlx::query_as("SELECT text_body FROM outbox WHERE id = $1")
        .bind(&ids[0])
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(sent_values, "");
}

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

//! `/healthz` says when an organisation's reminders have not finished a run for 36 hours
//! (still 200: the site works), counting organisations without naming them.

use crate::helpers::*;
use chrono::{Duration, Utc};

async fn set_all(app: &TestApp, sql: &str, hours_ago: i64) {
    sqlx::query(sql)
        .bind(app::db::timestamp(Utc::now() - Duration::hours(hours_ago)))
        .execute(&app.db)
        .await
        .expect("update");
}

async fn body(app: &TestApp) -> String {
    let r = app.get(&browser(), "/healthz").await;
    assert_eq!(r.status(), reqwest::StatusCode::OK, "the site still works");
    r.text().await.expect("body")
}

#[tokio::test]
async fn healthz_says_when_reminders_have_not_run_for_36_hours() {
    let app = spawn_app().await;
    assert_eq!(body(&app).await, "ok", "new organisations are not late");
    set_all(&app, "UPDATE organisations SET created_at = $1", 37).await;
    let late = body(&app).await;
    assert!(
        late.contains(
            "late: staff reminders have not finished a run for 36 hours in 2 organisation(s)"
        ),
        "{late}"
    );
    assert!(
        !late.contains("demo") && !late.contains("other"),
        "no names: {late}"
    );
    // A run 35 hours ago for each is recent enough.
    sqlx::query(
        "INSERT INTO reminder_runs (org_id, day, finished_at, outcome, emails)
         SELECT id, '2026-01-01', $1, 'sent', 0 FROM organisations",
    )
    .bind(app::db::timestamp(Utc::now() - Duration::hours(35)))
    .execute(&app.db)
    .await
    .expect("runs");
    assert_eq!(body(&app).await, "ok");
}

//! A cohort over time and what to revisit, over HTTP on SQLite and PostgreSQL: the share of
//! active learners fully inducted, as a chart, a summary and a table; the topics most
//! often wrong on first attempts (later attempts do not count), with nobody named; and
//! who may see it.

use crate::cohorts::{create, enrolled, signed_learner_policy};
use crate::helpers::*;
use app::auth::Role;
use reqwest::StatusCode;

async fn attempt(app: &TestApp, learner: &str, id: &str, at: &str, answer: &str) {
    sqlx::query(
        "INSERT INTO quiz_attempts (id, org_id, user_id, module_id, module_version, option_order,
             started_at, submitted_at, answers, score, total, pass_mark)
         SELECT $1, org_id, id, 'grooming', 1, '[]', $2, $2, $3, 0, 1, 80 FROM users WHERE id = $4",
    )
    .bind(id)
    .bind(at)
    .bind(format!("{{\"bag-on-the-train\":[\"{answer}\"]}}"))
    .bind(learner)
    .execute(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn the_cohort_over_time_and_the_topics_to_revisit() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@demo.test").await;
    let id = create(&app, &admin, "Over time").await;
    let ann = enrolled(&app, &id, "Ann First", "2026-09-01", "2026-09-29").await;
    let bea = enrolled(&app, &id, "Bea Right", "2026-09-01", "2026-09-29").await;
    let cal = enrolled(&app, &id, "Cal Complete", "2026-09-01", "2026-09-29").await;
    enrolled(&app, &id, "Dee Idle", "2026-09-01", "2026-09-29").await;
    let page = format!("/cohorts/{id}/insights");
    app.page(&admin, &page).await;

    // Cal passes every module and signs: complete. Ann's first answer is wrong, her second
    // right; Bea's first is right.
    let library = app::content::load_library(&content_dir()).unwrap();
    let done = app::db::timestamp(chrono::Utc::now() - chrono::Duration::days(10));
    for (n, m) in library.modules.iter().enumerate() {
        sqlx::query(
            "INSERT INTO quiz_attempts (id, org_id, user_id, module_id, module_version, option_order, started_at, submitted_at, score, total, pass_mark, passed_at)
             SELECT $1, org_id, id, $2, 1, '[]', $3, $3, 9, 10, 80, $3 FROM users WHERE id = $4",
        )
        .bind(format!("cal-{n}"))
        .bind(m.id.as_str())
        .bind(&done)
        .bind(&cal)
        .execute(&app.db)
        .await
        .unwrap();
    }
    signed_learner_policy(&app, &cal).await;
    attempt(&app, &ann, "ann-1", "2026-11-01T10:00:00.000000Z", "a").await;
    attempt(&app, &ann, "ann-2", "2026-11-02T10:00:00.000000Z", "b").await;
    attempt(&app, &bea, "bea-1", "2026-11-01T11:00:00.000000Z", "b").await;

    let (status, html) = app.page(&admin, &page).await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    assert!(
        text.contains("1 of 4 active learners (25%) had completed their induction"),
        "{text}"
    );
    let svg = html.find("<svg").map(|at| &html[at..]).unwrap_or_default();
    assert!(
        svg.contains("chart-bar"),
        "the chart is drawn on the server: {}",
        &html[..html.len().min(4000)]
    );
    assert!(
        text.contains("Week ending"),
        "the same figures as a table: {text}"
    );
    assert!(
        text.contains("county lines Contact and conduct Grooming"),
        "{text}"
    );
    assert!(
        text.contains("1 of 2 (50%)"),
        "Ann's first answer wrong, Bea's right; Ann's second not counted: {text}"
    );
    for name in ["Ann First", "Bea Right", "Cal Complete", "Dee Idle"] {
        assert!(!text.contains(name), "nobody is named: {name}");
    }

    // Who may see it: as the grid.
    add_person(&app, "demo", "tutor2@demo.test", "Tam Tutor", Role::Tutor).await;
    for (email, want) in [
        ("learner@demo.test", StatusCode::FORBIDDEN),
        ("tutor2@demo.test", StatusCode::NOT_FOUND),
        (OTHER_ADMIN, StatusCode::NOT_FOUND),
        ("dsl@demo.test", StatusCode::OK),
    ] {
        let client = app.signed_in(email).await;
        let r = app
            .call(&client, "cohorts/insights", &[("cohort_id", &id)])
            .await;
        assert_eq!(r.status(), want, "{email}");
    }
}

//! The completion editor and a person's history over HTTP, on SQLite and PostgreSQL: a
//! reason is required for every record and correction; a correction is a new row that
//! supersedes the old one, and the history shows both; who may read (the person, the
//! managers above them, People, administrators) and who may edit.

use crate::helpers::*;
use crate::training_briefings::requirement_id;
use app::auth::Role;
use reqwest::{Client, StatusCode};
use serde_json::Value;

const PEOPLE: &str = "people@demo.test";

async fn record(
    app: &TestApp,
    client: &Client,
    person: &str,
    requirement: &str,
    reason: &str,
) -> reqwest::Response {
    app.call(
        client,
        "training/record_completion",
        &[
            ("person_id", person),
            ("requirement_id", requirement),
            ("completed_on", "14/03/2025"),
            ("reference", "CERT-1"),
            ("reason", reason),
        ],
    )
    .await
}

async fn correct(
    app: &TestApp,
    client: &Client,
    person: &str,
    row: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut all = vec![("person_id", person), ("completion_id", row)];
    all.extend_from_slice(form);
    app.call(client, "training/correct_completion", &all).await
}

async fn history(app: &TestApp, client: &Client, person: &str) -> Value {
    let r = app
        .call(client, "training/history", &[("person_id", person)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn rows(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM training_completions").await
}

#[tokio::test]
async fn a_reason_is_required_and_a_correction_supersedes_with_both_rows_shown() {
    let app = spawn_app().await;
    let staff = app.user_id("staff@demo.test").await;
    let prevent = requirement_id(&app, "demo", "prevent-awareness").await;
    let people = app.signed_in(PEOPLE).await;
    // No reason: refused, nothing written.
    for reason in ["", "   "] {
        let r = record(&app, &people, &staff, &prevent, reason).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(app_error(r).await.to_string().contains("Enter the reason"));
    }
    assert_eq!(rows(&app).await, 0);
    let r = record(&app, &people, &staff, &prevent, "Paper certificate seen").await;
    assert_eq!(r.status(), StatusCode::OK);
    let first: String = r.json().await.unwrap();
    let (source, reason, reference): (String, String, String) =
        sqlx::query_as("SELECT source, reason, reference FROM training_completions WHERE id = $1")
            .bind(&first)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (source.as_str(), reason.as_str(), reference.as_str()),
        ("external-course", "Paper certificate seen", "CERT-1")
    );

    // A correction without a reason: refused, nothing written.
    let r = correct(
        &app,
        &people,
        &staff,
        &first,
        &[
            ("change", "date"),
            ("completed_on", "2025-03-04"),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(app_error(r)
        .await
        .to_string()
        .contains("Enter the reason for the correction"));
    assert_eq!(rows(&app).await, 1);
    // With one: a new row; the old one is kept, superseded.
    let r = correct(
        &app,
        &people,
        &staff,
        &first,
        &[
            ("change", "date"),
            ("completed_on", "2025-03-04"),
            ("reason", "Typed the wrong day"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let second: String = r.json().await.unwrap();
    assert_eq!(rows(&app).await, 2);
    let h = history(&app, &people, &staff).await;
    assert_eq!(h["can_edit"], true);
    let prevent_history = h["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement_id"] == prevent.as_str())
        .expect("Prevent is listed");
    let entries = prevent_history["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["id"], first.as_str());
    assert_eq!(entries[0]["completed_on"], "2025-03-14");
    assert_eq!(entries[0]["superseded_by"], second.as_str());
    assert_eq!(entries[1]["completed_on"], "2025-03-04");
    assert_eq!(entries[1]["corrects"], first.as_str());
    assert_eq!(entries[1]["source"], "Correction");
    assert_eq!(entries[1]["reason"], "Typed the wrong day");
    assert!(entries[1]["superseded_by"].is_null());
    // Every requirement in force is listed, with or without rows.
    assert_eq!(h["history"].as_array().unwrap().len(), 5);
    let (status, html) = app
        .page(&people, &format!("/training/people/{staff}/history"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    assert!(
        text.contains("14 March 2025") && text.contains("4 March 2025"),
        "{text}"
    );
    assert!(
        text.contains("Superseded by a later row") && text.contains("Typed the wrong day"),
        "{text}"
    );
    assert!(text.contains("Record a completion"));
    assert_eq!(
        html.matches("name=\"completion_id\"").count(),
        1,
        "a correct form for the standing row only"
    );

    // The superseded row cannot be corrected again; the standing one can be withdrawn.
    let r = correct(
        &app,
        &people,
        &staff,
        &first,
        &[("change", "withdraw"), ("reason", "Again")],
    )
    .await;
    assert!(app_error(r)
        .await
        .to_string()
        .contains("already been corrected"));
    let r = correct(
        &app,
        &people,
        &staff,
        &second,
        &[("change", "withdraw"), ("reason", "Not Prevent after all")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let withdrawn: (Option<String>,) =
        sqlx::query_as("SELECT completed_on FROM training_completions WHERE supersedes = $1")
            .bind(&second)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(withdrawn.0, None);
    let r = correct(
        &app,
        &people,
        &staff,
        &second,
        &[
            ("change", "date"),
            ("completed_on", "01/01/2099"),
            ("reason", "x"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(rows(&app).await, 3);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'training.completion_recorded'"
        )
        .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'training.completion_corrected'"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn a_browser_form_refused_keeps_its_message_and_a_saved_one_says_so() {
    let app = spawn_app().await;
    let staff = app.user_id("staff@demo.test").await;
    let prevent = requirement_id(&app, "demo", "prevent-awareness").await;
    let people = app.signed_in(PEOPLE).await;
    let page = format!("/training/people/{staff}/history");
    let form = [
        ("person_id", staff.as_str()),
        ("requirement_id", prevent.as_str()),
        ("completed_on", "14/03/2025"),
        ("reason", ""),
    ];
    let r = app
        .submit(&people, "training/record_completion", &form, &page)
        .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let (_, html) = app.page(&people, &app.path_of(&location(&r))).await;
    assert!(visible_text(&html).contains("Enter the reason for recording it."));
    assert_eq!(rows(&app).await, 0);
    let form = [
        ("person_id", staff.as_str()),
        ("requirement_id", prevent.as_str()),
        ("completed_on", "14/03/2025"),
        ("reason", "Seen"),
    ];
    let r = app
        .submit(&people, "training/record_completion", &form, &page)
        .await;
    assert!(location(&r).contains("done=recorded"), "{}", location(&r));
    let (_, html) = app.page(&people, &app.path_of(&location(&r))).await;
    assert!(visible_text(&html).contains("Completion recorded."));
}

#[tokio::test]
async fn who_may_read_a_history_and_who_may_record_or_correct() {
    let app = spawn_app().await;
    add_person(
        &app,
        "demo",
        "manager2@demo.test",
        "Mo Second",
        Role::Manager,
    )
    .await;
    let staff = app.user_id("staff@demo.test").await;
    let prevent = requirement_id(&app, "demo", "prevent-awareness").await;
    let people = app.signed_in(PEOPLE).await;
    let r = record(&app, &people, &staff, &prevent, "Seen").await;
    let row: String = r.json().await.unwrap();
    sqlx::query(
        "INSERT INTO staff_records (user_id, org_id, line_manager_id, updated_at)
         SELECT s.id, s.org_id, m.id, '2026-01-01T00:00:00Z' FROM users s, users m
         WHERE s.email = 'staff@demo.test' AND m.email = 'manager@demo.test'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let page = format!("/training/people/{staff}/history");
    let mut emails: Vec<String> = Role::ALL
        .iter()
        .map(|r| format!("{}@demo.test", r.as_str()))
        .collect();
    emails.push("manager2@demo.test".into());
    for email in &emails {
        let client = app.signed_in(email).await;
        let edits = email.starts_with("people@") || email.starts_with("admin@");
        // Themselves, and their line manager (not another manager).
        let reads = edits || email == "staff@demo.test" || email == "manager@demo.test";
        let (status, html) = app.page(&client, &page).await;
        assert_eq!(
            status,
            if reads {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            },
            "{email}"
        );
        // The person and their manager read the history, without the forms.
        assert_eq!(html.contains("Record a completion"), edits, "{email}");
        let r = record(&app, &client, &staff, &prevent, "Another").await;
        assert_eq!(
            r.status(),
            if edits {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            },
            "{email}"
        );
        let r = correct(
            &app,
            &client,
            &staff,
            &row,
            &[("change", "withdraw"), ("reason", "x")],
        )
        .await;
        let expected = match email.as_str() {
            "people@demo.test" => StatusCode::OK,
            // The People department withdrew it just before.
            "admin@demo.test" => StatusCode::BAD_REQUEST,
            _ => StatusCode::FORBIDDEN,
        };
        assert_eq!(r.status(), expected, "{email} corrects");
    }
    assert_eq!(rows(&app).await, 1 + 2 + 1);
    // Another organisation's administrator: not found, and writes nothing.
    let other = app.signed_in(OTHER_ADMIN).await;
    let (status, _) = app.page(&other, &page).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = record(&app, &other, &staff, &prevent, "Spy").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let theirs = requirement_id(&app, "other", "prevent-awareness").await;
    let r = record(&app, &other, &staff, &theirs, "Spy").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = correct(
        &app,
        &other,
        &staff,
        &row,
        &[("change", "withdraw"), ("reason", "Spy")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Signed out.
    let anon = browser();
    assert!(location(&app.get(&anon, &page).await).starts_with("/login?next="));
    let r = record(&app, &anon, &staff, &prevent, "Anon").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = app
        .call(&anon, "training/history", &[("person_id", &staff)])
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(rows(&app).await, 4);
}

//! The back-fill of historic completions over HTTP, on SQLite and PostgreSQL: real-file
//! cases (a byte-order mark, CRLF, quoted fields, both date forms), every problem by line
//! number, nothing written until clean and confirmed, then all rows or none, checked again
//! at confirmation; the waiting file kept in its table, not the session; who may do it.

use crate::helpers::*;
use crate::training_briefings::{place, requirement_id};
use app::auth::Role;
use reqwest::{Client, StatusCode};
use serde_json::Value;

const PEOPLE: &str = "people@demo.test";

async fn upload(app: &TestApp, client: &Client, csv: &str, name: &str) -> reqwest::Response {
    app.call(
        client,
        "training/import_upload",
        &[("csv", csv), ("file_name", name)],
    )
    .await
}

async fn preview(app: &TestApp, client: &Client) -> Value {
    let r = app.call(client, "training/import_state", &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let state: Value = r.json().await.unwrap();
    state["preview"].clone()
}

async fn completions(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM training_completions").await
}

async fn waiting(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM import_uploads WHERE kind = 'training-backfill'")
        .await
}

/// A completion as stored: email, requirement, day, source, reference, reason.
type Stored = (String, String, String, String, Option<String>, String);

const CLEAN: &str =
    "\u{feff}Employee number,Email,Requirement,Completion date,Certificate reference\r\n\
E100,,Prevent awareness,14/03/2025,\"PRV-22, Level 1\"\r\n\
,Staff@Demo.test,\"annual safeguarding and online safety update\",2025-09-12,\r\n\
E200,tutor@demo.test,Prevent awareness,2024-12-01,\r\n";

async fn staff_numbers(app: &TestApp) {
    place(app, "staff@demo.test", "Care", Some("E100")).await;
    place(app, "tutor@demo.test", "Maths", Some("E999")).await;
}

#[tokio::test]
async fn a_clean_file_is_previewed_then_every_row_is_recorded() {
    let app = spawn_app().await;
    staff_numbers(&app).await;
    let people = app.signed_in(PEOPLE).await;
    let r = upload(&app, &people, CLEAN, "go-live.csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    let p = preview(&app, &people).await;
    assert_eq!(p["problems"].as_array().unwrap().len(), 0, "{p}");
    assert_eq!(p["file_name"], "go-live.csv");
    let rows = p["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["line"], 2);
    assert_eq!(rows[0]["reference"], "PRV-22, Level 1");
    assert_eq!(rows[2]["line"], 4);
    assert_eq!(completions(&app).await, 0, "nothing before confirming");
    // The file waits in its own table, not in the session.
    assert_eq!(waiting(&app).await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions WHERE data LIKE '%Prevent awareness%'")
            .await,
        0
    );
    let (status, html) = app.page(&people, "/training/import").await;
    assert_eq!(status, StatusCode::OK);
    assert!(visible_text(&html).contains("3 rows. No problems found."));

    let r = app.call(&people, "training/import_confirm", &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let n: usize = r.json().await.unwrap();
    assert_eq!(n, 3);
    assert_eq!(waiting(&app).await, 0, "deleted on confirmation");
    let prevent = requirement_id(&app, "demo", "prevent-awareness").await;
    let update = requirement_id(&app, "demo", "safeguarding-update").await;
    let mut got: Vec<Stored> = sqlx::query_as(
        "SELECT u.email, c.requirement_id, c.completed_on, c.source, c.reference, c.reason
         FROM training_completions c JOIN users u ON u.id = c.user_id ORDER BY c.completed_on",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    got.sort();
    let reason = "Imported at go-live from go-live.csv".to_string();
    let mut expected: Vec<Stored> = vec![
        (
            "staff@demo.test".into(),
            prevent.clone(),
            "2025-03-14".into(),
            "external-course".into(),
            Some("PRV-22, Level 1".into()),
            reason.clone(),
        ),
        (
            "staff@demo.test".into(),
            update,
            "2025-09-12".into(),
            "briefing".into(),
            None,
            reason.clone(),
        ),
        // E200 is nobody's number: the email matches.
        (
            "tutor@demo.test".into(),
            prevent,
            "2024-12-01".into(),
            "external-course".into(),
            None,
            reason,
        ),
    ];
    expected.sort();
    assert_eq!(got, expected);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'training.imported'")
            .await,
        1
    );
    // Importing the same file again: every row is now a duplicate of a standing one.
    upload(&app, &people, CLEAN, "go-live.csv").await;
    let p = preview(&app, &people).await;
    assert_eq!(p["problems"].as_array().unwrap().len(), 3);
    assert!(p["problems"][0]["message"]
        .as_str()
        .unwrap()
        .contains("already has \"Prevent awareness\" recorded on 14/03/2025"));
}

#[tokio::test]
async fn every_problem_is_shown_by_line_and_nothing_is_written() {
    let app = spawn_app().await;
    staff_numbers(&app).await;
    sqlx::query("UPDATE training_requirements SET retired_at = '2026-01-01T00:00:00Z' WHERE default_key = 'dsl-update'")
        .execute(&app.db)
        .await
        .unwrap();
    let people = app.signed_in(PEOPLE).await;
    let csv = "Employee number,Email,Requirement,Completion date\n\
E404,,Prevent awareness,14/03/2025\n\
E100,,Fire safety,14/03/2025\n\
E100,,DSL knowledge update,14/03/2025\n\
E100,,Prevent awareness,31/02/2025\n\
E100,,Prevent awareness,01/01/2099\n\
E100,,Prevent awareness,2025-01-10\n\
,staff@demo.test,Prevent awareness,10/01/2025\n\
,learner@demo.test,Prevent awareness,10/01/2025\n";
    let r = upload(&app, &people, csv, "").await;
    assert_eq!(r.status(), StatusCode::OK);
    let p = preview(&app, &people).await;
    assert_eq!(p["file_name"], "pasted text");
    let problems: Vec<(u64, String)> = p["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["line"].as_u64().unwrap(),
                x["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let lines: Vec<u64> = problems.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 6, 8, 9], "{problems:#?}");
    for (line, expected) in [
        (2, "employee number \"E404\""),
        (3, "no requirement \"Fire safety\""),
        (4, "is retired"),
        (5, "is not a date"),
        (6, "in the future"),
        (8, "as line 7"),
        (9, "email \"learner@demo.test\""),
    ] {
        let (_, message) = problems.iter().find(|(l, _)| *l == line).unwrap();
        assert!(message.contains(expected), "line {line}: {message}");
    }
    let (_, html) = app.page(&people, "/training/import").await;
    let text = visible_text(&html);
    assert!(
        text.contains("7 problems to fix")
            && text.contains("The same person, requirement and date as line 7."),
        "{text}"
    );
    assert!(html.contains("href=\"#line-8\"") && html.contains("id=\"line-8\""));
    // Confirming is refused: nothing at all is written, not even the good row.
    let r = app.call(&people, "training/import_confirm", &[]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let message = app_error(r).await.to_string();
    assert!(
        message.contains("7 problems (the first on line 2). Nothing was imported."),
        "{message}"
    );
    assert_eq!(completions(&app).await, 0);
    assert_eq!(waiting(&app).await, 1);
    // A new preview replaces the waiting file; cancelling forgets it.
    upload(&app, &people, CLEAN, "second.csv").await;
    assert_eq!(waiting(&app).await, 1);
    assert_eq!(preview(&app, &people).await["file_name"], "second.csv");
    let r = app.call(&people, "training/import_cancel", &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(waiting(&app).await, 0);
    assert!(preview(&app, &people).await.is_null());
}

#[tokio::test]
async fn confirming_checks_again_and_records_all_rows_or_none() {
    let app = spawn_app().await;
    staff_numbers(&app).await;
    let people = app.signed_in(PEOPLE).await;
    upload(&app, &people, CLEAN, "go-live.csv").await;
    assert_eq!(
        preview(&app, &people).await["problems"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // Between the preview and the confirmation, someone records line 4's completion.
    let tutor = app.user_id("tutor@demo.test").await;
    let prevent = requirement_id(&app, "demo", "prevent-awareness").await;
    let r = app
        .call(
            &people,
            "training/record_completion",
            &[
                ("person_id", &tutor),
                ("requirement_id", &prevent),
                ("completed_on", "01/12/2024"),
                ("reason", "Certificate seen"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app.call(&people, "training/import_confirm", &[]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(app_error(r)
        .await
        .to_string()
        .contains("the first on line 4"));
    assert_eq!(
        completions(&app).await,
        1,
        "only the completion recorded by hand"
    );
}

#[tokio::test]
async fn files_that_cannot_be_read_are_refused_with_what_to_do() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    for (csv, expected) in [
        (
            "Name,Requirement\nAnn,Prevent awareness\n",
            "needs a column headed \"Employee number\" or \"Email\"",
        ),
        (
            "Email,Requirement,Completion date\n",
            "no rows of completions",
        ),
        ("", "The file is empty"),
    ] {
        let r = upload(&app, &people, csv, "x.csv").await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let message = app_error(r).await.to_string();
        assert!(message.contains(expected), "{message}");
    }
    let big = format!(
        "Email,Requirement,Completion date\n{}",
        "a@b.test,Prevent awareness,01/01/2025\n".repeat(30_000)
    );
    let r = upload(&app, &people, &big, "big.csv").await;
    assert!(app_error(r).await.to_string().contains("larger than 1 MB"));
    let many = format!(
        "Email,Requirement,Completion date\n{}",
        "a@b,P,1\n".repeat(5_001)
    );
    let r = upload(&app, &people, &many, "many.csv").await;
    assert!(app_error(r)
        .await
        .to_string()
        .contains("more than 5000 rows"));
    assert_eq!(waiting(&app).await, 0);
}

#[tokio::test]
async fn only_people_and_administrators_of_the_organisation_import() {
    let app = spawn_app().await;
    staff_numbers(&app).await;
    add_person(
        &app,
        "demo",
        "manager2@demo.test",
        "Mo Second",
        Role::Manager,
    )
    .await;
    let mut emails: Vec<String> = Role::ALL
        .iter()
        .map(|r| format!("{}@demo.test", r.as_str()))
        .collect();
    emails.push("manager2@demo.test".into());
    for email in &emails {
        let client = app.signed_in(email).await;
        let allowed = email.starts_with("people@") || email.starts_with("admin@");
        let expected = if allowed {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        let (status, _) = app.page(&client, "/training/import").await;
        assert_eq!(status, expected, "{email} page");
        assert_eq!(
            upload(&app, &client, CLEAN, "a.csv").await.status(),
            expected,
            "{email} upload"
        );
        assert_eq!(
            app.call(&client, "training/import_state", &[])
                .await
                .status(),
            expected,
            "{email} state"
        );
        assert_eq!(
            app.call(&client, "training/import_cancel", &[])
                .await
                .status(),
            expected,
            "{email} cancel"
        );
        let confirm = app
            .call(&client, "training/import_confirm", &[])
            .await
            .status();
        // Allowed, but their file was just cancelled.
        let expected = if allowed {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(confirm, expected, "{email} confirm");
    }
    // One person's waiting file is theirs alone: the administrator cannot confirm the
    // People department's.
    let people = app.signed_in(PEOPLE).await;
    upload(&app, &people, CLEAN, "a.csv").await;
    let admin = app.signed_in("admin@demo.test").await;
    assert!(preview(&app, &admin).await.is_null());
    assert_eq!(
        app.call(&admin, "training/import_confirm", &[])
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    // Another organisation's administrator: our people are unknown to their import.
    let other = app.signed_in(OTHER_ADMIN).await;
    upload(&app, &other, CLEAN, "a.csv").await;
    let p = preview(&app, &other).await;
    assert_eq!(p["problems"].as_array().unwrap().len(), 3, "{p}");
    assert!(preview(&app, &people).await["file_name"] == "a.csv");
    assert_eq!(
        app.call(&other, "training/import_confirm", &[])
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    // Signed out.
    let anon = browser();
    assert!(location(&app.get(&anon, "/training/import").await).starts_with("/login?next="));
    assert_eq!(
        upload(&app, &anon, CLEAN, "a.csv").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.call(&anon, "training/import_confirm", &[])
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(completions(&app).await, 0);
}

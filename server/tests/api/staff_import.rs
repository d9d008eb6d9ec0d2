//! The HR import over HTTP: upload, preview, confirm; all rows or none; re-imports;
//! invitations; the remembered mapping; organisations kept apart; who may import.

use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::Value;

const PEOPLE: &str = "people@demo.test";

async fn upload(app: &TestApp, client: &Client, csv: &str) {
    let r = app
        .call(client, "staff/import_upload", &[("csv", csv)])
        .await;
    assert!(
        r.status().is_success() || r.status() == StatusCode::FOUND,
        "upload accepted: {}",
        r.status()
    );
}

async fn state(app: &TestApp, client: &Client) -> Value {
    let r = app.call(client, "staff/import_state", &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.expect("state JSON")
}

async fn confirm(app: &TestApp, client: &Client, invite: bool) -> reqwest::Response {
    let form: Vec<(&str, &str)> = if invite {
        vec![("send_invitations", "on")]
    } else {
        vec![]
    };
    app.call(client, "staff/import_confirm", &form).await
}

async fn confirmed(app: &TestApp, client: &Client, invite: bool) -> Value {
    let r = confirm(app, client, invite).await;
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    assert!(
        status.is_success() || status == StatusCode::FOUND,
        "import confirmed: {status} {body}"
    );
    serde_json::from_str(&body).expect("outcome JSON")
}

async fn record_of(app: &TestApp, email: &str) -> (Option<String>, String, String, Option<String>) {
    sqlx::query_as(
        "SELECT r.employee_number, r.job_title, r.department, r.start_date
         FROM staff_records r JOIN users u ON u.id = r.user_id
         WHERE u.email = $1 AND u.org_id = (SELECT id FROM organisations WHERE slug = 'demo')",
    )
    .bind(email)
    .fetch_one(&app.db)
    .await
    .expect("record exists")
}

async fn count_outbox_to(app: &TestApp, email: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM outbox WHERE to_address LIKE '%{email}%'"
    ))
    .await
}

const CLEAN: &str =
    "\u{feff}Employee No,Full name,Work email,Job title,Department,Start date,Line manager,,\r\n\
M1,\"O'Neill, Siân\",sian.oneill@example.org,\"Head of Care, Level 3\",Care,01/09/2025,,,\r\n\
N2,Zoë Smith-Jones,zoe@example.org,Assessor,Care,2026-01-31,M1,,\r\n\
S1,Sam Staff,staff@demo.test,Tutor,Maths,,sian.oneill@example.org,,\r\n";

#[tokio::test]
async fn a_clean_file_imports_every_row_in_one_step() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let users_before = app.count("SELECT COUNT(*) FROM users").await;
    upload(&app, &people, CLEAN).await;
    let s = state(&app, &people).await;
    let preview = &s["preview"];
    assert_eq!(
        preview["problems"].as_array().unwrap().len(),
        0,
        "{preview}"
    );
    assert_eq!(preview["new_people"], 2);
    assert_eq!(preview["updates"], 1);
    assert_eq!(preview["mapping"]["email"], "Work email");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM staff_records").await,
        0,
        "nothing yet"
    );
    let (status, html) = app.page(&people, "/staff/import").await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    assert!(text.contains("Zoë Smith-Jones") && text.contains("No problems found."));

    let outcome = confirmed(&app, &people, false).await;
    assert_eq!(outcome["created"], 2);
    assert_eq!(outcome["updated"], 1);
    assert_eq!(outcome["invited"], 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users").await,
        users_before + 2
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_records").await, 3);
    let (number, job, department, start) = record_of(&app, "sian.oneill@example.org").await;
    assert_eq!(number.as_deref(), Some("M1"));
    assert_eq!(job, "Head of Care, Level 3");
    assert_eq!(department, "Care");
    assert_eq!(start.as_deref(), Some("2025-09-01"));
    let managed = app
        .count(
            "SELECT COUNT(*) FROM staff_records r JOIN users m ON m.id = r.line_manager_id
             WHERE m.email = 'sian.oneill@example.org'",
        )
        .await;
    assert_eq!(managed, 2, "Zoë and Sam report to Siân");
    let name: (String,) =
        sqlx::query_as("SELECT full_name FROM users WHERE email = 'zoe@example.org'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(name.0, "Zoë Smith-Jones");
    let roles = app
        .count(
            "SELECT COUNT(*) FROM user_roles ur JOIN users u ON u.id = ur.user_id
             WHERE u.email = 'zoe@example.org' AND ur.role = 'staff'",
        )
        .await;
    assert_eq!(roles, 1, "new people are staff unless the file says");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'staff.imported'")
            .await,
        1,
        "one audit row for the whole import"
    );
    assert_eq!(
        count_outbox_to(&app, "zoe@example.org").await,
        0,
        "no invitation unticked"
    );
    let (_, html) = app.page(&people, "/staff/import").await;
    assert!(visible_text(&html).contains("Import finished: 2 new, 1 updated"));
}

#[tokio::test]
async fn one_bad_row_means_nothing_is_written() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let users_before = app.count("SELECT COUNT(*) FROM users").await;
    let csv = "Employee number,Name,Email,Start date\n\
               A1,Ann One,ann@example.org,01/02/2026\n\
               A2,Ann Two,ann2@example.org,31/02/2026\n\
               A3,Ann Three,ann3@example.org,\n";
    upload(&app, &people, csv).await;
    let s = state(&app, &people).await;
    let problems = s["preview"]["problems"].as_array().unwrap().clone();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0]["line"], 3);
    let (_, html) = app.page(&people, "/staff/import").await;
    assert!(html.contains("href=\"#line-3\"") && html.contains("id=\"line-3\""));
    let r = confirm(&app, &people, true).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users_before);
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_records").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'staff.imported'")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM staff_import_mappings")
            .await,
        0
    );
}

#[tokio::test]
async fn a_manager_loop_in_the_file_is_refused() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let csv = "Employee number,Name,Email,Line manager\n\
               X1,Xavier,x@example.org,Y1\n\
               Y1,Yasmin,y@example.org,X1\n";
    upload(&app, &people, csv).await;
    let s = state(&app, &people).await;
    let lines: Vec<i64> = s["preview"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, vec![2, 3]);
    assert_eq!(
        confirm(&app, &people, false).await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_records").await, 0);
}

#[tokio::test]
async fn a_re_import_updates_leaves_blank_cells_alone_and_lists_who_is_missing() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    upload(
        &app,
        &people,
        "Employee number,Name,Email,Job title,Department\n\
         A1,Ann Able,ann@example.org,Tutor,Maths\n\
         B1,Ben Baker,ben@example.org,Cook,Kitchen\n",
    )
    .await;
    confirmed(&app, &people, false).await;
    // Ann by employee number (with a new email), the job title cell blank.
    upload(
        &app,
        &people,
        "Employee number,Name,Email,Job title,Department\n\
         A1,Ann Able-Smith,ann.smith@example.org,,English\n",
    )
    .await;
    let s = state(&app, &people).await;
    assert_eq!(s["preview"]["updates"], 1);
    assert_eq!(s["preview"]["new_people"], 0);
    let outcome = confirmed(&app, &people, false).await;
    assert_eq!(outcome["created"], 0);
    assert_eq!(outcome["updated"], 1);
    let (number, job, department, _) = record_of(&app, "ann.smith@example.org").await;
    assert_eq!(number.as_deref(), Some("A1"));
    assert_eq!(job, "Tutor", "a blank cell leaves the stored value");
    assert_eq!(department, "English");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'ann@example.org'")
            .await,
        0
    );
    let missing: Vec<String> = outcome["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap().to_string())
        .collect();
    assert!(
        missing.contains(&"ben@example.org".to_string()),
        "{missing:?}"
    );
    assert!(missing.contains(&"staff@demo.test".to_string()));
    assert!(!missing.contains(&"ann.smith@example.org".to_string()));
    assert!(
        !missing.contains(&"learner@demo.test".to_string()),
        "learners are not staff"
    );
    let (_, html) = app.page(&people, "/staff/import").await;
    assert!(visible_text(&html).contains("Ben Baker"));
    // Nobody was deleted.
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_records").await, 2);
}

#[tokio::test]
async fn invitations_go_only_when_ticked() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    upload(&app, &people, "Name,Email\nQuiet One,quiet@example.org\n").await;
    confirmed(&app, &people, false).await;
    assert_eq!(count_outbox_to(&app, "quiet@example.org").await, 0);
    upload(
        &app,
        &people,
        "Name,Email,Role\nLoud One,loud@example.org,manager\nQuiet One,quiet@example.org,\n",
    )
    .await;
    let outcome = confirmed(&app, &people, true).await;
    assert_eq!(outcome["invited"], 1, "only the new person is invited");
    assert_eq!(count_outbox_to(&app, "loud@example.org").await, 1);
    assert_eq!(count_outbox_to(&app, "quiet@example.org").await, 0);
    let manager = app
        .count(
            "SELECT COUNT(*) FROM user_roles ur JOIN users u ON u.id = ur.user_id
             WHERE u.email = 'loud@example.org' AND ur.role = 'manager'",
        )
        .await;
    assert_eq!(manager, 1);
}

#[tokio::test]
async fn the_mapping_is_remembered_for_next_time() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let csv = "Ref,Who,Contact\nR1,Rita Ref,rita@example.org\n";
    upload(&app, &people, csv).await;
    let s = state(&app, &people).await;
    assert!(s["preview"]["mapping"].get("employee_number").is_none());
    let r = app
        .call(
            &people,
            "staff/import_map",
            &[
                ("employee_number", "Ref"),
                ("full_name", "Who"),
                ("email", "Contact"),
            ],
        )
        .await;
    assert!(r.status().is_success() || r.status() == StatusCode::FOUND);
    let s = state(&app, &people).await;
    assert_eq!(s["preview"]["mapping"]["email"], "Contact");
    assert_eq!(s["preview"]["problems"].as_array().unwrap().len(), 0);
    confirmed(&app, &people, false).await;
    // Next time, another person of the same organisation is offered the same columns.
    let admin = app.signed_in("admin@demo.test").await;
    upload(
        &app,
        &admin,
        "Ref,Who,Contact\nR2,Rob Ref,rob@example.org\n",
    )
    .await;
    let s = state(&app, &admin).await;
    assert_eq!(s["preview"]["mapping"]["employee_number"], "Ref");
    assert_eq!(s["preview"]["mapping"]["full_name"], "Who");
    assert_eq!(s["preview"]["mapping"]["email"], "Contact");
    // A column the file does not have is refused.
    let r = app
        .call(&admin, "staff/import_map", &[("email", "Nope")])
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn another_organisations_people_are_never_matched_or_touched() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    upload(
        &app,
        &people,
        "Employee number,Name,Email\nS1,Sam Staff,staff@demo.test\n",
    )
    .await;
    confirmed(&app, &people, false).await;
    // The other organisation imports the same employee number and a demo email, and
    // the demo organisation imports its learner's address.
    let other = app.signed_in(OTHER_ADMIN).await;
    upload(
        &app,
        &other,
        "Employee number,Name,Email\nS1,Someone Else,someone@other.test\nZ9,Not Sam,staff@demo.test\n",
    )
    .await;
    let s = state(&app, &other).await;
    assert_eq!(s["preview"]["new_people"], 2, "{s}");
    let outcome = confirmed(&app, &other, false).await;
    assert_eq!(outcome["created"], 2);
    let missing: Vec<String> = outcome["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap().to_string())
        .collect();
    assert!(
        missing.iter().all(|e| e.ends_with("other.test")),
        "{missing:?}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'staff@demo.test'")
            .await,
        2,
        "a new account in the other organisation"
    );
    let (number, _, _, _) = record_of(&app, "staff@demo.test").await;
    assert_eq!(number.as_deref(), Some("S1"));
    let demo_name: (String,) = sqlx::query_as(
        "SELECT u.full_name FROM users u JOIN organisations o ON o.id = u.org_id
         WHERE u.email = 'staff@demo.test' AND o.slug = 'demo'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(demo_name.0, "Sam Staff");
    // The demo organisation's waiting file is not the other organisation's.
    upload(
        &app,
        &people,
        "Name,Email\nLea Learner,learner@other.test\n",
    )
    .await;
    let s = state(&app, &other).await;
    assert!(s["preview"].is_null());
    let outcome = confirmed(&app, &people, false).await;
    assert_eq!(
        outcome["created"], 1,
        "the address used elsewhere is new here"
    );
    let other_learner: (String,) = sqlx::query_as(
        "SELECT u.full_name FROM users u JOIN organisations o ON o.id = u.org_id
         WHERE u.email = 'learner@other.test' AND o.slug = 'other'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_ne!(other_learner.0, "Lea Learner");
}

#[tokio::test]
async fn only_people_and_administrators_may_import() {
    let app = spawn_app().await;
    let csv = "Name,Email\nNew Person,new@example.org\n";
    for role in ["learner", "tutor", "manager", "staff", "dsl"] {
        let client = app.signed_in(&format!("{role}@demo.test")).await;
        for (function, form) in [
            ("staff/import_upload", vec![("csv", csv)]),
            ("staff/import_state", vec![]),
            ("staff/import_confirm", vec![("send_invitations", "on")]),
            ("staff/import_map", vec![("email", "Email")]),
            ("staff/import_cancel", vec![]),
        ] {
            let r = app.call(&client, function, &form).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{role} calls {function}");
        }
        let (status, _) = app.page(&client, "/staff/import").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role} opens the page");
    }
    let out = browser();
    let r = app.call(&out, "staff/import_upload", &[("csv", csv)]).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = app.call(&out, "staff/import_confirm", &[]).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'new@example.org'")
            .await,
        0
    );
    for who in [PEOPLE, "admin@demo.test"] {
        let client = app.signed_in(who).await;
        let (status, _) = app.page(&client, "/staff/import").await;
        assert_eq!(status, StatusCode::OK, "{who} opens the page");
    }
}

#[tokio::test]
async fn a_file_too_large_is_refused_before_anything_is_kept() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let big = format!("Name,Email\n{}", "Ann,ann@example.org\n".repeat(60_000));
    let r = app
        .call(&people, "staff/import_upload", &[("csv", &big)])
        .await;
    assert!(
        r.status() == StatusCode::BAD_REQUEST || r.status() == StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        r.status()
    );
    let s = state(&app, &people).await;
    assert!(s["preview"].is_null());
}

#[tokio::test]
async fn the_forms_work_without_javascript() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let r = app
        .submit(
            &people,
            "staff/import_upload",
            &[("csv", "Name,Email\nFormy Person,formy@example.org\n")],
            "/staff/import",
        )
        .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(location(&r), "/staff/import#preview");
    let (_, html) = app.page(&people, "/staff/import").await;
    let text = visible_text(&html);
    assert!(text.contains("Formy Person") && text.contains("Import 1 row"));
    assert!(html.contains("<label for=\"map_email\">"));
    let r = app
        .submit(
            &people,
            "staff/import_confirm",
            &[("send_invitations", "on")],
            "/staff/import",
        )
        .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(location(&r), "/staff/import?done=imported#result");
    let (_, html) = app.page(&people, "/staff/import").await;
    assert!(visible_text(&html).contains("Import finished: 1 new, 0 updated, 1 invitation sent."));
    // A refused form comes back to the page with its message.
    let r = app
        .submit(
            &people,
            "staff/import_upload",
            &[("csv", "")],
            "/staff/import",
        )
        .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let back = app.path_of(&location(&r));
    assert!(back.starts_with("/staff/import"), "{back}");
    let (_, html) = app.page(&people, &back).await;
    assert!(
        visible_text(&html).contains("The file is empty"),
        "{}",
        visible_text(&html)
    );
}

#[tokio::test]
async fn a_learner_matched_by_email_becomes_staff_and_keeps_being_a_learner() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    upload(
        &app,
        &people,
        "Email,Job title\nlearner@demo.test,Apprentice assessor\n",
    )
    .await;
    let outcome = confirmed(&app, &people, true).await;
    assert_eq!(outcome["created"], 0);
    assert_eq!(outcome["invited"], 0, "existing people are never invited");
    let roles = app
        .count(
            "SELECT COUNT(*) FROM user_roles ur JOIN users u ON u.id = ur.user_id
             WHERE u.email = 'learner@demo.test' AND ur.role IN ('staff', 'learner')",
        )
        .await;
    assert_eq!(roles, 2);
}

#[tokio::test]
async fn a_file_near_the_limit_is_accepted_and_imported() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let mut csv = String::from(
        "Employee number,Full name,Email,Job title,Department,Start date,Line manager\r\n",
    );
    for i in 0..4_000 {
        let manager = if i == 0 {
            String::new()
        } else {
            format!("E{}", i / 10)
        };
        csv.push_str(&format!(
            "E{i},\"Person {i}, O'Hara-Núñez\",person.{i}@example.org,\"Assessor, Level 3 (apprenticeships)\",Health & Social Care,01/09/2025,{manager}\r\n"
        ));
    }
    assert!(
        csv.len() > 500_000 && csv.len() < 1_000_000,
        "{}",
        csv.len()
    );
    upload(&app, &people, &csv).await;
    let s = state(&app, &people).await;
    assert_eq!(s["preview"]["problems"].as_array().unwrap().len(), 0);
    assert_eq!(s["preview"]["new_people"], 4_000);
    let outcome = confirmed(&app, &people, false).await;
    assert_eq!(outcome["created"], 4_000);
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_records").await, 4_000);
}

#[tokio::test]
async fn the_waiting_file_is_kept_out_of_the_session_and_only_its_owner_sees_it() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let mut csv = String::from("Employee number,Full name,Email,Job title,Department\n");
    for i in 0..2_000 {
        csv.push_str(&format!(
            "W{i},Waiting Person {i},waiting.{i}@example.org,\"Assessor, Level 3 (apprenticeships and adult learning)\",Care\n"
        ));
    }
    assert!(csv.len() > 200_000, "{}", csv.len());
    upload(&app, &people, &csv).await;
    let s = state(&app, &people).await;
    assert_eq!(s["preview"]["new_people"], 2_000);

    // The session read on every request stays small while the file waits in its table.
    let people_id = app.user_id(PEOPLE).await;
    let session_bytes = app
        .count(&format!(
            "SELECT CAST(MAX(LENGTH(data)) AS BIGINT) FROM sessions WHERE user_id = '{people_id}'"
        ))
        .await;
    assert!(
        session_bytes < 4_000,
        "session data is {session_bytes} bytes"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM import_uploads WHERE kind = 'hr-import'
             AND user_id = '{people_id}' AND CAST(LENGTH(csv) AS BIGINT) = {}",
            csv.len()
        ))
        .await,
        1,
        "the file waits in import_uploads"
    );

    // Nobody else sees it or can act on it: not another organisation's administrator,
    // nor another importer of the same organisation.
    for who in [OTHER_ADMIN, "admin@demo.test"] {
        let client = app.signed_in(who).await;
        let s = state(&app, &client).await;
        assert!(s["preview"].is_null(), "{who} sees no waiting file: {s}");
        let (_, html) = app.page(&client, "/staff/import").await;
        assert!(!visible_text(&html).contains("Waiting Person"), "{who}");
        let r = app
            .call(&client, "staff/import_map", &[("email", "Email")])
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{who} maps");
        assert_eq!(
            confirm(&app, &client, false).await.status(),
            StatusCode::BAD_REQUEST,
            "{who} confirms"
        );
        let r = app.call(&client, "staff/import_cancel", &[]).await;
        assert!(r.status().is_success() || r.status() == StatusCode::FOUND);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email LIKE 'waiting.%'")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM import_uploads").await,
        1,
        "their cancelling left the owner's file alone"
    );
    // The same person may have a back-fill file waiting too: one of each kind.
    let r = app
        .call(
            &people,
            "training/import_upload",
            &[
                (
                    "csv",
                    "Email,Requirement,Completion date\nstaff@demo.test,Prevent awareness,2025-01-01\n",
                ),
                ("file_name", "go-live.csv"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM import_uploads").await, 2);

    let outcome = confirmed(&app, &people, false).await;
    assert_eq!(outcome["created"], 2_000);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM import_uploads WHERE kind = 'hr-import'")
            .await,
        0,
        "no waiting HR file after the import"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM import_uploads WHERE kind = 'training-backfill'")
            .await,
        1,
        "the back-fill file still waits"
    );
    let s = state(&app, &people).await;
    assert!(s["preview"].is_null());
}

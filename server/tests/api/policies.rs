//! Acceptable Use Policies over HTTP: the gate after sign-in, signing and its refusals,
//! the record and its hash, re-signing after a new version, signed copies and their
//! public check, and signatures the database will not change.

use crate::helpers::*;
use app::error::AppError;
use app::policies::rules::text_hash;
use reqwest::{Client, StatusCode};

const LEARNER: &str = "learner@demo.test";

async fn version_to_sign(app: &TestApp, client: &Client, kind: &str) -> serde_json::Value {
    let r = app
        .call(client, "policies/to_sign", &[("kind", kind)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn sign(
    app: &TestApp,
    client: &Client,
    version: &str,
    agree: bool,
    name: &str,
) -> reqwest::Response {
    let mut form = vec![("version_id", version), ("full_name", name)];
    if agree {
        form.push(("agree", "on"));
    }
    app.call(client, "policies/sign", &form).await
}

async fn signatures(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM policy_signatures").await
}

#[tokio::test]
async fn after_sign_in_a_learner_signs_the_policy_before_anything_else() {
    let app = spawn_app().await;
    let client = app.signed_in_only(LEARNER, PASSWORD).await;
    for page in ["/home", "/induction", "/admin/users", "/"] {
        let r = app.get(&client, page).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{page}");
        assert_eq!(location(&r), "/policies/sign/learner", "{page}");
    }
    // The policy, the account page and public pages stay open.
    for page in [
        "/policies/sign/learner",
        "/account",
        "/safe-internet",
        "/policies",
    ] {
        assert_eq!(
            app.get(&client, page).await.status(),
            StatusCode::OK,
            "{page}"
        );
    }
    let (_, html) = app.page(&client, "/policies/sign/learner").await;
    let text = visible_text(&html);
    assert!(text.contains("Learner Acceptable Use Policy"), "{text}");
    assert!(text.contains("Version 1"));
    assert!(text.contains("I have read and agree to this policy"));

    let policy = version_to_sign(&app, &client, "learner").await;
    let version = policy["version_id"].as_str().unwrap();
    // No tick; a name that is not theirs; a made-up version: each refused, nothing kept.
    let r = sign(&app, &client, version, false, "Alex Learner").await;
    assert_eq!(
        app_error(r).await,
        AppError::Invalid("Tick \"I have read and agree to this policy\" to sign it.".into())
    );
    let r = sign(&app, &client, version, true, "Someone Else").await;
    assert!(
        matches!(app_error(r).await, AppError::Invalid(m) if m.contains("does not match the name on your account"))
    );
    let r = sign(&app, &client, "no-such-version", true, "Alex Learner").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(signatures(&app).await, 0);
    // From the browser form, the message comes back on the page.
    let r = app
        .submit(
            &client,
            "policies/sign",
            &[("version_id", version), ("full_name", "Alex Learner")],
            "/policies/sign/learner",
        )
        .await;
    let (_, page) = app.page(&client, &app.path_of(&location(&r))).await;
    assert!(visible_text(&page).contains("Tick \"I have read and agree"));

    // Signed (case and spacing of the name do not matter): the gate opens.
    let r = app
        .submit(
            &client,
            "policies/sign",
            &[
                ("version_id", version),
                ("agree", "on"),
                ("full_name", "  alex   learner "),
            ],
            "/policies/sign/learner",
        )
        .await;
    assert_eq!(location(&r), "/policies?signed=1");
    assert_eq!(app.get(&client, "/home").await.status(), StatusCode::OK);
    let (_, mine) = app.page(&client, "/policies").await;
    assert!(visible_text(&mine).contains("Signed. Version 1 is current."));

    // The record: who, where, the exact version, the hash of the exact text, the name.
    let (body,): (String,) = sqlx::query_as("SELECT body FROM policy_versions WHERE id = $1")
        .bind(version)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let (hash, typed, address, agent, user_id): (String, String, String, String, String) =
        sqlx::query_as(
            "SELECT text_sha256, typed_name, address, user_agent, user_id FROM policy_signatures",
        )
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(hash, text_hash(&body));
    assert_eq!(hash.len(), 64);
    assert_eq!(typed, "alex learner");
    assert_eq!(address, "127.0.0.1");
    assert!(!agent.is_empty());
    assert_eq!(user_id, app.user_id(LEARNER).await);
    // Version 1 is our default text, as written in content/policies/.
    let default = std::fs::read_to_string(content_dir().join("policies/learner-aup.md")).unwrap();
    assert!(default.ends_with(&body));
}

#[tokio::test]
async fn staff_sign_the_staff_policy_and_each_organisation_has_its_own_versions() {
    let app = spawn_app().await;
    let staff = app.signed_in_only("staff@demo.test", PASSWORD).await;
    assert_eq!(
        location(&app.get(&staff, "/home").await),
        "/policies/sign/staff"
    );
    let r = app
        .call(&staff, "policies/to_sign", &[("kind", "learner")])
        .await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "staff have no learner policy"
    );
    let other = app.signed_in_only(OTHER_ADMIN, PASSWORD).await;
    let theirs = version_to_sign(&app, &other, "staff").await;
    let ours = version_to_sign(&app, &staff, "staff").await;
    assert_ne!(theirs["version_id"], ours["version_id"]);
    // Signing another organisation's version is "not found".
    let r = sign(
        &app,
        &staff,
        theirs["version_id"].as_str().unwrap(),
        true,
        "Jordan Staff",
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(signatures(&app).await, 0);
}

async fn publish(
    app: &TestApp,
    kind: &str,
    number: i64,
    sign_again: &str,
    what_changed: &str,
) -> String {
    let (org_id, body): (String, String) = sqlx::query_as(
        "SELECT org_id, body FROM policy_versions WHERE kind = $1 AND number = 1
         AND org_id = (SELECT id FROM organisations WHERE slug = 'demo')",
    )
    .bind(kind)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let id = app::db::new_id();
    let now = app::db::now();
    sqlx::query(
        "INSERT INTO policy_versions (id, org_id, kind, number, title, body, what_changed,
             effective_from, sign_again, created_at, published_at)
         VALUES ($1, $2, $3, $4, 'Learner Acceptable Use Policy', $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(&org_id)
    .bind(kind)
    .bind(number)
    .bind(format!("{body}\n\nVersion {number} adds this line."))
    .bind(what_changed)
    .bind(&now[..10])
    .bind(sign_again)
    .bind(&now)
    .execute(&app.db)
    .await
    .unwrap();
    id
}

#[tokio::test]
async fn a_new_version_asks_again_unless_it_is_a_small_fix() {
    let app = spawn_app().await;
    let client = app.signed_in(LEARNER).await;
    let old = version_to_sign(&app, &client, "learner").await;
    assert_eq!(app.get(&client, "/home").await.status(), StatusCode::OK);

    // A typo fix: nobody has to sign again.
    publish(&app, "learner", 2, "new-signers-only", "Fixed a typo.").await;
    assert_eq!(app.get(&client, "/home").await.status(), StatusCode::OK);

    // A real change: everyone signs again, told what changed.
    let v3 = publish(&app, "learner", 3, "everyone", "New rules about AI tools.").await;
    assert_eq!(
        location(&app.get(&client, "/home").await),
        "/policies/sign/learner"
    );
    let (_, page) = app.page(&client, "/policies/sign/learner").await;
    let text = visible_text(&page);
    assert!(
        text.contains("changed since you signed version 1"),
        "{text}"
    );
    assert!(text.contains("New rules about AI tools."));
    // Signing the old version is refused; the new one is accepted.
    let r = sign(
        &app,
        &client,
        old["version_id"].as_str().unwrap(),
        true,
        "Alex Learner",
    )
    .await;
    assert!(
        matches!(app_error(r).await, AppError::Invalid(m) if m.contains("not the current version"))
    );
    assert_eq!(
        sign(&app, &client, &v3, true, "Alex Learner")
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(app.get(&client, "/home").await.status(), StatusCode::OK);
    assert_eq!(signatures(&app).await, 2);
}

#[tokio::test]
async fn signatures_and_published_versions_cannot_be_changed_by_any_path() {
    let app = spawn_app().await;
    app.signed_in(LEARNER).await;
    for sql in [
        "UPDATE policy_signatures SET typed_name = 'Someone Else'",
        "UPDATE policy_signatures SET text_sha256 = 'x'",
        "DELETE FROM policy_signatures",
        "UPDATE policy_versions SET body = 'changed' WHERE published_at IS NOT NULL",
        "DELETE FROM policy_versions",
    ] {
        let result = sqlx::query(sql).execute(&app.db).await;
        assert!(result.is_err(), "the database refused: {sql}");
    }
    let (typed,): (String,) = sqlx::query_as("SELECT typed_name FROM policy_signatures")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(typed, "Alex Learner");
    // A draft is still editable.
    let (org_id,): (String,) = sqlx::query_as("SELECT id FROM organisations WHERE slug = 'demo'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let now = app::db::now();
    sqlx::query(
        "INSERT INTO policy_versions (id, org_id, kind, number, title, body, what_changed,
             effective_from, sign_again, created_at)
         VALUES ('draft', $1, 'learner', 9, 'T', 'B', 'C', '2030-01-01', 'everyone', $2)",
    )
    .bind(&org_id)
    .bind(&now)
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query("UPDATE policy_versions SET body = 'B2' WHERE id = 'draft'")
        .execute(&app.db)
        .await
        .expect("drafts can change");
    // The rules survive a restart (installed again, idempotently).
    let url = app.config.database_url.clone();
    let dir = app.stop().await;
    let app = start(dir, &url).await;
    assert!(sqlx::query("DELETE FROM policy_signatures")
        .execute(&app.db)
        .await
        .is_err());
}

#[tokio::test]
async fn a_signed_copy_is_for_the_file_and_anyone_can_check_it() {
    let app = spawn_app().await;
    let learner = app.signed_in(LEARNER).await;
    let (id, hash): (String, String) =
        sqlx::query_as("SELECT id, text_sha256 FROM policy_signatures")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let (_, mine) = app.page(&learner, "/policies").await;
    assert!(mine.contains(&format!("/policies/signed/{id}")));
    let (status, copy) = app.page(&learner, &format!("/policies/signed/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&copy);
    assert!(text.contains(&hash) && text.contains("Alex Learner") && text.contains("127.0.0.1"));
    assert!(text.contains(&format!("/policies/check/{id}")));
    assert!(
        text.contains("What you are agreeing to"),
        "the full text is on the copy"
    );
    // The organisation's administrator may keep it on file; nobody else sees it.
    let admin = app.signed_in("admin@demo.test").await;
    assert_eq!(
        app.page(&admin, &format!("/policies/signed/{id}")).await.0,
        StatusCode::OK
    );
    add_person(
        &app,
        "demo",
        "second@demo.test",
        "Sky Second",
        app::auth::Role::Learner,
    )
    .await;
    for other in ["second@demo.test", OTHER_ADMIN] {
        let client = app.signed_in(other).await;
        let (status, _) = app.page(&client, &format!("/policies/signed/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{other}");
    }
    // The public check: genuine, text unchanged, first name and initial only.
    let (status, check) = app.page(&browser(), &format!("/policies/check/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&check);
    assert!(
        text.contains("the policy text still matches what was signed"),
        "{text}"
    );
    assert!(text.contains(&hash) && text.contains("Alex L.") && !text.contains("Learner Alex"));
    assert!(!text.contains("Alex Learner"));
    let (status, _) = app
        .page(&browser(), "/policies/check/not-a-signature")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

fn draft_form<'a>(
    id: &'a str,
    body: &'a str,
    what: &'a str,
    date: &'a str,
    publish: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("draft_id", id),
        ("title", "Learner Acceptable Use Policy"),
        ("body", body),
        ("what_changed", what),
        ("effective_from", date),
        ("sign_again", "everyone"),
        ("publish", publish),
    ]
}

#[tokio::test]
async fn the_dsl_drafts_previews_and_publishes_a_new_version_and_learners_sign_again() {
    let app = spawn_app().await;
    let learner = app.signed_in(LEARNER).await;
    let dsl = app.signed_in("dsl@demo.test").await;
    let (status, list) = app.page(&dsl, "/admin/policies").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        visible_text(&list).contains("Start a new version of the Learner Acceptable Use Policy")
    );
    // Learners cannot manage policies.
    assert_eq!(
        app.call(&learner, "policies/start_draft", &[("kind", "learner")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    let r = app
        .submit(
            &dsl,
            "policies/start_draft",
            &[("kind", "learner")],
            "/admin/policies",
        )
        .await;
    let draft_path = location(&r);
    assert!(
        draft_path.starts_with("/admin/policies/drafts/"),
        "{draft_path}"
    );
    let id = draft_path.rsplit('/').next().unwrap().to_string();
    let (status, page) = app.page(&dsl, &draft_path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(visible_text(&page).contains("draft version 2"));
    // Another organisation's administrator cannot open it.
    let other = app.signed_in(OTHER_ADMIN).await;
    assert_eq!(app.page(&other, &draft_path).await.0, StatusCode::NOT_FOUND);

    let (old_body,): (String,) = sqlx::query_as("SELECT body FROM policy_versions WHERE id = $1")
        .bind(&id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let today = &app::db::now()[..10];
    // A bad date: refused, the draft unchanged.
    let r = app
        .call(
            &dsl,
            "policies/save_draft",
            &draft_form(&id, "x", "y", "next week", "no"),
        )
        .await;
    assert!(matches!(app_error(r).await, AppError::Invalid(m) if m.contains("not a date")));
    // Raw HTML: saved as a draft, not published, with the checker's message.
    let broken = format!("{old_body}\n\n<script>alert(1)</script>\n");
    let r = app
        .call(
            &dsl,
            "policies/save_draft",
            &draft_form(&id, &broken, "New AI rules.", today, "yes"),
        )
        .await;
    assert!(
        matches!(app_error(r).await, AppError::Invalid(m) if m.contains("not published") && m.contains("raw HTML"))
    );
    let (_, preview) = app.page(&dsl, &draft_path).await;
    assert!(
        !preview.contains("<script>alert(1)"),
        "the preview escapes raw HTML"
    );
    assert!(visible_text(&preview).contains("Fix these before publishing"));
    assert_eq!(
        location(&app.get(&learner, "/home").await),
        "",
        "not published: no gate"
    );

    // Fixed and published.
    let new_body = old_body.replacen(
        "## ",
        "## A new first section\n\nUse AI tools only as your tutor allows.\n\n## ",
        1,
    );
    let r = app
        .submit(
            &dsl,
            "policies/save_draft",
            &draft_form(
                &id,
                &new_body,
                "A new section about AI tools.",
                today,
                "yes",
            ),
            &draft_path,
        )
        .await;
    assert_eq!(location(&r), "/admin/policies?published=2");
    let (status, list) = app.page(&dsl, "/admin/policies?published=2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(visible_text(&list).contains("Version 2 is published"));
    // Published: its text can no longer change.
    let r = app
        .call(
            &dsl,
            "policies/save_draft",
            &draft_form(&id, "changed", "x", today, "no"),
        )
        .await;
    assert!(
        matches!(app_error(r).await, AppError::Invalid(m) if m.contains("can no longer change"))
    );

    // The learner who signed version 1 is asked again, and sees what changed side by side.
    assert_eq!(
        location(&app.get(&learner, "/home").await),
        "/policies/sign/learner"
    );
    let (_, page) = app.page(&learner, "/policies/sign/learner").await;
    let text = visible_text(&page);
    assert!(text.contains("A new section about AI tools."));
    assert!(text.contains("Version 1, which you signed, beside version 2"));
    assert!(
        text.contains("Now: Use AI tools only as your tutor allows."),
        "{text}"
    );
    app.sign_policies(&learner, LEARNER).await;
    assert_eq!(app.get(&learner, "/home").await.status(), StatusCode::OK);

    // Whoever publishes a staff version signs it too, after seeing it was published.
    let r = app
        .submit(
            &dsl,
            "policies/start_draft",
            &[("kind", "staff")],
            "/admin/policies",
        )
        .await;
    let staff_draft = location(&r).rsplit('/').next().unwrap().to_string();
    let (staff_body,): (String,) = sqlx::query_as("SELECT body FROM policy_versions WHERE id = $1")
        .bind(&staff_draft)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let mut form = draft_form(&staff_draft, &staff_body, "Clearer wording.", today, "yes");
    form[1] = ("title", "Staff Acceptable Use Policy");
    let r = app
        .submit(&dsl, "policies/save_draft", &form, "/admin/policies")
        .await;
    assert_eq!(location(&r), "/admin/policies?published=2");
    assert_eq!(
        app.get(&dsl, "/admin/policies?published=2").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        location(&app.get(&dsl, "/home").await),
        "/policies/sign/staff"
    );
}

#[tokio::test]
async fn the_signing_report_filters_exports_safe_csv_and_reminds_once_a_day() {
    let app = spawn_app().await;
    app.signed_in(LEARNER).await; // signs version 1
    add_person(
        &app,
        "demo",
        "formula@demo.test",
        "=HYPERLINK(\"http://x.test\") Person",
        app::auth::Role::Learner,
    )
    .await;
    let dsl = app.signed_in("dsl@demo.test").await;

    let (status, page) = app.page(&dsl, "/policies/report?kind=learner").await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&page);
    assert!(
        text.contains("1 of 2 people have signed version 1"),
        "{text}"
    );
    assert!(text.contains("Alex Learner") && text.contains("formula@demo.test"));
    let (_, filtered) = app
        .page(&dsl, "/policies/report?kind=learner&status=not-signed")
        .await;
    let text = visible_text(&filtered);
    assert!(
        text.contains("formula@demo.test") && !text.contains("learner@demo.test"),
        "{text}"
    );
    let (_, searched) = app.page(&dsl, "/policies/report?kind=learner&q=alex").await;
    assert!(!visible_text(&searched).contains("formula@demo.test"));

    // The CSV: the same rows, with the formula shown as text.
    let r = app.get(&dsl, "/policies/report.csv?kind=learner").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "Name,Email,Status,Last version signed,Signed on,Parent or carer"
    );
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://x.test\"\") Person\""),
        "{csv}"
    );
    assert!(csv.contains("Alex Learner,learner@demo.test,Signed,1,"));
    // The demo learner is 17: the last column follows up their parent or carer.
    assert!(
        csv.contains(",Waiting\n") || csv.contains(",Waiting\r\n"),
        "{csv}"
    );
    // Only the report roles, only their own organisation.
    let learner = app.signed_in(LEARNER).await;
    assert_eq!(
        app.get(&learner, "/policies/report.csv?kind=learner")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&browser(), "/policies/report.csv?kind=learner")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let other = app.signed_in(OTHER_ADMIN).await;
    let theirs = app
        .get(&other, "/policies/report.csv?kind=learner")
        .await
        .text()
        .await
        .unwrap();
    assert!(!theirs.contains("demo.test") && theirs.contains("learner@other.test"));

    // Reminders: to those who have not signed, through the outbox, once a day.
    let before = app.count("SELECT COUNT(*) FROM outbox").await;
    let r = app
        .submit(
            &dsl,
            "policies/remind",
            &[("kind", "learner")],
            "/policies/report?kind=learner",
        )
        .await;
    assert_eq!(location(&r), "/policies/report?kind=learner&reminded=1");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, before + 1);
    let (id,): (app::ids::EmailId,) =
        sqlx::query_as("SELECT id FROM outbox ORDER BY created_at DESC LIMIT 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    // Queued bodies are encrypted: read them as the worker does.
    let email = app::mail::outbox::read_queued(&app.db, &app.config.secret_key, &id)
        .await
        .unwrap()
        .expect("the reminder is queued")
        .expect("its bodies decrypt");
    assert_eq!(email.to, "formula@demo.test");
    assert!(email.subject.contains("Acceptable Use Policy"));
    assert!(email.text.contains("/policies/sign/learner"));
    let r = app
        .call(&dsl, "policies/remind", &[("kind", "learner")])
        .await;
    assert!(r.status().is_success() || r.status() == StatusCode::FOUND);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox").await,
        before + 1,
        "not twice the same day"
    );
    assert_eq!(
        app.call(&learner, "policies/remind", &[("kind", "learner")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

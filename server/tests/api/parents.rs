//! Learners under 18: a parent or carer acknowledges the learner policy through an
//! emailed single-use link (over a real SMTP server) or on paper; and everyone signs
//! again on the organisation's schedule.

use crate::helpers::*;
use app::error::AppError;
use app::mail::transport::Mailer;
use reqwest::StatusCode;

const LEARNER: &str = "learner@demo.test";
const TUTOR: &str = "tutor@demo.test";

async fn acknowledgements(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM parent_acknowledgements")
        .await
}

async fn parent_acknowledges(
    app: &TestApp,
    token: &str,
    name: &str,
    relationship: &str,
    agree: bool,
) -> reqwest::Response {
    let mut form = vec![
        ("token", token),
        ("parent_name", name),
        ("relationship", relationship),
    ];
    if agree {
        form.push(("agree", "on"));
    }
    app.call(&browser(), "parent/acknowledge", &form).await
}

async fn message_of(response: reqwest::Response) -> String {
    match app_error(response).await {
        AppError::Invalid(message) => message,
        other => panic!("expected a clear message, got {other:?}"),
    }
}

#[tokio::test]
async fn a_parent_acknowledges_once_through_an_emailed_link() {
    let app = spawn_app().await;
    let learner_id = app.user_id(LEARNER).await;
    let learner = app.signed_in(LEARNER).await;
    let tutor = app.signed_in(TUTOR).await;

    // The demo learner is 17: the report says their parent has not acknowledged yet.
    let (_, report) = app.page(&tutor, "/policies/report?kind=learner").await;
    let report = visible_text(&report);
    assert!(report.contains("Parent or carer (under 18)"), "{report}");
    assert!(report.contains("Waiting"), "{report}");

    // Bad addresses are refused and nothing is sent.
    for (email, says) in [
        (
            "not an email",
            "Enter the parent's or carer's email address",
        ),
        (LEARNER, "That is Alex Learner's own email address"),
    ] {
        let r = app
            .call(
                &tutor,
                "policies/email_parent",
                &[("learner_id", &learner_id), ("email", email)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(message_of(r).await.contains(says));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM parent_links").await, 0);

    let r = app
        .submit(
            &tutor,
            "policies/email_parent",
            &[
                ("learner_id", &learner_id),
                ("email", "Jo.Parent@Example.org"),
            ],
            &format!("/policies/parents/{learner_id}"),
        )
        .await;
    assert_eq!(
        location(&r),
        format!("/policies/parents/{learner_id}?emailed=1")
    );

    // The email goes through the outbox to a real SMTP server.
    let (sink, url) = SmtpSink::start();
    assert_eq!(app.send_mail(&Mailer::smtp(&url).unwrap()).await.sent, 1);
    let message = sink.messages().pop().expect("one email");
    assert!(message.contains("jo.parent@example.org"));
    assert!(decoded(&message).contains("Alex is a learner at Demo Training Provider"));
    let link = link_in(&message, "/parent/");
    let token = link.trim_start_matches("/parent/").to_string();
    assert_eq!(token.len(), 64);
    // Only a keyed hash of the token is stored: neither the token nor its plain SHA-256.
    let (stored,): (String,) = sqlx::query_as("SELECT token_hash FROM parent_links")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let secret = app.config.secret_key.expose();
    assert_eq!(
        stored,
        app::state::keyed_hash(secret, &[b"parent-link:", token.as_bytes()])
    );
    assert_ne!(stored, token);
    assert_ne!(stored, app::policies::rules::text_hash(&token));

    // The parent needs no account: the page shows the policy and the learner's first name.
    let (status, page) = app.page(&browser(), &link).await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&page);
    assert!(text.contains("Alex is a learner at Demo Training Provider"));
    assert!(text.contains("Learner Acceptable Use Policy"));
    assert!(!text.contains("Alex Learner"), "first name only");
    assert!(
        !page.contains("/pkg/esafety.js"),
        "no script on the public page"
    );

    // A missing tick or relationship is refused, and nothing is recorded or spent.
    let r = parent_acknowledges(&app, &token, "Jo Parent", "Mother", false).await;
    assert!(message_of(r).await.contains("Tick"));
    let r = parent_acknowledges(&app, &token, "Jo Parent", "  ", true).await;
    assert!(message_of(r).await.contains("relationship"));
    assert_eq!(acknowledgements(&app).await, 0);

    let r = parent_acknowledges(&app, &token, " Jo   Parent ", "Mother", true).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(acknowledgements(&app).await, 1);
    let (name, method, hash): (String, String, String) =
        sqlx::query_as("SELECT parent_name, method, text_sha256 FROM parent_acknowledgements")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((name.as_str(), method.as_str()), ("Jo Parent", "email"));
    let (body,): (String,) =
        sqlx::query_as("SELECT body FROM policy_versions WHERE kind = 'learner' AND number = 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(hash, app::policies::rules::text_hash(&body));

    // The link works once: a replay is refused and records nothing.
    let r = parent_acknowledges(&app, &token, "Someone Else", "Carer", true).await;
    assert!(message_of(r).await.contains("already been used"));
    let (_, page) = app.page(&browser(), &link).await;
    assert!(visible_text(&page).contains("This link has already been used"));
    assert_eq!(acknowledgements(&app).await, 1);

    // The learner and the tutor both see it.
    let (_, mine) = app.page(&learner, "/policies").await;
    assert!(
        visible_text(&mine).contains("Your parent or carer: Jo Parent (Mother) read this policy")
    );
    let (_, report) = app.page(&tutor, "/policies/report?kind=learner").await;
    assert!(visible_text(&report).contains("Acknowledged,"));
    let csv = app
        .get(&tutor, "/policies/report.csv?kind=learner")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("by Jo Parent (Mother), by email"), "{csv}");

    // A made-up link and an expired one are refused with their own messages.
    let made_up = "ab".repeat(32);
    let r = parent_acknowledges(&app, &made_up, "Jo Parent", "Mother", true).await;
    assert!(message_of(r).await.contains("This link is not valid"));
    app.submit(
        &tutor,
        "policies/email_parent",
        &[("learner_id", &learner_id), ("email", "carer@example.org")],
        "/policies/report",
    )
    .await;
    app.send_mail(&Mailer::smtp(&url).unwrap()).await;
    let second = link_in(&sink.messages().pop().expect("a second email"), "/parent/");
    sqlx::query(
        "UPDATE parent_links SET expires_at = '2020-01-01T00:00:00.000000Z' WHERE used_at IS NULL",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let (_, page) = app.page(&browser(), &second).await;
    assert!(visible_text(&page).contains("This link expired at the end of 31 December 2019"));
    let r = parent_acknowledges(
        &app,
        second.trim_start_matches("/parent/"),
        "A Carer",
        "Carer",
        true,
    )
    .await;
    assert!(message_of(r).await.contains("expired"));
    assert_eq!(acknowledgements(&app).await, 1);

    // Like signatures, acknowledgements cannot be changed or deleted, by any path.
    for sql in [
        "UPDATE parent_acknowledgements SET parent_name = 'Changed'",
        "DELETE FROM parent_acknowledgements",
    ] {
        let refused = sqlx::query(sql).execute(&app.db).await;
        assert!(refused.is_err(), "{sql} must be refused");
    }
    assert_eq!(acknowledgements(&app).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn a_tutor_records_a_paper_form_for_a_learner_under_18_only() {
    let app = spawn_app().await;
    let learner_id = app.user_id(LEARNER).await;
    let tutor = app.signed_in(TUTOR).await;
    let paper = |name: &'static str, scanned: Option<&'static str>, seen: bool, on: String| {
        let mut form = vec![
            ("learner_id", learner_id.clone()),
            ("parent_name", name.to_string()),
            ("relationship", "Grandmother".to_string()),
            ("signed_on", on),
        ];
        if let Some(s) = scanned {
            form.push(("scanned", s.to_string()));
        }
        if seen {
            form.push(("seen", "on".to_string()));
        }
        form
    };
    let today = chrono::Utc::now().date_naive();
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    let yesterday = (today - chrono::Duration::days(1)).to_string();
    for (form, says) in [
        (paper("Pat Carer", None, true, today.to_string()), "scanned"),
        (
            paper("Pat Carer", Some("yes"), false, today.to_string()),
            "Tick",
        ),
        (paper("Pat Carer", Some("yes"), true, tomorrow), "future"),
        // Version 1 came into force today: a form from before was for another version.
        (
            paper("Pat Carer", Some("yes"), true, yesterday),
            "was for an earlier version",
        ),
        (
            paper("Pat Carer", Some("yes"), true, "25/11/2026".into()),
            "like 2026-11-25",
        ),
        (paper("", Some("yes"), true, today.to_string()), "full name"),
    ] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = app.call(&tutor, "policies/record_paper", &form).await;
        assert!(message_of(r).await.contains(says), "{says}");
    }
    assert_eq!(acknowledgements(&app).await, 0);

    let form = paper("Pat Carer", Some("yes"), true, today.to_string());
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.call(&tutor, "policies/record_paper", &form).await;
    assert_eq!(r.status(), StatusCode::OK);
    let (_, page) = app
        .page(&tutor, &format!("/policies/parents/{learner_id}"))
        .await;
    let text = visible_text(&page);
    assert!(
        text.contains(
            "by Pat Carer (Grandmother), on paper, recorded by Sam Tutor (scanned copy kept)"
        ),
        "{text}"
    );

    // At 18 or over, nobody is asked; a date of birth must be a real date.
    let admin = app.signed_in("admin@demo.test").await;
    for bad in ["2031-01-01", "31/12/2008", "1850-01-01"] {
        let r = app
            .call(
                &admin,
                "admin/set_date_of_birth",
                &[("user_id", &learner_id), ("date_of_birth", bad)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    let r = app
        .call(
            &admin,
            "admin/set_date_of_birth",
            &[("user_id", &learner_id), ("date_of_birth", "2000-01-01")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .call(
            &tutor,
            "policies/email_parent",
            &[("learner_id", &learner_id), ("email", "jo@example.org")],
        )
        .await;
    assert!(message_of(r).await.contains("18 or over"));
    let (_, report) = app.page(&tutor, "/policies/report?kind=learner").await;
    assert!(visible_text(&report).contains("Not needed (18 or over)"));
    app.stop().await;
}

#[tokio::test]
async fn on_a_schedule_everyone_signs_again_months_after_their_last_signature() {
    let app = spawn_app().await;
    // The demo learner signing makes version 1 of the learner policy.
    app.signed_in(LEARNER).await;
    let dsl = app.signed_in("dsl@demo.test").await;
    for bad in ["0", "61", "twelve"] {
        let r = app
            .call(&dsl, "policies/set_schedule", &[("months", bad)])
            .await;
        assert!(message_of(r).await.contains("from 1 to 60"), "{bad}");
    }
    let r = app
        .submit(
            &dsl,
            "policies/set_schedule",
            &[("months", "12")],
            "/admin/policies",
        )
        .await;
    assert_eq!(location(&r), "/admin/policies?schedule=12");
    let (_, page) = app.page(&dsl, "/admin/policies").await;
    assert!(visible_text(&page)
        .contains("Everyone signs their policy again 12 months after their last signature."));

    // Someone who signed 13 months ago is due; someone who signed today is not.
    let id = add_person(
        &app,
        "demo",
        "sam@demo.test",
        "Sam Older",
        app::auth::Role::Learner,
    )
    .await;
    let (version, org): (String, String) = sqlx::query_as(
        "SELECT id, org_id FROM policy_versions WHERE kind = 'learner' AND number = 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let long_ago = app::db::timestamp(chrono::Utc::now() - chrono::Duration::days(400));
    sqlx::query(
        "INSERT INTO policy_signatures (id, org_id, user_id, version_id, round, text_sha256,
             typed_name, signed_at, address, user_agent)
         VALUES ('old-signature', $1, $2, $3, 0, 'x', 'Sam Older', $4, '127.0.0.1', 'test')",
    )
    .bind(&org)
    .bind(&id)
    .bind(&version)
    .bind(&long_ago)
    .execute(&app.db)
    .await
    .unwrap();
    // (The DSL sees every learner; a tutor only those of the cohorts they teach.)
    let (_, report) = app
        .page(&dsl, "/policies/report?kind=learner&status=due")
        .await;
    let report = visible_text(&report);
    assert!(
        report.contains("Sam Older") && report.contains("Due to sign again"),
        "{report}"
    );
    assert!(!report.contains("Alex Learner"), "{report}");

    let sam = app.signed_in_only("sam@demo.test", PASSWORD).await;
    let r = app.get(&sam, "/home").await;
    assert_eq!(location(&r), "/policies/sign/learner");
    let (_, page) = app.page(&sam, "/policies/sign/learner").await;
    assert!(visible_text(&page).contains("sign it again every 12 months"));
    app.sign_policies(&sam, "sam@demo.test").await;
    assert_eq!(app.get(&sam, "/home").await.status(), StatusCode::OK);
    let rounds: Vec<(i64,)> =
        sqlx::query_as("SELECT round FROM policy_signatures WHERE user_id = $1 ORDER BY round")
            .bind(&id)
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(
        rounds,
        vec![(0,), (1,)],
        "the same version, signed a second time"
    );

    // Signing twice in a row records one signature, not two.
    let r = app
        .call(
            &sam,
            "policies/sign",
            &[
                ("version_id", &version),
                ("agree", "on"),
                ("full_name", "Sam Older"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM policy_signatures WHERE user_id IN (SELECT id FROM users WHERE email = 'sam@demo.test')")
            .await,
        2
    );
    app.stop().await;
}

#[tokio::test]
async fn a_link_stops_working_when_the_policy_changes_or_the_learner_turns_18() {
    let app = spawn_app().await;
    let learner_id = app.user_id(LEARNER).await;
    app.signed_in(LEARNER).await;
    let tutor = app.signed_in(TUTOR).await;
    let (sink, url) = SmtpSink::start();
    let mailer = Mailer::smtp(&url).unwrap();
    let send = |email: &'static str| {
        let (app, tutor, learner_id) = (&app, &tutor, &learner_id);
        async move {
            let r = app
                .call(
                    tutor,
                    "policies/email_parent",
                    &[("learner_id", learner_id.as_str()), ("email", email)],
                )
                .await;
            assert_eq!(r.status(), StatusCode::OK);
        }
    };

    // A new version that everyone signs again replaces the one the link was sent for.
    send("first@example.org").await;
    app.send_mail(&mailer).await;
    let old_link = link_in(&sink.messages().pop().unwrap(), "/parent/");
    let (org, body): (String, String) =
        sqlx::query_as("SELECT org_id, body FROM policy_versions WHERE kind = 'learner'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let now = app::db::now();
    sqlx::query(
        "INSERT INTO policy_versions (id, org_id, kind, number, title, body, what_changed,
             effective_from, sign_again, created_at, published_at)
         VALUES ('v2', $1, 'learner', 2, 'Learner Acceptable Use Policy', $2, 'New rules.', $3, 'everyone', $4, $4)",
    )
    .bind(&org)
    .bind(format!("{body}\n\nA new rule."))
    .bind(&now[..10])
    .bind(&now)
    .execute(&app.db)
    .await
    .unwrap();
    let (_, page) = app.page(&browser(), &old_link).await;
    assert!(visible_text(&page).contains("The policy has been updated since this link was sent"));
    let token = old_link.trim_start_matches("/parent/");
    let r = parent_acknowledges(&app, token, "Jo Parent", "Father", true).await;
    assert!(message_of(r)
        .await
        .contains("ask Demo Training Provider for a new link"));
    assert_eq!(acknowledgements(&app).await, 0);

    // A new link is for version 2. If the learner turns out to be 18, it is not needed.
    send("second@example.org").await;
    app.send_mail(&mailer).await;
    let new_link = link_in(&sink.messages().pop().unwrap(), "/parent/");
    let (_, page) = app.page(&browser(), &new_link).await;
    assert!(
        visible_text(&page).contains("version 2"),
        "the page shows the new version"
    );
    let admin = app.signed_in("admin@demo.test").await;
    app.call(
        &admin,
        "admin/set_date_of_birth",
        &[("user_id", &learner_id), ("date_of_birth", "2001-02-03")],
    )
    .await;
    let (_, page) = app.page(&browser(), &new_link).await;
    assert!(visible_text(&page).contains("This link is no longer needed"));
    let r = parent_acknowledges(
        &app,
        new_link.trim_start_matches("/parent/"),
        "Jo Parent",
        "Father",
        true,
    )
    .await;
    assert!(message_of(r).await.contains("no longer needed"));
    assert_eq!(acknowledgements(&app).await, 0);
    app.stop().await;
}

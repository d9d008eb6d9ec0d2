//! The holes a review found, closed: client addresses behind a proxy, limits that hold
//! under parallel requests, links revoked, safe redirects, signed messages, the policy
//! gate on server functions, sliding sessions, append-only tables, own-module caps.

use crate::helpers::*;
use app::error::AppError;
use reqwest::{Client, StatusCode};

const PROXY: (&str, &str) = ("ESAFETY_TRUSTED_PROXIES", "127.0.0.1");

async fn sign_in_from(
    app: &TestApp,
    client: &Client,
    email: &str,
    password: &str,
    from: &str,
) -> reqwest::Response {
    client
        .post(app.url("/api/auth/sign_in"))
        .header("X-Forwarded-For", from)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn behind_a_trusted_proxy_one_address_cannot_lock_the_owner_out() {
    let app = spawn_app_with(&[PROXY]).await;
    let attacker = browser();
    for _ in 0..10 {
        let r = sign_in_from(
            &app,
            &attacker,
            "tutor@demo.test",
            "guess guess guess",
            "198.51.100.1",
        )
        .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    }
    // That account from that address now waits, even with the right password...
    let r = sign_in_from(&app, &attacker, "tutor@demo.test", PASSWORD, "198.51.100.1").await;
    assert_eq!(app_error(r).await, AppError::RateLimited);
    // ...but the owner, elsewhere, signs in. A forged left-hand entry changes nothing.
    let owner = browser();
    let r = sign_in_from(
        &app,
        &owner,
        "tutor@demo.test",
        PASSWORD,
        "198.51.100.1, 203.0.113.7",
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "the owner at 203.0.113.7 signs in"
    );
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_for_is_ignored() {
    let app = spawn_app().await;
    let client = browser();
    for n in 0..10 {
        let r = sign_in_from(
            &app,
            &client,
            "staff@demo.test",
            "guess guess guess",
            &format!("198.51.100.{n}"),
        )
        .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    }
    let r = sign_in_from(&app, &client, "staff@demo.test", PASSWORD, "203.0.113.99").await;
    assert_eq!(
        app_error(r).await,
        AppError::RateLimited,
        "all ten came from 127.0.0.1"
    );
}

#[tokio::test]
async fn signatures_record_the_client_behind_the_proxy() {
    let app = spawn_app_with(&[PROXY]).await;
    let client = app.signed_in_only("learner@demo.test", PASSWORD).await;
    let policy: serde_json::Value = app
        .call(&client, "policies/to_sign", &[("kind", "learner")])
        .await
        .json()
        .await
        .unwrap();
    let (name,): (String,) =
        sqlx::query_as("SELECT full_name FROM users WHERE email = 'learner@demo.test'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let r = client
        .post(app.url("/api/policies/sign"))
        .header("X-Forwarded-For", "203.0.113.42")
        .form(&[
            ("version_id", policy["version_id"].as_str().unwrap()),
            ("agree", "on"),
            ("full_name", &name),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (address,): (String,) = sqlx::query_as("SELECT address FROM policy_signatures")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(address, "203.0.113.42");
}

#[tokio::test]
async fn many_failures_from_one_address_slow_it_down_but_never_lock_out_the_right_password() {
    let app = spawn_app().await;
    let client = browser();
    for n in 0..50 {
        let email = format!("guess{n}@demo.test");
        let r = app
            .call(
                &client,
                "auth/sign_in",
                &[("email", &email), ("password", "guess guess guess")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    }
    let started = std::time::Instant::now();
    let r = app
        .call(
            &client,
            "auth/sign_in",
            &[("email", "dsl@demo.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "the right password still signs in"
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(2),
        "but slowly"
    );
}

#[tokio::test]
async fn a_burst_of_parallel_guesses_gets_no_more_than_the_limit() {
    let app = spawn_app().await;
    let attempts = (0..30).map(|_| {
        let client = browser();
        let app = &app;
        async move {
            app.call(
                &client,
                "auth/sign_in",
                &[
                    ("email", "manager@demo.test"),
                    ("password", "guess guess guess"),
                ],
            )
            .await
            .status()
        }
    });
    let statuses = futures::future::join_all(attempts).await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::BAD_REQUEST)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((checked, refused), (10, 20), "{statuses:?}");
}

#[tokio::test]
async fn parallel_reset_requests_send_at_most_three_emails_and_take_the_same_time_either_way() {
    let app = spawn_app().await;
    let requests = (0..8).map(|_| {
        let app = &app;
        async move {
            app.call(
                &browser(),
                "auth/request_password_reset",
                &[("email", "learner@demo.test")],
            )
            .await
            .status()
        }
    });
    let statuses = futures::future::join_all(requests).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 3);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account_links WHERE purpose = 'reset' AND used_at IS NULL")
            .await,
        1,
        "each reset revokes the earlier ones"
    );
    let started = std::time::Instant::now();
    let r = app
        .call(
            &browser(),
            "auth/request_password_reset",
            &[("email", "nobody@demo.test")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(started.elapsed() >= std::time::Duration::from_millis(400));
}

#[tokio::test]
async fn changing_a_password_or_asking_for_a_reset_revokes_every_other_link() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@demo.test").await;
    let r = app
        .call(
            &admin,
            "admin/invite_user",
            &[
                ("full_name", "Nia New"),
                ("email", "nia@demo.test"),
                ("role", "learner"),
            ],
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    let open = "SELECT COUNT(*) FROM account_links l JOIN users u ON u.id = l.user_id WHERE u.email = 'nia@demo.test' AND l.used_at IS NULL";
    assert_eq!(app.count(open).await, 1);
    app.call(
        &browser(),
        "auth/request_password_reset",
        &[("email", "nia@demo.test")],
    )
    .await;
    assert_eq!(
        app.count(open).await,
        1,
        "the invitation link stopped when a reset was issued"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account_links l JOIN users u ON u.id = l.user_id WHERE u.email = 'nia@demo.test' AND l.used_at IS NULL AND l.purpose = 'reset'").await,
        1
    );

    // A password change stops a pending reset link.
    app.call(
        &browser(),
        "auth/request_password_reset",
        &[("email", "tutor@demo.test")],
    )
    .await;
    let tutor = app.signed_in("tutor@demo.test").await;
    let r = app
        .call(
            &tutor,
            "auth/change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new password"),
                ("confirm_password", "a brand new password"),
            ],
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account_links l JOIN users u ON u.id = l.user_id WHERE u.email = 'tutor@demo.test' AND l.used_at IS NULL").await,
        0
    );
}

#[tokio::test]
async fn only_paths_on_this_site_follow_sign_in_and_control_characters_are_refused() {
    let app = spawn_app().await;
    for next in [
        "//evil.test",
        "/\t/evil.test",
        "/\\evil.test",
        "\t//evil.test",
        "https://evil.test",
        "/\r\n/evil.test",
    ] {
        let r = app
            .submit(
                &browser(),
                "auth/sign_in",
                &[
                    ("email", "learner@demo.test"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
                "/login",
            )
            .await;
        assert_eq!(location(&r), "/home", "{next:?}");
    }
    let r = app
        .call(
            &browser(),
            "auth/sign_in",
            &[
                ("email", "learner@demo.test"),
                ("password", PASSWORD),
                ("next", "/home\u{0}x"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(matches!(app_error(r).await, AppError::BadRequest(_)));
    let r = app
        .submit(
            &browser(),
            "auth/sign_in",
            &[
                ("email", "learner@demo.test"),
                ("password", PASSWORD),
                ("next", "/induction?x=1"),
            ],
            "/login",
        )
        .await;
    assert_eq!(location(&r), "/induction?x=1");
}

#[tokio::test]
async fn only_messages_the_server_signed_appear_however_the_address_is_encoded() {
    let app = spawn_app().await;
    // {"Invalid":"Call 0900 000000 now"} as the framework would carry it.
    let fake = "eyJJbnZhbGlkIjoiQ2FsbCAwOTAwIDAwMDAwMCBub3cifQ%3D%3D";
    for query in [
        format!("__path=%2Fapi%2Fauth%2Fsign_in&__err={fake}"),
        format!("__path=%2Fapi%2Fauth%2Fsign_in&%5F%5Ferr={fake}"),
        format!("__path=%2Fapi%2Fauth%2Fsign_in&%5f_err={fake}&__sig=00"),
    ] {
        let (_, html) = app.page(&browser(), &format!("/login?{query}")).await;
        assert!(!visible_text(&html).contains("0900"), "{query}");
    }
    let admin = app.signed_in("admin@demo.test").await;
    let (_, html) = app
        .page(
            &admin,
            "/admin/modules?added=Call%200900&module=grooming&switched=Call%200900&pass_mark=0900",
        )
        .await;
    assert!(!visible_text(&html).contains("0900"));
    let (_, html) = app
        .page(&admin, "/admin/modules?module=grooming&switched=off")
        .await;
    assert!(visible_text(&html).contains("is now switched off"));
}

#[tokio::test]
async fn the_policy_gate_also_guards_server_functions() {
    let app = spawn_app().await;
    let learner = app.signed_in_only("learner@demo.test", PASSWORD).await;
    let r = app
        .call(&learner, "learning/quiz", &[("module_id", "grooming")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app_error(r).await, AppError::PolicyToSign);
    let r = app
        .submit(
            &learner,
            "learning/mark_read",
            &[("module_id", "grooming"), ("section_id", "x")],
            "/induction",
        )
        .await;
    assert_eq!(
        location(&r),
        "/policies/sign/learner",
        "a form is taken to the policy"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM quiz_attempts").await, 0);
    // Signing and the account stay open.
    let r = app
        .call(&learner, "policies/to_sign", &[("kind", "learner")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    app.sign_policies(&learner, "learner@demo.test").await;
    let r = app
        .call(&learner, "learning/quiz", &[("module_id", "grooming")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_session_in_use_slides_and_an_idle_one_ends() {
    let app = spawn_app().await;
    let client = app.signed_in("learner@demo.test").await;
    // Pretend the session was last marked long ago and is about to run out.
    let soon = chrono::Utc::now().timestamp() + 60;
    sqlx::query("UPDATE sessions SET expires_at = $1, data = REPLACE(data, '\"seen_minute\":', '\"old_minute\":') WHERE user_id IS NOT NULL")
        .bind(soon)
        .execute(&app.db)
        .await
        .unwrap();
    let r = app.get(&client, "/home").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers().get("set-cookie").is_some(),
        "the cookie is renewed too"
    );
    let (expires,): (i64,) =
        sqlx::query_as("SELECT expires_at FROM sessions WHERE user_id IS NOT NULL")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let hours = (expires - chrono::Utc::now().timestamp()) as f64 / 3600.0;
    assert!(
        (7.9..=8.1).contains(&hours),
        "8 hours from now, got {hours}"
    );
    // An idle session past its end is gone.
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE user_id IS NOT NULL")
        .bind(chrono::Utc::now().timestamp() - 1)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(app.get(&client, "/home").await.status(), StatusCode::FOUND);
}

#[tokio::test]
async fn append_only_tables_refuse_every_change_on_either_database() {
    let app = spawn_app().await;
    app.signed_in("learner@demo.test").await;
    let admin = app.signed_in("admin@demo.test").await;
    app.call(
        &admin,
        "admin/invite_user",
        &[
            ("full_name", "Ola Audit"),
            ("email", "ola@demo.test"),
            ("role", "learner"),
        ],
    )
    .await;
    assert!(app.count("SELECT COUNT(*) FROM audit_events").await > 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM policy_signatures").await, 2);
    let mut refused = vec![
        "UPDATE audit_events SET detail = 'nothing happened'".to_string(),
        "DELETE FROM audit_events".to_string(),
        "UPDATE policy_signatures SET typed_name = 'x'".to_string(),
    ];
    if using_postgres() {
        refused.push("TRUNCATE audit_events".into());
        refused.push("TRUNCATE policy_signatures CASCADE".into());
    } else {
        // REPLACE removes the clashing row: with recursive triggers, that is a delete.
        refused.push("REPLACE INTO policy_signatures SELECT * FROM policy_signatures".into());
        refused.push("INSERT OR REPLACE INTO audit_events SELECT * FROM audit_events".into());
    }
    for sql in refused {
        assert!(
            sqlx::query(&sql).execute(&app.db).await.is_err(),
            "{sql} was allowed"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM policy_signatures").await, 2);
    assert!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE detail = 'nothing happened'")
            .await
            == 0
    );
}

#[tokio::test]
async fn every_response_carries_its_request_id_for_the_log() {
    let app = spawn_app().await;
    let r = app.get(&browser(), "/login").await;
    let id = r
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(id.len(), 36, "a UUID: {id:?}");
    let again = app.get(&browser(), "/login").await;
    assert_ne!(
        again
            .headers()
            .get("x-request-id")
            .unwrap()
            .to_str()
            .unwrap(),
        id
    );
}

#[tokio::test]
async fn a_read_recorded_in_the_audit_trail_stays_there() {
    let app = spawn_app().await;
    let dsl = app.user_id("dsl@demo.test").await;
    let (reader, org): (app::ids::PersonId, app::ids::OrganisationId) =
        sqlx::query_as("SELECT id, org_id FROM users WHERE id = $1")
            .bind(&dsl)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let mut conn = app.db.acquire().await.unwrap();
    app::audit::record_read(&mut conn, &org, &reader, "concern", "concern-1")
        .await
        .unwrap();
    drop(conn);
    let (action, detail): (String, String) = sqlx::query_as(
        "SELECT action, detail FROM audit_events WHERE subject_id = 'concern-1' AND actor_id = $1",
    )
    .bind(&dsl)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (action.as_str(), detail.as_str()),
        ("record.read", "concern")
    );
    assert!(
        sqlx::query("DELETE FROM audit_events WHERE subject_id = 'concern-1'")
            .execute(&app.db)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn an_ended_session_is_never_brought_back_by_a_late_save() {
    use tower_sessions::session::{Id, Record};
    use tower_sessions::SessionStore;
    let app = spawn_app().await;
    let (_, cookie) = app.signed_in_with_cookie("learner@demo.test").await;
    let (data, expires): (String, i64) =
        sqlx::query_as("SELECT data, expires_at FROM sessions WHERE user_id IS NOT NULL")
            .fetch_one(&app.db)
            .await
            .unwrap();
    // A request still in flight holds the session; meanwhile the person signs out.
    let record = Record {
        id: cookie.parse::<Id>().unwrap(),
        data: serde_json::from_str(&data).unwrap(),
        expiry_date: tower_sessions::cookie::time::OffsetDateTime::from_unix_timestamp(expires)
            .unwrap(),
    };
    sqlx::query("DELETE FROM sessions")
        .execute(&app.db)
        .await
        .unwrap();
    // The late request saves what it holds: nothing comes back.
    app::db::DbSessionStore::new(app.db.clone())
        .save(&record)
        .await
        .unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
}

#[tokio::test]
async fn past_the_failure_count_parallel_guesses_wait_their_turn() {
    let app = spawn_app_with(&[PROXY]).await;
    // 20 failures for one account from 20 addresses: the account is now paced.
    for n in 0..20 {
        let r = sign_in_from(
            &app,
            &browser(),
            "people@demo.test",
            "guess guess guess",
            &format!("198.51.100.{n}"),
        )
        .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    }
    // Three guesses at once from three more addresses take turns, 2 seconds apart.
    let started = std::time::Instant::now();
    let guesses = (0..3).map(|n| {
        let app = &app;
        async move {
            sign_in_from(
                app,
                &browser(),
                "people@demo.test",
                "guess guess guess",
                &format!("203.0.113.{n}"),
            )
            .await
            .status()
        }
    });
    let statuses = futures::future::join_all(guesses).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::BAD_REQUEST),
        "{statuses:?}"
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    // The owner, elsewhere, still gets in, in turn.
    let r = sign_in_from(&app, &browser(), "people@demo.test", PASSWORD, "192.0.2.77").await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_burst_across_a_windows_edge_gets_no_more_than_the_limit() {
    use app::limits::{take_at, Limit};
    use chrono::{TimeZone, Utc};
    let app = spawn_app().await;
    let limit = Limit::new("test:edge", 10, 900);
    let mut conn = app.db.acquire().await.unwrap();
    // Ten at 08:59:59, then at 09:00:00 a new window begins: still refused.
    let before = Utc.with_ymd_and_hms(2026, 12, 2, 8, 59, 59).unwrap();
    let after = Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
    for n in 0..10 {
        assert!(
            take_at(&mut conn, &limit, "someone", before).await.unwrap(),
            "hit {n}"
        );
    }
    assert!(!take_at(&mut conn, &limit, "someone", before).await.unwrap());
    assert!(
        !take_at(&mut conn, &limit, "someone", after).await.unwrap(),
        "across the edge"
    );
    assert!(take_at(&mut conn, &limit, "someone else", after)
        .await
        .unwrap());
    // Two windows on, the burst is forgotten.
    let later = Utc.with_ymd_and_hms(2026, 12, 2, 9, 15, 0).unwrap();
    assert!(take_at(&mut conn, &limit, "someone", later).await.unwrap());
}

#[tokio::test]
async fn failures_across_a_windows_edge_are_counted_as_one_run() {
    use app::limits::{hits_at, record_at, Limit};
    use chrono::{TimeZone, Utc};
    let app = spawn_app().await;
    let limit = Limit::new("test:failures", 50, 900);
    let before = Utc.with_ymd_and_hms(2026, 12, 2, 8, 59, 59).unwrap();
    let after = Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
    for _ in 0..30 {
        record_at(&app.db, &limit, "192.0.2.1", before)
            .await
            .unwrap();
    }
    for _ in 0..20 {
        record_at(&app.db, &limit, "192.0.2.1", after)
            .await
            .unwrap();
    }
    // The slow-down reads this count: the 09:00 window alone holds only 20.
    assert_eq!(
        hits_at(&app.db, &limit, "192.0.2.1", after).await.unwrap(),
        50
    );
    assert_eq!(
        hits_at(&app.db, &limit, "192.0.2.2", after).await.unwrap(),
        0
    );
    let later = Utc.with_ymd_and_hms(2026, 12, 2, 9, 15, 0).unwrap();
    assert_eq!(
        hits_at(&app.db, &limit, "192.0.2.1", later).await.unwrap(),
        20
    );
}

//! Health, security headers, cross-site request protection, configuration, the command
//! line, and what survives a restart.

use crate::helpers::*;
use reqwest::StatusCode;
use std::io::Write;
use std::process::{Command, Stdio};

#[tokio::test]
async fn health_is_ok_while_the_database_answers_and_503_when_it_does_not() {
    let app = spawn_app().await;
    let r = app.get(&browser(), "/healthz").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap(), "ok");
    app.db.close().await;
    let r = app.get(&browser(), "/healthz").await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/login", "/healthz", "/no-such-page"] {
        let r = app.get(&browser(), path).await;
        let h = r.headers();
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(h.get("referrer-policy").unwrap(), "same-origin");
        assert!(
            h.get("strict-transport-security").is_none(),
            "no HSTS over plain HTTP in development"
        );
    }
    // Pages allow only scripts carrying this response's nonce.
    let r = app.get(&browser(), "/login").await;
    let csp = r
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let html = r.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")));
    let other = app.get(&browser(), "/login").await;
    assert!(
        !other
            .headers()
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap()
            .contains(nonce),
        "a new nonce each time"
    );
}

#[tokio::test]
async fn production_adds_hsts_and_sends_the_session_cookie_only_over_https() {
    let data_dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(data_dir.path()).await;
    let key = "k".repeat(40);
    let app = start_with(
        data_dir,
        &url,
        &[
            ("ESAFETY_ENV", "production"),
            ("ESAFETY_SECRET_KEY", &key),
            ("ESAFETY_BASE_URL", "https://esafety.test"),
            // Production refuses to write email to files; nothing is sent in this test.
            ("ESAFETY_SMTP_URL", "smtp://127.0.0.1:2525"),
        ],
    )
    .await;
    app::admin::demo::create_admin(
        &app.db,
        "prod",
        "head@prod.test",
        "Hana Head",
        "a long admin password",
    )
    .await
    .unwrap();
    let r = app.get(&browser(), "/login").await;
    let hsts = r
        .headers()
        .get("strict-transport-security")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(hsts.contains("max-age=31536000"));
    let signed_in = app
        .call(
            &browser(),
            "auth/sign_in",
            &[
                ("email", "head@prod.test"),
                ("password", "a long admin password"),
            ],
        )
        .await;
    let cookie = signed_in
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn requests_from_other_websites_are_refused() {
    let app = spawn_app().await;
    let client = browser();
    let form = [("email", "learner@demo.test"), ("password", PASSWORD)];
    let cross_origin = client
        .post(app.url("/api/auth/sign_in"))
        .header("Origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(cross_origin.status(), StatusCode::FORBIDDEN);
    let cross_site = client
        .post(app.url("/api/auth/sign_in"))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions").await,
        0,
        "nothing happened"
    );
    // A signed-in admin tricked into posting from another site changes nothing.
    let admin = app.signed_in("admin@demo.test").await;
    let id = app.user_id("learner@demo.test").await;
    let forged = admin
        .post(app.url("/api/admin/deactivate_user"))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[("user_id", &id)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    app.signed_in("learner@demo.test").await;
    // The same request from this site works.
    let same = client
        .post(app.url("/api/auth/sign_in"))
        .header("Sec-Fetch-Site", "same-origin")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(same.status().is_success());
    assert_eq!(location(&same), "/home");
}

#[tokio::test]
async fn sessions_and_data_survive_a_restart() {
    let app = spawn_app().await;
    let (_, cookie) = app.signed_in_with_cookie("learner@demo.test").await;
    let database_url = app.config.database_url.clone();
    let data_dir = app.stop().await;
    let app = start(data_dir, &database_url).await; // migrations run again: a no-op
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions WHERE user_id IS NOT NULL")
            .await,
        1
    );
    // The new server listens on another port, so present the session cookie by hand.
    let r = home_with_cookie(&app, &cookie).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Alex"));
}

/// `/home` asked with the session cookie `value`, presented by hand.
async fn home_with_cookie(app: &TestApp, value: &str) -> reqwest::Response {
    browser()
        .get(app.url("/home"))
        .header("Cookie", format!("esafety_session={value}"))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_copy_of_the_database_holds_no_session_that_signs_in() {
    let app = spawn_app().await;
    let (_, cookie) = app.signed_in_with_cookie("learner@demo.test").await;
    let (stored,): (String,) = sqlx::query_as("SELECT id FROM sessions WHERE user_id IS NOT NULL")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_ne!(stored, cookie, "the database does not hold the cookie's id");
    assert!(
        !sqlx::query_as::<_, (String,)>("SELECT data FROM sessions")
            .fetch_all(&app.db)
            .await
            .unwrap()
            .iter()
            .any(|(data,)| data.contains(&cookie)),
        "nor does any session's data"
    );
    // The person read with the session lives only in memory for the request: the session
    // was saved again after sign-in (its first page marks it in use), without them.
    let (data,): (String,) = sqlx::query_as("SELECT data FROM sessions WHERE user_id IS NOT NULL")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(data.contains("seen_minute"), "saved after sign-in: {data}");
    assert!(
        !data.contains(app::db::session_store::PERSON_KEY) && !data.contains("learner@demo.test"),
        "the person is not stored with the session: {data}"
    );
    // Whoever copies the table and presents what it holds is not signed in.
    let r = home_with_cookie(&app, &stored).await;
    assert_eq!(location(&r), "/login?next=/home");
    // The real cookie still works.
    let r = home_with_cookie(&app, &cookie).await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode() {
    if using_postgres() {
        return;
    }
    let app = spawn_app().await;
    let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
}

fn esafety(data_dir: &std::path::Path, database_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_esafety"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ESAFETY_DATA_DIR", data_dir)
        .env("ESAFETY_CONTENT_DIR", content_dir())
        .env("ESAFETY_DATABASE_URL", database_url)
        .env("RUST_LOG", "error");
    command
}

#[tokio::test]
async fn a_bad_environment_variable_stops_the_start_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/x.db", dir.path().display());
    for (variable, value) in [
        ("ESAFETY_ADDR", "nowhere"),
        ("ESAFETY_ENV", "staging"),
        ("ESAFETY_SMTP_URL", "http://x"),
    ] {
        let out = esafety(dir.path(), &url)
            .env(variable, value)
            .arg("serve")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{variable}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(&format!("error: {variable}:"))),
            "{variable}: {stderr}"
        );
    }
    let out = esafety(dir.path(), "postgres://nobody@127.0.0.1:1/none")
        .arg("migrate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("ESAFETY_DATABASE_URL: cannot open the database"));
    let out = esafety(dir.path(), &url)
        .env("ESAFETY_ENV", "production")
        .env("ESAFETY_BASE_URL", "https://x.test")
        .arg("serve")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ESAFETY_SECRET_KEY"));
}

#[tokio::test]
async fn the_command_line_creates_an_administrator_and_documents_itself() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let help = esafety(dir.path(), &url).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout).to_string();
    for word in [
        "serve",
        "migrate",
        "demo",
        "create-admin",
        "send-mail",
        "ESAFETY_DATABASE_URL",
        "ESAFETY_SMTP_URL",
    ] {
        assert!(help.contains(word), "--help mentions {word}");
    }
    let sub = esafety(dir.path(), &url)
        .args(["create-admin", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&sub.stdout).contains("--org"));

    let mut child = esafety(dir.path(), &url)
        .args([
            "create-admin",
            "--org",
            "acme-college",
            "--email",
            "Head@Acme.test",
            "--name",
            "Hana Head",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long admin password\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Created the organisation 'acme-college'")
    );

    let data_dir = tempfile::tempdir().unwrap();
    let app = start(data_dir, &url).await;
    let client = app
        .signed_in_with("head@acme.test", "a long admin password")
        .await;
    let (status, _) = app.page(&client, "/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    // No demo organisation was made by create-admin.
    assert_eq!(app.count("SELECT COUNT(*) FROM organisations").await, 1);

    // A short password is refused and changes nothing.
    let mut child = esafety(dir.path(), &url)
        .args([
            "create-admin",
            "--org",
            "acme-college",
            "--email",
            "two@acme.test",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 10"));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

#[tokio::test]
async fn demo_creates_one_account_per_role_only_on_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let out = esafety(dir.path(), &url)
        .env("ESAFETY_DEMO_PASSWORD", "demo-password-9")
        .arg("demo")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("demo-password-9"));
    for role in [
        "learner", "tutor", "staff", "manager", "people", "dsl", "admin",
    ] {
        assert!(stdout.contains(&format!("{role}@demo.test")));
    }
    let again = esafety(dir.path(), &url)
        .env("ESAFETY_DEMO_PASSWORD", "demo-password-9")
        .arg("demo")
        .output()
        .unwrap();
    assert!(again.status.success());
    let app = start(tempfile::tempdir().unwrap(), &url).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 7);
    assert_eq!(app.count("SELECT COUNT(*) FROM user_roles").await, 7);
}

#[tokio::test]
async fn a_crafted_link_cannot_put_its_own_words_in_an_error_box() {
    let app = spawn_app().await;
    // {"Invalid":"Your account is locked. Call 0900 000 000 now."}
    let fake = "eyJJbnZhbGlkIjoiWW91ciBhY2NvdW50IGlzIGxvY2tlZC4gQ2FsbCAwOTAwIDAwMCAwMDAgbm93LiJ9";
    let (status, html) = app
        .page(
            &browser(),
            &format!("/login?__path=%2Fapi%2Fauth%2Fsign_in&__err={fake}"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !html.contains("0900 000 000"),
        "the crafted error is not shown"
    );
    assert!(!html.contains("role=\"alert\""));
    // Our own errors still come back to the form.
    let client = browser();
    let failed = app
        .submit(
            &client,
            "auth/sign_in",
            &[
                ("email", "learner@demo.test"),
                ("password", "wrong wrong wrong"),
            ],
            "/login",
        )
        .await;
    let back = location(&failed);
    assert!(back.contains("__sig="), "{back}");
    let html = client
        .get(&back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(visible_text(&html).contains("Email or password is wrong."));
}

use crate::helpers::*;
use app::error::AppError;
use reqwest::StatusCode;

#[tokio::test]
async fn each_demo_role_signs_in_and_lands_on_its_home() {
    let app = spawn_app().await;
    for (email, heading) in [
        ("learner@demo.test", "Learner"),
        ("tutor@demo.test", "Tutor"),
        ("staff@demo.test", "Staff"),
        ("manager@demo.test", "Line manager"),
        ("people@demo.test", "People department"),
        ("dsl@demo.test", "Designated Safeguarding Lead"),
        ("admin@demo.test", "Administrator"),
    ] {
        let client = app.signed_in(email).await;
        let (status, html) = app.page(&client, "/home").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains(&format!(">{heading}</h2>")),
            "{email} sees the {heading} section"
        );
        assert_eq!(html.matches("<h1").count(), 1, "one h1 on the home page");
        assert!(html.contains("Skip to main content"));
        let shows_users_link = html.contains("href=\"/admin/users\"");
        assert_eq!(
            shows_users_link,
            email.starts_with("admin"),
            "only admins see Users"
        );
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    let client = browser();
    let wrong = app
        .call(
            &client,
            "auth/sign_in",
            &[
                ("email", "learner@demo.test"),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let wrong = app_error(wrong).await;
    let unknown = app
        .call(
            &client,
            "auth/sign_in",
            &[
                ("email", "nobody@demo.test"),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let unknown = app_error(unknown).await;
    assert_eq!(
        wrong,
        AppError::Invalid("Email or password is wrong.".into())
    );
    assert_eq!(wrong, unknown);
    // Nothing signed in.
    let home = app.get(&client, "/home").await;
    assert_eq!(home.status(), StatusCode::FOUND);
}

#[tokio::test]
async fn a_form_sign_in_without_javascript_redirects_and_shows_errors_on_the_page() {
    let app = spawn_app().await;
    let client = browser();
    let failed = app
        .submit(
            &client,
            "auth/sign_in",
            &[
                ("email", "learner@demo.test"),
                ("password", "nope nope nope"),
            ],
            "/login",
        )
        .await;
    assert_eq!(failed.status(), StatusCode::FOUND);
    let back = location(&failed);
    assert!(
        back.starts_with(&app.url("/login")),
        "back to the form: {back}"
    );
    let html = client
        .get(&back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("role=\"alert\""));
    assert!(visible_text(&html).contains("Email or password is wrong."));

    let ok = app
        .submit(
            &client,
            "auth/sign_in",
            &[("email", "LEARNER@demo.test "), ("password", PASSWORD)],
            "/login",
        )
        .await;
    assert_eq!(location(&ok), "/home");
    let cookie = ok
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("esafety_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    app.sign_policies(&client, "learner@demo.test").await;
    let (status, html) = app.page(&client, "/home").await;
    assert_eq!(status, StatusCode::OK);
    assert!(visible_text(&html).contains("Hello Alex"));
}

#[tokio::test]
async fn sign_in_goes_back_to_the_page_asked_for_but_never_off_site() {
    let app = spawn_app().await;
    let client = browser();
    let to_users = app
        .submit(
            &client,
            "auth/sign_in",
            &[
                ("email", "admin@demo.test"),
                ("password", PASSWORD),
                ("next", "/admin/users"),
            ],
            "/login",
        )
        .await;
    assert_eq!(location(&to_users), "/admin/users");
    let client = browser();
    let off_site = app
        .submit(
            &client,
            "auth/sign_in",
            &[
                ("email", "admin@demo.test"),
                ("password", PASSWORD),
                ("next", "https://evil.test/"),
            ],
            "/login",
        )
        .await;
    assert_eq!(location(&off_site), "/home");
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in() {
    let app = spawn_app().await;
    let first = app
        .submit(
            &browser(),
            "auth/sign_in",
            &[("email", "learner@demo.test"), ("password", PASSWORD)],
            "/login",
        )
        .await;
    let second = app
        .submit(
            &browser(),
            "auth/sign_in",
            &[("email", "learner@demo.test"), ("password", PASSWORD)],
            "/login",
        )
        .await;
    let cookie = |r: &reqwest::Response| {
        r.headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    };
    assert_ne!(cookie(&first), cookie(&second));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions WHERE user_id IS NOT NULL")
            .await,
        2
    );
}

#[tokio::test]
async fn bad_input_gets_a_clear_message_and_changes_nothing() {
    let app = spawn_app().await;
    let client = browser();
    let long_email = format!("{}@demo.test", "a".repeat(300));
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![("email", ""), ("password", "x")],
            "Enter your email address.",
        ),
        (
            vec![("email", "not-an-email"), ("password", "x")],
            "right format",
        ),
        (
            vec![("email", &long_email), ("password", "x")],
            "right format",
        ),
        (
            vec![("email", "learner@demo.test"), ("password", "")],
            "Enter your password.",
        ),
    ];
    for (form, message) in cases {
        let response = app.call(&client, "auth/sign_in", &form).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{form:?}");
        let error = app_error(response).await.to_string();
        assert!(error.contains(message), "{form:?}: {error}");
    }
    let huge = "p".repeat(10_000);
    let response = app
        .call(
            &client,
            "auth/sign_in",
            &[("email", "learner@demo.test"), ("password", &huge)],
        )
        .await;
    assert_eq!(
        app_error(response).await,
        AppError::Invalid("Email or password is wrong.".into())
    );
    // A missing field is a malformed request, not a crash.
    let response = app
        .call(&client, "auth/sign_in", &[("email", "learner@demo.test")])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(matches!(app_error(response).await, AppError::BadRequest(_)));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions WHERE user_id IS NOT NULL")
            .await,
        0
    );
}

#[tokio::test]
async fn repeated_failures_for_an_account_are_throttled() {
    let app = spawn_app().await;
    let client = browser();
    for _ in 0..10 {
        let r = app
            .call(
                &client,
                "auth/sign_in",
                &[
                    ("email", "tutor@demo.test"),
                    ("password", "guess guess guess"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    }
    let blocked = app
        .call(
            &client,
            "auth/sign_in",
            &[("email", "tutor@demo.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app_error(blocked).await, AppError::RateLimited);
    // Other accounts are not affected by one account's failures.
    app.signed_in("staff@demo.test").await;
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let app = spawn_app().await;
    let client = app.signed_in("learner@demo.test").await;
    let out = app.submit(&client, "auth/sign_out", &[], "/home").await;
    assert_eq!(out.status(), StatusCode::FOUND);
    assert_eq!(location(&out), "/login?signed_out=1");
    let (_, html) = app.page(&client, "/login?signed_out=1").await;
    assert!(visible_text(&html).contains("You have signed out."));
    let home = app.get(&client, "/home").await;
    assert_eq!(home.status(), StatusCode::FOUND);
    assert_eq!(location(&home), "/login?next=/home");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions WHERE user_id IS NOT NULL")
            .await,
        0
    );
}

#[tokio::test]
async fn a_deactivated_person_cannot_sign_in_and_is_signed_out() {
    let app = spawn_app().await;
    let learner = app.signed_in("learner@demo.test").await;
    let admin = app.signed_in("admin@demo.test").await;
    let id = app.user_id("learner@demo.test").await;
    let r = app
        .call(&admin, "admin/deactivate_user", &[("user_id", &id)])
        .await;
    assert!(
        r.status().is_success() || r.status() == StatusCode::FOUND,
        "{}",
        r.status()
    );
    assert_eq!(app.get(&learner, "/home").await.status(), StatusCode::FOUND);
    let again = app
        .call(
            &browser(),
            "auth/sign_in",
            &[("email", "learner@demo.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        app_error(again).await,
        AppError::Invalid("Email or password is wrong.".into())
    );
}

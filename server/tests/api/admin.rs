use crate::helpers::*;
use app::error::AppError;
use reqwest::StatusCode;

#[tokio::test]
async fn an_administrator_lists_and_searches_people() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@demo.test").await;
    let (status, html) = app.page(&admin, "/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    for role in [
        "learner", "tutor", "staff", "manager", "people", "dsl", "admin",
    ] {
        assert!(text.contains(&format!("{role}@demo.test")), "{role} listed");
    }
    assert!(text.contains("7 people"));
    let (_, html) = app.page(&admin, "/admin/users?q=TUTOR").await;
    let text = visible_text(&html);
    assert!(text.contains("tutor@demo.test") && !text.contains("learner@demo.test"));
    assert!(text.contains("1 person"));
    let (_, html) = app.page(&admin, "/admin/users?q=%25").await;
    assert!(
        visible_text(&html).contains("0 people"),
        "a % is searched for literally"
    );
    let long = "x".repeat(201);
    let r = app.call(&admin, "admin/list_users", &[("q", &long)]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn roles_are_given_and_taken_and_a_person_may_hold_several() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@demo.test").await;
    let id = app.user_id("staff@demo.test").await;
    let given = app
        .submit(
            &admin,
            "admin/grant_role",
            &[("user_id", &id), ("role", "tutor")],
            &format!("/admin/users/{id}"),
        )
        .await;
    assert_eq!(
        location(&given),
        format!("/admin/users/{id}?done=role-granted")
    );
    let staff = app.signed_in("staff@demo.test").await;
    let (_, html) = app.page(&staff, "/home").await;
    assert!(html.contains(">Staff</h2>") && html.contains(">Tutor</h2>"));
    app.submit(
        &admin,
        "admin/revoke_role",
        &[("user_id", &id), ("role", "staff")],
        &format!("/admin/users/{id}"),
    )
    .await;
    let (_, html) = app.page(&staff, "/home").await;
    assert!(!html.contains(">Staff</h2>") && html.contains(">Tutor</h2>"));
    let (_, page) = app
        .page(&admin, &format!("/admin/users/{id}?done=role-revoked"))
        .await;
    assert!(visible_text(&page).contains("Role taken away."));
    let audit = app
        .count("SELECT COUNT(*) FROM audit_events WHERE action IN ('role_granted', 'role_revoked')")
        .await;
    assert_eq!(audit, 2);
    let bad = app
        .call(
            &admin,
            "admin/grant_role",
            &[("user_id", &id), ("role", "superuser")],
        )
        .await;
    assert_eq!(
        app_error(bad).await,
        AppError::Invalid("Choose a role from the list.".into())
    );
}

#[tokio::test]
async fn an_administrator_cannot_lock_themselves_out() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@demo.test").await;
    let me = app.user_id("admin@demo.test").await;
    let r = app
        .call(&admin, "admin/deactivate_user", &[("user_id", &me)])
        .await;
    assert_eq!(
        app_error(r).await,
        AppError::Invalid("You cannot deactivate your own account.".into())
    );
    let r = app
        .call(
            &admin,
            "admin/revoke_role",
            &[("user_id", &me), ("role", "admin")],
        )
        .await;
    assert!(app_error(r)
        .await
        .to_string()
        .contains("cannot take the administrator role from yourself"));
    // Shown on the page when done from a browser without JavaScript.
    let r = app
        .submit(
            &admin,
            "admin/deactivate_user",
            &[("user_id", &me)],
            &format!("/admin/users/{me}"),
        )
        .await;
    let html = admin
        .get(location(&r))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(visible_text(&html).contains("You cannot deactivate your own account."));
    assert_eq!(
        app.get(&admin, "/admin/users").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn deactivation_keeps_the_record_and_can_be_undone() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@demo.test").await;
    let id = app.user_id("manager@demo.test").await;
    app.call(&admin, "admin/deactivate_user", &[("user_id", &id)])
        .await;
    let (_, html) = app.page(&admin, &format!("/admin/users/{id}")).await;
    assert!(visible_text(&html).contains("Deactivated"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM users WHERE email = 'manager@demo.test'")
            .await,
        1
    );
    app.call(&admin, "admin/reactivate_user", &[("user_id", &id)])
        .await;
    app.signed_in("manager@demo.test").await;
}

#[tokio::test]
async fn inviting_checks_every_field_and_changes_nothing_on_bad_input() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@demo.test").await;
    let long_name = "N".repeat(201);
    let cases: Vec<([(&str, &str); 3], &str)> = vec![
        (
            [
                ("full_name", " "),
                ("email", "a@demo.test"),
                ("role", "learner"),
            ],
            "Enter the person's full name.",
        ),
        (
            [
                ("full_name", &long_name),
                ("email", "a@demo.test"),
                ("role", "learner"),
            ],
            "at most 200",
        ),
        (
            [("full_name", "Ann"), ("email", "nope"), ("role", "learner")],
            "right format",
        ),
        (
            [
                ("full_name", "Ann"),
                ("email", "a@demo.test"),
                ("role", "boss"),
            ],
            "Choose a role",
        ),
        (
            [
                ("full_name", "Ann"),
                ("email", "TUTOR@demo.test"),
                ("role", "learner"),
            ],
            "already has an account",
        ),
    ];
    let before = app.count("SELECT COUNT(*) FROM users").await;
    for (form, message) in cases {
        let r = app.call(&admin, "admin/invite_user", &form).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{form:?}");
        let error = app_error(r).await.to_string();
        assert!(error.contains(message), "{form:?}: {error}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, before);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0);
}

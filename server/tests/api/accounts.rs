use crate::helpers::*;
use app::error::AppError;
use app::mail::transport::Mailer;
use reqwest::StatusCode;

#[tokio::test]
async fn changing_a_password_checks_the_old_one_and_signs_out_other_devices() {
    let app = spawn_app().await;
    let phone = app.signed_in("staff@demo.test").await;
    let laptop = app.signed_in("staff@demo.test").await;
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        vec![
            ("current_password", current),
            ("new_password", new),
            ("confirm_password", confirm),
        ]
    };
    let wrong = app
        .call(
            &laptop,
            "auth/change_password",
            &change("not it at all", "brand new words", "brand new words"),
        )
        .await;
    assert_eq!(
        app_error(wrong).await,
        AppError::Invalid("Your current password is wrong.".into())
    );
    let mismatch = app
        .call(
            &laptop,
            "auth/change_password",
            &change(PASSWORD, "brand new words", "brand new wordz"),
        )
        .await;
    assert_eq!(
        app_error(mismatch).await,
        AppError::Invalid("The two passwords do not match.".into())
    );
    let short = app
        .call(
            &laptop,
            "auth/change_password",
            &change(PASSWORD, "short", "short"),
        )
        .await;
    assert!(app_error(short).await.to_string().contains("at least 10"));

    let done = app
        .submit(
            &laptop,
            "auth/change_password",
            &change(PASSWORD, "brand new words", "brand new words"),
            "/account",
        )
        .await;
    assert_eq!(location(&done), "/account?changed=1");
    let (_, html) = app.page(&laptop, "/account?changed=1").await;
    assert!(visible_text(&html).contains("Your password has been changed."));
    assert_eq!(
        app.get(&phone, "/home").await.status(),
        StatusCode::FOUND,
        "the other device is signed out"
    );
    assert_eq!(
        app.get(&laptop, "/home").await.status(),
        StatusCode::OK,
        "this device stays signed in"
    );
    let old = app
        .call(
            &browser(),
            "auth/sign_in",
            &[("email", "staff@demo.test"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status(), StatusCode::BAD_REQUEST);
    app.signed_in_with("staff@demo.test", "brand new words")
        .await;
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_an_emailed_single_use_link() {
    let app = spawn_app().await;
    let (sink, smtp_url) = SmtpSink::start();
    let mailer = Mailer::smtp(&smtp_url).unwrap();
    let client = browser();

    let asked = app
        .submit(
            &client,
            "auth/request_password_reset",
            &[("email", "Tutor@Demo.test")],
            "/forgot-password",
        )
        .await;
    assert_eq!(location(&asked), "/forgot-password?sent=1");
    // The same answer for an email nobody uses, and no email is queued for it.
    let unknown = app
        .submit(
            &client,
            "auth/request_password_reset",
            &[("email", "nobody@demo.test")],
            "/forgot-password",
        )
        .await;
    assert_eq!(location(&unknown), "/forgot-password?sent=1");
    assert_eq!(app.send_mail(&mailer).await.sent, 1);

    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    let message = decoded(&messages[0]);
    assert!(message.contains("To: tutor@demo.test"));
    assert!(message.contains("Subject: Reset your e-safety training password"));
    assert!(message.contains("text/plain") && message.contains("text/html"));
    let link = link_in(&messages[0], &app.url("/set-password?token="));
    let token = link.rsplit('=').next().unwrap().to_string();

    let (status, html) = app
        .page(&client, &format!("/set-password?token={token}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(visible_text(&html).contains("Choose a new password"));
    assert!(visible_text(&html).contains("tutor@demo.test"));

    let form = [
        ("token", token.as_str()),
        ("new_password", "a fresh start here"),
        ("confirm_password", "a fresh start here"),
    ];
    let set = app
        .submit(
            &client,
            "auth/set_password",
            &form,
            &format!("/set-password?token={token}"),
        )
        .await;
    assert_eq!(location(&set), "/home");
    // Signed in after the reset: the tutor is first asked to sign the staff policy.
    app.sign_policies(&client, "tutor@demo.test").await;
    assert_eq!(
        app.get(&client, "/home").await.status(),
        StatusCode::OK,
        "signed in after the reset"
    );
    app.signed_in_with("tutor@demo.test", "a fresh start here")
        .await;

    // Used once: the same link now fails, with a clear message, and changes nothing.
    let again = app
        .call(
            &browser(),
            "auth/set_password",
            &[
                ("token", token.as_str()),
                ("new_password", "another new one"),
                ("confirm_password", "another new one"),
            ],
        )
        .await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(app_error(again)
        .await
        .to_string()
        .contains("already been used"));
    app.signed_in_with("tutor@demo.test", "a fresh start here")
        .await;
    let (_, html) = app
        .page(&browser(), &format!("/set-password?token={token}"))
        .await;
    assert!(visible_text(&html).contains("This link cannot be used"));
}

#[tokio::test]
async fn an_expired_or_made_up_reset_link_is_refused() {
    let app = spawn_app().await;
    let (sink, smtp_url) = SmtpSink::start();
    let client = browser();
    app.submit(
        &client,
        "auth/request_password_reset",
        &[("email", "people@demo.test")],
        "/forgot-password",
    )
    .await;
    app.send_mail(&Mailer::smtp(&smtp_url).unwrap()).await;
    let link = link_in(&sink.messages()[0], &app.url("/set-password?token="));
    let token = link.rsplit('=').next().unwrap().to_string();
    sqlx::query("UPDATE account_links SET expires_at = '2020-01-01T00:00:00.000000Z'")
        .execute(&app.db)
        .await
        .unwrap();
    let form = |t: &str| {
        vec![
            ("token", t.to_string()),
            ("new_password", "too late for this".into()),
            ("confirm_password", "too late for this".into()),
        ]
    };
    let expired = client
        .post(app.url("/api/auth/set_password"))
        .form(&form(&token))
        .send()
        .await
        .unwrap();
    assert!(app_error(expired).await.to_string().contains("expired"));
    let made_up = client
        .post(app.url("/api/auth/set_password"))
        .form(&form(&"ab".repeat(32)))
        .send()
        .await
        .unwrap();
    assert_eq!(made_up.status(), StatusCode::BAD_REQUEST);
    let garbage = client
        .post(app.url("/api/auth/set_password"))
        .form(&form("<script>"))
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    app.signed_in("people@demo.test").await; // the old password still works
}

#[tokio::test]
async fn reset_emails_are_limited_per_account() {
    let app = spawn_app().await;
    for _ in 0..5 {
        app.submit(
            &browser(),
            "auth/request_password_reset",
            &[("email", "dsl@demo.test")],
            "/forgot-password",
        )
        .await;
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 3);
}

#[tokio::test]
async fn an_invited_person_sets_a_first_password_and_signs_in() {
    let app = spawn_app().await;
    let (sink, smtp_url) = SmtpSink::start();
    let admin = app.signed_in("admin@demo.test").await;
    let invited = app
        .submit(
            &admin,
            "admin/invite_user",
            &[
                ("full_name", "  Ria   Newcomer "),
                ("email", "ria@demo.test"),
                ("role", "learner"),
            ],
            "/admin/users",
        )
        .await;
    let id = app.user_id("ria@demo.test").await;
    assert_eq!(
        location(&invited),
        format!("/admin/users/{id}?done=invited")
    );
    app.send_mail(&Mailer::smtp(&smtp_url).unwrap()).await;
    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    assert!(decoded(&messages[0]).contains("Hello Ria Newcomer"));
    let token = link_in(&messages[0], &app.url("/set-password?token="))
        .rsplit('=')
        .next()
        .unwrap()
        .to_string();

    // Before accepting, the person cannot sign in.
    let early = app
        .call(
            &browser(),
            "auth/sign_in",
            &[("email", "ria@demo.test"), ("password", "anything at all")],
        )
        .await;
    assert_eq!(early.status(), StatusCode::BAD_REQUEST);

    let client = browser();
    let (_, html) = app
        .page(&client, &format!("/set-password?token={token}"))
        .await;
    assert!(visible_text(&html).contains("Choose your password"));
    let set = app
        .submit(
            &client,
            "auth/set_password",
            &[
                ("token", &token),
                ("new_password", "my very own words"),
                ("confirm_password", "my very own words"),
            ],
            "/set-password",
        )
        .await;
    assert_eq!(location(&set), "/home");
    // A new learner's first stop is the Acceptable Use Policy.
    assert_eq!(
        location(&app.get(&client, "/home").await),
        "/policies/sign/learner"
    );
    app.sign_policies(&client, "ria@demo.test").await;
    let (_, html) = app.page(&client, "/home").await;
    assert!(visible_text(&html).contains("Hello Ria"));
    assert!(html.contains(">Learner</h2>"));
    let (_, list) = app.page(&admin, "/admin/users?q=ria").await;
    assert!(visible_text(&list).contains("Ria Newcomer ria@demo.test Learner Active"));
}

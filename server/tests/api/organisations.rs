//! One email address, accounts with several organisations: an address has at most one
//! account in each organisation, inviting it never depends on (or reveals) another
//! organisation's people, and sign-in asks which organisation when it opens several.

use crate::helpers::*;
use app::auth::Role;
use app::error::AppError;
use app::mail::transport::Mailer;
use reqwest::{Client, StatusCode};

/// Invite `email` as a learner in the demo organisation; the response as a browser sees it.
async fn invite(app: &TestApp, admin: &Client, email: &str) -> reqwest::Response {
    app.submit(
        admin,
        "admin/invite_user",
        &[
            ("full_name", "Lee Twice"),
            ("email", email),
            ("role", "learner"),
        ],
        "/admin/users",
    )
    .await
}

/// The shape of where an invitation sends the administrator, with the new id taken out.
fn without_id(location: &str) -> String {
    let mut parts: Vec<&str> = location.split('/').collect();
    if let Some(last) = parts.last_mut() {
        *last = last.split_once('?').map_or("", |(_, query)| query);
    }
    parts.join("/")
}

async fn password_hash_of(app: &TestApp, email: &str, slug: &str) -> Option<String> {
    let (hash,): (Option<String>,) = sqlx::query_as(
        "SELECT u.password_hash FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.email = $1 AND o.slug = $2",
    )
    .bind(email)
    .bind(slug)
    .fetch_one(&app.db)
    .await
    .expect("the account exists");
    hash
}

#[tokio::test]
async fn inviting_an_address_used_elsewhere_works_as_for_a_new_one_and_takes_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@demo.test").await;
    let theirs_before = password_hash_of(&app, OTHER_LEARNER, "other").await;

    let fresh = invite(&app, &admin, "new.person@example.test").await;
    let used_elsewhere = invite(&app, &admin, OTHER_LEARNER).await;
    assert_eq!(fresh.status(), StatusCode::FOUND);
    assert_eq!(used_elsewhere.status(), fresh.status());
    assert_eq!(
        without_id(&location(&used_elsewhere)),
        without_id(&location(&fresh)),
        "the administrator sees the same answer"
    );
    let (_, page) = app
        .page(&admin, &app.path_of(&location(&used_elsewhere)))
        .await;
    assert!(visible_text(&page).contains(OTHER_LEARNER));

    // The other organisation's account is untouched, and still signs in there.
    assert_eq!(
        password_hash_of(&app, OTHER_LEARNER, "other").await,
        theirs_before
    );
    assert_eq!(password_hash_of(&app, OTHER_LEARNER, "demo").await, None);
    let theirs = app.signed_in_only(OTHER_LEARNER, PASSWORD).await;
    let me: serde_json::Value = app
        .call(&theirs, "auth/me", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["org_name"], "other");

    // A second invitation of the same address here is refused, and changes nothing.
    let before = app.count("SELECT COUNT(*) FROM users").await;
    let again = app
        .call(
            &admin,
            "admin/invite_user",
            &[
                ("full_name", "Lee Again"),
                ("email", " Learner@Other.test "),
                ("role", "learner"),
            ],
        )
        .await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let error = app_error(again).await.to_string();
    assert!(error.contains("already has an account"), "{error}");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, before);
}

#[tokio::test]
async fn the_database_keeps_one_account_per_address_in_each_organisation() {
    let app = spawn_app().await;
    add_person(&app, "demo", OTHER_LEARNER, "Lee Twice", Role::Learner).await;
    let org_id: (String,) = sqlx::query_as("SELECT id FROM organisations WHERE slug = 'demo'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let twin = sqlx::query(
        "INSERT INTO users (id, org_id, email, full_name, created_at) VALUES ('twin', $1, $2, 'Twin', '2026-01-01T00:00:00.000000Z')",
    )
    .bind(&org_id.0)
    .bind(OTHER_LEARNER)
    .execute(&app.db)
    .await
    .expect_err("a second account for one address in one organisation is refused");
    assert!(app::db::is_unique_violation(&twin), "{twin}");
}

/// Sign in as a browser would; the page it is sent to next.
async fn sign_in(app: &TestApp, client: &Client, email: &str, password: &str) -> String {
    let response = app
        .submit(
            client,
            "auth/sign_in",
            &[("email", email), ("password", password)],
            "/login",
        )
        .await;
    assert_eq!(response.status(), StatusCode::FOUND, "{email}");
    location(&response)
}

async fn organisation_of(app: &TestApp, client: &Client) -> Option<String> {
    let me: serde_json::Value = app.call(client, "auth/me", &[]).await.json().await.unwrap();
    me["org_name"].as_str().map(str::to_string)
}

#[tokio::test]
async fn sign_in_asks_which_organisation_when_the_password_opens_several() {
    let app = spawn_app().await;
    let here = add_person(&app, "demo", OTHER_LEARNER, "Lee Twice", Role::Learner).await;

    let client = browser();
    assert_eq!(
        sign_in(&app, &client, OTHER_LEARNER, PASSWORD).await,
        "/login/organisation"
    );
    assert_eq!(
        organisation_of(&app, &client).await,
        None,
        "not signed in yet"
    );
    let (status, html) = app.page(&client, "/login/organisation").await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    assert!(text.contains("Which organisation?"), "{text}");
    assert!(
        text.contains("Demo Training Provider") && text.contains("other"),
        "{text}"
    );

    // Only an account the password opened may be chosen.
    let someone_else = app.user_id("learner@demo.test").await;
    let refused = app
        .call(
            &client,
            "auth/choose_organisation",
            &[("account_id", &someone_else)],
        )
        .await;
    assert_eq!(
        app_error(refused).await,
        AppError::Invalid("Choose one of the organisations listed.".into())
    );
    assert_eq!(organisation_of(&app, &client).await, None);

    let chosen = app
        .submit(
            &client,
            "auth/choose_organisation",
            &[("account_id", &here)],
            "/login/organisation",
        )
        .await;
    assert_eq!(location(&chosen), "/home");
    assert_eq!(
        organisation_of(&app, &client).await.as_deref(),
        Some("Demo Training Provider")
    );

    // A choice is made once: the pending sign-in is gone afterwards.
    let stranger = browser();
    let expired = app
        .call(
            &stranger,
            "auth/choose_organisation",
            &[("account_id", &here)],
        )
        .await;
    assert!(app_error(expired).await.to_string().contains("expired"));
}

#[tokio::test]
async fn a_password_that_opens_one_of_the_accounts_signs_straight_in_to_it() {
    let app = spawn_app().await;
    let here = add_person(&app, "demo", OTHER_LEARNER, "Lee Twice", Role::Learner).await;
    let hash = app::auth::password::hash(app::auth::password::Password::new(
        "only the demo one".into(),
    ))
    .await
    .unwrap();
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&hash)
        .bind(&here)
        .execute(&app.db)
        .await
        .unwrap();

    let demo = browser();
    assert_eq!(
        sign_in(&app, &demo, OTHER_LEARNER, "only the demo one").await,
        "/home"
    );
    assert_eq!(
        organisation_of(&app, &demo).await.as_deref(),
        Some("Demo Training Provider")
    );
    let other = browser();
    assert_eq!(
        sign_in(&app, &other, OTHER_LEARNER, PASSWORD).await,
        "/home"
    );
    assert_eq!(
        organisation_of(&app, &other).await.as_deref(),
        Some("other")
    );

    // A deactivated account is not offered: the other one signs straight in.
    sqlx::query("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE email = $1 AND id <> $2), deactivated_at = '2026-01-01T00:00:00.000000Z' WHERE id = $2")
        .bind(OTHER_LEARNER)
        .bind(&here)
        .execute(&app.db)
        .await
        .unwrap();
    let again = browser();
    assert_eq!(
        sign_in(&app, &again, OTHER_LEARNER, PASSWORD).await,
        "/home"
    );
    assert_eq!(
        organisation_of(&app, &again).await.as_deref(),
        Some("other")
    );
}

#[tokio::test]
async fn a_reset_request_sends_a_link_for_each_organisation_that_resets_only_that_account() {
    let app = spawn_app().await;
    add_person(&app, "demo", OTHER_LEARNER, "Lee Twice", Role::Learner).await;
    let (sink, smtp_url) = SmtpSink::start();
    let mailer = Mailer::smtp(&smtp_url).unwrap();
    let client = browser();
    let asked = app
        .submit(
            &client,
            "auth/request_password_reset",
            &[("email", OTHER_LEARNER)],
            "/forgot-password",
        )
        .await;
    assert_eq!(location(&asked), "/forgot-password?sent=1");
    assert_eq!(app.send_mail(&mailer).await.sent, 2);

    let messages: Vec<String> = sink.messages().iter().map(|m| decoded(m)).collect();
    let for_demo = messages
        .iter()
        .position(|m| m.contains("(Demo Training Provider)"))
        .expect("one email names the demo organisation");
    assert!(messages[1 - for_demo].contains("your account with other"));

    let link = link_in(&sink.messages()[for_demo], &app.url("/set-password?token="));
    let token = link.rsplit('=').next().unwrap().to_string();
    let (_, page) = app
        .page(&client, &format!("/set-password?token={token}"))
        .await;
    assert!(visible_text(&page).contains("with Demo Training Provider"));
    let theirs_before = password_hash_of(&app, OTHER_LEARNER, "other").await;
    let set = app
        .submit(
            &client,
            "auth/set_password",
            &[
                ("token", token.as_str()),
                ("new_password", "a new one for demo"),
                ("confirm_password", "a new one for demo"),
            ],
            "/set-password",
        )
        .await;
    assert_eq!(location(&set), "/home");
    assert_eq!(
        password_hash_of(&app, OTHER_LEARNER, "other").await,
        theirs_before
    );
    assert_eq!(
        sign_in(&app, &browser(), OTHER_LEARNER, "a new one for demo").await,
        "/home"
    );
}

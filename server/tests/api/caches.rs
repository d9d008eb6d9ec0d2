//! What a server keeps in memory (the policy gate's memory of who is clear; each
//! organisation's modules, choices and contacts, kept per settings version) never hides a
//! change: made through one app server, it is seen at once through the same server and
//! through a second one on the same database (SQLite file or PostgreSQL, whichever the
//! suite runs on).

use crate::helpers::*;
use reqwest::{Client, StatusCode};

const LEARNER: &str = "learner@demo.test";
const ADMIN: &str = "admin@demo.test";

/// Both servers, each asked once before the change so anything they keep is warm.
async fn warm(servers: [&TestApp; 2], client: &Client, path: &str) {
    for server in servers {
        let (status, _) = server.page(client, path).await;
        assert_eq!(status, StatusCode::OK, "{path} before the change");
    }
}

#[tokio::test]
async fn a_new_policy_version_is_asked_for_at_once_on_every_server() {
    let app = spawn_app().await;
    let second = app.second_server().await;
    let learner = app.signed_in(LEARNER).await;
    let admin = app.signed_in(ADMIN).await;
    warm([&app, &second], &learner, "/home").await;

    let r = app
        .submit(
            &admin,
            "policies/start_draft",
            &[("kind", "learner")],
            "/admin/policies",
        )
        .await;
    let draft = location(&r).rsplit('/').next().unwrap().to_string();
    let today = app::calendar::today().to_string();
    let r = app
        .call(
            &admin,
            "policies/save_draft",
            &[
                ("draft_id", draft.as_str()),
                ("title", "Learner Acceptable Use Policy"),
                (
                    "body",
                    "Use the Wi-Fi kindly.\n\nTell us if something worries you.",
                ),
                ("what_changed", "Shorter."),
                ("effective_from", &today),
                ("sign_again", "everyone"),
                ("publish", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "published");

    for server in [&app, &second] {
        let r = server.get(&learner, "/home").await;
        assert_eq!(
            location(&r),
            "/policies/sign/learner",
            "the new version is asked for on {}",
            server.base
        );
    }
}

#[tokio::test]
async fn a_changed_safe_internet_contact_shows_at_once_on_every_server() {
    let app = spawn_app().await;
    let second = app.second_server().await;
    let parent = browser();
    warm([&app, &second], &parent, "/safe-internet").await;
    // A module page's "get help" box shows the same contact, kept in memory.
    let learner = app.signed_in(LEARNER).await;
    warm([&app, &second], &learner, "/induction/grooming").await;

    let admin = app.signed_in(ADMIN).await;
    let r = app
        .submit(
            &admin,
            "safe_internet/save_contacts",
            &[
                ("dsl_name", "Priya Newcontact"),
                ("dsl_phone", "0113 496 0000"),
                ("dsl_email", "safeguarding@example.org"),
                ("raise_concern", "Call us first."),
                ("policy_links", ""),
            ],
            "/admin/safe-internet",
        )
        .await;
    assert!(location(&r).starts_with("/admin/safe-internet"), "saved");

    for server in [&app, &second] {
        let (_, page) = server.page(&parent, "/safe-internet").await;
        let text = visible_text(&page);
        assert!(
            text.contains("Priya Newcontact") && text.contains("0113 496 0000"),
            "the new contact on {}",
            server.base
        );
        let (_, page) = server.page(&learner, "/induction/grooming").await;
        assert!(
            visible_text(&page).contains("Priya Newcontact"),
            "the new contact in a module's help box on {}",
            server.base
        );
    }
}

#[tokio::test]
async fn a_module_switched_off_goes_at_once_on_every_server() {
    let app = spawn_app().await;
    let second = app.second_server().await;
    let learner = app.signed_in(LEARNER).await;
    warm([&app, &second], &learner, "/induction/grooming").await;

    let admin = app.signed_in(ADMIN).await;
    let r = app
        .submit(
            &admin,
            "learning/switch",
            &[("module_id", "grooming"), ("switch", "off")],
            "/admin/modules",
        )
        .await;
    assert!(location(&r).starts_with("/admin/modules?switched=off"));

    for server in [&app, &second] {
        let (_, induction) = server.page(&learner, "/induction").await;
        assert!(
            !induction.contains("/induction/grooming\""),
            "not listed on {}",
            server.base
        );
        let (status, _) = server.page(&learner, "/induction/grooming").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "gone on {}", server.base);
    }
}

#[tokio::test]
async fn a_new_organisation_module_is_offered_at_once_on_every_server() {
    let app = spawn_app().await;
    let second = app.second_server().await;
    let learner = app.signed_in(LEARNER).await;
    warm([&app, &second], &learner, "/induction").await;

    let admin = app.signed_in(ADMIN).await;
    let (text, quiz) = crate::learning::own_module_texts("our-wifi", "Our Wi-Fi:");
    let r = app
        .submit(
            &admin,
            "learning/add_module",
            &[("module_text", &text), ("quiz_text", &quiz)],
            "/admin/modules/new",
        )
        .await;
    assert!(location(&r).starts_with("/admin/modules?added="), "added");

    for server in [&app, &second] {
        let (_, induction) = server.page(&learner, "/induction").await;
        assert!(
            induction.contains("/induction/our-wifi\""),
            "offered on {}",
            server.base
        );
        let (status, page) = server.page(&learner, "/induction/our-wifi").await;
        assert_eq!(status, StatusCode::OK, "opens on {}", server.base);
        assert!(visible_text(&page).contains("Our Wi-Fi:"));
    }
}

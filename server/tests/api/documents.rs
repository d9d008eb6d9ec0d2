//! Documents to read and acknowledge, on SQLite and PostgreSQL: the People department
//! creates a document and publishes editions, staff read the current edition and
//! acknowledge it, a new edition makes the old acknowledgement not count, published
//! text and acknowledgements never change, and the Acceptable Use Policy gate is
//! untouched. Who may do what over HTTP is in `documents_access`.

use crate::helpers::*;
use app::auth::Role;
use app::ids::{OrganisationId, PersonId};
use reqwest::{Client, StatusCode};

pub(crate) const PEOPLE: &str = "people@demo.test";
pub(crate) const KEY: &str = "kcsie-part-one";
pub(crate) const TITLE: &str = "Keeping Children Safe in Education, Part one";
pub(crate) const FIRST_TEXT: &str = "## What school and college staff should know\n\nEveryone who comes into contact with children has a role to play.";
pub(crate) const SECOND_TEXT: &str = "## What school and college staff should know\n\nEveryone who comes into contact with children has a role to play.\n\n## Online safety\n\nFilters and monitoring are part of safeguarding.";

pub(crate) fn today() -> String {
    app::calendar::day_key(app::calendar::today())
}

fn long_today() -> String {
    app::calendar::today().format("%-d %B %Y").to_string()
}

fn succeeded(r: &reqwest::Response, what: &str) {
    let status = r.status();
    assert!(
        status.is_success() || status == StatusCode::FOUND,
        "{what}: {status}"
    );
}

async fn demo_org(app: &TestApp) -> OrganisationId {
    app::admin::queries::organisation_by_slug(&app.db, "demo")
        .await
        .unwrap()
        .expect("demo organisation")
        .id
}

pub(crate) async fn create(app: &TestApp, client: &Client, key: &str) {
    let r = app
        .call(
            client,
            "documents/create",
            &[("title", TITLE), ("key", key)],
        )
        .await;
    succeeded(&r, "create");
}

/// The id of the draft edition of the document `key` (starting one).
pub(crate) async fn start_edition(app: &TestApp, client: &Client, key: &str) -> String {
    let r = app
        .submit(
            client,
            "documents/start_edition",
            &[("key", key)],
            &format!("/admin/documents/{key}"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let to = app.path_of(&location(&r));
    to.strip_prefix("/admin/documents/drafts/")
        .unwrap_or_else(|| panic!("to the draft: {to}"))
        .to_string()
}

async fn save_draft(
    app: &TestApp,
    client: &Client,
    draft: &str,
    body: &str,
    what_changed: &str,
    publish: &str,
) -> reqwest::Response {
    let today = today();
    app.call(
        client,
        "documents/save_draft",
        &[
            ("draft_id", draft),
            ("title", TITLE),
            ("body", body),
            ("what_changed", what_changed),
            ("effective_from", &today),
            ("publish", publish),
        ],
    )
    .await
}

/// Create the document (unless it exists) and publish an edition in force today: its id.
pub(crate) async fn publish(
    app: &TestApp,
    client: &Client,
    body: &str,
    what_changed: &str,
) -> String {
    let draft = start_edition(app, client, KEY).await;
    let r = save_draft(app, client, &draft, body, what_changed, "yes").await;
    succeeded(&r, "publish");
    draft
}

pub(crate) async fn acknowledge(
    app: &TestApp,
    client: &Client,
    version: &str,
) -> reqwest::Response {
    app.call(
        client,
        "documents/acknowledge",
        &[("version_id", version), ("understood", "on")],
    )
    .await
}

async fn audit(app: &TestApp, action: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(&app.db)
        .await
        .unwrap();
    n
}

async fn my_documents_text(app: &TestApp, client: &Client) -> String {
    let (status, html) = app.page(client, "/documents").await;
    assert_eq!(status, StatusCode::OK);
    visible_text(&html)
}

#[tokio::test]
async fn people_publish_editions_and_staff_acknowledge_the_current_one() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let staff = app.signed_in("staff@demo.test").await;
    let staff_id = PersonId::from_param(app.user_id("staff@demo.test").await);
    let org = demo_org(&app).await;
    create(&app, &people, KEY).await;
    // The requirement form's choice of documents.
    let choices = app::documents::queries::documents_of(&app.db, &org)
        .await
        .unwrap();
    assert_eq!(choices, vec![(KEY.to_string(), TITLE.to_string())]);
    // No edition yet: nothing for staff to read.
    assert!(my_documents_text(&app, &staff)
        .await
        .contains("no documents for you to read"));
    let (status, _) = app.page(&staff, &format!("/documents/{KEY}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let first = publish(&app, &people, FIRST_TEXT, "The first edition.").await;
    let (status, html) = app.page(&people, &format!("/admin/documents/{KEY}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(visible_text(&html).contains("Published"));
    let text = my_documents_text(&app, &staff).await;
    assert!(text.contains(TITLE) && text.contains("To read"), "{text}");
    let (status, html) = app.page(&staff, &format!("/documents/{KEY}")).await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    assert!(text.contains("Edition 1") && text.contains("has a role to play"));
    assert!(text.contains("I have read and understood this edition"));

    // The box must be ticked; nothing is recorded otherwise.
    let r = app
        .call(&staff, "documents/acknowledge", &[("version_id", &first)])
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(app_error(r).await.to_string().contains("Tick"));
    assert_eq!(app.count("SELECT COUNT(*) FROM policy_signatures").await, 2);

    // Acknowledged (twice: the second changes nothing), with the text's SHA-256.
    succeeded(&acknowledge(&app, &staff, &first).await, "acknowledge");
    succeeded(&acknowledge(&app, &staff, &first).await, "again");
    let (hash, name): (String, String) = sqlx::query_as(
        "SELECT text_sha256, typed_name FROM policy_signatures WHERE version_id = $1",
    )
    .bind(&first)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(hash, app::policies::rules::text_hash(FIRST_TEXT));
    assert_eq!(name, "Jordan Staff");
    assert_eq!(audit(&app, "document.acknowledged").await, 1);
    let text = my_documents_text(&app, &staff).await;
    assert!(
        text.contains(&format!("Acknowledged edition 1 on {}", long_today())),
        "{text}"
    );
    let today = app::calendar::today();
    let facts = app::documents::queries::document_facts(&app.db, &org, None, today)
        .await
        .unwrap();
    assert_eq!(facts.current(KEY).map(|e| e.number), Some(1));
    assert_eq!(facts.acknowledged_current_on(&staff_id, KEY), Some(today));

    // A second edition: the first acknowledgement no longer counts.
    let second = publish(&app, &people, SECOND_TEXT, "A section on online safety.").await;
    let facts = app::documents::queries::document_facts(
        &app.db,
        &org,
        Some(std::slice::from_ref(&staff_id)),
        today,
    )
    .await
    .unwrap();
    assert_eq!(facts.current(KEY).map(|e| e.number), Some(2));
    assert_eq!(facts.acknowledged_current_on(&staff_id, KEY), None);
    let text = my_documents_text(&app, &staff).await;
    assert!(text.contains("To read: edition 2 is new"), "{text}");
    let (_, html) = app.page(&staff, &format!("/documents/{KEY}")).await;
    let text = visible_text(&html);
    assert!(text.contains("What changed") && text.contains("A section on online safety."));
    // The old edition cannot be acknowledged any more.
    let r = acknowledge(&app, &staff, &first).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(app_error(r).await.to_string().contains("edition 2 is"));
    succeeded(&acknowledge(&app, &staff, &second).await, "the second");
    let facts = app::documents::queries::document_facts(&app.db, &org, None, today)
        .await
        .unwrap();
    assert_eq!(facts.acknowledged_current_on(&staff_id, KEY), Some(today));
    assert_eq!(audit(&app, "document.created").await, 1);
    assert_eq!(audit(&app, "document.published").await, 2);
    assert_eq!(audit(&app, "document.acknowledged").await, 2);
}

#[tokio::test]
async fn bad_input_gets_a_clear_message_and_changes_nothing() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    for (title, key, words) in [
        ("", "a-key", "Title"),
        (TITLE, "Has Spaces", "Key"),
        (TITLE, "x", "Key"),
        (TITLE, "-leading", "Key"),
    ] {
        let r = app
            .call(
                &people,
                "documents/create",
                &[("title", title), ("key", key)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{key}");
        assert!(app_error(r).await.to_string().contains(words), "{key}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM documents").await, 0);
    create(&app, &people, KEY).await;
    let r = app
        .call(
            &people,
            "documents/create",
            &[("title", "Other"), ("key", KEY)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(app_error(r).await.to_string().contains("already has"));
    assert_eq!(app.count("SELECT COUNT(*) FROM documents").await, 1);
    // A draft with raw HTML, no "what changed" or a bad date is not published.
    let draft = start_edition(&app, &people, KEY).await;
    let r = save_draft(&app, &people, &draft, "<script>x</script>", "x", "yes").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = save_draft(&app, &people, &draft, FIRST_TEXT, "", "yes").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(app_error(r).await.to_string().contains("what changed"));
    let r = save_draft(&app, &people, &draft, "  ", "First.", "yes").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(app_error(r).await.to_string().contains("must not be empty"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM policy_versions WHERE published_at IS NOT NULL AND kind LIKE 'document:%'")
            .await,
        0
    );
    assert_eq!(audit(&app, "document.published").await, 0);
}

#[tokio::test]
async fn published_editions_and_acknowledgements_never_change() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let staff = app.signed_in("staff@demo.test").await;
    create(&app, &people, KEY).await;
    let first = publish(&app, &people, FIRST_TEXT, "The first edition.").await;
    // Through the app: refused, with a way forward.
    let r = save_draft(&app, &people, &first, "Changed.", "Changed", "no").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(app_error(r)
        .await
        .to_string()
        .contains("can no longer change"));
    // Through SQL: the database refuses.
    let changed = sqlx::query("UPDATE policy_versions SET body = 'Changed.' WHERE id = $1")
        .bind(&first)
        .execute(&app.db)
        .await;
    assert!(changed.is_err(), "a published edition is append-only");
    let (body,): (String,) = sqlx::query_as("SELECT body FROM policy_versions WHERE id = $1")
        .bind(&first)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(body, FIRST_TEXT);
    succeeded(&acknowledge(&app, &staff, &first).await, "acknowledge");
    let staff_id = app.user_id("staff@demo.test").await;
    for statement in [
        "UPDATE policy_signatures SET typed_name = 'Someone Else' WHERE version_id = $1 AND user_id = $2",
        "DELETE FROM policy_signatures WHERE version_id = $1 AND user_id = $2",
    ] {
        let r = sqlx::query(statement)
            .bind(&first)
            .bind(&staff_id)
            .execute(&app.db)
            .await;
        assert!(r.is_err(), "{statement}");
    }
    let n: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM policy_signatures WHERE version_id = $1 AND typed_name = 'Jordan Staff'",
    )
    .bind(&first)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(n.0, 1);
}

#[tokio::test]
async fn documents_never_send_anyone_to_the_policy_gate() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let staff = app.signed_in("staff@demo.test").await;
    create(&app, &people, KEY).await;
    let first = publish(&app, &people, FIRST_TEXT, "The first edition.").await;
    let draft = start_edition(&app, &people, KEY).await;
    // Staff who signed their policy, and have not read the document, go where they like.
    let r = app.get(&staff, "/home").await;
    assert_eq!(r.status(), StatusCode::OK, "{}", location(&r));
    let r = app.get(&staff, "/induction").await;
    assert_eq!(r.status(), StatusCode::OK);
    let mine: serde_json::Value = app
        .call(&staff, "policies/mine", &[])
        .await
        .json()
        .await
        .unwrap();
    let mine = mine.as_array().unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["kind"], "Staff");
    assert_eq!(mine[0]["current_number"], 1);
    assert_eq!(mine[0]["needs_signing"], false);
    // A learner too.
    let learner = app.signed_in("learner@demo.test").await;
    assert_eq!(app.get(&learner, "/home").await.status(), StatusCode::OK);
    // A new member of staff is asked for the policy only, never for the document.
    add_person(&app, "demo", "new@demo.test", "Nia New", Role::Staff).await;
    let new = app.signed_in_only("new@demo.test", PASSWORD).await;
    assert_eq!(
        location(&app.get(&new, "/home").await),
        "/policies/sign/staff"
    );
    // The policies' own editor cannot open or publish a document's edition.
    let dsl = app.signed_in("dsl@demo.test").await;
    let r = app
        .call(&dsl, "policies/draft", &[("draft_id", &draft)])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let today = today();
    let r = app
        .call(
            &dsl,
            "policies/save_draft",
            &[
                ("draft_id", &draft),
                ("title", "T"),
                ("body", "Text"),
                ("what_changed", "W"),
                ("effective_from", &today),
                ("sign_again", "everyone"),
                ("publish", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Nor can a document's edition be signed as a policy.
    let r = app
        .call(
            &staff,
            "policies/sign",
            &[
                ("version_id", &first),
                ("agree", "on"),
                ("full_name", "Jordan Staff"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // The policies' version lists are as before.
    let (_, html) = app.page(&dsl, "/admin/policies").await;
    assert!(!visible_text(&html).contains(TITLE));
}

//! Attended briefings over HTTP, on SQLite and PostgreSQL: one step records the briefing
//! and a completion for each attendee (ticked one by one or by department) and nobody
//! else; anyone who is not staff of the organisation, and every bad field, is refused
//! with a message and nothing is written; the GET filter; who may do it.

use crate::helpers::*;
use app::auth::Role;
use reqwest::{Client, StatusCode};
use serde_json::Value;

const PEOPLE: &str = "people@demo.test";

pub async fn requirement_id(app: &TestApp, slug: &str, key: &str) -> String {
    let (id,): (String,) = sqlx::query_as(
        "SELECT r.id FROM training_requirements r JOIN organisations o ON o.id = r.org_id
         WHERE o.slug = $1 AND r.default_key = $2",
    )
    .bind(slug)
    .bind(key)
    .fetch_one(&app.db)
    .await
    .expect("requirement exists");
    id
}

/// Give a demo person a staff record in `department`.
pub async fn place(app: &TestApp, email: &str, department: &str, number: Option<&str>) {
    sqlx::query(
        "INSERT INTO staff_records (user_id, org_id, employee_number, department, updated_at)
         SELECT id, org_id, $2, $3, '2026-01-01T00:00:00Z' FROM users WHERE email = $1",
    )
    .bind(email)
    .bind(number)
    .bind(department)
    .execute(&app.db)
    .await
    .expect("record added");
}

async fn record(
    app: &TestApp,
    client: &Client,
    extra: &[(&str, &str)],
    requirement: &str,
) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = vec![
        ("held_on", "02/09/2025"),
        ("title", "Autumn safeguarding update"),
        ("led_by", "Dee Esel"),
        ("requirement_id", requirement),
    ];
    form.extend_from_slice(extra);
    app.call(client, "training/record_briefing", &form).await
}

async fn written(app: &TestApp) -> (i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM training_briefings").await,
        app.count("SELECT COUNT(*) FROM training_completions").await,
    )
}

async fn attended(app: &TestApp) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT u.email FROM training_completions c JOIN users u ON u.id = c.user_id
         JOIN training_briefings b ON b.id = c.reference
         WHERE c.source = 'briefing' AND c.completed_on = b.held_on
           AND c.requirement_id = b.requirement_id AND c.org_id = b.org_id
         ORDER BY u.email",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    rows.into_iter().map(|(e,)| e).collect()
}

#[tokio::test]
async fn a_briefing_records_a_completion_for_each_attendee_and_nobody_else() {
    let app = spawn_app().await;
    place(&app, "staff@demo.test", "Care", None).await;
    place(&app, "manager@demo.test", "care ", None).await;
    place(&app, "tutor@demo.test", "Maths", None).await;
    let requirement = requirement_id(&app, "demo", "safeguarding-update").await;
    let dsl = app.user_id("dsl@demo.test").await;
    let people = app.signed_in(PEOPLE).await;
    let dsl_box = format!("attendees[p-{dsl}]");
    // A browser posting the form: ticked one by one (the DSL) and a whole department.
    let r = app
        .submit(
            &people,
            "training/record_briefing",
            &[
                ("held_on", "02/09/2025"),
                ("title", "Autumn safeguarding update"),
                ("led_by", "Dee Esel"),
                ("requirement_id", &requirement),
                (&dsl_box, "on"),
                ("departments[d0]", "Care"),
            ],
            "/training/briefings/new",
        )
        .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let to = location(&r);
    assert!(
        to.starts_with("/training/briefings/") && to.ends_with("?done=recorded"),
        "{to}"
    );
    assert_eq!(
        attended(&app).await,
        ["dsl@demo.test", "manager@demo.test", "staff@demo.test"],
        "the ticked person and the whole department, nobody else"
    );
    assert_eq!(written(&app).await, (1, 3));
    // The briefing's page lists who attended; the list counts them.
    let (status, html) = app.page(&people, &app.path_of(&to)).await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    assert!(text.contains("Briefing recorded."), "{text}");
    assert!(
        text.contains("Attended (3)") && text.contains("Dee Esel"),
        "{text}"
    );
    assert!(
        text.contains("staff@demo.test") && !text.contains("tutor@demo.test"),
        "{text}"
    );
    let list: Value = app
        .call(&people, "training/briefings", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["attendees"], 3);
    assert_eq!(list[0]["held_on"], "2025-09-02");
    let (_, html) = app.page(&people, "/training/briefings").await;
    assert!(visible_text(&html).contains("Autumn safeguarding update"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'training.briefing_recorded'")
            .await,
        1
    );
    // The briefing itself cannot be changed: its attendees' completions are corrected.
    let changed = sqlx::query("UPDATE training_briefings SET title = 'x'")
        .execute(&app.db)
        .await;
    assert!(changed.is_err(), "briefings are append-only");
}

#[tokio::test]
async fn anyone_not_staff_of_the_organisation_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let requirement = requirement_id(&app, "demo", "safeguarding-update").await;
    let tutor = format!("attendees[p-{}]", app.user_id("tutor@demo.test").await);
    let people = app.signed_in(PEOPLE).await;
    for outsider in [OTHER_ADMIN, OTHER_LEARNER, "learner@demo.test"] {
        let other = format!("attendees[p-{}]", app.user_id(outsider).await);
        let r = record(
            &app,
            &people,
            &[(&tutor, "on"), (&other, "on")],
            &requirement,
        )
        .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{outsider}");
        let message = app_error(r).await.to_string();
        assert!(
            message.contains(
                "1 of the people ticked is not staff of your organisation. Nothing was recorded"
            ),
            "{message}"
        );
        assert_eq!(written(&app).await, (0, 0), "{outsider}");
    }
    // A made-up id too.
    let r = record(
        &app,
        &people,
        &[("attendees[p-nobody]", "on")],
        &requirement,
    )
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(written(&app).await, (0, 0));
}

/// Fields to change, the requirement chosen, and what the message must say.
type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);

#[tokio::test]
async fn each_bad_field_gets_its_own_message_and_nothing_is_written() {
    let app = spawn_app().await;
    let briefing = requirement_id(&app, "demo", "safeguarding-update").await;
    let course = requirement_id(&app, "demo", "prevent-awareness").await;
    let theirs = requirement_id(&app, "other", "safeguarding-update").await;
    let tutor = format!("attendees[p-{}]", app.user_id("tutor@demo.test").await);
    let people = app.signed_in(PEOPLE).await;
    let ticked = [(tutor.as_str(), "on")];
    let cases: Vec<Case> = vec![
        (
            vec![("held_on", "01/01/2099")],
            briefing.as_str(),
            "cannot be in the future",
        ),
        (
            vec![("held_on", "31/02/2025")],
            briefing.as_str(),
            "as a real date",
        ),
        (vec![("title", "  ")], briefing.as_str(), "Enter a title"),
        (vec![("led_by", "")], briefing.as_str(), "Enter who led it"),
        (vec![], course.as_str(), "Choose the requirement"),
        (vec![], theirs.as_str(), "Choose the requirement"),
        (
            vec![("departments[d0]", "Nowhere")],
            briefing.as_str(),
            "no department \"Nowhere\"",
        ),
    ];
    for (fields, requirement, expected) in cases {
        let mut form: Vec<(&str, &str)> = vec![
            ("held_on", "02/09/2025"),
            ("title", "Update"),
            ("led_by", "Dee"),
            ("requirement_id", requirement),
        ];
        form.retain(|(n, _)| !fields.iter().any(|(f, _)| f == n));
        form.extend(fields.iter().copied());
        form.extend_from_slice(&ticked);
        let r = app.call(&people, "training/record_briefing", &form).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{expected}");
        let message = app_error(r).await.to_string();
        assert!(message.contains(expected), "{expected}: {message}");
    }
    // Nobody ticked.
    let r = record(&app, &people, &[], &briefing).await;
    assert!(app_error(r)
        .await
        .to_string()
        .contains("Tick at least one person"));
    assert_eq!(written(&app).await, (0, 0));
}

#[tokio::test]
async fn the_attendee_list_is_grouped_and_filtered_without_javascript() {
    let app = spawn_app().await;
    place(&app, "staff@demo.test", "Care", None).await;
    place(&app, "tutor@demo.test", "Maths", None).await;
    let people = app.signed_in(PEOPLE).await;
    let staff = app.user_id("staff@demo.test").await;
    let tutor = app.user_id("tutor@demo.test").await;
    let (status, html) = app.page(&people, "/training/briefings/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("name=\"attendees[p-{staff}]\"")));
    assert!(html.contains(&format!("name=\"attendees[p-{tutor}]\"")));
    assert!(html.contains("Everyone in Care") && html.contains("Everyone in Maths"));
    assert!(
        !html.contains("learner@demo.test"),
        "learners are not staff"
    );
    // By name: the tutor only; every department keeps its whole box.
    let (_, html) = app.page(&people, "/training/briefings/new?q=TUTOR").await;
    assert!(html.contains(&format!("name=\"attendees[p-{tutor}]\"")));
    assert!(!html.contains(&format!("name=\"attendees[p-{staff}]\"")));
    assert!(html.contains("Everyone in Care"));
    assert!(visible_text(&html).contains("1 person shown."));
    // By department.
    let (_, html) = app
        .page(&people, "/training/briefings/new?department=Care")
        .await;
    assert!(html.contains(&format!("name=\"attendees[p-{staff}]\"")));
    assert!(!html.contains(&format!("name=\"attendees[p-{tutor}]\"")));
    // Only requirements met by a briefing are offered.
    assert!(html.contains("Annual safeguarding and online safety update"));
    assert!(!html.contains("Prevent awareness"));
}

#[tokio::test]
async fn only_people_and_administrators_of_the_organisation_record_briefings() {
    let app = spawn_app().await;
    add_person(
        &app,
        "demo",
        "manager2@demo.test",
        "Mo Second",
        Role::Manager,
    )
    .await;
    let requirement = requirement_id(&app, "demo", "safeguarding-update").await;
    let tutor = format!("attendees[p-{}]", app.user_id("tutor@demo.test").await);
    let people = app.signed_in(PEOPLE).await;
    let r = record(&app, &people, &[(&tutor, "on")], &requirement).await;
    let id: String = r.json().await.unwrap();
    let one = format!("/training/briefings/{id}");
    let pages = [
        "/training/briefings",
        "/training/briefings/new",
        one.as_str(),
    ];
    let mut emails: Vec<String> = Role::ALL
        .iter()
        .map(|r| format!("{}@demo.test", r.as_str()))
        .collect();
    emails.push("manager2@demo.test".into());
    for email in &emails {
        let client = app.signed_in(email).await;
        let allowed = email.starts_with("people@") || email.starts_with("admin@");
        let expected = if allowed {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        for path in pages {
            let (status, _) = app.page(&client, path).await;
            assert_eq!(status, expected, "{email} {path}");
        }
        for (function, form) in [
            ("training/briefing_form", vec![]),
            ("training/briefings", vec![]),
            ("training/briefing", vec![("briefing_id", id.as_str())]),
        ] {
            let r = app.call(&client, function, &form).await;
            assert_eq!(r.status(), expected, "{email} {function}");
        }
        let r = record(&app, &client, &[(&tutor, "on")], &requirement).await;
        let expected = if allowed {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(r.status(), expected, "{email} records");
    }
    assert_eq!(
        written(&app).await,
        (3, 3),
        "the People department's and the admin's"
    );
    // Another organisation's administrator: not found, sees none of ours, and cannot
    // record for our people or against our requirement.
    let other = app.signed_in(OTHER_ADMIN).await;
    let (status, _) = app.page(&other, &one).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = app
        .call(&other, "training/briefing", &[("briefing_id", &id)])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let list: Value = app
        .call(&other, "training/briefings", &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().map(Vec::len), Some(0));
    let (_, html) = app.page(&other, "/training/briefings/new").await;
    assert!(!html.contains("demo.test"));
    let r = record(&app, &other, &[(&tutor, "on")], &requirement).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let theirs = requirement_id(&app, "other", "safeguarding-update").await;
    let r = record(&app, &other, &[(&tutor, "on")], &theirs).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // Signed out: 401 for the functions, sign in for the pages.
    let anon = browser();
    for path in pages {
        let r = app.get(&anon, path).await;
        assert!(location(&r).starts_with("/login?next="), "{path}");
    }
    let r = record(&app, &anon, &[(&tutor, "on")], &requirement).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(written(&app).await, (3, 3));
}

//! The People department's side of the staff reminders over HTTP, on SQLite and
//! PostgreSQL: the reminder log here (each email's state from its outbox row, filters by
//! person and by week, paging, only the organisation's own, who may read it); the
//! settings and the dashboard's "Reminders" section in `reminder_log/settings.rs`. Rows
//! are written directly, as the daily run would write them.

use crate::helpers::*;
use app::admin::queries as org_queries;
use app::auth::Role;
use app::db;
use app::ids::OrganisationId;
use app::mail::Email;
use chrono::{DateTime, Duration, TimeZone, Utc};
use reqwest::{Client, StatusCode};

mod settings;

const PEOPLE: &str = "people@demo.test";
const SETTINGS: &str = "/training/reminders/settings";

async fn org_id(app: &TestApp, slug: &str) -> OrganisationId {
    org_queries::organisation_by_slug(&app.db, slug)
        .await
        .expect("query")
        .expect("organisation exists")
        .id
}

fn utc(d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, d, h, min, 0)
        .single()
        .expect("a time")
}

/// A reminder as the daily run records it: its email queued in the outbox and its log row
/// in one transaction. Returns the outbox row's id.
async fn remind(app: &TestApp, org: &str, to: &str, kind: &str, queued: DateTime<Utc>) -> String {
    let org_id = org_id(app, org).await;
    let recipient = app.user_id(to).await;
    let mut tx = app.db.begin().await.expect("transaction");
    let email = Email {
        to: to.to_string(),
        subject: "Your training".into(),
        text: "Please do your training.".into(),
        html: "<p>Please do your training.</p>".into(),
    };
    let outbox_id = app::mail::enqueue(&mut tx, &app.config.secret_key, Some(&org_id), &email)
        .await
        .expect("queued");
    let day = queued.date_naive();
    sqlx::query(
        "INSERT INTO reminder_log (id, org_id, recipient_id, kind, day, week, summary, outbox_id, queued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(db::new_id())
    .bind(&org_id)
    .bind(&recipient)
    .bind(kind)
    .bind(app::calendar::day_key(day))
    .bind(app::calendar::iso_week_key(day))
    .bind(format!("Summary for {to}"))
    .bind(&outbox_id)
    .bind(db::timestamp(queued))
    .execute(&mut *tx)
    .await
    .expect("logged");
    tx.commit().await.expect("commit");
    outbox_id.to_string()
}

async fn run(app: &TestApp, sql: &str, id: &str) {
    sqlx::query(sql)
        .bind(id)
        .execute(&app.db)
        .await
        .expect("update");
}

async fn read(app: &TestApp, client: &Client, path: &str) -> String {
    let (status, html) = app.page(client, path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    visible_text(&html)
}

#[tokio::test]
async fn the_log_says_where_each_reminder_stands_from_its_outbox_row() {
    let app = spawn_app().await;
    let waiting = remind(&app, "demo", "staff@demo.test", "staff", utc(2, 8, 1)).await;
    let sent = remind(
        &app,
        "demo",
        "manager@demo.test",
        "manager-digest",
        utc(2, 8, 2),
    )
    .await;
    let retrying = remind(&app, "demo", "tutor@demo.test", "staff", utc(2, 8, 3)).await;
    let failed = remind(&app, "demo", "dsl@demo.test", "staff", utc(2, 8, 4)).await;
    let purged = remind(&app, "demo", PEOPLE, "people-digest", utc(2, 8, 5)).await;
    remind(&app, "other", OTHER_ADMIN, "people-digest", utc(2, 8, 6)).await;
    run(
        &app,
        "UPDATE outbox SET sent_at = '2026-12-02T08:10:00.000000Z', attempts = 1 WHERE id = $1",
        &sent,
    )
    .await;
    run(&app, "UPDATE outbox SET attempts = 3, next_attempt_at = '2030-01-15T09:15:00.000000Z', last_error = '421 try again later' WHERE id = $1", &retrying).await;
    run(&app, "UPDATE outbox SET attempts = 10, failed_at = '2026-12-02T20:00:00.000000Z', last_error = '550 mailbox unavailable' WHERE id = $1", &failed).await;
    run(&app, "DELETE FROM outbox WHERE id = $1", &purged).await;
    let _ = waiting;

    for reader in [PEOPLE, "admin@demo.test"] {
        let client = app.signed_in(reader).await;
        let text = read(&app, &client, "/training/reminders").await;
        assert!(text.contains("5 reminders"), "{reader}: {text}");
        let rows = [
            "2 Dec 2026, 08:05 Morgan People people@demo.test Only their reminders (Morgan People) Weekly escalation to the People department Summary for people@demo.test Sent (details removed after 30 days)",
            "2 Dec 2026, 08:04 Chris Safeguarding dsl@demo.test Only their reminders (Chris Safeguarding) Reminder to a member of staff Summary for dsl@demo.test Failed: gave up after 10 tries. Last error: 550 mailbox unavailable",
            "2 Dec 2026, 08:03 Sam Tutor tutor@demo.test Only their reminders (Sam Tutor) Reminder to a member of staff Summary for tutor@demo.test Not sent yet: tried 3 times, trying again at 15 Jan 2030, 09:15. Last error: 421 try again later",
            "2 Dec 2026, 08:02 Priya Manager manager@demo.test Only their reminders (Priya Manager) Weekly digest to a line manager Summary for manager@demo.test Sent 2 Dec 2026, 08:10",
            "2 Dec 2026, 08:01 Jordan Staff staff@demo.test Only their reminders (Jordan Staff) Reminder to a member of staff Summary for staff@demo.test Waiting to be sent",
        ];
        let mut from = 0;
        for row in rows {
            let at = text[from..]
                .find(row)
                .unwrap_or_else(|| panic!("{reader}: newest first, {row}\nin {text}"));
            from += at + row.len();
        }
        assert!(!text.contains("other.test"), "{reader}: {text}");
    }
    // Each person links to their training.
    let people = app.signed_in(PEOPLE).await;
    let (_, html) = app.page(&people, "/training/reminders").await;
    let staff = app.user_id("staff@demo.test").await;
    assert!(html.contains(&format!("href=\"/training/people/{staff}\"")));
    assert!(html.contains(&format!("href=\"/training/reminders?person_id={staff}\"")));

    // The other organisation sees its own reminder only, even asking for a demo person.
    let other = app.signed_in(OTHER_ADMIN).await;
    let text = read(&app, &other, "/training/reminders").await;
    assert!(
        text.contains("1 reminder ") && text.contains("Olu Other"),
        "{text}"
    );
    assert!(!text.contains("demo.test"), "{text}");
    let r = app
        .call(&other, "reminders/log", &[("person_id", &staff)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let log: serde_json::Value = r.json().await.expect("JSON");
    assert_eq!(log["lines"].as_array().map(Vec::len), Some(0), "{log}");
}

#[tokio::test]
async fn only_the_people_department_and_administrators_read_the_log_and_settings() {
    let app = spawn_app().await;
    remind(&app, "demo", "staff@demo.test", "staff", utc(2, 8, 1)).await;
    for role in Role::ALL {
        let client = app.signed_in(&format!("{}@demo.test", role.as_str())).await;
        let allowed = matches!(role, Role::People | Role::Admin);
        let expected = if allowed {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        for path in ["/training/reminders", SETTINGS] {
            let (status, html) = app.page(&client, path).await;
            assert_eq!(status, expected, "{role:?} {path}");
            assert_eq!(html.contains("Summary for"), allowed && path != SETTINGS);
        }
        for function in ["reminders/log", "reminders/settings"] {
            let r = app.call(&client, function, &[]).await;
            assert_eq!(r.status(), expected, "{role:?} {function}");
        }
    }
    let signed_out = browser();
    let r = app.get(&signed_out, "/training/reminders").await;
    assert_eq!(r.status(), StatusCode::FOUND);
    assert!(location(&r).starts_with("/login?next="));
    let r = app.call(&signed_out, "reminders/log", &[]).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_log_filters_by_person_and_by_week_and_pages() {
    let app = spawn_app().await;
    // Week 49 (Wednesday 2 December) and week 50 (Monday 7 December).
    remind(&app, "demo", "staff@demo.test", "staff", utc(2, 8, 0)).await;
    remind(
        &app,
        "demo",
        "manager@demo.test",
        "manager-digest",
        utc(2, 8, 1),
    )
    .await;
    remind(&app, "demo", "staff@demo.test", "staff", utc(7, 8, 0)).await;
    let people = app.signed_in(PEOPLE).await;
    let staff = app.user_id("staff@demo.test").await;

    for (query, count, shown, hidden) in [
        (
            "person=jordan",
            "2 reminders",
            "Jordan Staff",
            "Priya Manager",
        ),
        (
            "person=MANAGER%40demo",
            "1 reminder ",
            "Priya Manager",
            "Jordan Staff",
        ),
        ("week=2026-W50", "1 reminder ", "7 Dec 2026", "2 Dec 2026"),
        (
            "week=2026-W49&person=priya",
            "1 reminder ",
            "Priya Manager",
            "Jordan Staff",
        ),
    ] {
        let text = read(&app, &people, &format!("/training/reminders?{query}")).await;
        assert!(text.contains(count), "{query}: {text}");
        assert!(text.contains(shown), "{query}: {text}");
        assert!(!text.contains(hidden), "{query}: {text}");
    }
    let text = read(
        &app,
        &people,
        &format!("/training/reminders?person_id={staff}"),
    )
    .await;
    assert!(text.contains("2 reminders"), "{text}");
    assert!(
        text.contains("Only the reminders to Jordan Staff."),
        "{text}"
    );
    assert!(!text.contains("Priya Manager"), "{text}");

    // A bad week is said and left out: everything is listed.
    for bad in ["2026-W60", "last week", "2027-W53"] {
        let path = format!("/training/reminders?week={}", bad.replace(' ', "+"));
        let text = read(&app, &people, &path).await;
        assert!(text.contains("is not a week"), "{bad}: {text}");
        assert!(text.contains("like 2026-W49"), "{bad}: {text}");
        assert!(text.contains("3 reminders"), "{bad}: {text}");
    }
    // A search with wildcards is taken literally.
    let text = read(&app, &people, "/training/reminders?person=%25").await;
    assert!(text.contains("0 reminders"), "{text}");

    // 50 a page: 51 reminders make two pages.
    for n in 0..48 {
        remind(&app, "demo", "tutor@demo.test", "staff", utc(1, 9, n)).await;
    }
    let text = read(&app, &people, "/training/reminders").await;
    assert!(
        text.contains("Showing 1 to 50 of 51 (page 1 of 2)"),
        "{text}"
    );
    assert!(text.contains("7 Dec 2026"), "the newest is on page one");
    let text = read(&app, &people, "/training/reminders?page=2").await;
    assert!(text.contains("Showing 51 to 51 of 51"), "{text}");
    assert!(
        text.contains("1 Dec 2026, 09:00"),
        "the oldest is last: {text}"
    );
}

//! Staff records and line managers: saving and reading back, every refusal changing
//! nothing, loops, leavers, the exceptions list, employee numbers per organisation, the
//! pages, and the audit log.

use crate::helpers::*;
use app::auth::Role;
use reqwest::{Client, StatusCode};
use serde_json::Value;

const PEOPLE: &str = "people@demo.test";

/// A new person of an organisation with one role: their id.
async fn add_person(app: &TestApp, org: &str, email: &str, name: &str, role: Role) -> String {
    let org = app::admin::queries::organisation_by_slug(&app.db, org)
        .await
        .unwrap()
        .unwrap();
    let mut conn = app.db.acquire().await.unwrap();
    let id = app::admin::queries::insert_user(&mut conn, &org.id, email, name, None)
        .await
        .unwrap();
    app::admin::queries::add_role(&mut conn, &org.id, &id, role)
        .await
        .unwrap();
    id.to_string()
}

/// A save as a program would call it: the form's fields, with these overriding blanks.
async fn save(
    app: &TestApp,
    client: &Client,
    person: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = vec![
        ("person_id", person),
        ("employee_number", ""),
        ("job_title", ""),
        ("department", ""),
        ("start_date", ""),
        ("line_manager_id", ""),
        ("leaving_date", ""),
    ];
    for (name, value) in fields {
        if let Some(slot) = form.iter_mut().find(|(n, _)| n == name) {
            slot.1 = value;
        }
    }
    app.call(client, "staff/save_record", &form).await
}

async fn saved(app: &TestApp, client: &Client, person: &str, fields: &[(&str, &str)]) {
    let r = save(app, client, person, fields).await;
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    assert!(
        status.is_success() || status == StatusCode::FOUND,
        "saving {fields:?}: {status} {body}"
    );
}

/// Refused with a 400 whose message contains every one of `words`.
async fn refused(
    app: &TestApp,
    client: &Client,
    person: &str,
    fields: &[(&str, &str)],
    words: &[&str],
) {
    let r = save(app, client, person, fields).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{fields:?}");
    let message = app_error(r).await.to_string();
    for word in words {
        assert!(message.contains(word), "{fields:?}: {message}");
    }
}

/// A refused save: whose record, the fields sent, words the message must hold.
type Refusal<'a> = (&'a str, Vec<(&'a str, &'a str)>, Vec<&'a str>);

/// A stored record's columns.
type Stored = (
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Every stored record and the audit rows, to show a refusal changed nothing.
async fn snapshot(app: &TestApp) -> (Vec<Vec<Option<String>>>, i64) {
    let rows: Vec<Stored> = sqlx::query_as(
        "SELECT user_id, employee_number, job_title, department, start_date,
                line_manager_id, leaving_date FROM staff_records ORDER BY user_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let rows = rows
        .into_iter()
        .map(|r| vec![Some(r.0), r.1, Some(r.2), Some(r.3), r.4, r.5, r.6])
        .collect();
    (rows, audit_rows(app).await)
}

async fn audit_rows(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'staff.record_changed'")
        .await
}

async fn record(app: &TestApp, client: &Client, person: &str) -> Value {
    let r = app
        .call(client, "staff/record", &[("person_id", person)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn list(app: &TestApp, client: &Client, show: &str) -> Vec<String> {
    let r = app.call(client, "staff/list", &[("show", show)]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["full_name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_record_is_saved_read_back_listed_and_audited() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let staff = app.user_id("staff@demo.test").await;
    let manager = app.user_id("manager@demo.test").await;
    saved(
        &app,
        &people,
        &staff,
        &[
            ("employee_number", " E1001 "),
            ("job_title", "Assessor"),
            ("department", "Apprenticeships"),
            ("start_date", "02/09/2024"),
            ("line_manager_id", &manager),
        ],
    )
    .await;
    let got = record(&app, &people, &staff).await;
    let r = &got["record"];
    assert_eq!(r["employee_number"], "E1001");
    assert_eq!(r["job_title"], "Assessor");
    assert_eq!(r["department"], "Apprenticeships");
    assert_eq!(r["start_date"], "2024-09-02", "stored as a calendar day");
    assert_eq!(r["line_manager_id"], manager.as_str());
    assert_eq!(r["leaving_date"], Value::Null);
    let choices: Vec<&str> = got["managers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap())
        .collect();
    assert!(choices.contains(&"manager@demo.test"));
    assert!(
        !choices.contains(&"staff@demo.test"),
        "not their own manager"
    );
    assert!(
        !choices.contains(&"learner@demo.test"),
        "learners are not staff"
    );

    // The audit row names the fields, not their values.
    let (detail,): (String,) = sqlx::query_as(
        "SELECT detail FROM audit_events WHERE action = 'staff.record_changed' AND subject_id = $1",
    )
    .bind(&staff)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(detail.starts_with("created:"), "{detail}");
    assert!(detail.contains("job title") && detail.contains("line manager"));
    assert!(!detail.contains("Assessor") && !detail.contains("E1001"));

    // ISO dates too; a change lists only what changed.
    saved(
        &app,
        &people,
        &staff,
        &[
            ("employee_number", "E1001"),
            ("job_title", "Lead assessor"),
            ("department", "Apprenticeships"),
            ("start_date", "2024-09-02"),
            ("line_manager_id", &manager),
        ],
    )
    .await;
    assert_eq!(audit_rows(&app).await, 2);
    let (detail,): (String,) = sqlx::query_as(
        "SELECT detail FROM audit_events WHERE action = 'staff.record_changed' ORDER BY at DESC",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(detail, "changed: job title");

    // Listed on the staff page with the manager's name; the learner is not staff.
    let (status, html) = app.page(&people, "/staff").await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    assert!(text.contains("Lead assessor") && text.contains("Apprenticeships"));
    assert!(text.contains("Priya Manager") && text.contains("2 September 2024"));
    assert!(!text.contains("Alex Learner"), "{text}");
    let (status, html) = app.page(&people, &format!("/staff/{staff}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("value=\"02/09/2024\""));
    assert!(html.contains("value=\"Lead assessor\""));
}

#[tokio::test]
async fn every_refusal_is_specific_and_changes_nothing() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let staff = app.user_id("staff@demo.test").await;
    let manager = app.user_id("manager@demo.test").await;
    let tutor = app.user_id("tutor@demo.test").await;
    let learner = app.user_id("learner@demo.test").await;
    let other = app.user_id(OTHER_ADMIN).await;
    saved(&app, &people, &tutor, &[("leaving_date", "01/01/2020")]).await;
    saved(
        &app,
        &people,
        &staff,
        &[("job_title", "Assessor"), ("line_manager_id", &manager)],
    )
    .await;
    saved(
        &app,
        &people,
        &manager,
        &[("job_title", "Head of delivery")],
    )
    .await;
    let before = snapshot(&app).await;
    let long = "x".repeat(201);
    let cases: Vec<Refusal> = vec![
        (
            &staff,
            vec![("start_date", "31/02/2024")],
            vec!["start date"],
        ),
        (
            &staff,
            vec![("leaving_date", "next week")],
            vec!["leaving date"],
        ),
        (
            &staff,
            vec![("start_date", "02/09/2024"), ("leaving_date", "2024-08-31")],
            vec![
                "31 August 2024",
                "2 September 2024",
                "before the start date",
            ],
        ),
        (&staff, vec![("job_title", &long)], vec!["job title", "200"]),
        (
            &staff,
            vec![("department", &long)],
            vec!["department", "200"],
        ),
        (
            &staff,
            vec![("employee_number", &long)],
            vec!["employee number", "200"],
        ),
        (
            &learner,
            vec![("job_title", "Tutor")],
            vec!["Alex Learner", "learner"],
        ),
        (
            &staff,
            vec![("line_manager_id", &learner)],
            vec!["Alex Learner", "not a member of staff"],
        ),
        (
            &staff,
            vec![("line_manager_id", &other)],
            vec!["not in your organisation"],
        ),
        (
            &staff,
            vec![("line_manager_id", &tutor)],
            vec!["Sam Tutor", "left on 1 January 2020"],
        ),
        (
            &staff,
            vec![("line_manager_id", &staff)],
            vec!["Jordan Staff", "own line manager"],
        ),
        // The manager managed by the person they manage: a loop of two.
        (
            &manager,
            vec![("line_manager_id", &staff)],
            vec!["loop", "Priya Manager", "Jordan Staff"],
        ),
    ];
    for (person, fields, words) in cases {
        refused(&app, &people, person, &fields, &words).await;
    }
    // Someone of another organisation, by their real id: not found.
    let r = save(&app, &people, &other, &[("job_title", "Spy")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(snapshot(&app).await, before, "nothing changed");
}

#[tokio::test]
async fn a_loop_through_three_people_is_refused_naming_them() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let a = add_person(&app, "demo", "ana@demo.test", "Ana One", Role::Staff).await;
    let b = add_person(&app, "demo", "ben@demo.test", "Ben Two", Role::Staff).await;
    let c = add_person(&app, "demo", "cat@demo.test", "Cat Three", Role::Manager).await;
    saved(&app, &people, &a, &[("line_manager_id", &b)]).await;
    saved(&app, &people, &b, &[("line_manager_id", &c)]).await;
    let before = snapshot(&app).await;
    refused(
        &app,
        &people,
        &c,
        &[("line_manager_id", &a)],
        &[
            "Cat Three would be managed by Ana One, who is managed by Ben Two, who is managed by Cat Three",
        ],
    )
    .await;
    assert_eq!(snapshot(&app).await, before);
}

#[tokio::test]
async fn a_leaver_cannot_be_chosen_and_their_reports_become_exceptions() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let staff = app.user_id("staff@demo.test").await;
    let manager = app.user_id("manager@demo.test").await;
    let tutor = app.user_id("tutor@demo.test").await;
    let dsl = app.user_id("dsl@demo.test").await;
    let admin = app.user_id("admin@demo.test").await;
    let people_id = app.user_id(PEOPLE).await;
    // Everyone managed by the administrator, who has none; the tutor by the manager.
    for id in [&staff, &dsl, &people_id, &manager] {
        saved(&app, &people, id, &[("line_manager_id", &admin)]).await;
    }
    saved(&app, &people, &tutor, &[("line_manager_id", &manager)]).await;
    assert_eq!(
        list(&app, &people, "exceptions").await,
        vec!["Taylor Admin"]
    );

    // The manager leaves (today counts as left): the tutor becomes an exception, the
    // manager, who has left, does not.
    let today = app::calendar::day_key(app::calendar::today());
    saved(
        &app,
        &people,
        &manager,
        &[("line_manager_id", &admin), ("leaving_date", &today)],
    )
    .await;
    assert_eq!(
        list(&app, &people, "exceptions").await,
        vec!["Sam Tutor", "Taylor Admin"]
    );
    let listed = list(&app, &people, "").await;
    assert_eq!(listed.len(), 6, "all six staff: {listed:?}");
    // Not among the choices, and refused when chosen.
    let choices = record(&app, &people, &staff).await;
    assert!(!choices["managers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == manager.as_str()));
    let before = snapshot(&app).await;
    refused(
        &app,
        &people,
        &staff,
        &[("line_manager_id", &manager)],
        &["Priya Manager", "left on"],
    )
    .await;
    assert_eq!(snapshot(&app).await, before);
    // The tutor's record still shows them, marked, and keeps them until changed.
    let tutor_form = record(&app, &people, &tutor).await;
    assert_eq!(tutor_form["manager_left"][0], "Priya Manager");
    saved(
        &app,
        &people,
        &tutor,
        &[("line_manager_id", &manager), ("job_title", "Tutor")],
    )
    .await;
    let (_, html) = app.page(&people, "/staff?show=exceptions").await;
    let text = visible_text(&html);
    assert!(
        text.contains("Sam Tutor") && text.contains("(left on"),
        "{text}"
    );
    assert!(text.contains("No line manager"));
    // A new manager clears the exception.
    saved(&app, &people, &tutor, &[("line_manager_id", &dsl)]).await;
    assert_eq!(
        list(&app, &people, "exceptions").await,
        vec!["Taylor Admin"]
    );
}

#[tokio::test]
async fn reports_of_a_manager_who_is_no_longer_staff_become_exceptions() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let org = app::admin::queries::organisation_by_slug(&app.db, "demo")
        .await
        .unwrap()
        .unwrap();
    let admin = app.user_id("admin@demo.test").await;
    let boss = add_person(&app, "demo", "boss@demo.test", "Bea Boss", Role::Manager).await;
    let report = add_person(&app, "demo", "report@demo.test", "Ray Report", Role::Staff).await;
    saved(&app, &people, &boss, &[("line_manager_id", &admin)]).await;
    saved(&app, &people, &report, &[("line_manager_id", &boss)]).await;
    let exceptions = list(&app, &people, "exceptions").await;
    assert!(
        !exceptions.contains(&"Ray Report".to_string()),
        "{exceptions:?}"
    );

    // The manager is made a learner only: their reports have nobody to manage them.
    let boss_id = app::ids::PersonId::from_param(boss.clone());
    let mut conn = app.db.acquire().await.unwrap();
    app::admin::queries::add_role(&mut conn, &org.id, &boss_id, Role::Learner)
        .await
        .unwrap();
    app::admin::queries::remove_role(&mut conn, &org.id, &boss_id, Role::Manager)
        .await
        .unwrap();
    drop(conn);
    assert!(list(&app, &people, "exceptions")
        .await
        .contains(&"Ray Report".to_string()));
    let (_, html) = app.page(&people, "/staff?show=exceptions").await;
    assert!(visible_text(&html).contains("Bea Boss (no longer a member of staff)"));

    // Staff again, then the account closed: an exception again.
    let mut conn = app.db.acquire().await.unwrap();
    app::admin::queries::add_role(&mut conn, &org.id, &boss_id, Role::Manager)
        .await
        .unwrap();
    drop(conn);
    assert!(!list(&app, &people, "exceptions")
        .await
        .contains(&"Ray Report".to_string()));
    let mut conn = app.db.acquire().await.unwrap();
    app::admin::queries::set_deactivated(&mut conn, &org.id, &boss_id, true)
        .await
        .unwrap();
    drop(conn);
    assert!(list(&app, &people, "exceptions")
        .await
        .contains(&"Ray Report".to_string()));
}

#[tokio::test]
async fn an_employee_number_is_unique_in_its_organisation_only() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let staff = app.user_id("staff@demo.test").await;
    let tutor = app.user_id("tutor@demo.test").await;
    saved(&app, &people, &staff, &[("employee_number", "E7")]).await;
    let before = snapshot(&app).await;
    refused(
        &app,
        &people,
        &tutor,
        &[("employee_number", "E7")],
        &["E7", "Jordan Staff"],
    )
    .await;
    assert_eq!(snapshot(&app).await, before);
    // Saving the holder's own record again is fine; so is the number elsewhere.
    saved(
        &app,
        &people,
        &staff,
        &[("employee_number", "E7"), ("job_title", "Assessor")],
    )
    .await;
    let other = app.signed_in(OTHER_ADMIN).await;
    let other_id = app.user_id(OTHER_ADMIN).await;
    saved(&app, &other, &other_id, &[("employee_number", "E7")]).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM staff_records WHERE employee_number = 'E7'")
            .await,
        2
    );
    // Blank numbers never clash.
    saved(&app, &people, &tutor, &[("employee_number", "")]).await;
    let dsl = app.user_id("dsl@demo.test").await;
    saved(&app, &people, &dsl, &[("employee_number", " ")]).await;
}

#[tokio::test]
async fn only_people_and_administrators_of_the_organisation_keep_records() {
    let app = spawn_app().await;
    let staff = app.user_id("staff@demo.test").await;
    let record_page = format!("/staff/{staff}");
    for role in Role::ALL {
        let client = app.signed_in(&format!("{}@demo.test", role.as_str())).await;
        let allowed = matches!(role, Role::People | Role::Admin);
        let r = save(&app, &client, &staff, &[("job_title", role.as_str())]).await;
        let status = r.status();
        if allowed {
            assert!(
                status.is_success() || status == StatusCode::FOUND,
                "{role:?}"
            );
        } else {
            assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}");
        }
        for path in ["/staff", "/staff?show=exceptions", record_page.as_str()] {
            let (status, _) = app.page(&client, path).await;
            let expected = if allowed {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(status, expected, "{role:?} {path}");
        }
    }
    let stored: (String,) =
        sqlx::query_as("SELECT job_title FROM staff_records WHERE user_id = $1")
            .bind(&staff)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(stored.0, "admin", "the last allowed save");
    assert_eq!(audit_rows(&app).await, 2);
    // Another organisation's administrator: not found, and sees none of ours.
    let other = app.signed_in(OTHER_ADMIN).await;
    let (status, _) = app.page(&other, &record_page).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = save(&app, &other, &staff, &[("job_title", "Other")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (_, html) = app.page(&other, "/staff").await;
    assert!(!html.contains("demo.test"));
    // Signed out: 401 for the function, sign in for the page.
    let anon = browser();
    let r = save(&app, &anon, &staff, &[("job_title", "Anon")]).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = app.get(&anon, "/staff").await;
    assert!(location(&r).starts_with("/login?next="));
    assert_eq!(audit_rows(&app).await, 2);
    // The administrator's person page links to the record of staff, not of learners.
    let admin = app.signed_in("admin@demo.test").await;
    let (_, html) = app.page(&admin, &format!("/admin/users/{staff}")).await;
    assert!(html.contains(&format!("href=\"/staff/{staff}\"")));
    let learner = app.user_id("learner@demo.test").await;
    let (_, html) = app.page(&admin, &format!("/admin/users/{learner}")).await;
    assert!(!html.contains("href=\"/staff/"));
}

#[tokio::test]
async fn a_refused_record_form_keeps_what_was_typed() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let staff = app.user_id("staff@demo.test").await;
    let manager = app.user_id("manager@demo.test").await;
    let page = format!("/staff/{staff}");
    let r = app
        .submit(
            &people,
            "staff/save_record",
            &[
                ("person_id", staff.as_str()),
                ("employee_number", "E9"),
                ("job_title", "Typed title"),
                ("department", "Typed department"),
                ("start_date", "31/02/2024"),
                ("line_manager_id", &manager),
                ("leaving_date", ""),
            ],
            &page,
        )
        .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let to = app.path_of(&location(&r));
    assert!(
        to.starts_with(&format!("{page}?")) && to.contains("__err="),
        "{to}"
    );
    let (_, html) = app.page(&people, &to).await;
    assert!(visible_text(&html).contains("Enter the start date as a real date"));
    assert!(html.contains("value=\"Typed title\""));
    assert!(html.contains("value=\"31/02/2024\""));
    assert!(
        html.contains(&format!("value=\"{manager}\" selected")),
        "manager kept"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_records").await, 0);
    // And a success goes back to the record with a notice.
    let r = app
        .submit(
            &people,
            "staff/save_record",
            &[
                ("person_id", staff.as_str()),
                ("employee_number", "E9"),
                ("job_title", "Typed title"),
                ("department", ""),
                ("start_date", "28/02/2024"),
                ("line_manager_id", &manager),
                ("leaving_date", ""),
            ],
            &page,
        )
        .await;
    let to = app.path_of(&location(&r));
    assert_eq!(to, format!("{page}?done=saved"));
    let (_, html) = app.page(&people, &to).await;
    assert!(visible_text(&html).contains("Staff record saved."));
}

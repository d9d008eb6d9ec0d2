//! The inspection evidence pack: the database keeps the history of requirements, staff
//! records, roles and accounts by itself; a past day's pack is rebuilt from it as the
//! records stood at the end of that day (a correction recorded later does not reach
//! back); today's pack agrees with the live statuses; bad days get a message; the CSV is
//! formula-safe; and only People and administrators of the organisation see it. SQLite
//! and PostgreSQL.

use crate::helpers::*;
use app::admin::queries as org_queries;
use app::auth::Role;
use app::ids::{OrganisationId, PersonId};
use app::training::standing::{self, Scope};
use reqwest::StatusCode;

const PEOPLE: &str = "people@demo.test";

async fn org(app: &TestApp, slug: &str) -> OrganisationId {
    org_queries::organisation_by_slug(&app.db, slug)
        .await
        .unwrap()
        .expect("organisation")
        .id
}

async fn exec(app: &TestApp, sql: &str, binds: &[&str]) {
    let mut query = sqlx::query(sql);
    for b in binds {
        query = query.bind(*b);
    }
    query
        .execute(&app.db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The organisation, its requirements and `person` as they would have been since
/// `at` (a stored time): what an organisation that has used the app for months has.
async fn backdate(app: &TestApp, org: &OrganisationId, at: &str) {
    exec(
        app,
        "UPDATE organisations SET created_at = $1 WHERE id = $2",
        &[at, org.as_str()],
    )
    .await;
    exec(
        app,
        "INSERT INTO training_requirement_history (requirement_id, org_id, position, name, level,
             satisfied_by, module_id, document, applies_to, applies_to_values, first_due,
             first_due_days, first_due_on, renews, renew_months, renew_on, window_days,
             grace_in_post_on, grace_until, retired_at, recorded_at)
         SELECT id, org_id, position, name, level, satisfied_by, module_id, document, applies_to,
             applies_to_values, first_due, first_due_days, first_due_on, renews, renew_months,
             renew_on, window_days, grace_in_post_on, grace_until, retired_at, $1
         FROM training_requirements WHERE org_id = $2",
        &[at, org.as_str()],
    )
    .await;
}

/// A member of staff who has been in post since `at`, in `department`.
async fn staff_since(
    app: &TestApp,
    org: &OrganisationId,
    email: &str,
    name: &str,
    at: &str,
    start: &str,
    department: &str,
) -> String {
    let id = add_person(app, "demo", email, name, Role::Staff).await;
    exec(
        app,
        "UPDATE users SET created_at = $1 WHERE id = $2",
        &[at, &id],
    )
    .await;
    exec(
        app,
        "INSERT INTO role_history (user_id, org_id, role, held, recorded_at) VALUES ($1, $2, 'staff', 1, $3)",
        &[&id, org.as_str(), at],
    )
    .await;
    exec(
        app,
        "INSERT INTO staff_record_history (user_id, org_id, job_title, department, start_date, recorded_at)
         VALUES ($1, $2, 'Tutor', $3, $4, $5)",
        &[&id, org.as_str(), department, start, at],
    )
    .await;
    exec(
        app,
        "INSERT INTO staff_records (user_id, org_id, job_title, department, start_date, updated_at)
         VALUES ($1, $2, 'Tutor', $3, $4, $5)",
        &[&id, org.as_str(), department, start, at],
    )
    .await;
    id
}

async fn prevent_id(app: &TestApp, org: &OrganisationId) -> String {
    let (id,): (String,) = sqlx::query_as(
        "SELECT id FROM training_requirements WHERE org_id = $1 AND default_key = 'prevent-awareness'",
    )
    .bind(org.as_str())
    .fetch_one(&app.db)
    .await
    .unwrap();
    id
}

/// A completion row as it would have been recorded at `recorded_at`.
async fn completion(
    app: &TestApp,
    org: &OrganisationId,
    person: &str,
    requirement: &str,
    on: &str,
    recorded_at: &str,
) -> String {
    let id = app::ids::CompletionId::generate().to_string();
    exec(
        app,
        "INSERT INTO training_completions (id, org_id, user_id, requirement_id, completed_on, source, recorded_at)
         VALUES ($1, $2, $3, $4, $5, 'external-course', $6)",
        &[&id, org.as_str(), person, requirement, on, recorded_at],
    )
    .await;
    id
}

async fn pack_text(app: &TestApp, client: &reqwest::Client, on: &str) -> String {
    let (status, html) = app
        .page(client, &format!("/training/evidence?on={on}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{on}");
    visible_text(&html)
}

async fn csv(app: &TestApp, client: &reqwest::Client, on: &str) -> (StatusCode, String, String) {
    let r = app
        .get(client, &format!("/training/evidence.csv?on={on}"))
        .await;
    let status = r.status();
    let disposition = r
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, disposition, r.text().await.unwrap())
}

fn csv_line<'a>(csv: &'a str, name: &str, requirement: &str) -> &'a str {
    csv.lines()
        .find(|l| l.contains(name) && l.contains(requirement))
        .unwrap_or_else(|| panic!("no line for {name} / {requirement} in\n{csv}"))
}

#[tokio::test]
async fn a_past_days_pack_shows_the_records_as_they_stood_that_day() {
    let app = spawn_app().await;
    let demo = org(&app, "demo").await;
    let since = "2026-01-05T09:00:00.000000Z";
    backdate(&app, &demo, since).await;
    let prevent = prevent_id(&app, &demo).await;
    // Prevent awareness: due within 28 days of starting, every 24 months after.
    let pat = staff_since(
        &app,
        &demo,
        "pat@demo.test",
        "Pat Past",
        since,
        "2026-01-05",
        "Care",
    )
    .await;
    let lee = staff_since(
        &app,
        &demo,
        "lee@demo.test",
        "=Lee Leaver",
        since,
        "2026-01-05",
        "Care",
    )
    .await;
    let ola = staff_since(
        &app,
        &demo,
        "ola@demo.test",
        "Ola Overdue",
        since,
        "2026-01-05",
        "Business",
    )
    .await;
    // Pat did it on 20 January, recorded the next day; withdrawn as a mistake today.
    let pats = completion(
        &app,
        &demo,
        &pat,
        &prevent,
        "2026-01-20",
        "2026-01-21T10:00:00.000000Z",
    )
    .await;
    let people_id = app.user_id(PEOPLE).await;
    exec(
        &app,
        "INSERT INTO training_completions (id, org_id, user_id, requirement_id, completed_on, source,
             supersedes, reason, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, NULL, 'correction', $5, 'Recorded against the wrong person.', $6, $7)",
        &[app::ids::CompletionId::generate().as_ref(), demo.as_str(), &pat, &prevent, &pats, &people_id, &app::db::now()],
    )
    .await;
    // Lee's last day was 31 May, recorded on 1 May (the live record says so too; saving
    // it adds today's version to the history).
    exec(
        &app,
        "UPDATE staff_records SET leaving_date = '2026-05-31' WHERE user_id = $1",
        &[&lee],
    )
    .await;
    exec(
        &app,
        "INSERT INTO staff_record_history (user_id, org_id, job_title, department, start_date, leaving_date, recorded_at)
         VALUES ($1, $2, 'Tutor', 'Care', '2026-01-05', '2026-05-31', '2026-05-01T12:00:00.000000Z')",
        &[&lee, demo.as_str()],
    )
    .await;
    // Ola did it only today (recorded today): overdue on 30 June, compliant now.
    completion(&app, &demo, &ola, &prevent, "2026-12-01", &app::db::now()).await;

    let client = app.signed_in(PEOPLE).await;
    let june = pack_text(&app, &client, "30/06/2026").await;
    assert!(
        june.contains("staff training at the end of 30 June 2026"),
        "{june}"
    );
    assert!(
        june.contains("Overdue by 148 days (due 2 Feb 2026)"),
        "Ola: {june}"
    );
    assert!(
        !june.contains("=Lee Leaver"),
        "Lee had left by 30 June: {june}"
    );
    let (status, disposition, june_csv) = csv(&app, &client, "2026-06-30").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        disposition,
        "attachment; filename=\"training-evidence-2026-06-30.csv\""
    );
    assert!(
        csv_line(&june_csv, "Pat Past", "Prevent").contains("Compliant until 20 Jan 2028"),
        "the withdrawal was recorded after 30 June: {june_csv}"
    );
    assert!(csv_line(&june_csv, "Ola Overdue", "Prevent").contains(",Overdue,"));
    assert!(
        csv_line(&june_csv, "'=Lee Leaver", "Prevent").contains("Not required (left)"),
        "a formula-like name starts with an apostrophe: {june_csv}"
    );
    assert!(june_csv
        .lines()
        .all(|l| l.starts_with("As at,") || l.starts_with("2026-06-30,")));

    // Before Lee's leaving day, Lee was overdue too.
    let (_, _, may_csv) = csv(&app, &client, "2026-05-30").await;
    assert!(csv_line(&may_csv, "'=Lee Leaver", "Prevent").contains(",Overdue,"));

    // Today's pack is the live picture: the withdrawal and Ola's course both count.
    let today = app::calendar::today();
    let (_, _, now_csv) = csv(&app, &client, "").await;
    assert!(
        csv_line(&now_csv, "Pat Past", "Prevent").contains(",Overdue,"),
        "{now_csv}"
    );
    assert!(csv_line(&now_csv, "Ola Overdue", "Prevent").contains(",Compliant,"));
    let live = standing::load(&app.db, &demo, Scope::Organisation)
        .await
        .unwrap();
    let rebuilt = standing::load_as_it_stood(&app.db, &demo, today)
        .await
        .unwrap();
    let ids = |s: &standing::Standing| {
        s.staff
            .iter()
            .map(|p| p.id.clone())
            .collect::<Vec<PersonId>>()
    };
    assert_eq!(ids(&live), ids(&rebuilt), "the same staff");
    assert_eq!(
        live.requirements, rebuilt.requirements,
        "the same requirements"
    );
    for ((person, now), (_, then)) in live
        .statuses(today)
        .iter()
        .zip(rebuilt.statuses(today).iter())
    {
        assert_eq!(now, then, "{}", person.name);
    }
}

#[tokio::test]
async fn every_change_leaves_history_and_the_history_cannot_be_rewritten() {
    let app = spawn_app().await;
    let demo = org(&app, "demo").await;
    let people = app.signed_in(PEOPLE).await;
    let sam = add_person(&app, "demo", "sam@demo.test", "Sam Staff", Role::Staff).await;
    let rows = |table: &'static str, id: String| {
        let app = &app;
        async move {
            app.count(&format!(
                "SELECT COUNT(*) FROM {table} WHERE user_id = '{id}'"
            ))
            .await
        }
    };
    assert_eq!(rows("role_history", sam.clone()).await, 1, "the role given");
    let r = app
        .call(
            &people,
            "staff/save_record",
            &[
                ("person_id", &sam),
                ("employee_number", ""),
                ("job_title", "Assessor"),
                ("department", "Care"),
                ("start_date", "01/09/2026"),
                ("line_manager_id", ""),
                ("leaving_date", ""),
            ],
        )
        .await;
    assert!(
        r.status().is_success() || r.status() == StatusCode::FOUND,
        "{}",
        r.status()
    );
    assert_eq!(rows("staff_record_history", sam.clone()).await, 1);
    let mut conn = app.db.acquire().await.unwrap();
    let sam_id = PersonId::from_param(sam.clone());
    org_queries::add_role(&mut conn, &demo, &sam_id, Role::Dsl)
        .await
        .unwrap();
    org_queries::remove_role(&mut conn, &demo, &sam_id, Role::Dsl)
        .await
        .unwrap();
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM role_history WHERE user_id = '{sam}' AND role = 'dsl' AND held = 0")).await,
        1,
        "a role taken away"
    );
    org_queries::set_deactivated(&mut conn, &demo, &sam_id, true)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(rows("account_history", sam.clone()).await, 1);
    let before = app
        .count("SELECT COUNT(*) FROM training_requirement_history")
        .await;
    exec(&app, "UPDATE training_requirements SET name = 'Prevent' WHERE org_id = $1 AND default_key = 'prevent-awareness'", &[demo.as_str()]).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM training_requirement_history")
            .await,
        before + 1
    );

    for table in [
        "training_requirement_history",
        "staff_record_history",
        "role_history",
        "account_history",
    ] {
        for sql in [
            format!("UPDATE {table} SET recorded_at = recorded_at"),
            format!("DELETE FROM {table}"),
        ] {
            assert!(
                sqlx::query(&sql).execute(&app.db).await.is_err(),
                "{sql} is refused"
            );
        }
    }
}

#[tokio::test]
async fn a_day_that_cannot_be_shown_gets_a_message_and_only_people_and_admins_see_packs() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let tomorrow = app::calendar::today()
        .succ_opt()
        .unwrap()
        .format("%d/%m/%Y")
        .to_string();
    for (on, words) in [
        (tomorrow.as_str(), "has not come yet"),
        ("2001-01-01", "records begin on"),
        ("31/02/2026", "Give the day as"),
        ("yesterday", "Give the day as"),
        ("%00%1b2026-01-01", "Give the day as"),
    ] {
        let text = pack_text(&app, &people, on).await;
        assert!(text.contains(words), "{on}: {text}");
        assert!(
            !text.contains("staff training at the end of"),
            "{on}: no pack"
        );
        let (status, _, body) = csv(&app, &people, on).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{on}");
        assert!(body.contains(words), "{on}: {body}");
    }

    // The other organisation's administrator sees their own staff only.
    add_person(&app, "demo", "sam@demo.test", "Sam Staff", Role::Staff).await;
    let other = app.signed_in(OTHER_ADMIN).await;
    let (status, _, other_csv) = csv(&app, &other, "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        other_csv.contains("Olu Other") && !other_csv.contains("Sam Staff"),
        "{other_csv}"
    );
    let (_, _, demo_csv) = csv(&app, &people, "").await;
    assert!(demo_csv.contains("Sam Staff") && !demo_csv.contains("Olu Other"));

    for (email, allowed) in [
        ("staff@demo.test", false),
        ("manager@demo.test", false),
        ("learner@demo.test", false),
        ("dsl@demo.test", false),
        ("tutor@demo.test", false),
        ("admin@demo.test", true),
        (PEOPLE, true),
    ] {
        let client = app.signed_in(email).await;
        let (status, _, _) = csv(&app, &client, "").await;
        assert_eq!(status.is_success(), allowed, "{email}: CSV {status}");
        let r = app
            .call(&client, "training/evidence_pack", &[("on", "")])
            .await;
        assert_eq!(
            r.status().is_success(),
            allowed,
            "{email}: server function {}",
            r.status()
        );
        if !allowed {
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{email}");
        }
    }
    let anonymous = browser();
    let (status, _, _) = csv(&app, &anonymous, "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let r = app
        .call(&anonymous, "training/evidence_pack", &[("on", "")])
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

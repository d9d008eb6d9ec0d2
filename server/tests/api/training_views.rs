//! The training status views over HTTP, on SQLite and PostgreSQL: "My training", a
//! person's training, "My team" and the People dashboard with its CSV. One small
//! organisation (below) with staff records, line managers and a completion; statuses are
//! checked in the words a person reads. The access matrix is in `training_views/access.rs`,
//! the dashboard and CSV in `training_views/dashboard.rs`.

mod access;
mod dashboard;

use crate::helpers::*;
use app::admin::queries as org_queries;
use app::auth::Role;
use app::db;
use app::ids::{OrganisationId, PersonId};
use app::training::queries::{self as training, NewCompletion};
use app::training::CompletionSource;
use chrono::{Days, Months, NaiveDate};
use reqwest::StatusCode;

pub const TOP: &str = "manager@demo.test";
pub const STAFF: &str = "staff@demo.test";
pub const MID: &str = "mid@demo.test";
pub const DAN: &str = "dan@demo.test";
pub const OONA: &str = "oona@demo.test";
pub const OTHER_PEOPLE: &str = "people@other.test";
pub const FORMULA_NAME: &str = "=HYPERLINK(\"x\")";

/// A day as the pages show it: "20 Nov 2026".
pub fn uk(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

pub fn days_ago(today: NaiveDate, n: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(n)).expect("a day")
}

/// The organisation the tests share (the demo one, with these records added):
///
/// ```text
/// Priya Manager (top) ── Mia Middle (mid) ─┬─ Jordan Staff (staff)
///                     │                    ├─ =HYPERLINK("x") (formula)
///                     │                    └─ Lee Leaver (left yesterday)
///                     └─ Dan Direct (no start date: starts today)
/// Oona Othermanager ── Olly Elsewhere
/// ```
pub struct Org {
    pub today: NaiveDate,
    pub org: OrganisationId,
    pub top: String,
    pub mid: String,
    pub staff: String,
    pub formula: String,
    pub lee: String,
    pub dan: String,
    pub oona: String,
    pub olly: String,
}

#[derive(Default)]
struct Record<'a> {
    started_days_ago: Option<u64>,
    left_days_ago: Option<u64>,
    manager: Option<&'a str>,
    department: &'a str,
    job_title: &'a str,
    employee_number: Option<&'a str>,
}

async fn keep(app: &TestApp, org: &OrganisationId, today: NaiveDate, person: &str, r: Record<'_>) {
    let day = |n: Option<u64>| n.map(|n| app::calendar::day_key(days_ago(today, n)));
    sqlx::query(
        "INSERT INTO staff_records (user_id, org_id, employee_number, job_title, department,
             start_date, line_manager_id, leaving_date, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(person)
    .bind(org.as_str())
    .bind(r.employee_number)
    .bind(r.job_title)
    .bind(r.department)
    .bind(day(r.started_days_ago))
    .bind(r.manager)
    .bind(day(r.left_days_ago))
    .bind(db::now())
    .execute(&app.db)
    .await
    .expect("staff record");
}

pub async fn small_org(app: &TestApp) -> Org {
    let today = app::calendar::today();
    let org = org_queries::organisation_by_slug(&app.db, "demo")
        .await
        .unwrap()
        .expect("demo")
        .id;
    let top = app.user_id(TOP).await;
    let staff = app.user_id(STAFF).await;
    let mid = add_person(app, "demo", MID, "Mia Middle", Role::Manager).await;
    let formula = add_person(app, "demo", "formula@demo.test", FORMULA_NAME, Role::Staff).await;
    let lee = add_person(app, "demo", "lee@demo.test", "Lee Leaver", Role::Staff).await;
    let dan = add_person(app, "demo", DAN, "Dan Direct", Role::Staff).await;
    let oona = add_person(app, "demo", OONA, "Oona Othermanager", Role::Manager).await;
    let olly = add_person(app, "demo", "olly@demo.test", "Olly Elsewhere", Role::Staff).await;
    add_person(app, "other", OTHER_PEOPLE, "Pat Other", Role::People).await;
    let skills = |manager, started, job_title| Record {
        started_days_ago: Some(started),
        manager: Some(manager),
        department: "Skills",
        job_title,
        ..Record::default()
    };
    let rec = |started, department| Record {
        started_days_ago: Some(started),
        department,
        ..Record::default()
    };
    keep(app, &org, today, &top, rec(800, "Leadership")).await;
    keep(app, &org, today, &mid, skills(&top, 400, "Team leader")).await;
    let staff_record = Record {
        employee_number: Some("E100"),
        ..skills(&mid, 40, "Tutor")
    };
    keep(app, &org, today, &staff, staff_record).await;
    keep(app, &org, today, &formula, skills(&mid, 10, "Assessor")).await;
    let leaver = Record {
        left_days_ago: Some(1),
        ..skills(&mid, 300, "Tutor")
    };
    keep(app, &org, today, &lee, leaver).await;
    let direct = Record {
        manager: Some(&top),
        department: "Leadership",
        ..Record::default()
    };
    keep(app, &org, today, &dan, direct).await;
    keep(app, &org, today, &oona, rec(100, "Care")).await;
    let elsewhere = Record {
        manager: Some(&oona),
        ..rec(50, "Care")
    };
    keep(app, &org, today, &olly, elsewhere).await;
    // Jordan did their Prevent course ten days ago.
    let prevent = training::requirements_of(&app.db, &org)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.default_key.as_deref() == Some("prevent-awareness"))
        .expect("the Prevent default");
    let mut tx = db::begin(&app.db).await.unwrap();
    training::record_completion(
        &mut tx,
        &NewCompletion {
            org_id: &org,
            user_id: &PersonId::from_param(staff.clone()),
            requirement_id: &prevent.id,
            completed_on: days_ago(today, 10),
            source: CompletionSource::ExternalCourse,
            reference: None,
            reason: None,
            recorded_by: None,
        },
    )
    .await
    .unwrap()
    .expect("recorded");
    tx.commit().await.unwrap();
    Org {
        today,
        org,
        top,
        mid,
        staff,
        formula,
        lee,
        dan,
        oona,
        olly,
    }
}

/// The id of one of the default requirements, as it appears in an address.
pub async fn requirement_id(app: &TestApp, org: &Org, key: &str) -> String {
    training::requirements_of(&app.db, &org.org)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.default_key.as_deref() == Some(key))
        .expect("a default requirement")
        .id
        .to_string()
        .replace(':', "%3A")
}

/// The page's text after the menu, as a person reads it.
pub async fn read(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let (status, html) = app.page(client, path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    let content = &html[html.find("<h1").expect("a heading")..];
    visible_text(content)
}

#[tokio::test]
async fn my_training_shows_each_status_in_words_and_what_to_do_next() {
    let app = spawn_app().await;
    let org = small_org(&app).await;
    let jordan = app.signed_in(STAFF).await;
    let (status, html) = app.page(&jordan, "/training").await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html[html.find("<h1").unwrap()..]);
    assert!(text.starts_with("My training"), "{text}");

    // Staff online safety: 28 days from a start 40 days ago, never passed.
    let module_due = days_ago(org.today, 12);
    assert!(
        text.contains(&format!("Overdue by 12 days (due {})", uk(module_due))),
        "{text}"
    );
    assert!(html.contains("href=\"/induction/staff-online-safety\""));
    // Prevent: done ten days ago, renewed 24 months after.
    let renewal = days_ago(org.today, 10)
        .checked_add_months(Months::new(24))
        .unwrap();
    assert!(
        text.contains(&format!("Compliant until {}", uk(renewal))),
        "{text}"
    );
    // The yearly update: first due a year after starting, more than 30 days away.
    let yearly = days_ago(org.today, 40)
        .checked_add_days(Days::new(365))
        .unwrap();
    assert!(
        text.contains(&format!("Not yet due: due {}", uk(yearly))),
        "{text}"
    );
    assert!(text.contains("the People department records who attends"));
    // The DSL's requirements are listed apart, as not required.
    let not_required = &text[text.find("Not required (").expect("the list of others")..];
    assert!(not_required.contains("Designated Safeguarding Lead training"));
    assert!(html.contains(&format!("href=\"/training/people/{}/history\"", org.staff)));

    // Dan has no start date: everything is due 28 days from today, "due soon".
    let dan = app.signed_in(DAN).await;
    let (_, html) = app.page(&dan, "/training").await;
    let due = org.today.checked_add_days(Days::new(28)).unwrap();
    assert!(visible_text(&html).contains(&format!("Due soon: due {} (in 28 days)", uk(due))));
    let prevent_id = requirement_id(&app, &org, "prevent-awareness").await;
    assert!(
        html.contains(&format!(
            "href=\"/training/courses/new?requirement={prevent_id}\""
        )),
        "a link to record the external course"
    );
}

#[tokio::test]
async fn a_persons_training_opens_for_their_managers_and_people_in_words() {
    let app = spawn_app().await;
    let org = small_org(&app).await;
    let page = format!("/training/people/{}", org.staff);
    for viewer in [MID, TOP, "people@demo.test", "admin@demo.test"] {
        let client = app.signed_in(viewer).await;
        let text = read(&app, &client, &page).await;
        assert!(
            text.starts_with("Training: Jordan Staff"),
            "{viewer}: {text}"
        );
        assert!(text.contains("Line manager Mia Middle"), "{viewer}: {text}");
        assert!(text.contains("Overdue by 12 days"), "{viewer}");
        assert!(
            text.contains("How it is met"),
            "{viewer}: third person, no links to act"
        );
        assert!(!text.contains("What to do next"), "{viewer}");
    }
    // A leaver: every requirement "not required (left)".
    let mia = app.signed_in(MID).await;
    let text = read(&app, &mia, &format!("/training/people/{}", org.lee)).await;
    assert!(
        text.contains("No training requirements apply to Lee Leaver"),
        "{text}"
    );
    assert!(text.contains("Not required (left)"), "{text}");
    // Their own id is "My training" again.
    let jordan = app.signed_in(STAFF).await;
    assert!(read(&app, &jordan, &page).await.starts_with("My training"));
}

#[tokio::test]
async fn my_team_lists_direct_reports_and_with_all_everyone_below_never_the_manager() {
    let app = spawn_app().await;
    let org = small_org(&app).await;
    let priya = app.signed_in(TOP).await;
    let text = read(&app, &priya, "/team").await;
    assert!(text.contains("2 people"), "{text}");
    for shown in ["Mia Middle", "Dan Direct"] {
        assert!(text.contains(shown), "{shown} in {text}");
    }
    for hidden in ["Priya Manager", "Jordan Staff", "Olly Elsewhere", "Oona"] {
        assert!(!text.contains(hidden), "{hidden} in {text}");
    }
    assert!(text.contains("Overdue:"), "counts at the top: {text}");
    let (_, html) = app.page(&priya, "/team").await;
    assert!(html.contains(&format!("href=\"/training/people/{}\"", org.mid)));
    assert!(
        html.contains("href=\"/team?all=1\""),
        "the toggle is a plain link"
    );

    let text = read(&app, &priya, "/team?all=1").await;
    assert!(text.contains("5 people"), "{text}");
    assert!(text.contains("Not required (left)"));
    let (_, html) = app.page(&priya, "/team?all=1").await;
    for shown in [&org.mid, &org.dan, &org.staff, &org.lee, &org.formula] {
        assert!(listed(&html, shown), "{shown}");
    }
    for hidden in [&org.top, &org.olly, &org.oona] {
        assert!(!listed(&html, hidden), "{hidden}");
    }

    // Another manager sees their own team only; someone with nobody gets a plain message.
    let oona = app.signed_in(OONA).await;
    let text = read(&app, &oona, "/team?all=1").await;
    assert!(
        text.contains("Olly Elsewhere") && !text.contains("Jordan Staff"),
        "{text}"
    );
    let jordan = app.signed_in(STAFF).await;
    let text = read(&app, &jordan, "/team").await;
    assert!(
        text.contains("Nobody has you as their line manager"),
        "{text}"
    );

    // A loop that slipped into the records (Jordan made Priya's manager): the walk
    // still ends, and Priya is never in her own team.
    sqlx::query("UPDATE staff_records SET line_manager_id = $1 WHERE user_id = $2")
        .bind(&org.staff)
        .bind(&org.top)
        .execute(&app.db)
        .await
        .unwrap();
    let text = read(&app, &priya, "/team?all=1").await;
    assert!(text.contains("5 people"), "{text}");
    let (_, html) = app.page(&priya, "/team?all=1").await;
    assert!(!listed(&html, &org.top) && listed(&html, &org.staff));

    // A line manager whose leaving date has come manages nobody any more.
    let mia = app.signed_in(MID).await;
    assert!(read(&app, &mia, "/team").await.contains("Jordan Staff"));
    let yesterday = app::calendar::day_key(days_ago(org.today, 1));
    sqlx::query("UPDATE staff_records SET leaving_date = $1 WHERE user_id = $2")
        .bind(&yesterday)
        .bind(&org.mid)
        .execute(&app.db)
        .await
        .unwrap();
    let text = read(&app, &mia, "/team").await;
    assert!(
        text.contains("Nobody has you as their line manager"),
        "{text}"
    );
    let jordan = format!("/training/people/{}", org.staff);
    assert_eq!(app.page(&mia, &jordan).await.0, StatusCode::NOT_FOUND);
}

/// Whether a table lists the person (a link to their training).
fn listed(html: &str, id: &str) -> bool {
    html.contains(&format!("href=\"/training/people/{id}\""))
}

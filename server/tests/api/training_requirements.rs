//! The requirement pages over HTTP, on SQLite and PostgreSQL: each kind of requirement made
//! through the forms and read back, every bad input refused with its message and nothing
//! saved, the preview's counts with and without grace, an edit keeping completions,
//! retiring and bringing back, the "due soon" setting, and who may do any of it.

use crate::helpers::*;
use app::admin::queries as org_queries;
use app::auth::Role;
use app::db;
use app::ids::{ModuleSlug, OrganisationId, PersonId, RequirementId};
use app::training::queries::{self as training, NewCompletion};
use app::training::{
    AppliesTo, CompletionSource, FirstDue, Grace, Renewal, Requirement, SatisfiedBy,
};
use chrono::{Days, NaiveDate};
use reqwest::{Client, StatusCode};

const PEOPLE: &str = "people@demo.test";

pub(crate) async fn org_id(app: &TestApp, slug: &str) -> OrganisationId {
    org_queries::organisation_by_slug(&app.db, slug)
        .await
        .expect("query")
        .expect("organisation exists")
        .id
}

fn today() -> NaiveDate {
    app::calendar::today()
}

fn uk(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// A new requirement's form: the staff module, all staff, within 28 days, never renewing,
/// with `fields` replacing or adding to these.
pub(crate) fn form<'a>(fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form: Vec<(&str, &str)> = vec![
        ("name", "Care safeguarding"),
        ("level", ""),
        ("satisfied_by", "module"),
        ("module_id", "staff-online-safety"),
        ("document", ""),
        ("applies_to", "all-staff"),
        ("departments", ""),
        ("job_titles", ""),
        ("first_due", "days-after-start"),
        ("first_due_days", "28"),
        ("first_due_date", ""),
        ("renews", "never"),
        ("months_after_completion", ""),
        ("months_after_due_date", ""),
        ("renew_day", ""),
        ("renew_month", "1"),
        ("window_days", ""),
    ];
    for (name, value) in fields {
        form.retain(|(n, _)| n != name);
        form.push((name, value));
    }
    form
}

/// Save as a program would call it: `id` "new" or a requirement's id.
pub(crate) async fn save(
    app: &TestApp,
    client: &Client,
    id: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut sent = form(fields);
    sent.push(("requirement_id", id));
    app.call(client, "training/save_requirement", &sent).await
}

async fn saved(app: &TestApp, client: &Client, id: &str, fields: &[(&str, &str)]) {
    let r = save(app, client, id, fields).await;
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    assert!(
        status.is_success() || status == StatusCode::FOUND,
        "saving {fields:?}: {status} {body}"
    );
}

/// The preview page for the form (`id` "new" or a requirement's id), as text.
async fn preview(
    app: &TestApp,
    client: &Client,
    id: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut sent = form(fields);
    sent.push(("step", "check"));
    let r = client
        .get(app.url(&format!("/training/requirements/{id}")))
        .query(&sent)
        .send()
        .await
        .expect("request");
    let status = r.status();
    (status, visible_text(&r.text().await.unwrap_or_default()))
}

pub(crate) async fn stored(app: &TestApp, name: &str) -> Option<(RequirementId, Requirement)> {
    let org = org_id(app, "demo").await;
    training::requirements_of(&app.db, &org)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.requirement.name == name)
        .map(|r| (r.id, r.requirement))
}

/// Every requirement and setting, and the audit rows about them.
async fn snapshot(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM training_requirements")
            .await,
        app.count("SELECT COUNT(*) FROM training_settings").await,
        app.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'training.%'")
            .await,
    )
}

/// A member of staff in the Care department who started in 2020.
async fn care_worker(app: &TestApp, email: &str, name: &str) -> String {
    let id = add_person(app, "demo", email, name, Role::Staff).await;
    sqlx::query(
        "INSERT INTO staff_records (user_id, org_id, department, start_date, updated_at)
         VALUES ($1, $2, 'Care', '2020-01-06', $3)",
    )
    .bind(&id)
    .bind(org_id(app, "demo").await.as_str())
    .bind(db::now())
    .execute(&app.db)
    .await
    .expect("staff record");
    id
}

async fn pass_staff_module(app: &TestApp, person: &str) {
    let now = db::now();
    sqlx::query(
        "INSERT INTO quiz_attempts
            (id, org_id, user_id, module_id, module_version, option_order, started_at,
             submitted_at, answers, score, total, pass_mark, passed_at)
         VALUES ($1, $2, $3, 'staff-online-safety', 1, '[]', $4, $4, '[]', 9, 10, 8, $4)",
    )
    .bind(db::new_id())
    .bind(org_id(app, "demo").await.as_str())
    .bind(person)
    .bind(&now)
    .execute(&app.db)
    .await
    .expect("a pass");
}

#[tokio::test]
async fn each_kind_of_requirement_is_made_through_the_form_and_read_back() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    // A requirement met by a document needs the document to exist.
    crate::documents::create(&app, &people, "kcsie-part-one").await;
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a day");
    let cases: Vec<(Vec<(&str, &str)>, Requirement)> = vec![
        (
            vec![("name", "Staff module"), ("level", "Induction")],
            Requirement {
                name: "Staff module".into(),
                level: "Induction".into(),
                satisfied_by: SatisfiedBy::Module {
                    module_id: ModuleSlug::from_param("staff-online-safety"),
                },
                applies_to: AppliesTo::AllStaff,
                first_due: FirstDue::WithinDaysOfStart { days: 28 },
                renews: Renewal::Never,
                window_days: None,
                grace: None,
            },
        ),
        (
            vec![
                ("name", "Any module"),
                ("satisfied_by", "any-module"),
                ("applies_to", "roles"),
                ("role_dsl", "on"),
                ("role_tutor", "on"),
                ("renews", "months-after-completion"),
                ("months_after_completion", "24"),
            ],
            Requirement {
                name: "Any module".into(),
                level: String::new(),
                satisfied_by: SatisfiedBy::AnyModule,
                applies_to: AppliesTo::Roles(vec![Role::Tutor, Role::Dsl]),
                first_due: FirstDue::WithinDaysOfStart { days: 28 },
                renews: Renewal::MonthsAfterCompletion { months: 24 },
                window_days: None,
                grace: None,
            },
        ),
        (
            vec![
                ("name", "External course"),
                ("satisfied_by", "external-course"),
                ("applies_to", "departments"),
                ("departments", "Care\r\nConstruction, IT"),
                ("first_due", "by-date"),
                ("first_due_date", "01/09/2027"),
                ("renews", "months-after-due-date"),
                ("months_after_due_date", "12"),
                ("window_days", "60"),
            ],
            Requirement {
                name: "External course".into(),
                level: String::new(),
                satisfied_by: SatisfiedBy::ExternalCourse,
                applies_to: AppliesTo::Departments(vec![
                    "Care".into(),
                    "Construction".into(),
                    "IT".into(),
                ]),
                first_due: FirstDue::ByDate {
                    date: day(2027, 9, 1),
                },
                renews: Renewal::MonthsAfterDueDate { months: 12 },
                window_days: Some(60),
                grace: None,
            },
        ),
        (
            vec![
                ("name", "Briefing"),
                ("satisfied_by", "briefing"),
                ("applies_to", "job-titles"),
                ("job_titles", "Tutor\nAssessor"),
                ("renews", "every-year-on"),
                ("renew_day", "1"),
                ("renew_month", "9"),
                ("window_days", "91"),
            ],
            Requirement {
                name: "Briefing".into(),
                level: String::new(),
                satisfied_by: SatisfiedBy::Briefing,
                applies_to: AppliesTo::JobTitles(vec!["Tutor".into(), "Assessor".into()]),
                first_due: FirstDue::WithinDaysOfStart { days: 28 },
                renews: Renewal::EveryYearOn { month: 9, day: 1 },
                window_days: Some(91),
                grace: None,
            },
        ),
        (
            vec![
                ("name", "KCSIE part one"),
                ("satisfied_by", "document"),
                ("document", "kcsie-part-one"),
                // Fields of options not chosen are ignored.
                ("module_id", "no-such-module"),
                ("months_after_completion", "0"),
            ],
            Requirement {
                name: "KCSIE part one".into(),
                level: String::new(),
                satisfied_by: SatisfiedBy::Document {
                    document: "kcsie-part-one".into(),
                },
                applies_to: AppliesTo::AllStaff,
                first_due: FirstDue::WithinDaysOfStart { days: 28 },
                renews: Renewal::Never,
                window_days: None,
                grace: None,
            },
        ),
    ];
    let defaults = app::training::defaults::defaults().len() as i64;
    for (fields, expected) in &cases {
        saved(&app, &people, "new", fields).await;
        let (_, requirement) = stored(&app, &expected.name).await.expect("saved");
        assert_eq!(&requirement, expected);
    }
    // New ones go at the end, in the order added.
    let org = org_id(&app, "demo").await;
    let names: Vec<String> = training::requirements_of(&app.db, &org)
        .await
        .unwrap()
        .into_iter()
        .skip(defaults as usize)
        .map(|r| r.requirement.name)
        .collect();
    let added: Vec<String> = cases.iter().map(|(_, r)| r.name.clone()).collect();
    assert_eq!(names, added);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'training.requirement_added'")
            .await,
        cases.len() as i64
    );
    // The list says each in plain words, with today's counts.
    let (status, html) = app.page(&people, "/training/requirements").await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    for words in [
        "Staff online safety training — Induction. Passing the module 'Online safety: your duties as staff'. All staff. Due within 28 days of starting. Does not renew.",
        "Any module. Passing any of our modules. Staff with the roles Tutor or Designated Safeguarding Lead. Due within 28 days of starting. Renews every 24 months from the last completion.",
        "Staff in the departments Care, Construction or IT. Due by 1 September 2027. Renews every 12 months from the previous due date. A completion counts for a due date from 60 days before it.",
        "Renews every year on 1 September.",
        "Reading and acknowledging the document 'kcsie-part-one'.",
        "Today: 0 overdue, 0 due soon,",
    ] {
        assert!(text.contains(words), "{words}\n{text}");
    }
}

#[tokio::test]
async fn every_bad_input_is_refused_with_its_message_and_nothing_is_saved() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let before = snapshot(&app).await;
    let yesterday = uk(today() - Days::new(1));
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("name", "  ")], "Name: give the requirement a name"),
        (
            vec![("module_id", "no-such-module")],
            "there is no module 'no-such-module'",
        ),
        (
            vec![("applies_to", "roles")],
            "Applies to: tick at least one role",
        ),
        (
            vec![
                ("renews", "months-after-completion"),
                ("months_after_completion", "0"),
            ],
            "Renews: enter the months as a whole number from 1 to 120",
        ),
        (
            vec![
                ("renews", "every-year-on"),
                ("renew_day", "31"),
                ("renew_month", "2"),
            ],
            "there is no 31 February",
        ),
        (vec![("window_days", "30")], "Window: a window only applies"),
        (
            vec![("name", "Bad\u{1b}[31m")],
            "Name: remove the characters",
        ),
        (
            vec![("satisfied_by", "document"), ("document", "kcsie\u{0}")],
            "Document: remove the characters",
        ),
        (
            vec![("satisfied_by", "document"), ("document", "made-up")],
            "your organisation has no documents to read yet",
        ),
        (
            vec![("first_due", "by-date"), ("first_due_date", "31/02/2027")],
            "First due: enter the date as a real date",
        ),
        (
            vec![("grace", "until"), ("grace_until", &yesterday)],
            "Grace: choose a date from today",
        ),
        (
            vec![("grace", "until"), ("grace_until", "soon")],
            "Grace: enter the date",
        ),
    ];
    for (fields, words) in &cases {
        let r = save(&app, &people, "new", fields).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{fields:?}");
        let message = app_error(r).await.to_string();
        assert!(message.contains(words), "{fields:?}: {message}");
        // The same message on the check step, next to the form, kept as typed.
        if !fields.iter().any(|(n, _)| *n == "grace") {
            let (status, text) = preview(&app, &people, "new", fields).await;
            assert_eq!(status, StatusCode::OK);
            assert!(text.contains(words), "{fields:?}: {text}");
            assert!(!text.contains("If you save this today"), "{fields:?}");
        }
    }
    for days in ["400", "-1", "ten", ""] {
        let r = app
            .call(
                &people,
                "training/set_due_soon_days",
                &[("due_soon_days", days)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{days}");
        let message = app_error(r).await.to_string();
        assert!(message.contains("from 0 to 365"), "{message}");
    }
    assert_eq!(snapshot(&app).await, before, "nothing saved");
    // A browser sees the message on the page it came from.
    let r = app
        .submit(
            &people,
            "training/set_due_soon_days",
            &[("due_soon_days", "400")],
            "/training/requirements",
        )
        .await;
    let (_, html) = app.page(&people, &app.path_of(&location(&r))).await;
    assert!(visible_text(&html).contains("Due soon: enter the number of days"));
    // A good setting is kept and shown.
    let r = app
        .call(
            &people,
            "training/set_due_soon_days",
            &[("due_soon_days", "14")],
        )
        .await;
    assert!(r.status().is_success() || r.status() == StatusCode::FOUND);
    let org = org_id(&app, "demo").await;
    assert_eq!(training::due_soon_days(&app.db, &org).await.unwrap(), 14);
    let (_, html) = app.page(&people, "/training/requirements").await;
    let field = html
        .split("id=\"due_soon_days\"")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .unwrap_or_default();
    assert!(field.contains("value=\"14\""), "{field}");
}

#[tokio::test]
async fn the_preview_counts_who_would_be_due_and_grace_spares_people_in_post() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    care_worker(&app, "ann@demo.test", "Ann Care").await;
    care_worker(&app, "ben@demo.test", "Ben Care").await;
    let cat = care_worker(&app, "cat@demo.test", "Cat Care").await;
    pass_staff_module(&app, &cat).await;
    let rule = [("applies_to", "departments"), ("departments", "care")];
    let before = snapshot(&app).await;
    let (status, text) = preview(&app, &people, "new", &rule).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        text.contains("If you save this today: 2 overdue, 0 due soon, 0 not yet due, 1 compliant,"),
        "{text}"
    );
    // Grace is offered, a month from today by default: nobody overdue.
    let month = today() + Days::new(30);
    assert!(
        text.contains(&format!(
            "give the 3 people already in post until {}. With that grace, today: 0 overdue, 2 due soon, 0 not yet due, 1 compliant",
            month.format("%-d %B %Y")
        )),
        "{text}"
    );
    // Another date, recomputed.
    let later = uk(today() + Days::new(60));
    let mut with_date = rule.to_vec();
    with_date.push(("grace_until", &later));
    let (_, text) = preview(&app, &people, "new", &with_date).await;
    assert!(
        text.contains("With that grace, today: 0 overdue, 0 due soon, 2 not yet due, 1 compliant"),
        "{text}"
    );
    // A program (or the page with JavaScript on) asks the server function the same.
    let mut sent: Vec<(String, &str)> = form(&rule)
        .into_iter()
        .map(|(n, v)| (format!("input[{n}]"), v))
        .collect();
    sent.extend([
        ("requirement_id".to_string(), "new"),
        ("check".to_string(), "true"),
    ]);
    let sent: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    let r = app.call(&people, "training/requirement_page", &sent).await;
    assert_eq!(r.status(), StatusCode::OK);
    let answer: serde_json::Value = r.json().await.unwrap();
    assert_eq!(answer["preview"]["counts"]["overdue"], 2, "{answer}");
    assert_eq!(answer["preview"]["with_grace"]["overdue"], 0, "{answer}");
    assert_eq!(snapshot(&app).await, before, "previewing saves nothing");
    // "Change" goes back to the form with the values kept.
    let r = people
        .get(app.url("/training/requirements/new"))
        .query(&form(&rule))
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    let tag = |id: &str| {
        html.split(&format!("id=\"{id}\""))
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .unwrap_or_default()
            .to_string()
    };
    assert!(tag("applies_to-departments").contains("checked"), "{html}");
    assert!(!tag("applies_to-all-staff").contains("checked"));
    assert!(tag("name").contains("value=\"Care safeguarding\""));
    assert!(html.contains(">care</textarea>"));
    // Confirming with the grace saves it, from today.
    let mut confirm = rule.to_vec();
    confirm.extend([("grace", "until"), ("grace_until", later.as_str())]);
    saved(&app, &people, "new", &confirm).await;
    let (_, requirement) = stored(&app, "Care safeguarding").await.expect("saved");
    assert_eq!(
        requirement.grace,
        Some(Grace {
            in_post_on: today(),
            until: today() + Days::new(60),
        })
    );
    let (_, html) = app.page(&people, "/training/requirements").await;
    assert!(
        visible_text(&html).contains("Today: 0 overdue, 0 due soon, 2 not yet due, 1 compliant")
    );
    // A rule nobody would be due under offers no grace.
    let (_, text) = preview(
        &app,
        &people,
        "new",
        &[("applies_to", "job-titles"), ("job_titles", "Nobody")],
    )
    .await;
    assert!(
        text.contains("If you save this today: 0 overdue, 0 due soon, 0 not yet due, 0 compliant"),
        "{text}"
    );
    assert!(!text.contains("already in post until"), "{text}");
}

#[tokio::test]
async fn an_edit_keeps_completions_counting_and_is_audited_by_field() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let ann = care_worker(&app, "ann@demo.test", "Ann Care").await;
    care_worker(&app, "ben@demo.test", "Ben Care").await;
    let rule = [
        ("name", "Care briefing"),
        ("satisfied_by", "briefing"),
        ("applies_to", "departments"),
        ("departments", "Care"),
    ];
    saved(&app, &people, "new", &rule).await;
    let (id, _) = stored(&app, "Care briefing").await.expect("saved");
    let org = org_id(&app, "demo").await;
    let mut conn = app.db.acquire().await.unwrap();
    training::record_completion(
        &mut conn,
        &NewCompletion {
            org_id: &org,
            user_id: &PersonId::from_param(&ann),
            requirement_id: &id,
            completed_on: today(),
            source: CompletionSource::Briefing,
            reference: None,
            reason: None,
            recorded_by: None,
        },
    )
    .await
    .unwrap()
    .expect("recorded");
    drop(conn);
    let changed = [
        ("name", "Care team briefing"),
        ("satisfied_by", "briefing"),
        ("applies_to", "departments"),
        ("departments", "Care"),
        ("level", "Level 2"),
    ];
    // The stored rule's completions count in its preview; a new rule has none.
    let (_, text) = preview(&app, &people, id.as_str(), &changed).await;
    assert!(
        text.contains("If you save this today: 1 overdue, 0 due soon, 0 not yet due, 1 compliant"),
        "{text}"
    );
    let (_, text) = preview(&app, &people, "new", &changed).await;
    assert!(
        text.contains("If you save this today: 2 overdue, 0 due soon, 0 not yet due, 0 compliant"),
        "{text}"
    );
    // The edit form starts from what is stored.
    let (_, html) = app
        .page(&people, &format!("/training/requirements/{id}"))
        .await;
    assert!(html.contains("value=\"Care briefing\""));
    saved(&app, &people, id.as_str(), &changed).await;
    let (same_id, requirement) = stored(&app, "Care team briefing").await.expect("renamed");
    assert_eq!(same_id, id);
    assert_eq!(requirement.level, "Level 2");
    let (detail,): (String,) = sqlx::query_as(
        "SELECT detail FROM audit_events WHERE action = 'training.requirement_changed' AND subject_id = $1",
    )
    .bind(id.as_str())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(detail, "changed: name, level");
    let (_, html) = app.page(&people, "/training/requirements").await;
    assert!(
        visible_text(&html).contains("Today: 1 overdue, 0 due soon, 0 not yet due, 1 compliant")
    );
}

#[tokio::test]
async fn a_retired_requirement_keeps_its_completions_and_can_be_brought_back() {
    let app = spawn_app().await;
    let people = app.signed_in(PEOPLE).await;
    let org = org_id(&app, "demo").await;
    let all = training::requirements_of(&app.db, &org).await.unwrap();
    let first = all[0].clone();
    let id = first.id.to_string();
    let r = app
        .submit(
            &people,
            "training/retire_requirement",
            &[("requirement_id", &id)],
            "/training/requirements",
        )
        .await;
    assert_eq!(
        app.path_of(&location(&r)),
        "/training/requirements?done=retired"
    );
    let now = training::requirements_of(&app.db, &org).await.unwrap();
    assert_eq!(now.len(), all.len() - 1);
    assert!(now.iter().all(|r| r.id != first.id));
    let (_, html) = app
        .page(&people, "/training/requirements?done=retired")
        .await;
    let text = visible_text(&html);
    let retired = text.split("Retired").nth(1).unwrap_or_default().to_string();
    assert!(retired.contains(&first.requirement.name), "{text}");
    assert!(text.contains("Requirement retired."));
    // A retired requirement is brought back before it is changed.
    let r = save(&app, &people, &id, &[]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // Retiring again changes nothing more.
    let r = app
        .call(
            &people,
            "training/retire_requirement",
            &[("requirement_id", &id)],
        )
        .await;
    assert!(r.status().is_success() || r.status() == StatusCode::FOUND);
    let r = app
        .call(
            &people,
            "training/bring_back_requirement",
            &[("requirement_id", &id)],
        )
        .await;
    assert!(r.status().is_success() || r.status() == StatusCode::FOUND);
    let back = training::requirements_of(&app.db, &org).await.unwrap();
    assert_eq!(back, all, "back in its old place, unchanged");
    for (action, n) in [
        ("training.requirement_retired", 1),
        ("training.requirement_brought_back", 1),
    ] {
        let count = app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE action = '{action}'"
            ))
            .await;
        assert_eq!(count, n, "{action}");
    }
}

//! Cohorts over HTTP on SQLite and PostgreSQL: an administrator creates one and chooses
//! its tutor, the tutor enrols a learner and sees their progress in the grid as it
//! changes, a learner moves cohort keeping it all; and who may see and do what: a tutor of
//! the cohort, a tutor of another, the administrator, the DSL, the People department, a
//! learner, another organisation and someone signed out.

use crate::helpers::*;
use app::auth::Role;
use app::content::module::Audience;
use reqwest::{Client, StatusCode};

const ADMIN: &str = "admin@demo.test";
const TUTOR: &str = "tutor@demo.test";
const LEARNER: &str = "learner@demo.test";

/// Create a cohort as `client`; its id.
pub async fn create(app: &TestApp, client: &Client, name: &str) -> String {
    let r = app
        .submit(
            client,
            "cohorts/create",
            &[
                ("name", name),
                ("starts_on", "01/09/2026"),
                ("ends_on", "31/07/2027"),
            ],
            "/cohorts",
        )
        .await;
    let to = location(&r);
    assert!(to.ends_with("?done=created"), "created: {to}");
    to.trim_start_matches("/cohorts/")
        .trim_end_matches("?done=created")
        .to_string()
}

async fn grid_text(app: &TestApp, client: &Client, id: &str) -> String {
    let (status, page) = app.page(client, &format!("/cohorts/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    visible_text(&page)
}

#[tokio::test]
async fn a_tutor_enrols_learners_and_sees_their_progress_as_it_changes() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let id = create(&app, &admin, "September 2026").await;
    let cohorts = app.count("SELECT COUNT(*) FROM cohorts").await;

    // What is typed is checked, and nothing is made when it is wrong.
    for (form, message) in [
        (
            [
                ("name", "September 2026"),
                ("starts_on", "01/09/2026"),
                ("ends_on", "31/07/2027"),
            ],
            "there is already a cohort called 'September 2026'",
        ),
        (
            [
                ("name", "Later"),
                ("starts_on", "01/09/2026"),
                ("ends_on", "31/08/2026"),
            ],
            "must end on or after the day it starts",
        ),
        (
            [
                ("name", "Later"),
                ("starts_on", "31/02/2026"),
                ("ends_on", "31/08/2026"),
            ],
            "Start date: '31/02/2026' is not a day",
        ),
        (
            [
                ("name", "Bad\u{7}name"),
                ("starts_on", "01/09/2026"),
                ("ends_on", "31/08/2027"),
            ],
            "Name: use up to 100",
        ),
    ] {
        let r = app.call(&admin, "cohorts/create", &form).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{form:?}");
        assert!(
            format!("{:?}", app_error(r).await).contains(message),
            "{message}"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM cohorts").await, cohorts);

    // Only someone with the tutor role can be a tutor.
    let r = app
        .call(
            &admin,
            "cohorts/add_tutor",
            &[("cohort_id", &id), ("email", LEARNER)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app
        .submit(
            &admin,
            "cohorts/add_tutor",
            &[("cohort_id", &id), ("email", " Tutor@Demo.test ")],
            "/cohorts",
        )
        .await;
    assert_eq!(location(&r), format!("/cohorts/{id}?done=tutor"));

    // The tutor sees the cohort and enrols the learner.
    let tutor = app.signed_in(TUTOR).await;
    let (_, list) = app.page(&tutor, "/cohorts").await;
    assert!(visible_text(&list).contains("September 2026"));
    let r = app
        .submit(
            &tutor,
            "cohorts/enrol",
            &[
                ("cohort_id", &id),
                ("email", LEARNER),
                ("start_on", "01/09/2026"),
            ],
            "/cohorts",
        )
        .await;
    assert_eq!(location(&r), format!("/cohorts/{id}?done=enrolled"));
    let text = grid_text(&app, &tutor, &id).await;
    assert!(
        text.contains("1 active learner in this cohort: 1 behind, 1 not started, 0 complete."),
        "{text}"
    );
    assert!(text.contains("Alex Learner"), "{text}");
    assert!(
        text.contains("29 September 2026"),
        "due 28 days after the start: {text}"
    );
    assert!(text.contains("Not started"), "{text}");
    assert!(!text.contains("In progress:"), "{text}");

    // The learner reads a section: the grid shows it at once.
    let library = app::content::load_library(&content_dir()).expect("content is valid");
    let modules = library
        .modules
        .iter()
        .filter(|m| m.audience != Audience::Staff);
    assert!(
        text.contains(&format!(
            "0 of {} modules passed; policy not signed",
            modules.count()
        )),
        "{text}"
    );
    let grooming = library
        .modules
        .iter()
        .find(|m| m.id.as_str() == "grooming")
        .expect("the grooming module");
    let read_one = format!("In progress: 1 of {} read", grooming.sections.len());
    let learner = app.signed_in(LEARNER).await;
    let r = app
        .submit(
            &learner,
            "learning/mark_read",
            &[
                ("module_id", "grooming"),
                ("section_id", grooming.sections[0].id.as_str()),
            ],
            "/induction/grooming",
        )
        .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let text = grid_text(&app, &tutor, &id).await;
    assert!(text.contains(&read_one), "{text}");

    // Moving to another cohort keeps the progress and the history.
    let other = create(&app, &admin, "January 2027").await;
    let r = app
        .submit(
            &admin,
            "cohorts/enrol",
            &[
                ("cohort_id", &other),
                ("email", LEARNER),
                ("start_on", "04/01/2027"),
            ],
            "/cohorts",
        )
        .await;
    assert_eq!(location(&r), format!("/cohorts/{other}?done=enrolled"));
    assert!(grid_text(&app, &tutor, &id)
        .await
        .contains("0 active learners in this cohort:"));
    let text = grid_text(&app, &admin, &other).await;
    assert!(
        text.contains("Alex Learner") && text.contains(&read_one),
        "{text}"
    );
    let kept = "SELECT COUNT(*) FROM cohort_learners m JOIN cohorts c ON c.id = m.cohort_id
                WHERE c.name = 'September 2026' AND m.left_at IS NOT NULL";
    assert_eq!(
        app.count(kept).await,
        1,
        "the time in the first cohort is kept"
    );
}

#[derive(Clone, Copy, Debug)]
enum Caller {
    SignedOut,
    Demo(Role),
    OtherTutor,
    OtherOrganisation,
}

#[tokio::test]
async fn only_the_cohorts_tutors_and_those_who_see_all_see_a_cohort() {
    let app = spawn_app().await;
    add_person(&app, "demo", "tutor2@demo.test", "Tam Tutor", Role::Tutor).await;
    let admin = app.signed_in(ADMIN).await;
    let id = create(&app, &admin, "September 2026").await;
    app.submit(
        &admin,
        "cohorts/add_tutor",
        &[("cohort_id", &id), ("email", TUTOR)],
        "/cohorts",
    )
    .await;
    let callers = [
        Caller::SignedOut,
        Caller::Demo(Role::Learner),
        Caller::Demo(Role::Staff),
        Caller::Demo(Role::Manager),
        Caller::OtherTutor,
        Caller::OtherOrganisation,
        Caller::Demo(Role::Tutor),
        Caller::Demo(Role::Dsl),
        Caller::Demo(Role::People),
        Caller::Demo(Role::Admin),
    ];
    for caller in callers {
        let client = match caller {
            Caller::SignedOut => browser(),
            Caller::Demo(role) => app.signed_in(&format!("{}@demo.test", role.as_str())).await,
            Caller::OtherTutor => app.signed_in("tutor2@demo.test").await,
            Caller::OtherOrganisation => app.signed_in(OTHER_ADMIN).await,
        };
        // (the cohort's grid, enrolling in it, creating a cohort)
        let want = match caller {
            Caller::SignedOut => [StatusCode::UNAUTHORIZED; 3],
            Caller::Demo(Role::Learner | Role::Staff | Role::Manager) => [StatusCode::FORBIDDEN; 3],
            Caller::OtherTutor => [
                StatusCode::NOT_FOUND,
                StatusCode::NOT_FOUND,
                StatusCode::FORBIDDEN,
            ],
            Caller::OtherOrganisation => {
                [StatusCode::NOT_FOUND, StatusCode::NOT_FOUND, StatusCode::OK]
            }
            Caller::Demo(Role::Tutor) => [StatusCode::OK, StatusCode::OK, StatusCode::FORBIDDEN],
            Caller::Demo(Role::Dsl | Role::People) => {
                [StatusCode::OK, StatusCode::FORBIDDEN, StatusCode::FORBIDDEN]
            }
            Caller::Demo(Role::Admin) => [StatusCode::OK; 3],
        };
        let grid = app
            .call(&client, "cohorts/grid", &[("cohort_id", &id)])
            .await;
        let enrol = app
            .call(
                &client,
                "cohorts/enrol",
                &[
                    ("cohort_id", &id),
                    ("email", LEARNER),
                    ("start_on", "01/09/2026"),
                ],
            )
            .await;
        let name = format!("{caller:?}");
        let create = app
            .call(
                &client,
                "cohorts/create",
                &[
                    ("name", &name),
                    ("starts_on", "01/09/2026"),
                    ("ends_on", "31/07/2027"),
                ],
            )
            .await;
        // Done: the page it goes on to (a redirect), as for the grid's 200.
        let done = |s: StatusCode| {
            if s == StatusCode::FOUND {
                StatusCode::OK
            } else {
                s
            }
        };
        let got = [grid.status(), done(enrol.status()), done(create.status())];
        assert_eq!(got, want, "{caller:?}");
    }
    // The list: each tutor sees only the cohorts they teach.
    let other_tutor = app.signed_in("tutor2@demo.test").await;
    let (status, page) = app.page(&other_tutor, "/cohorts").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!visible_text(&page).contains("September 2026"));
    let (_, page) = app.page(&app.signed_in(TUTOR).await, "/cohorts").await;
    let text = visible_text(&page);
    assert!(text.contains("September 2026"), "{text}");
    assert!(
        text.contains("Demo cohort"),
        "the demo's own cohort: {text}"
    );
}

/// Record that the learner signed the organisation's current learner policy (its first
/// version, made when the grid was first shown) on 3 November 2026.
pub async fn signed_learner_policy(app: &TestApp, learner: &str) {
    let done = sqlx::query(
        "INSERT INTO policy_signatures (id, org_id, user_id, version_id, round, text_sha256,
             typed_name, signed_at, address, user_agent)
         SELECT $2, u.org_id, u.id, v.id, 0, 'test', u.full_name,
                '2026-11-03T10:00:00.000000Z', '127.0.0.1', 'test'
         FROM users u JOIN policy_versions v ON v.org_id = u.org_id AND v.kind = 'learner'
              AND v.published_at IS NOT NULL
         WHERE u.id = $1",
    )
    .bind(learner)
    .bind(format!("signature-{learner}"))
    .execute(&app.db)
    .await
    .unwrap();
    assert_eq!(done.rows_affected(), 1, "one published learner policy");
}

/// The learner passed every learner module with 90% on 3 November 2026.
pub async fn passed_every_module(app: &TestApp, learner: &str) {
    let library = app::content::load_library(&content_dir()).expect("content is valid");
    let modules = library
        .modules
        .iter()
        .filter(|m| m.audience != Audience::Staff);
    for m in modules {
        sqlx::query(
            "INSERT INTO quiz_attempts (id, org_id, user_id, module_id, module_version, option_order, started_at, submitted_at, score, total, pass_mark, passed_at)
             SELECT $1, org_id, id, $2, 1, '[]', '2026-11-03T10:00:00.000000Z', '2026-11-03T10:00:00.000000Z', 9, 10, 80, '2026-11-03T10:00:00.000000Z'
             FROM users WHERE id = $3",
        )
        .bind(format!("attempt-{learner}-{}", m.id.as_str()))
        .bind(m.id.as_str())
        .bind(learner)
        .execute(&app.db)
        .await
        .unwrap();
    }
}

/// A learner without a password (fast to make), enrolled in the cohort from `start_on`.
pub async fn enrolled(
    app: &TestApp,
    cohort: &str,
    name: &str,
    start_on: &str,
    due_on: &str,
) -> String {
    use app::admin::queries as org_queries;
    use app::ids::{CohortId, OrganisationId, PersonId};
    let org: OrganisationId = org_queries::organisation_by_slug(&app.db, "demo")
        .await
        .unwrap()
        .expect("demo")
        .id;
    let email = format!("{}@demo.test", name.to_lowercase().replace(' ', "."));
    let mut conn = app.db.acquire().await.unwrap();
    let id = org_queries::insert_user(&mut conn, &org, &email, name, None)
        .await
        .unwrap();
    org_queries::add_role(&mut conn, &org, &id, Role::Learner)
        .await
        .unwrap();
    let cohort = CohortId::from_param(cohort.to_string());
    let by = PersonId::from_param(app.user_id(ADMIN).await);
    app::cohorts::queries::enrol(&mut conn, &org, &cohort, &id, start_on, due_on, &by)
        .await
        .unwrap();
    id.to_string()
}

#[tokio::test]
async fn the_grid_filters_searches_sorts_and_pages_in_sql() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let id = create(&app, &admin, "Filters").await;
    // Behind and not started; in progress and not due yet; complete (every module passed).
    enrolled(&app, &id, "Ann Behind", "2020-01-01", "2020-01-29").await;
    let reading = enrolled(&app, &id, "Bea Reading", "2099-01-01", "2099-01-29").await;
    let done = enrolled(&app, &id, "Cal Complete", "2020-01-01", "2020-01-29").await;
    sqlx::query(
        "INSERT INTO section_progress (user_id, org_id, module_id, section_id, read_at)
         SELECT id, org_id, 'grooming', 'any', '2026-11-02T10:00:00.000000Z' FROM users WHERE id = $1",
    )
    .bind(&reading)
    .execute(&app.db)
    .await
    .unwrap();
    passed_every_module(&app, &done).await;
    let shown = |text: &str| -> Vec<&'static str> {
        ["Ann Behind", "Bea Reading", "Cal Complete"]
            .into_iter()
            .filter(|name| text.contains(name))
            .collect()
    };
    let text = grid_text(&app, &admin, &id).await;
    assert!(
        text.contains("3 active learners in this cohort: 2 behind, 1 not started, 0 complete."),
        "Cal passed everything but has not signed the learner policy: {text}"
    );
    signed_learner_policy(&app, &done).await;
    let text = grid_text(&app, &admin, &id).await;
    assert!(
        text.contains("3 active learners in this cohort: 1 behind, 1 not started, 1 complete."),
        "Bea is not due yet; Cal passed everything and signed: {text}"
    );
    assert!(
        text.contains("Signed (version 1, 3 November 2026)"),
        "{text}"
    );
    for (query, want) in [
        ("show=behind", vec!["Ann Behind"]),
        ("show=not-started", vec!["Ann Behind"]),
        ("show=complete", vec!["Cal Complete"]),
        ("q=BEA", vec!["Bea Reading"]),
        ("q=%25", vec![]),
        (
            "show=nonsense",
            vec!["Ann Behind", "Bea Reading", "Cal Complete"],
        ),
    ] {
        let text = grid_text(&app, &admin, &format!("{id}?{query}")).await;
        assert_eq!(shown(&text), want, "{query}: {text}");
    }
    // Sorted by a column, either way; an unknown column sorts by name.
    let order = |text: &str| {
        let mut at: Vec<(usize, &str)> = ["Ann Behind", "Bea Reading", "Cal Complete"]
            .into_iter()
            .filter_map(|n| text.find(&format!("{n} ")).map(|i| (i, n)))
            .collect();
        at.sort();
        at.into_iter().map(|(_, n)| n).collect::<Vec<_>>()
    };
    for (sort, want) in [
        ("-passed", ["Cal Complete", "Ann Behind", "Bea Reading"]),
        ("-name", ["Cal Complete", "Bea Reading", "Ann Behind"]),
        ("-policy", ["Cal Complete", "Ann Behind", "Bea Reading"]),
        ("-due", ["Bea Reading", "Ann Behind", "Cal Complete"]),
        (
            "module-grooming",
            ["Ann Behind", "Bea Reading", "Cal Complete"],
        ),
        (
            "-module-grooming",
            ["Cal Complete", "Bea Reading", "Ann Behind"],
        ),
        ("-active", ["Cal Complete", "Bea Reading", "Ann Behind"]),
        ("module-nope", ["Ann Behind", "Bea Reading", "Cal Complete"]),
    ] {
        let text = grid_text(&app, &admin, &format!("{id}?sort={sort}")).await;
        assert_eq!(order(&text), want, "sort={sort}");
    }
    let text = grid_text(&app, &admin, &format!("{id}?show=complete")).await;
    assert!(text.contains("Passed 90%, 3 November 2026"), "{text}");

    // 50 a page: the 51st learner by name is on page 2.
    for n in 0..48 {
        enrolled(
            &app,
            &id,
            &format!("Zed Extra{n:02}"),
            "2099-01-01",
            "2099-01-29",
        )
        .await;
    }
    let first = grid_text(&app, &admin, &format!("{id}?sort=name")).await;
    assert!(first.contains("Showing 1 to 50 of 51"), "{first}");
    assert!(first.contains("Zed Extra46") && !first.contains("Zed Extra47"));
    let second = grid_text(&app, &admin, &format!("{id}?sort=name&page=2")).await;
    assert!(second.contains("Zed Extra47") && !second.contains("Ann Behind"));
}

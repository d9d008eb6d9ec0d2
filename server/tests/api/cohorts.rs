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
async fn create(app: &TestApp, client: &Client, name: &str) -> String {
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
    assert!(text.contains("1 learner in this cohort."), "{text}");
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
        text.contains(&format!("0 of {} passed", modules.count())),
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
        .contains("0 learners in this cohort."));
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
    assert!(text.contains("Demo cohort"), "the demo's own cohort: {text}");
}

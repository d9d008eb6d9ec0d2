//! A learner's status and page over HTTP on SQLite and PostgreSQL: a break in learning
//! moves the due day and takes them out of "behind" and the totals; withdrawn and
//! completed learners are listed as inactive; the learner's page for their tutor; the
//! organisation's number of days; and who may see and change what.

use crate::cohorts::{create, enrolled, passed_every_module, signed_learner_policy};
use crate::helpers::*;
use app::auth::Role;
use reqwest::StatusCode;

const ADMIN: &str = "admin@demo.test";

async fn text_of(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let (status, page) = app.page(client, path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    visible_text(&page)
}

#[tokio::test]
async fn a_break_moves_the_due_day_and_inactive_learners_leave_the_totals() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let id = create(&app, &admin, "Statuses").await;
    let ann = enrolled(&app, &id, "Ann Away", "2020-01-01", "2020-01-29").await;
    let wes = enrolled(&app, &id, "Wes Gone", "2020-01-01", "2020-01-29").await;
    enrolled(&app, &id, "Bea Behind", "2020-01-01", "2020-01-29").await;
    let grid = format!("/cohorts/{id}");
    let text = text_of(&app, &admin, &grid).await;
    assert!(
        text.contains("3 active learners in this cohort: 3 behind"),
        "{text}"
    );

    // Bad input is refused with what is wrong, and changes nothing.
    let before = app
        .count("SELECT COUNT(*) FROM learner_records WHERE status = 'active'")
        .await;
    for (form, message) in [
        (vec![("status", "on-leave")], "Status: choose one"),
        (vec![("status", "break")], "give the first and the last day"),
        (
            vec![
                ("status", "break"),
                ("break_from", "10/01/2020"),
                ("break_to", "09/01/2020"),
            ],
            "on or after the first day",
        ),
        (
            vec![
                ("status", "break"),
                ("break_from", "10/13/2020"),
                ("break_to", "20/01/2020"),
            ],
            "'10/13/2020' is not a day",
        ),
        (
            vec![
                ("status", "break"),
                ("break_from", "10/12/2019"),
                ("break_to", "20/01/2020"),
            ],
            "on or after the learner's start date",
        ),
    ] {
        let mut form = form.clone();
        form.push(("learner_id", &ann));
        let r = app.call(&admin, "cohorts/set_status", &form).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{form:?}");
        let got = format!("{:?}", app_error(r).await);
        assert!(got.contains(message), "{message}: {got}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM learner_records WHERE status = 'active'")
            .await,
        before
    );

    // A 14-day break moves Ann's due day on by 14 days; Wes withdraws.
    let r = app
        .submit(
            &admin,
            "cohorts/set_status",
            &[
                ("learner_id", &ann),
                ("status", "break"),
                ("break_from", "10/01/2020"),
                ("break_to", "23/01/2020"),
            ],
            &format!("/learners/{ann}"),
        )
        .await;
    assert_eq!(location(&r), format!("/learners/{ann}?done=status"));
    let page = text_of(&app, &admin, &format!("/learners/{ann}")).await;
    assert!(
        page.contains("On a break in learning from 10 January 2020 to 23 January 2020"),
        "{page}"
    );
    assert!(
        page.contains("12 February 2020"),
        "29 January + 14 days: {page}"
    );
    app.submit(
        &admin,
        "cohorts/set_status",
        &[("learner_id", &wes), ("status", "withdrawn")],
        &format!("/learners/{wes}"),
    )
    .await;
    let text = text_of(&app, &admin, &grid).await;
    assert!(
        text.contains(
            "1 active learner in this cohort: 1 behind, 1 not started, 0 complete. 2 more inactive"
        ),
        "{text}"
    );
    let shown = |text: &str| -> Vec<&'static str> {
        ["Ann Away", "Wes Gone", "Bea Behind"]
            .into_iter()
            .filter(|n| text.contains(n))
            .collect()
    };
    let text = text_of(&app, &admin, &format!("{grid}?show=inactive")).await;
    assert_eq!(shown(&text), ["Ann Away", "Wes Gone"], "{text}");
    assert!(text.contains("Withdrawn"), "{text}");
    let text = text_of(&app, &admin, &format!("{grid}?show=behind")).await;
    assert_eq!(shown(&text), ["Bea Behind"], "{text}");

    // Back from the break: the days away stay counted (the break is over).
    app.submit(
        &admin,
        "cohorts/set_status",
        &[("learner_id", &ann), ("status", "active")],
        &format!("/learners/{ann}"),
    )
    .await;
    let page = text_of(&app, &admin, &format!("/learners/{ann}")).await;
    assert!(page.contains("Active"), "{page}");
    assert!(page.contains("12 February 2020"), "{page}");
}

#[tokio::test]
async fn the_learners_page_is_for_their_tutors_and_those_who_see_every_cohort() {
    let app = spawn_app().await;
    add_person(&app, "demo", "tutor2@demo.test", "Tam Tutor", Role::Tutor).await;
    let admin = app.signed_in(ADMIN).await;
    let id = create(&app, &admin, "Mine").await;
    app.submit(
        &admin,
        "cohorts/add_tutor",
        &[("cohort_id", &id), ("email", "tutor@demo.test")],
        "/cohorts",
    )
    .await;
    let kim = enrolled(&app, &id, "Kim Page", "2026-09-01", "2026-09-29").await;
    let page = format!("/learners/{kim}");

    let tutor = app.signed_in("tutor@demo.test").await;
    let text = text_of(&app, &tutor, &page).await;
    assert!(text.contains("Kim Page") && text.contains("Mine"), "{text}");
    assert!(
        text.contains("Induction modules") && text.contains("Not started"),
        "{text}"
    );
    assert!(text.contains("Cohort history"), "{text}");
    assert!(
        text.contains("Change their status"),
        "the cohort's tutor may: {text}"
    );
    let dsl = app.signed_in("dsl@demo.test").await;
    let text = text_of(&app, &dsl, &page).await;
    assert!(
        !text.contains("Change their status"),
        "the DSL sees, not changes: {text}"
    );

    let withdraw = [("learner_id", kim.as_str()), ("status", "withdrawn")];
    for (client, see, change) in [
        (
            browser(),
            StatusCode::UNAUTHORIZED,
            StatusCode::UNAUTHORIZED,
        ),
        (
            app.signed_in("learner@demo.test").await,
            StatusCode::FORBIDDEN,
            StatusCode::FORBIDDEN,
        ),
        (
            app.signed_in("staff@demo.test").await,
            StatusCode::FORBIDDEN,
            StatusCode::FORBIDDEN,
        ),
        (
            app.signed_in("tutor2@demo.test").await,
            StatusCode::NOT_FOUND,
            StatusCode::NOT_FOUND,
        ),
        (
            app.signed_in(OTHER_ADMIN).await,
            StatusCode::NOT_FOUND,
            StatusCode::NOT_FOUND,
        ),
        (dsl, StatusCode::OK, StatusCode::FORBIDDEN),
        (
            app.signed_in("people@demo.test").await,
            StatusCode::OK,
            StatusCode::FORBIDDEN,
        ),
    ] {
        let r = app
            .call(&client, "cohorts/learner", &[("learner_id", &kim)])
            .await;
        assert_eq!(r.status(), see);
        let r = app.call(&client, "cohorts/set_status", &withdraw).await;
        assert_eq!(r.status(), change);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM learner_records WHERE status = 'withdrawn'")
            .await,
        0,
        "nobody who may not changed it"
    );
    // Someone who is not a learner is not found, even by an administrator.
    let staff = app.user_id("staff@demo.test").await;
    let r = app
        .call(&admin, "cohorts/learner", &[("learner_id", &staff)])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_organisation_chooses_how_many_days_an_induction_takes() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let id = create(&app, &admin, "Days").await;
    for bad in ["0", "366", "two weeks", ""] {
        let r = app
            .call(&admin, "cohorts/induction_days", &[("days", bad)])
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{bad:?}");
    }
    let tutor = app.signed_in("tutor@demo.test").await;
    let r = app
        .call(&tutor, "cohorts/induction_days", &[("days", "14")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .submit(
            &admin,
            "cohorts/induction_days",
            &[("days", " 14 ")],
            "/cohorts",
        )
        .await;
    assert_eq!(location(&r), "/cohorts?done=days");
    let text = text_of(&app, &admin, "/cohorts").await;
    assert!(
        text.contains("due 14 days after their start date"),
        "{text}"
    );
    app.submit(
        &admin,
        "cohorts/enrol",
        &[
            ("cohort_id", &id),
            ("email", "learner@demo.test"),
            ("start_on", "01/09/2026"),
        ],
        "/cohorts",
    )
    .await;
    let text = text_of(&app, &admin, &format!("/cohorts/{id}")).await;
    assert!(
        text.contains("15 September 2026"),
        "1 September + 14 days: {text}"
    );
}

/// Set a learner's date of birth to the day after their birthday `years` years ago: they
/// are `years - 1` today (London), `years` tomorrow.
async fn born_years_ago(app: &TestApp, learner: &str, years: u32) {
    let today = app::calendar::today();
    let born = today
        .checked_sub_months(chrono::Months::new(years * 12))
        .expect("a day")
        .succ_opt()
        .expect("a day");
    sqlx::query("UPDATE users SET date_of_birth = $1 WHERE id = $2")
        .bind(born.format("%Y-%m-%d").to_string())
        .bind(learner)
        .execute(&app.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_parent_column_sorts_those_waiting_first() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let id = create(&app, &admin, "Parents").await;
    let names = [
        "Ann Waiting",
        "Bob Acknowledged",
        "Cat Adult",
        "Dan Unknown",
    ];
    let mut ids = Vec::new();
    for name in names {
        ids.push(enrolled(&app, &id, name, "2026-09-01", "2026-09-29").await);
    }
    born_years_ago(&app, &ids[0], 17).await;
    born_years_ago(&app, &ids[1], 16).await;
    born_years_ago(&app, &ids[2], 19).await;
    // The grid's first showing publishes the learner policy the parent acknowledges.
    text_of(&app, &admin, &format!("/cohorts/{id}")).await;
    let done = sqlx::query(
        "INSERT INTO parent_acknowledgements (id, org_id, learner_id, version_id, text_sha256,
             parent_name, relationship, method, acknowledged_on, recorded_at, recorded_by, scanned)
         SELECT 'ack-bob', u.org_id, u.id, v.id, 'test', 'Pat Parent', 'mother', 'paper',
                '2026-09-04', '2026-09-04T10:00:00.000000Z', NULL, 'no'
         FROM users u JOIN policy_versions v ON v.org_id = u.org_id AND v.kind = 'learner'
              AND v.published_at IS NOT NULL
         WHERE u.id = $1",
    )
    .bind(&ids[1])
    .execute(&app.db)
    .await
    .unwrap();
    assert_eq!(done.rows_affected(), 1);

    let order = |text: &str| {
        let mut at: Vec<(usize, &str)> = names
            .into_iter()
            .filter_map(|n| text.find(&format!("{n} ")).map(|i| (i, n)))
            .collect();
        at.sort();
        at.into_iter().map(|(_, n)| n).collect::<Vec<_>>()
    };
    let text = text_of(&app, &admin, &format!("/cohorts/{id}?sort=parent")).await;
    assert_eq!(
        order(&text),
        [
            "Ann Waiting",
            "Dan Unknown",
            "Bob Acknowledged",
            "Cat Adult"
        ],
        "waiting, no date of birth, acknowledged, not needed: {text}"
    );
    assert!(text.contains("Waiting (under 18)"), "{text}");
    assert!(text.contains("Acknowledged 4 September 2026"), "{text}");
    assert!(text.contains("Not needed (18 or over)"), "{text}");
    let text = text_of(&app, &admin, &format!("/cohorts/{id}?sort=-parent")).await;
    assert_eq!(
        order(&text),
        [
            "Cat Adult",
            "Bob Acknowledged",
            "Dan Unknown",
            "Ann Waiting"
        ]
    );
    let text = text_of(&app, &admin, &format!("/learners/{}", ids[0])).await;
    assert!(
        text.contains("Parent or carer Waiting (under 18)"),
        "the learner's page words it as the grid does: {text}"
    );
}

#[tokio::test]
async fn the_learners_page_counts_behind_as_the_grid_does() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let id = create(&app, &admin, "Behind").await;
    let cal = enrolled(&app, &id, "Cal Modules", "2020-01-01", "2020-01-29").await;
    passed_every_module(&app, &cal).await;
    let grid = text_of(&app, &admin, &format!("/cohorts/{id}")).await;
    assert!(grid.contains("1 behind"), "not signed yet: {grid}");
    let page = format!("/learners/{cal}");
    let text = text_of(&app, &admin, &page).await;
    assert!(
        text.contains("(behind)") && text.contains("Learner policy Not signed"),
        "every module passed, the policy not signed: {text}"
    );
    signed_learner_policy(&app, &cal).await;
    let text = text_of(&app, &admin, &page).await;
    assert!(!text.contains("(behind)"), "{text}");
    assert!(
        text.contains("Learner policy Signed (version 1, 3 November 2026)"),
        "{text}"
    );
    let grid = text_of(&app, &admin, &format!("/cohorts/{id}")).await;
    assert!(
        grid.contains("0 behind") && grid.contains("1 complete"),
        "{grid}"
    );
}

//! Nudges over HTTP on SQLite and PostgreSQL: the preview says exactly who gets the
//! reminder and who is skipped and why; sending goes through the outbox; nobody is nudged
//! twice within 24 hours, even by two sends at once; the cohort page shows who made
//! progress within 7 days and the learner's page the reminders they had; and who may.

use crate::cohorts::{create, enrolled, signed_learner_policy};
use crate::helpers::*;
use app::auth::Role;
use reqwest::StatusCode;

async fn text_of(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let (status, page) = app.page(client, path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    visible_text(&page)
}

async fn mail_to(app: &TestApp, who: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM outbox WHERE to_address LIKE '%{who}@demo.test%'"
    ))
    .await
}

#[tokio::test]
async fn a_tutor_previews_then_sends_a_reminder_never_twice_in_a_day() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@demo.test").await;
    let id = create(&app, &admin, "Nudged").await;
    app.submit(
        &admin,
        "cohorts/add_tutor",
        &[("cohort_id", &id), ("email", "tutor@demo.test")],
        "/cohorts",
    )
    .await;
    let ann = enrolled(&app, &id, "Ann Behind", "2020-01-01", "2020-01-29").await;
    let bea = enrolled(&app, &id, "Bea Later", "2099-01-01", "2099-01-29").await;
    let wes = enrolled(&app, &id, "Wes Gone", "2020-01-01", "2020-01-29").await;
    let cal = enrolled(&app, &id, "Cal Complete", "2020-01-01", "2020-01-29").await;
    let tutor = app.signed_in("tutor@demo.test").await;
    app.submit(
        &tutor,
        "cohorts/set_status",
        &[("learner_id", &wes), ("status", "withdrawn")],
        "/cohorts",
    )
    .await;
    let library = app::content::load_library(&content_dir()).unwrap();
    for (n, m) in library.modules.iter().enumerate() {
        sqlx::query(
            "INSERT INTO quiz_attempts (id, org_id, user_id, module_id, module_version, option_order, started_at, submitted_at, score, total, pass_mark, passed_at)
             SELECT $1, org_id, id, $2, 1, '[]', '2026-11-03T10:00:00.000000Z', '2026-11-03T10:00:00.000000Z', 9, 10, 80, '2026-11-03T10:00:00.000000Z'
             FROM users WHERE id = $3",
        )
        .bind(format!("cal-{n}"))
        .bind(m.id.as_str())
        .bind(&cal)
        .execute(&app.db)
        .await
        .unwrap();
    }
    text_of(&app, &tutor, &format!("/cohorts/{id}")).await;
    signed_learner_policy(&app, &cal).await;

    // Choosing: the active learners who are not complete.
    let page = format!("/cohorts/{id}/nudge");
    let text = text_of(&app, &tutor, &page).await;
    assert!(
        text.contains("Ann Behind") && text.contains("Bea Later"),
        "{text}"
    );
    assert!(
        !text.contains("Wes Gone") && !text.contains("Cal Complete"),
        "{text}"
    );
    let text = text_of(&app, &tutor, &format!("{page}?who=behind")).await;
    assert!(text.contains("It goes to 1 learner"), "{text}");
    assert!(
        text.contains("Ann Behind") && !text.contains("Bea Later"),
        "{text}"
    );
    assert!(
        text.contains("You have passed 0 of"),
        "the email itself: {text}"
    );
    let text = text_of(
        &app,
        &tutor,
        &format!("{page}?learner={ann}&learner={wes}&learner={cal}&learner={bea}"),
    )
    .await;
    assert!(text.contains("It goes to 2 learners"), "{text}");
    assert!(text.contains("Wes Gone: withdrawn"), "{text}");
    assert!(
        text.contains("Cal Complete: their induction is complete"),
        "{text}"
    );

    // Sending: through the outbox, and never twice within 24 hours.
    let chosen = format!("{ann},{bea},{wes}");
    let r = app
        .submit(
            &tutor,
            "cohorts/nudge",
            &[("cohort_id", &id), ("learners", &chosen)],
            &page,
        )
        .await;
    assert_eq!(
        location(&r),
        format!("/cohorts/{id}?done=nudged&sent=2&skipped=1")
    );
    assert_eq!(
        (
            mail_to(&app, "ann.behind").await,
            mail_to(&app, "bea.later").await
        ),
        (1, 1)
    );
    assert_eq!(mail_to(&app, "wes.gone").await, 0);
    let text = text_of(&app, &tutor, &format!("{page}?learner={ann}")).await;
    assert!(
        text.contains("Ann Behind: nudged less than 24 hours ago"),
        "{text}"
    );
    let r = app
        .submit(
            &tutor,
            "cohorts/nudge",
            &[("cohort_id", &id), ("learners", &ann)],
            &page,
        )
        .await;
    assert_eq!(
        location(&r),
        format!("/cohorts/{id}?done=nudged&sent=0&skipped=1")
    );
    assert_eq!(mail_to(&app, "ann.behind").await, 1, "not twice in a day");

    // Two sends at once reach a learner once.
    let dee = enrolled(&app, &id, "Dee Twice", "2020-01-01", "2020-01-29").await;
    let form = [("cohort_id", id.as_str()), ("learners", dee.as_str())];
    let admin_send = app.call(&admin, "cohorts/nudge", &form);
    let tutor_send = app.call(&tutor, "cohorts/nudge", &form);
    let (a, b) = tokio::join!(admin_send, tutor_send);
    assert_eq!((a.status(), b.status()), (StatusCode::OK, StatusCode::OK));
    assert_eq!(
        mail_to(&app, "dee.twice").await,
        1,
        "one reminder, whoever sent first"
    );

    // What followed: Ann read a section after the reminder.
    sqlx::query(
        "INSERT INTO section_progress (user_id, org_id, module_id, section_id, read_at)
         SELECT id, org_id, 'grooming', 'any', $2 FROM users WHERE id = $1",
    )
    .bind(&ann)
    .bind(app::db::now())
    .execute(&app.db)
    .await
    .unwrap();
    let text = text_of(&app, &tutor, &format!("/cohorts/{id}")).await;
    assert!(text.contains("Reminders sent"), "{text}");
    assert!(
        text.contains("1 of 2 so far"),
        "Ann made progress, Bea not yet: {text}"
    );
    let text = text_of(&app, &tutor, &format!("/learners/{ann}")).await;
    assert!(
        text.contains("Reminders received") && text.contains("from Sam Tutor"),
        "{text}"
    );
}

#[tokio::test]
async fn only_the_cohorts_tutors_and_administrators_send_reminders() {
    let app = spawn_app().await;
    add_person(&app, "demo", "tutor2@demo.test", "Tam Tutor", Role::Tutor).await;
    let (cohort,): (String,) = sqlx::query_as("SELECT id FROM cohorts WHERE name = 'Demo cohort'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let alex = app.user_id("learner@demo.test").await;
    for (email, want) in [
        ("learner@demo.test", StatusCode::FORBIDDEN),
        ("dsl@demo.test", StatusCode::FORBIDDEN),
        ("people@demo.test", StatusCode::FORBIDDEN),
        ("tutor2@demo.test", StatusCode::NOT_FOUND),
        (OTHER_ADMIN, StatusCode::NOT_FOUND),
    ] {
        let client = app.signed_in(email).await;
        let r = app
            .call(&client, "cohorts/nudge_page", &[("cohort_id", &cohort)])
            .await;
        assert_eq!(r.status(), want, "{email} sees");
        let r = app
            .call(
                &client,
                "cohorts/nudge",
                &[("cohort_id", &cohort), ("learners", &alex)],
            )
            .await;
        assert_eq!(r.status(), want, "{email} sends");
    }
    assert_eq!(
        mail_to(&app, "learner").await,
        0,
        "nobody who may not sent one"
    );
    let r = app
        .call(
            &browser(),
            "cohorts/nudge",
            &[("cohort_id", &cohort), ("learners", &alex)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let tutor = app.signed_in("tutor@demo.test").await;
    let r = app
        .call(
            &tutor,
            "cohorts/nudge",
            &[("cohort_id", &cohort), ("learners", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "nobody chosen");
}

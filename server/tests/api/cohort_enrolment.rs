//! Enrolment by CSV over HTTP on SQLite and PostgreSQL: a real export is previewed with
//! every problem by line, nothing is written until the file is clean and confirmed, then
//! every row or none; new learners are invited through the outbox, existing accounts are
//! matched by email and never duplicated; and who may enrol into which cohort.

use crate::cohorts::create;
use crate::helpers::*;
use app::auth::Role;
use reqwest::{Client, StatusCode};

const ADMIN: &str = "admin@demo.test";
const PAGE: &str = "/cohorts/enrol";

async fn preview(app: &TestApp, client: &Client, csv: &str) -> String {
    let r = app
        .submit(
            client,
            "cohorts/enrolment_upload",
            &[("csv", csv), ("file_name", "intake.csv")],
            PAGE,
        )
        .await;
    assert_eq!(location(&r), format!("{PAGE}#preview"), "the file is kept");
    let (status, page) = app.page(client, PAGE).await;
    assert_eq!(status, StatusCode::OK);
    visible_text(&page)
}

/// Everything an enrolment could write: accounts, roles, memberships, records, mail.
async fn written(app: &TestApp) -> [i64; 5] {
    [
        app.count("SELECT COUNT(*) FROM users").await,
        app.count("SELECT COUNT(*) FROM user_roles").await,
        app.count("SELECT COUNT(*) FROM cohort_learners").await,
        app.count("SELECT COUNT(*) FROM learner_records").await,
        app.count("SELECT COUNT(*) FROM outbox").await,
    ]
}

const GOOD: &str = "\u{feff}Forename,Surname,E-mail,Cohort,Start date,DOB,ULN\r\n\
    Zoë,O'Neill-Brown,Zoe.ONeill@Example.org,September intake,01/09/2026,14/05/2009,4455667788\r\n\
    Alex,Learner,LEARNER@demo.test,september  intake,2026-09-08,,\r\n";

#[tokio::test]
async fn a_file_is_previewed_then_enrolled_all_or_none() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    create(&app, &admin, "September intake").await;
    let before = written(&app).await;

    // A broken file: every problem by line, and confirming it changes nothing.
    let broken = "First name,Last name,Email,Cohort,Start date\n\
        Amy,Lee,amy@example.org,September intake,01/09/2026\n\
        Ben,Cole,not-an-email,Evening group,31/02/2026\n";
    let text = preview(&app, &admin, broken).await;
    assert!(text.contains("2 rows."), "{text}");
    assert!(
        text.contains("Line 3 : \"not-an-email\" is not an email address"),
        "{text}"
    );
    assert!(
        text.contains("Line 3 : There is no cohort called \"Evening group\""),
        "{text}"
    );
    assert!(
        text.contains("Line 3 : Start date: \"31/02/2026\""),
        "{text}"
    );
    assert!(
        !text.contains("Enrol 2 learners"),
        "no confirm button: {text}"
    );
    let r = app.call(&admin, "cohorts/enrolment_confirm", &[]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let message = format!("{:?}", app_error(r).await);
    assert!(
        message.contains("3 problems (the first on line 3). Nobody was enrolled."),
        "{message}"
    );
    assert_eq!(written(&app).await, before, "nothing written");

    // A file without the columns is refused at once, naming them.
    let r = app
        .call(
            &admin,
            "cohorts/enrolment_upload",
            &[("csv", "Name,Email\nA,a@b.org\n")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(format!("{:?}", app_error(r).await).contains("column headed \\\"First name"));

    // A clean file: a new learner and the demo learner, who moves from the demo cohort.
    let text = preview(&app, &admin, GOOD).await;
    assert!(
        text.contains("No problems found: 1 new learner and 1 existing account."),
        "{text}"
    );
    assert!(
        text.contains("New learner: account created and invited"),
        "{text}"
    );
    assert!(
        text.contains("Existing account: moves to this cohort"),
        "{text}"
    );
    let r = app
        .submit(&admin, "cohorts/enrolment_confirm", &[], PAGE)
        .await;
    assert_eq!(location(&r), format!("{PAGE}?enrolled=2&invited=1#result"));
    let [users, roles, members, records, mail] = before;
    assert_eq!(
        written(&app).await,
        [users + 1, roles + 1, members + 2, records + 1, mail + 1],
        "one new account with the learner role, two enrolled (Alex's old time kept), one invitation"
    );
    let invited = app
        .count("SELECT COUNT(*) FROM outbox WHERE to_address LIKE '%zoe.oneill@example.org%'")
        .await;
    assert_eq!(invited, 1, "the new learner is invited");
    let (name, dob, reference): (String, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT u.full_name, u.date_of_birth, r.reference FROM users u
         JOIN learner_records r ON r.user_id = u.id WHERE u.email = 'zoe.oneill@example.org'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(name, "Zoë O'Neill-Brown");
    assert_eq!(dob.as_deref(), Some("2009-05-14"));
    assert_eq!(reference.as_deref(), Some("4455667788"));
    let moved = "SELECT COUNT(*) FROM cohort_learners m JOIN cohorts c ON c.id = m.cohort_id
                 JOIN users u ON u.id = m.user_id
                 WHERE u.email = 'learner@demo.test' AND m.left_at IS NULL
                   AND c.name = 'September intake'";
    assert_eq!(
        app.count(moved).await,
        1,
        "Alex is now in the September intake"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM import_uploads").await,
        0,
        "the file is gone once enrolled"
    );

    // The same file again: both are found by email, nobody is added or invited twice.
    let text = preview(&app, &admin, GOOD).await;
    assert!(
        text.contains("0 new learners and 2 existing accounts"),
        "{text}"
    );
    assert!(text.contains("Already in this cohort"), "{text}");
    let again = written(&app).await;
    app.submit(&admin, "cohorts/enrolment_confirm", &[], PAGE)
        .await;
    assert_eq!(
        written(&app).await,
        again,
        "nothing new: same cohort, same people"
    );

    // Checked again when confirmed: an account made since the preview stops the whole file.
    let late = "First name,Last name,Email,Cohort,Start date\n\
        Kim,Ng,kim@example.org,September intake,01/09/2026\n\
        Lou,Ray,lou@example.org,September intake,01/09/2026\n";
    preview(&app, &admin, late).await;
    add_person(&app, "demo", "lou@example.org", "Lou Ray", Role::Staff).await;
    let before = written(&app).await;
    let r = app.call(&admin, "cohorts/enrolment_confirm", &[]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let message = format!("{:?}", app_error(r).await);
    assert!(message.contains("the first on line 3"), "{message}");
    assert_eq!(written(&app).await, before, "not even Kim: all or none");
    let text = preview(&app, &admin, late).await;
    assert!(
        text.contains("Lou Ray has an account here without the learner role"),
        "{text}"
    );
}

#[tokio::test]
async fn tutors_enrol_only_into_the_cohorts_they_teach() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let taught = create(&app, &admin, "Taught").await;
    let not_taught = create(&app, &admin, "Not taught").await;
    crate::cohorts::enrolled(
        &app,
        &not_taught,
        "Nia Elsewhere",
        "2026-09-01",
        "2026-09-29",
    )
    .await;
    app.submit(
        &admin,
        "cohorts/add_tutor",
        &[("cohort_id", &taught), ("email", "tutor@demo.test")],
        "/cohorts",
    )
    .await;
    let tutor = app.signed_in("tutor@demo.test").await;
    let (_, page) = app.page(&tutor, PAGE).await;
    let text = visible_text(&page);
    assert!(
        text.contains("Cohorts you can enrol into: Demo cohort, Taught."),
        "{text}"
    );
    let text = preview(
        &app,
        &tutor,
        "First name,Last name,Email,Cohort,Start date\n\
         Kim,Ng,kim@example.org,Taught,01/09/2026\n\
         Lou,Ray,lou@example.org,Not taught,01/09/2026\n\
         Max,Orr,max@example.org,Other organisation's cohort,01/09/2026\n",
    )
    .await;
    assert!(
        text.contains("Line 3 : You do not teach \"Not taught\""),
        "{text}"
    );
    assert!(
        text.contains("Line 4 : There is no cohort called"),
        "{text}"
    );

    // Another tutor's learner stays where they are: only an administrator moves them.
    let text = preview(
        &app,
        &tutor,
        "First name,Last name,Email,Cohort,Start date\n\
         Nia,Elsewhere,nia.elsewhere@demo.test,Taught,01/09/2026\n",
    )
    .await;
    assert!(
        text.contains("Nia Elsewhere is in the cohort \"Not taught\", which you do not teach"),
        "{text}"
    );
    let move_nia = [
        ("cohort_id", taught.as_str()),
        ("email", "nia.elsewhere@demo.test"),
        ("start_on", "01/09/2026"),
    ];
    let r = app.call(&tutor, "cohorts/enrol", &move_nia).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(format!("{:?}", app_error(r).await).contains("which you do not teach"));
    let r = app.call(&admin, "cohorts/enrol", &move_nia).await;
    assert_eq!(r.status(), StatusCode::OK, "an administrator moves them");

    // The tutor's waiting file is theirs alone: the administrator has none.
    let (_, page) = app.page(&admin, PAGE).await;
    assert!(visible_text(&page).contains("1. Paste the file"));

    // Who may use enrolment by file at all.
    let other_org = app.signed_in(OTHER_ADMIN).await;
    for (client, want) in [
        (browser(), StatusCode::UNAUTHORIZED),
        (
            app.signed_in("learner@demo.test").await,
            StatusCode::FORBIDDEN,
        ),
        (app.signed_in("dsl@demo.test").await, StatusCode::FORBIDDEN),
        (
            app.signed_in("people@demo.test").await,
            StatusCode::FORBIDDEN,
        ),
        (other_org, StatusCode::OK),
    ] {
        let r = app.call(&client, "cohorts/enrolment_state", &[]).await;
        assert_eq!(r.status(), want);
    }
    // Another organisation's administrator cannot reach this one's cohorts by name.
    let other_org = app.signed_in(OTHER_ADMIN).await;
    let text = preview(
        &app,
        &other_org,
        "First name,Last name,Email,Cohort,Start date\nKim,Ng,kim@example.org,Taught,01/09/2026\n",
    )
    .await;
    assert!(
        text.contains("There is no cohort called \"Taught\""),
        "{text}"
    );
}

//! A tutor sees only the learners of the cohorts they teach, everywhere: the signing report
//! (page and CSV) and its reminders, parents' acknowledgements, signed copies and
//! certificates. The DSL (who sees every cohort) is not narrowed. On SQLite and PostgreSQL.

use crate::helpers::*;
use app::auth::Role;
use reqwest::{Client, StatusCode};

const TUTOR: &str = "tutor@demo.test";

/// A signature of the current learner policy for `person`, and a certificate for them
/// (a passed attempt at grooming): their ids as (signature, certificate code).
async fn signed_and_certified(app: &TestApp, person: &str, mark: &str) -> (String, String) {
    let signature = format!("signature-{mark}");
    sqlx::query(
        "INSERT INTO policy_signatures (id, org_id, user_id, version_id, round, text_sha256,
             typed_name, signed_at, address, user_agent)
         SELECT $2, u.org_id, u.id, v.id, 0, 'test', u.full_name,
                '2026-11-03T10:00:00.000000Z', '127.0.0.1', 'test'
         FROM users u JOIN policy_versions v ON v.org_id = u.org_id AND v.kind = 'learner'
              AND v.published_at IS NOT NULL
         WHERE u.id = $1",
    )
    .bind(person)
    .bind(&signature)
    .execute(&app.db)
    .await
    .unwrap();
    let attempt = format!("attempt-{mark}");
    sqlx::query(
        "INSERT INTO quiz_attempts (id, org_id, user_id, module_id, module_version, option_order, started_at, submitted_at, score, total, pass_mark, passed_at)
         SELECT $1, org_id, id, 'grooming', 1, '[]', '2026-11-03T10:00:00.000000Z', '2026-11-03T10:00:00.000000Z', 9, 10, 80, '2026-11-03T10:00:00.000000Z'
         FROM users WHERE id = $2",
    )
    .bind(&attempt)
    .bind(person)
    .execute(&app.db)
    .await
    .unwrap();
    let code = format!("{}-AAAA-BBBB", &mark.to_uppercase()[..4]);
    sqlx::query(
        "INSERT INTO certificates (code, org_id, user_id, module_id, module_title, attempt_id,
             holder_name, score, total, issued_at)
         SELECT $1, org_id, id, 'grooming', 'Grooming', $2, 'A L', 9, 10,
                '2026-11-03T10:00:00.000000Z'
         FROM users WHERE id = $3",
    )
    .bind(&code)
    .bind(&attempt)
    .bind(person)
    .execute(&app.db)
    .await
    .unwrap();
    (signature, code)
}

async fn status_of(
    app: &TestApp,
    client: &Client,
    function: &str,
    form: &[(&str, &str)],
) -> StatusCode {
    app.call(client, function, form).await.status()
}

#[tokio::test]
async fn a_tutor_sees_only_the_learners_of_the_cohorts_they_teach() {
    let app = spawn_app().await;
    // Alex is in the demo cohort, which the demo tutor teaches; Ola is in no cohort.
    let alex = app.user_id("learner@demo.test").await;
    let ola = add_person(&app, "demo", "ola@demo.test", "Ola Outside", Role::Learner).await;
    let tutor = app.signed_in(TUTOR).await;
    let dsl = app.signed_in("dsl@demo.test").await;
    // (The report makes the organisation's first learner policy version.)
    let (_, page) = app.page(&tutor, "/policies/report?kind=learner").await;
    let text = visible_text(&page);
    assert!(
        text.contains("You see the learners of the cohorts you teach."),
        "{text}"
    );
    assert!(
        text.contains("Alex Learner") && !text.contains("Ola Outside"),
        "{text}"
    );
    let (_, page) = app.page(&dsl, "/policies/report?kind=learner").await;
    let text = visible_text(&page);
    assert!(
        text.contains("Alex Learner") && text.contains("Ola Outside"),
        "{text}"
    );
    assert!(!text.contains("You see the learners of the cohorts you teach."));
    let csv = app
        .get(&tutor, "/policies/report.csv?kind=learner")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("Alex Learner") && !csv.contains("Ola Outside"),
        "{csv}"
    );
    let (_, page) = app.page(&tutor, "/policies/report?kind=staff").await;
    assert!(
        !visible_text(&page).contains("Jordan Staff"),
        "no staff for a tutor"
    );

    // Reminders from the tutor go to their own learners alone.
    let r = app
        .call(&tutor, "policies/remind", &[("kind", "learner")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let to = |email: &str| format!("SELECT COUNT(*) FROM outbox WHERE to_address LIKE '%{email}%'");
    assert_eq!(app.count(&to("learner@demo.test")).await, 1);
    assert_eq!(app.count(&to("ola@demo.test")).await, 0);

    // Signed copies, certificates and parents' cases: Alex's yes, Ola's not found.
    let (alex_signature, alex_code) = signed_and_certified(&app, &alex, "alexmark").await;
    let (ola_signature, ola_code) = signed_and_certified(&app, &ola, "katemark").await;
    for (who, signature, code, learner, want_tutor) in [
        ("Alex", &alex_signature, &alex_code, &alex, StatusCode::OK),
        (
            "Ola",
            &ola_signature,
            &ola_code,
            &ola,
            StatusCode::NOT_FOUND,
        ),
    ] {
        for (client, want) in [(&tutor, want_tutor), (&dsl, StatusCode::OK)] {
            let copy = [("signature_id", signature.as_str())];
            let cert = [("code", code.as_str())];
            let case = [("learner_id", learner.as_str())];
            assert_eq!(
                status_of(&app, client, "policies/signed_copy", &copy).await,
                want,
                "{who}'s signed copy"
            );
            assert_eq!(
                status_of(&app, client, "learning/certificate", &cert).await,
                want,
                "{who}'s certificate"
            );
            assert_eq!(
                status_of(&app, client, "policies/parent_case", &case).await,
                want,
                "{who}'s parent case"
            );
        }
    }
    // The learner's page lists Alex's signature and certificate, linked.
    let (_, page) = app.page(&tutor, &format!("/learners/{alex}")).await;
    let text = visible_text(&page);
    assert!(text.contains("version 1: signed 3 November 2026"), "{text}");
    assert!(text.contains("Grooming: 90%, 3 November 2026"), "{text}");
    assert!(page.contains(&format!("/policies/signed/{alex_signature}")));
    assert!(page.contains(&format!("/certificates/{alex_code}")));

    // Once Ola joins a cohort the tutor teaches, the tutor sees her.
    let (cohort,): (String,) = sqlx::query_as("SELECT id FROM cohorts WHERE name = 'Demo cohort'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let r = app
        .call(
            &tutor,
            "cohorts/enrol",
            &[
                ("cohort_id", &cohort),
                ("email", "ola@demo.test"),
                ("start_on", "01/09/2026"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let cert = [("code", ola_code.as_str())];
    assert_eq!(
        status_of(&app, &tutor, "learning/certificate", &cert).await,
        StatusCode::OK
    );
}

//! Staff training requirements and completions, on SQLite and PostgreSQL: every
//! organisation starts with the defaults (new ones and those from before the upgrade),
//! and completions are append-only: corrections are new rows, and the database refuses
//! to change or delete any row.

use crate::helpers::*;
use app::admin::queries as org_queries;
use app::db;
use app::ids::{ModuleSlug, OrganisationId, PersonId, RequirementId};
use app::training::defaults::defaults;
use app::training::queries::{self as training, NewCompletion};
use app::training::{rules, CompletionSource, HeldRole, StaffFacts, Status};
use chrono::NaiveDate;

/// The migration that adds training requirements.
const TRAINING: i64 = 20261202000012;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date in the test")
}

async fn org_id(app: &TestApp, slug: &str) -> OrganisationId {
    org_queries::organisation_by_slug(&app.db, slug)
        .await
        .expect("query")
        .expect("organisation exists")
        .id
}

/// (key, requirement) of the defaults, in order.
fn expected_defaults() -> Vec<(Option<String>, app::training::Requirement)> {
    defaults()
        .into_iter()
        .map(|d| (Some(d.key.to_string()), d.requirement))
        .collect()
}

async fn kept_requirements(
    db: &db::Db,
    org_id: &OrganisationId,
) -> Vec<(Option<String>, app::training::Requirement)> {
    training::requirements_of(db, org_id)
        .await
        .expect("requirements load")
        .into_iter()
        .map(|r| (r.default_key, r.requirement))
        .collect()
}

#[tokio::test]
async fn training_defaults_come_with_every_new_organisation() {
    let app = spawn_app().await;
    // The demo organisation (first start) and one made from the command line.
    for slug in ["demo", "other"] {
        let org = org_id(&app, slug).await;
        assert_eq!(
            kept_requirements(&app.db, &org).await,
            expected_defaults(),
            "{slug}"
        );
        assert_eq!(training::due_soon_days(&app.db, &org).await.unwrap(), 30);
    }
    // Each organisation has its own rows, to edit as it likes.
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT id) FROM training_requirements")
            .await,
        2 * defaults().len() as i64
    );
}

#[tokio::test]
async fn training_defaults_reach_organisations_from_before_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let db = db::connect(&url).await.unwrap();
    migrate_before(&db, TRAINING).await;
    sqlx::query(
        "INSERT INTO organisations (id, slug, name, created_at)
         VALUES ('o1', 'acme', 'Acme', '2026-01-01T00:00:00.000000Z')",
    )
    .execute(&db)
    .await
    .unwrap();

    db::migrate(&db).await.expect("the upgrade runs");

    // The migration's SQL copy of the defaults says what `defaults.rs` says.
    let o1 = OrganisationId::from_param("o1");
    assert_eq!(kept_requirements(&db, &o1).await, expected_defaults());
    let ids: Vec<RequirementId> = training::requirements_of(&db, &o1)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids[0].as_str(), "o1:staff-online-safety");
    db.close().await;
}

#[tokio::test]
async fn training_completions_are_corrected_by_new_rows_never_changed() {
    let app = spawn_app().await;
    let org = org_id(&app, "demo").await;
    let staff = PersonId::from_param(app.user_id("staff@demo.test").await);
    let people = PersonId::from_param(app.user_id("people@demo.test").await);
    let requirements = training::requirements_of(&app.db, &org).await.unwrap();
    let prevent = requirements
        .iter()
        .find(|r| r.default_key.as_deref() == Some("prevent-awareness"))
        .expect("the Prevent default");

    let mut tx = db::begin(&app.db).await.unwrap();
    let first = training::record_completion(
        &mut tx,
        &NewCompletion {
            org_id: &org,
            user_id: &staff,
            requirement_id: &prevent.id,
            completed_on: day("2026-01-10"),
            source: CompletionSource::ExternalCourse,
            reference: Some("Home Office Prevent awareness, certificate 12345"),
            reason: None,
            recorded_by: Some(&staff),
        },
    )
    .await
    .unwrap()
    .expect("recorded");
    // The certificate says the 12th: People correct it, with a reason.
    let corrected = training::record_correction(
        &mut tx,
        &org,
        &first,
        Some(day("2026-01-12")),
        "The certificate is dated 12 January.",
        &people,
    )
    .await
    .unwrap()
    .expect("corrected");
    tx.commit().await.unwrap();

    let days = training::completion_days(&app.db, &org, std::slice::from_ref(&staff))
        .await
        .unwrap();
    let theirs = days
        .get(&(staff.clone(), prevent.id.clone()))
        .cloned()
        .unwrap_or_default();
    assert_eq!(theirs, vec![day("2026-01-12")]);
    // And the status counts from the corrected day.
    let facts = StaffFacts {
        start: day("2026-01-05"),
        leaving: None,
        roles: vec![HeldRole {
            role: app::auth::Role::Staff,
            since: day("2026-01-05"),
        }],
        department: None,
        job_title: None,
    };
    assert_eq!(
        rules::status(&prevent.requirement, &facts, &theirs, day("2026-03-01"), 30),
        Status::Compliant {
            until: Some(day("2028-01-12"))
        }
    );

    // A row already corrected is not corrected again (correct the correction), and no
    // organisation corrects or records another's.
    let mut conn = app.db.acquire().await.unwrap();
    let again = training::record_correction(&mut conn, &org, &first, None, "Twice.", &people).await;
    assert!(again.is_err_and(|e| db::is_unique_violation(&e)));
    let other = org_id(&app, "other").await;
    assert_eq!(
        training::record_correction(&mut conn, &other, &corrected, None, "No.", &people)
            .await
            .unwrap(),
        None
    );
    let elsewhere = NewCompletion {
        org_id: &other,
        user_id: &staff,
        requirement_id: &prevent.id,
        completed_on: day("2026-01-10"),
        source: CompletionSource::Briefing,
        reference: None,
        reason: None,
        recorded_by: None,
    };
    assert_eq!(
        training::record_completion(&mut conn, &elsewhere)
            .await
            .unwrap(),
        None
    );
    // A correction must say why (the database checks it too).
    let no_reason = sqlx::query(
        "INSERT INTO training_completions
            (id, org_id, user_id, requirement_id, completed_on, source, supersedes, reason,
             recorded_by, recorded_at)
         VALUES ('c-x', $1, $2, $3, NULL, 'correction', $4, ' ', $5, '2026-03-01T00:00:00.000000Z')",
    )
    .bind(&org)
    .bind(&staff)
    .bind(&prevent.id)
    .bind(&corrected)
    .bind(&people)
    .execute(&mut *conn)
    .await;
    assert!(no_reason.is_err(), "a correction with a blank reason");

    // Withdrawn by a correction of the correction: nothing counts, everything is kept.
    training::record_correction(
        &mut conn,
        &org,
        &corrected,
        None,
        "Recorded for the wrong person.",
        &people,
    )
    .await
    .unwrap()
    .expect("withdrawn");
    drop(conn);
    let days = training::completion_days(&app.db, &org, std::slice::from_ref(&staff))
        .await
        .unwrap();
    assert!(days.is_empty(), "{days:?}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM training_completions").await,
        3
    );

    let mut refused = vec![
        "UPDATE training_completions SET completed_on = '2020-01-01'".to_string(),
        "UPDATE training_completions SET reason = 'tidied' WHERE source = 'correction'".into(),
        "DELETE FROM training_completions".into(),
        "DELETE FROM training_completions WHERE supersedes IS NOT NULL".into(),
    ];
    if using_postgres() {
        refused.push("TRUNCATE training_completions".into());
        refused.push("TRUNCATE training_requirements CASCADE".into());
    } else {
        // REPLACE removes the clashing row: with recursive triggers, that is a delete.
        refused.push("REPLACE INTO training_completions SELECT * FROM training_completions".into());
        refused.push(
            "INSERT OR REPLACE INTO training_completions SELECT * FROM training_completions".into(),
        );
    }
    for sql in refused {
        let err = sqlx::query(&sql)
            .execute(&app.db)
            .await
            .expect_err(&format!("{sql} was allowed"));
        // Refused by the append-only guard itself, not by some other rule.
        assert!(
            err.to_string()
                .contains("training completions cannot be changed or deleted"),
            "{sql}: {err}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM training_completions").await,
        3
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM training_completions WHERE completed_on = '2026-01-10'")
            .await,
        1
    );
}

#[tokio::test]
async fn training_counts_a_module_pass_on_its_london_day() {
    let app = spawn_app().await;
    let org = org_id(&app, "demo").await;
    let staff = PersonId::from_param(app.user_id("staff@demo.test").await);
    // Passed at 23:30 UTC on Saturday 24 October 2026: already Sunday in London (BST).
    sqlx::query(
        "INSERT INTO quiz_attempts
            (id, org_id, user_id, module_id, module_version, option_order, started_at,
             submitted_at, answers, score, total, pass_mark, passed_at)
         VALUES ('a1', $1, $2, 'staff-online-safety', 1, '[]', '2026-10-24T23:00:00.000000Z',
                 '2026-10-24T23:30:00.000000Z', '[]', 9, 10, 8, '2026-10-24T23:30:00.000000Z')",
    )
    .bind(&org)
    .bind(&staff)
    .execute(&app.db)
    .await
    .unwrap();
    let passes = training::module_pass_days(&app.db, &org, std::slice::from_ref(&staff))
        .await
        .unwrap();
    assert_eq!(
        passes.get(&staff),
        Some(&vec![(
            ModuleSlug::from_param("staff-online-safety"),
            day("2026-10-25")
        )])
    );
    // Nobody else's passes come with them.
    let other = org_id(&app, "other").await;
    let none = training::module_pass_days(&app.db, &other, std::slice::from_ref(&staff))
        .await
        .unwrap();
    assert!(none.is_empty());
}

//! Where staff stand, loaded for a whole organisation or for a few people: learners,
//! deactivated accounts and other organisations are never in it, start dates come from
//! staff records, and a completion or a leaving date changes the status. SQLite and
//! PostgreSQL.

use crate::helpers::*;
use app::admin::queries as org_queries;
use app::auth::Role;
use app::db;
use app::ids::{OrganisationId, PersonId};
use app::training::queries::{self as training, NewCompletion};
use app::training::standing::{self, Scope};
use app::training::{CompletionSource, RequirementRecord, Status};
use chrono::NaiveDate;

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

async fn set_record(
    app: &TestApp,
    org: &OrganisationId,
    person: &str,
    start: &str,
    leaving: Option<&str>,
) {
    sqlx::query(
        "INSERT INTO staff_records (user_id, org_id, start_date, leaving_date, updated_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(person)
    .bind(org.as_str())
    .bind(start)
    .bind(leaving)
    .bind(db::now())
    .execute(&app.db)
    .await
    .expect("staff record");
}

fn by_key<'a>(standing: &'a standing::Standing, key: &str) -> &'a RequirementRecord {
    standing
        .requirements
        .iter()
        .find(|r| r.default_key.as_deref() == Some(key))
        .expect("default requirement")
}

#[tokio::test]
async fn standing_reads_staff_records_and_completions_and_leaves_out_everyone_else() {
    let app = spawn_app().await;
    let org = org_id(&app, "demo").await;
    let new_starter = add_person(
        &app,
        "demo",
        "starter@demo.test",
        "Nia Starter",
        Role::Staff,
    )
    .await;
    let leaver = add_person(&app, "demo", "leaver@demo.test", "Lee Leaver", Role::Staff).await;
    let done = add_person(&app, "demo", "done@demo.test", "Dana Done", Role::Staff).await;
    let gone = add_person(&app, "demo", "gone@demo.test", "Gil Gone", Role::Staff).await;
    add_person(
        &app,
        "demo",
        "learner2@demo.test",
        "Lara Learner",
        Role::Learner,
    )
    .await;
    add_person(
        &app,
        "other",
        "staff2@other.test",
        "Otto Other",
        Role::Staff,
    )
    .await;
    set_record(&app, &org, &new_starter, "2026-11-20", None).await;
    set_record(&app, &org, &leaver, "2020-01-06", Some("2026-11-30")).await;
    set_record(&app, &org, &done, "2025-01-06", None).await;
    set_record(&app, &org, &gone, "2025-01-06", None).await;
    sqlx::query("UPDATE users SET deactivated_at = $1 WHERE id = $2")
        .bind(db::now())
        .bind(&gone)
        .execute(&app.db)
        .await
        .unwrap();

    let whole = standing::load(&app.db, &org, Scope::Organisation)
        .await
        .unwrap();
    let names: Vec<&str> = whole.staff.iter().map(|p| p.name.as_str()).collect();
    assert!(names.contains(&"Nia Starter") && names.contains(&"Dana Done"));
    for absent in ["Lara Learner", "Otto Other", "Gil Gone"] {
        assert!(
            !names.contains(&absent),
            "{absent} is not staff of demo: {names:?}"
        );
    }
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted, "by name");

    // Prevent awareness: within 28 days of starting, renewed every 24 months.
    let prevent = by_key(&whole, "prevent-awareness").clone();
    let mut tx = db::begin(&app.db).await.unwrap();
    training::record_completion(
        &mut tx,
        &NewCompletion {
            org_id: &org,
            user_id: &PersonId::from_param(done.clone()),
            requirement_id: &prevent.id,
            completed_on: day("2025-02-01"),
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

    let today = day("2026-12-02");
    let people = [
        new_starter.clone(),
        leaver.clone(),
        done.clone(),
        gone.clone(),
    ]
    .map(PersonId::from_param);
    let few = standing::load(&app.db, &org, Scope::People(&people))
        .await
        .unwrap();
    assert_eq!(few.staff.len(), 3, "the deactivated account is left out");
    let status_of = |name: &str| {
        let person = few.staff.iter().find(|p| p.name == name).expect(name);
        few.status(person, by_key(&few, "prevent-awareness"), today)
    };
    assert_eq!(
        status_of("Nia Starter"),
        Status::DueSoon {
            due: day("2026-12-18"),
            days_left: 16
        },
        "28 days from the start date in the staff record"
    );
    assert!(matches!(
        status_of("Lee Leaver"),
        Status::NotRequired { .. }
    ));
    assert_eq!(
        status_of("Dana Done"),
        Status::Compliant {
            until: Some(day("2027-02-01"))
        }
    );

    // The whole organisation and a few people agree, and the preview counts them.
    let dana = whole.staff.iter().find(|p| p.name == "Dana Done").unwrap();
    let reloaded = standing::load(&app.db, &org, Scope::Organisation)
        .await
        .unwrap();
    assert_eq!(
        reloaded.status(dana, by_key(&reloaded, "prevent-awareness"), today),
        status_of("Dana Done")
    );
    let counts = reloaded.preview(&prevent.requirement, Some(&prevent.id), today);
    assert_eq!(
        counts.required() + counts.not_required,
        reloaded.staff.len() as u32
    );
    assert!(counts.compliant >= 1 && counts.due_soon >= 1 && counts.not_required >= 1);
    // A new rule like it has no recorded completions yet: Dana is no longer compliant.
    let fresh = reloaded.preview(&prevent.requirement, None, today);
    assert_eq!(fresh.compliant, counts.compliant - 1);
}

#[tokio::test]
async fn a_requirement_met_by_a_document_counts_only_the_current_edition() {
    use crate::documents::{acknowledge, create, publish, FIRST_TEXT, KEY, PEOPLE, SECOND_TEXT};
    use app::training::{AppliesTo, FirstDue, Renewal, Requirement, SatisfiedBy};
    let app = spawn_app().await;
    let org = org_id(&app, "demo").await;
    let people = app.signed_in(PEOPLE).await;
    let staff = app.signed_in("staff@demo.test").await;
    create(&app, &people, KEY).await;
    let first = publish(&app, &people, FIRST_TEXT, "First edition.").await;
    let mut tx = db::begin(&app.db).await.unwrap();
    let placed = training::Placement {
        org_id: &org,
        default_key: None,
        position: 9,
        by: None,
    };
    let reading = Requirement {
        name: "Read KCSIE Part one".into(),
        level: String::new(),
        satisfied_by: SatisfiedBy::Document {
            document: KEY.into(),
        },
        applies_to: AppliesTo::AllStaff,
        first_due: FirstDue::WithinDaysOfStart { days: 14 },
        renews: Renewal::Never,
        window_days: None,
        grace: None,
    };
    let id = training::insert_requirement(&mut tx, &placed, &reading)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let today = app::calendar::today();
    let status_of = |standing: &standing::Standing, email: &str| {
        let person = standing
            .staff
            .iter()
            .find(|p| p.email == email)
            .expect(email)
            .clone();
        let requirement = standing
            .requirements
            .iter()
            .find(|r| r.id == id)
            .expect("kept");
        standing.status(&person, requirement, today)
    };

    let r = acknowledge(&app, &staff, &first).await;
    assert!(r.status().is_success() || r.status() == reqwest::StatusCode::FOUND);
    let now = standing::load(&app.db, &org, Scope::Organisation)
        .await
        .unwrap();
    assert_eq!(
        status_of(&now, "staff@demo.test"),
        Status::Compliant { until: None }
    );
    assert!(matches!(
        status_of(&now, "manager@demo.test"),
        Status::DueSoon { .. }
    ));

    // A second edition in force today: the first acknowledgement no longer counts.
    publish(&app, &people, SECOND_TEXT, "Online safety added.").await;
    let again = standing::load(&app.db, &org, Scope::Organisation)
        .await
        .unwrap();
    assert!(
        matches!(status_of(&again, "staff@demo.test"), Status::DueSoon { .. }),
        "{:?}",
        status_of(&again, "staff@demo.test")
    );
    // The evidence pack for today agrees.
    let rebuilt = standing::load_as_it_stood(&app.db, &org, today)
        .await
        .unwrap();
    assert_eq!(
        status_of(&rebuilt, "staff@demo.test"),
        status_of(&again, "staff@demo.test")
    );
}

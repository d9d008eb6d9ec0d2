//! The shared people query (`app::people`): search, roles, sort and paging in SQL, on
//! SQLite and PostgreSQL, never crossing organisations; and the paged pages using it.

use crate::helpers::*;
use app::admin::queries as org_queries;
use app::auth::Role;
use app::ids::OrganisationId;
use app::people::queries::{self as people, PeopleQuery, Sort};
use reqwest::StatusCode;

/// People without a real password hash: the query only asks whether there is one, and
/// hashing 120 passwords would make the test slow.
async fn add_quickly(app: &TestApp, slug: &str, people: &[(String, String)], role: Role) {
    let org = org_queries::organisation_by_slug(&app.db, slug)
        .await
        .unwrap()
        .expect("organisation exists");
    let mut conn = app.db.acquire().await.unwrap();
    for (email, name) in people {
        let id = org_queries::insert_user(&mut conn, &org.id, email, name, Some("not-a-hash"))
            .await
            .unwrap();
        org_queries::add_role(&mut conn, &org.id, &id, role)
            .await
            .unwrap();
    }
}

async fn demo_org(app: &TestApp) -> OrganisationId {
    org_queries::organisation_by_slug(&app.db, "demo")
        .await
        .unwrap()
        .expect("demo")
        .id
}

fn query<'a>(org_id: &'a OrganisationId, search: &'a str) -> PeopleQuery<'a> {
    PeopleQuery {
        org_id,
        search,
        roles: &[],
        active_only: false,
        also: None,
        taught_by: None,
        sort: Sort::Name,
        page: Some(1),
        per_page: 50,
    }
}

async fn names(app: &TestApp, q: &PeopleQuery<'_>) -> Vec<String> {
    let found = people::list(&app.db, q).await.expect("people listed");
    found.rows.into_iter().map(|p| p.full_name).collect()
}

#[tokio::test]
async fn search_takes_wildcards_apostrophes_and_accents_literally() {
    let app = spawn_app().await;
    let odd = [
        ("percy@demo.test", "Percy 100% Sure"),
        ("una_u@demo.test", "Una Under_score"),
        ("obrien@demo.test", "Seán O'Brien"),
        ("kraus@demo.test", "Zoë Kraus"),
        ("zoe2@demo.test", "Zoe Plain"),
    ]
    .map(|(e, n)| (e.to_string(), n.to_string()));
    add_quickly(&app, "demo", &odd, Role::Learner).await;
    let org = demo_org(&app).await;
    assert_eq!(names(&app, &query(&org, "%")).await, ["Percy 100% Sure"]);
    assert_eq!(names(&app, &query(&org, "_")).await, ["Una Under_score"]);
    assert_eq!(names(&app, &query(&org, "o'brien")).await, ["Seán O'Brien"]);
    assert_eq!(names(&app, &query(&org, "seán")).await, ["Seán O'Brien"]);
    assert_eq!(names(&app, &query(&org, "zoë")).await, ["Zoë Kraus"]);
    assert_eq!(names(&app, &query(&org, "ZOE")).await, ["Zoe Plain"]);
    assert_eq!(
        names(&app, &query(&org, "UNA_U@")).await,
        ["Una Under_score"]
    );
    app.stop().await;
}

/// `count` people named "Person 001"... with emails p001@...; learners.
fn numbered(count: usize, domain: &str) -> Vec<(String, String)> {
    (1..=count)
        .map(|i| (format!("p{i:03}@{domain}"), format!("Person {i:03}")))
        .collect()
}

#[tokio::test]
async fn pages_past_the_end_show_the_last_page_and_other_organisations_never_appear() {
    let app = spawn_app().await;
    add_quickly(&app, "demo", &numbered(120, "demo.test"), Role::Learner).await;
    add_quickly(&app, "other", &numbered(3, "other.test"), Role::Learner).await;
    let org = demo_org(&app).await;
    let learners = [Role::Learner];
    let mut q = PeopleQuery {
        roles: &learners,
        ..query(&org, "person")
    };
    q.page = Some(2);
    let found = people::list(&app.db, &q).await.unwrap();
    assert_eq!(found.paging.total, 120);
    assert_eq!(found.rows.len(), 50);
    assert_eq!(found.rows[0].full_name, "Person 051");
    q.page = Some(99);
    let found = people::list(&app.db, &q).await.unwrap();
    assert_eq!(found.paging.page, 3, "past the end: the last page");
    assert_eq!(found.rows.len(), 20);
    assert_eq!(found.paging.summary(), "Showing 101 to 120 of 120");
    assert!(found.rows.iter().all(|p| p.email.ends_with("@demo.test")));
    q.page = None;
    assert_eq!(people::list(&app.db, &q).await.unwrap().rows.len(), 120);
    let everyone = PeopleQuery {
        page: None,
        ..query(&org, "")
    };
    let all = people::list(&app.db, &everyone).await.unwrap().rows;
    assert_eq!(all.len(), 127, "the 7 demo accounts and 120 more");
    assert!(
        all.iter().all(|p| !p.email.ends_with("other.test")),
        "nobody from the other organisation"
    );
    let staff = [Role::Tutor];
    let tutors = PeopleQuery {
        roles: &staff,
        ..query(&org, "")
    };
    assert_eq!(names(&app, &tutors).await, ["Sam Tutor"]);
    app.stop().await;
}

#[tokio::test]
async fn names_sort_whatever_their_case_and_emails_sort_too() {
    let app = spawn_app().await;
    let mixed = [
        ("zz@demo.test", "bea Lower"),
        ("aa@demo.test", "Cal Upper"),
        ("mm@demo.test", "Abe Upper"),
    ]
    .map(|(e, n)| (e.to_string(), n.to_string()));
    add_quickly(&app, "demo", &mixed, Role::Staff).await;
    let org = demo_org(&app).await;
    let by_name = query(&org, "upper");
    assert_eq!(names(&app, &by_name).await, ["Abe Upper", "Cal Upper"]);
    let all = query(&org, "e");
    let found = names(&app, &all).await;
    let (abe, bea, cal) = (
        found.iter().position(|n| n == "Abe Upper"),
        found.iter().position(|n| n == "bea Lower"),
        found.iter().position(|n| n == "Cal Upper"),
    );
    assert!(abe < bea && bea < cal, "{found:?}");
    let by_email = PeopleQuery {
        sort: Sort::Email,
        ..query(&org, "@demo.test")
    };
    let emails: Vec<String> = people::list(&app.db, &by_email)
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|p| p.email)
        .collect();
    let mut sorted = emails.clone();
    sorted.sort();
    assert_eq!(emails, sorted);
    assert_eq!(emails[0], "aa@demo.test");
    app.stop().await;
}

#[tokio::test]
async fn the_users_list_and_the_report_are_paged_and_any_page_number_works() {
    let app = spawn_app().await;
    add_quickly(&app, "demo", &numbered(120, "demo.test"), Role::Learner).await;
    let admin = app.signed_in("admin@demo.test").await;
    let (status, html) = app.page(&admin, "/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    assert!(text.contains("127 people"), "{text}");
    assert!(text.contains("Showing 1 to 50 of 127"), "{text}");
    assert!(html.contains("/admin/users?q=&amp;page=2"), "a Next link");
    for page in ["abc", "-1", "0", "99999999999999999999", "3"] {
        let (status, html) = app.page(&admin, &format!("/admin/users?page={page}")).await;
        assert_eq!(status, StatusCode::OK, "page={page}");
        let text = visible_text(&html);
        let expected = if page == "abc" || page == "-1" || page == "0" {
            "Showing 1 to 50 of 127"
        } else {
            "Showing 101 to 127 of 127"
        };
        assert!(text.contains(expected), "page={page}: {text}");
    }
    let (_, html) = app.page(&admin, "/admin/users?q=person&page=3").await;
    let text = visible_text(&html);
    assert!(text.contains("Showing 101 to 120 of 120") && text.contains("Person 120"));
    assert!(!text.contains("Person 001"));

    let dsl = app.signed_in("dsl@demo.test").await;
    let (status, html) = app
        .page(
            &dsl,
            "/policies/report?kind=learner&status=not-signed&page=2",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    // Alex Learner (not signed either) comes first, by name.
    assert!(text.contains("Showing 51 to 100 of 121"), "{text}");
    assert!(
        text.contains("Person 050") && !text.contains("Person 049"),
        "{text}"
    );
    assert!(text.contains("of 121 people have signed"), "{text}");
    assert!(
        html.contains("status=not-signed&amp;q=&amp;page=3"),
        "Next keeps the filter"
    );
    let (status, html) = app.page(&dsl, "/policies/report?kind=learner&page=x").await;
    assert_eq!(status, StatusCode::OK);
    assert!(visible_text(&html).contains("Showing 1 to 50 of 121"));
    let csv = app
        .get(&dsl, "/policies/report.csv?kind=learner&status=not-signed")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 122, "a header and all 121, not a page");
    app.stop().await;
}

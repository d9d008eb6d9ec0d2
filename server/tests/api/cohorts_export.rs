//! A cohort's grid as CSV, over HTTP on SQLite and PostgreSQL: every learner the filter
//! keeps (not one page), in the grid's order, formula-safe; only for those who may see
//! the cohort.

use crate::cohorts::{create, enrolled};
use crate::helpers::*;
use app::auth::Role;
use reqwest::StatusCode;

#[tokio::test]
async fn the_grid_downloads_as_csv_with_its_filter_for_those_who_may_see_it() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@demo.test").await;
    let id = create(&app, &admin, "Export").await;
    enrolled(&app, &id, "=Sum Learner", "2020-01-01", "2020-01-29").await;
    enrolled(&app, &id, "Bea Later", "2099-01-01", "2099-01-29").await;
    for n in 0..55 {
        enrolled(
            &app,
            &id,
            &format!("Zed Extra{n:02}"),
            "2099-01-01",
            "2099-01-29",
        )
        .await;
    }

    let r = app.get(&admin, &format!("/cohorts/{id}/grid.csv")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let disposition = r.headers()[reqwest::header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"cohort-"),
        "{disposition}"
    );
    let text = r.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("Learner,Status,Grooming and exploitation,"),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(
        ",Learner policy,Parent or carer,Modules passed,Complete,Induction due by,Behind,Last active"
    ));
    assert_eq!(lines.len(), 1 + 57, "every learner, not one page of 50");
    assert!(
        lines[1].starts_with("'=Sum Learner,Active,Not started,"),
        "a name a spreadsheet would run is neutralised: {}",
        lines[1]
    );
    assert!(
        lines[1].contains(",Not signed,Date of birth not recorded,0 of "),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains(",No,29 January 2020,Yes,"),
        "{}",
        lines[1]
    );

    // The filter and search of the page apply; the sort too.
    let text = app
        .get(&admin, &format!("/cohorts/{id}/grid.csv?show=behind"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    let text = app
        .get(&admin, &format!("/cohorts/{id}/grid.csv?q=bea&sort=-name"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        text.lines().nth(1).unwrap().starts_with("Bea Later,"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 2);

    // The print view: every learner the filter keeps in one table, no forms.
    let (status, page) = app
        .page(&admin, &format!("/cohorts/{id}/print?sort=-name"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&page);
    assert!(text.contains("57 learners listed."), "{text}");
    assert!(
        text.contains("Zed Extra54") && text.contains("Bea Later"),
        "{text}"
    );
    assert!(
        !text.contains("Show learners") && !text.contains("Enrol a learner"),
        "no forms to print: {text}"
    );
    assert!(
        text.find("Zed Extra54") < text.find("Bea Later"),
        "in the grid's sort"
    );

    // Who may not: a learner, a tutor of no cohort here, another organisation, signed out.
    add_person(&app, "demo", "tutor2@demo.test", "Tam Tutor", Role::Tutor).await;
    for (client, want) in [
        (
            app.signed_in("learner@demo.test").await,
            StatusCode::FORBIDDEN,
        ),
        (
            app.signed_in("tutor2@demo.test").await,
            StatusCode::NOT_FOUND,
        ),
        (app.signed_in(OTHER_ADMIN).await, StatusCode::NOT_FOUND),
        (browser(), StatusCode::UNAUTHORIZED),
    ] {
        let r = app.get(&client, &format!("/cohorts/{id}/grid.csv")).await;
        assert_eq!(r.status(), want);
    }
}

//! The People dashboard: counts, filters, sorting and paging in the words on the page,
//! refused filters with a message (never a 500), and the CSV: every matching row, in
//! the same words, formula-safe.

use super::*;

/// 55 more members of staff, with no staff record (so they start today): 67 in all.
async fn crowd(app: &TestApp, org: &Org) {
    let mut conn = app.db.acquire().await.unwrap();
    for n in 1..=55 {
        let email = format!("bulk{n:02}@demo.test");
        let name = format!("Bulk Person {n:02}");
        let id = org_queries::insert_user(&mut conn, &org.org, &email, &name, None)
            .await
            .unwrap();
        org_queries::add_role(&mut conn, &org.org, &id, Role::Staff)
            .await
            .unwrap();
    }
}

fn listed(html: &str, id: &str) -> Option<usize> {
    html.find(&format!("href=\"/training/people/{id}\""))
}

#[tokio::test]
async fn the_dashboard_counts_filters_sorts_and_pages() {
    let app = spawn_app().await;
    let org = small_org(&app).await;
    crowd(&app, &org).await;
    let people = app.signed_in("people@demo.test").await;

    let text = read(&app, &people, "/training/dashboard").await;
    assert!(text.contains("67 people"), "{text}");
    assert!(
        text.contains("Showing 1 to 50 of 67 (page 1 of 2)"),
        "{text}"
    );
    for heading in ["By status", "By requirement", "By department"] {
        assert!(text.contains(heading), "{heading}");
    }
    for row in [
        "Prevent awareness",
        "Skills",
        "Care",
        "Leadership",
        "No department recorded",
    ] {
        assert!(text.contains(row), "{row} counted: {text}");
    }
    let exceptions = app::staff::queries::count_exceptions(
        &app.db,
        &org.org,
        &app::calendar::day_key(org.today),
    )
    .await
    .unwrap();
    assert!(
        text.contains(&format!("{exceptions} people have no line manager")),
        "{text}"
    );
    let (_, html) = app.page(&people, "/training/dashboard").await;
    assert!(html.contains("href=\"/staff?show=exceptions\""));
    assert!(html.contains("href=\"/training/dashboard.csv\""));

    // Paging: past the end is the last page, page 0 the first.
    for (page, shown) in [
        ("2", "Showing 51 to 67 of 67"),
        ("99", "Showing 51 to 67 of 67"),
        ("99999999999999999999", "Showing 51 to 67 of 67"),
        ("0", "Showing 1 to 50 of 67"),
        ("two", "Showing 1 to 50 of 67"),
    ] {
        let text = read(&app, &people, &format!("/training/dashboard?page={page}")).await;
        assert!(text.contains(shown), "page {page}: {text}");
    }

    // Filters: by status (whoever has anything overdue), department, manager, name.
    let path = "/training/dashboard?status=overdue&sort=overdue";
    let text = read(&app, &people, path).await;
    assert!(text.contains("5 people"), "{text}");
    let (_, html) = app.page(&people, path).await;
    assert!(listed(&html, &org.dan).is_none(), "due soon, not overdue");
    // Most overdue first: started 800, 400, 100, 50 and 40 days ago.
    let order: Vec<usize> = [&org.top, &org.mid, &org.oona, &org.olly, &org.staff]
        .iter()
        .map(|id| listed(&html, id).expect("listed"))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(
        html.contains("<option value=\"overdue\" selected"),
        "the filter stays chosen"
    );
    assert!(html.contains("href=\"/training/dashboard.csv?status=overdue&amp;sort=overdue\""));

    let path = "/training/dashboard?department=%20skills";
    let text = read(&app, &people, path).await;
    assert!(text.contains("4 people"), "any case and spacing: {text}");
    let (_, html) = app.page(&people, path).await;
    assert!(
        html.contains("<option value=\"Skills\" selected"),
        "shown as chosen"
    );
    let text = read(
        &app,
        &people,
        &format!("/training/dashboard?manager={}", org.mid),
    )
    .await;
    assert!(text.contains("3 people"), "{text}");
    let text = read(&app, &people, "/training/dashboard?q=JORDAN").await;
    assert!(
        text.contains("1 person") && text.contains("Jordan Staff"),
        "{text}"
    );
    let dsl = requirement_id(&app, &org, "dsl-training").await;
    let path = format!("/training/dashboard?requirement={}&status=overdue", dsl);
    let text = read(&app, &people, &path).await;
    assert!(text.contains("0 people"), "{text}");

    // Sorting by department: Care before Leadership before Skills, nobody's last.
    let (_, html) = app
        .page(&people, "/training/dashboard?sort=department")
        .await;
    let (care, lead, skills) = (
        listed(&html, &org.olly),
        listed(&html, &org.top),
        listed(&html, &org.mid),
    );
    assert!(care < lead && lead < skills, "{care:?} {lead:?} {skills:?}");

    // Refused filters: a message each, the rest of the page as without them.
    for (query, message) in [
        ("status=late", "There is no such status"),
        (
            "requirement=someone-elses",
            "not one of your organisation's requirements",
        ),
        (
            &format!("manager={}", org.olly),
            "not a line manager in your organisation",
        ),
        (
            "q=a%01b",
            "The search contains characters that cannot be used",
        ),
        ("sort=salary", "Sort by name, department or most overdue."),
        (&format!("q={}", "x".repeat(201)), "at most 200 characters"),
    ] {
        let (status, html) = app
            .page(&people, &format!("/training/dashboard?{query}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let text = visible_text(&html);
        assert!(text.contains(message), "{query}: {text}");
        assert!(text.contains("67 people"), "{query}: {text}");
    }
}

#[tokio::test]
async fn the_csv_has_every_matching_row_in_words_and_is_formula_safe() {
    let app = spawn_app().await;
    let org = small_org(&app).await;
    crowd(&app, &org).await;
    sqlx::query("UPDATE staff_records SET job_title = '@lead' WHERE user_id = $1")
        .bind(&org.olly)
        .execute(&app.db)
        .await
        .unwrap();
    let people = app.signed_in("people@demo.test").await;
    let requirements = training::requirements_of(&app.db, &org.org)
        .await
        .unwrap()
        .len();

    let response = app.get(&people, "/training/dashboard.csv").await;
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert!(header("content-type").starts_with("text/csv"));
    assert_eq!(
        header("content-disposition"),
        format!(
            "attachment; filename=\"training-{}.csv\"",
            app::calendar::day_key(org.today)
        )
    );
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "Name,Email,Employee number,Department,Job title,Line manager,Requirement,Level,Status,Status in words,Due date,Days overdue"
    );
    assert_eq!(
        lines.len() - 1,
        67 * requirements,
        "every person and requirement, not one page"
    );
    let due = days_ago(org.today, 12);
    let jordan = format!(
        "Jordan Staff,staff@demo.test,E100,Skills,Tutor,Mia Middle,Staff online safety training,Induction,Overdue,Overdue by 12 days (due {}),{},12",
        uk(due),
        app::calendar::day_key(due)
    );
    assert!(lines.contains(&jordan.as_str()), "{csv}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("\"'=HYPERLINK(\"\"x\"\")\",formula@demo.test,")),
        "a name that is a formula is text: {csv}"
    );
    assert!(lines.iter().any(|l| l.contains(",'@lead,")), "{csv}");
    assert!(
        !csv.contains(",=") && !csv.contains(",@"),
        "nothing a spreadsheet would run"
    );

    // The dashboard's filters, and only rows with the status asked for.
    let r = app
        .get(&people, "/training/dashboard.csv?status=overdue")
        .await;
    let csv = r.text().await.unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|l| l.contains(",Overdue,Overdue by ")),
        "{csv}"
    );
    let prevent = requirement_id(&app, &org, "prevent-awareness").await;
    let path = format!("/training/dashboard.csv?q=jordan&requirement={}", prevent);
    let csv = app.get(&people, &path).await.text().await.unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{csv}");
    assert!(rows[0].contains(",Compliant,Compliant until "), "{csv}");

    // A refused filter is refused, never quietly left out of a file for an auditor.
    let r = app
        .get(&people, "/training/dashboard.csv?status=late")
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("There is no such status"));
}

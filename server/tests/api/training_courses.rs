//! External courses with certificate files, on SQLite and PostgreSQL: the file's kind is
//! read from its bytes (not its name), files over 5 MB are refused, refusals store
//! nothing, the file comes back byte for byte, verifying adds exactly one completion,
//! rejecting needs a reason, and who may record, check and download.

use crate::helpers::*;
use app::auth::Role;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

const UPLOAD: &str = "/training/courses/upload";
const STAFF: &str = "staff@demo.test";
const MANAGER: &str = "manager@demo.test";
const PEOPLE: &str = "people@demo.test";
const ADMIN: &str = "admin@demo.test";
const BOSS: &str = "boss@demo.test";
const OTHER_MANAGER: &str = "other.manager@demo.test";
const COLLEAGUE: &str = "colleague@demo.test";
const MAX: usize = 5 * 1024 * 1024;

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec();
    bytes.extend_from_slice(b"\x90wS\xde\0\0\0\0IEND\xaeB`\x82");
    bytes
}

fn jpeg() -> Vec<u8> {
    vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 0xFF, 0xD9,
    ]
}

/// The demo organisation's requirement with this default key.
async fn requirement(app: &TestApp, key: &str) -> String {
    let (id,): (String,) = sqlx::query_as(
        "SELECT r.id FROM training_requirements r JOIN organisations o ON o.id = r.org_id
         WHERE o.slug = 'demo' AND r.default_key = $1",
    )
    .bind(key)
    .fetch_one(&app.db)
    .await
    .unwrap();
    id
}

/// A course form with good fields, these overriding them, and this file.
fn course_form(requirement: &str, fields: &[(&str, &str)], file: Option<(&str, Vec<u8>)>) -> Form {
    let mut all: Vec<(String, String)> = [
        ("requirement_id", requirement),
        ("provider", "Local Authority"),
        ("title", "Prevent awareness"),
        ("completed_on", "01/09/2025"),
        ("hours", "7.5"),
    ]
    .iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect();
    for (name, value) in fields {
        match all.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value.to_string(),
            None => all.push((name.to_string(), value.to_string())),
        }
    }
    let mut form = Form::new();
    for (name, value) in all {
        form = form.text(name, value);
    }
    if let Some((name, bytes)) = file {
        // The browser's word on the type is ignored: always say PDF.
        let part = Part::bytes(bytes)
            .file_name(name.to_string())
            .mime_str("application/pdf")
            .unwrap();
        form = form.part("certificate", part);
    }
    form
}

/// A program posting the form (typed errors, real status codes).
async fn post(app: &TestApp, client: &Client, form: Form) -> Response {
    client
        .post(app.url(UPLOAD))
        .multipart(form)
        .send()
        .await
        .expect("request")
}

/// A browser posting the form from its page (redirects).
async fn post_as_browser(app: &TestApp, client: &Client, form: Form) -> Response {
    client
        .post(app.url(UPLOAD))
        .header("Accept", "text/html,application/xhtml+xml")
        .header("Origin", app.base.clone())
        .header("Sec-Fetch-Site", "same-origin")
        .multipart(form)
        .send()
        .await
        .expect("request")
}

/// Record a course that must be accepted; answers its id.
async fn recorded(app: &TestApp, client: &Client, form: Form) -> String {
    let r = post(app, client, form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    let (id,): (String,) =
        sqlx::query_as("SELECT id FROM external_courses ORDER BY recorded_at DESC, id LIMIT 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    id
}

async fn refused_with(app: &TestApp, client: &Client, form: Form, words: &[&str]) {
    let before = stored(app).await;
    let r = post(app, client, form).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let message = app_error(r).await.to_string();
    for word in words {
        assert!(message.contains(word), "{word}: {message}");
    }
    assert_eq!(stored(app).await, before, "a refusal stores nothing");
}

/// (files, courses, upload audit rows).
async fn stored(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM evidence_files").await,
        app.count("SELECT COUNT(*) FROM external_courses").await,
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'training.course_recorded'")
            .await,
    )
}

async fn download(app: &TestApp, client: &Client, course: &str) -> Response {
    app.get(client, &format!("/training/courses/{course}/certificate"))
        .await
}

fn header(r: &Response, name: &str) -> String {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn an_executable_named_certificate_pdf_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let staff = app.signed_in(STAFF).await;
    let prevent = requirement(&app, "prevent-awareness").await;
    for bytes in [
        b"MZ\x90\0\x03\0\0\0".to_vec(),
        b"\x7fELF\x02\x01\x01\0".to_vec(),
    ] {
        let form = course_form(&prevent, &[], Some(("certificate.pdf", bytes)));
        refused_with(&app, &staff, form, &["must be a PDF, PNG or JPEG"]).await;
    }
    // A browser is sent back to the form, which says why and keeps what was typed.
    let form = course_form(
        &prevent,
        &[("provider", "Home Office")],
        Some(("certificate.pdf", b"MZ\x90\0".to_vec())),
    );
    let r = post_as_browser(&app, &staff, form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = location(&r);
    assert!(to.starts_with("/training/courses/new?refused="), "{to}");
    let (status, html) = app.page(&staff, &to).await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    assert!(text.contains("must be a PDF, PNG or JPEG"), "{text}");
    assert!(
        html.contains("value=\"Home Office\""),
        "typed provider kept"
    );
    assert!(html.contains("enctype=\"multipart/form-data\""));
    // Only that refusal's own address shows it, and only until an upload goes through.
    let (_, elsewhere) = app
        .page(&staff, "/training/courses/new?refused=made-up")
        .await;
    assert!(!visible_text(&elsewhere).contains("must be a PDF"));
    assert_eq!(stored(&app).await, (0, 0, 0));
    recorded(
        &app,
        &staff,
        course_form(&prevent, &[], Some(("c.pdf", pdf()))),
    )
    .await;
    let (_, again) = app.page(&staff, &to).await;
    assert!(!visible_text(&again).contains("must be a PDF"));
}

#[tokio::test]
async fn a_pdf_named_scan_jpg_is_kept_and_served_back_byte_identical() {
    let app = spawn_app().await;
    let staff = app.signed_in(STAFF).await;
    let prevent = requirement(&app, "prevent-awareness").await;
    let r = post_as_browser(
        &app,
        &staff,
        course_form(&prevent, &[], Some(("C:\\scans\\scan.jpg", pdf()))),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/training/courses?done=recorded");
    let (kind, size, name, sha): (String, i64, String, String) =
        sqlx::query_as("SELECT content_type, size_bytes, file_name, sha256 FROM evidence_files")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(kind, "application/pdf", "the kind comes from the bytes");
    assert_eq!(size, pdf().len() as i64);
    assert_eq!(name, "scan.jpg", "the folder is dropped");
    assert_eq!(sha.len(), 64);
    let (course, hours, day): (String, i64, String) =
        sqlx::query_as("SELECT id, hours_tenths, completed_on FROM external_courses")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((hours, day.as_str()), (75, "2025-09-01"));

    let r = download(&app, &staff, &course).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, "content-type"), "application/pdf");
    let disposition = header(&r, "content-disposition");
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename=\"scan.pdf\""),
        "{disposition}"
    );
    assert_eq!(header(&r, "x-content-type-options"), "nosniff");
    assert_eq!(header(&r, "cache-control"), "private, no-store");
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf(), "byte for byte");

    // The member of staff sees it, awaiting a check; no completion yet.
    let (status, html) = app.page(&staff, "/training/courses").await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    assert!(
        text.contains("Prevent awareness") && text.contains("7.5 hours"),
        "{text}"
    );
    assert!(text.contains("Awaiting check"), "{text}");
    assert!(text.contains("has been recorded") || !html.contains("done=recorded"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM training_completions").await,
        0,
        "it counts only once verified"
    );
    assert_eq!(stored(&app).await, (1, 1, 1), "the upload is audited");
}

#[tokio::test]
async fn a_png_and_a_jpeg_are_accepted_and_every_byte_comes_back() {
    let app = spawn_app().await;
    let staff = app.signed_in(STAFF).await;
    let prevent = requirement(&app, "prevent-awareness").await;
    // Every byte value survives the database (a NUL, bytes that are not UTF-8).
    let mut every_byte = pdf();
    every_byte.extend(0..=255u8);
    for (name, bytes, kind) in [
        ("photo.png", png(), "image/png"),
        ("photo.jpeg", jpeg(), "image/jpeg"),
        ("bytes.pdf", every_byte, "application/pdf"),
    ] {
        let course = recorded(
            &app,
            &staff,
            course_form(&prevent, &[], Some((name, bytes.clone()))),
        )
        .await;
        let r = download(&app, &staff, &course).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(header(&r, "content-type"), kind);
        assert_eq!(r.bytes().await.unwrap().to_vec(), bytes);
    }
}

#[tokio::test]
async fn a_file_over_5_mb_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let staff = app.signed_in(STAFF).await;
    let prevent = requirement(&app, "prevent-awareness").await;
    let mut big = pdf();
    big.resize(MAX + 1, b' ');
    refused_with(
        &app,
        &staff,
        course_form(&prevent, &[], Some(("big.pdf", big.clone()))),
        &["larger than 5 MB"],
    )
    .await;
    // A browser is told on the form.
    let r = post_as_browser(
        &app,
        &staff,
        course_form(&prevent, &[], Some(("big.pdf", big))),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.page(&staff, &location(&r)).await;
    assert!(visible_text(&html).contains("larger than 5 MB"));
    // A far larger body is cut off by its length, before it is read (the connection may
    // close under the sender).
    let mut huge = pdf();
    huge.resize(3 * MAX, b' ');
    if let Ok(r) = staff
        .post(app.url(UPLOAD))
        .multipart(course_form(&prevent, &[], Some(("huge.pdf", huge))))
        .send()
        .await
    {
        assert!(r.status().is_client_error(), "{}", r.status());
    }
    assert_eq!(stored(&app).await, (0, 0, 0));
    // Exactly 5 MB is within the limit.
    let mut just = pdf();
    just.resize(MAX, b' ');
    let course = recorded(
        &app,
        &staff,
        course_form(&prevent, &[], Some(("just.pdf", just.clone()))),
    )
    .await;
    let r = download(&app, &staff, &course).await;
    assert_eq!(r.bytes().await.unwrap().len(), just.len());
}

#[tokio::test]
async fn bad_fields_are_refused_with_specific_messages() {
    let app = spawn_app().await;
    let staff = app.signed_in(STAFF).await;
    let people = app.signed_in(PEOPLE).await;
    let prevent = requirement(&app, "prevent-awareness").await;
    let briefing = requirement(&app, "safeguarding-update").await;
    let file = || Some(("c.pdf", pdf()));
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![("completed_on", "01/01/2099")], "is in the future"),
        (vec![("completed_on", "31/02/2025")], "a real date"),
        (vec![("hours", "7.25")], "at most one decimal place"),
        (vec![("hours", "0")], "greater than 0"),
        (vec![("provider", "  ")], "Enter the provider"),
        (vec![("title", "")], "Enter the course title"),
        (
            vec![("requirement_id", &briefing)],
            "not met by an external course",
        ),
        (vec![("requirement_id", "")], "Choose the requirement"),
    ];
    for (fields, words) in cases {
        refused_with(
            &app,
            &staff,
            course_form(&prevent, &fields, file()),
            &[words],
        )
        .await;
    }
    refused_with(
        &app,
        &staff,
        course_form(&prevent, &[], None),
        &["Choose the certificate file"],
    )
    .await;
    // One file per course.
    let two = course_form(&prevent, &[], file())
        .part("certificate", Part::bytes(pdf()).file_name("second.pdf"));
    refused_with(&app, &staff, two, &["Choose one certificate file"]).await;
    // Another organisation's requirement is not one to choose.
    let (theirs,): (String,) = sqlx::query_as(
        "SELECT r.id FROM training_requirements r JOIN organisations o ON o.id = r.org_id
         WHERE o.slug = 'other' AND r.default_key = 'prevent-awareness'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    refused_with(
        &app,
        &staff,
        course_form(&theirs, &[], file()),
        &["Choose the requirement from the list"],
    )
    .await;
    // Only the People department records for someone else, and only for staff of their own.
    let manager = app.user_id(MANAGER).await;
    let r = post(
        &app,
        &staff,
        course_form(&prevent, &[("person_id", &manager)], file()),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let learner = app.user_id("learner@demo.test").await;
    let outsider = app.user_id(OTHER_ADMIN).await;
    for person in [learner.as_str(), outsider.as_str(), "nobody"] {
        refused_with(
            &app,
            &people,
            course_form(&prevent, &[("person_id", person)], file()),
            &["not a member of staff of your organisation"],
        )
        .await;
    }
    assert_eq!(stored(&app).await, (0, 0, 0));
    // People record for a member of staff: the course is the staff member's.
    let staff_id = app.user_id(STAFF).await;
    let r = post(
        &app,
        &people,
        course_form(&prevent, &[("person_id", &staff_id)], file()),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/training/courses/check?done=recorded");
    let (owner, by): (String, String) =
        sqlx::query_as("SELECT user_id, recorded_by FROM external_courses")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((owner, by), (staff_id, app.user_id(PEOPLE).await));
}

#[tokio::test]
async fn a_post_from_another_site_is_refused() {
    let app = spawn_app().await;
    let staff = app.signed_in(STAFF).await;
    let prevent = requirement(&app, "prevent-awareness").await;
    let r = staff
        .post(app.url(UPLOAD))
        .header("Sec-Fetch-Site", "cross-site")
        .header("Origin", "https://evil.example")
        .multipart(course_form(&prevent, &[], Some(("c.pdf", pdf()))))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(stored(&app).await, (0, 0, 0));
}

async fn completions(app: &TestApp) -> Vec<(String, String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT user_id, source, completed_on, reference FROM training_completions ORDER BY recorded_at",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn verifying_adds_exactly_one_completion_and_rejecting_needs_a_reason() {
    let app = spawn_app().await;
    let staff = app.signed_in(STAFF).await;
    let people = app.signed_in(PEOPLE).await;
    let prevent = requirement(&app, "prevent-awareness").await;
    let first = recorded(
        &app,
        &staff,
        course_form(&prevent, &[], Some(("a.pdf", pdf()))),
    )
    .await;
    let second = recorded(
        &app,
        &staff,
        course_form(
            &prevent,
            &[("title", "Second course")],
            Some(("b.pdf", pdf())),
        ),
    )
    .await;

    // The People department's list, oldest first, then verify as a browser would.
    let r = app.call(&people, "courses/awaiting", &[("page", "")]).await;
    let list: Value = r.json().await.unwrap();
    let ids: Vec<&str> = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [first.as_str(), second.as_str()]);
    let (_, html) = app.page(&people, "/training/courses/check").await;
    let text = visible_text(&html);
    assert!(
        text.contains("Prevent awareness for Jordan Staff") && text.contains("Download a.pdf"),
        "{text}"
    );
    let r = app
        .submit(
            &people,
            "courses/verify",
            &[("course_id", &first)],
            "/training/courses/check",
        )
        .await;
    assert_eq!(location(&r), "/training/courses/check?done=verified");
    let staff_id = app.user_id(STAFF).await;
    assert_eq!(
        completions(&app).await,
        vec![(
            staff_id.clone(),
            "external-course".to_string(),
            "2025-09-01".to_string(),
            Some(first.clone())
        )]
    );
    // A second decision changes nothing.
    for r in [
        app.call(&people, "courses/verify", &[("course_id", &first)])
            .await,
        app.call(
            &people,
            "courses/reject",
            &[("course_id", &first), ("reason", "No")],
        )
        .await,
    ] {
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(app_error(r)
            .await
            .to_string()
            .contains("already been checked"));
    }
    assert_eq!(completions(&app).await.len(), 1);

    // Rejecting needs a reason, which the member of staff then sees.
    for reason in ["", "   "] {
        let r = app
            .call(
                &people,
                "courses/reject",
                &[("course_id", &second), ("reason", reason)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(app_error(r).await.to_string().contains("Give a reason"));
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM external_course_reviews")
            .await,
        1
    );
    let r = app
        .submit(
            &people,
            "courses/reject",
            &[
                ("course_id", &second),
                ("reason", "The certificate does not show your name"),
            ],
            "/training/courses/check",
        )
        .await;
    assert_eq!(location(&r), "/training/courses/check?done=rejected");
    assert_eq!(
        completions(&app).await.len(),
        1,
        "a rejection counts for nothing"
    );
    let (_, html) = app.page(&staff, "/training/courses").await;
    let text = visible_text(&html);
    assert!(
        text.contains("Verified") && text.contains("Rejected"),
        "{text}"
    );
    assert!(
        text.contains("Reason: The certificate does not show your name"),
        "{text}"
    );
    // Nothing is left to check; a rejected course is recorded again with a new file.
    let r = app.call(&people, "courses/awaiting", &[]).await;
    let list: Value = r.json().await.unwrap();
    assert_eq!(list["paging"]["total"], 0);
    recorded(
        &app,
        &staff,
        course_form(
            &prevent,
            &[("title", "Second course")],
            Some(("b2.png", png())),
        ),
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM external_courses").await, 3);
    // Each decision is audited.
    for action in ["training.course_verified", "training.course_rejected"] {
        let n = app
            .count(&format!(
                "SELECT COUNT(*) FROM audit_events WHERE action = '{action}'"
            ))
            .await;
        assert_eq!(n, 1, "{action}");
    }
    // Nobody checks their own course; the history cannot be rewritten.
    let own = recorded(
        &app,
        &people,
        course_form(&prevent, &[], Some(("mine.pdf", pdf()))),
    )
    .await;
    let r = app
        .call(&people, "courses/verify", &[("course_id", &own)])
        .await;
    assert!(app_error(r).await.to_string().contains("your own course"));
    for sql in [
        "UPDATE external_courses SET title = 'x'",
        "DELETE FROM external_course_reviews",
        "UPDATE evidence_files SET file_name = 'x'",
    ] {
        assert!(sqlx::query(sql).execute(&app.db).await.is_err(), "{sql}");
    }
}

#[tokio::test]
async fn the_list_pages_oldest_first() {
    let app = spawn_app().await;
    let staff = app.signed_in(STAFF).await;
    let people = app.signed_in(PEOPLE).await;
    let prevent = requirement(&app, "prevent-awareness").await;
    for n in 0..26 {
        let title = format!("Course {n:02}");
        recorded(
            &app,
            &staff,
            course_form(&prevent, &[("title", &title)], Some(("c.pdf", pdf()))),
        )
        .await;
    }
    let titles = |list: &Value| -> Vec<String> {
        list["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["title"].as_str().unwrap().to_string())
            .collect()
    };
    let first: Value = app
        .call(&people, "courses/awaiting", &[("page", "1")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(titles(&first).len(), 25);
    assert_eq!(titles(&first)[0], "Course 00");
    let second: Value = app
        .call(&people, "courses/awaiting", &[("page", "2")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(titles(&second), ["Course 25"]);
    let (_, html) = app.page(&people, "/training/courses/check?page=2").await;
    assert!(visible_text(&html).contains("26 courses awaiting a check"));
    assert!(html.contains("/training/courses/check?page=1"));
}

/// Who may do what, over HTTP, with a line-manager chain: staff -> manager -> boss.
#[tokio::test]
async fn who_may_record_check_and_download() {
    let app = spawn_app().await;
    add_person(&app, "demo", BOSS, "Bea Boss", Role::Manager).await;
    add_person(&app, "demo", OTHER_MANAGER, "Otto Manager", Role::Manager).await;
    add_person(&app, "demo", COLLEAGUE, "Cal Colleague", Role::Staff).await;
    let people = app.signed_in(PEOPLE).await;
    for (person, manager) in [
        (STAFF, MANAGER),
        (MANAGER, BOSS),
        (COLLEAGUE, OTHER_MANAGER),
    ] {
        let (person, manager) = (app.user_id(person).await, app.user_id(manager).await);
        let r = app
            .call(
                &people,
                "staff/save_record",
                &[
                    ("person_id", &person),
                    ("employee_number", ""),
                    ("job_title", ""),
                    ("department", ""),
                    ("start_date", ""),
                    ("line_manager_id", &manager),
                    ("leaving_date", ""),
                ],
            )
            .await;
        assert!(
            r.status().is_success() || r.status().is_redirection(),
            "{}",
            r.status()
        );
    }
    let prevent = requirement(&app, "prevent-awareness").await;
    let staff = app.signed_in(STAFF).await;
    let course = recorded(
        &app,
        &staff,
        course_form(&prevent, &[], Some(("a.pdf", pdf()))),
    )
    .await;
    let staff_id = app.user_id(STAFF).await;

    // (who, may download, may check, may record).
    let callers: Vec<(Option<&str>, bool, bool, bool)> = vec![
        (Some(STAFF), true, false, true),
        (Some(MANAGER), true, false, true),
        (Some(BOSS), true, false, true),
        (Some(OTHER_MANAGER), false, false, true),
        (Some(COLLEAGUE), false, false, true),
        (Some("learner@demo.test"), false, false, false),
        (Some(PEOPLE), true, true, true),
        (Some(ADMIN), true, true, true),
        (Some(OTHER_ADMIN), false, false, true),
        (None, false, false, false),
    ];
    for (who, may_download, may_check, may_record) in callers {
        let client = match who {
            Some(email) => app.signed_in(email).await,
            None => browser(),
        };
        let same_org = who.is_some_and(|e| e.ends_with("@demo.test"));
        let label = who.unwrap_or("signed out");

        // Download: the file, or 404 as if there were no such course.
        let r = download(&app, &client, &course).await;
        if may_download {
            assert_eq!(r.status(), StatusCode::OK, "{label} downloads");
            assert_eq!(r.bytes().await.unwrap().to_vec(), pdf());
        } else {
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{label} downloads");
            assert!(!r.text().await.unwrap().contains("%PDF"));
        }
        let r = download(&app, &client, "no-such-course").await;
        assert_eq!(
            r.status(),
            StatusCode::NOT_FOUND,
            "{label}: a made-up course"
        );

        // Recording one's own course (with the demo organisation's requirement).
        let before = stored(&app).await;
        let r = post(
            &app,
            &client,
            course_form(&prevent, &[], Some(("x.pdf", pdf()))),
        )
        .await;
        let expected = match who {
            None => StatusCode::UNAUTHORIZED,
            Some(_) if !may_record => StatusCode::FORBIDDEN,
            Some(_) if !same_org => StatusCode::BAD_REQUEST,
            Some(_) => StatusCode::SEE_OTHER,
        };
        assert_eq!(r.status(), expected, "{label} records a course");
        let added = if expected == StatusCode::SEE_OTHER {
            1
        } else {
            0
        };
        assert_eq!(stored(&app).await.1, before.1 + added, "{label}");
        // Recording for someone else: the People department only, in its organisation.
        let r = post(
            &app,
            &client,
            course_form(
                &prevent,
                &[("person_id", &staff_id)],
                Some(("x.pdf", pdf())),
            ),
        )
        .await;
        let expected = match who {
            None => StatusCode::UNAUTHORIZED,
            // Their own id: simply their own course.
            Some(_) if may_check || who == Some(STAFF) => StatusCode::SEE_OTHER,
            Some(OTHER_ADMIN) => StatusCode::BAD_REQUEST,
            Some(_) => StatusCode::FORBIDDEN,
        };
        assert_eq!(r.status(), expected, "{label} records for someone");

        // My courses, the People department's list and its decisions.
        let mine = app.call(&client, "courses/mine", &[]).await;
        let list = app.call(&client, "courses/awaiting", &[]).await;
        let reject = app
            .call(
                &client,
                "courses/reject",
                &[("course_id", &course), ("reason", "")],
            )
            .await;
        let verify = app
            .call(
                &client,
                "courses/verify",
                &[("course_id", "no-such-course")],
            )
            .await;
        let (mine_page, _) = app.page(&client, "/training/courses").await;
        let (form_page, _) = app.page(&client, "/training/courses/new").await;
        let (check_page, check_html) = app.page(&client, "/training/courses/check").await;
        match who {
            None => {
                for r in [&mine, &list, &reject, &verify] {
                    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{label}");
                }
                for status in [mine_page, form_page, check_page] {
                    assert!(status.is_redirection(), "{label}: to sign in");
                }
            }
            Some(_) => {
                let record = if may_record {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(mine.status(), record, "{label} courses/mine");
                assert_eq!(mine_page, record, "{label} /training/courses");
                assert_eq!(form_page, record, "{label} /training/courses/new");
                let check = if may_check || !same_org {
                    StatusCode::OK
                } else {
                    StatusCode::FORBIDDEN
                };
                let check = if who == Some(OTHER_ADMIN) {
                    StatusCode::OK
                } else {
                    check
                };
                assert_eq!(list.status(), check, "{label} courses/awaiting");
                assert_eq!(check_page, check, "{label} /training/courses/check");
                if check == StatusCode::OK {
                    // Another organisation's list never shows this one's courses.
                    assert_eq!(check_html.contains("Jordan Staff"), same_org, "{label}");
                }
                let decide = match who {
                    Some(OTHER_ADMIN) => StatusCode::NOT_FOUND,
                    _ if may_check => StatusCode::BAD_REQUEST,
                    _ => StatusCode::FORBIDDEN,
                };
                assert_eq!(
                    reject.status(),
                    decide,
                    "{label} courses/reject without a reason"
                );
                let verify_expected = if may_check || who == Some(OTHER_ADMIN) {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(verify.status(), verify_expected, "{label} courses/verify");
            }
        }
        // Another organisation's administrator cannot decide on this course.
        if who == Some(OTHER_ADMIN) {
            let r = app
                .call(&client, "courses/verify", &[("course_id", &course)])
                .await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND);
        }
    }
    assert_eq!(completions(&app).await.len(), 0, "nothing was verified");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM external_course_reviews")
            .await,
        0
    );
}

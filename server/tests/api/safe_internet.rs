use crate::helpers::*;
use app::error::AppError;
use reqwest::StatusCode;
use std::process::Command;

async fn save(
    app: &TestApp,
    email: &str,
    name: &str,
    phone: &str,
    links: &str,
) -> reqwest::Response {
    let client = app.signed_in(email).await;
    let form = [
        ("dsl_name", name),
        ("dsl_phone", phone),
        ("dsl_email", "safeguarding@example.org"),
        (
            "raise_concern",
            "Call us first.\n\nIf it is urgent, call the police.",
        ),
        ("policy_links", links),
    ];
    app.submit(
        &client,
        "safe_internet/save_contacts",
        &form,
        "/admin/safe-internet",
    )
    .await
}

#[tokio::test]
async fn parents_read_the_page_without_an_account_cookies_or_scripts() {
    let app = spawn_app().await;
    let response = app.get(&browser(), "/safe-internet").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers().get("set-cookie").is_none(),
        "no cookies for parents"
    );
    let html = response.text().await.unwrap();
    // No script file or WebAssembly is loaded (the framework's few inline bytes remain).
    assert!(
        !html.contains(".wasm") && !html.contains(".js\"") && !html.contains("<script src"),
        "nothing to download"
    );
    assert_eq!(html.matches("<h1").count(), 1);
    let text = visible_text(&html);
    assert!(text.contains("Contents"));
    assert!(
        text.contains("Contacts at Demo Training Provider"),
        "the default organisation is the first one"
    );
    // Every section of the content is in the contents list, linked by id.
    let library = app::content::load_library(&content_dir()).unwrap();
    assert!(library.safe_internet.sections.len() >= 6);
    for (id, _) in &library.safe_internet.sections {
        assert!(
            html.contains(&format!("href=\"#{id}\"")) && html.contains(&format!("id=\"{id}\""))
        );
    }
    // The sign-in page links to it.
    let (_, login) = app.page(&browser(), "/login").await;
    assert!(login.contains("href=\"/safe-internet\""));
}

#[tokio::test]
async fn each_organisation_shows_its_own_contacts_and_nothing_of_the_others() {
    let app = spawn_app().await;
    let r = save(
        &app,
        "dsl@demo.test",
        "Dana Demo",
        "0161 496 0000",
        "Online safety policy | https://demo.example/online-safety",
    )
    .await;
    assert_eq!(location(&r), "/admin/safe-internet?saved=1");
    save(&app, OTHER_ADMIN, "Omar Other", "0113 496 0999", "").await;

    let (_, demo) = app.page(&browser(), "/o/demo/safe-internet").await;
    let demo = visible_text(&demo);
    assert!(
        demo.contains("Dana Demo")
            && demo.contains("0161 496 0000")
            && demo.contains("Online safety policy")
    );
    assert!(demo.contains("If it is urgent, call the police."));
    assert!(!demo.contains("Omar") && !demo.contains("0113 496 0999"));
    let (_, other) = app.page(&browser(), "/o/other/safe-internet").await;
    let other = visible_text(&other);
    assert!(other.contains("Omar Other") && other.contains("0113 496 0999"));
    assert!(
        !other.contains("Dana")
            && !other.contains("0161 496 0000")
            && !other.contains("Demo Training Provider")
    );

    let (status, _) = app.page(&browser(), "/o/no-such-org/safe-internet").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_contacts_get_a_clear_message_and_change_nothing() {
    let app = spawn_app().await;
    save(&app, "admin@demo.test", "Dana Demo", "0161 496 0000", "").await;
    let client = app.signed_in("admin@demo.test").await;
    let long = "x".repeat(2001);
    let cases: Vec<([(&str, &str); 5], &str)> = vec![
        (
            [
                ("dsl_name", "D"),
                ("dsl_phone", "ring me"),
                ("dsl_email", ""),
                ("raise_concern", ""),
                ("policy_links", ""),
            ],
            "Phone",
        ),
        (
            [
                ("dsl_name", "D"),
                ("dsl_phone", ""),
                ("dsl_email", "not-an-email"),
                ("raise_concern", ""),
                ("policy_links", ""),
            ],
            "right format",
        ),
        (
            [
                ("dsl_name", "D"),
                ("dsl_phone", ""),
                ("dsl_email", ""),
                ("raise_concern", &long),
                ("policy_links", ""),
            ],
            "at most 2000",
        ),
        (
            [
                ("dsl_name", "D"),
                ("dsl_phone", ""),
                ("dsl_email", ""),
                ("raise_concern", ""),
                ("policy_links", "Policy | http://insecure.example"),
            ],
            "https://",
        ),
        (
            [
                ("dsl_name", "D"),
                ("dsl_phone", ""),
                ("dsl_email", ""),
                ("raise_concern", ""),
                ("policy_links", "javascript:alert(1)"),
            ],
            "' | '",
        ),
    ];
    for (form, message) in cases {
        let r = app
            .call(&client, "safe_internet/save_contacts", &form)
            .await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{form:?}");
        let error = app_error(r).await;
        assert!(
            matches!(&error, AppError::Invalid(m) if m.contains(message)),
            "{form:?}: {error}"
        );
    }
    let (_, page) = app.page(&browser(), "/o/demo/safe-internet").await;
    assert!(
        visible_text(&page).contains("Dana Demo 0161")
            || visible_text(&page).contains("0161 496 0000")
    );
}

#[tokio::test]
async fn every_external_link_in_the_content_is_https() {
    let (readable, problems) = app::content::check_folder(&content_dir());
    assert!(problems.is_empty(), "{problems:?}");
    assert!(!readable.is_empty());
    let library = app::content::load_library(&content_dir()).unwrap();
    let html = &library.safe_internet.html;
    let mut external = 0;
    for href in html
        .split("href=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or(""))
    {
        if href.starts_with('#')
            || href.starts_with("mailto:")
            || href.starts_with("tel:")
            || href.starts_with('/')
        {
            continue;
        }
        assert!(href.starts_with("https://"), "not https: {href}");
        external += 1;
    }
    assert!(
        external >= 10,
        "the page links to the services it names ({external} links)"
    );
}

fn esafety() -> Command {
    Command::new(env!("CARGO_BIN_EXE_esafety"))
}

#[test]
fn check_content_passes_our_content_and_reports_each_problem_in_broken_files() {
    let ok = esafety()
        .arg("check-content")
        .arg(content_dir())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "{stdout}");
    assert!(stdout.contains("safe-internet.md: reading ease"));

    let broken =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken-content");
    let out = esafety()
        .arg("check-content")
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "safe-internet.md:3: unknown field 'colour'",
        "safe-internet.md:10: raw HTML is not allowed",
        "safe-internet.md:12: link 'http://insecure.example' must use https://",
        "safe-internet.md:14: broken internal link '#nowhere'",
        "safe-internet.md:16: use '##' for sections",
        "no-header.md:1: the file must start with a front-matter line '---'",
        "broken-module/module.md:2: id 'not-the-folder' must match the folder name 'broken-module'",
        "broken-module/module.md:5: audience: 'everyone' must be learners, staff or both",
        "broken-module/module.md:9: pass_mark: '150' must be a whole number from 1 to 100",
        "broken-module/module.md:11: a module has 4 to 8 '##' sections; this one has 1",
        "broken-module/module.md:11: missing the section '## Where to get help'",
        "broken-module/module.md:16: broken internal link '#where-to-get-help'",
        "broken-module/quiz.toml:163: question 'no-answer' needs exactly one correct option (has 0)",
        "broken-module/quiz.toml:175: question 'no-answer': duplicate option id 'a'",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
}

#[test]
fn the_server_refuses_to_start_on_invalid_content() {
    let data = tempfile::tempdir().unwrap();
    let broken =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken-content");
    let out = esafety()
        .arg("serve")
        .env("ESAFETY_DATA_DIR", data.path())
        .env("ESAFETY_ADDR", "127.0.0.1:0")
        .env("ESAFETY_CONTENT_DIR", &broken)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("ESAFETY_CONTENT_DIR")
            && stderr.contains("safe-internet.md:10: raw HTML is not allowed"),
        "{stderr}"
    );
}

#[tokio::test]
async fn stored_text_cannot_break_out_of_the_edit_box() {
    let app = spawn_app().await;
    let client = app.signed_in("dsl@demo.test").await;
    let attack = "Call us.</textarea><script>alert(1)</script>";
    let form = [
        ("dsl_name", ""),
        ("dsl_phone", ""),
        ("dsl_email", ""),
        ("raise_concern", attack),
        ("policy_links", ""),
    ];
    let r = app
        .submit(
            &client,
            "safe_internet/save_contacts",
            &form,
            "/admin/safe-internet",
        )
        .await;
    assert_eq!(location(&r), "/admin/safe-internet?saved=1");
    for (who, path) in [
        (&client, "/admin/safe-internet"),
        (&browser(), "/safe-internet"),
    ] {
        let (_, html) = app.page(who, path).await;
        assert!(!html.contains("<script>alert"), "{path}: escaped");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path}: shown as text"
        );
    }
}

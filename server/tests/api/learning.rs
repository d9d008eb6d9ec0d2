//! The learner's course over HTTP: reading, quizzes marked on the server only, attempts,
//! certificates and their public check, and the organisation's module choices.

use crate::helpers::*;
use app::auth::Role;
use app::content::module::Module;
use app::content::quiz::QuestionKind;
use app::error::AppError;
use reqwest::{Client, StatusCode};
use std::sync::Arc;

const LEARNER: &str = "learner@demo.test";
const ADMIN: &str = "admin@demo.test";

fn module(id: &str) -> Arc<Module> {
    app::content::load_library(&content_dir())
        .expect("content is valid")
        .modules
        .into_iter()
        .find(|m| m.id.as_str() == id)
        .expect("module exists")
}

/// A full answer sheet: every answer right, or every answer wrong.
fn answer_sheet(module: &Module, right: bool) -> Vec<(String, String)> {
    let mut form = Vec::new();
    for q in &module.quiz.questions {
        let correct: Vec<_> = q.options.iter().filter(|o| o.correct).collect();
        let wrong = q
            .options
            .iter()
            .find(|o| !o.correct)
            .expect("a wrong option");
        match (q.kind == QuestionKind::Multiple, right) {
            (true, true) => {
                for o in correct {
                    form.push((format!("answers[{}__{}]", q.id, o.id), "on".to_string()));
                }
            }
            (true, false) => form.push((format!("answers[{}__{}]", q.id, wrong.id), "on".into())),
            (false, true) => form.push((format!("answers[{}]", q.id), correct[0].id.clone())),
            (false, false) => form.push((format!("answers[{}]", q.id), wrong.id.clone())),
        }
    }
    form
}

/// Open the quiz page as a browser would: (attempt id, the page).
async fn open_quiz_page(app: &TestApp, client: &Client, module_id: &str) -> (String, String) {
    let (status, html) = app
        .page(client, &format!("/induction/{module_id}/quiz"))
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let attempt = field_value(&html, "attempt_id").expect("the quiz form names its attempt");
    (attempt, html)
}

/// The answer fields of a quiz page in the order shown: (field name, value).
fn answer_fields(html: &str) -> Vec<(String, String)> {
    html.match_indices("name=\"answers[")
        .map(|(i, _)| {
            let rest = &html[i + "name=\"".len()..];
            let name = rest[..rest.find('"').unwrap()].to_string();
            let value = field_value(&html[i..], &name).unwrap_or_default();
            (name, value)
        })
        .collect()
}

async fn submit(
    app: &TestApp,
    client: &Client,
    attempt: &str,
    answers: &[(String, String)],
    from: &str,
) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = vec![("attempt_id", attempt)];
    form.extend(answers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    app.submit(client, "learning/submit", &form, from).await
}

async fn submitted_attempts(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL")
        .await
}

#[tokio::test]
async fn a_learner_reads_fails_retries_passes_and_gets_a_certificate() {
    let app = spawn_app().await;
    let client = app.signed_in(LEARNER).await;
    let grooming = module("grooming");

    // My induction: the learner modules in order, none started; not the staff module.
    let (status, html) = app.page(&client, "/induction").await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    assert!(text.contains("You have passed 0 of 11 modules."), "{text}");
    assert!(text.contains("Grooming and exploitation"));
    assert!(!html.contains("/induction/staff-online-safety"));
    let first = text.find("Grooming and exploitation").unwrap();
    let later = text
        .find("Screen time")
        .expect("the wellbeing module is listed");
    assert!(first < later, "modules are in their order");

    // Reading: each "I have read this" moves on, and progress is remembered.
    let sections = &grooming.sections;
    let r = app
        .submit(
            &client,
            "learning/mark_read",
            &[
                ("module_id", "grooming"),
                ("section_id", sections[0].id.as_str()),
            ],
            &format!("/induction/grooming/read/{}", sections[0].id),
        )
        .await;
    assert_eq!(
        location(&r),
        format!("/induction/grooming/read/{}", sections[1].id)
    );
    let (_, overview) = app.page(&client, "/induction/grooming").await;
    let text = visible_text(&overview);
    assert!(text.contains(&format!("You have read 1 of {}.", sections.len())));
    assert!(text.contains(&format!("Continue reading: {}", sections[1].title)));
    assert!(text.contains("Get help now") && text.contains("0800 1111"));
    let (_, induction) = app.page(&client, "/induction").await;
    assert!(visible_text(&induction).contains(&format!(
        "In progress: 1 of {} sections read.",
        sections.len()
    )));
    // A section page shows its text and where it is.
    let (status, page) = app
        .page(
            &client,
            &format!("/induction/grooming/read/{}", sections[1].id),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(visible_text(&page).contains(&format!("Section 2 of {}", sections.len())));

    // A first attempt, all wrong: not passed, with feedback for each answer.
    let (attempt, _) = open_quiz_page(&app, &client, "grooming").await;
    let r = submit(
        &app,
        &client,
        &attempt,
        &answer_sheet(&grooming, false),
        "/induction/grooming/quiz",
    )
    .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(
        location(&r),
        format!("/induction/grooming/attempts/{attempt}")
    );
    let (_, result) = app.page(&client, &location(&r)).await;
    let text = visible_text(&result);
    let total = grooming.quiz.questions.len();
    assert!(text.contains("Not passed this time"), "{text}");
    assert!(text.contains(&format!(
        "You scored 0 out of {total} (0%). The pass mark is 80%."
    )));
    assert_eq!(text.matches("Not right").count(), total);
    let first_wrong = grooming.quiz.questions[0]
        .options
        .iter()
        .find(|o| !o.correct)
        .unwrap();
    assert!(text.contains(&first_wrong.feedback), "the why is shown");
    assert!(!text.contains("See your certificate"));

    // A second attempt: a new attempt, all right: passed, with a certificate.
    let (second, _) = open_quiz_page(&app, &client, "grooming").await;
    assert_ne!(second, attempt, "each attempt is its own");
    let r = submit(
        &app,
        &client,
        &second,
        &answer_sheet(&grooming, true),
        "/induction/grooming/quiz",
    )
    .await;
    let (_, result) = app.page(&client, &location(&r)).await;
    let text = visible_text(&result);
    assert!(text.contains("You passed"), "{text}");
    assert!(text.contains(&format!("You scored {total} out of {total} (100%).")));
    assert_eq!(submitted_attempts(&app).await, 2, "both attempts are kept");
    let code: String = sqlx::query_as::<_, (String,)>("SELECT code FROM certificates")
        .fetch_one(&app.db)
        .await
        .unwrap()
        .0;
    assert!(result.contains(&format!("/certificates/{code}")));

    // The module page lists both attempts; My induction shows the pass.
    let (_, overview) = app.page(&client, "/induction/grooming").await;
    let text = visible_text(&overview);
    assert!(text.contains("Attempt 1") && text.contains("Attempt 2"));
    let (_, induction) = app.page(&client, "/induction").await;
    let text = visible_text(&induction);
    assert!(text.contains("You have passed 1 of 11 modules."));
    assert!(text.contains("Best score 100%."), "{text}");

    // The certificate, for the holder's file; the public check shows only first name
    // and initial.
    let (status, cert) = app.page(&client, &format!("/certificates/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&cert);
    assert!(text.contains("Alex Learner") && text.contains("Grooming and exploitation"));
    assert!(text.contains(&code) && text.contains(&format!("/verify/{code}")));
    let (status, verify) = app.page(&browser(), &format!("/verify/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&verify);
    assert!(text.contains("This certificate is genuine."));
    assert!(
        text.contains("Alex L.") && !text.contains("Learner"),
        "{text}"
    );
    assert!(!text.contains("Demo Training Provider"));
    // Typed loosely, it is still found; a made-up code is not.
    let loose = code.to_lowercase().replace('-', " ");
    let (status, _) = app
        .page(
            &browser(),
            &format!("/verify?code={}", loose.replace(' ', "+")),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, page) = app.page(&browser(), "/verify/ABCD-EFGH-JKLM").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(visible_text(&page).contains("No certificate has this code."));

    // A later pass keeps the first certificate.
    let (third, _) = open_quiz_page(&app, &client, "grooming").await;
    submit(
        &app,
        &client,
        &third,
        &answer_sheet(&grooming, true),
        "/induction/grooming/quiz",
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM certificates").await, 1);
}

#[tokio::test]
async fn the_answer_key_never_reaches_the_browser_before_submission() {
    let app = spawn_app().await;
    let client = app.signed_in(LEARNER).await;
    let library = app::content::load_library(&content_dir()).unwrap();
    for module in library
        .modules
        .iter()
        .filter(|m| m.id.as_str() != "staff-online-safety")
    {
        let (_, html) = open_quiz_page(&app, &client, module.id.as_str()).await;
        let api = app
            .call(
                &client,
                "learning/quiz",
                &[("module_id", module.id.as_str())],
            )
            .await;
        assert_eq!(api.status(), StatusCode::OK);
        let json = api.text().await.unwrap();
        assert!(!json.contains("\"correct\"") && !json.contains("\"feedback\""));
        let page_text = visible_text(&html);
        for q in &module.quiz.questions {
            assert!(
                page_text.contains(&q.prompt),
                "{}: {} is asked",
                module.id,
                q.id
            );
            for o in &q.options {
                for body in [&page_text, &json] {
                    assert!(
                        !body.contains(&o.feedback),
                        "{}: feedback of {}/{} leaked",
                        module.id,
                        q.id,
                        o.id
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn options_are_shuffled_per_attempt_and_an_open_attempt_keeps_its_order() {
    let app = spawn_app().await;
    let client = app.signed_in(LEARNER).await;
    let grooming = module("grooming");
    let (attempt, first) = open_quiz_page(&app, &client, "grooming").await;
    let (again, reloaded) = open_quiz_page(&app, &client, "grooming").await;
    assert_eq!(again, attempt, "reloading the page keeps the open attempt");
    assert_eq!(answer_fields(&first), answer_fields(&reloaded));
    submit(
        &app,
        &client,
        &attempt,
        &answer_sheet(&grooming, true),
        "/induction/grooming/quiz",
    )
    .await;
    // Every option is offered exactly once, whatever the order.
    let options: usize = grooming
        .quiz
        .questions
        .iter()
        .map(|q| q.options.len())
        .sum();
    assert_eq!(answer_fields(&first).len(), options);
    // New attempts get new orders: with 10 or more questions of 3 or 4 options, five
    // attempts all in the same order would be a bug, not chance.
    let mut orders = std::collections::HashSet::new();
    orders.insert(answer_fields(&first));
    for _ in 0..4 {
        let (next, html) = open_quiz_page(&app, &client, "grooming").await;
        orders.insert(answer_fields(&html));
        submit(
            &app,
            &client,
            &next,
            &answer_sheet(&grooming, false),
            "/induction/grooming/quiz",
        )
        .await;
    }
    assert!(orders.len() > 1, "option order changes between attempts");
}

#[tokio::test]
async fn nobody_submits_for_or_reads_another_persons_attempt_or_certificate() {
    let app = spawn_app().await;
    add_person(
        &app,
        "demo",
        "second@demo.test",
        "Sky Second",
        Role::Learner,
    )
    .await;
    let owner = app.signed_in(LEARNER).await;
    let grooming = module("grooming");
    let (attempt, _) = open_quiz_page(&app, &owner, "grooming").await;

    for intruder in ["second@demo.test", OTHER_LEARNER, OTHER_ADMIN] {
        let client = app.signed_in(intruder).await;
        let mut form: Vec<(&str, &str)> = vec![("attempt_id", &attempt)];
        let sheet = answer_sheet(&grooming, true);
        form.extend(sheet.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let r = app.call(&client, "learning/submit", &form).await;
        assert_eq!(
            r.status(),
            StatusCode::NOT_FOUND,
            "{intruder} cannot submit"
        );
    }
    assert_eq!(submitted_attempts(&app).await, 0);

    submit(
        &app,
        &owner,
        &attempt,
        &answer_sheet(&grooming, true),
        "/induction/grooming/quiz",
    )
    .await;
    let code: (String,) = sqlx::query_as("SELECT code FROM certificates")
        .fetch_one(&app.db)
        .await
        .unwrap();
    for intruder in ["second@demo.test", OTHER_LEARNER, OTHER_ADMIN] {
        let client = app.signed_in(intruder).await;
        let (status, _) = app
            .page(&client, &format!("/induction/grooming/attempts/{attempt}"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{intruder}: attempt");
        let r = app
            .call(&client, "learning/attempt", &[("attempt_id", &attempt)])
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let (status, _) = app
            .page(&client, &format!("/certificates/{}", code.0))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{intruder}: certificate");
    }
    // The organisation's administrator may see the certificate for the learner's file.
    let admin = app.signed_in(ADMIN).await;
    let (status, _) = app.page(&admin, &format!("/certificates/{}", code.0)).await;
    assert_eq!(status, StatusCode::OK);
    // Signed out: sent to sign in.
    let r = app
        .get(
            &browser(),
            &format!("/induction/grooming/attempts/{attempt}"),
        )
        .await;
    assert!(location(&r).starts_with("/login?next="));
}

#[tokio::test]
async fn tampered_and_incomplete_answer_sheets_are_refused_and_nothing_is_recorded() {
    let app = spawn_app().await;
    let client = app.signed_in(LEARNER).await;
    let grooming = module("grooming");
    let (attempt, _) = open_quiz_page(&app, &client, "grooming").await;
    let good = answer_sheet(&grooming, true);
    let single = grooming
        .quiz
        .questions
        .iter()
        .find(|q| q.kind != QuestionKind::Multiple)
        .unwrap();
    let field = format!("answers[{}]", single.id);

    let mut unknown_option = good.clone();
    for (k, v) in unknown_option.iter_mut() {
        if *k == field {
            *v = "zz".into();
        }
    }
    let mut unknown_question = good.clone();
    unknown_question.push(("answers[not-a-question]".into(), "a".into()));
    let mut ticked_box_on_single = good.clone();
    ticked_box_on_single.push((format!("answers[{}__a]", single.id), "on".into()));
    let missing: Vec<_> = good.iter().filter(|(k, _)| *k != field).cloned().collect();

    for (what, sheet) in [
        ("unknown option", &unknown_option),
        ("unknown question", &unknown_question),
        ("checkbox on a one-answer question", &ticked_box_on_single),
    ] {
        let r = submit_api(&app, &client, &attempt, sheet).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{what}");
        match app_error(r).await {
            AppError::Invalid(m) => assert!(m.contains("do not match this quiz"), "{what}: {m}"),
            other => panic!("{what}: {other:?}"),
        }
    }
    let r = submit_api(&app, &client, &attempt, &missing).await;
    let position = grooming
        .quiz
        .questions
        .iter()
        .position(|q| q.id == single.id)
        .unwrap()
        + 1;
    assert_eq!(
        app_error(r).await,
        AppError::Invalid(format!(
            "Please answer every question before you submit. Still to answer: question {position}."
        ))
    );
    // A made-up attempt id is simply not found.
    let r = submit_api(&app, &client, "not-an-attempt", &good).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(submitted_attempts(&app).await, 0, "nothing recorded");

    // From the browser form, the error comes back to the quiz page.
    let r = submit(
        &app,
        &client,
        &attempt,
        &missing,
        "/induction/grooming/quiz",
    )
    .await;
    assert_eq!(r.status(), StatusCode::FOUND);
    let (_, page) = app.page(&client, &app.path_of(&location(&r))).await;
    assert!(visible_text(&page).contains("Still to answer"));

    // Submitted once; a second submission of the same attempt is refused.
    assert_eq!(
        submit_api(&app, &client, &attempt, &good).await.status(),
        StatusCode::OK
    );
    let r = submit_api(&app, &client, &attempt, &good).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(submitted_attempts(&app).await, 1);
}

async fn submit_api(
    app: &TestApp,
    client: &Client,
    attempt: &str,
    answers: &[(String, String)],
) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = vec![("attempt_id", attempt)];
    form.extend(answers.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    app.call(client, "learning/submit", &form).await
}

#[tokio::test]
async fn an_administrator_switches_modules_and_sets_pass_marks_for_their_organisation_only() {
    let app = spawn_app().await;
    let learner = app.signed_in(LEARNER).await;
    let admin = app.signed_in(ADMIN).await;
    let grooming = module("grooming");
    let (attempt, _) = open_quiz_page(&app, &learner, "grooming").await;

    let r = app
        .submit(
            &admin,
            "learning/switch",
            &[("module_id", "grooming"), ("switch", "off")],
            "/admin/modules",
        )
        .await;
    assert!(location(&r).starts_with("/admin/modules?switched=off"));
    let (_, settings) = app.page(&admin, &app.path_of(&location(&r))).await;
    assert!(visible_text(&settings).contains("Grooming and exploitation is now switched off."));

    // Gone from the learner's list and pages; an open attempt cannot be submitted.
    let (_, induction) = app.page(&learner, "/induction").await;
    assert!(!induction.contains("/induction/grooming\""));
    assert!(visible_text(&induction).contains("You have passed 0 of 10 modules."));
    let (status, _) = app.page(&learner, "/induction/grooming").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = submit_api(&app, &learner, &attempt, &answer_sheet(&grooming, true)).await;
    match app_error(r).await {
        AppError::Invalid(m) => assert!(m.contains("switched this module off"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(submitted_attempts(&app).await, 0);
    // The other organisation still has it.
    let other = app.signed_in(OTHER_LEARNER).await;
    let (status, _) = app.page(&other, "/induction/grooming").await;
    assert_eq!(status, StatusCode::OK);

    // Back on, with a pass mark of 100: one wrong answer now fails.
    app.submit(
        &admin,
        "learning/switch",
        &[("module_id", "grooming"), ("switch", "on")],
        "/admin/modules",
    )
    .await;
    let r = app
        .call(
            &admin,
            "learning/pass_mark",
            &[("module_id", "grooming"), ("pass_mark", "150")],
        )
        .await;
    assert_eq!(
        app_error(r).await,
        AppError::Invalid("Pass mark: '150' is not a whole number from 1 to 100.".into())
    );
    let r = app
        .submit(
            &admin,
            "learning/pass_mark",
            &[("module_id", "grooming"), ("pass_mark", "100")],
            "/admin/modules",
        )
        .await;
    assert!(location(&r).starts_with("/admin/modules?pass_mark=100"));
    let mut nearly = answer_sheet(&grooming, true);
    let q = &grooming.quiz.questions[0];
    let wrong = q.options.iter().find(|o| !o.correct).unwrap();
    nearly[0] = (format!("answers[{}]", q.id), wrong.id.clone());
    assert_eq!(
        submit_api(&app, &learner, &attempt, &nearly).await.status(),
        StatusCode::OK
    );
    let (_, result) = app
        .page(&learner, &format!("/induction/grooming/attempts/{attempt}"))
        .await;
    assert!(visible_text(&result).contains("Not passed this time"));
    assert!(visible_text(&result).contains("The pass mark is 100%."));
    // Another organisation's administrator cannot change this one's modules.
    let other_admin = app.signed_in(OTHER_ADMIN).await;
    app.call(
        &other_admin,
        "learning/switch",
        &[("module_id", "grooming"), ("switch", "off")],
    )
    .await;
    let (status, _) = app.page(&learner, "/induction/grooming").await;
    assert_eq!(status, StatusCode::OK, "still on in the demo organisation");
}

pub(crate) fn own_module_texts(id: &str, title: &str) -> (String, String) {
    let dir = content_dir().join("modules/passwords-and-accounts");
    let text = std::fs::read_to_string(dir.join("module.md")).unwrap();
    let quiz = std::fs::read_to_string(dir.join("quiz.toml")).unwrap();
    let text = text
        .replacen("id: passwords-and-accounts", &format!("id: {id}"), 1)
        .replacen("title: ", &format!("title: {title} "), 1);
    (text, quiz)
}

#[tokio::test]
async fn an_organisation_adds_its_own_module_checked_by_the_same_rules() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let (text, quiz) = own_module_texts("our-wifi", "Our Wi-Fi:");

    // Broken: raw HTML and a question with no right answer. Nothing is saved, and the
    // form gets the texts back to fix.
    let broken_text = text.replacen("## ", "<script>alert(1)</script>\n\n## ", 1);
    let broken_quiz = quiz.replace("correct = true", "");
    let r = app
        .submit(
            &admin,
            "learning/add_module",
            &[("module_text", &broken_text), ("quiz_text", &broken_quiz)],
            "/admin/modules/new",
        )
        .await;
    let (_, page) = app.page(&admin, &app.path_of(&location(&r))).await;
    let shown = visible_text(&page);
    assert!(shown.contains("The module was not saved"), "{shown}");
    assert!(
        shown.contains("module.md:") && shown.contains("raw HTML"),
        "{shown}"
    );
    assert!(shown.contains("quiz.toml:"), "{shown}");
    let textarea = &page[page.find("id=\"module_text\"").unwrap()..];
    assert!(
        textarea.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            && !page.contains("<script>alert"),
        "the text comes back, escaped"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisation_modules").await,
        0
    );

    // A built-in id is refused.
    let (clash, _) = own_module_texts("grooming", "Clash:");
    let r = app
        .call(
            &admin,
            "learning/add_module",
            &[("module_text", &clash), ("quiz_text", &quiz)],
        )
        .await;
    assert!(matches!(app_error(r).await, AppError::Invalid(m) if m.contains("built-in")));

    // Valid: saved, listed for the administrator and offered to the organisation's
    // learners, never to another organisation's.
    let r = app
        .submit(
            &admin,
            "learning/add_module",
            &[("module_text", &text), ("quiz_text", &quiz)],
            "/admin/modules/new",
        )
        .await;
    assert!(
        location(&r).starts_with("/admin/modules?added="),
        "{}",
        location(&r)
    );
    let (_, settings) = app.page(&admin, "/admin/modules").await;
    assert!(visible_text(&settings).contains("Your own module"));
    let learner = app.signed_in(LEARNER).await;
    let (_, induction) = app.page(&learner, "/induction").await;
    assert!(visible_text(&induction).contains("You have passed 0 of 12 modules."));
    let (status, page) = app.page(&learner, "/induction/our-wifi").await;
    assert_eq!(status, StatusCode::OK);
    assert!(visible_text(&page).contains("Our Wi-Fi:"));
    let (attempt, _) = open_quiz_page(&app, &learner, "our-wifi").await;
    let own = app::learning::catalogue::parse_own(
        &app::ids::ModuleSlug::from_param("our-wifi"),
        &text,
        &quiz,
    )
    .unwrap();
    let r = submit_api(&app, &learner, &attempt, &answer_sheet(&own, true)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let other = app.signed_in(OTHER_LEARNER).await;
    let (status, _) = app.page(&other, "/induction/our-wifi").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Learners cannot add modules.
    let r = app
        .call(
            &learner,
            "learning/add_module",
            &[("module_text", &text), ("quiz_text", &quiz)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_cap_on_an_organisations_own_modules_holds_under_parallel_saves() {
    let app = spawn_app().await;
    let admin = app.signed_in(ADMIN).await;
    let max = app::learning::settings::MAX_OWN_MODULES;
    for n in 1..max {
        let (text, quiz) = own_module_texts(&format!("own-{n}"), "Ours:");
        let r = app
            .call(
                &admin,
                "learning/add_module",
                &[("module_text", &text), ("quiz_text", &quiz)],
            )
            .await;
        assert!(r.status().is_success(), "module {n}: {}", r.status());
    }
    // One place left, six administrators' saves at once: exactly one is kept.
    let saves = (0..6).map(|n| {
        let (text, quiz) = own_module_texts(&format!("late-{n}"), "Late:");
        let (app, admin) = (&app, &admin);
        async move {
            let r = app
                .call(
                    admin,
                    "learning/add_module",
                    &[("module_text", &text), ("quiz_text", &quiz)],
                )
                .await;
            match r.status() {
                StatusCode::BAD_REQUEST => Some(app_error(r).await.to_string()),
                _ => None,
            }
        }
    });
    let refusals: Vec<String> = futures::future::join_all(saves)
        .await
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(refusals.len(), 5, "{refusals:?}");
    assert!(refusals.iter().all(|m| m.contains("the most it can keep")));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisation_modules").await,
        max
    );
}

#[tokio::test]
async fn staff_take_the_staff_module_and_learners_do_not() {
    let app = spawn_app().await;
    let staff = app.signed_in("staff@demo.test").await;
    let (_, induction) = app.page(&staff, "/induction").await;
    assert!(visible_text(&induction).contains("You have passed 0 of 1 modules."));
    assert!(induction.contains("/induction/staff-online-safety"));
    let learner = app.signed_in(LEARNER).await;
    let (status, _) = app.page(&learner, "/induction/staff-online-safety").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = app
        .call(
            &learner,
            "learning/quiz",
            &[("module_id", "staff-online-safety")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_get_help_box_shows_the_organisations_own_safeguarding_contact() {
    let app = spawn_app().await;
    let dsl = app.signed_in("dsl@demo.test").await;
    app.submit(
        &dsl,
        "safe_internet/save_contacts",
        &[
            ("dsl_name", "Dana Demo"),
            ("dsl_phone", "0161 496 0000"),
            ("dsl_email", "safeguarding@demo.example"),
            ("raise_concern", ""),
            ("policy_links", ""),
        ],
        "/admin/safe-internet",
    )
    .await;
    let learner = app.signed_in(LEARNER).await;
    let section = &module("radicalisation").sections[0];
    for path in [
        "/induction/radicalisation".to_string(),
        format!("/induction/radicalisation/read/{}", section.id),
        "/induction/radicalisation/quiz".to_string(),
    ] {
        let (_, page) = app.page(&learner, &path).await;
        let text = visible_text(&page);
        assert!(
            text.contains("Dana Demo, your Designated Safeguarding Lead"),
            "{path}"
        );
        assert!(page.contains("href=\"tel:01614960000\""), "{path}");
        assert!(
            text.contains("0800 1111") && text.contains("CEOP"),
            "{path}"
        );
    }
}

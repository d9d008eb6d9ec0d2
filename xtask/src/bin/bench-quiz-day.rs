//! Quiz day, written with goose: a whole intake signs in at nine o'clock. Each simulated
//! learner signs in (users started at an even rate over the ramp), signs the Acceptable
//! Use Policy, opens My induction, opens a module, reads its sections, opens the quiz and
//! submits it, thinking between steps. Started by `cargo xtask bench quiz-day`, which
//! makes the learners `quizday1@demo.test` .. `quizdayN@demo.test` first.
//!
//! Usage: bench-quiz-day HOST LEARNERS RAMP_SECS THINK_MIN_MS THINK_MAX_MS PASSWORD

use goose::prelude::*;
use rand::Rng;
use std::time::Duration;

/// The modules learners are spread over (one each), so pages differ as on the day.
const MODULES: [&str; 4] = [
    "grooming",
    "cyberbullying",
    "digital-footprint",
    "passwords-and-accounts",
];

struct Day {
    think_ms: (u64, u64),
    password: String,
}

static DAY: std::sync::OnceLock<Day> = std::sync::OnceLock::new();

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [host, learners, ramp_secs, think_min, think_max, password] = args.as_slice() else {
        return Err(
            "usage: bench-quiz-day HOST LEARNERS RAMP_SECS THINK_MIN_MS THINK_MAX_MS PASSWORD"
                .into(),
        );
    };
    let learners: usize = learners.parse()?;
    let ramp_secs: f64 = ramp_secs.parse()?;
    let _ = DAY.set(Day {
        think_ms: (think_min.parse()?, think_max.parse()?),
        password: password.clone(),
    });
    let rate = format!("{:.3}", learners as f64 / ramp_secs.max(1.0));
    let metrics = GooseAttack::initialize_with_config(quiet_config())?
        .register_scenario(scenario!("quiz day").register_transaction(transaction!(morning)))
        .set_default(GooseDefault::Host, host.as_str())?
        .set_default(GooseDefault::Users, learners)?
        .set_default(GooseDefault::IncreaseRate, rate.as_str())?
        .set_default(GooseDefault::Iterations, 1)?
        .set_default(GooseDefault::NoPrintMetrics, true)?
        .set_default(GooseDefault::Quiet, 1)?
        .execute()
        .await?;
    report(&metrics);
    Ok(())
}

/// No command line of goose's own: the xtask passes everything.
fn quiet_config() -> goose::config::GooseConfiguration {
    goose::config::GooseConfiguration::default()
}

/// One learner's morning, step by step, thinking between steps.
async fn morning(user: &mut GooseUser) -> TransactionResult {
    let n = user.weighted_users_index + 1;
    let day = DAY.get().expect("set in main");
    let email = format!("quizday{n}@demo.test");
    post(
        user,
        "sign in",
        "/api/auth/sign_in",
        &[
            ("email", email.as_str()),
            ("password", day.password.as_str()),
        ],
    )
    .await?;
    think().await;

    let policy = post(
        user,
        "policy to sign",
        "/api/policies/to_sign",
        &[("kind", "learner")],
    )
    .await?;
    let version = json_field(&policy, "version_id");
    post(
        user,
        "sign the policy",
        "/api/policies/sign",
        &[
            ("version_id", version.as_str()),
            ("agree", "on"),
            ("full_name", &format!("Quiz Learner {n}")),
        ],
    )
    .await?;
    think().await;

    page(user, "My induction", "/induction").await?;
    think().await;

    let module = MODULES[n % MODULES.len()];
    let overview = page(user, "a module", &format!("/induction/{module}")).await?;
    let prefix = format!("/induction/{module}/read/");
    let mut sections: Vec<String> = overview
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|href| href.starts_with(&prefix))
        .map(str::to_string)
        .collect();
    sections.dedup();
    for section in &sections {
        think().await;
        page(user, "a section", section).await?;
        let id = section.trim_start_matches(&prefix);
        post(
            user,
            "mark read",
            "/api/learning/mark_read",
            &[("module_id", module), ("section_id", id)],
        )
        .await?;
    }
    think().await;

    let quiz = page(user, "the quiz", &format!("/induction/{module}/quiz")).await?;
    think().await;
    let answers = first_answers(&quiz);
    let form: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post(user, "submit the quiz", "/api/learning/submit", &form).await?;
    Ok(())
}

async fn think() {
    let (low, high) = DAY.get().expect("set in main").think_ms;
    let ms = rand::thread_rng().gen_range(low..=high.max(low));
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

/// A page as a browser asks for it: 200 at the address asked for (a redirect to sign-in or
/// to the policy is a failure), its HTML.
async fn page(
    user: &mut GooseUser,
    name: &str,
    path: &str,
) -> Result<String, Box<TransactionError>> {
    let builder = user.get_request_builder(&GooseMethod::Get, path)?;
    let request = GooseRequest::builder()
        .name(name)
        .path(path)
        .set_request_builder(builder)
        .build();
    let mut goose = user.request(request).await?;
    let response = goose.response.as_ref().ok();
    let landed = response
        .map(|r| r.url().path().to_string())
        .unwrap_or_default();
    if landed != path {
        user.set_failure(
            &format!("{name}: ended at {landed}"),
            &mut goose.request,
            None,
            None,
        )?;
        return Ok(String::new());
    }
    match goose.response {
        Ok(r) => Ok(r.text().await.unwrap_or_default()),
        Err(_) => Ok(String::new()),
    }
}

/// A server function called as the page's script does: form in, JSON out.
async fn post(
    user: &mut GooseUser,
    name: &str,
    path: &str,
    form: &[(&str, &str)],
) -> Result<String, Box<TransactionError>> {
    let builder = user
        .get_request_builder(&GooseMethod::Post, path)?
        .header("Accept", "application/json")
        .form(form);
    let request = GooseRequest::builder()
        .name(name)
        .method(GooseMethod::Post)
        .path(path)
        .set_request_builder(builder)
        .build();
    let goose = user.request(request).await?;
    match goose.response {
        Ok(r) => Ok(r.text().await.unwrap_or_default()),
        Err(_) => Ok(String::new()),
    }
}

fn json_field(json: &str, field: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v[field].as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The quiz form's attempt id and the first option of every question, as a learner in a
/// hurry would answer (right or wrong does not matter to the load).
fn first_answers(html: &str) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = Vec::new();
    for input in html.split("<input").skip(1) {
        let attr = |name: &str| {
            input
                .split_once(&format!("{name}=\""))
                .and_then(|(_, rest)| rest.split('"').next())
                .map(|v| v.replace("&amp;", "&"))
        };
        let (Some(name), Some(value)) = (attr("name"), attr("value")) else {
            continue;
        };
        if name == "attempt_id"
            || (name.starts_with("answers[") && !form.iter().any(|(n, _)| *n == name))
        {
            form.push((name, value));
        }
    }
    form
}

/// Requests per second, p50/p95/p99 and failures per step; the worst p99 last.
fn report(metrics: &GooseMetrics) {
    println!();
    println!(
        "{:<18} {:>8} {:>8} {:>9} {:>9} {:>9} {:>8}",
        "step", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "failed"
    );
    let secs = metrics.duration.max(1) as f64;
    let mut rows: Vec<_> = metrics.requests.values().collect();
    rows.sort_by_key(|r| r.path.clone());
    let mut worst = 0.0f64;
    let mut failed = 0;
    for r in rows {
        let t = &r.raw_data;
        let ms = |p: f32| t.percentile_us(p) as f64 / 1000.0;
        worst = worst.max(ms(0.99));
        failed += r.fail_count;
        println!(
            "{:<18} {:>8} {:>8.1} {:>9.1} {:>9.1} {:>9.1} {:>8}",
            r.path,
            t.counter,
            t.counter as f64 / secs,
            ms(0.50),
            ms(0.95),
            ms(0.99),
            r.fail_count
        );
    }
    let total: usize = metrics.requests.values().map(|r| r.raw_data.counter).sum();
    println!("all steps: {total} requests in {secs:.0} s ({:.1}/s), worst p99 {worst:.1} ms, {failed} failed", total as f64 / secs);
    println!("QUIZ-DAY worst_p99_ms={worst:.1} failed={failed} requests={total}");
}

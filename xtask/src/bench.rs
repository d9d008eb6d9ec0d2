//! `cargo xtask bench`: how much does the app cost per request, compared
//! with the cheapest possible server sending the same bytes?
//!
//! It builds the release site, starts `esafety serve` with a temp data dir, signs in as
//! the demo learner, saves the bytes of each page it will load (home, a module, a
//! section, sign-in, Safe Internet, a certificate check, the stylesheet) and starts
//! `bench-baseline` serving those bytes from memory. oha loads each at 1 and 64
//! connections (`bench_load`); `bench_quiz` runs 64 people submitting quizzes;
//! `bench_cohorts` enrols 5,000 learners from one file and loads a 500-learner grid;
//! `bench_training` and `bench_reminders` add the staff benches (not with `--pages`).
//! `bench quiz-day` is `bench_quiz_day`.
//! Loopback only, every loop bounded by a count or a deadline.

use crate::bench_http::{form_encode, get, wait_ready};
use crate::bench_load::{gzip_len, oha, rss_kib, wasm_sizes, ChildGuard, Memory, TempDir, SETTLE};
use crate::bench_pages::{link_starting, pass_quiz, stylesheet};
use crate::bench_quiz::call;
use crate::bench_training::DASHBOARD;
use crate::test::leptos_build;
use crate::tools::{self, Tool};
use crate::util::{self, cmd, note, say, Result};
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

pub const DEMO_PASSWORD: &str = "bench-password-123";
const LEARNER: &str = "learner@demo.test";
const CONNECTIONS: [u32; 2] = [1, 64];
/// A module page for the demo learner.
const MODULE_PAGE: &str = "/induction/grooming";
/// The quiz the bench people (staff roles) take, and how many of them.
const QUIZ_MODULE: &str = "staff-online-safety";
const QUIZ_PEOPLE: usize = 64;
/// The learner passes this module's quiz for a certificate to check at `/verify/CODE`.
const CERTIFICATE_MODULE: &str = "grooming";

/// Make QUIZ_PEOPLE administrators in the demo organisation (staff roles take the staff
/// module) with `esafety create-admin`, and sign each in: their session cookies.
fn bench_people(data_dir: &Path, addr: SocketAddr) -> Result<Vec<String>> {
    say(format!(
        "Creating {QUIZ_PEOPLE} people for the quiz load (esafety create-admin)"
    ));
    let exe = util::root().join("target").join("release").join("esafety");
    let mut cookies = Vec::with_capacity(QUIZ_PEOPLE);
    for n in 0..QUIZ_PEOPLE {
        let email = format!("bench{n}@demo.test");
        let mut c = cmd(&exe);
        util::clear_esafety_env(&mut c);
        let mut child = c
            .args([
                "create-admin",
                "--org",
                "demo",
                "--email",
                &email,
                "--name",
                "Bench Person",
            ])
            .env("ESAFETY_DATA_DIR", data_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()?;
        if let Some(mut stdin) = child.stdin.take() {
            writeln!(stdin, "{DEMO_PASSWORD}")?;
        }
        if !child.wait()?.success() {
            return Err(format!("esafety create-admin failed for {email}").into());
        }
        let cookie = sign_in(addr, &email)?;
        // The policy gate guards server functions too: sign the staff policy first.
        sign_policy(addr, &cookie, "staff", "Bench Person")?;
        cookies.push(cookie);
    }
    Ok(cookies)
}

/// Sign the current policy of `kind` as a person would (server functions, JSON).
fn sign_policy(addr: SocketAddr, cookie: &str, kind: &str, name: &str) -> Result<()> {
    let (status, body) = call(
        addr,
        "/api/policies/to_sign",
        cookie,
        &format!("kind={kind}"),
    )?;
    let policy: serde_json::Value = serde_json::from_slice(&body)?;
    let version = policy["version_id"]
        .as_str()
        .ok_or(format!("no {kind} policy to sign: HTTP {status}"))?;
    let form = format!(
        "version_id={}&agree=on&full_name={}",
        form_encode(version),
        form_encode(name)
    );
    let (status, _) = call(addr, "/api/policies/sign", cookie, &form)?;
    if status != 200 {
        return Err(format!("signing the {kind} policy: HTTP {status}").into());
    }
    Ok(())
}

/// Open the quiz once, as the loader will: the JSON the app answers.
fn call_quiz(addr: SocketAddr, cookie: &str) -> Result<Vec<u8>> {
    let (status, body) = call(
        addr,
        "/api/learning/quiz",
        cookie,
        &format!("module_id={QUIZ_MODULE}"),
    )?;
    if status != 200 {
        return Err(format!("opening the {QUIZ_MODULE} quiz: HTTP {status}").into());
    }
    Ok(body)
}

pub fn run(args: &[String]) -> Result<i32> {
    if args.first().is_some_and(|a| a == "quiz-day") {
        return crate::bench_quiz_day::run(&args[1..]);
    }
    let Options { secs, pages_only } = parse_args(args)?;
    let mut needed = tools::BUILD.to_vec();
    needed.push(Tool::Oha);
    tools::ensure_all_or_fail(&needed)?;

    say("Building the release site: cargo leptos build --release");
    leptos_build()?;
    build_release_bin("baseline", "bench-baseline", "the baseline server")?;

    let wasm = wasm_sizes().unwrap_or_else(|e| {
        note(format!("cannot measure the wasm: {e}"));
        Vec::new()
    });

    // --- the app ---
    let target = util::root().join("target");
    let data_dir =
        TempDir::new(std::env::temp_dir().join(format!("esafety-bench-{}", std::process::id())))?;
    let app_addr: SocketAddr = ([127, 0, 0, 1], util::free_port()?).into();
    let app = start_server(app_addr, &data_dir.0, &[], "bench-server.log")?;

    say(format!("Signing in as {LEARNER}"));
    let cookie = sign_in(app_addr, LEARNER)?;
    // Pages wait behind the Acceptable Use Policy until it is signed.
    sign_policy(app_addr, &cookie, "learner", "Alex Learner")?;
    let module = get(app_addr, MODULE_PAGE, Some(&cookie))?;
    let section = link_starting(&module, &format!("{MODULE_PAGE}/read/"))
        .ok_or(format!("no section link on {MODULE_PAGE}"))?;
    let login = get(app_addr, "/login", None)?;
    let css = stylesheet(&login).ok_or("no stylesheet linked from /login")?;
    let certificate = pass_quiz(app_addr, &cookie, CERTIFICATE_MODULE)?;
    let cookie_header = format!("Cookie: {cookie}");
    let learner = Some(cookie_header.as_str());
    let pages: Vec<(String, Option<&str>)> = vec![
        ("/home".into(), learner),
        (MODULE_PAGE.into(), learner),
        (section, learner),
        ("/login".into(), None),
        ("/safe-internet".into(), None),
        (format!("/verify/{certificate}"), None),
        (css, None),
    ];
    let mut page_bytes = Vec::new();
    for (path, header) in &pages {
        let bytes = get(
            app_addr,
            path,
            header.and_then(|h| h.strip_prefix("Cookie: ")),
        )?;
        note(format!("{path} is {} bytes", bytes.len()));
        page_bytes.push(bytes);
    }
    // The quiz load needs one person per connection (each has one open attempt).
    let quiz_people = bench_people(&data_dir.0, app_addr)?;
    let quiz_sample = call_quiz(app_addr, &quiz_people[0])?;
    let submit_sample = {
        let form = crate::bench_quiz::answer_form(&quiz_sample)?;
        let (status, body) = call(app_addr, "/api/learning/submit", &quiz_people[0], &form)?;
        if status != 200 {
            return Err(format!("a sample quiz submission failed: HTTP {status}").into());
        }
        body
    };
    // Staff training: 10,000 staff by HR import, then the People dashboard's bytes.
    let training_lines = if pages_only {
        Vec::new()
    } else {
        crate::bench_training::import_staff(app_addr, &quiz_people[0])?
    };
    let dashboard = get(app_addr, DASHBOARD, Some(&quiz_people[0]))?;
    note(format!("{DASHBOARD} is {} bytes", dashboard.len()));
    // Cohorts: 5,000 learners enrolled from one file; a grid of 500.
    let (grid_page, cohort_lines) = crate::bench_cohorts::prepare(app_addr, &quiz_people[0])?;
    let grid = get(app_addr, &grid_page, Some(&quiz_people[0]))?;
    note(format!("the 500-learner grid page is {} bytes", grid.len()));

    // --- the baseline: every path answered with the bytes the app sent ---
    let mut served = Vec::new();
    for (n, ((path, _), bytes)) in pages.iter().zip(&page_bytes).enumerate() {
        served.push((path.clone(), bytes.as_slice(), format!("bench-page-{n}")));
    }
    served.push((DASHBOARD.into(), &dashboard, "bench-dashboard".into()));
    served.push((grid_page.clone(), &grid, "bench-grid".into()));
    served.push((
        "POST:/api/learning/quiz".into(),
        &quiz_sample,
        "bench-quiz".into(),
    ));
    served.push((
        "POST:/api/learning/submit".into(),
        &submit_sample,
        "bench-submit".into(),
    ));
    let base_addr: SocketAddr = ([127, 0, 0, 1], util::free_port()?).into();
    say(format!(
        "Starting the baseline (bare axum, bytes from memory) on {base_addr}"
    ));
    let mut c = cmd(target.join("release").join("bench-baseline"));
    c.arg(base_addr.to_string());
    for (path, bytes, file) in &served {
        let file = target.join(file);
        std::fs::write(&file, bytes)?;
        c.arg(format!("{path}={}", file.display()));
    }
    let base = ChildGuard(c.stdin(Stdio::null()).spawn()?);
    wait_ready(
        base_addr,
        "/healthz",
        Some(&base.0),
        Duration::from_secs(30),
    )?;

    // --- load ---
    std::thread::sleep(Duration::from_secs(1));
    let memory = Memory::start(app.0.id());
    let mut rows = Vec::new();
    for conns in CONNECTIONS {
        for (page, hdr) in &pages {
            if util::interrupted() {
                return Ok(130);
            }
            let a = oha(app_addr, page, *hdr, conns, secs)?;
            let b = oha(base_addr, page, *hdr, conns, secs)?;
            rows.push((page.clone(), conns, a, b));
        }
    }
    // The People dashboard, at 16 connections (a People team, not a crowd).
    let people_cookie = format!("Cookie: {}", quiz_people[0]);
    let a = oha(app_addr, DASHBOARD, Some(&people_cookie), 16, secs)?;
    let b = oha(base_addr, DASHBOARD, Some(&people_cookie), 16, secs)?;
    rows.push((DASHBOARD.into(), 16, a, b));
    // A cohort's grid (500 learners, one page of 50), at 16 connections.
    let a = oha(app_addr, &grid_page, Some(&people_cookie), 16, secs)?;
    let b = oha(base_addr, &grid_page, Some(&people_cookie), 16, secs)?;
    rows.push(("cohort grid (500)".into(), 16, a, b));
    say(format!(
        "Quiz submissions: {} people, each opening the {QUIZ_MODULE} quiz and submitting it, for {secs} s",
        quiz_people.len()
    ));
    let quiz_app = crate::bench_quiz::load(app_addr, &quiz_people, QUIZ_MODULE, secs);
    let quiz_base = crate::bench_quiz::load(base_addr, &quiz_people, QUIZ_MODULE, secs);
    rows.push((
        "quiz submit".into(),
        quiz_people.len() as u32,
        quiz_app,
        quiz_base,
    ));
    let base_rss = rss_kib(base.0.id(), "VmRSS:");
    let memory = memory.settled();
    drop(base);
    drop(app);

    // --- report ---
    println!();
    println!(
        "{:<20} {:>5}  {:<9} {:>10} {:>9} {:>9}",
        "page", "conns", "server", "req/s", "p50 ms", "p99 ms"
    );
    for (page, conns, a, b) in &rows {
        for (who, r) in [("app", a), ("baseline", b)] {
            println!(
                "{:<20} {:>5}  {:<9} {:>10.1} {:>9.3} {:>9.3}",
                page, conns, who, r.rps, r.p50_ms, r.p99_ms
            );
        }
        println!(
            "{:<20} {:>5}  {:<9} {:>9.3}x {:>8.2}x {:>8.2}x",
            page,
            conns,
            "app/base",
            ratio(a.rps, b.rps),
            ratio(a.p50_ms, b.p50_ms),
            ratio(a.p99_ms, b.p99_ms)
        );
        for (who, r) in [("app", a), ("baseline", b)] {
            if !r.problems.is_empty() {
                println!("        warning: {who}: {}", r.problems);
            }
        }
    }
    println!();
    for (name, raw, gz) in &wasm {
        println!(
            "wasm {name}: {} raw, {} gzip -9",
            kib(*raw as f64),
            kib(*gz as f64)
        );
    }
    // The Safe Internet page loads only its HTML and the stylesheet: no script, no fonts.
    let bytes_of = |wanted: &str| {
        pages
            .iter()
            .zip(&page_bytes)
            .find(|((path, _), _)| {
                path.as_str() == wanted || path.ends_with(".css") && wanted == "css"
            })
            .map(|(_, bytes)| bytes.as_slice())
            .unwrap_or_default()
    };
    let (safe_internet, css) = (bytes_of("/safe-internet"), bytes_of("css"));
    println!(
        "/safe-internet transfer: {} HTML + {} CSS = {} ({} gzip -9)",
        kib(safe_internet.len() as f64),
        kib(css.len() as f64),
        kib((safe_internet.len() + css.len()) as f64),
        kib((gzip_len(safe_internet)? + gzip_len(css)?) as f64)
    );
    let show = |v: Option<u64>| v.map_or("unknown".to_string(), |k| kib(k as f64 * 1024.0));
    println!(
        "server memory (RSS): {} before the loads, peak {} (VmHWM, since start), {} once the loads ended and {} s passed",
        show(memory.before),
        show(memory.peak),
        show(memory.after),
        SETTLE.as_secs()
    );
    println!("baseline RSS after its runs: {}", show(base_rss));
    for line in training_lines.iter().chain(&cohort_lines) {
        println!("{line}");
    }
    if pages_only {
        println!("(--pages: the staff training and reminder benches were not run)");
        return Ok(0);
    }
    match crate::bench_training::status_lines() {
        Ok(lines) => lines.iter().for_each(|l| println!("{l}")),
        Err(e) => println!("training status bench: {e}"),
    }
    match crate::bench_reminders::lines() {
        Ok(lines) => lines.iter().for_each(|l| println!("{l}")),
        Err(e) => println!("reminder bench: {e}"),
    }
    println!(
        "({secs} s per run after a short warm-up; oha and both servers share this machine's {} cores)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    Ok(0)
}

struct Options {
    secs: u64,
    /// Only the pages, static files and quizzes: no HR import, no cargo benches.
    pages_only: bool,
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut secs = 10;
    let mut pages_only = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => {
                secs = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .filter(|s| (1..=600).contains(s))
                    .ok_or("--seconds needs a number from 1 to 600")?;
            }
            "--pages" => pages_only = true,
            other => {
                return Err(
                    format!("unknown bench option `{other}` (try --seconds N, --pages)").into(),
                )
            }
        }
    }
    Ok(Options { secs, pages_only })
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::NAN
    }
}

fn kib(bytes: f64) -> String {
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", bytes / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KiB", bytes / 1024.0)
    }
}

// --- the server and the programs under test ------------------------------------

/// Build one of xtask's bench programs in release (a debug build would measure the
/// wrong thing), with the feature that brings its dependencies.
pub fn build_release_bin(feature: &str, bin: &str, what: &str) -> Result<()> {
    say(format!(
        "Building {what} (release): cargo build --release -p xtask --features {feature}"
    ));
    util::run(cmd("cargo").args([
        "build",
        "--release",
        "-p",
        "xtask",
        "--features",
        feature,
        "--bin",
        bin,
    ]))
}

/// `target/release/esafety serve` on `addr` with a data folder of its own, the demo
/// accounts' password, and `env` on top; answering `/healthz` when this returns.
pub fn start_server(
    addr: SocketAddr,
    data_dir: &Path,
    env: &[(&str, &str)],
    log_name: &str,
) -> Result<ChildGuard> {
    let target = util::root().join("target");
    let log = target.join(log_name);
    say(format!(
        "Starting target/release/esafety serve on {addr} (log: {})",
        log.display()
    ));
    let mut c = cmd(target.join("release").join("esafety"));
    util::clear_esafety_env(&mut c);
    let log = std::fs::File::create(&log)?;
    c.arg("serve")
        .env("ESAFETY_ADDR", addr.to_string())
        .env("ESAFETY_BASE_URL", format!("http://{addr}"))
        .env("ESAFETY_DATA_DIR", data_dir)
        .env("ESAFETY_DEMO_PASSWORD", DEMO_PASSWORD)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    let server = ChildGuard(c.spawn()?);
    wait_ready(addr, "/healthz", Some(&server.0), Duration::from_secs(120))?;
    Ok(server)
}

fn sign_in(addr: SocketAddr, email: &str) -> Result<String> {
    crate::bench_http::sign_in(addr, email, DEMO_PASSWORD)
}

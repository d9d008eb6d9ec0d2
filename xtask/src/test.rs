//! `cargo xtask test`: everything CI checks, in one command.
//!
//! Steps run in order and every step runs even when an earlier one failed
//! (a formatting slip should not hide a failing test), except that the
//! browser tests need the release build. Each check counts as one test; test
//! runners count their own tests. The last line is `N passed, N failed`, the
//! plain closing line CI reads, and the exit code is 1 if anything failed.

use crate::postgres::PgCluster;
use crate::test_reports::{first_line, parse_cargo_test, parse_playwright_json, test_targets};
use crate::tools::{self, Tool};
use crate::util::{self, cmd, note, say, Result};
use std::process::{Command, ExitStatus};
use std::time::Instant;

struct Outcome {
    name: String,
    passed: u32,
    failed: u32,
    note: String,
}

#[derive(Default)]
struct Tally {
    steps: Vec<Outcome>,
}

impl Tally {
    fn add(&mut self, name: &str, passed: u32, failed: u32, note: impl Into<String>) {
        self.steps.push(Outcome {
            name: name.to_string(),
            passed,
            failed,
            note: note.into(),
        });
    }

    /// A pass/fail check (fmt, clippy, build) counts as one test.
    fn check(&mut self, name: &str, result: Result<()>) -> bool {
        match result {
            Ok(()) => {
                self.add(name, 1, 0, "");
                true
            }
            Err(e) => {
                say(format!("FAILED: {name}: {e}"));
                self.add(name, 0, 1, e.to_string());
                false
            }
        }
    }

    fn totals(&self) -> (u32, u32) {
        self.steps
            .iter()
            .fold((0, 0), |(p, f), s| (p + s.passed, f + s.failed))
    }
}

pub fn run(args: &[String]) -> Result<i32> {
    if let Some(a) = args.first() {
        return Err(format!("`cargo xtask test` takes no arguments (got `{a}`)").into());
    }
    let started = Instant::now();
    let mut tally = Tally::default();
    say("cargo xtask test: fmt, clippy, tests on SQLite, tests on PostgreSQL, release build, browser tests");

    let missing: Vec<Tool> = tools::ensure(tools::TEST)
        .into_iter()
        .map(|(t, e)| {
            tally.add(&format!("install {t:?}"), 0, 1, e);
            t
        })
        .collect();
    let have = |ts: &[Tool]| ts.iter().all(|t| !missing.contains(t));

    let total = 7;
    let mut n = 0;
    let mut step = |title: &str| -> bool {
        n += 1;
        if util::interrupted() {
            return false;
        }
        say(format!("[{n}/{total}] {title}"));
        true
    };

    // a. Formatting.
    if step("cargo fmt --all -- --check") {
        tally.check(
            "cargo fmt",
            util::run(cmd("cargo").args(["fmt", "--all", "--", "--check"])),
        );
    }

    // b. Lints, for the server build (server enables app's `ssr`) and for
    // the browser build (hydrate, wasm), which compile different code.
    if step("cargo clippy --workspace --all-targets -- -D warnings") {
        tally.check(
            "clippy (workspace, ssr)",
            util::run(cmd("cargo").args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])),
        );
    }
    if step("cargo clippy -p app --lib --target wasm32-unknown-unknown --features hydrate") {
        let name = "clippy (app, hydrate, wasm)";
        if have(&[Tool::WasmTarget]) {
            tally.check(
                name,
                util::run(cmd("cargo").args([
                    "clippy",
                    "-p",
                    "app",
                    "--lib",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--no-default-features",
                    "--features",
                    "hydrate",
                    "--",
                    "-D",
                    "warnings",
                ])),
            );
        } else {
            tally.add(name, 0, 1, "wasm32 target missing");
        }
    }

    // c. All tests on SQLite, the default when no database URL is set. We
    // remove the PostgreSQL URL in case the caller exported it.
    if step("cargo test --workspace (SQLite)") {
        let mut c = cmd("cargo");
        c.args(["test", "--workspace"])
            .env_remove("ESAFETY_TEST_POSTGRES_URL");
        cargo_test(&mut tally, "cargo test (SQLite)", &mut c);
    }

    // d. The server's integration tests again, on a throwaway PostgreSQL.
    if step("cargo test --workspace --test <each server integration test> (PostgreSQL)") {
        let name = "cargo test (PostgreSQL)";
        let targets = integration_tests("server");
        if let Err(e) = &targets {
            tally.check(
                name,
                Err(format!("cannot list the server's tests: {e}").into()),
            );
        } else if targets.as_ref().is_ok_and(Vec::is_empty) {
            note("the server crate has no integration tests yet: nothing to run on PostgreSQL");
        } else if !have(&[Tool::Postgres]) {
            tally.add(name, 0, 1, "PostgreSQL missing");
        } else {
            match PgCluster::start() {
                Err(e) => {
                    tally.check(name, Err(e));
                }
                Ok(pg) => {
                    // Only the integration tests (server/tests/): the unit
                    // tests do not touch the database and already ran in c.
                    // `--workspace`, as in c, so that the features are the same
                    // and c's build is reused: `-p server` built the app and the
                    // server a second time (1.5 GB more on disk, two minutes).
                    let mut c = cmd("cargo");
                    c.args(["test", "--workspace"]);
                    for t in targets.iter().flatten() {
                        c.args(["--test", t]);
                    }
                    c.env("ESAFETY_TEST_POSTGRES_URL", pg.url());
                    cargo_test(&mut tally, name, &mut c);
                    drop(pg);
                }
            }
        }
    }

    // e. Release build, then the browser tests against it.
    let mut built = false;
    if step("cargo leptos build --release") {
        let name = "cargo leptos build --release";
        if have(tools::BUILD) {
            built = tally.check(name, leptos_build());
        } else {
            tally.add(name, 0, 1, "build tools missing");
        }
    }
    if step("Playwright browser tests (end2end/)") {
        let name = "playwright";
        if !built {
            tally.add(name, 0, 1, "not run: the release build failed");
        } else if !have(&[Tool::Chromium, Tool::NpmPackages]) {
            tally.add(name, 0, 1, "not run: Chromium or npm packages missing");
        } else {
            playwright(&mut tally, name);
        }
    }

    if util::interrupted() {
        tally.add("interrupted", 0, 1, "stopped by Ctrl-C / SIGTERM");
    }

    let (passed, failed) = tally.totals();
    say("Summary");
    for s in &tally.steps {
        println!(
            "    {:<4}  {:<30} {:>4} passed, {:>3} failed  {}",
            if s.failed == 0 { "ok" } else { "FAIL" },
            s.name,
            s.passed,
            s.failed,
            first_line(&s.note)
        );
    }
    // A full disk shows up as odd failures (a link error, a tool that stops):
    // say how much room was left, so a red run can be read from its last lines.
    if let Some(free) = util::free_disk_gib() {
        println!("Free disk: {free:.1} GiB");
    }
    println!("Elapsed: {}", util::fmt_duration(started.elapsed()));
    println!("{passed} passed, {failed} failed");
    Ok(if failed == 0 { 0 } else { 1 })
}

/// The cargo-leptos release build, shared with `serve` and `bench`.
pub fn leptos_build() -> Result<()> {
    util::run(tools::tool_cmd("cargo").args(["leptos", "build", "--release", "--precompress"]))
}

fn cargo_test(tally: &mut Tally, name: &str, c: &mut Command) {
    match util::run_tee(c) {
        Err(e) => {
            tally.check(name, Err(e));
        }
        Ok((status, out)) => {
            let (passed, mut failed) = parse_cargo_test(&out);
            let mut why = String::new();
            if !status.success() && failed == 0 {
                // A compile error or a crashed test binary prints no
                // failing `test result:` line; still a failure.
                failed = 1;
                why = format!("cargo test exited with {status} and no failing test counted (compile error, crash or interrupt)");
                say(format!("FAILED: {name}: {why}"));
            }
            tally.add(name, passed, failed, why);
        }
    }
}

fn playwright(tally: &mut Tally, name: &str) {
    let dir = util::end2end_dir();
    let report = util::root().join("target").join("e2e-report.json");
    let _ = std::fs::remove_file(&report);
    let port = match util::free_port() {
        Ok(p) => p,
        Err(e) => {
            tally.check(name, Err(e));
            return;
        }
    };
    // playwright.config.ts reads E2E_PORT and E2E_JSON_REPORT; the webServer
    // it starts gets only the ESAFETY_* settings the config gives it.
    let mut c = tools::tool_cmd(dir.join("node_modules").join(".bin").join("playwright"));
    c.arg("test")
        .current_dir(&dir)
        .env("E2E_PORT", port.to_string())
        .env("E2E_JSON_REPORT", &report);
    util::clear_esafety_env(&mut c);
    let status: ExitStatus = match c.status() {
        Ok(s) => s,
        Err(e) => {
            tally.check(name, Err(format!("could not start Playwright: {e}").into()));
            return;
        }
    };
    let text = match std::fs::read_to_string(&report) {
        Ok(t) => t,
        Err(_) => {
            tally.add(
                name,
                0,
                1,
                format!("Playwright exited with {status} and wrote no report"),
            );
            return;
        }
    };
    match parse_playwright_json(&text) {
        Err(e) => tally.add(name, 0, 1, format!("unreadable report: {e}")),
        Ok(r) => {
            let mut failed = r.failed;
            let mut why = Vec::new();
            if r.flaky > 0 {
                why.push(format!("{} flaky (passed on retry)", r.flaky));
            }
            if r.skipped > 0 {
                why.push(format!("{} skipped", r.skipped));
            }
            if !r.errors.is_empty() {
                // e.g. the web server did not start: no test could run.
                failed += 1;
                why.push(format!("error: {}", r.errors.join(" | ")));
            }
            if !status.success() && failed == 0 {
                failed = 1;
                why.push(format!("Playwright exited with {status}"));
            }
            tally.add(name, r.passed, failed, why.join("; "));
        }
    }
}

/// Names of a package's integration-test targets (tests/*.rs,
/// tests/*/main.rs, or [[test]] entries), as cargo itself sees them.
fn integration_tests(package: &str) -> Result<Vec<String>> {
    let out = cmd("cargo")
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .stderr(std::process::Stdio::inherit())
        .output()?;
    if !out.status.success() {
        return Err(format!("cargo metadata failed ({})", out.status).into());
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    Ok(test_targets(&v, package))
}

//! `esafety remind` on the command line: a dry run prints each email that would go, to
//! whom and why, and writes nothing; a real run queues them once; a bad day is refused.

use super::fixture::*;
use crate::helpers::*;
use std::process::{Command, Output};

fn remind(app: &TestApp, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_esafety"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("ESAFETY_DATA_DIR", app.data_dir.path())
        .env("ESAFETY_CONTENT_DIR", content_dir())
        .env("ESAFETY_DATABASE_URL", &app.config.database_url)
        .env("RUST_LOG", "error")
        .arg("remind")
        .args(args)
        .output()
        .expect("esafety runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

async fn rows(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "notifications_sent",
        "outbox",
        "reminder_log",
        "reminder_runs",
    ] {
        out.push(app.count(&format!("SELECT COUNT(*) FROM {table}")).await);
    }
    out
}

#[tokio::test]
async fn the_remind_command_dry_runs_then_sends_once() {
    let app = spawn_app().await;
    acme(&app).await;

    let bad = remind(&app, &["--today", "2027-13-01"]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("'2027-13-01' is not a day written as YYYY-MM-DD"),
        "{stderr}"
    );

    let before = rows(&app).await;
    let dry = remind(&app, &["--dry-run", "--today", "2027-03-22"]);
    assert!(dry.status.success(), "{dry:?}");
    let text = stdout(&dry);
    assert!(
        text.contains("acme, Monday 22 March 2027: 8 email(s) would be sent (dry run: nothing recorded or queued)."),
        "{text}"
    );
    assert!(
        text.contains("to Sam Staff <sam@acme.test>: Reminder to a member of staff: Safeguarding refresher: due 26 Mar 2027 (in 4 days)"),
        "{text}"
    );
    assert!(
        text.contains("to Maria Manager <maria@acme.test>: Weekly digest to a line manager: 2 people in their team overdue or due soon"),
        "{text}"
    );
    assert_eq!(rows(&app).await, before, "a dry run writes nothing");

    let real = remind(&app, &["--today", "2027-03-22"]);
    assert!(real.status.success(), "{real:?}");
    assert!(
        stdout(&real).contains("acme, Monday 22 March 2027: queued 8 email(s)."),
        "{}",
        stdout(&real)
    );
    let again = stdout(&remind(&app, &["--today", "2027-03-22"]));
    assert!(
        again.contains("acme, Monday 22 March 2027: queued 0 email(s)."),
        "{again}"
    );
    assert!(
        again.contains("5 already reminded at this stage, so not again."),
        "{again}"
    );
}

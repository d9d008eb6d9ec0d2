//! The staff reminder part of `cargo xtask bench`: the daily run over 10,000 and 100,000
//! staff with 3 requirements each, on SQLite and on a throwaway PostgreSQL cluster
//! (`server/benches/reminders.rs`: wall time, peak memory, the outbox's sending rate).

use crate::postgres::PgCluster;
use crate::util::{self, cmd, say, Result};
use std::time::Instant;

const SIZES: [&str; 2] = ["10000", "100000"];

/// Build and run the reminder bench on both databases: its report lines.
pub fn lines() -> Result<Vec<String>> {
    say("Staff reminders: cargo bench -p server --bench reminders (SQLite, then PostgreSQL)");
    let started = Instant::now();
    let mut out = Vec::new();
    for staff in SIZES {
        out.extend(run(&[staff])?);
    }
    match PgCluster::start() {
        Ok(cluster) => {
            let url = cluster.url();
            for staff in SIZES {
                out.extend(run(&[staff, "--postgres", &url])?);
            }
        }
        Err(e) => out.push(format!("reminders (PostgreSQL): not run: {e}")),
    }
    say(format!(
        "(built and ran in {:.0} s)",
        started.elapsed().as_secs_f64()
    ));
    Ok(out)
}

fn run(args: &[&str]) -> Result<Vec<String>> {
    let output = cmd("cargo")
        .args(["bench", "-p", "server", "--bench", "reminders", "--"])
        .args(args)
        .current_dir(util::root())
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "the reminder bench failed: {}",
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or_default()
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| l.starts_with("reminders"))
        .map(str::to_string)
        .collect())
}

//! `cargo xtask serve`: build the release site and run it, the quickest way
//! to try the app. The server reads its own ESAFETY_* settings from the
//! environment we pass through untouched (defaults: SQLite in ./data,
//! http://127.0.0.1:3000, demo accounts printed at start).

use crate::test::leptos_build;
use crate::tools;
use crate::util::{self, cmd, say, Result};
use std::time::Duration;

pub fn run(args: &[String]) -> Result<i32> {
    tools::ensure_all_or_fail(tools::BUILD)?;
    say("Building the release site: cargo leptos build --release");
    leptos_build()?;
    if util::interrupted() {
        return Ok(130);
    }

    let exe = util::root().join("target").join("release").join("esafety");
    say(format!("Starting {} serve", exe.display()));
    let mut child = cmd(&exe).arg("serve").args(args).spawn()?;

    // Ctrl-C in a terminal reaches the server directly (same process group);
    // we only forward it for the cases where it was sent to us alone (e.g.
    // `kill -INT <xtask pid>`), then wait for the graceful shutdown.
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status.code().unwrap_or(130));
        }
        if util::interrupted() {
            util::stop_child(&mut child, Duration::from_secs(15));
            let status = child.wait()?;
            return Ok(status.code().unwrap_or(130));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

//! The staff-training part of `cargo xtask bench`: an HR import of 5,000 rows (preview and
//! confirm timed, twice, so the organisation has 10,000 staff), the People dashboard for
//! that organisation under load (beside the baseline sending the same bytes), and the
//! status of 100,000 staff worked out (`server/benches/training_status.rs`: time, memory).

use crate::bench_http::{form_encode, http};
use crate::bench_quiz::call;
use crate::util::{self, cmd, say, Result};
use std::net::SocketAddr;
use std::time::Instant;

/// The People dashboard page loaded under bench.
pub const DASHBOARD: &str = "/training/dashboard";
/// Rows per HR file (the import's own limit), and files imported.
const ROWS_PER_FILE: usize = 5_000;
const FILES: usize = 2;

/// An HR export of `count` people from number `from`: ten to a line manager, who is named
/// by employee number (in this file, or the one before), in 25 departments, with UK dates.
fn hr_file(from: usize, count: usize) -> String {
    let mut csv = String::from(
        "Employee number,Full name,Work email,Job title,Department,Start date,Line manager\r\n",
    );
    for n in from..from + count {
        let manager = if n < 10 {
            String::new()
        } else {
            format!("E{:06}", n / 10)
        };
        csv.push_str(&format!(
            "E{n:06},Person {n:06},person{n}@bench.test,Tutor,Department {},{:02}/{:02}/20{:02},{manager}\r\n",
            n % 25,
            1 + n % 28,
            1 + n % 12,
            10 + n % 16,
        ));
    }
    csv
}

pub fn post(addr: SocketAddr, cookie: &str, function: &str, form: &str) -> Result<f64> {
    let started = Instant::now();
    let (status, body) = call(addr, &format!("/api/{function}"), cookie, form)?;
    if status != 200 && status != 302 {
        let text = String::from_utf8_lossy(&body);
        return Err(format!(
            "{function}: HTTP {status}: {}",
            text.chars().take(300).collect::<String>()
        )
        .into());
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

/// Import FILES files of ROWS_PER_FILE staff as `cookie` (an administrator): the report
/// lines, one per file.
pub fn import_staff(addr: SocketAddr, cookie: &str) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    for file in 0..FILES {
        say(format!(
            "HR import: file {} of {FILES}, {ROWS_PER_FILE} rows",
            file + 1
        ));
        let csv = hr_file(file * ROWS_PER_FILE, ROWS_PER_FILE);
        let upload = post(
            addr,
            cookie,
            "staff/import_upload",
            &format!("csv={}", form_encode(&csv)),
        )?;
        let preview = post(addr, cookie, "staff/import_state", "")?;
        let confirm = post(addr, cookie, "staff/import_confirm", "")?;
        lines.push(format!(
            "HR import of {ROWS_PER_FILE} rows ({} KiB, file {} of {FILES}): upload {upload:.0} ms, preview {preview:.0} ms, confirm {confirm:.0} ms",
            csv.len() / 1024,
            file + 1
        ));
    }
    // The import leaves everyone without an account password; the staff are real records.
    let check = http(addr, "GET", "/healthz", &[], b"")?;
    if check.status != 200 {
        return Err(format!(
            "the server is unwell after the import: HTTP {}",
            check.status
        )
        .into());
    }
    Ok(lines)
}

/// Build and run the status bench for 100,000 staff: its report lines.
pub fn status_lines() -> Result<Vec<String>> {
    say("Status of 100,000 staff: cargo bench -p server --bench training_status");
    let started = Instant::now();
    let out = cmd("cargo")
        .args([
            "bench",
            "-p",
            "server",
            "--bench",
            "training_status",
            "--",
            "100000",
        ])
        .current_dir(util::root())
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "the status bench failed: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or_default()
        )
        .into());
    }
    say(format!(
        "(built and ran in {:.0} s)",
        started.elapsed().as_secs_f64()
    ));
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("training status:"))
        .map(str::to_string)
        .collect())
}

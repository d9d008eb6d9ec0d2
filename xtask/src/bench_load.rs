//! Load and measurements for `cargo xtask bench`: oha runs and their JSON, the server's
//! memory read the same way every run, and the size of the release WebAssembly.

use crate::tools;
use crate::util::{self, say, Result};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::Duration;

// --- load generation ---------------------------------------------------------

#[derive(Debug, PartialEq)]
pub struct LoadResult {
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Non-2xx statuses or transport errors: a result worth distrusting.
    pub problems: String,
}

pub fn oha(
    addr: SocketAddr,
    page: &str,
    header: Option<&str>,
    conns: u32,
    secs: u64,
) -> Result<LoadResult> {
    let url = format!("http://{addr}{page}");
    let base = |c: &mut std::process::Command| {
        // No redirects followed (a lost session must show up as 302s, not
        // as a fast /login), no compression (the baseline sends raw bytes).
        c.args(["--no-tui", "--redirect", "0", "--disable-compression"]);
        if let Some(h) = header {
            c.args(["-H", h]);
        }
        c.arg(&url);
    };
    // Warm-up: fill caches and connection pools; not measured.
    let mut w = tools::tool_cmd("oha");
    w.args(["-n", "200", "-c", "8", "--output-format", "quiet"]);
    base(&mut w);
    util::stdout_of(&mut w);

    say(format!(
        "oha: {url} with {conns} connection(s) for {secs} s"
    ));
    let mut c = tools::tool_cmd("oha");
    c.args([
        "-z",
        &format!("{secs}s"),
        "-c",
        &conns.to_string(),
        "--wait-ongoing-requests-after-deadline",
        "--output-format",
        "json",
    ]);
    base(&mut c);
    let out = c.stderr(Stdio::inherit()).output()?;
    if !out.status.success() {
        return Err(format!("oha failed ({})", out.status).into());
    }
    parse_oha_json(&String::from_utf8_lossy(&out.stdout))
}

pub fn parse_oha_json(text: &str) -> Result<LoadResult> {
    let v: serde_json::Value = serde_json::from_str(text)?;
    let f = |ptr: &str| {
        v.pointer(ptr)
            .and_then(serde_json::Value::as_f64)
            .unwrap_or(f64::NAN)
    };
    let mut problems = Vec::new();
    if let Some(codes) = v.get("statusCodeDistribution").and_then(|c| c.as_object()) {
        for (code, n) in codes {
            if !code.starts_with('2') {
                problems.push(format!("{n} x HTTP {code}"));
            }
        }
    }
    if let Some(errs) = v.get("errorDistribution").and_then(|c| c.as_object()) {
        for (err, n) in errs {
            problems.push(format!("{n} x {err}"));
        }
    }
    Ok(LoadResult {
        rps: f("/summary/requestsPerSec"),
        p50_ms: f("/latencyPercentiles/p50") * 1000.0,
        p99_ms: f("/latencyPercentiles/p99") * 1000.0,
        problems: problems.join(", "),
    })
}

// --- measurements ------------------------------------------------------------

/// How long the server is left alone after the loads before its memory is read again.
pub const SETTLE: Duration = Duration::from_secs(5);

/// The server's memory, read the same way every run: resident before the loads, its
/// high-water mark, and resident once the loads have ended and SETTLE has passed (what
/// it keeps, not what it is still handing back).
pub struct Memory {
    pid: u32,
    pub before: Option<u64>,
    pub peak: Option<u64>,
    pub after: Option<u64>,
}

impl Memory {
    pub fn start(pid: u32) -> Memory {
        Memory {
            pid,
            before: rss_kib(pid, "VmRSS:"),
            peak: None,
            after: None,
        }
    }

    pub fn settled(mut self) -> Memory {
        std::thread::sleep(SETTLE);
        self.peak = rss_kib(self.pid, "VmHWM:");
        self.after = rss_kib(self.pid, "VmRSS:");
        self
    }
}

/// A memory line of /proc/PID/status (`VmRSS:`, `VmHWM:`) in KiB.
pub fn rss_kib(pid: u32, field: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// (file name, raw bytes, gzip -9 bytes) for every .wasm cargo-leptos wrote.
pub fn wasm_sizes() -> Result<Vec<(String, u64, u64)>> {
    let pkg = util::root().join("target").join("site").join("pkg");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&pkg)
        .map_err(|e| format!("{}: {e}", pkg.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no .wasm in {}", pkg.display()).into());
    }
    let mut sizes = Vec::new();
    for f in files {
        let raw = std::fs::metadata(&f)?.len();
        let gzipped = gzip_len(&std::fs::read(&f)?)?;
        let name = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        sizes.push((name, raw, gzipped as u64));
    }
    Ok(sizes)
}

/// The size of `bytes` after `gzip -9`.
pub fn gzip_len(bytes: &[u8]) -> Result<usize> {
    use std::io::Write;
    let mut child = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(bytes)?;
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        return Err("gzip failed".into());
    }
    Ok(out.stdout.len())
}

// --- cleanup guards ------------------------------------------------------------

/// Stops the server (SIGINT, then SIGKILL) however `bench` ends.
pub struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        util::stop_child(&mut self.0, Duration::from_secs(10));
    }
}

pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(p: PathBuf) -> Result<TempDir> {
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p)?;
        Ok(TempDir(p))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_oha_json() {
        let json = r#"{"summary":{"successRate":1.0,"total":10.0,"requestsPerSec":1523.5},
            "latencyPercentiles":{"p10":0.0001,"p50":0.00065,"p99":0.0042},
            "statusCodeDistribution":{"200":15235,"302":3},
            "errorDistribution":{"aborted due to deadline":2}}"#;
        let r = parse_oha_json(json).unwrap();
        assert_eq!(r.rps, 1523.5);
        assert!((r.p50_ms - 0.65).abs() < 1e-9);
        assert!((r.p99_ms - 4.2).abs() < 1e-9);
        assert_eq!(r.problems, "3 x HTTP 302, 2 x aborted due to deadline");
    }
}

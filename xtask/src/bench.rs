//! `cargo xtask bench`: how much does the app cost per request, compared
//! with the cheapest possible server sending the same bytes?
//!
//! It builds the release site, starts `esafety serve` on a free loopback port
//! with a temp data dir, signs in as the demo learner to get a session
//! cookie, saves the bytes of /home and /login, and starts `bench-baseline`
//! (a bare axum route serving those bytes from memory, built in release).
//! oha then loads each page (/home, a module page, /login, /safe-internet) at 1
//! and 64 connections for a fixed time, and `bench_quiz` runs 64 people opening
//! and submitting quizzes against the app and the baseline. `bench_training` imports
//! 10,000 staff through the HR import (timed), loads the People dashboard at 16
//! connections, and runs the status of 100,000 staff (time, memory). Also printed: the release .wasm size (raw and gzip -9) and the
//! server's RSS at idle and right after the 64-connection load.
//!
//! Loopback only, every loop bounded by a count or a deadline.

use crate::bench_quiz::call;
use crate::bench_training::DASHBOARD;
use crate::test::leptos_build;
use crate::tools::{self, Tool};
use crate::util::{self, cmd, note, say, Result};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const DEMO_PASSWORD: &str = "bench-password-123";
const LEARNER: &str = "learner@demo.test";
const CONNECTIONS: [u32; 2] = [1, 64];
/// A module page for the demo learner.
const MODULE_PAGE: &str = "/induction/grooming";
/// The quiz the bench people (staff roles) take, and how many of them.
const QUIZ_MODULE: &str = "staff-online-safety";
const QUIZ_PEOPLE: usize = 64;

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
    let secs = parse_args(args)?;
    let mut needed = tools::BUILD.to_vec();
    needed.push(Tool::Oha);
    tools::ensure_all_or_fail(&needed)?;

    say("Building the release site: cargo leptos build --release");
    leptos_build()?;
    say("Building the baseline server (release): cargo build --release -p xtask --features baseline");
    util::run(cmd("cargo").args([
        "build",
        "--release",
        "-p",
        "xtask",
        "--features",
        "baseline",
        "--bin",
        "bench-baseline",
    ]))?;

    let wasm = wasm_sizes().unwrap_or_else(|e| {
        note(format!("cannot measure the wasm: {e}"));
        Vec::new()
    });

    // --- the app ---
    let target = util::root().join("target");
    let data_dir =
        TempDir::new(std::env::temp_dir().join(format!("esafety-bench-{}", std::process::id())))?;
    let app_port = util::free_port()?;
    let app_addr: SocketAddr = ([127, 0, 0, 1], app_port).into();
    let app_log = target.join("bench-server.log");
    say(format!(
        "Starting target/release/esafety serve on {app_addr} (log: {})",
        app_log.display()
    ));
    let mut c = cmd(target.join("release").join("esafety"));
    util::clear_esafety_env(&mut c);
    let log = std::fs::File::create(&app_log)?;
    c.arg("serve")
        .env("ESAFETY_ADDR", app_addr.to_string())
        .env("ESAFETY_BASE_URL", format!("http://{app_addr}"))
        .env("ESAFETY_DATA_DIR", &data_dir.0)
        .env("ESAFETY_DEMO_PASSWORD", DEMO_PASSWORD)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log);
    let app = ChildGuard(c.spawn()?);
    wait_ready(app_addr, "/healthz", Some(&app), Duration::from_secs(120))?;

    say(format!("Signing in as {LEARNER}"));
    let cookie = sign_in(app_addr, LEARNER)?;
    // Pages wait behind the Acceptable Use Policy until it is signed.
    sign_policy(app_addr, &cookie, "learner", "Alex Learner")?;
    let home = get(app_addr, "/home", Some(&cookie))?;
    let module = get(app_addr, MODULE_PAGE, Some(&cookie))?;
    let login = get(app_addr, "/login", None)?;
    let safe_internet = get(app_addr, "/safe-internet", None)?;
    note(format!(
        "/home is {} bytes, {MODULE_PAGE} is {} bytes, /login is {} bytes, /safe-internet is {} bytes",
        home.len(),
        module.len(),
        login.len(),
        safe_internet.len()
    ));
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
    let training_lines = crate::bench_training::import_staff(app_addr, &quiz_people[0])?;
    let dashboard = get(app_addr, DASHBOARD, Some(&quiz_people[0]))?;
    note(format!(
        "{DASHBOARD} is {} bytes for 10,000 staff",
        dashboard.len()
    ));

    // --- the baseline ---
    let home_file = target.join("bench-home.html");
    let login_file = target.join("bench-login.html");
    let safe_internet_file = target.join("bench-safe-internet.html");
    let module_file = target.join("bench-module.html");
    let quiz_file = target.join("bench-quiz.json");
    let submit_file = target.join("bench-submit.json");
    std::fs::write(&module_file, &module)?;
    std::fs::write(&quiz_file, &quiz_sample)?;
    std::fs::write(&submit_file, &submit_sample)?;
    let dashboard_file = target.join("bench-dashboard.html");
    std::fs::write(&dashboard_file, &dashboard)?;
    std::fs::write(&home_file, &home)?;
    std::fs::write(&login_file, &login)?;
    std::fs::write(&safe_internet_file, &safe_internet)?;
    let base_addr: SocketAddr = ([127, 0, 0, 1], util::free_port()?).into();
    say(format!(
        "Starting the baseline (bare axum, bytes from memory) on {base_addr}"
    ));
    let base = ChildGuard(
        cmd(target.join("release").join("bench-baseline"))
            .arg(base_addr.to_string())
            .arg(format!("/home={}", home_file.display()))
            .arg(format!("/login={}", login_file.display()))
            .arg(format!("/safe-internet={}", safe_internet_file.display()))
            .arg(format!("{MODULE_PAGE}={}", module_file.display()))
            .arg(format!("{DASHBOARD}={}", dashboard_file.display()))
            .arg(format!("POST:/api/learning/quiz={}", quiz_file.display()))
            .arg(format!(
                "POST:/api/learning/submit={}",
                submit_file.display()
            ))
            .stdin(Stdio::null())
            .spawn()?,
    );
    wait_ready(base_addr, "/healthz", Some(&base), Duration::from_secs(30))?;

    // --- load ---
    std::thread::sleep(Duration::from_secs(1));
    let rss_idle = rss_kib(app.0.id());
    let cookie_header = format!("Cookie: {cookie}");
    let mut rows = Vec::new();
    let mut rss_loaded = None;
    for conns in CONNECTIONS {
        for (page, hdr) in [
            ("/home", Some(cookie_header.as_str())),
            (MODULE_PAGE, Some(cookie_header.as_str())),
            ("/login", None),
            ("/safe-internet", None),
        ] {
            if util::interrupted() {
                return Ok(130);
            }
            let a = oha(app_addr, page, hdr, conns, secs)?;
            if conns == 64 {
                // Right after the heavy load, before the baseline runs.
                rss_loaded = rss_kib(app.0.id()).max(rss_loaded);
            }
            let b = oha(base_addr, page, hdr, conns, secs)?;
            rows.push((page, conns, a, b));
        }
    }
    // The People dashboard of 10,000 staff, at 16 connections (a People team, not a crowd).
    let people_cookie = format!("Cookie: {}", quiz_people[0]);
    let a = oha(app_addr, DASHBOARD, Some(&people_cookie), 16, secs)?;
    let b = oha(base_addr, DASHBOARD, Some(&people_cookie), 16, secs)?;
    rows.push((DASHBOARD, 16, a, b));
    say(format!(
        "Quiz submissions: {} people, each opening the {QUIZ_MODULE} quiz and submitting it, for {secs} s",
        quiz_people.len()
    ));
    let quiz_app = crate::bench_quiz::load(app_addr, &quiz_people, QUIZ_MODULE, secs);
    rss_loaded = rss_kib(app.0.id()).max(rss_loaded);
    let quiz_base = crate::bench_quiz::load(base_addr, &quiz_people, QUIZ_MODULE, secs);
    rows.push(("quiz submit", quiz_people.len() as u32, quiz_app, quiz_base));
    let base_rss = rss_kib(base.0.id());
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
    let css = std::fs::read(target.join("site/pkg/esafety.css")).unwrap_or_default();
    println!(
        "/safe-internet transfer: {} HTML + {} CSS = {} ({} gzip -9)",
        kib(safe_internet.len() as f64),
        kib(css.len() as f64),
        kib((safe_internet.len() + css.len()) as f64),
        kib((gzip_len(&safe_internet)? + gzip_len(&css)?) as f64)
    );
    let show = |v: Option<u64>| v.map_or("unknown".to_string(), |k| kib(k as f64 * 1024.0));
    println!(
        "server RSS: {} idle, {} after the 64-connection load",
        show(rss_idle),
        show(rss_loaded)
    );
    println!("baseline RSS after its runs: {}", show(base_rss));
    for line in &training_lines {
        println!("{line}");
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

fn parse_args(args: &[String]) -> Result<u64> {
    let mut secs = 10;
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
            other => return Err(format!("unknown bench option `{other}` (try --seconds N)").into()),
        }
    }
    Ok(secs)
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

// --- load generation ---------------------------------------------------------

#[derive(Debug, PartialEq)]
pub struct LoadResult {
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Non-2xx statuses or transport errors: a result worth distrusting.
    pub problems: String,
}

fn oha(
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

/// Resident set size in KiB, from /proc/PID/status.
fn rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// (file name, raw bytes, gzip -9 bytes) for every .wasm cargo-leptos wrote.
fn wasm_sizes() -> Result<Vec<(String, u64, u64)>> {
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
fn gzip_len(bytes: &[u8]) -> Result<usize> {
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

// --- a tiny HTTP/1.1 client (sign-in and fetching pages) ----------------------

pub struct Response {
    pub status: u16,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Response> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nUser-Agent: xtask-bench\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Result<Response> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("incomplete HTTP response")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or("bad HTTP status line")?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body)?;
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// Decode a `Transfer-Encoding: chunked` body (SSR pages are streamed).
fn dechunk(mut data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("bad chunk header")?;
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| format!("bad chunk size `{size_text}`"))?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size + 2 {
            return Err("truncated chunk".into());
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

pub fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// POST the sign-in form like a browser without JavaScript would, and return
/// `esafety_session=...` from the Set-Cookie header.
fn sign_in(addr: SocketAddr, email: &str) -> Result<String> {
    let body = format!(
        "email={}&password={}",
        form_encode(email),
        form_encode(DEMO_PASSWORD)
    );
    let r = http(
        addr,
        "POST",
        "/api/auth/sign_in",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Referer", &format!("http://{addr}/login")),
            ("Origin", &format!("http://{addr}")),
        ],
        body.as_bytes(),
    )?;
    let cookie = r
        .header_values("set-cookie")
        .find(|v| v.starts_with("esafety_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string);
    match cookie {
        Some(c) if (300..400).contains(&r.status) || r.status == 200 => Ok(c),
        _ => Err(format!(
            "sign-in did not give a session cookie: HTTP {}, headers {:?}",
            r.status, r.headers
        )
        .into()),
    }
}

fn get(addr: SocketAddr, path: &str, cookie: Option<&str>) -> Result<Vec<u8>> {
    let headers: Vec<(&str, &str)> = cookie.map(|c| ("Cookie", c)).into_iter().collect();
    let r = http(addr, "GET", path, &headers, b"")?;
    if r.status != 200 {
        return Err(format!("GET {path}: HTTP {} (expected 200)", r.status).into());
    }
    Ok(r.body)
}

/// Poll until `path` answers 200, the child exits, or the deadline passes.
fn wait_ready(
    addr: SocketAddr,
    path: &str,
    child: Option<&ChildGuard>,
    limit: Duration,
) -> Result<()> {
    let deadline = Instant::now() + limit;
    loop {
        if let Ok(r) = http(addr, "GET", path, &[], b"") {
            if r.status == 200 {
                return Ok(());
            }
        }
        if let Some(c) = child {
            if !Path::new(&format!("/proc/{}", c.0.id())).exists() {
                return Err(format!("the server on {addr} exited during start-up").into());
            }
        }
        if Instant::now() > deadline || util::interrupted() {
            return Err(format!("{addr}{path} not ready after {} s", limit.as_secs()).into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

// --- cleanup guards ------------------------------------------------------------

/// Stops the server (SIGINT, then SIGKILL) however `bench` ends.
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        util::stop_child(&mut self.0, Duration::from_secs(10));
    }
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(p: PathBuf) -> Result<TempDir> {
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

    #[test]
    fn decodes_chunked_responses() {
        let raw = b"HTTP/1.1 302 Found\r\nSet-Cookie: esafety_session=abc; Path=/; HttpOnly\r\n\
                    Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;x=y\r\n, world\r\n0\r\n\r\n";
        let r = parse_response(raw).unwrap();
        assert_eq!(r.status, 302);
        assert_eq!(r.body, b"hello, world");
        assert_eq!(
            r.header_values("set-cookie").next(),
            Some("esafety_session=abc; Path=/; HttpOnly")
        );
    }

    #[test]
    fn encodes_form_values() {
        assert_eq!(form_encode("learner@demo.test"), "learner%40demo.test");
        assert_eq!(form_encode("a b&c=d"), "a+b%26c%3Dd");
    }
}

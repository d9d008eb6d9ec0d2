//! Small helpers shared by every command: paths, printing, running child
//! processes, free ports and Ctrl-C handling. Std-only on purpose (see
//! Cargo.toml).

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The workspace root: xtask lives one level below it. Using the manifest dir
/// (not the current directory) lets `cargo xtask` work from any subfolder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

pub fn end2end_dir() -> PathBuf {
    root().join("end2end")
}

/// Progress line. Everything goes to stdout (and is flushed) so that our lines
/// and the children's output stay in order in a CI log, and so the summary
/// line printed at the very end really is the last line.
pub fn say(msg: impl AsRef<str>) {
    println!("==> {}", msg.as_ref());
    let _ = std::io::stdout().flush();
}

pub fn note(msg: impl AsRef<str>) {
    println!("    {}", msg.as_ref());
    let _ = std::io::stdout().flush();
}

/// `Command` rooted at the workspace, so relative paths in arguments work.
pub fn cmd(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root());
    c
}

pub fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Run to completion with inherited stdio; error on failure to start or a
/// non-zero exit.
pub fn run(c: &mut Command) -> Result<()> {
    let status = c
        .status()
        .map_err(|e| format!("could not start `{}`: {e}", describe(c)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(c)).into())
    }
}

/// Run and return stdout when it succeeds; `None` when the program is missing
/// or fails. Used for version probes, where "absent" and "broken" mean the
/// same thing: install it.
pub fn stdout_of(c: &mut Command) -> Option<String> {
    let out = c.stderr(Stdio::null()).stdin(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Run with stdout piped: every line is echoed as it arrives (so the user
/// still sees progress) and the whole text is returned for parsing. stderr
/// (cargo's compile progress) is inherited untouched.
pub fn run_tee(c: &mut Command) -> Result<(ExitStatus, String)> {
    let mut child = c
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{}`: {e}", describe(c)))?;
    let mut all = String::new();
    let mut reader = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut buf = Vec::new();
    let mut out = std::io::stdout();
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        let _ = out.write_all(&buf);
        let _ = out.flush();
        all.push_str(&String::from_utf8_lossy(&buf));
    }
    Ok((child.wait()?, all))
}

/// `~/.cargo/bin` (or `$CARGO_HOME/bin`): where `cargo install` puts tools.
pub fn cargo_bin_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return PathBuf::from(home).join("bin");
    }
    let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
    PathBuf::from(home).join(".cargo").join("bin")
}

/// PATH with `~/.cargo/bin` and `end2end/node_modules/.bin` first. cargo-leptos
/// (built with `no_downloads`) looks up `wasm-bindgen` and `wasm-opt` on PATH
/// and would otherwise try to download them, which fails here; putting the
/// npm `binaryen` first also keeps Debian's (older) wasm-opt out of the way.
pub fn tools_path() -> OsString {
    let mut dirs = vec![
        cargo_bin_dir(),
        end2end_dir().join("node_modules").join(".bin"),
    ];
    if let Some(p) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(dirs).expect("PATH entries contain no ':'")
}

/// Ask the kernel for a free loopback port. There is a small window in which
/// someone else could take it; acceptable for local test servers.
pub fn free_port() -> Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

/// Effective uid from /proc (std has no geteuid). Root needs `runuser` for
/// PostgreSQL and can use apt-get directly.
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

/// Free space on the disk that holds `target/`, from `df` (None if it cannot say).
pub fn free_disk_gib() -> Option<f64> {
    let out = Command::new("df").args(["-Pk"]).arg(root()).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    // `df -P`: a header, then "filesystem blocks used available capacity mount".
    let kib: f64 = text
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kib / (1024.0 * 1024.0))
}

pub fn fmt_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

// ---------------------------------------------------------------------------
// Ctrl-C / SIGTERM.
//
// A terminal's Ctrl-C goes to the whole foreground process group: our
// children (cargo, the server, postgres) get it directly. If xtask died with
// the default action, the throwaway PostgreSQL cluster and temp dirs would
// leak and `serve` could not wait for the server's graceful shutdown. So we
// only set a flag: commands poll `interrupted()`, stop starting new work, and
// let their Drop guards clean up. The handler stores to an atomic, which is
// async-signal-safe. A handler (not SIG_IGN) is reset to the default on exec,
// so children still react to Ctrl-C normally.
// ---------------------------------------------------------------------------

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_sig: i32) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

extern "C" {
    // From the C library std already links. `sighandler_t` is a pointer-sized
    // integer on Linux; `signal` has BSD semantics (SA_RESTART) in glibc.
    fn signal(signum: i32, handler: usize) -> usize;
}

const SIGINT: i32 = 2;
const SIGTERM: i32 = 15;

pub fn install_interrupt_handler() {
    let handler = on_signal as extern "C" fn(i32) as usize;
    // SAFETY: installs a handler that only performs an atomic store.
    unsafe {
        signal(SIGINT, handler);
        signal(SIGTERM, handler);
    }
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Send a signal by name using the `kill` utility (keeps this crate free of
/// libc bindings beyond `signal`).
pub fn send_signal(pid: u32, sig: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(pid.to_string())
        .stderr(Stdio::null())
        .status();
}

/// Stop a child politely (SIGINT, like Ctrl-C, so the server shuts down
/// gracefully), then forcefully after `grace`.
pub fn stop_child(child: &mut Child, grace: Duration) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    send_signal(child.id(), "INT");
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Remove every `ESAFETY_*` variable the caller may have exported, so that
/// tests and benchmarks run against the configuration we set, not against,
/// say, a developer's production-like database URL.
pub fn clear_esafety_env(c: &mut Command) {
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("ESAFETY_") {
            c.env_remove(k);
        }
    }
}

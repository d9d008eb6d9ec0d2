//! Making sure the tools each command needs are present, at the right
//! version, installing what is missing.
//!
//! Why here and not in a setup script: the project's machines (developers' and
//! CI's) can be brand new, and only what the project's own files install is
//! there. Everything comes from the package registries this workplace reaches
//! (crates.io, npm, Debian); nothing downloads a prebuilt binary or a browser
//! from elsewhere, because that fails here. Every check is cheap, so each
//! command simply runs them all and skips what is already right.

use crate::util::{self, cmd, note, say, stdout_of, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

pub const CARGO_LEPTOS_VERSION: &str = "0.3.10";
/// Pinned so the JSON report format `bench` parses does not move under us.
pub const OHA_VERSION: &str = "1.16.0";
/// The major version of npm's `binaryen` pinned in end2end/package.json.
const WASM_OPT_MAJOR: &str = "132";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// rustfmt and clippy, used by `test`.
    RustComponents,
    WasmTarget,
    CargoLeptos,
    WasmBindgen,
    /// end2end/node_modules: Playwright, axe, and the wasm-opt cargo-leptos uses.
    NpmPackages,
    Chromium,
    Postgres,
    Oha,
    /// The sqlite3 command line, for the quiz-day bench's bulk learners.
    Sqlite3,
}

/// Tools for building the release site (serve, bench, and test's e2e step).
pub const BUILD: &[Tool] = &[
    Tool::WasmTarget,
    Tool::CargoLeptos,
    Tool::WasmBindgen,
    Tool::NpmPackages,
];

pub const TEST: &[Tool] = &[
    Tool::RustComponents,
    Tool::WasmTarget,
    Tool::CargoLeptos,
    Tool::WasmBindgen,
    Tool::NpmPackages,
    Tool::Chromium,
    Tool::Postgres,
];

impl Tool {
    fn label(self) -> String {
        match self {
            Tool::RustComponents => "rustfmt and clippy".into(),
            Tool::WasmTarget => format!("Rust target {WASM_TARGET}"),
            Tool::CargoLeptos => format!("cargo-leptos {CARGO_LEPTOS_VERSION}"),
            Tool::WasmBindgen => match wasm_bindgen_version() {
                Ok(v) => format!("wasm-bindgen-cli {v}"),
                Err(_) => "wasm-bindgen-cli".into(),
            },
            Tool::NpmPackages => "npm packages of end2end/ (Playwright, axe, binaryen)".into(),
            Tool::Chromium => "Chromium (Debian package)".into(),
            Tool::Postgres => "PostgreSQL (Debian package)".into(),
            Tool::Oha => format!("oha {OHA_VERSION}"),
            Tool::Sqlite3 => "sqlite3 (Debian package)".into(),
        }
    }

    /// The crate `cargo install` builds for this tool, if any.
    fn crate_name(self) -> Option<&'static str> {
        match self {
            Tool::CargoLeptos => Some("cargo-leptos"),
            Tool::WasmBindgen => Some("wasm-bindgen-cli"),
            Tool::Oha => Some("oha"),
            _ => None,
        }
    }

    /// Rough install time on this project's 2-core machines, shown up front
    /// so nobody thinks a first run has hung.
    fn minutes(self) -> u32 {
        match self {
            Tool::RustComponents | Tool::WasmTarget => 1,
            Tool::CargoLeptos => 22,
            Tool::WasmBindgen => 4,
            Tool::NpmPackages => 1,
            Tool::Chromium => 2,
            Tool::Postgres => 1,
            Tool::Oha => 6,
            Tool::Sqlite3 => 1,
        }
    }

    pub fn present(self) -> bool {
        match self {
            Tool::RustComponents => {
                stdout_of(Command::new("cargo").args(["fmt", "--version"])).is_some()
                    && stdout_of(Command::new("cargo").args(["clippy", "--version"])).is_some()
            }
            Tool::WasmTarget => {
                stdout_of(Command::new("rustup").args(["target", "list", "--installed"]))
                    .is_some_and(|s| s.lines().any(|l| l.trim() == WASM_TARGET))
            }
            Tool::CargoLeptos => stdout_of(tool_cmd("cargo").args(["leptos", "--version"]))
                .is_some_and(|s| has_version(&s, CARGO_LEPTOS_VERSION)),
            Tool::WasmBindgen => match wasm_bindgen_version() {
                Ok(want) => stdout_of(tool_cmd("wasm-bindgen").arg("--version"))
                    .is_some_and(|s| has_version(&s, &want)),
                Err(_) => false,
            },
            Tool::NpmPackages => npm_packages_fresh(),
            Tool::Chromium => Path::new("/usr/bin/chromium").exists(),
            Tool::Postgres => postgres_bin_dir().is_some(),
            Tool::Oha => stdout_of(tool_cmd("oha").arg("--version"))
                .is_some_and(|s| has_version(&s, OHA_VERSION)),
            Tool::Sqlite3 => stdout_of(Command::new("sqlite3").arg("--version")).is_some(),
        }
    }

    fn install(self) -> Result<()> {
        match self {
            Tool::RustComponents => {
                util::run(Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]))
            }
            Tool::WasmTarget => {
                util::run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
            }
            Tool::CargoLeptos => cargo_install(
                "cargo-leptos",
                &[
                    "--version",
                    CARGO_LEPTOS_VERSION,
                    "--locked",
                    // Never download wasm-opt/wasm-bindgen/sass at build time:
                    // that fails here. We provide them on PATH instead.
                    "--features",
                    "no_downloads",
                ],
            ),
            Tool::WasmBindgen => {
                let v = wasm_bindgen_version()?;
                let exact = format!("={v}");
                // --locked first for a reproducible build; some releases'
                // lock files no longer build on a newer compiler, hence the
                // retry without it.
                cargo_install("wasm-bindgen-cli", &["--version", &exact, "--locked"]).or_else(|e| {
                    note(format!("{e}; retrying without --locked"));
                    cargo_install("wasm-bindgen-cli", &["--version", &exact])
                })
            }
            Tool::NpmPackages => npm_install(),
            Tool::Chromium => apt_install("chromium"),
            Tool::Postgres => apt_install("postgresql"),
            Tool::Oha => cargo_install("oha", &["--version", OHA_VERSION, "--locked"]),
            Tool::Sqlite3 => apt_install("sqlite3"),
        }
    }
}

/// Check every tool, then install the missing ones, telling the user up front
/// how long that will take. Returns the tools that could not be installed
/// (with why), so `test` can still run the steps that do not need them.
pub fn ensure(tools: &[Tool]) -> Vec<(Tool, String)> {
    let missing: Vec<Tool> = tools.iter().copied().filter(|t| !t.present()).collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let total: u32 = missing.iter().map(|t| t.minutes()).sum();
    say(format!(
        "Missing tools: {}. Installing them takes about {} (a brand-new machine needs \
         about 25 minutes in all); later runs skip this.",
        missing
            .iter()
            .map(|t| t.label())
            .collect::<Vec<_>>()
            .join(", "),
        minutes(total)
    ));
    let mut failed = Vec::new();
    for t in missing {
        if util::interrupted() {
            failed.push((t, "interrupted".to_string()));
            continue;
        }
        // Another `cargo install` of the same crate (a parallel run, or one
        // started by hand) may be under way: wait for it rather than compile
        // the same thing twice on two cores, then look again.
        if let Some(krate) = t.crate_name() {
            wait_for_other_install(krate);
        }
        if t.present() {
            continue;
        }
        let started = Instant::now();
        say(format!(
            "Installing {} (first run only, about {})",
            t.label(),
            minutes(t.minutes())
        ));
        let result = t.install().and_then(|()| {
            if t.present() {
                Ok(())
            } else {
                Err(format!("{} still not usable after installing", t.label()).into())
            }
        });
        match result {
            Ok(()) => note(format!(
                "{} ready after {}",
                t.label(),
                util::fmt_duration(started.elapsed())
            )),
            Err(e) => {
                say(format!("FAILED to install {}: {e}", t.label()));
                failed.push((t, e.to_string()));
            }
        }
    }
    failed
}

fn minutes(n: u32) -> String {
    format!("{n} minute{}", if n == 1 { "" } else { "s" })
}

/// For commands that cannot do anything useful without every tool.
pub fn ensure_all_or_fail(tools: &[Tool]) -> Result<()> {
    let failed = ensure(tools);
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed
            .iter()
            .map(|(t, e)| format!("{}: {e}", t.label()))
            .collect::<Vec<_>>()
            .join("; ")
            .into())
    }
}

/// A command that sees the tools we install (see `util::tools_path`).
pub fn tool_cmd(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = cmd(program);
    c.env("PATH", util::tools_path());
    c
}

/// Does `--version` output name exactly this version (as a whole word)?
/// `wasm-bindgen 0.2.130` must not match a wanted `0.2.13`.
pub fn has_version(output: &str, want: &str) -> bool {
    output
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .any(|w| w.strip_prefix('v').unwrap_or(w) == want)
}

/// The wasm-bindgen CLI must match the `wasm-bindgen` crate in Cargo.lock
/// exactly, or the generated JS glue and the wasm disagree.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock = util::root().join("Cargo.lock");
    if !lock.exists() {
        util::run(cmd("cargo").arg("generate-lockfile"))?;
    }
    let text = std::fs::read_to_string(&lock)?;
    lock_version(&text, "wasm-bindgen")
        .ok_or_else(|| "no `wasm-bindgen` package in Cargo.lock".into())
}

/// Version of a package in a Cargo.lock text (first match).
pub fn lock_version(lock: &str, package: &str) -> Option<String> {
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l.trim() == wanted {
            let v = lines.next()?.trim();
            return v
                .strip_prefix("version = \"")
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_string);
        }
    }
    None
}

fn cargo_install(krate: &str, args: &[&str]) -> Result<()> {
    util::run(Command::new("cargo").arg("install").arg(krate).args(args))
}

/// Wait (at most an hour) while another `cargo install <krate>` runs.
fn wait_for_other_install(krate: &str) {
    let deadline = Instant::now() + Duration::from_secs(3600);
    let mut told = false;
    while let Some(pid) = other_cargo_install(krate) {
        if !told {
            say(format!(
                "Another `cargo install {krate}` is running (pid {pid}); waiting for it to finish"
            ));
            told = true;
        }
        if Instant::now() > deadline || util::interrupted() {
            break;
        }
        std::thread::sleep(Duration::from_secs(5));
    }
}

fn other_cargo_install(krate: &str) -> Option<u32> {
    let me = std::process::id();
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(raw) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let args: Vec<String> = raw
            .split(|b| *b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let is_cargo = args
            .first()
            .is_some_and(|a| Path::new(a).file_name().is_some_and(|n| n == "cargo"));
        if is_cargo
            && args.get(1).is_some_and(|a| a == "install")
            && args.iter().any(|a| a == krate)
        {
            return Some(pid);
        }
    }
    None
}

// --- npm -------------------------------------------------------------------

fn mtime(p: &Path) -> Option<SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// node_modules is current when npm's own record of the install
/// (node_modules/.package-lock.json, rewritten on every install) is not older
/// than package-lock.json / package.json, and the pinned wasm-opt answers.
fn npm_packages_fresh() -> bool {
    let dir = util::end2end_dir();
    let Some(installed) = mtime(&dir.join("node_modules").join(".package-lock.json")) else {
        return false;
    };
    for f in ["package-lock.json", "package.json"] {
        if mtime(&dir.join(f)).is_some_and(|t| t > installed) {
            return false;
        }
    }
    wasm_opt_path().is_some()
}

/// The npm `binaryen` wasm-opt, if installed and of the pinned major version.
pub fn wasm_opt_path() -> Option<PathBuf> {
    let p = util::end2end_dir()
        .join("node_modules")
        .join(".bin")
        .join("wasm-opt");
    let out = stdout_of(Command::new(&p).arg("--version"))?;
    // Prints e.g. "wasm-opt version 132 (version_132)".
    has_version(&out, WASM_OPT_MAJOR).then_some(p)
}

fn npm_install() -> Result<()> {
    let dir = util::end2end_dir();
    if stdout_of(Command::new("npm").arg("--version")).is_none() {
        return Err("npm not found: Node.js 20+ with npm is needed for end2end/".into());
    }
    // `npm ci` installs exactly the lock file; without one, `npm install`
    // creates it (commit it). Playwright must never fetch its own browser:
    // we use Debian's Chromium.
    let sub = if dir.join("package-lock.json").exists() {
        "ci"
    } else {
        "install"
    };
    util::run(
        Command::new("npm")
            .arg(sub)
            .args(["--no-audit", "--no-fund"])
            .current_dir(&dir)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}

// --- apt -------------------------------------------------------------------

static APT_UPDATED: AtomicBool = AtomicBool::new(false);

fn apt(args: &[&str]) -> Command {
    // Root in CI and on the project machines; elsewhere, sudo.
    let mut c = if util::is_root() {
        Command::new("apt-get")
    } else {
        let mut c = Command::new("sudo");
        c.arg("apt-get");
        c
    };
    c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    c
}

fn apt_install(package: &str) -> Result<()> {
    // The package lists may be missing or stale on a fresh machine; one
    // update per xtask run is enough.
    if !APT_UPDATED.swap(true, Ordering::SeqCst) {
        util::run(&mut apt(&["update"]))?;
    }
    util::run(&mut apt(&["install", "-y", package]))
}

// --- PostgreSQL --------------------------------------------------------------

/// `/usr/lib/postgresql/<major>/bin` holding initdb and pg_ctl; the highest
/// major version when several are installed.
pub fn postgres_bin_dir() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let major = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").exists() && bin.join("pg_ctl").exists()).then_some((major, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, b)| b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_words_match_exactly() {
        assert!(has_version("cargo-leptos 0.3.10\n", "0.3.10"));
        assert!(has_version("wasm-bindgen 0.2.130", "0.2.130"));
        assert!(!has_version("wasm-bindgen 0.2.130", "0.2.13"));
        assert!(has_version("wasm-opt version 132 (version_132)", "132"));
        assert!(!has_version("wasm-opt version 116 (version_116)", "132"));
        assert!(has_version("oha 1.16.0", "1.16.0"));
    }

    #[test]
    fn reads_version_from_lock() {
        let lock =
            "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"x\"\n\n\
                    [[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"0.2.131\"\n";
        assert_eq!(
            lock_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            lock_version(lock, "wasm-bindgen-macro").as_deref(),
            Some("0.2.131")
        );
        assert_eq!(lock_version(lock, "leptos"), None);
    }
}

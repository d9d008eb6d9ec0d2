//! A throwaway PostgreSQL cluster for the server's integration tests.
//!
//! Why not the system service: CI runs on a machine where nothing is started
//! for us, and a developer's own PostgreSQL should never see test databases.
//! So each run makes a fresh cluster under target/pg-test/ on a free loopback
//! port, with trust auth (loopback only) and durability switched off (speed),
//! and stops it when the guard is dropped: on success, failure, panic or
//! Ctrl-C. The tests create their own databases from the URL.

use crate::tools;
use crate::util::{self, note, say, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Unix socket paths are limited to 107 bytes; leave room for
/// "/.s.PGSQL.NNNNN".
const MAX_SOCKET_DIR_LEN: usize = 80;

pub struct PgCluster {
    bin: PathBuf,
    base: PathBuf,
    data: PathBuf,
    /// Run PostgreSQL's programs as the `postgres` user: initdb refuses root.
    as_postgres: bool,
    pub port: u16,
    /// Set once `pg_ctl start` succeeded: only then is there a server to stop.
    running: bool,
    /// Other temp dirs to remove on drop (a socket dir outside `base`).
    extra_dirs: Vec<PathBuf>,
}

impl PgCluster {
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    pub fn start() -> Result<PgCluster> {
        let bin = tools::postgres_bin_dir()
            .ok_or("PostgreSQL not found under /usr/lib/postgresql/*/bin")?;
        let as_postgres = util::is_root();
        let owner = if as_postgres {
            Some(passwd_ids("postgres").ok_or("no `postgres` user (is PostgreSQL installed?)")?)
        } else {
            None
        };

        let mut base = util::root().join("target").join("pg-test");
        prepare_dir(&bin, &base, owner)?;
        if as_postgres && !postgres_can_write(&base) {
            // The clone may live under a folder the postgres user cannot
            // enter (e.g. /root). Fall back to the system temp dir.
            let fallback =
                std::env::temp_dir().join(format!("esafety-pg-test-{}", std::process::id()));
            note(format!(
                "the postgres user cannot reach {}; using {} instead",
                base.display(),
                fallback.display()
            ));
            let _ = std::fs::remove_dir_all(&base);
            base = fallback;
            prepare_dir(&bin, &base, owner)?;
        }

        let data = base.join("data");
        let mut sock = base.join("sock");
        let mut extra_dirs = Vec::new();
        if sock.as_os_str().len() > MAX_SOCKET_DIR_LEN {
            sock = std::env::temp_dir().join(format!("esafety-pg-sock-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&sock);
            extra_dirs.push(sock.clone());
        }
        for d in [&data, &sock] {
            std::fs::create_dir_all(d)?;
            if let Some((uid, gid)) = owner {
                std::os::unix::fs::chown(d, Some(uid), Some(gid))?;
            }
        }
        // Data dirs must not be readable by others, or postgres refuses.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700))?;

        let port = util::free_port()?;
        let mut cluster = PgCluster {
            bin,
            base,
            data,
            as_postgres,
            port,
            running: false,
            extra_dirs,
        };

        say(format!(
            "Starting a throwaway PostgreSQL ({}) in {} on port {port}",
            cluster.bin.display(),
            cluster.base.display()
        ));
        let out = cluster
            .pg("initdb")
            .arg("-D")
            .arg(&cluster.data)
            .args(["--auth=trust", "-U", "postgres", "-E", "UTF8", "--locale=C"])
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "initdb failed:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }

        let log = cluster.base.join("postgres.log");
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
             -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=96MB",
            sock.display()
        );
        let status = cluster
            .pg("pg_ctl")
            .arg("-D")
            .arg(&cluster.data)
            .arg("-l")
            .arg(&log)
            .args(["-o", &options, "-w", "-t", "60", "start"])
            .stdout(Stdio::null())
            .status()?;
        if !status.success() {
            let tail = std::fs::read_to_string(&log).unwrap_or_default();
            return Err(format!("pg_ctl start failed ({status}); server log:\n{tail}").into());
        }
        cluster.running = true;
        note(format!("ready: {}", cluster.url()));
        Ok(cluster)
    }

    /// A PostgreSQL program, run as the `postgres` user when we are root.
    fn pg(&self, program: &str) -> Command {
        pg_command(&self.bin, program, self.as_postgres)
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if self.running {
            say("Stopping the throwaway PostgreSQL");
            let _ = self
                .pg("pg_ctl")
                .arg("-D")
                .arg(&self.data)
                .args(["-m", "fast", "-w", "-t", "30", "stop"])
                .stdout(Stdio::null())
                .status();
        }
        for d in &self.extra_dirs {
            let _ = std::fs::remove_dir_all(d);
        }
        // Keep target/pg-test's log (it helps after a failure) but not the
        // data: a test suite's databases are about 3 GB, which the release
        // build that follows needs more. A temp-dir fallback goes whole.
        if self.base.starts_with(util::root()) {
            let _ = std::fs::remove_dir_all(&self.data);
        } else {
            let _ = std::fs::remove_dir_all(&self.base);
        }
    }
}

fn pg_command(bin: &Path, program: &str, as_postgres: bool) -> Command {
    let exe = bin.join(program);
    let mut c = if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(exe);
        c
    } else {
        Command::new(exe)
    };
    // The postgres user may not be allowed into the caller's cwd.
    c.current_dir("/");
    c
}

/// Wipe and recreate `dir`. A cluster left running by an earlier run that was
/// killed (SIGKILL, power loss) is stopped first so its files can go.
fn prepare_dir(bin: &Path, dir: &Path, owner: Option<(u32, u32)>) -> Result<()> {
    let data = dir.join("data");
    if data.join("postmaster.pid").exists() {
        note(format!("stopping a stale cluster in {}", data.display()));
        let _ = pg_command(bin, "pg_ctl", owner.is_some())
            .arg("-D")
            .arg(&data)
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(dir, Some(uid), Some(gid))?;
    }
    Ok(())
}

fn postgres_can_write(dir: &Path) -> bool {
    Command::new("runuser")
        .args(["-u", "postgres", "--", "test", "-w"])
        .arg(dir)
        .arg("-a")
        .arg("-x")
        .arg(dir)
        .current_dir("/")
        .status()
        .is_ok_and(|s| s.success())
}

/// (uid, gid) of a user, from /etc/passwd.
fn passwd_ids(user: &str) -> Option<(u32, u32)> {
    let text = std::fs::read_to_string("/etc/passwd").ok()?;
    parse_passwd(&text, user)
}

fn parse_passwd(text: &str, user: &str) -> Option<(u32, u32)> {
    text.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        if f.len() >= 4 && f[0] == user {
            Some((f[2].parse().ok()?, f[3].parse().ok()?))
        } else {
            None
        }
    })
}

/// `cargo xtask postgres`: keep a throwaway cluster up until Ctrl-C, for
/// running the server's tests against PostgreSQL by hand.
pub fn run_interactive() -> Result<()> {
    crate::tools::ensure_all_or_fail(&[crate::tools::Tool::Postgres])?;
    let pg = PgCluster::start()?;
    println!();
    println!("export ESAFETY_TEST_POSTGRES_URL={}", pg.url());
    println!();
    say("Press Ctrl-C to stop it");
    while !util::interrupted() {
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_user_ids() {
        let text = "root:x:0:0:root:/root:/bin/bash\n\
                    postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash\n";
        assert_eq!(parse_passwd(text, "postgres"), Some((101, 104)));
        assert_eq!(parse_passwd(text, "root"), Some((0, 0)));
        assert_eq!(parse_passwd(text, "nobody"), None);
    }
}

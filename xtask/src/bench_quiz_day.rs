//! `cargo xtask bench quiz-day --learners N [--database postgres] [--compress F]`: a whole
//! intake on the site at nine o'clock (the load itself is `src/bin/bench-quiz-day.rs`,
//! written with goose).
//!
//! It builds the release site and the load program, starts `esafety serve` on a fresh
//! SQLite file or a throwaway PostgreSQL, makes N learners in bulk in the demo
//! organisation (one SQL statement; all share the demo learner's password hash, which is
//! fine for a benchmark), runs the day, and prints per step requests per second,
//! p50/p95/p99 and failures, then the server's peak and settled memory. Think times are
//! 30 to 90 seconds and sign-ins are spread over ten minutes; `--compress F` divides both
//! by F for shorter runs (the report says which was used).

use crate::postgres::PgCluster;
use crate::test::leptos_build;
use crate::tools::{self, Tool};
use crate::util::{self, cmd, note, say, Result};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::bench::DEMO_PASSWORD as PASSWORD;
const RAMP_SECS: f64 = 600.0;
const THINK_MS: (f64, f64) = (30_000.0, 90_000.0);

struct Options {
    learners: usize,
    postgres: bool,
    compress: f64,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options {
        learners: 1_000,
        postgres: false,
        compress: 1.0,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--learners" => {
                o.learners = value()?
                    .parse()
                    .ok()
                    .filter(|n| (1..=100_000).contains(n))
                    .ok_or("--learners needs a whole number from 1 to 100000")?
            }
            "--database" => match value()?.as_str() {
                "postgres" => o.postgres = true,
                "sqlite" => o.postgres = false,
                other => return Err(format!("--database is sqlite or postgres, not `{other}`").into()),
            },
            "--compress" => {
                o.compress = value()?
                    .parse()
                    .ok()
                    .filter(|f: &f64| (1.0..=1000.0).contains(f))
                    .ok_or("--compress needs a number from 1 to 1000")?
            }
            other => {
                return Err(format!(
                    "unknown quiz-day option `{other}` (try --learners N, --database postgres, --compress F)"
                )
                .into())
            }
        }
    }
    Ok(o)
}

pub fn run(args: &[String]) -> Result<i32> {
    let o = parse(args)?;
    let mut needed = tools::BUILD.to_vec();
    needed.push(if o.postgres {
        Tool::Postgres
    } else {
        Tool::Sqlite3
    });
    tools::ensure_all_or_fail(&needed)?;
    say("Building the release site: cargo leptos build --release");
    leptos_build()?;
    crate::bench::build_release_bin("quiz-day", "bench-quiz-day", "the quiz-day load (goose)")?;

    let target = util::root().join("target");
    let data_dir = crate::bench_load::TempDir::new(
        std::env::temp_dir().join(format!("esafety-quiz-day-{}", std::process::id())),
    )?;
    let cluster = if o.postgres {
        say("Starting a throwaway PostgreSQL");
        Some(PgCluster::start()?)
    } else {
        None
    };
    let database_url = match &cluster {
        Some(pg) => pg.url(),
        None => format!("sqlite://{}/esafety.db", data_dir.0.display()),
    };

    let addr: SocketAddr = ([127, 0, 0, 1], util::free_port()?).into();
    let server = crate::bench::start_server(
        addr,
        &data_dir.0,
        &[("ESAFETY_DATABASE_URL", &database_url)],
        "quiz-day-server.log",
    )?;

    let started = Instant::now();
    make_learners(&o, &database_url, &data_dir.0)?;
    note(format!(
        "{} learners made in {}",
        o.learners,
        util::fmt_duration(started.elapsed())
    ));

    let ramp = RAMP_SECS / o.compress;
    let (think_min, think_max) = (THINK_MS.0 / o.compress, THINK_MS.1 / o.compress);
    say(format!(
        "Quiz day: {} learners signing in over {ramp:.0} s, thinking {:.1} to {:.1} s between steps{}",
        o.learners,
        think_min / 1000.0,
        think_max / 1000.0,
        if o.compress > 1.0 { format!(" (compressed {}x)", o.compress) } else { String::new() }
    ));
    let before = crate::bench_load::rss_kib(server.0.id(), "VmRSS:");
    let status = cmd(target.join("release").join("bench-quiz-day"))
        .args([
            format!("http://{addr}"),
            o.learners.to_string(),
            format!("{ramp:.3}"),
            format!("{think_min:.0}"),
            format!("{think_max:.0}"),
            PASSWORD.to_string(),
        ])
        .status()?;
    let peak = crate::bench_load::rss_kib(server.0.id(), "VmHWM:");
    std::thread::sleep(Duration::from_secs(5));
    let after = crate::bench_load::rss_kib(server.0.id(), "VmRSS:");
    let show = |k: Option<u64>| {
        k.map_or("unknown".into(), |k| {
            format!("{:.1} MiB", k as f64 / 1024.0)
        })
    };
    println!(
        "server memory (RSS): {} before the day, peak {} (VmHWM), {} 5 s after the last learner",
        show(before),
        show(peak),
        show(after)
    );
    println!(
        "({} learners, {}, think times {:.1}-{:.1} s, ramp {ramp:.0} s; the load and the server share this machine's {} cores)",
        o.learners,
        if o.postgres { "PostgreSQL" } else { "SQLite" },
        think_min / 1000.0,
        think_max / 1000.0,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    drop(server);
    drop(cluster);
    Ok(if status.success() { 0 } else { 1 })
}

/// N learners in the demo organisation, `quizday1@demo.test` .. `quizdayN@demo.test`, each
/// with the demo learner's password hash and the learner role: two statements that work
/// on SQLite and PostgreSQL alike.
fn make_learners(o: &Options, database_url: &str, data_dir: &std::path::Path) -> Result<()> {
    let n = o.learners;
    let sql = format!(
        "INSERT INTO users (id, org_id, email, full_name, password_hash, created_at)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
         SELECT 'quizday-' || i, u.org_id, 'quizday' || i || '@demo.test', 'Quiz Learner ' || i,
                u.password_hash, u.created_at
         FROM n, users u WHERE u.email = 'learner@demo.test';
         INSERT INTO user_roles (user_id, org_id, role, granted_at)
         SELECT id, org_id, 'learner', created_at FROM users WHERE id LIKE 'quizday-%';"
    );
    say(format!("Making {n} learners in the demo organisation"));
    let mut c = if o.postgres {
        let mut c = cmd("psql");
        c.args([database_url, "-v", "ON_ERROR_STOP=1", "-q", "-c", &sql]);
        c
    } else {
        let mut c = cmd("sqlite3");
        c.args(["-cmd", ".timeout 10000"])
            .arg(data_dir.join("esafety.db"))
            .arg(&sql);
        c
    };
    util::run(&mut c)
}

//! The daily staff reminder run over a large organisation: wall time and peak memory.
//! `cargo bench -p server --bench reminders -- [STAFF] [--postgres URL]` (default 100,000
//! staff on a SQLite file; with `--postgres`, a new database on that server), run by
//! `cargo xtask bench` for 10,000 and 100,000 staff on both databases.
//!
//! One organisation with STAFF members of staff (ten to a line manager), the three
//! requirements that apply to all staff, and completions for some (see `common::seed`):
//! nobody has passed the online-safety module, so everyone is overdue with it, and the
//! first run writes an email to every member of staff, every manager's digest and the
//! People department's: the worst day, go-live without a pause. A second run the same
//! day finds everything sent and writes nothing. Then the outbox sends a sample to an
//! SMTP server on loopback, for its rate. Peak memory is the process's high-water mark,
//! reset just before each run (Linux `clear_refs`). Each run goes as the daily job's
//! does: counting the emails it queues, not listing them (the command line lists them).

mod common;

use app::db;
use app::reminders::run;
use common::{cpu_seconds, memory_kib, reset_peak_memory, seed};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Emails sent to the loopback SMTP server to measure the outbox's rate.
const SAMPLE: i64 = 1000;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let staff: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let postgres = args
        .iter()
        .position(|a| a == "--postgres")
        .and_then(|i| args.get(i + 1).cloned());
    let dir = tempfile::tempdir()?;
    let (url, label) = match &postgres {
        Some(admin) => (fresh_postgres(admin).await?, "PostgreSQL"),
        None => (
            format!("sqlite://{}/bench.db", dir.path().display()),
            "SQLite",
        ),
    };
    let config = config(dir.path(), &url)?;
    let db = server::open_database(&config).await?;
    let started = Instant::now();
    let org = seed(&db, staff).await?;
    // The three requirements for all staff: the DSL's two apply to nobody here.
    sqlx::query("UPDATE training_requirements SET retired_at = $1 WHERE org_id = $2 AND default_key IN ('dsl-training', 'dsl-update')")
        .bind(db::now())
        .bind(org.as_str())
        .execute(&db)
        .await?;
    sqlx::query("INSERT INTO user_roles (user_id, org_id, role, granted_at) VALUES ('bench-staff-000001', $1, 'people', $2)")
        .bind(org.as_str())
        .bind(db::now())
        .execute(&db)
        .await?;
    println!(
        "reminders ({label}, {staff} staff): seeded in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let content = server::load_content(&config)?;
    let state = server::app_state(&config, db.clone(), content)?;
    let today = app::calendar::today();
    let settings = app::reminders::settings::load(&db, &org).await?;
    // As the daily job runs: for real, counting the emails rather than listing them.
    let how = run::How {
        dry_run: false,
        listing: run::Listing::Count,
    };

    for (name, expect_new) in [("first run", true), ("second run", false)] {
        reset_peak_memory();
        let before = memory_kib("VmRSS");
        let cpu_before = cpu_seconds();
        let started = Instant::now();
        let report =
            run::run_organisation(&state, &org, "Bench College", &settings, today, how).await?;
        let took = started.elapsed();
        let cpu = cpu_before.zip(cpu_seconds()).map(|(a, b)| b - a);
        let peak = memory_kib("VmHWM");
        let emails = report.queued;
        if expect_new == (emails == 0) {
            return Err(format!("the {name} queued {emails} emails").into());
        }
        println!(
            "reminders ({label}, {staff} staff x 3 requirements): {name} {:.2} s ({} s of this process's CPU), {emails} emails queued; memory {} MiB before, peak {} MiB",
            took.as_secs_f64(),
            cpu.map_or("?".into(), |c| format!("{c:.2}")),
            mib(before),
            mib(peak)
        );
    }
    // After the runs, so the first run starts as cold as it would in a real day.
    read_and_plan(&db, &org, today, label).await?;
    send_sample(&db, &config).await
}

/// The part of a run that reads where everyone stands and plans the day, alone: the
/// floor under a run whatever it sends (the settings are read outside both timings).
async fn read_and_plan(
    db: &db::Db,
    org: &app::ids::OrganisationId,
    today: chrono::NaiveDate,
    label: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    use app::training::standing::{self, Scope};
    let settings = app::reminders::settings::load(db, org).await?;
    let started = Instant::now();
    let standing = standing::load_on(db, org, Scope::Organisation, today).await?;
    let loaded = started.elapsed();
    let plan = app::reminders::plan::plan(&standing, &settings, today);
    println!(
        "reminders ({label}): reading where {} people stand {:.2} s, planning {:.2} s ({} with something due)",
        standing.staff.len(),
        loaded.as_secs_f64(),
        (started.elapsed() - loaded).as_secs_f64(),
        plan.staff.len()
    );
    Ok(())
}

async fn send_sample(
    db: &db::Db,
    config: &server::config::Config,
) -> Result<(), Box<dyn std::error::Error>> {
    // Leave SAMPLE emails due, the rest for later.
    sqlx::query("UPDATE outbox SET next_attempt_at = '2999-01-01T00:00:00.000000Z'")
        .execute(db)
        .await?;
    sqlx::query(&format!(
        "UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000000Z' WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT {SAMPLE})"
    ))
    .execute(db)
    .await?;
    // Those two updates left a dead row version per email on PostgreSQL, which a real
    // queue never has all at once: clear them as autovacuum would.
    if db::backend_of(db) == db::Backend::Postgres {
        sqlx::query("VACUUM ANALYZE outbox").execute(db).await?;
    }
    let (received, url) = smtp_sink();
    let mailer = app::mail::transport::Mailer::smtp(&url)?;
    let started = Instant::now();
    let report = app::mail::outbox::send_due(
        db,
        &mailer,
        &config.mail_from,
        &config.secret_key,
        config.mail_retention,
    )
    .await?;
    let took = started.elapsed().as_secs_f64();
    println!(
        "reminders: the outbox sent {} emails to an SMTP server on loopback in {took:.1} s ({:.0} a second; {} received)",
        report.sent,
        report.sent as f64 / took,
        received.load(Ordering::SeqCst)
    );
    Ok(())
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0))
}

fn config(
    dir: &std::path::Path,
    url: &str,
) -> Result<server::config::Config, Box<dyn std::error::Error>> {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let vars: HashMap<&str, String> = HashMap::from([
        ("ESAFETY_DATA_DIR", dir.display().to_string()),
        ("ESAFETY_DATABASE_URL", url.to_string()),
        ("ESAFETY_CONTENT_DIR", content.display().to_string()),
    ]);
    Ok(server::config::from_lookup(|k| vars.get(k).cloned())?)
}

async fn fresh_postgres(admin_url: &str) -> Result<String, Box<dyn std::error::Error>> {
    let name = format!("bench_{}", std::process::id());
    let admin = db::connect(admin_url).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&admin)
        .await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await?;
    admin.close().await;
    let (server, _) = admin_url
        .rsplit_once('/')
        .ok_or("the URL names no database")?;
    Ok(format!("{server}/{name}"))
}

/// An SMTP server on loopback that counts what it receives.
#[derive(Clone)]
struct Counter(Arc<AtomicUsize>);

impl mailin_embedded::Handler for Counter {
    fn data_end(&mut self) -> mailin_embedded::Response {
        self.0.fetch_add(1, Ordering::SeqCst);
        mailin_embedded::response::OK
    }
}

fn smtp_sink() -> (Arc<AtomicUsize>, String) {
    let count = Arc::new(AtomicUsize::new(0));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind smtp");
    let url = format!("smtp://{}", listener.local_addr().expect("addr"));
    let mut server = mailin_embedded::Server::new(Counter(count.clone()));
    server
        .with_name("smtp.bench")
        .with_num_threads(app::mail::transport::SMTP_CONNECTIONS)
        .with_ssl(mailin_embedded::SslConfig::None)
        .expect("no tls")
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (count, url)
}

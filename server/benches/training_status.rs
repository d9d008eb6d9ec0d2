//! How long the status of a large organisation's staff takes to work out, and the memory
//! it needs: `cargo bench -p server --bench training_status -- [STAFF]` (default 100,000),
//! run by `cargo xtask bench`. A real SQLite file in a temporary folder gets one
//! organisation with STAFF members of staff (staff records with departments and line
//! managers, the default requirements, a completion of the annual update for two in three
//! and of Prevent for half), then `standing::load` reads them all and every status is
//! worked out, as the People dashboard and the evidence pack do. Peak memory is the
//! process's high-water mark, reset just before the load (Linux `clear_refs`).

use app::db::{self, Db};
use app::ids::OrganisationId;
use app::training::standing::{self, Scope};
use app::training::StatusCounts;
use std::time::Instant;

const BATCH: usize = 400;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let staff: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let db = db::connect(&format!("sqlite://{}/bench.db", dir.path().display())).await?;
    db::migrate(&db).await?;
    let started = Instant::now();
    let org = seed(&db, staff).await?;
    println!(
        "training status: seeded {staff} staff in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    reset_peak_memory();
    let before = memory_kib("VmRSS");
    let started = Instant::now();
    let loaded = standing::load(&db, &org, Scope::Organisation).await?;
    let load_time = started.elapsed();
    let today = app::calendar::today();
    let started = Instant::now();
    let mut counts = StatusCounts::default();
    for (_, statuses) in loaded.statuses(today) {
        statuses.iter().for_each(|s| counts.add(s));
    }
    let compute_time = started.elapsed();
    let peak = memory_kib("VmHWM");
    println!(
        "training status: {} staff x {} requirements: loaded in {:.0} ms, statuses in {:.0} ms; \
         memory {} MiB before, peak {} MiB",
        loaded.staff.len(),
        loaded.requirements.len(),
        load_time.as_secs_f64() * 1000.0,
        compute_time.as_secs_f64() * 1000.0,
        before.map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
        peak.map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0)),
    );
    println!(
        "training status: compliant {}, due soon {}, overdue {}, not yet due {}, not required {}",
        counts.compliant, counts.due_soon, counts.overdue, counts.not_yet_due, counts.not_required
    );
    Ok(())
}

/// One organisation with `staff` members of staff, their records and completions.
async fn seed(db: &Db, staff: usize) -> Result<OrganisationId, sqlx::Error> {
    let mut tx = db::begin(db).await?;
    let org = app::admin::queries::create_organisation(&mut tx, "bench", "Bench College").await?;
    let requirements: Vec<(String, String)> =
        sqlx::query_as("SELECT id, default_key FROM training_requirements WHERE org_id = $1")
            .bind(&org.id)
            .fetch_all(&mut *tx)
            .await?;
    let requirement = |key: &str| {
        requirements
            .iter()
            .find(|(_, k)| k == key)
            .map(|(id, _)| id.clone())
            .unwrap_or_default()
    };
    let (update, prevent) = (
        requirement("safeguarding-update"),
        requirement("prevent-awareness"),
    );
    let now = db::now();
    let ids: Vec<String> = (0..staff).map(|n| format!("bench-staff-{n:06}")).collect();
    for (chunk_number, chunk) in ids.chunks(BATCH).enumerate() {
        let first = chunk_number * BATCH;
        let mut users = Vec::new();
        let mut roles = Vec::new();
        let mut records = Vec::new();
        let mut done = Vec::new();
        for (i, id) in chunk.iter().enumerate() {
            let n = first + i;
            users.push(format!(
                "('{id}', '{org}', 'person{n}@bench.test', 'Person {n:06}', NULL, '{now}')",
                org = org.id
            ));
            roles.push(format!("('{id}', '{org}', 'staff', '{now}')", org = org.id));
            // Ten people to a manager, who reports to the one above: a real tree.
            let manager = if n < 10 {
                "NULL".to_string()
            } else {
                format!("'{}'", ids[n / 10])
            };
            let start = format!("20{:02}-{:02}-{:02}", 10 + n % 16, 1 + n % 12, 1 + n % 28);
            records.push(format!(
                "('{id}', '{org}', 'E{n:06}', 'Tutor', 'Department {}', '{start}', {manager}, NULL, '{now}')",
                n % 25,
                org = org.id
            ));
            if !n.is_multiple_of(3) {
                done.push(completion(&org.id, id, &update, "2026-09-15", &now, n));
            }
            if n.is_multiple_of(2) {
                done.push(completion(&org.id, id, &prevent, "2025-06-01", &now, n));
            }
        }
        for (table, columns, rows) in [
            ("users", "id, org_id, email, full_name, password_hash, created_at", users),
            ("user_roles", "user_id, org_id, role, granted_at", roles),
            (
                "staff_records",
                "user_id, org_id, employee_number, job_title, department, start_date, line_manager_id, leaving_date, updated_at",
                records,
            ),
            (
                "training_completions",
                "id, org_id, user_id, requirement_id, completed_on, source, recorded_at",
                done,
            ),
        ] {
            if !rows.is_empty() {
                let sql = format!("INSERT INTO {table} ({columns}) VALUES {}", rows.join(", "));
                sqlx::query(&sql).execute(&mut *tx).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(org.id)
}

fn completion(
    org: &OrganisationId,
    person: &str,
    requirement: &str,
    on: &str,
    now: &str,
    n: usize,
) -> String {
    format!(
        "('c-{requirement}-{n}', '{org}', '{person}', '{requirement}', '{on}', 'briefing', '{now}')"
    )
}

fn reset_peak_memory() {
    // Writing 5 resets the peak resident set size (VmHWM) to the current one.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// A line of /proc/self/status, in KiB.
fn memory_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

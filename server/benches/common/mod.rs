//! What the benches share: a large organisation seeded straight into the database, and
//! the process's memory as Linux reports it.

use app::db::{self, Db};
use app::ids::OrganisationId;

const BATCH: usize = 400;

/// One organisation with `staff` members of staff, their records and completions.
pub async fn seed(db: &Db, staff: usize) -> Result<OrganisationId, sqlx::Error> {
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

pub fn reset_peak_memory() {
    // Writing 5 resets the peak resident set size (VmHWM) to the current one.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The CPU time this process has used, user and system, in seconds (/proc/self/stat,
/// in the kernel's clock ticks of 1/100 s). Steadier than wall time on a shared machine:
/// it leaves out time spent waiting for a core, though not a database server's own work.
#[allow(dead_code)] // Only the reminder bench reports it.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in brackets and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    Some((ticks(11)? + ticks(12)?) as f64 / 100.0)
}

/// A line of /proc/self/status, in KiB.
pub fn memory_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

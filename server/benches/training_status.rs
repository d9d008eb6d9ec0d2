//! How long the status of a large organisation's staff takes to work out, and the memory
//! it needs: `cargo bench -p server --bench training_status -- [STAFF]` (default 100,000),
//! run by `cargo xtask bench`. A real SQLite file in a temporary folder gets one
//! organisation with STAFF members of staff (staff records with departments and line
//! managers, the default requirements, a completion of the annual update for two in three
//! and of Prevent for half), then `standing::load` reads them all and every status is
//! worked out, as the People dashboard and the evidence pack do. Peak memory is the
//! process's high-water mark, reset just before the load (Linux `clear_refs`).

use app::db;
use app::training::standing::{self, Scope};
use app::training::StatusCounts;
use std::time::Instant;

mod common;

use common::{memory_kib, reset_peak_memory, seed};

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

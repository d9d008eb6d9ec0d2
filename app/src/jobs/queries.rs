//! The data layer for scheduled jobs. Every change to a job's row after its claim names the
//! holder, so a server whose lease was taken over cannot overwrite the new holder's record.

use crate::db::Db;

/// Add a job the first time it is seen; later starts only update how late it may be.
pub async fn register(
    db: &Db,
    name: &str,
    now: &str,
    first_run_at: &str,
    late_after_seconds: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO jobs (name, created_at, next_run_at, failures, late_after_seconds)
         VALUES ($1, $2, $3, 0, $4)
         ON CONFLICT (name) DO UPDATE SET late_after_seconds = excluded.late_after_seconds",
    )
    .bind(name)
    .bind(now)
    .bind(first_run_at)
    .bind(late_after_seconds)
    .execute(db)
    .await?;
    Ok(())
}

/// Whether the job is due and free at `now`: a cheap read, so that servers checking every
/// second do not take the write lock (SQLite) for nothing. The claim decides.
pub async fn is_due(db: &Db, name: &str, now: &str) -> Result<bool, sqlx::Error> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT name FROM jobs
         WHERE name = $1 AND next_run_at <= $2 AND (lease_until IS NULL OR lease_until < $2)",
    )
    .bind(name)
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

/// Take the job's lease if it is due and nobody holds a lease still running. One
/// conditional UPDATE: of several servers trying at once, exactly one changes the row.
pub async fn claim(
    db: &Db,
    name: &str,
    holder: &str,
    now: &str,
    lease_until: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jobs SET held_by = $2, lease_until = $4
         WHERE name = $1 AND next_run_at <= $3 AND (lease_until IS NULL OR lease_until < $3)",
    )
    .bind(name)
    .bind(holder)
    .bind(now)
    .bind(lease_until)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Extend a lease still held; false when another server has taken it over.
pub async fn renew(
    db: &Db,
    name: &str,
    holder: &str,
    lease_until: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE jobs SET lease_until = $3 WHERE name = $1 AND held_by = $2")
        .bind(name)
        .bind(holder)
        .bind(lease_until)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A run that worked: release the lease and schedule the next run.
pub async fn succeeded(
    db: &Db,
    name: &str,
    holder: &str,
    at: &str,
    next_run_at: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jobs SET held_by = NULL, lease_until = NULL, last_success_at = $3,
             next_run_at = $4, failures = 0
         WHERE name = $1 AND held_by = $2",
    )
    .bind(name)
    .bind(holder)
    .bind(at)
    .bind(next_run_at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A run that failed: keep the error, release the lease and schedule the retry.
pub async fn failed(
    db: &Db,
    name: &str,
    holder: &str,
    at: &str,
    error: &str,
    retry_at: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jobs SET held_by = NULL, lease_until = NULL, last_error = $3, last_error_at = $4,
             next_run_at = $5, failures = failures + 1
         WHERE name = $1 AND held_by = $2",
    )
    .bind(name)
    .bind(holder)
    .bind(error)
    .bind(at)
    .bind(retry_at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub name: String,
    pub created_at: String,
    pub next_run_at: String,
    pub held_by: Option<String>,
    pub lease_until: Option<String>,
    pub last_success_at: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    pub failures: i64,
    pub late_after_seconds: i64,
}

pub async fn all(db: &Db) -> Result<Vec<JobRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT name, created_at, next_run_at, held_by, lease_until, last_success_at,
             last_error, last_error_at, failures, late_after_seconds
         FROM jobs ORDER BY name",
    )
    .fetch_all(db)
    .await
}

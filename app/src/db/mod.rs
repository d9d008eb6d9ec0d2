//! The data layer's shared pieces: the pool, migrations, ids and timestamps.
//!
//! One pool type (`sqlx::AnyPool`) serves SQLite and PostgreSQL from the same
//! runtime-checked queries. Portable SQL rules used everywhere:
//! - ids are TEXT (UUIDs made here), so no dialect-specific sequences;
//! - times are TEXT in one fixed UTC format (see [`timestamp`]), so they compare as strings;
//! - counters are BIGINT, read as `i64`; no booleans (a nullable time says more).

pub mod guards;
pub mod session_store;
pub mod versioned;
pub use session_store::DbSessionStore;

use chrono::{DateTime, Utc};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::{AnyConnection, AnyPool, Executor};
use std::borrow::Cow;
use std::str::FromStr;

pub type Db = AnyPool;

/// Migrations are embedded in the binary and run at every start. Most are portable SQL
/// in `migrations/`; the few that each database needs written its own way live in
/// `migrations/sqlite/` and `migrations/postgres/`, and [`migrator`] merges them in
/// version order.
static PORTABLE: Migrator = sqlx::migrate!("../migrations");
static SQLITE_ONLY: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_ONLY: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// Open a pool. For SQLite the file is created when missing and put in WAL mode.
pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url)
        .ok_or_else(|| sqlx::Error::Configuration("unsupported database URL".into()))?;
    let url = match backend {
        Backend::Sqlite if !url.contains("mode=") => {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}mode=rwc")
        }
        _ => url.to_string(),
    };
    let options = AnyConnectOptions::from_str(&url)?;
    // No ping before handing out an idle connection. The server renders a page's loaders
    // once to find what they read and drops that first run; when the drop came during the
    // ping, the pool threw the connection away. Measured with 200 requests of a page: 200
    // new connections on SQLite (each parsing the whole schema) and 200 new PostgreSQL
    // backends; none without the ping. A connection that fails is still found on its way
    // back to the pool (sqlx pings it there); one that died while idle (a restarted
    // PostgreSQL) fails the one request that gets it.
    let pool_options = AnyPoolOptions::new()
        .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
        .test_before_acquire(false)
        .acquire_timeout(std::time::Duration::from_secs(10));
    let pool_options = if backend == Backend::Sqlite {
        pool_options.after_connect(|conn, _| {
            Box::pin(async move {
                // recursive_triggers: a REPLACE that removes a row fires its delete
                // triggers, so append-only tables refuse it (see `guards`).
                conn.execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA recursive_triggers = ON;")
                    .await?;
                Ok(())
            })
        })
    } else {
        pool_options
    };
    pool_options.connect_with(options).await
}

/// Every migration for one kind of database, in version order.
pub fn migrator(backend: Backend) -> Migrator {
    let own = match backend {
        Backend::Sqlite => &SQLITE_ONLY,
        Backend::Postgres => &POSTGRES_ONLY,
    };
    let mut migrations: Vec<_> = PORTABLE.iter().chain(own.iter()).cloned().collect();
    migrations.sort_by_key(|m| m.version);
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

/// The kind of database a pool talks to.
pub fn backend_of(db: &Db) -> Backend {
    if db.connect_options().database_url.scheme() == "sqlite" {
        Backend::Sqlite
    } else {
        Backend::Postgres
    }
}

/// The kind of database a connection talks to.
pub fn backend_of_connection(conn: &AnyConnection) -> Backend {
    if conn.backend_name().eq_ignore_ascii_case("sqlite") {
        Backend::Sqlite
    } else {
        Backend::Postgres
    }
}

/// Run the migrations, then install the rules the database enforces itself.
pub async fn migrate(db: &Db) -> Result<(), MigrateError> {
    run_migrations(db, &migrator(backend_of(db))).await?;
    guards::install(db).await?;
    Ok(())
}

/// Run `migrator`'s pending migrations. On SQLite they run on one connection with foreign
/// keys off, because rebuilding a table that others refer to (the only way SQLite can drop
/// a constraint) is otherwise refused; every reference is checked before it goes on.
pub async fn run_migrations(db: &Db, migrator: &Migrator) -> Result<(), MigrateError> {
    if backend_of(db) != Backend::Sqlite {
        return migrator.run(db).await;
    }
    let mut conn = db.acquire().await?;
    conn.execute("PRAGMA foreign_keys = OFF").await?;
    let ran = migrator.run(&mut *conn).await;
    let broken = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&mut *conn)
        .await
        .map(|rows| rows.len());
    let restored = conn.execute("PRAGMA foreign_keys = ON").await;
    if restored.is_err() {
        // Never hand a connection without foreign keys back to the pool.
        conn.close().await.ok();
    }
    ran?;
    restored?;
    match broken? {
        0 => Ok(()),
        n => Err(MigrateError::Execute(sqlx::Error::Protocol(format!(
            "after the migrations, {n} rows refer to records that do not exist"
        )))),
    }
}

/// Begin a transaction that writes. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`): a transaction that reads first and writes later would otherwise fail with
/// SQLITE_BUSY_SNAPSHOT (517) whenever another connection wrote in between, which the
/// job scheduler, the outbox and other requests do all the time. `busy_timeout` then
/// makes it wait its turn instead.
pub async fn begin(db: &Db) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    if backend_of(db) == Backend::Sqlite {
        db.begin_with("BEGIN IMMEDIATE").await
    } else {
        db.begin().await
    }
}

/// Hold the organisation's row until the transaction ends, so that checking an
/// organisation-wide limit (how many modules it keeps, say) and the write it allows run
/// one at a time. A plain UPDATE of a non-key column takes PostgreSQL's row lock without
/// blocking inserts that merely refer to the organisation; on SQLite, `begin` already
/// serialises writers.
pub async fn lock_organisation(
    conn: &mut sqlx::AnyConnection,
    org_id: &crate::ids::OrganisationId,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE organisations SET name = name WHERE id = $1")
        .bind(org_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A new random id for any record.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A new id for a row of a table that grows in time order (the outbox, the reminder
/// log): a UUIDv7, so a bulk insert appends to the key's index instead of scattering
/// writes across it. It shows when the row was made, so never use it for a secret.
pub fn ordered_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The one stored time format: UTC, microseconds, fixed width, so text order is time order.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub fn now() -> String {
    timestamp(Utc::now())
}

/// Read back a stored time; `None` for anything not written by [`timestamp`].
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A stored time as the day people read, like "25 November 2026" (empty if unreadable).
pub fn display_day(stored: &str) -> String {
    parse_timestamp(stored)
        .map(|t| t.format("%-d %B %Y").to_string())
        .unwrap_or_default()
}

/// True when a database error is a unique-constraint violation (both back ends).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db_err) => {
            db_err.is_unique_violation() || db_err.message().contains("UNIQUE constraint failed")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_sort_as_text_in_time_order() {
        let early = Utc.with_ymd_and_hms(2026, 1, 9, 23, 59, 59).unwrap();
        let late = Utc.with_ymd_and_hms(2026, 1, 10, 0, 0, 0).unwrap();
        assert!(timestamp(early) < timestamp(late));
        assert_eq!(parse_timestamp(&timestamp(late)), Some(late));
    }

    #[test]
    fn backend_is_read_from_the_url_scheme() {
        assert_eq!(Backend::of_url("sqlite://data/x.db"), Some(Backend::Sqlite));
        assert_eq!(
            Backend::of_url("postgres://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of_url("mysql://u@h/db"), None);
    }
}

//! The one rate limiter: how many times something may happen per subject (an account, an
//! address, a learner) in a window of time, counted in the database so that it holds
//! across several app servers, and counted in one atomic statement so that a burst of
//! parallel requests cannot walk past it (no "check, then work, then record").
//!
//! Windows are fixed (they start at multiples of their length since the Unix epoch), and
//! a hit is allowed only while the current window and the one before it together hold
//! fewer than the limit: so no run of hits across a window's edge ever gets more than the
//! limit (a burst of guesses at 08:59 and 09:00 is one burst), at the price of a wait of
//! up to two windows after one. Each check reads two rows and writes one.

use crate::db::Db;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// A named limit: at most `max` hits per subject in each window of `window_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub name: &'static str,
    pub max: i64,
    pub window_seconds: i64,
}

impl Limit {
    pub const fn new(name: &'static str, max: i64, window_seconds: i64) -> Self {
        Self {
            name,
            max,
            window_seconds,
        }
    }

    /// The stored key: the limit's name and a hash of the subject, so the table holds no
    /// email address or IP address in the clear and every key has the same length.
    fn key(&self, subject: &str) -> String {
        let digest = Sha256::digest(subject.as_bytes());
        format!("{}:{}", self.name, hex::encode(&digest[..16]))
    }

    fn window_start(&self, at: DateTime<Utc>) -> i64 {
        let length = self.window_seconds.max(1);
        at.timestamp().div_euclid(length) * length
    }
}

/// Count one hit for `subject` if it is still under the limit. `true`: allowed (and
/// counted); `false`: over the limit (nothing changes). One statement, so two requests
/// at the same moment can never both take the last place.
pub async fn take(
    conn: &mut AnyConnection,
    limit: &Limit,
    subject: &str,
) -> Result<bool, sqlx::Error> {
    take_at(conn, limit, subject, Utc::now()).await
}

pub async fn take_at(
    conn: &mut AnyConnection,
    limit: &Limit,
    subject: &str,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let window = limit.window_start(at);
    let done = sqlx::query(
        "INSERT INTO rate_limits (limit_key, window_start, hits)
         SELECT $1, $2, 1
         WHERE COALESCE((SELECT p.hits FROM rate_limits p
                         WHERE p.limit_key = $1 AND p.window_start = $4), 0) < $3
         ON CONFLICT (limit_key, window_start)
         DO UPDATE SET hits = rate_limits.hits + 1
         WHERE rate_limits.hits + COALESCE((SELECT p.hits FROM rate_limits p
                         WHERE p.limit_key = $1 AND p.window_start = $4), 0) < $3",
    )
    .bind(limit.key(subject))
    .bind(window)
    .bind(limit.max)
    .bind(window - limit.window_seconds.max(1))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Count one hit whatever the count (for limits that slow down rather than refuse).
pub async fn record(db: &Db, limit: &Limit, subject: &str) -> Result<(), sqlx::Error> {
    record_at(db, limit, subject, Utc::now()).await
}

pub async fn record_at(
    db: &Db,
    limit: &Limit,
    subject: &str,
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rate_limits (limit_key, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (limit_key, window_start) DO UPDATE SET hits = rate_limits.hits + 1",
    )
    .bind(limit.key(subject))
    .bind(limit.window_start(at))
    .execute(db)
    .await?;
    Ok(())
}

/// The hits counted for `subject` in the current window and the one before it, the same
/// span `take` counts: a run of failures across a window's edge stays one run, instead of
/// starting again from nothing at 09:00.
pub async fn hits(db: &Db, limit: &Limit, subject: &str) -> Result<i64, sqlx::Error> {
    hits_at(db, limit, subject, Utc::now()).await
}

pub async fn hits_at(
    db: &Db,
    limit: &Limit,
    subject: &str,
    at: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let window = limit.window_start(at);
    // PostgreSQL sums BIGINT as NUMERIC: cast back so both databases give an integer.
    let (hits,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(hits), 0) AS BIGINT) FROM rate_limits
         WHERE limit_key = $1 AND window_start IN ($2, $3)",
    )
    .bind(limit.key(subject))
    .bind(window)
    .bind(window - limit.window_seconds.max(1))
    .fetch_one(db)
    .await?;
    Ok(hits)
}

/// Whether `subject` has used up the limit in the current window and the one before it.
pub async fn is_over(db: &Db, limit: &Limit, subject: &str) -> Result<bool, sqlx::Error> {
    Ok(hits(db, limit, subject).await? >= limit.max)
}

/// Forget `subject`'s hits (a successful sign-in clears its failures).
pub async fn clear(db: &Db, limit: &Limit, subject: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM rate_limits WHERE limit_key = $1")
        .bind(limit.key(subject))
        .execute(db)
        .await?;
    Ok(())
}

/// Remove windows that ended more than a day ago (a scheduled tidy; nothing reads them).
pub async fn purge_old(db: &Db) -> Result<u64, sqlx::Error> {
    let day_ago = Utc::now().timestamp() - 86_400 * 2;
    let done = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
        .bind(day_ago)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn windows_start_at_multiples_of_their_length() {
        let limit = Limit::new("t", 3, 900);
        let at = Utc.with_ymd_and_hms(2026, 12, 2, 10, 7, 30).unwrap();
        assert_eq!(limit.window_start(at) % 900, 0);
        assert!(limit.window_start(at) <= at.timestamp());
        assert!(at.timestamp() - limit.window_start(at) < 900);
    }

    #[test]
    fn keys_hide_the_subject_and_name_the_limit() {
        let limit = Limit::new("sign-in", 3, 900);
        let key = limit.key("someone@example.test|192.0.2.1");
        assert!(key.starts_with("sign-in:"));
        assert!(!key.contains("someone"));
        assert_ne!(key, limit.key("someone@example.test|192.0.2.2"));
    }
}

//! Sessions live in the database so app servers hold no state of their own.
//!
//! tower-sessions does the cookie, expiry and id rotation; this is only its storage.
//! The signed-in user's id is copied into its own column so that every session of a
//! person can be ended at once (password change, reset, deactivation).
//!
//! A session is stored under the SHA-256 of its id (`stored_id`), not the id the cookie
//! carries: a copy of the database then holds nothing that signs anybody in. The id is
//! 128 random bits, so an unsalted hash cannot be reversed or guessed.

use super::Db;
use async_trait::async_trait;
use std::collections::HashMap;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

/// The key under which the signed-in user's id is kept in the session.
pub const USER_ID_KEY: &str = "user_id";
/// The key under which `load` leaves the signed-in person as the policy gate needs them
/// (`policies::gate_queries::StampedPerson`), read in the same statement as the session.
/// It lives only in memory for the request: it is never stored, and a stored copy (which
/// only a tampered database could hold) is dropped at load.
pub const PERSON_KEY: &str = "person_read_with_session";
/// The minute (Unix time / 60) the session was last marked as in use.
const SEEN_KEY: &str = "seen_minute";
/// How often a signed-in session is saved again just to slide its expiry (and cookie).
const TOUCH_EVERY_MINUTES: i64 = 5;

/// Keep a signed-in session alive while it is used. tower-sessions saves (and re-sends
/// the cookie for) a session only when its data changed, so a session whose data never
/// changed ended 8 hours after sign-in however busy its owner was. Writing the minute
/// every few minutes makes "8 hours without a request" true at the cost of one small
/// write per person per five minutes.
pub async fn touch(session: &tower_sessions::Session) -> std::result::Result<(), Error> {
    let signed_in = session
        .get::<String>(USER_ID_KEY)
        .await
        .map_err(|e| Error::Backend(e.to_string()))?
        .is_some();
    if !signed_in {
        return Ok(());
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp() / 60;
    let seen = session
        .get::<i64>(SEEN_KEY)
        .await
        .map_err(|e| Error::Backend(e.to_string()))?;
    if seen.is_none_or(|minute| now - minute >= TOUCH_EVERY_MINUTES) {
        session
            .insert(SEEN_KEY, now)
            .await
            .map_err(|e| Error::Backend(e.to_string()))?;
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Remove expired sessions; run from a background job.
    pub async fn delete_expired(&self) -> std::result::Result<u64, sqlx::Error> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(&self.db)
            .await?;
        Ok(done.rows_affected())
    }
}

/// The key a session is stored under: the SHA-256 of the id its cookie carries, in hex.
pub fn stored_id(id: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(id.as_bytes()))
}

fn backend(err: sqlx::Error) -> Error {
    Error::Backend(err.to_string())
}

fn encode(record: &Record) -> Result<(String, Option<String>)> {
    let stored: HashMap<&String, &serde_json::Value> = record
        .data
        .iter()
        .filter(|(key, _)| key.as_str() != PERSON_KEY)
        .collect();
    let data = serde_json::to_string(&stored).map_err(|e| Error::Encode(e.to_string()))?;
    let user_id = record
        .data
        .get(USER_ID_KEY)
        .and_then(|v| v.as_str())
        .map(str::to_string);
    Ok((data, user_id))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A fresh random id; on the (astronomically unlikely) collision, draw again.
        loop {
            let (data, user_id) = encode(record)?;
            let inserted = sqlx::query(
                "INSERT INTO sessions (id, data, user_id, expires_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(stored_id(&record.id.to_string()))
            .bind(data)
            .bind(user_id)
            .bind(record.expiry_date.unix_timestamp())
            .execute(&self.db)
            .await;
            match inserted {
                Ok(_) => return Ok(()),
                Err(e) if crate::db::is_unique_violation(&e) => record.id = Id::default(),
                Err(e) => return Err(backend(e)),
            }
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        // Only an existing session is saved (tower-sessions calls `create` for new ones and
        // after `cycle_id`). No insert here: a request still in flight when its session was
        // ended (sign-out, password change, deactivation) must not bring it back.
        let (data, user_id) = encode(record)?;
        sqlx::query("UPDATE sessions SET data = $2, user_id = $3, expires_at = $4 WHERE id = $1")
            .bind(stored_id(&record.id.to_string()))
            .bind(&data)
            .bind(&user_id)
            .bind(record.expiry_date.unix_timestamp())
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let found = crate::policies::gate_queries::session_with_person(
            &self.db,
            &stored_id(&id.to_string()),
            now,
        )
        .await
        .map_err(backend)?;
        let Some(found) = found else {
            return Ok(None);
        };
        let mut data: HashMap<String, serde_json::Value> =
            serde_json::from_str(&found.data).map_err(|e| Error::Decode(e.to_string()))?;
        data.remove(PERSON_KEY);
        if let Some(person) = found.person {
            let person = serde_json::to_value(person).map_err(|e| Error::Encode(e.to_string()))?;
            data.insert(PERSON_KEY.to_string(), person);
        }
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(found.expires_at)
            .map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(stored_id(&id.to_string()))
            .execute(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

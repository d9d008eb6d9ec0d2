//! Emailed single-use links: password resets (1 hour) and invitations (7 days).
//!
//! The token travels only in the email; the database keeps an HMAC of it under the
//! installation's secret key, and the link is spent the moment it is used.

use crate::db::{self, Db};
use crate::error::AppError;
use crate::ids::{OrganisationId, PersonId};
use chrono::{Duration, Utc};
use rand::RngCore;
use sqlx::AnyConnection;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    Reset,
    Invitation,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Reset => "reset",
            LinkPurpose::Invitation => "invitation",
        }
    }

    fn lifetime(self) -> Duration {
        match self {
            LinkPurpose::Reset => Duration::hours(1),
            LinkPurpose::Invitation => Duration::days(7),
        }
    }

    fn parse(value: &str) -> Option<LinkPurpose> {
        match value {
            "reset" => Some(LinkPurpose::Reset),
            "invitation" => Some(LinkPurpose::Invitation),
            _ => None,
        }
    }
}

fn token_hash(secret: &[u8], token: &str) -> String {
    crate::state::keyed_hash(secret, &[token.as_bytes()])
}

/// A new random token for an emailed link: 32 bytes from the OS, as 64 hex characters.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Stop every unused link of a person (after a password change or reset: an older
/// invitation or reset email must not set the password again).
pub async fn revoke_all(conn: &mut AnyConnection, user_id: &PersonId) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account_links SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(db::now())
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Make a new link for a person. Earlier unused links stop working: of the same purpose,
/// and for a reset every other link too (a reset is asked for when something is wrong).
/// Returns the token to put in the email.
pub async fn issue(
    conn: &mut AnyConnection,
    secret: &[u8],
    org_id: &OrganisationId,
    user_id: &PersonId,
    purpose: LinkPurpose,
) -> Result<String, sqlx::Error> {
    let token = new_token();
    let now = Utc::now();
    if purpose == LinkPurpose::Reset {
        revoke_all(&mut *conn, user_id).await?;
    } else {
        sqlx::query(
            "UPDATE account_links SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
        )
        .bind(db::timestamp(now))
        .bind(user_id)
        .bind(purpose.as_str())
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO account_links (id, org_id, user_id, purpose, token_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(db::new_id())
    .bind(org_id)
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(token_hash(secret, &token))
    .bind(db::timestamp(now))
    .bind(db::timestamp(now + purpose.lifetime()))
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// A link that can still be used.
#[derive(Debug, Clone)]
pub struct ValidLink {
    pub id: String,
    pub user_id: PersonId,
    pub email: String,
    pub purpose: LinkPurpose,
}

/// Why a link cannot be used, in words for the person holding it.
fn unusable(purpose: Option<LinkPurpose>) -> AppError {
    match purpose {
        Some(LinkPurpose::Invitation) => AppError::invalid(
            "This invitation link has expired or has already been used. Ask your administrator to send a new one.",
        ),
        _ => AppError::invalid(
            "This link has expired or has already been used. Reset links work once, for one hour: ask for a new one.",
        ),
    }
}

/// id, user_id, email, purpose, used_at, expires_at, deactivated_at
type LinkRow = (
    String,
    PersonId,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
);

/// Look a token up without spending it (to show the right page).
pub async fn find_valid(db: &Db, secret: &[u8], token: &str) -> Result<ValidLink, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(unusable(None));
    }
    let row: Option<LinkRow> = sqlx::query_as(
        "SELECT l.id, l.user_id, u.email, l.purpose, l.used_at, l.expires_at, u.deactivated_at
             FROM account_links l JOIN users u ON u.id = l.user_id
             WHERE l.token_hash = $1",
    )
    .bind(token_hash(secret, token))
    .fetch_optional(db)
    .await?;
    let Some((id, user_id, email, purpose, used_at, expires_at, deactivated_at)) = row else {
        return Err(unusable(None));
    };
    let purpose = LinkPurpose::parse(&purpose);
    if used_at.is_some() || deactivated_at.is_some() || expires_at <= db::now() {
        return Err(unusable(purpose));
    }
    let purpose = purpose.ok_or_else(|| unusable(None))?;
    Ok(ValidLink {
        id,
        user_id,
        email,
        purpose,
    })
}

/// Spend a link inside the caller's transaction. Fails if someone spent it first.
pub async fn spend(conn: &mut AnyConnection, link: &ValidLink) -> Result<(), AppError> {
    let done =
        sqlx::query("UPDATE account_links SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
            .bind(db::now())
            .bind(&link.id)
            .execute(conn)
            .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(unusable(Some(link.purpose)))
    }
}

#[cfg(test)]
mod tests {
    use super::token_hash;

    #[test]
    fn token_hash_depends_on_the_secret() {
        let a = token_hash(b"one secret key of enough length!", "token");
        let b = token_hash(b"another secret key, also long...", "token");
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
    }
}

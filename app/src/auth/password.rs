//! Password hashing with argon2id, always off the async threads.

use crate::error::AppError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::OnceLock;

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 128;

/// A password as typed. Neither `Debug` nor `Serialize`, so it cannot be logged by accident.
pub struct Password(String);

impl Password {
    pub fn new(text: String) -> Self {
        Self(text)
    }
}

/// Check a new password against the rules, with a message that says what to fix.
pub fn check_new_password(password: &str, confirm: &str, email: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(AppError::invalid(format!(
            "Choose a password of at least {MIN_LENGTH} characters. Three random words work well."
        )));
    }
    if length > MAX_LENGTH {
        return Err(AppError::invalid(format!(
            "Choose a password of at most {MAX_LENGTH} characters."
        )));
    }
    if password != confirm {
        return Err(AppError::invalid("The two passwords do not match."));
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err(AppError::invalid(
            "Your password must not be your email address.",
        ));
    }
    Ok(())
}

/// OWASP's Password Storage Cheat Sheet: argon2id with 19 MiB of memory, 2 passes and
/// 1 lane. Written out so that an upgrade of the crate cannot change them unseen; a hash
/// keeps the parameters it was made with, so older hashes still verify.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

fn hasher() -> Argon2<'static> {
    let params = argon2::Params::new(MEMORY_KIB, PASSES, LANES, None).unwrap_or_default();
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// At most one password check per core (and never more than this) runs at once. Each
/// argon2 run takes about 19 MiB and a core for a moment; without a bound, a burst of
/// sign-ins takes the server's memory and every blocking thread.
const MAX_CONCURRENT_CHECKS: usize = 8;
/// A sign-in that cannot start its check within this long is told the site is busy.
const QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

/// Run argon2 work off the async threads, a bounded number at a time.
async fn bounded<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    static SLOTS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    let slots = SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        tokio::sync::Semaphore::new(cores.clamp(1, MAX_CONCURRENT_CHECKS))
    });
    let _slot = tokio::time::timeout(QUEUE_WAIT, slots.acquire())
        .await
        .map_err(|_| AppError::Busy)?
        .map_err(AppError::internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(AppError::internal)?
}

pub async fn hash(password: Password) -> Result<String, AppError> {
    bounded(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.0.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    })
    .await
}

/// Verify against the stored hash, or against a dummy hash when there is none, so an
/// unknown email costs the same time as a wrong password.
pub async fn verify(password: Password, stored: Option<String>) -> Result<bool, AppError> {
    let known = stored.is_some();
    bounded(move || {
        // The dummy hash is made once, here on a blocking thread, never on the async ones.
        let stored = stored.unwrap_or_else(|| dummy_hash().to_string());
        let parsed = PasswordHash::new(&stored).map_err(AppError::internal)?;
        let matches = hasher()
            .verify_password(password.0.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(b"not a real password, used to even out timing", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_mismatched_and_email_passwords_are_refused_with_a_reason() {
        let short = check_new_password("short", "short", "a@b.test").unwrap_err();
        assert!(short.to_string().contains("at least 10"));
        let mismatch = check_new_password("long enough one", "long enough two", "a@b.test");
        assert_eq!(
            mismatch.unwrap_err().to_string(),
            "The two passwords do not match."
        );
        let same = check_new_password("person@ex.test", "person@ex.test", "Person@ex.test");
        assert!(same.unwrap_err().to_string().contains("email"));
        assert!(check_new_password("three random words", "three random words", "a@b.test").is_ok());
    }

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let stored = hash(Password::new("correct horse battery".into()))
            .await
            .unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "OWASP's parameters: {stored}"
        );
        assert!(verify(
            Password::new("correct horse battery".into()),
            Some(stored.clone())
        )
        .await
        .unwrap());
        assert!(
            !verify(Password::new("wrong horse battery".into()), Some(stored))
                .await
                .unwrap()
        );
        assert!(!verify(Password::new("anything".into()), None)
            .await
            .unwrap());
    }
}

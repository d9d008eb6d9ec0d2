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

pub async fn hash(password: Password) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.0.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// Verify against the stored hash, or against a dummy hash when there is none, so an
/// unknown email costs the same time as a wrong password.
pub async fn verify(password: Password, stored: Option<String>) -> Result<bool, AppError> {
    let known = stored.is_some();
    let stored = stored.unwrap_or_else(|| dummy_hash().to_string());
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&stored).map_err(AppError::internal)?;
        let matches = Argon2::default()
            .verify_password(password.0.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await
    .map_err(AppError::internal)?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
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
        assert!(stored.starts_with("$argon2id$"));
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

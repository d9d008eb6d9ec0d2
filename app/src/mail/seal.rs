//! Email bodies at rest. A queued email holds a live sign-in link, and the database only
//! keeps keyed hashes of those tokens, so the outbox must not hold them in plain text
//! either: each body is encrypted (XChaCha20-Poly1305, a random nonce per body) under a
//! key derived from the installation's secret.
//!
//! Stored form: `v1:` then base64 of nonce and ciphertext. The row id and the part (text
//! or HTML) are bound in as associated data, so a body cannot be moved to another row.

use crate::ids::EmailId;
use crate::state::SecretKey;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;

const PREFIX: &str = "v1:";
/// Domain separation: this sub-key differs from every other use of the secret (link
/// hashes, signed form errors), so one never helps to attack another.
const KEY_INFO: &[u8] = b"esafety outbox-v1 body encryption key";
const NONCE_LEN: usize = 24;

/// Which body of an email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Text,
    Html,
    /// A draft's template values (JSON), written into bodies when sent.
    Values,
}

impl Part {
    fn label(self) -> &'static str {
        match self {
            Part::Text => "text",
            Part::Html => "html",
            Part::Values => "values",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the email body could not be encrypted")]
    Encrypt,
    #[error("the stored email body is not in the encrypted form this version reads")]
    Format,
    #[error("the stored email body does not decrypt: it was altered, or written under another ESAFETY_SECRET_KEY")]
    Decrypt,
}

/// The outbox's own key, derived from the installation's secret.
pub struct OutboxKey(XChaCha20Poly1305);

impl std::fmt::Debug for OutboxKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OutboxKey(..)")
    }
}

impl OutboxKey {
    pub fn derive(secret: &SecretKey) -> Self {
        let mut key = Key::default();
        hkdf::Hkdf::<sha2::Sha256>::new(None, secret.expose())
            .expand(KEY_INFO, key.as_mut_slice())
            // HKDF-SHA256 can give up to 8160 bytes; 32 is always accepted.
            .expect("HKDF-SHA256 gives a 32-byte key");
        Self(XChaCha20Poly1305::new(&key))
    }

    /// Encrypt one body of the outbox row `row_id`.
    pub fn seal(&self, row_id: &EmailId, part: Part, body: &str) -> Result<String, SealError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let aad = associated_data(row_id, part);
        let ciphertext = self
            .0
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: body.as_bytes(),
                    aad: &aad,
                },
            )
            .map_err(|_| SealError::Encrypt)?;
        let mut stored = nonce.to_vec();
        stored.extend_from_slice(&ciphertext);
        Ok(format!("{PREFIX}{}", BASE64.encode(stored)))
    }

    /// Decrypt a body written by [`OutboxKey::seal`] for the same row and part.
    pub fn open(&self, row_id: &EmailId, part: Part, stored: &str) -> Result<String, SealError> {
        let encoded = stored.strip_prefix(PREFIX).ok_or(SealError::Format)?;
        let bytes = BASE64.decode(encoded).map_err(|_| SealError::Format)?;
        if bytes.len() < NONCE_LEN {
            return Err(SealError::Format);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let aad = associated_data(row_id, part);
        let plain = self
            .0
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| SealError::Decrypt)?;
        String::from_utf8(plain).map_err(|_| SealError::Decrypt)
    }
}

fn associated_data(row_id: &EmailId, part: Part) -> Vec<u8> {
    format!("esafety outbox-v1\0{row_id}\0{}", part.label()).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: u8) -> EmailId {
        EmailId::from_param(format!("row-{n}"))
    }

    fn key(secret: &str) -> OutboxKey {
        OutboxKey::derive(&SecretKey::new(secret.as_bytes().to_vec()))
    }

    #[test]
    fn a_sealed_body_opens_and_does_not_show_its_text() {
        let k = key(&"s".repeat(40));
        let body = "Open https://x.test/set-password?token=SECRET-TOKEN";
        let stored = k.seal(&row(1), Part::Text, body).unwrap();
        assert!(stored.starts_with("v1:"));
        assert!(!stored.contains("SECRET-TOKEN") && !stored.contains("x.test"));
        assert_eq!(k.open(&row(1), Part::Text, &stored).unwrap(), body);
        // A random nonce each time: the same body never looks the same twice.
        assert_ne!(k.seal(&row(1), Part::Text, body).unwrap(), stored);
    }

    #[test]
    fn a_body_opens_only_with_its_key_row_and_part() {
        let k = key(&"s".repeat(40));
        let stored = k.seal(&row(1), Part::Text, "hello").unwrap();
        assert_eq!(
            k.open(&row(2), Part::Text, &stored),
            Err(SealError::Decrypt)
        );
        assert_eq!(
            k.open(&row(1), Part::Html, &stored),
            Err(SealError::Decrypt)
        );
        let other = key(&"t".repeat(40));
        assert_eq!(
            other.open(&row(1), Part::Text, &stored),
            Err(SealError::Decrypt)
        );
    }

    #[test]
    fn altered_or_foreign_bodies_are_refused_without_panicking() {
        let k = key(&"s".repeat(40));
        let stored = k.seal(&row(1), Part::Html, "<p>hello</p>").unwrap();
        // Flip one byte of the ciphertext.
        let mut bytes = BASE64.decode(&stored[PREFIX.len()..]).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let altered = format!("{PREFIX}{}", BASE64.encode(bytes));
        assert_eq!(
            k.open(&row(1), Part::Html, &altered),
            Err(SealError::Decrypt)
        );
        for foreign in [
            "",
            "<p>hello</p>",
            "v1:",
            "v1:not base64!",
            "v1:AAAA",
            "v2:AAAA",
        ] {
            assert_eq!(
                k.open(&row(1), Part::Html, foreign),
                Err(SealError::Format),
                "{foreign:?}"
            );
        }
    }
}

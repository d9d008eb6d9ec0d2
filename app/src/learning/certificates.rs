//! Certificates: their readable codes, who may open one in full, and the public check
//! that shows only the module, the date and the holder's first name and initial.

use super::queries;
use super::*;
use crate::auth::{guard, Capability};
use crate::db::display_day as day;
use crate::state::app_state;

/// "Alex L." from "Alex Learner": all a verifier is shown.
pub fn first_name_and_initial(full_name: &str) -> String {
    let words: Vec<&str> = full_name.split_whitespace().collect();
    match (words.first(), words.last()) {
        (Some(first), Some(last)) if words.len() > 1 => {
            let initial: String = last.chars().take(1).flat_map(char::to_uppercase).collect();
            format!("{first} {initial}.")
        }
        (Some(first), _) => first.to_string(),
        _ => String::new(),
    }
}

const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LENGTH: usize = 12;

/// Twelve characters a person can read out (no 0/O or 1/I), grouped in fours.
pub fn new_certificate_code() -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    let chars: String = (0..CODE_LENGTH)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    group_code(&chars)
}

fn group_code(chars: &str) -> String {
    chars
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).to_string())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as a person might type it ("abcd efgh jkmn") in its printed form, if it could
/// be one.
pub fn normalise_code(typed: &str) -> Option<String> {
    let chars: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (chars.len() == CODE_LENGTH && chars.bytes().all(|b| CODE_ALPHABET.contains(&b)))
        .then(|| group_code(&chars))
}

/// The holder sees their certificate; so do their organisation's administrators and DSL,
/// and the tutors of the cohort the holder is in. Anyone else: not found.
pub async fn certificate(code: String) -> Result<CertificateView, AppError> {
    let user = guard::signed_in().await?;
    let state = app_state()?;
    let code = normalise_code(&code).ok_or(AppError::NotFound)?;
    let row = queries::certificate_by_code(&state.db, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let staff_of_org = row.org_id == user.org_id
        && user.can(Capability::OpenCertificates)
        && crate::cohorts::access::sees(&state.db, &user, &row.user_id).await?;
    if row.user_id != user.id && !staff_of_org {
        return Err(AppError::NotFound);
    }
    let (holder_name, org_name) =
        crate::auth::queries::name_and_organisation(&state.db, &row.user_id).await?;
    Ok(CertificateView {
        verify_url: format!("{}/verify/{}", state.settings.base_url, row.code),
        code: row.code,
        holder_name,
        org_name,
        module_title: row.module_title,
        issued_on: day(&row.issued_at),
        score: u32::try_from(row.score).unwrap_or(0),
        total: u32::try_from(row.total).unwrap_or(0),
    })
}

pub async fn verify_certificate(code: String) -> Result<VerifiedCertificate, AppError> {
    let state = app_state()?;
    let code = normalise_code(&code).ok_or_else(|| {
        AppError::invalid("A certificate code has 12 letters and numbers, like ABCD-EFGH-JKLM.")
    })?;
    let row = queries::certificate_by_code(&state.db, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(VerifiedCertificate {
        code: row.code,
        module_title: row.module_title,
        issued_on: day(&row.issued_at),
        holder_name: row.holder_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verifier_sees_only_a_first_name_and_initial() {
        assert_eq!(first_name_and_initial("Alex Learner"), "Alex L.");
        assert_eq!(first_name_and_initial("  mary  ann smith "), "mary S.");
        assert_eq!(first_name_and_initial("Cher"), "Cher");
        assert_eq!(first_name_and_initial(""), "");
    }

    #[test]
    fn codes_are_readable_and_typed_codes_are_normalised() {
        let code = new_certificate_code();
        assert_eq!(code.len(), 14);
        assert_eq!(
            normalise_code(&code.to_lowercase().replace('-', " ")),
            Some(code.clone())
        );
        assert_ne!(new_certificate_code(), code);
        assert_eq!(normalise_code("ABCD-EFGH-JKL"), None, "too short");
        assert_eq!(normalise_code("ABCD-EFGH-JKL0"), None, "0 is never used");
    }
}

//! The rules of signing as pure functions, with no database and no request: which version
//! is current, which versions a signature covers, where a person stands, and whether a
//! typed name matches. Everything else in `policies` builds on these.

use super::queries::{SignatureRow, VersionRow, SIGN_AGAIN_EVERYONE};
use super::types::PolicyKind;
use crate::auth::{CurrentUser, Role};
use crate::calendar;
use crate::db;
use chrono::{DateTime, Months, NaiveDate, Utc};
use sha2::{Digest, Sha256};

/// The policies a person signs: learners the learner policy, everyone who works for the
/// provider the staff policy (a person may need both).
pub fn kinds_for(user: &CurrentUser) -> Vec<PolicyKind> {
    kinds_for_roles(&user.roles)
}

/// The same for a bare list of roles (the report's people carry no account).
pub fn kinds_for_roles(roles: &[Role]) -> Vec<PolicyKind> {
    let mut kinds = Vec::new();
    if roles.contains(&Role::Learner) {
        kinds.push(PolicyKind::Learner);
    }
    // Everyone who works for the provider, as `CurrentUser::is_staff`.
    if roles.iter().any(|r| *r != Role::Learner) {
        kinds.push(PolicyKind::Staff);
    }
    kinds
}

/// The roles that ask a person to sign the `kind` policy.
pub fn roles_asked(kind: PolicyKind) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| kinds_for_roles(&[*r]).contains(&kind))
        .collect()
}

/// SHA-256 of the exact text signed, as hex.
pub fn text_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// A version's number as shown (0 only for a number no database would hold).
pub fn number(v: &VersionRow) -> u32 {
    u32::try_from(v.number).unwrap_or(0)
}

/// The version in force today: the newest whose effective date has come.
pub fn current(versions: &[VersionRow]) -> Option<&VersionRow> {
    let today = calendar::today();
    versions
        .iter()
        .rev()
        .find(|v| calendar::parse_day(&v.effective_from).is_some_and(|d| d <= today))
        .or_else(|| versions.first())
}

/// Where a person stands with the current version of a policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// A signature covers the current version: of it, or of any version since the last one
    /// everyone had to sign again, and (on a schedule) recent enough.
    Signed,
    /// Covered, but the organisation's schedule says it is time to sign again.
    Due,
    /// Signed only versions before the last one everyone had to sign again.
    Older,
    Never,
}

/// The versions a signature of which covers `current`: from the last version everyone
/// had to sign again up to the current one.
pub fn covering<'a>(
    versions: &'a [VersionRow],
    current: &'a VersionRow,
) -> impl Iterator<Item = &'a VersionRow> {
    let baseline = versions
        .iter()
        .filter(|v| v.number <= current.number && v.sign_again == SIGN_AGAIN_EVERYONE)
        .map(|v| v.number)
        .max()
        .unwrap_or(1);
    versions
        .iter()
        .filter(move |v| v.number >= baseline && v.number <= current.number)
}

/// `signed` is the person's signatures, newest first; `every_months` the organisation's
/// schedule for signing again, if it has one.
pub fn standing(
    versions: &[VersionRow],
    current: &VersionRow,
    signed: &[SignatureRow],
    every_months: Option<u32>,
    now: DateTime<Utc>,
) -> Standing {
    match (newest_covering(versions, current, signed), every_months) {
        (Some(at), Some(months)) if is_due(at, months, now) => Standing::Due,
        (Some(_), _) => Standing::Signed,
        (None, _)
            if signed
                .iter()
                .any(|s| versions.iter().any(|v| v.id == s.version_id)) =>
        {
            Standing::Older
        }
        (None, _) => Standing::Never,
    }
}

/// When the newest of the person's signatures covering `current` was made, if any.
fn newest_covering<'a>(
    versions: &[VersionRow],
    current: &VersionRow,
    signed: &'a [SignatureRow],
) -> Option<&'a str> {
    signed
        .iter()
        .filter(|s| covering(versions, current).any(|v| v.id == s.version_id))
        .map(|s| s.signed_at.as_str())
        .max()
}

/// When a signature made at `signed_at` falls due on a `months` schedule (None: unreadable).
fn due_at(signed_at: &str, months: u32) -> Option<DateTime<Utc>> {
    db::parse_timestamp(signed_at).and_then(|t| t.checked_add_months(Months::new(months)))
}

/// The stored time at or before which a signature is due again at `now` on a `months`
/// schedule: `months` calendar months before `now`. The report's filter compares stored
/// times with it in SQL, so the page and the filter always agree.
pub fn due_cutoff(now: DateTime<Utc>, months: u32) -> String {
    let cutoff = now
        .checked_sub_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    db::timestamp(cutoff)
}

/// Whether a signature made at `signed_at` is `months` months old or more by `now`. Stored
/// times sort as text (see `db::timestamp`); one that cannot be read counts as due.
fn is_due(signed_at: &str, months: u32, now: DateTime<Utc>) -> bool {
    db::parse_timestamp(signed_at).is_none() || signed_at <= due_cutoff(now, months).as_str()
}

/// The day since which someone who has not signed has had to sign `current`: the latest of
/// the day it came into force, the day they were given the role that asks them
/// (`role_given`) and, when due on the organisation's schedule, the day their signature ran
/// out. Automatic reminders wait a week from it.
pub fn required_since(
    versions: &[VersionRow],
    current: &VersionRow,
    signed: &[SignatureRow],
    every_months: Option<u32>,
    role_given: NaiveDate,
) -> NaiveDate {
    let in_force = calendar::parse_day(&current.effective_from);
    let ran_out = newest_covering(versions, current, signed)
        .zip(every_months)
        .and_then(|(at, months)| due_at(at, months))
        .map(calendar::today_at);
    [in_force, ran_out]
        .into_iter()
        .flatten()
        .fold(role_given, NaiveDate::max)
}

pub fn needs_signing(
    versions: &[VersionRow],
    current: &VersionRow,
    signed: &[SignatureRow],
    every_months: Option<u32>,
) -> bool {
    standing(versions, current, signed, every_months, Utc::now()) != Standing::Signed
}

/// Names compared as people type them: case and spacing do not matter.
pub fn same_name(typed: &str, account: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    !typed.trim().is_empty() && norm(typed) == norm(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_sha256_of_the_exact_text() {
        assert_eq!(
            text_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(text_hash("abc"), text_hash("abc "));
    }

    #[test]
    fn typed_names_match_whatever_the_case_and_spacing() {
        assert!(same_name("  alex   LEARNER ", "Alex Learner"));
        assert!(!same_name("Alex", "Alex Learner"));
        assert!(!same_name("", ""));
    }

    #[test]
    fn a_signature_is_due_the_same_day_months_later() {
        let now = db::parse_timestamp("2026-12-15T10:00:00.000000Z").expect("a time");
        assert!(is_due("2025-12-15T10:00:00.000000Z", 12, now));
        assert!(!is_due("2025-12-15T10:00:00.000001Z", 12, now));
        assert!(is_due("not a time", 12, now));
    }

    #[test]
    fn learners_sign_the_learner_policy_and_staff_roles_the_staff_policy() {
        assert_eq!(roles_asked(PolicyKind::Learner), vec![Role::Learner]);
        assert!(!roles_asked(PolicyKind::Staff).contains(&Role::Learner));
        assert!(roles_asked(PolicyKind::Staff).contains(&Role::Tutor));
    }
}

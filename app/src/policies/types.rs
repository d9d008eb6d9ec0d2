//! The policies' shared types: what the server functions send to the pages.

use crate::ids::{PersonId, PolicyVersionId, SignatureId};
use serde::{Deserialize, Serialize};

/// The longest signing schedule an organisation can set: five years.
pub const MAX_SCHEDULE_MONTHS: u32 = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PolicyKind {
    Learner,
    Staff,
}

impl PolicyKind {
    pub const ALL: [PolicyKind; 2] = [PolicyKind::Learner, PolicyKind::Staff];

    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Learner => "learner",
            PolicyKind::Staff => "staff",
        }
    }

    pub fn parse(text: &str) -> Option<PolicyKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == text.trim())
    }
}

/// A policy version as the person asked to sign it reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyToSign {
    pub version_id: PolicyVersionId,
    pub kind: PolicyKind,
    pub title: String,
    pub number: u32,
    pub effective_from: String,
    /// Rendered from checked Markdown with raw HTML escaped.
    pub html: String,
    pub what_changed: String,
    /// The version this person signed before, if any (so this is a re-sign).
    pub signed_before: Option<u32>,
    /// Already signed this very version (nothing to do).
    pub already_signed: bool,
    /// Signed, but the organisation asks everyone to sign again every this many months,
    /// and that time has come.
    pub due_again_every: Option<u32>,
    /// For a re-sign: the signed version beside this one, paragraph by paragraph.
    pub changes: Vec<ChangeRow>,
}

/// One row of "what changed": a paragraph of the version signed before and of this one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRow {
    pub before: Option<String>,
    pub after: Option<String>,
    pub changed: bool,
}

/// A version in the DSL's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionSummary {
    pub id: PolicyVersionId,
    pub number: u32,
    pub title: String,
    pub published: bool,
    pub effective_from: String,
    pub everyone_signs_again: bool,
    pub what_changed: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyHistory {
    pub kind: PolicyKind,
    pub versions: Vec<VersionSummary>,
}

/// A draft being written, with its preview and any problems the checker found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDraft {
    pub id: PolicyVersionId,
    pub kind: PolicyKind,
    pub number: u32,
    pub title: String,
    pub body: String,
    pub what_changed: String,
    pub effective_from: String,
    pub everyone_signs_again: bool,
    pub preview_html: String,
    pub problems: Vec<String>,
}

/// One of my policies, on `/policies`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPolicy {
    pub kind: PolicyKind,
    pub title: String,
    pub current_number: u32,
    pub needs_signing: bool,
    /// For a learner under 18, their parent's or carer's acknowledgement (None otherwise).
    pub parent: Option<ParentStatus>,
    /// (signature id, version number, signed on) of each signature, newest first.
    pub signatures: Vec<(SignatureId, u32, String)>,
}

/// A parent's or carer's acknowledgement of the learner policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentAcknowledgement {
    pub parent_name: String,
    pub relationship: String,
    pub version: u32,
    /// The day it was signed, "25 November 2026".
    pub on: String,
    /// "by email", or "on paper, recorded by Sam Tutor (scanned copy kept)".
    pub how: String,
}

/// Whether a learner's parent or carer has acknowledged the current learner policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParentStatus {
    /// 18 or over.
    NotNeeded,
    /// No date of birth recorded, so nobody knows whether it is needed.
    NoDateOfBirth,
    /// Under 18, and the current version not acknowledged yet.
    Waiting,
    Acknowledged(ParentAcknowledgement),
}

impl ParentStatus {
    pub fn label(&self) -> String {
        match self {
            ParentStatus::NotNeeded => "Not needed (18 or over)".to_string(),
            ParentStatus::NoDateOfBirth => "Date of birth not recorded".to_string(),
            ParentStatus::Waiting => "Waiting".to_string(),
            ParentStatus::Acknowledged(a) => format!(
                "Acknowledged on {} by {} ({}), {}",
                a.on, a.parent_name, a.relationship, a.how
            ),
        }
    }
}

/// An emailed link, as the tutor sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentLinkSummary {
    pub email: String,
    pub sent_on: String,
    /// "Not used yet; works until 9 December 2026", "Used on ...", "Expired on ...".
    pub state: String,
}

/// Everything a tutor needs about one learner's parent or carer acknowledgement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentCase {
    pub learner_id: PersonId,
    pub learner_name: String,
    pub date_of_birth: Option<String>,
    pub age: Option<u32>,
    pub policy_title: String,
    pub version: u32,
    pub status: ParentStatus,
    pub acknowledgements: Vec<ParentAcknowledgement>,
    pub links: Vec<ParentLinkSummary>,
}

/// What a parent or carer sees when they open their link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentRequest {
    pub learner_first_name: String,
    pub org_name: String,
    pub title: String,
    pub version: u32,
    /// Rendered from checked Markdown with raw HTML escaped.
    pub html: String,
}

/// A signed copy for the learner or personnel file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedCopy {
    pub signature_id: SignatureId,
    pub title: String,
    pub number: u32,
    pub html: String,
    pub org_name: String,
    pub account_name: String,
    pub typed_name: String,
    pub signed_at: String,
    pub address: String,
    pub user_agent: String,
    pub text_sha256: String,
    pub check_url: String,
}

/// What anyone holding a signed copy can check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureCheck {
    pub title: String,
    pub number: u32,
    pub signed_on: String,
    /// First name and initial only.
    pub signer: String,
    pub text_sha256: String,
    /// Whether the stored version's text still hashes to what was signed.
    pub text_matches: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignStatus {
    Signed,
    /// Signed, but the organisation's schedule asks for a new signature.
    Due,
    SignedOlder,
    NotSigned,
}

impl SignStatus {
    pub fn label(self) -> &'static str {
        match self {
            SignStatus::Signed => "Signed",
            SignStatus::Due => "Due to sign again",
            SignStatus::SignedOlder => "Signed an older version",
            SignStatus::NotSigned => "Not signed",
        }
    }

    /// The filter value in the report's address.
    pub fn as_str(self) -> &'static str {
        match self {
            SignStatus::Signed => "signed",
            SignStatus::Due => "due",
            SignStatus::SignedOlder => "older",
            SignStatus::NotSigned => "not-signed",
        }
    }

    pub fn parse(text: &str) -> Option<SignStatus> {
        [
            SignStatus::Signed,
            SignStatus::Due,
            SignStatus::SignedOlder,
            SignStatus::NotSigned,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// One person in the signing report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    pub person_id: PersonId,
    pub full_name: String,
    pub email: String,
    pub status: SignStatus,
    /// The newest version they signed, and when.
    pub last_signed: Option<(u32, String)>,
    /// Learner policy only: their parent's or carer's acknowledgement.
    pub parent: Option<ParentStatus>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningReport {
    pub kind: PolicyKind,
    /// The reader may ask parents and record paper forms (tutors, the DSL, admins).
    pub can_follow_up_parents: bool,
    /// Only the learners of the cohorts the reader teaches (a tutor).
    pub narrowed: bool,
    pub current_number: u32,
    /// One page of the people matching the filters.
    pub rows: Vec<ReportRow>,
    /// Of everyone the policy applies to (whatever the filters), how many have signed.
    pub signed: usize,
    pub total: usize,
    /// Where `rows` sit among the people matching the filters.
    pub paging: crate::people::Paging,
}

//! Acceptable Use Policies: each organisation's numbered versions (version 1 is our
//! default text in `content/policies/`), signatures that cannot change, the gate that takes
//! a person to a policy they still have to sign, signed copies and their public check.

pub mod pages;
pub mod report_pages;
pub mod version_pages;

#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod versions;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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
    pub version_id: String,
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
    pub id: String,
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
    pub id: String,
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
    /// (signature id, version number, signed on) of each signature, newest first.
    pub signatures: Vec<(String, u32, String)>,
}

/// A signed copy for the learner or personnel file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedCopy {
    pub signature_id: String,
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

#[server(endpoint = "policies/to_sign")]
pub async fn load_policy_to_sign(kind: String) -> Result<PolicyToSign, AppError> {
    crate::error::finish(service::to_sign(kind).await)
}

/// `agree` is the "I have read and agree" box (`on` when ticked).
#[server(endpoint = "policies/sign")]
pub async fn sign_policy(
    version_id: String,
    agree: Option<String>,
    full_name: String,
) -> Result<(), AppError> {
    crate::error::finish(service::sign(version_id, agree, full_name).await)
}

#[server(endpoint = "policies/mine")]
pub async fn my_policies() -> Result<Vec<MyPolicy>, AppError> {
    crate::error::finish(service::mine().await)
}

#[server(endpoint = "policies/signed_copy")]
pub async fn load_signed_copy(signature_id: String) -> Result<SignedCopy, AppError> {
    crate::error::finish(service::signed_copy(signature_id).await)
}

/// Public: does a signed copy match what is on record?
#[server(endpoint = "policies/check")]
pub async fn check_signature(signature_id: String) -> Result<SignatureCheck, AppError> {
    crate::error::finish(service::check(signature_id).await)
}

#[server(endpoint = "policies/versions")]
pub async fn policy_versions() -> Result<Vec<PolicyHistory>, AppError> {
    crate::error::finish(versions::list().await)
}

/// Start a new version of the `kind` policy from the current text (or open the draft
/// already started).
#[server(endpoint = "policies/start_draft")]
pub async fn start_policy_draft(kind: String) -> Result<(), AppError> {
    crate::error::finish(versions::start_draft(kind).await)
}

#[server(endpoint = "policies/draft")]
pub async fn load_policy_draft(draft_id: String) -> Result<PolicyDraft, AppError> {
    crate::error::finish(versions::draft(draft_id).await)
}

/// Save a draft; with `publish` = "yes", publish it (after the same checks as content).
#[server(endpoint = "policies/save_draft")]
#[allow(clippy::too_many_arguments)]
pub async fn save_policy_draft(
    draft_id: String,
    title: String,
    body: String,
    what_changed: String,
    effective_from: String,
    sign_again: String,
    publish: Option<String>,
) -> Result<(), AppError> {
    crate::error::finish(
        versions::save(
            draft_id,
            versions::DraftForm {
                title,
                body,
                what_changed,
                effective_from,
                sign_again,
            },
            publish.as_deref() == Some("yes"),
        )
        .await,
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignStatus {
    Signed,
    SignedOlder,
    NotSigned,
}

impl SignStatus {
    pub fn label(self) -> &'static str {
        match self {
            SignStatus::Signed => "Signed",
            SignStatus::SignedOlder => "Signed an older version",
            SignStatus::NotSigned => "Not signed",
        }
    }

    /// The filter value in the report's address.
    pub fn as_str(self) -> &'static str {
        match self {
            SignStatus::Signed => "signed",
            SignStatus::SignedOlder => "older",
            SignStatus::NotSigned => "not-signed",
        }
    }

    pub fn parse(text: &str) -> Option<SignStatus> {
        [
            SignStatus::Signed,
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
    pub full_name: String,
    pub email: String,
    pub status: SignStatus,
    /// The newest version they signed, and when.
    pub last_signed: Option<(u32, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningReport {
    pub kind: PolicyKind,
    pub current_number: u32,
    pub rows: Vec<ReportRow>,
    pub signed: usize,
    pub total: usize,
}

/// Who has signed the current version of the `kind` policy; `status` and `q` filter.
#[server(endpoint = "policies/report")]
pub async fn load_signing_report(
    kind: String,
    status: Option<String>,
    q: Option<String>,
) -> Result<SigningReport, AppError> {
    crate::error::finish(report::report(kind, status, q).await)
}

/// Email everyone who has not signed the current version (at most once a day each).
#[server(endpoint = "policies/remind")]
pub async fn send_policy_reminders(kind: String) -> Result<(), AppError> {
    crate::error::finish(report::remind(kind).await)
}

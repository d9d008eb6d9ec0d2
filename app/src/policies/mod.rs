//! Acceptable Use Policies: each organisation's numbered versions (version 1 is our
//! default text in `content/policies/`), signatures that cannot change, the gate that takes
//! a person to a policy they still have to sign, signed copies and their public check.

pub mod pages;
pub mod parent_pages;
pub mod report_pages;
pub mod version_pages;

#[cfg(feature = "ssr")]
mod downloads;
#[cfg(feature = "ssr")]
pub mod gate;
#[cfg(feature = "ssr")]
pub mod parent_queries;
#[cfg(feature = "ssr")]
pub mod parents;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod reminders;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod versions;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The policies themselves, signed copies, their public check, publishing and the
/// parent's link stay open to someone who still has a policy to sign (whoever publishes
/// a version sees it published before being asked to sign it).
pub const ROUTES: crate::routes::PartRoutes = crate::routes::PartRoutes {
    pages_open_before_signing: &[
        "/policies",
        "/policies/sign/",
        "/policies/signed/",
        "/policies/check/",
        "/admin/policies",
        "/admin/policies/",
        "/parent/",
    ],
    functions_open_before_signing: &[
        "policies/to_sign",
        "policies/sign",
        "policies/mine",
        "policies/signed_copy",
        "policies/check",
        "policies/versions",
        "policies/draft",
        "policies/save_draft",
        "policies/start_draft",
        "policies/schedule",
        "policies/set_schedule",
        "parent/",
    ],
};

/// The signing report's CSV download.
#[cfg(feature = "ssr")]
pub fn download_routes() -> axum::Router<crate::state::AppState> {
    downloads::routes()
}

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
    /// For a learner under 18, their parent's or carer's acknowledgement (None otherwise).
    pub parent: Option<ParentStatus>,
    /// (signature id, version number, signed on) of each signature, newest first.
    pub signatures: Vec<(String, u32, String)>,
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
    pub learner_id: String,
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

/// The longest signing schedule an organisation can set: five years.
pub const MAX_SCHEDULE_MONTHS: u32 = 60;

/// Every how many months everyone signs again (None: only when a new version asks).
#[server(endpoint = "policies/schedule")]
pub async fn load_signing_schedule() -> Result<Option<u32>, AppError> {
    crate::error::finish(versions::schedule().await)
}

/// `months`: empty for no schedule, else 1 to 60.
#[server(endpoint = "policies/set_schedule")]
pub async fn set_signing_schedule(months: String) -> Result<(), AppError> {
    crate::error::finish(versions::set_schedule(months).await)
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
    pub person_id: String,
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

/// A learner's parent or carer acknowledgement: status, history, and the links sent.
/// For tutors, the DSL and administrators.
#[server(endpoint = "policies/parent_case")]
pub async fn load_parent_case(learner_id: String) -> Result<ParentCase, AppError> {
    crate::error::finish(parents::case(learner_id).await)
}

/// Email a parent or carer a single-use link to acknowledge the learner policy.
#[server(endpoint = "policies/email_parent")]
pub async fn email_parent(learner_id: String, email: String) -> Result<(), AppError> {
    crate::error::finish(parents::email_parent(learner_id, email).await)
}

/// Record an acknowledgement a parent or carer signed on paper. `signed_on` is the date on
/// the form; `scanned` is "yes" or "no"; `seen` is the "I have seen the signed form" box.
#[server(endpoint = "policies/record_paper")]
pub async fn record_paper_acknowledgement(
    learner_id: String,
    parent_name: String,
    relationship: String,
    signed_on: String,
    scanned: Option<String>,
    seen: Option<String>,
) -> Result<(), AppError> {
    crate::error::finish(
        parents::record_paper(parents::PaperForm {
            learner_id,
            parent_name,
            relationship,
            signed_on,
            scanned,
            seen,
        })
        .await,
    )
}

/// Public, for the holder of an emailed link: the policy to read.
#[server(endpoint = "parent/request")]
pub async fn load_parent_request(token: String) -> Result<ParentRequest, AppError> {
    crate::error::finish(parents::request(token).await)
}

/// Public, for the holder of an emailed link: acknowledge the policy (spends the link).
#[server(endpoint = "parent/acknowledge")]
pub async fn acknowledge_as_parent(
    token: String,
    parent_name: String,
    relationship: String,
    agree: Option<String>,
) -> Result<(), AppError> {
    crate::error::finish(parents::acknowledge(token, parent_name, relationship, agree).await)
}

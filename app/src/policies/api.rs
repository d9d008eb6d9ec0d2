//! The policies' server functions, one per endpoint (the names are part of the
//! authorisation matrix). Each checks nothing itself: it hands over to the rules layer.

use super::types::*;
use crate::error::AppError;
use crate::ids::{PersonId, PolicyVersionId, SignatureId};
use leptos::prelude::*;

#[server(endpoint = "policies/to_sign")]
pub async fn load_policy_to_sign(kind: String) -> Result<PolicyToSign, AppError> {
    crate::error::finish(super::service::to_sign(kind).await)
}

/// `agree` is the "I have read and agree" box (`on` when ticked).
#[server(endpoint = "policies/sign")]
pub async fn sign_policy(
    version_id: PolicyVersionId,
    agree: Option<String>,
    full_name: String,
) -> Result<(), AppError> {
    crate::error::finish(super::service::sign(version_id, agree, full_name).await)
}

#[server(endpoint = "policies/mine")]
pub async fn my_policies() -> Result<Vec<MyPolicy>, AppError> {
    crate::error::finish(super::service::mine().await)
}

#[server(endpoint = "policies/signed_copy")]
pub async fn load_signed_copy(signature_id: SignatureId) -> Result<SignedCopy, AppError> {
    crate::error::finish(super::service::signed_copy(signature_id).await)
}

/// Public: does a signed copy match what is on record?
#[server(endpoint = "policies/check")]
pub async fn check_signature(signature_id: SignatureId) -> Result<SignatureCheck, AppError> {
    crate::error::finish(super::service::check(signature_id).await)
}

/// Every how many months everyone signs again (None: only when a new version asks).
#[server(endpoint = "policies/schedule")]
pub async fn load_signing_schedule() -> Result<Option<u32>, AppError> {
    crate::error::finish(super::versions::schedule().await)
}

/// `months`: empty for no schedule, else 1 to 60.
#[server(endpoint = "policies/set_schedule")]
pub async fn set_signing_schedule(months: String) -> Result<(), AppError> {
    crate::error::finish(super::versions::set_schedule(months).await)
}

#[server(endpoint = "policies/versions")]
pub async fn policy_versions() -> Result<Vec<PolicyHistory>, AppError> {
    crate::error::finish(super::versions::list().await)
}

/// Start a new version of the `kind` policy from the current text (or open the draft
/// already started).
#[server(endpoint = "policies/start_draft")]
pub async fn start_policy_draft(kind: String) -> Result<(), AppError> {
    crate::error::finish(super::versions::start_draft(kind).await)
}

#[server(endpoint = "policies/draft")]
pub async fn load_policy_draft(draft_id: PolicyVersionId) -> Result<PolicyDraft, AppError> {
    crate::error::finish(super::versions::draft(draft_id).await)
}

/// Save a draft; with `publish` = "yes", publish it (after the same checks as content).
#[server(endpoint = "policies/save_draft")]
#[allow(clippy::too_many_arguments)]
pub async fn save_policy_draft(
    draft_id: PolicyVersionId,
    title: String,
    body: String,
    what_changed: String,
    effective_from: String,
    sign_again: String,
    publish: Option<String>,
) -> Result<(), AppError> {
    crate::error::finish(
        super::versions::save(
            draft_id,
            super::versions::DraftForm {
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

/// Who has signed the current version of the `kind` policy; `status` and `q` filter;
/// `page` as typed in the address (anything but a number is page 1, past the end the last).
#[server(endpoint = "policies/report")]
pub async fn load_signing_report(
    kind: String,
    status: Option<String>,
    q: Option<String>,
    page: Option<String>,
) -> Result<SigningReport, AppError> {
    crate::error::finish(super::report::report(kind, status, q, page).await)
}

/// Email everyone who has not signed the current version (at most once a day each).
#[server(endpoint = "policies/remind")]
pub async fn send_policy_reminders(kind: String) -> Result<(), AppError> {
    crate::error::finish(super::reminders::remind(kind).await)
}

/// A learner's parent or carer acknowledgement: status, history, and the links sent.
/// For tutors, the DSL and administrators.
#[server(endpoint = "policies/parent_case")]
pub async fn load_parent_case(learner_id: PersonId) -> Result<ParentCase, AppError> {
    crate::error::finish(super::parents::case(learner_id).await)
}

/// Email a parent or carer a single-use link to acknowledge the learner policy.
#[server(endpoint = "policies/email_parent")]
pub async fn email_parent(learner_id: PersonId, email: String) -> Result<(), AppError> {
    crate::error::finish(super::parents::email_parent(learner_id, email).await)
}

/// Record an acknowledgement a parent or carer signed on paper. `signed_on` is the date on
/// the form; `scanned` is "yes" or "no"; `seen` is the "I have seen the signed form" box.
#[server(endpoint = "policies/record_paper")]
pub async fn record_paper_acknowledgement(
    learner_id: PersonId,
    parent_name: String,
    relationship: String,
    signed_on: String,
    scanned: Option<String>,
    seen: Option<String>,
) -> Result<(), AppError> {
    crate::error::finish(
        super::parents::record_paper(super::parents::PaperForm {
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
    crate::error::finish(super::parent_links::request(token).await)
}

/// Public, for the holder of an emailed link: acknowledge the policy (spends the link).
#[server(endpoint = "parent/acknowledge")]
pub async fn acknowledge_as_parent(
    token: String,
    parent_name: String,
    relationship: String,
    agree: Option<String>,
) -> Result<(), AppError> {
    crate::error::finish(
        super::parent_links::acknowledge(token, parent_name, relationship, agree).await,
    )
}

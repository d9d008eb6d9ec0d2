//! The documents' server functions, one per endpoint (the names are part of the
//! authorisation matrix). Each hands over to `service` (staff reading) or `editions`
//! (the People department), which check who is asking first.

use super::types::*;
use crate::error::AppError;
use crate::ids::PolicyVersionId;
use leptos::prelude::*;

#[server(endpoint = "documents/mine")]
pub async fn my_documents() -> Result<Vec<MyDocument>, AppError> {
    crate::error::finish(super::service::mine().await)
}

#[server(endpoint = "documents/read")]
pub async fn load_document(key: String) -> Result<DocumentToRead, AppError> {
    crate::error::finish(super::service::read(key).await)
}

/// `understood` is the "I have read and understood this edition" box (`on` when ticked).
#[server(endpoint = "documents/acknowledge")]
pub async fn acknowledge_document(
    version_id: PolicyVersionId,
    understood: Option<String>,
) -> Result<(), AppError> {
    crate::error::finish(super::service::acknowledge(version_id, understood).await)
}

#[server(endpoint = "documents/list")]
pub async fn list_documents() -> Result<Vec<DocumentSummary>, AppError> {
    crate::error::finish(super::editions::list().await)
}

#[server(endpoint = "documents/create")]
pub async fn create_document(title: String, key: String) -> Result<(), AppError> {
    crate::error::finish(super::editions::create(title, key).await)
}

#[server(endpoint = "documents/editions")]
pub async fn load_document_editions(key: String) -> Result<DocumentEditions, AppError> {
    crate::error::finish(super::editions::editions(key).await)
}

/// Open the draft edition of the document `key`, starting one if there is none.
#[server(endpoint = "documents/start_edition")]
pub async fn start_document_edition(key: String) -> Result<(), AppError> {
    crate::error::finish(super::editions::start_edition(key).await)
}

#[server(endpoint = "documents/draft")]
pub async fn load_document_draft(draft_id: PolicyVersionId) -> Result<DocumentDraft, AppError> {
    crate::error::finish(super::editions::draft(draft_id).await)
}

/// Save a draft edition; with `publish` = "yes", publish it (after the content checks).
#[server(endpoint = "documents/save_draft")]
pub async fn save_document_draft(
    draft_id: PolicyVersionId,
    title: String,
    body: String,
    what_changed: String,
    effective_from: String,
    publish: Option<String>,
) -> Result<(), AppError> {
    crate::error::finish(
        super::editions::save(
            draft_id,
            title,
            body,
            what_changed,
            effective_from,
            publish.as_deref() == Some("yes"),
        )
        .await,
    )
}

//! Documents and their editions, for the People department and administrators: create a
//! document, write an edition and publish it. The drafts and publishing are the policies'
//! own (`policies::versions`): an edition is a policy version of the document's series,
//! so it is checked like all content and never changes once published.

use super::queries::{self as docs, DocumentRow};
use super::types::*;
use crate::auth::{guard, Capability, CurrentUser};
use crate::content::markdown;
use crate::error::AppError;
use crate::ids::{DocumentId, PolicyVersionId};
use crate::policies::queries::{self as versions, VersionRow, SIGN_AGAIN_EVERYONE};
use crate::policies::rules::number;
use crate::policies::versions::{open_or_start_draft, problems_in, save_version, DraftForm};
use crate::state::{app_state, AppState};

const MAX_TITLE: usize = 300;
const MAX_KEY: usize = 60;

async fn editor() -> Result<(CurrentUser, AppState), AppError> {
    let user = guard::allowed(Capability::PublishDocuments).await?;
    Ok((user, app_state()?))
}

/// A key as it appears in the address: 2 to 60 lower-case letters, digits and hyphens,
/// starting with a letter or digit.
pub fn check_key(key: &str) -> Result<String, AppError> {
    let key = key.trim();
    let fits = (2..=MAX_KEY).contains(&key.chars().count())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !key.starts_with('-');
    if fits {
        Ok(key.to_string())
    } else {
        Err(AppError::invalid(format!(
            "Key: '{key}' will not do. Use 2 to {MAX_KEY} lower-case letters, digits and hyphens, starting with a letter or digit, like kcsie-part-one."
        )))
    }
}

fn check_title(title: &str) -> Result<String, AppError> {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(AppError::invalid(
            "Title: write a title of up to 300 characters.",
        ));
    }
    Ok(title)
}

pub async fn list() -> Result<Vec<DocumentSummary>, AppError> {
    let (user, state) = editor().await?;
    let documents = docs::all_documents(&state.db, &user.org_id).await?;
    let editions = docs::editions_of_org(&state.db, &user.org_id).await?;
    Ok(documents
        .into_iter()
        .map(|d| {
            let own = || editions.iter().filter(|e| e.key == d.slug);
            DocumentSummary {
                published: own().filter(|e| e.published).map(|e| e.number).max(),
                has_draft: own().any(|e| !e.published),
                key: d.slug,
                title: d.title,
            }
        })
        .collect())
}

pub async fn create(title: String, key: String) -> Result<(), AppError> {
    let (user, state) = editor().await?;
    let title = check_title(&title)?;
    let key = check_key(&key)?;
    let d = DocumentRow {
        id: DocumentId::generate(),
        org_id: user.org_id.clone(),
        slug: key.clone(),
        title,
    };
    let mut tx = crate::db::begin(&state.db).await?;
    if !docs::insert_document(&mut tx, &d, &user.id).await? {
        return Err(AppError::invalid(format!(
            "Key: your organisation already has a document with the key '{key}'. Choose another."
        )));
    }
    crate::audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        crate::audit::Action::DocumentCreated,
        Some(d.id.as_str()),
        &key,
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!("/admin/documents/{key}"));
    Ok(())
}

async fn own_document(
    state: &AppState,
    user: &CurrentUser,
    key: &str,
) -> Result<DocumentRow, AppError> {
    docs::document(&state.db, &user.org_id, key.trim())
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn editions(key: String) -> Result<DocumentEditions, AppError> {
    let (user, state) = editor().await?;
    let d = own_document(&state, &user, &key).await?;
    let all = versions::all_versions_in(&state.db, &user.org_id, &docs::series(&d.id)).await?;
    Ok(DocumentEditions {
        editions: all
            .iter()
            .map(|v| EditionSummary {
                id: v.id.clone(),
                number: number(v),
                published: v.published_at.is_some(),
                effective_from: v.effective_from.clone(),
                what_changed: v.what_changed.clone(),
            })
            .collect(),
        key: d.slug,
        title: d.title,
    })
}

/// Open the draft edition, starting one (from the newest edition's text) if none.
pub async fn start_edition(key: String) -> Result<(), AppError> {
    let (user, state) = editor().await?;
    let d = own_document(&state, &user, &key).await?;
    let series = docs::series(&d.id);
    let all = versions::all_versions_in(&state.db, &user.org_id, &series).await?;
    let id = open_or_start_draft(&state, &user, &series, &all, (&d.title, "")).await?;
    leptos_axum::redirect(&format!("/admin/documents/drafts/{id}"));
    Ok(())
}

/// A draft edition of one of my organisation's documents (never a policy's version).
async fn own_draft(
    state: &AppState,
    user: &CurrentUser,
    id: &PolicyVersionId,
) -> Result<(DocumentRow, VersionRow), AppError> {
    let v = versions::version(&state.db, &id.trimmed())
        .await?
        .filter(|v| v.org_id == user.org_id)
        .ok_or(AppError::NotFound)?;
    let d = docs::document_of_series(&state.db, &user.org_id, &v.kind)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((d, v))
}

pub async fn draft(id: PolicyVersionId) -> Result<DocumentDraft, AppError> {
    let (user, state) = editor().await?;
    let (d, v) = own_draft(&state, &user, &id).await?;
    if v.published_at.is_some() {
        return Err(AppError::NotFound);
    }
    Ok(DocumentDraft {
        id: v.id.clone(),
        key: d.slug,
        document_title: d.title,
        number: number(&v),
        preview_html: markdown::render(&v.body).html,
        problems: problems_in(&v.body),
        title: v.title,
        body: v.body,
        what_changed: v.what_changed,
        effective_from: v.effective_from,
    })
}

/// Save a draft edition, and with `publish`, publish it: everyone it applies to reads
/// and acknowledges each edition, so there is no "small fix" choice as for a policy.
pub async fn save(
    id: PolicyVersionId,
    title: String,
    body: String,
    what_changed: String,
    effective_from: String,
    publish: bool,
) -> Result<(), AppError> {
    let (user, state) = editor().await?;
    let (d, v) = own_draft(&state, &user, &id).await?;
    if body.trim().is_empty() {
        return Err(AppError::invalid("The document's text must not be empty."));
    }
    let form = DraftForm {
        title,
        body,
        what_changed,
        effective_from,
        sign_again: SIGN_AGAIN_EVERYONE.to_string(),
    };
    let audit = (
        crate::audit::Action::DocumentPublished,
        format!("{} edition {}", d.slug, v.number),
    );
    if !save_version(&state, &user, &v, &form, publish, Some(audit)).await? {
        leptos_axum::redirect(&format!("/admin/documents/drafts/{}?saved=1", v.id));
        return Ok(());
    }
    leptos_axum::redirect(&format!(
        "/admin/documents/{}?published={}",
        d.slug, v.number
    ));
    Ok(())
}

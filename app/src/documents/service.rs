//! Reading and acknowledging, for staff: the documents of their organisation and where
//! they stand with each, the current edition to read, and the acknowledgement itself
//! (a row of `policy_signatures`, with the SHA-256 of the exact text, never changed).

use super::queries::{self as docs, london_day, DocumentRow};
use super::types::*;
use crate::auth::{guard, CurrentUser};
use crate::content::markdown;
use crate::error::AppError;
use crate::ids::{PolicyVersionId, SignatureId};
use crate::policies::queries::{self as versions, SignatureRow, VersionRow};
use crate::policies::rules::{number, text_hash};
use crate::state::{app_state, AppState};
use chrono::NaiveDate;

/// Documents are for staff (anyone with a role other than learner), as requirements are.
async fn reader() -> Result<(CurrentUser, AppState), AppError> {
    let user = guard::signed_in().await?;
    if !user.is_staff() {
        return Err(AppError::Forbidden);
    }
    Ok((user, app_state()?))
}

/// The edition in force on `today`: the newest published whose day has come.
fn current(published: &[VersionRow], today: NaiveDate) -> Option<&VersionRow> {
    published
        .iter()
        .filter(|v| crate::calendar::parse_day(&v.effective_from).is_some_and(|d| d <= today))
        .max_by_key(|v| v.number)
}

/// "25 November 2026".
fn long(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

/// An edition and the day ("25 November 2026") it was acknowledged.
type Seen = Option<(u32, String)>;

/// The person's acknowledgements of one document's `editions` (version, number), as
/// (edition, day), newest edition first. `signed` is all their signatures.
fn acknowledged(
    signed: &[SignatureRow],
    editions: &[(PolicyVersionId, u32)],
) -> Vec<(u32, NaiveDate)> {
    let mut out: Vec<(u32, NaiveDate)> = signed
        .iter()
        .filter_map(|s| {
            let (_, n) = editions.iter().find(|(id, _)| *id == s.version_id)?;
            Some((*n, london_day(&s.signed_at)?))
        })
        .collect();
    out.sort_by(|a, b| b.cmp(a));
    out
}

/// Where the person stands with one document: their (first) acknowledgement of the
/// current edition, and else their newest of an earlier one.
fn standing(acks: &[(u32, NaiveDate)], current: u32) -> (Seen, Seen) {
    let of = |found: Option<&(u32, NaiveDate)>| found.map(|(n, day)| (*n, long(*day)));
    let this = acks
        .iter()
        .filter(|(n, _)| *n == current)
        .min_by_key(|(_, d)| *d);
    match this {
        Some(_) => (of(this), None),
        None => (None, of(acks.iter().find(|(n, _)| *n < current))),
    }
}

/// `/documents`: each document with an edition in force, and where I stand. Three
/// queries, whatever the number of documents.
pub async fn mine() -> Result<Vec<MyDocument>, AppError> {
    let (user, state) = reader().await?;
    let today = crate::calendar::today();
    let documents = docs::all_documents(&state.db, &user.org_id).await?;
    let editions = docs::editions_of_org(&state.db, &user.org_id).await?;
    let signed = versions::signatures_of(&state.db, &user.id).await?;
    let mut out = Vec::new();
    for d in documents {
        let own: Vec<(PolicyVersionId, u32)> = editions
            .iter()
            .filter(|e| e.key == d.slug && e.published)
            .map(|e| (e.version_id.clone(), e.number))
            .collect();
        let in_force = editions
            .iter()
            .filter(|e| {
                e.key == d.slug && e.published && e.effective_from.is_some_and(|f| f <= today)
            })
            .map(|e| e.number)
            .max();
        let Some(current) = in_force else {
            continue;
        };
        let (acknowledged, earlier) = standing(&acknowledged(&signed, &own), current);
        out.push(MyDocument {
            key: d.slug,
            title: d.title,
            current_number: current,
            acknowledged,
            earlier,
        });
    }
    Ok(out)
}

/// The document `key` of my organisation, its published editions and the current one.
async fn in_force(
    state: &AppState,
    user: &CurrentUser,
    key: &str,
) -> Result<(DocumentRow, Vec<VersionRow>, VersionRow), AppError> {
    let d = docs::document(&state.db, &user.org_id, key.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let published = versions::published_in(&state.db, &user.org_id, &docs::series(&d.id)).await?;
    let current = current(&published, crate::calendar::today())
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((d, published, current))
}

/// `/documents/KEY`: the current edition, and whether I have acknowledged it.
pub async fn read(key: String) -> Result<DocumentToRead, AppError> {
    let (user, state) = reader().await?;
    let (d, published, current) = in_force(&state, &user, &key).await?;
    let signed = versions::signatures_of(&state.db, &user.id).await?;
    let numbered: Vec<(PolicyVersionId, u32)> = published
        .iter()
        .map(|v| (v.id.clone(), number(v)))
        .collect();
    let (acknowledged, earlier) = standing(&acknowledged(&signed, &numbered), number(&current));
    Ok(DocumentToRead {
        key: d.slug,
        version_id: current.id.clone(),
        title: current.title.clone(),
        number: number(&current),
        effective_from: crate::calendar::parse_day(&current.effective_from)
            .map(long)
            .unwrap_or_default(),
        html: markdown::render(&current.body).html,
        what_changed: current.what_changed.clone(),
        acknowledged_on: acknowledged.map(|(_, day)| day),
        earlier,
    })
}

/// Acknowledge the edition `version_id`, which must be the current edition of one of my
/// organisation's documents; `understood` is the "I have read and understood" box.
/// Acknowledging again changes nothing.
pub async fn acknowledge(
    version_id: PolicyVersionId,
    understood: Option<String>,
) -> Result<(), AppError> {
    let (user, state) = reader().await?;
    let version = versions::version(&state.db, &version_id.trimmed())
        .await?
        .filter(|v| v.org_id == user.org_id && v.published_at.is_some())
        .ok_or(AppError::NotFound)?;
    let d = docs::document_of_series(&state.db, &user.org_id, &version.kind)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, _, current) = in_force(&state, &user, &d.slug).await?;
    if current.id != version.id {
        return Err(AppError::invalid(format!(
            "This is not the current edition of {}: edition {} is. Please read the current edition.",
            d.title, current.number
        )));
    }
    if understood.as_deref() != Some("on") {
        return Err(AppError::invalid(
            "Tick \"I have read and understood this edition\" to acknowledge it.",
        ));
    }
    let signed = versions::signatures_of(&state.db, &user.id).await?;
    if !signed.iter().any(|s| s.version_id == version.id) {
        record(&state, &user, &d, &version).await?;
    }
    leptos_axum::redirect(&format!("/documents/{}?acknowledged=1", d.slug));
    Ok(())
}

/// The acknowledgement and its audit entry, together or not at all.
async fn record(
    state: &AppState,
    user: &CurrentUser,
    d: &DocumentRow,
    version: &VersionRow,
) -> Result<(), AppError> {
    let row = SignatureRow {
        id: SignatureId::generate(),
        org_id: user.org_id.clone(),
        user_id: user.id.clone(),
        version_id: version.id.clone(),
        round: 0,
        text_sha256: text_hash(&version.body),
        // Nobody types a name to acknowledge: the account's name is recorded.
        typed_name: user.full_name.clone(),
        signed_at: crate::db::now(),
        address: crate::auth::service::client_address().await.to_string(),
        user_agent: crate::policies::common::user_agent().await,
    };
    let mut tx = crate::db::begin(&state.db).await?;
    // A double click: the second is refused by the database, and nothing is audited twice.
    if versions::insert_signature(&mut *tx, &row).await? {
        crate::audit::record(
            &mut tx,
            &user.org_id,
            Some(&user.id),
            crate::audit::Action::DocumentAcknowledged,
            Some(version.id.as_str()),
            &format!("{} edition {}", d.slug, version.number),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

//! The documents' shared types: what the server functions send to the pages.

use crate::ids::PolicyVersionId;
use serde::{Deserialize, Serialize};

/// One document on `/documents`, as the member of staff stands with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDocument {
    pub key: String,
    pub title: String,
    /// The edition in force today.
    pub current_number: u32,
    /// (edition, "25 November 2026") of their acknowledgement of the current edition.
    pub acknowledged: Option<(u32, String)>,
    /// Their newest acknowledgement of an earlier edition, when the current one is new.
    pub earlier: Option<(u32, String)>,
}

/// The current edition of a document, as the member of staff reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentToRead {
    pub key: String,
    pub version_id: PolicyVersionId,
    pub title: String,
    pub number: u32,
    pub effective_from: String,
    /// Rendered from checked Markdown with raw HTML escaped.
    pub html: String,
    pub what_changed: String,
    /// The day ("25 November 2026") they acknowledged this edition, if they have.
    pub acknowledged_on: Option<String>,
    /// Their newest acknowledgement of an earlier edition: (edition, day).
    pub earlier: Option<(u32, String)>,
}

/// A document in the People department's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSummary {
    pub key: String,
    pub title: String,
    /// The newest published edition, if any.
    pub published: Option<u32>,
    pub has_draft: bool,
}

/// An edition in the People department's list of a document's editions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionSummary {
    pub id: PolicyVersionId,
    pub number: u32,
    pub published: bool,
    pub effective_from: String,
    pub what_changed: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEditions {
    pub key: String,
    pub title: String,
    /// Newest first.
    pub editions: Vec<EditionSummary>,
}

/// A draft edition being written, with its preview and any problems the checker found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDraft {
    pub id: PolicyVersionId,
    pub key: String,
    pub document_title: String,
    pub number: u32,
    pub title: String,
    pub body: String,
    pub what_changed: String,
    pub effective_from: String,
    pub preview_html: String,
    pub problems: Vec<String>,
}

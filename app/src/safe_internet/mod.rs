//! The public Safe Internet page for parents and carers, with each organisation's own
//! contacts at the top. No account, no cookies, no JavaScript needed.

pub mod pages;

#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod service;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The Safe Internet page is public.
pub const ROUTES: crate::routes::PartRoutes = crate::routes::PartRoutes {
    pages_open_before_signing: &["/safe-internet", "/o/"],
    functions_open_before_signing: &["safe_internet/page"],
};

/// A link to one of the organisation's own policies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyLink {
    pub title: String,
    pub url: String,
}

/// The organisation's own part of the page, edited by its administrator or DSL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationContacts {
    pub dsl_name: String,
    pub dsl_phone: String,
    pub dsl_email: String,
    /// How to raise a concern, in the organisation's words (plain text, paragraphs).
    pub raise_concern: String,
    pub policy_links: Vec<PolicyLink>,
}

impl OrganisationContacts {
    pub fn is_empty(&self) -> bool {
        *self == OrganisationContacts::default()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SafeInternetView {
    pub org_name: Option<String>,
    pub contacts: OrganisationContacts,
    pub title: String,
    pub summary: String,
    pub updated: String,
    /// Rendered from our checked Markdown with raw HTML escaped (see `content::markdown`).
    pub html: String,
    pub sections: Vec<(String, String)>,
}

/// The page for an organisation (`slug`), or for the installation's default organisation.
#[server(endpoint = "safe_internet/page")]
pub async fn load_safe_internet(slug: Option<String>) -> Result<SafeInternetView, AppError> {
    crate::error::finish(service::view(slug).await)
}

/// The contacts as the administrator or DSL edits them.
#[server(endpoint = "safe_internet/contacts")]
pub async fn contacts_for_editing() -> Result<(String, OrganisationContacts), AppError> {
    crate::error::finish(service::contacts_for_editing().await)
}

#[server(endpoint = "safe_internet/save_contacts")]
pub async fn save_contacts(
    dsl_name: String,
    dsl_phone: String,
    dsl_email: String,
    raise_concern: String,
    policy_links: String,
) -> Result<(), AppError> {
    crate::error::finish(
        service::save_contacts(dsl_name, dsl_phone, dsl_email, raise_concern, policy_links).await,
    )
}

/// Policy links as text, one per line as `title | url`: how they are stored and edited.
pub fn links_as_text(links: &[PolicyLink]) -> String {
    links
        .iter()
        .map(|l| format!("{} | {}", l.title, l.url))
        .collect::<Vec<_>>()
        .join("\n")
}

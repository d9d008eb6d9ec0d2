//! Acceptable Use Policies: each organisation's numbered versions (version 1 is our
//! default text in `content/policies/`), signatures that cannot change, the gate that takes
//! a person to a policy they still have to sign, signed copies and their public check.
//!
//! Layers, each using only those above it in this list (never the other way):
//! `types` (what pages receive) and the query files (`queries`, `gate_queries`,
//! `parent_queries`, `report_queries`: all the SQL); `rules` (pure functions: which version is current,
//! where a person stands); `common` (loading the published versions); `versions`
//! (publishing), `parent_status`; then `service` (signing), `parents` and `parent_links`,
//! `report` and `reminders`; `api` (the server functions) and the pages on top.

mod api;
mod types;

pub mod pages;
pub mod parent_pages;
pub mod report_pages;
pub mod version_pages;

#[cfg(feature = "ssr")]
pub mod common;
#[cfg(feature = "ssr")]
mod downloads;
#[cfg(feature = "ssr")]
pub mod gate;
#[cfg(feature = "ssr")]
pub mod gate_queries;
#[cfg(feature = "ssr")]
pub mod parent_links;
#[cfg(feature = "ssr")]
pub mod parent_queries;
#[cfg(feature = "ssr")]
pub mod parent_status;
#[cfg(feature = "ssr")]
pub mod parents;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod reminders;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod report_queries;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod versions;

pub use api::*;
pub use types::*;

// The pages take these through `use super::*`.
#[allow(unused_imports)]
use crate::error::AppError;
#[allow(unused_imports)]
use leptos::prelude::*;

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

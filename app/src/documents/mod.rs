//! Documents to read and acknowledge ("Keeping Children Safe in Education, Part one"):
//! the People department publishes a document in numbered editions, staff read the
//! current edition and acknowledge it, and a training requirement met by a document
//! counts only an acknowledgement of the current edition (the rule is in
//! `training::documents`).
//!
//! Editions and acknowledgements are the policies' own rows, extended rather than
//! copied: an edition is a `policy_versions` row of the document's series (drafts,
//! publishing, the content checks and the append-only guard as for a policy), and an
//! acknowledgement a `policy_signatures` row. The Acceptable Use Policies read only
//! their own kinds, so a document never sends anyone to the policy gate.
//!
//! Layers: `types`; `queries` (all the SQL); `service` (reading and acknowledging) and
//! `editions` (creating and publishing); `api` (the server functions) and the pages.

mod api;
mod types;

pub mod admin_pages;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod editions;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::*;
pub use types::*;

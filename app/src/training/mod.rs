//! Staff training (CPD): the requirements an organisation sets, the completions that meet
//! them, and each person's status, computed from dates.
//!
//! Layers, each using only those before it: `types` (plain data, also in the browser),
//! `rules` (pure functions: due dates and status, no database and no clock) and `checks`
//! (whether a requirement makes sense), `documents` (the pure rule for a requirement met
//! by acknowledging a document's current edition), `defaults` (what every organisation
//! starts with), `queries` (all the SQL, server only), `standing` (where the staff stand
//! today, loaded in a fixed number of queries) and `evidence` (the inspection evidence
//! pack: where they stood on any past day).
//!
//! Recording training by hand, for the People department: `briefings` (an attended
//! briefing and who came), `history` (a person's full history, the completion editor)
//! and `backfill` (historic completions imported from CSV at go-live), each with its
//! pages, its rules (`*_service`) and its SQL (`briefing_queries`, `record_queries`).
//!
//! The requirement pages (People department and administrators): `requirement_form` and
//! `requirement_reading` (the form as typed, and reading it into a requirement with a
//! message per field), `describe` (a requirement in plain words), `requirements` (the
//! server functions; their rules in `requirement_service`, their SQL in
//! `requirement_queries`), and the pages `requirement_pages` (the list, retired ones, the
//! "due soon" setting) and `requirement_form_pages` (the form, the preview and grace).
//!
//! The status views built on `standing`: `words` (a status as people read it, on every
//! page and in the CSV), `views` (what the pages show, and their server functions),
//! `views_service` (who may see whose training), `team_queries` (who is below whom),
//! `dashboard` (filters, counts, sorting and paging) and `export` (the CSV).

pub mod backfill;
pub mod backfill_pages;
pub mod briefing_pages;
pub mod briefings;
pub mod checks;
pub mod defaults;
pub mod describe;
pub mod documents;
pub mod evidence;
pub mod evidence_pages;
pub mod history;
pub mod history_pages;
pub mod requirement_form;
pub mod requirement_form_pages;
pub mod requirement_pages;
mod requirement_reading;
pub mod requirements;
pub mod rules;
pub mod types;

// The status views: "My training", a person's training, "My team", the dashboard.
#[cfg(feature = "ssr")]
pub mod dashboard;
pub mod dashboard_pages;
#[cfg(feature = "ssr")]
mod export;
pub mod pages;
pub mod team_pages;
#[cfg(feature = "ssr")]
pub mod team_queries;
pub mod views;
#[cfg(feature = "ssr")]
pub mod views_service;
pub mod words;

#[cfg(feature = "ssr")]
pub mod briefing_queries;
#[cfg(feature = "ssr")]
mod columns;
#[cfg(feature = "ssr")]
pub(crate) mod evidence_queries;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod record_queries;
#[cfg(feature = "ssr")]
pub mod recording;
#[cfg(feature = "ssr")]
pub mod requirement_queries;
#[cfg(feature = "ssr")]
pub mod standing;
#[cfg(feature = "ssr")]
mod standing_queries;
#[cfg(all(test, feature = "ssr"))]
pub(crate) mod test_fixtures;

pub use types::*;

/// The training dashboard's CSV download.
#[cfg(feature = "ssr")]
pub fn download_routes() -> axum::Router<crate::state::AppState> {
    export::routes()
}

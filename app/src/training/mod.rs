//! Staff training (CPD): the requirements an organisation sets, the completions that meet
//! them, and each person's status, computed from dates.
//!
//! Layers, each using only those before it: `types` (plain data, also in the browser),
//! `rules` (pure functions: due dates and status, no database and no clock) and `checks`
//! (whether a requirement makes sense), `defaults`
//! (what every organisation starts with), `queries` (all the SQL, server only), and
//! `standing` (where the staff stand today, loaded in a fixed number of queries).
//!
//! The status views built on `standing`: `words` (a status as people read it, on every
//! page and in the CSV), `views` (what the pages show, and their server functions),
//! `views_service` (who may see whose training), `team_queries` (who is below whom),
//! `dashboard` (filters, counts, sorting and paging) and `export` (the CSV).

pub mod checks;
pub mod defaults;
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
mod columns;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod standing;
#[cfg(feature = "ssr")]
mod standing_queries;

pub use types::*;

/// The training dashboard's CSV download.
#[cfg(feature = "ssr")]
pub fn download_routes() -> axum::Router<crate::state::AppState> {
    export::routes()
}

//! Staff training (CPD): the requirements an organisation sets, the completions that meet
//! them, and each person's status, computed from dates.
//!
//! Layers, each using only those before it: `types` (plain data, also in the browser),
//! `rules` (pure functions: due dates and status, no database and no clock) and `checks`
//! (whether a requirement makes sense), `defaults`
//! (what every organisation starts with), `queries` (all the SQL, server only), and
//! `standing` (where the staff stand today, loaded in a fixed number of queries).
//!
//! The requirement pages (People department and administrators): `requirement_form` and
//! `requirement_reading` (the form as typed, and reading it into a requirement with a
//! message per field), `describe` (a requirement in plain words), `requirements` (the
//! server functions; their rules in `requirement_service`, their SQL in
//! `requirement_queries`), and the pages `requirement_pages` (the list, retired ones, the
//! "due soon" setting) and `requirement_form_pages` (the form, the preview and grace).

pub mod checks;
pub mod defaults;
pub mod describe;
pub mod requirement_form;
pub mod requirement_form_pages;
pub mod requirement_pages;
mod requirement_reading;
pub mod requirements;
pub mod rules;
pub mod types;

#[cfg(feature = "ssr")]
mod columns;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod requirement_queries;
#[cfg(feature = "ssr")]
pub mod standing;
#[cfg(feature = "ssr")]
mod standing_queries;

pub use types::*;

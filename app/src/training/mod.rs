//! Staff training (CPD): the requirements an organisation sets, the completions that meet
//! them, and each person's status, computed from dates.
//!
//! Layers, each using only those before it: `types` (plain data, also in the browser),
//! `rules` (pure functions: due dates and status, no database and no clock) and `checks`
//! (whether a requirement makes sense), `defaults`
//! (what every organisation starts with), `queries` (all the SQL, server only), and
//! `standing` (where the staff stand today, loaded in a fixed number of queries).

pub mod checks;
pub mod defaults;
pub mod rules;
pub mod types;
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

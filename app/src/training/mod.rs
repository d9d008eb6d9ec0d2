//! Staff training (CPD): the requirements an organisation sets, the completions that meet
//! them, and each person's status, computed from dates.
//!
//! Layers, each using only those before it: `types` (plain data, also in the browser),
//! `rules` (pure functions: due dates and status, no database and no clock) and `checks`
//! (whether a requirement makes sense), `documents` (the pure rule for a requirement met
//! by acknowledging a document's current edition), `defaults`
//! (what every organisation starts with), `queries` (all the SQL, server only).

pub mod checks;
pub mod defaults;
pub mod documents;
pub mod rules;
pub mod types;

#[cfg(feature = "ssr")]
mod columns;
#[cfg(feature = "ssr")]
pub mod queries;

pub use types::*;

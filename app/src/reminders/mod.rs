//! Staff CPD reminders: every morning each organisation's staff are emailed what is due
//! soon, due or overdue (one email per person listing everything), line managers get a
//! weekly digest of the people below them, and the People department a weekly digest of
//! escalations and of people with no manager to chase them.
//!
//! Built on the shared pieces: statuses from `training::standing`, "sent once" from
//! `notifications` (a key per person, requirement, due date and stage), the outbox (each
//! email queued in the transaction that records its key) and the job scheduler.
//!
//! Layers: `types` (shared with the pages); `plan` (pure: who gets what today); `run`
//! (the daily run: load, plan, record and queue); `settings`, `runs` and `log` (SQL).

mod types;

pub use types::*;

#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod plan;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod run;
#[cfg(feature = "ssr")]
pub mod runs;
#[cfg(feature = "ssr")]
pub mod settings;

#[cfg(all(test, feature = "ssr"))]
mod plan_tests;

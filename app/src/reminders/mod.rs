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
//! (the daily run: load and plan, then `queueing`: record and queue, batch by batch);
//! `settings`, `runs` and `log` (SQL).
//!
//! The People department's pages: the reminder log (`/training/reminders`) and the
//! settings (`/training/reminders/settings`), with the dashboard's "Reminders" section.
//! `views` (what they show), `words` (times and delivery in words) and `settings_form`
//! (the form read and checked), `log_queries` and `status_queries` (their SQL),
//! `service` (the rules, access first), `api` (the server functions), and the pages
//! `pages` and `settings_pages`.

mod api;
mod types;
mod views;

pub mod pages;
pub mod settings_pages;

pub use api::*;
pub use types::*;
pub use views::*;

#[cfg(feature = "ssr")]
pub mod emails;
#[cfg(feature = "ssr")]
pub mod plan;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
mod queueing;
#[cfg(feature = "ssr")]
pub mod run;
#[cfg(feature = "ssr")]
pub mod runs;
#[cfg(feature = "ssr")]
pub mod settings;

#[cfg(feature = "ssr")]
pub mod log_queries;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod settings_form;
#[cfg(feature = "ssr")]
pub mod status_queries;
#[cfg(feature = "ssr")]
pub mod words;

#[cfg(all(test, feature = "ssr"))]
mod plan_tests;

//! The e-safety induction and acceptable-use app: pages, server functions and (behind the
//! `ssr` feature) the data layer. One folder per part of the product.

pub mod admin;
pub mod auth;
pub mod cohorts;
pub mod courses;
pub mod documents;
pub mod error;
pub mod home;
pub mod ids;
pub mod learning;
pub mod people;
pub mod policies;
pub mod reminders;
pub mod routes;
pub mod safe_internet;
pub mod shell;
pub mod staff;
pub mod training;
pub mod ui;

#[cfg(feature = "hydrate")]
mod navigation;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod client_address;
#[cfg(feature = "ssr")]
pub mod content;
#[cfg(feature = "ssr")]
pub mod csv_table;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod imports;
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod limits;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod notifications;
#[cfg(feature = "ssr")]
pub mod site_files;
#[cfg(feature = "ssr")]
pub mod state;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    navigation::start();
    staff::import_pages::picker::start();
}

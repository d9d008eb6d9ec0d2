//! Integration tests: the real app over HTTP, on SQLite and (when
//! ESAFETY_TEST_POSTGRES_URL is set, as `cargo xtask test` does) on PostgreSQL.

mod helpers;

mod accounts;
mod admin;
mod authorisation;
mod caches;
mod cohort_enrolment;
mod cohort_learners;
mod cohort_narrowing;
mod cohort_nudges;
mod cohorts;
mod cohorts_export;
mod connections;
mod documents;
mod documents_access;
mod email;
mod forms;
mod foundations;
mod jobs;
mod learning;
mod organisations;
mod parents;
mod people;
mod platform;
mod policies;
mod progress;
mod query_count;
mod reminder_log;
mod reminders;
mod safe_internet;
mod sign_in;
mod site_files;
mod staff;
mod staff_import;
mod training;
mod training_backfill;
mod training_briefings;
mod training_courses;
mod training_evidence;
mod training_history;
mod training_requirements;
mod training_requirements_access;
mod training_standing;
mod training_views;
mod upgrade;

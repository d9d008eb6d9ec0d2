//! Staff CPD reminders: the daily run's emails across simulated days, "sent once" under
//! repeats, restarts, concurrent runs and an SMTP outage, the dry run, leavers and role
//! changes.

mod cli;
mod days;
mod fixture;
mod health;
mod once;

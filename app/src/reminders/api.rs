//! The reminder pages' server functions, one per endpoint (the names are part of the
//! authorisation matrix). Each hands over to `service`, which checks who is asking first.

use super::views::{ReminderLog, SettingsView};
use crate::error::AppError;
use leptos::prelude::*;

/// One page of the reminder log, filtered (the filters as in the page's address).
#[server(endpoint = "reminders/log")]
pub async fn load_reminder_log(
    person: Option<String>,
    person_id: Option<String>,
    week: Option<String>,
    page: Option<String>,
) -> Result<ReminderLog, AppError> {
    let filters = super::views::LogFilters {
        person,
        person_id,
        week,
        page,
    };
    crate::error::finish(super::service::log(filters).await)
}

#[server(endpoint = "reminders/settings")]
pub async fn load_reminder_settings() -> Result<SettingsView, AppError> {
    crate::error::finish(super::service::settings_view().await)
}

/// Save the reminder settings; `paused` is the "Pause all reminders" box (`on` when ticked).
#[server(endpoint = "reminders/save_settings")]
pub async fn save_reminder_settings(
    due_soon_days: String,
    digest_weekday: String,
    escalate_after_days: String,
    send_hour: String,
    paused: Option<String>,
) -> Result<(), AppError> {
    let input = super::settings_form::SettingsInput {
        due_soon_days,
        digest_weekday,
        escalate_after_days,
        send_hour,
        paused,
    };
    crate::error::finish(super::service::save_settings(input).await)
}

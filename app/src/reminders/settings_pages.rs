//! The reminder settings (`/training/reminders/settings`): the due-soon days, the digest
//! day, the escalation threshold, the sending hour and the pause. One plain form, so it
//! works with JavaScript off; a refused form keeps what was typed.

use super::api::{load_reminder_settings, SaveReminderSettings};
use super::pages::LOG_PATH;
use super::types::weekday_name;
use super::views::SettingsView;
use crate::error::AppError;
use crate::ui::{page, query_value, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ReminderSettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveReminderSettings>::new();
    let error = save.value().get_untracked().and_then(|r| r.err());
    let done = query_value("done")
        .filter(|d| d == "saved")
        .map(|_| "Reminder settings saved.".to_string());
    page(load_reminder_settings, move |saved: SettingsView| {
        view! { <SettingsForm saved save error=error.clone() done=done.clone()/> }
    })
}

/// A text box for a number of days, with its hint.
fn days_field(
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    value: String,
) -> AnyView {
    let hint_id = format!("{name}-hint");
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <input id=name name=name type="text" inputmode="numeric" autocomplete="off" maxlength="3" aria-describedby=hint_id value=value/>
        </div>
    }
    .into_any()
}

#[component]
fn SettingsForm(
    saved: SettingsView,
    save: ServerAction<SaveReminderSettings>,
    error: Option<AppError>,
    done: Option<String>,
) -> impl IntoView {
    let typed = Typed::of::<SaveReminderSettings>();
    let paused = saved.paused.clone().map(|p| {
        view! {
            <div class="message message-info">
                <p>{p}" Nobody is being reminded until you untick \"Pause all reminders\" and save."</p>
            </div>
        }
    });
    let weekday = typed.text("digest_weekday", saved.digest_weekday.to_string());
    let hour = typed.text("send_hour", saved.send_hour.to_string());
    let fields = view! {
        {days_field("due_soon_days", "Due soon: days before a due date",
            "From 0 to 365. Staff show as due soon, and get their first reminder, this many days before a due date (0: only on the day). The training requirements use the same setting. Normally 30.",
            typed.text("due_soon_days", saved.due_soon_days.to_string()))}
        <div class="field">
            <label for="digest_weekday">"Day of the weekly digests"</label>
            <p class="hint" id="digest_weekday-hint">"Line managers get a weekly list of their people who are overdue or due soon, and the People department a list of escalations, on this day."</p>
            <select id="digest_weekday" name="digest_weekday" aria-describedby="digest_weekday-hint">
                {(1..=7u32).map(|n| {
                    let value = n.to_string();
                    let selected = value == weekday;
                    view! { <option value=value selected=selected>{weekday_name(n)}</option> }
                }).collect_view()}
            </select>
        </div>
        {days_field("escalate_after_days", "Escalate after this many days overdue",
            "From 1 to 365. Someone overdue by more than this is in the People department's weekly escalation digest. Normally 30.",
            typed.text("escalate_after_days", saved.escalate_after_days.to_string()))}
        <div class="field">
            <label for="send_hour">"Sending time"</label>
            <p class="hint" id="send_hour-hint">"London time. Each day's reminders go from this hour."</p>
            <select id="send_hour" name="send_hour" aria-describedby="send_hour-hint">
                {(0..=23u32).map(|h| {
                    let value = h.to_string();
                    let selected = value == hour;
                    view! { <option value=value selected=selected>{format!("{h:02}:00")}</option> }
                }).collect_view()}
            </select>
        </div>
        <div class="field checkbox">
            <input type="checkbox" id="paused" name="paused" aria-describedby="paused-hint" checked=typed.ticked("paused", saved.paused.is_some())/>
            <label for="paused">"Pause all reminders"</label>
            <p class="hint" id="paused-hint">"For the first week after go-live, or a holiday. While paused, nobody is reminded and the training dashboard says so."</p>
        </div>
    }
    .into_any();
    view! {
        <Title text="Reminder settings"/>
        <h1>"Reminder settings"</h1>
        <p class="lead">"When staff, their line managers and the People department are reminded about training that is due soon, due or overdue. Each reminder goes once."</p>
        <p><a href=LOG_PATH>"Reminder log"</a>" · "<a href="/training/dashboard">"Training dashboard"</a></p>
        <Notice text=done/>
        <ErrorMessage error/>
        {paused}
        <ActionForm action=save>
            {fields}
            <button type="submit">"Save the reminder settings"</button>
        </ActionForm>
    }
    .into_any()
}

//! The reminder log (`/training/reminders`): every reminder email of the organisation,
//! newest first, 50 a page, with where each stands; filters by person and by week (a plain
//! GET form, so it works with JavaScript off). Also the People dashboard's "Reminders"
//! section.

use super::api::load_reminder_log;
use super::types::LATE_AFTER_HOURS;
use super::views::{LogFilters, LogLine, ReminderLog, RemindersSummary};
use crate::people::Pager;
use crate::ui::{encode_component, page, query_value};
use leptos::prelude::*;
use leptos_meta::Title;

pub const LOG_PATH: &str = "/training/reminders";
pub const SETTINGS_PATH: &str = "/training/reminders/settings";

/// The filters as a query string ("person=sam&week=2026-W49"), without `page`.
fn query_of(filters: &LogFilters) -> String {
    [
        ("person", &filters.person),
        ("person_id", &filters.person_id),
        ("week", &filters.week),
    ]
    .iter()
    .filter_map(|(name, value)| {
        value
            .as_deref()
            .map(|v| format!("{name}={}", encode_component(v)))
    })
    .collect::<Vec<_>>()
    .join("&")
}

fn with_query(query: String) -> String {
    if query.is_empty() {
        LOG_PATH.to_string()
    } else {
        format!("{LOG_PATH}?{query}")
    }
}

#[component]
pub fn ReminderLogPage() -> impl IntoView {
    let asked = LogFilters {
        person: query_value("person"),
        person_id: query_value("person_id"),
        week: query_value("week"),
        page: query_value("page"),
    };
    page(
        move || {
            let f = asked.clone();
            load_reminder_log(f.person, f.person_id, f.week, f.page)
        },
        |log| view! { <LogView log/> },
    )
}

#[component]
fn LogView(log: ReminderLog) -> impl IntoView {
    let ReminderLog {
        filters,
        problems,
        lines,
        paging,
    } = log;
    let base = with_query(query_of(&filters));
    let problems = (!problems.is_empty()).then(|| {
        view! {
            <div class="message message-error" role="alert">
                {problems.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            </div>
        }
    });
    // Filtered to one person from a link: say whose, and how to see everyone again.
    let one_person = filters.person_id.is_some().then(|| {
        let whose = lines
            .first()
            .map_or_else(|| "one person".to_string(), |l| l.recipient_name.clone());
        let everyone = with_query(query_of(&LogFilters {
            person_id: None,
            ..filters.clone()
        }));
        view! { <p>{format!("Only the reminders to {whose}. ")}<a href=everyone>"Show everyone's reminders"</a></p> }
    });
    let total = paging.total;
    let top = view! {
        <Title text="Reminder log"/>
        <h1>"Reminder log"</h1>
        {problems}
        <p class="lead">"Every training reminder emailed to your staff, their line managers and the People department, newest first, and whether it has gone. An email the mail server refuses is tried again, up to 10 times."</p>
        <p><a href=SETTINGS_PATH>"Reminder settings"</a>" · "<a href="/training/dashboard">"Training dashboard"</a></p>
        <FiltersForm filters=filters.clone()/>
        {one_person}
        <p role="status">{format!("{total} {}", if total == 1 { "reminder" } else { "reminders" })}</p>
    }
    .into_any();
    let list = if lines.is_empty() {
        view! { <p>"No reminders to show."</p> }.into_any()
    } else {
        view! { <LogTable lines/> }.into_any()
    };
    view! { {top}{list}<Pager paging base/> }.into_any()
}

#[component]
fn FiltersForm(filters: LogFilters) -> impl IntoView {
    view! {
        <form method="get" action=LOG_PATH class="search-form" aria-labelledby="filters-heading">
            <h2 id="filters-heading" class="visually-hidden">"Filters"</h2>
            {filters.person_id.clone().map(|id| view! { <input type="hidden" name="person_id" value=id/> })}
            <div class="field">
                <label for="person">"Name or email"</label>
                <input id="person" name="person" type="search" maxlength="200" value=filters.person.clone().unwrap_or_default()/>
            </div>
            <div class="field">
                <label for="week">"Week"</label>
                <p class="hint" id="week-hint">"The week the reminder was sent, for example 2026-W49."</p>
                <input id="week" name="week" type="week" aria-describedby="week-hint" value=filters.week.clone().unwrap_or_default()/>
            </div>
            <button type="submit">"Show"</button>
            <a href=LOG_PATH>"Clear the filters"</a>
        </form>
    }
    .into_any()
}

#[component]
fn LogTable(lines: Vec<LogLine>) -> impl IntoView {
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-label="Reminders">
            <table>
                <caption class="visually-hidden">"Reminders, newest first"</caption>
                <thead><tr>
                    <th scope="col">"Queued"</th>
                    <th scope="col">"To"</th>
                    <th scope="col">"Kind"</th>
                    <th scope="col">"What it listed"</th>
                    <th scope="col">"State"</th>
                </tr></thead>
                <tbody>{lines.into_iter().map(log_row).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn log_row(line: LogLine) -> impl IntoView {
    let person = format!("/training/people/{}", line.recipient_id);
    let only_theirs = format!(
        "{LOG_PATH}?person_id={}",
        encode_component(line.recipient_id.as_str())
    );
    view! {
        <tr>
            <td>{line.queued}</td>
            <td>
                <a href=person>{line.recipient_name.clone()}</a><br/>
                {line.recipient_email}<br/>
                <a href=only_theirs>"Only their reminders"<span class="visually-hidden">{format!(" ({})", line.recipient_name)}</span></a>
            </td>
            <td>{line.kind}</td>
            <td>{line.summary}</td>
            <td>{line.state}</td>
        </tr>
    }
}

/// The People dashboard's "Reminders" section: when they last ran, a warning when that is
/// too long ago, and a notice while they are paused (in words, never colour alone).
#[component]
pub fn RemindersSection(summary: RemindersSummary) -> impl IntoView {
    let last = summary.last_run.clone();
    let late = summary.late.then(|| {
        let when = last.clone().unwrap_or_else(|| "never".to_string());
        view! {
            <div class="message message-error" role="alert">
                <p><strong>"Warning: "</strong>{format!("Reminders have not run successfully for more than {LATE_AFTER_HOURS} hours (last: {when}). Check the server's scheduled jobs (")}<a href="/healthz">"/healthz"</a>")."</p>
            </div>
        }
    });
    let paused = summary.paused_since.map(|since| {
        view! {
            <div class="message message-info">
                <p>{format!("Reminders are paused since {since}: nobody is being reminded. Resume them in the ")}<a href=SETTINGS_PATH>"reminder settings"</a>"."</p>
            </div>
        }
    });
    let last = match last {
        Some(at) => format!("Last successful run: {at}"),
        None => "Reminders have not run yet.".to_string(),
    };
    view! {
        <section aria-labelledby="reminders-heading" class="role-section">
            <h2 id="reminders-heading">"Reminders"</h2>
            {late}
            {paused}
            <p>{last}</p>
            <p><a href=LOG_PATH>"Reminder log"</a>" · "<a href=SETTINGS_PATH>"Reminder settings"</a></p>
        </section>
    }
    .into_any()
}

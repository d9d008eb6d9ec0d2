//! The rules behind the reminder pages. Each function starts with the access rule and
//! works only in the asker's organisation: reading with `ViewTrainingDashboard`,
//! changing the settings with `ManageTrainingRequirements` (both the People department
//! and administrators).

use super::log_queries::{self, LogQuery};
use super::settings_form::{self, SettingsInput};
use super::views::{LogFilters, LogLine, ReminderLog, RemindersSummary, SettingsView};
use super::words::{self, london_time, london_time_of};
use super::{settings, status_queries, ReminderKind};
use crate::auth::{guard, Capability, CurrentUser};
use crate::error::AppError;
use crate::ids::{OrganisationId, PersonId};
use crate::state::{app_state, AppState};
use crate::training::dashboard::text;
use crate::training::requirement_queries::set_due_soon_days;
use crate::{audit, calendar, db};

async fn allowed(capability: Capability) -> Result<(CurrentUser, AppState), AppError> {
    let user = guard::allowed(capability).await?;
    Ok((user, app_state()?))
}

/// The filters from the address: each one refused is left out, and said why. Never fails.
fn read_filters(raw: &LogFilters) -> (LogFilters, Vec<String>) {
    let mut problems = Vec::new();
    let person = text(&raw.person, "name or email", &mut problems);
    let person_id = text(&raw.person_id, "person", &mut problems);
    let week = text(&raw.week, "week", &mut problems).and_then(|w| match words::read_week(&w) {
        Ok(week) => Some(week),
        Err(message) => {
            problems.push(message);
            None
        }
    });
    let filters = LogFilters {
        person,
        person_id,
        week,
        page: raw.page.clone(),
    };
    (filters, problems)
}

/// One page of the organisation's reminder log.
pub async fn log(raw: LogFilters) -> Result<ReminderLog, AppError> {
    let (user, state) = allowed(Capability::ViewTrainingDashboard).await?;
    let (filters, problems) = read_filters(&raw);
    let person_id = filters.person_id.as_deref().map(PersonId::from_param);
    let query = LogQuery {
        org_id: &user.org_id,
        person: filters.person.as_deref(),
        person_id: person_id.as_ref(),
        week: filters.week.as_deref(),
        page: crate::people::parse_page(filters.page.as_deref()),
    };
    let (rows, paging) = log_queries::page(&state.db, &query).await?;
    let keep_days = state.settings.mail_retention_days;
    let today = calendar::today();
    let lines = rows
        .into_iter()
        .map(|r| LogLine {
            queued: london_time_of(&r.queued_at),
            state: words::delivery(&r.outbox, keep_days, today),
            recipient_id: r.recipient_id,
            recipient_name: r.recipient_name,
            recipient_email: r.recipient_email,
            kind: ReminderKind::parse(&r.kind)
                .map_or_else(|| r.kind.clone(), |k| k.label().to_string()),
            summary: r.summary,
        })
        .collect();
    Ok(ReminderLog {
        filters: LogFilters {
            page: Some(paging.page.to_string()),
            ..filters
        },
        problems,
        lines,
        paging,
    })
}

/// The settings form, as saved.
pub async fn settings_view() -> Result<SettingsView, AppError> {
    let (user, state) = allowed(Capability::ManageTrainingRequirements).await?;
    let saved = settings::load(&state.db, &user.org_id).await?;
    let paused = match status_queries::paused_by(&state.db, &user.org_id).await? {
        Some((at, Some(name))) => Some(format!("Paused since {} by {name}.", london_time_of(&at))),
        Some((at, None)) => Some(format!("Paused since {}.", london_time_of(&at))),
        None => None,
    };
    Ok(SettingsView {
        due_soon_days: saved.due_soon_days,
        digest_weekday: saved.digest_weekday,
        escalate_after_days: saved.escalate_after_days,
        send_hour: saved.send_hour,
        paused,
    })
}

/// Save the settings: all of them or, with any field wrong, none (each problem said).
pub async fn save_settings(input: SettingsInput) -> Result<(), AppError> {
    let (user, state) = allowed(Capability::ManageTrainingRequirements).await?;
    let chosen = settings_form::read(&input).map_err(|p| AppError::invalid(p.join("\n")))?;
    let before = settings::load(&state.db, &user.org_id).await?;
    let detail = chosen.changes_from(&before);
    let org = &user.org_id;
    let mut tx = db::begin(&state.db).await?;
    // `settings::save` keeps an earlier pause's time and who paused.
    settings::save(&mut tx, org, &chosen.settings(Some(db::now())), &user.id).await?;
    set_due_soon_days(&mut tx, org, chosen.due_soon_days, &user.id).await?;
    let action = audit::Action::ReminderSettingsChanged;
    audit::record(&mut tx, org, Some(&user.id), action, None, &detail).await?;
    tx.commit().await?;
    leptos_axum::redirect("/training/reminders/settings?done=saved");
    Ok(())
}

/// The People dashboard's "Reminders" section (one query; the caller checked access).
pub async fn summary(db: &db::Db, org_id: &OrganisationId) -> Result<RemindersSummary, AppError> {
    let status = status_queries::run_status(db, org_id, chrono::Utc::now()).await?;
    Ok(RemindersSummary {
        last_run: status.last_success.map(london_time),
        late: status.late,
        paused_since: status.paused_at.as_deref().map(london_time_of),
    })
}

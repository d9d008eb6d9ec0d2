//! Reading and saving an organisation's reminder settings (SQL only).

use super::types::ReminderSettings;
use crate::db::{self, Db};
use crate::ids::{OrganisationId, PersonId};
use crate::training::DEFAULT_DUE_SOON_DAYS;
use sqlx::AnyConnection;

/// One organisation's settings row, joined: NULLs where nothing was ever saved.
type Row = (
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

const SELECT: &str = "SELECT o.id, o.name, t.due_soon_days, r.digest_weekday,
        r.escalate_after_days, r.send_hour, r.paused_at
   FROM organisations o
   LEFT JOIN training_settings t ON t.org_id = o.id
   LEFT JOIN reminder_settings r ON r.org_id = o.id";

fn number(value: Option<i64>, default: u32) -> u32 {
    value.and_then(|v| u32::try_from(v).ok()).unwrap_or(default)
}

fn from_row(row: Row) -> (OrganisationId, String, ReminderSettings) {
    let (id, name, due_soon, weekday, escalate, hour, paused_at) = row;
    let defaults = ReminderSettings::defaults(number(due_soon, DEFAULT_DUE_SOON_DAYS));
    let settings = ReminderSettings {
        digest_weekday: number(weekday, defaults.digest_weekday),
        escalate_after_days: number(escalate, defaults.escalate_after_days),
        send_hour: number(hour, defaults.send_hour),
        paused_since: paused_at,
        ..defaults
    };
    (OrganisationId::from_param(&id), name, settings)
}

/// Every organisation with its name and settings, in one query.
pub async fn all(db: &Db) -> Result<Vec<(OrganisationId, String, ReminderSettings)>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} ORDER BY o.name, o.id"))
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// One organisation's settings (the defaults where nothing was saved).
pub async fn load(db: &Db, org_id: &OrganisationId) -> Result<ReminderSettings, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE o.id = $1"))
        .bind(org_id)
        .fetch_optional(db)
        .await?;
    Ok(row.map_or_else(
        || ReminderSettings::defaults(DEFAULT_DUE_SOON_DAYS),
        |row| from_row(row).2,
    ))
}

/// Save the settings other than the due-soon days (saved with the training settings), in
/// the caller's transaction. Pausing keeps the first pause's time and who paused; resuming
/// clears both.
pub async fn save(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    settings: &ReminderSettings,
    by: &PersonId,
) -> Result<(), sqlx::Error> {
    let now = db::now();
    let paused_at = settings.is_paused().then(|| now.clone());
    let paused_by = settings.is_paused().then_some(by);
    sqlx::query(
        "INSERT INTO reminder_settings (org_id, digest_weekday, escalate_after_days, send_hour,
            paused_at, paused_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (org_id) DO UPDATE SET
            digest_weekday = excluded.digest_weekday,
            escalate_after_days = excluded.escalate_after_days,
            send_hour = excluded.send_hour,
            paused_at = CASE WHEN excluded.paused_at IS NULL THEN NULL
                             ELSE COALESCE(reminder_settings.paused_at, excluded.paused_at) END,
            paused_by = CASE WHEN excluded.paused_at IS NULL THEN NULL
                             ELSE COALESCE(reminder_settings.paused_by, excluded.paused_by) END,
            updated_at = excluded.updated_at,
            updated_by = excluded.updated_by",
    )
    .bind(org_id)
    .bind(i64::from(settings.digest_weekday))
    .bind(i64::from(settings.escalate_after_days))
    .bind(i64::from(settings.send_hour))
    .bind(paused_at)
    .bind(paused_by)
    .bind(&now)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

//! What the policy gate reads before every page: the signed-in person with their
//! organisation's policy "stamp" (see `gate`), in one statement.
//!
//! `session_with_person` reads it together with the session itself, for the session
//! store's load (see `db::session_store`): a signed-in page then costs one statement
//! before its own instead of two. `person_and_stamp` reads it for a person alone.

use crate::auth::queries::{person_of_rows, PersonRow, PERSON_COLUMNS, PERSON_FROM};
use crate::auth::CurrentUser;
use crate::db::Db;
use crate::ids::{OrganisationId, PersonId};
use serde::{Deserialize, Serialize};

/// The signed-in, active person, their organisation's policy stamp (how many versions
/// are in force today, and when the schedule last changed) and its settings version
/// (see `db::versioned`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StampedPerson {
    pub user: CurrentUser,
    pub stamp: String,
    pub settings_version: i64,
}

/// The stamp's two parts and the settings version, for the person `u` of organisation
/// `o`; `today` names the parameter holding today's London day.
fn stamp_columns(today: &str) -> String {
    format!(
        "(SELECT COUNT(*) FROM policy_versions v
          WHERE v.org_id = u.org_id AND v.published_at IS NOT NULL
            AND v.effective_from <= {today}),
         (SELECT ps.updated_at FROM policy_settings ps WHERE ps.org_id = u.org_id),
         o.settings_version"
    )
}

/// A person's row (see `auth::queries::PersonRow`) with the two parts of the stamp and
/// the organisation's settings version.
type StampedPersonRow = (
    PersonId,
    OrganisationId,
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<String>,
    i64,
);

fn stamped(rows: Vec<StampedPersonRow>) -> Option<StampedPerson> {
    let first = rows.first()?;
    let stamp = format!("{}|{}", first.6, first.7.as_deref().unwrap_or_default());
    let settings_version = first.8;
    let people: Vec<PersonRow> = rows
        .into_iter()
        .map(|(id, org, name, email, full_name, role, _, _, _)| {
            (id, org, name, email, full_name, role)
        })
        .collect();
    person_of_rows(&people).map(|user| StampedPerson {
        user,
        stamp,
        settings_version,
    })
}

/// The person behind `user_id` (as `auth::queries::current_user` finds them), stamped.
pub async fn person_and_stamp(
    db: &Db,
    user_id: &PersonId,
) -> Result<Option<StampedPerson>, sqlx::Error> {
    let today = crate::calendar::day_key(crate::calendar::today());
    let rows: Vec<StampedPersonRow> = sqlx::query_as(&format!(
        "{PERSON_COLUMNS}, {} {PERSON_FROM}",
        stamp_columns("$2")
    ))
    .bind(user_id)
    .bind(&today)
    .fetch_all(db)
    .await?;
    Ok(stamped(rows))
}

/// An unexpired session, as stored, with its signed-in person if they are active.
pub struct SessionWithPerson {
    pub data: String,
    pub expires_at: i64,
    pub person: Option<StampedPerson>,
}

/// The session row, then the person's columns (all null when nobody is signed in, or
/// when the person was deactivated), one row per role.
type SessionRow = (
    String,
    i64,
    Option<PersonId>,
    Option<OrganisationId>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    Option<i64>,
);

/// The session stored under `stored_id` unless it expired by `now` (Unix seconds), with
/// its person stamped, in one statement.
pub async fn session_with_person(
    db: &Db,
    stored_id: &str,
    now: i64,
) -> Result<Option<SessionWithPerson>, sqlx::Error> {
    let today = crate::calendar::day_key(crate::calendar::today());
    let rows: Vec<SessionRow> = sqlx::query_as(&format!(
        "SELECT s.data, s.expires_at, u.id, u.org_id, o.name, u.email, u.full_name, r.role, {}
         FROM sessions s
         LEFT JOIN users u ON u.id = s.user_id AND u.deactivated_at IS NULL
         LEFT JOIN organisations o ON o.id = u.org_id
         LEFT JOIN user_roles r ON r.user_id = u.id
         WHERE s.id = $1 AND s.expires_at > $2",
        stamp_columns("$3")
    ))
    .bind(stored_id)
    .bind(now)
    .bind(&today)
    .fetch_all(db)
    .await?;
    let Some((data, expires_at, ..)) = rows.first().cloned() else {
        return Ok(None);
    };
    let people: Vec<StampedPersonRow> = rows
        .into_iter()
        .filter_map(
            |(_, _, id, org, name, email, full_name, role, count, at, version)| {
                Some((
                    id?, org?, name?, email?, full_name?, role, count, at, version?,
                ))
            },
        )
        .collect();
    Ok(Some(SessionWithPerson {
        data,
        expires_at,
        person: stamped(people),
    }))
}

//! The SQL for briefings. Every query takes the organisation. Attendees are the
//! completions whose source is `briefing` and whose reference is the briefing's id, so a
//! list with its counts is one query, and a briefing's attendees another.

use crate::db;
use crate::ids::{BriefingId, OrganisationId, PersonId, RequirementId};
use sqlx::AnyConnection;

pub struct NewBriefing<'a> {
    pub org_id: &'a OrganisationId,
    pub held_on: &'a str,
    pub title: &'a str,
    pub led_by: &'a str,
    pub requirement_id: &'a RequirementId,
    pub recorded_by: &'a PersonId,
}

pub async fn insert_briefing(
    conn: &mut AnyConnection,
    b: &NewBriefing<'_>,
) -> Result<BriefingId, sqlx::Error> {
    let id = BriefingId::generate();
    sqlx::query(
        "INSERT INTO training_briefings
            (id, org_id, held_on, title, led_by, requirement_id, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(b.org_id)
    .bind(b.held_on)
    .bind(b.title)
    .bind(b.led_by)
    .bind(b.requirement_id)
    .bind(b.recorded_by)
    .bind(db::now())
    .execute(conn)
    .await?;
    Ok(id)
}

/// A briefing as listed.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct BriefingRow {
    pub id: BriefingId,
    pub held_on: String,
    pub title: String,
    pub led_by: String,
    pub requirement: String,
    pub attendees: i64,
    pub recorded_by: String,
    pub recorded_at: String,
}

const SELECT_BRIEFING: &str = "SELECT b.id, b.held_on, b.title, b.led_by, r.name AS requirement,
        (SELECT COUNT(*) FROM training_completions c
         WHERE c.org_id = b.org_id AND c.source = 'briefing' AND c.reference = b.id) AS attendees,
        u.full_name AS recorded_by, b.recorded_at
     FROM training_briefings b
     JOIN training_requirements r ON r.id = b.requirement_id AND r.org_id = b.org_id
     JOIN users u ON u.id = b.recorded_by";

/// The organisation's briefings, newest first: one query.
pub async fn briefings(
    db: &db::Db,
    org_id: &OrganisationId,
) -> Result<Vec<BriefingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT_BRIEFING} WHERE b.org_id = $1 ORDER BY b.held_on DESC, b.recorded_at DESC, b.id"
    ))
    .bind(org_id)
    .fetch_all(db)
    .await
}

pub async fn briefing(
    db: &db::Db,
    org_id: &OrganisationId,
    id: &BriefingId,
) -> Result<Option<BriefingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT_BRIEFING} WHERE b.org_id = $1 AND b.id = $2"
    ))
    .bind(org_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AttendeeRow {
    pub id: PersonId,
    pub full_name: String,
    pub email: String,
    pub department: String,
    pub corrected: i64,
}

/// Who attended the briefing, by name: one query.
pub async fn attendees(
    db: &db::Db,
    org_id: &OrganisationId,
    id: &BriefingId,
) -> Result<Vec<AttendeeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.email, COALESCE(r.department, '') AS department,
                CAST(CASE WHEN EXISTS (SELECT 1 FROM training_completions s WHERE s.supersedes = c.id)
                     THEN 1 ELSE 0 END AS BIGINT) AS corrected
         FROM training_completions c
         JOIN users u ON u.id = c.user_id AND u.org_id = c.org_id
         LEFT JOIN staff_records r ON r.user_id = u.id AND r.org_id = u.org_id
         WHERE c.org_id = $1 AND c.source = 'briefing' AND c.reference = $2
         ORDER BY LOWER(u.full_name), u.email, u.id",
    )
    .bind(org_id)
    .bind(id)
    .fetch_all(db)
    .await
}

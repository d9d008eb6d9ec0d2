//! The nudges' SQL. Every query names the organisation.

use crate::db::Db;
use crate::ids::{CohortId, OrganisationId, PersonId};
use crate::people::queries::{Sql, CHUNK};
use sqlx::AnyConnection;

/// The learners among `ids` nudged after `since` (a stored time).
pub async fn nudged_since(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    ids: &[PersonId],
    since: &str,
) -> Result<Vec<PersonId>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let mut sql = Sql::default();
        sql.push("SELECT DISTINCT learner_id FROM nudge_recipients WHERE org_id = ")
            .bind(org_id.as_str())
            .push(" AND sent_at > ")
            .bind(since)
            .push(" AND learner_id ")
            .bind_in(chunk);
        let rows: Vec<(PersonId,)> = sql.fetch_all_on(&mut *conn).await?;
        out.extend(rows.into_iter().map(|(id,)| id));
    }
    Ok(out)
}

/// The email addresses of the listed people of the organisation, as (id, email).
pub async fn emails(
    conn: &mut AnyConnection,
    org_id: &OrganisationId,
    ids: &[PersonId],
) -> Result<Vec<(PersonId, String)>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let mut sql = Sql::default();
        sql.push("SELECT id, email FROM users WHERE deactivated_at IS NULL AND org_id = ")
            .bind(org_id.as_str())
            .push(" AND id ")
            .bind_in(chunk);
        out.extend(sql.fetch_all_on::<(PersonId, String)>(&mut *conn).await?);
    }
    Ok(out)
}

/// A nudge as sent: who by, when, until when its effect is measured.
pub struct NewNudge<'a> {
    pub id: &'a str,
    pub org_id: &'a OrganisationId,
    pub cohort_id: &'a CohortId,
    pub sent_by: &'a PersonId,
    pub sent_at: &'a str,
    pub measure_until: &'a str,
}

pub async fn insert_nudge(conn: &mut AnyConnection, n: &NewNudge<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO nudges (id, org_id, cohort_id, sent_by, sent_at, measure_until)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(n.id)
    .bind(n.org_id)
    .bind(n.cohort_id)
    .bind(n.sent_by)
    .bind(n.sent_at)
    .bind(n.measure_until)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_recipient(
    conn: &mut AnyConnection,
    n: &NewNudge<'_>,
    learner: &PersonId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO nudge_recipients (nudge_id, learner_id, org_id, sent_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(n.id)
    .bind(learner)
    .bind(n.org_id)
    .bind(n.sent_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A nudge with what followed it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NudgeRow {
    pub sent_at: String,
    pub measure_until: String,
    pub by_name: Option<String>,
    pub nudged: i64,
    pub progressed: i64,
}

/// The cohort's latest nudges (at most 10), each with how many of those nudged read a
/// section, started a quiz or signed a policy between the nudge and 7 days after. One
/// query.
pub async fn recent(
    db: &Db,
    org_id: &OrganisationId,
    cohort_id: &CohortId,
) -> Result<Vec<NudgeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.sent_at, n.measure_until, u.full_name AS by_name,
            (SELECT COUNT(*) FROM nudge_recipients r WHERE r.nudge_id = n.id) AS nudged,
            (SELECT COUNT(*) FROM nudge_recipients r WHERE r.nudge_id = n.id AND (
                EXISTS (SELECT 1 FROM section_progress p WHERE p.user_id = r.learner_id
                        AND p.read_at > n.sent_at AND p.read_at <= n.measure_until)
                OR EXISTS (SELECT 1 FROM quiz_attempts a WHERE a.user_id = r.learner_id
                        AND a.started_at > n.sent_at AND a.started_at <= n.measure_until)
                OR EXISTS (SELECT 1 FROM policy_signatures s WHERE s.user_id = r.learner_id
                        AND s.signed_at > n.sent_at AND s.signed_at <= n.measure_until))
            ) AS progressed
         FROM nudges n LEFT JOIN users u ON u.id = n.sent_by
         WHERE n.org_id = $1 AND n.cohort_id = $2
         ORDER BY n.sent_at DESC LIMIT 10",
    )
    .bind(org_id)
    .bind(cohort_id)
    .fetch_all(db)
    .await
}

/// The nudges a learner received, newest first: (sent at, by whom).
pub async fn received(
    db: &Db,
    org_id: &OrganisationId,
    learner: &PersonId,
) -> Result<Vec<(String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.sent_at, u.full_name FROM nudge_recipients r
         JOIN nudges n ON n.id = r.nudge_id LEFT JOIN users u ON u.id = n.sent_by
         WHERE r.org_id = $1 AND r.learner_id = $2 ORDER BY r.sent_at DESC",
    )
    .bind(org_id)
    .bind(learner)
    .fetch_all(db)
    .await
}

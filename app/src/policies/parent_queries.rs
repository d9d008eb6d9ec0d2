//! The data layer for parents' and carers' acknowledgements and the links emailed to them.
//! Acknowledgements are only ever inserted (see `db::guards`); every query takes the
//! organisation.

use crate::db::{self, Db};
use crate::ids::{OrganisationId, ParentLinkId, PersonId, PolicyVersionId};
use crate::people::queries::{Sql, CHUNK};
use sqlx::AnyConnection;

/// A learner as the acknowledgement pages need them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LearnerRow {
    pub id: PersonId,
    pub full_name: String,
    pub email: String,
    pub date_of_birth: Option<String>,
}

/// An active learner of the organisation (None for anyone else).
pub async fn learner(
    db: &Db,
    org_id: &OrganisationId,
    learner_id: &PersonId,
) -> Result<Option<LearnerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.email, u.date_of_birth FROM users u
         JOIN user_roles r ON r.user_id = u.id AND r.role = 'learner'
         WHERE u.id = $1 AND u.org_id = $2 AND u.deactivated_at IS NULL",
    )
    .bind(learner_id)
    .bind(org_id)
    .fetch_optional(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AcknowledgementRow {
    pub id: String,
    pub org_id: OrganisationId,
    pub learner_id: PersonId,
    pub version_id: PolicyVersionId,
    pub text_sha256: String,
    pub parent_name: String,
    pub relationship: String,
    pub method: String,
    pub acknowledged_on: String,
    pub recorded_at: String,
    pub recorded_by: Option<PersonId>,
    pub scanned: Option<String>,
    pub link_id: Option<ParentLinkId>,
    pub address: Option<String>,
    pub user_agent: Option<String>,
    /// Who recorded a paper acknowledgement (joined from `users`).
    pub recorded_by_name: Option<String>,
}

const ACKNOWLEDGEMENT_SELECT: &str = "SELECT a.id, a.org_id, a.learner_id, a.version_id,
        a.text_sha256, a.parent_name, a.relationship, a.method, a.acknowledged_on, a.recorded_at,
        a.recorded_by, a.scanned, a.link_id, a.address, a.user_agent, u.full_name AS recorded_by_name
     FROM parent_acknowledgements a LEFT JOIN users u ON u.id = a.recorded_by";

/// The organisation's acknowledgements (all learners, or one), newest first.
pub async fn acknowledgements(
    db: &Db,
    org_id: &OrganisationId,
    learner_id: Option<&PersonId>,
) -> Result<Vec<AcknowledgementRow>, sqlx::Error> {
    let sql = match learner_id {
        Some(_) => format!(
            "{ACKNOWLEDGEMENT_SELECT} WHERE a.org_id = $1 AND a.learner_id = $2
             ORDER BY a.acknowledged_on DESC, a.recorded_at DESC"
        ),
        None => format!(
            "{ACKNOWLEDGEMENT_SELECT} WHERE a.org_id = $1
             ORDER BY a.acknowledged_on DESC, a.recorded_at DESC"
        ),
    };
    let query = sqlx::query_as(&sql).bind(org_id);
    match learner_id {
        Some(id) => query.bind(id).fetch_all(db).await,
        None => query.fetch_all(db).await,
    }
}

/// The acknowledgements for the listed learners, newest first.
pub async fn acknowledgements_of(
    db: &Db,
    org_id: &OrganisationId,
    learner_ids: &[PersonId],
) -> Result<Vec<AcknowledgementRow>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in learner_ids.chunks(CHUNK) {
        let mut sql = Sql::default();
        sql.push(ACKNOWLEDGEMENT_SELECT)
            .push(" WHERE a.org_id = ")
            .bind(org_id.as_str())
            .push(" AND a.learner_id ")
            .bind_in(chunk)
            .push(" ORDER BY a.acknowledged_on DESC, a.recorded_at DESC");
        out.extend(sql.fetch_all::<AcknowledgementRow>(db).await?);
    }
    Ok(out)
}

pub async fn insert_acknowledgement(
    conn: &mut AnyConnection,
    a: &AcknowledgementRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO parent_acknowledgements (id, org_id, learner_id, version_id, text_sha256,
             parent_name, relationship, method, acknowledged_on, recorded_at, recorded_by,
             scanned, link_id, address, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(&a.id)
    .bind(&a.org_id)
    .bind(&a.learner_id)
    .bind(&a.version_id)
    .bind(&a.text_sha256)
    .bind(&a.parent_name)
    .bind(&a.relationship)
    .bind(&a.method)
    .bind(&a.acknowledged_on)
    .bind(&a.recorded_at)
    .bind(&a.recorded_by)
    .bind(&a.scanned)
    .bind(&a.link_id)
    .bind(&a.address)
    .bind(&a.user_agent)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRow {
    pub id: ParentLinkId,
    pub org_id: OrganisationId,
    pub learner_id: PersonId,
    pub version_id: PolicyVersionId,
    pub email: String,
    pub created_at: String,
    pub expires_at: String,
    pub used_at: Option<String>,
}

const LINK_COLUMNS: &str =
    "id, org_id, learner_id, version_id, email, created_at, expires_at, used_at";

pub struct NewLink<'a> {
    pub org_id: &'a OrganisationId,
    pub learner_id: &'a PersonId,
    pub version_id: &'a PolicyVersionId,
    pub email: &'a str,
    pub token_hash: &'a str,
    pub created_by: &'a PersonId,
    pub expires_at: &'a str,
}

pub async fn insert_link(conn: &mut AnyConnection, link: &NewLink<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO parent_links (id, org_id, learner_id, version_id, email, token_hash,
             created_at, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(ParentLinkId::generate())
    .bind(link.org_id)
    .bind(link.learner_id)
    .bind(link.version_id)
    .bind(link.email)
    .bind(link.token_hash)
    .bind(db::now())
    .bind(link.created_by)
    .bind(link.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn link_by_token_hash(db: &Db, token_hash: &str) -> Result<Option<LinkRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LINK_COLUMNS} FROM parent_links WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(db)
    .await
}

pub async fn links_of(
    db: &Db,
    org_id: &OrganisationId,
    learner_id: &PersonId,
) -> Result<Vec<LinkRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LINK_COLUMNS} FROM parent_links WHERE org_id = $1 AND learner_id = $2
         ORDER BY created_at DESC"
    ))
    .bind(org_id)
    .bind(learner_id)
    .fetch_all(db)
    .await
}

/// Spend a link inside the caller's transaction: false if it was already used or has
/// expired by `now` (two people pressing at once: only one wins).
pub async fn spend_link(
    conn: &mut AnyConnection,
    id: &ParentLinkId,
    now: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE parent_links SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

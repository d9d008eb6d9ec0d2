//! The data layer for policy versions and signatures. Signatures are only ever inserted;
//! the database refuses anything else (see `db::guards`).

use super::PolicyKind;
use crate::db::{self, Db};
use crate::ids::{OrganisationId, PersonId, PolicyVersionId, SignatureId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub id: PolicyVersionId,
    pub org_id: OrganisationId,
    pub kind: String,
    pub number: i64,
    pub title: String,
    pub body: String,
    pub what_changed: String,
    pub effective_from: String,
    pub sign_again: String,
    pub published_at: Option<String>,
}

const VERSION_COLUMNS: &str =
    "id, org_id, kind, number, title, body, what_changed, effective_from, sign_again, published_at";

/// Everyone signs this version again (else only those who never signed).
pub const SIGN_AGAIN_EVERYONE: &str = "everyone";

/// The organisation's published versions of a policy, oldest first.
pub async fn published(
    db: &Db,
    org_id: &OrganisationId,
    kind: PolicyKind,
) -> Result<Vec<VersionRow>, sqlx::Error> {
    published_in(db, org_id, kind.as_str()).await
}

/// The published versions of any numbered series (a policy's kind, or a document's, see
/// `documents`), oldest first.
pub async fn published_in(
    db: &Db,
    org_id: &OrganisationId,
    series: &str,
) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM policy_versions
         WHERE org_id = $1 AND kind = $2 AND published_at IS NOT NULL ORDER BY number"
    ))
    .bind(org_id)
    .bind(series)
    .fetch_all(db)
    .await
}

pub async fn version(db: &Db, id: &PolicyVersionId) -> Result<Option<VersionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM policy_versions WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Version 1 from our default text, for an organisation that has none yet. Two servers
/// doing this at once is fine: the second insert does nothing.
pub async fn ensure_first_version(
    db: &Db,
    org_id: &OrganisationId,
    kind: PolicyKind,
    title: &str,
    body: &str,
) -> Result<(), sqlx::Error> {
    let now = db::now();
    sqlx::query(
        "INSERT INTO policy_versions (id, org_id, kind, number, title, body, what_changed,
             effective_from, sign_again, created_at, created_by, published_at, published_by)
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, NULL, $9, NULL)
         ON CONFLICT (org_id, kind, number) DO NOTHING",
    )
    .bind(PolicyVersionId::generate())
    .bind(org_id)
    .bind(kind.as_str())
    .bind(title)
    .bind(body)
    .bind("The first version.")
    .bind(crate::calendar::day_key(crate::calendar::today()))
    .bind(SIGN_AGAIN_EVERYONE)
    .bind(&now)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SignatureRow {
    pub id: SignatureId,
    pub org_id: OrganisationId,
    pub user_id: PersonId,
    pub version_id: PolicyVersionId,
    /// 0 the first time this person signs this version; 1, 2... when signing it again on
    /// the organisation's schedule.
    pub round: i64,
    pub text_sha256: String,
    pub typed_name: String,
    pub signed_at: String,
    pub address: String,
    pub user_agent: String,
}

pub const SIGNATURE_COLUMNS: &str =
    "id, org_id, user_id, version_id, round, text_sha256, typed_name, signed_at, address, user_agent";

pub async fn signatures_of(db: &Db, user_id: &PersonId) -> Result<Vec<SignatureRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SIGNATURE_COLUMNS} FROM policy_signatures WHERE user_id = $1 ORDER BY signed_at DESC"
    ))
    .bind(user_id)
    .fetch_all(db)
    .await
}

pub async fn signature(db: &Db, id: &SignatureId) -> Result<Option<SignatureRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SIGNATURE_COLUMNS} FROM policy_signatures WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Record a signature. A second signature of the same version and round by the same
/// person (a double click) is refused by the database (unique), and reported as false.
/// On the pool or inside a transaction (a document's acknowledgement and its audit row).
pub async fn insert_signature<'e, E>(db: E, s: &SignatureRow) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let result = sqlx::query(
        "INSERT INTO policy_signatures (id, org_id, user_id, version_id, round, text_sha256,
             typed_name, signed_at, address, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&s.id)
    .bind(&s.org_id)
    .bind(&s.user_id)
    .bind(&s.version_id)
    .bind(s.round)
    .bind(&s.text_sha256)
    .bind(&s.typed_name)
    .bind(&s.signed_at)
    .bind(&s.address)
    .bind(&s.user_agent)
    .execute(db)
    .await;
    match result {
        Ok(_) => Ok(true),
        Err(e) if db::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Every version of the organisation's policy, drafts too, newest first.
pub async fn all_versions(
    db: &Db,
    org_id: &OrganisationId,
    kind: PolicyKind,
) -> Result<Vec<VersionRow>, sqlx::Error> {
    all_versions_in(db, org_id, kind.as_str()).await
}

/// Every version of any numbered series, drafts too, newest first.
pub async fn all_versions_in(
    db: &Db,
    org_id: &OrganisationId,
    series: &str,
) -> Result<Vec<VersionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {VERSION_COLUMNS} FROM policy_versions WHERE org_id = $1 AND kind = $2
         ORDER BY number DESC"
    ))
    .bind(org_id)
    .bind(series)
    .fetch_all(db)
    .await
}

/// A new draft numbered after the newest version, starting from `from`'s text. Returns
/// None when two people start one at once (the number is taken): try again.
pub async fn insert_draft(
    db: &Db,
    from: &VersionRow,
    by: &PersonId,
) -> Result<Option<PolicyVersionId>, sqlx::Error> {
    let text = (from.title.as_str(), from.body.as_str());
    insert_draft_in(db, &from.org_id, &from.kind, text, by).await
}

/// A new draft of any numbered series with this (title, body), numbered after its newest
/// version (1 for the first). None when two people start one at once: try again.
pub async fn insert_draft_in(
    db: &Db,
    org_id: &OrganisationId,
    series: &str,
    (title, body): (&str, &str),
    by: &PersonId,
) -> Result<Option<PolicyVersionId>, sqlx::Error> {
    let id = PolicyVersionId::generate();
    let now = db::now();
    let result = sqlx::query(
        "INSERT INTO policy_versions (id, org_id, kind, number, title, body, what_changed,
             effective_from, sign_again, created_at, created_by)
         SELECT $1, $2, $3, COALESCE(MAX(number), 0) + 1, $4, $5, '', $6, $7, $8, $9
         FROM policy_versions WHERE org_id = $2 AND kind = $3",
    )
    .bind(&id)
    .bind(org_id)
    .bind(series)
    .bind(title)
    .bind(body)
    .bind(crate::calendar::day_key(crate::calendar::today()))
    .bind(SIGN_AGAIN_EVERYONE)
    .bind(&now)
    .bind(by)
    .execute(db)
    .await;
    match result {
        Ok(_) => Ok(Some(id)),
        Err(e) if db::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub struct DraftText<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub what_changed: &'a str,
    pub effective_from: &'a str,
    pub sign_again: &'a str,
}

/// Change a draft; a published version is never matched (and the database refuses it).
pub async fn update_draft(
    db: &Db,
    id: &PolicyVersionId,
    org_id: &OrganisationId,
    d: &DraftText<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE policy_versions SET title = $3, body = $4, what_changed = $5, effective_from = $6,
             sign_again = $7
         WHERE id = $1 AND org_id = $2 AND published_at IS NULL",
    )
    .bind(id)
    .bind(org_id)
    .bind(d.title)
    .bind(d.body)
    .bind(d.what_changed)
    .bind(d.effective_from)
    .bind(d.sign_again)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// On the pool or inside a transaction (a document's edition and its audit row).
pub async fn publish<'e, E>(
    db: E,
    id: &PolicyVersionId,
    org_id: &OrganisationId,
    by: &PersonId,
) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let done = sqlx::query(
        "UPDATE policy_versions SET published_at = $3, published_by = $4
         WHERE id = $1 AND org_id = $2 AND published_at IS NULL",
    )
    .bind(id)
    .bind(org_id)
    .bind(db::now())
    .bind(by)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every how many months the organisation asks everyone to sign again (None: only when a
/// new version asks).
pub async fn resign_every_months(
    db: &Db,
    org_id: &OrganisationId,
) -> Result<Option<u32>, sqlx::Error> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("SELECT resign_every_months FROM policy_settings WHERE org_id = $1")
            .bind(org_id)
            .fetch_optional(db)
            .await?;
    Ok(row
        .and_then(|(months,)| months)
        .and_then(|m| u32::try_from(m).ok()))
}

pub async fn set_resign_every_months(
    db: &Db,
    org_id: &OrganisationId,
    months: Option<u32>,
    by: &PersonId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO policy_settings (org_id, resign_every_months, updated_at, updated_by)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (org_id) DO UPDATE SET resign_every_months = excluded.resign_every_months,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(org_id)
    .bind(months.map(i64::from))
    .bind(db::now())
    .bind(by)
    .execute(db)
    .await?;
    Ok(())
}

/// Every organisation as (id, name), for the automatic reminders.
pub async fn organisations(db: &Db) -> Result<Vec<(OrganisationId, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM organisations ORDER BY name")
        .fetch_all(db)
        .await
}

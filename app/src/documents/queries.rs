//! The data layer for documents. A document's editions are rows of `policy_versions`
//! (kind [`series`]), and acknowledgements rows of `policy_signatures`: the policies'
//! queries write them (`policies::queries`); these read them for documents. Every query
//! takes the organisation.

use crate::db::Db;
use crate::ids::{DocumentId, OrganisationId, PersonId, PolicyVersionId};
use crate::people::queries::{Sql, CHUNK};
use crate::training::documents::{Acknowledgement, DocumentFacts, Edition, PublishedEdition};
use chrono::NaiveDate;
use sqlx::AnyConnection;

/// The kind of a document's editions in `policy_versions`.
pub fn series(id: &DocumentId) -> String {
    format!("{SERIES_PREFIX}{id}")
}

const SERIES_PREFIX: &str = "document:";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocumentRow {
    pub id: DocumentId,
    pub org_id: OrganisationId,
    pub slug: String,
    pub title: String,
}

/// The organisation's documents as (key, title), by title: for the requirement form's
/// choice of document.
pub async fn documents_of(
    db: &Db,
    org_id: &OrganisationId,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT slug, title FROM documents WHERE org_id = $1 ORDER BY title, slug")
        .bind(org_id)
        .fetch_all(db)
        .await
}

pub async fn all_documents(
    db: &Db,
    org_id: &OrganisationId,
) -> Result<Vec<DocumentRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, org_id, slug, title FROM documents WHERE org_id = $1 ORDER BY title, slug",
    )
    .bind(org_id)
    .fetch_all(db)
    .await
}

pub async fn document(
    db: &Db,
    org_id: &OrganisationId,
    key: &str,
) -> Result<Option<DocumentRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, org_id, slug, title FROM documents WHERE org_id = $1 AND slug = $2")
        .bind(org_id)
        .bind(key)
        .fetch_optional(db)
        .await
}

/// The document whose editions are the series `kind`, in the organisation.
pub async fn document_of_series(
    db: &Db,
    org_id: &OrganisationId,
    kind: &str,
) -> Result<Option<DocumentRow>, sqlx::Error> {
    let Some(id) = kind.strip_prefix(SERIES_PREFIX) else {
        return Ok(None);
    };
    sqlx::query_as("SELECT id, org_id, slug, title FROM documents WHERE org_id = $1 AND id = $2")
        .bind(org_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// A new document; false when the organisation already has one with this key.
pub async fn insert_document(
    conn: &mut AnyConnection,
    d: &DocumentRow,
    by: &PersonId,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO documents (id, org_id, slug, title, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&d.id)
    .bind(&d.org_id)
    .bind(&d.slug)
    .bind(&d.title)
    .bind(crate::db::now())
    .bind(by)
    .execute(conn)
    .await;
    match result {
        Ok(_) => Ok(true),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// An edition of one of the organisation's documents, drafts too.
#[derive(Debug, Clone)]
pub struct EditionRow {
    /// The document's key.
    pub key: String,
    pub version_id: PolicyVersionId,
    pub number: u32,
    pub effective_from: Option<NaiveDate>,
    pub published: bool,
    /// When it was published (a stored time), if it was.
    pub published_at: Option<String>,
}

/// Every edition of every document of the organisation, in one query.
pub async fn editions_of_org(
    db: &Db,
    org_id: &OrganisationId,
) -> Result<Vec<EditionRow>, sqlx::Error> {
    let rows: Vec<(String, PolicyVersionId, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT d.slug, v.id, v.number, v.effective_from, v.published_at
         FROM documents d JOIN policy_versions v
              ON v.org_id = d.org_id AND v.kind = 'document:' || d.id
         WHERE d.org_id = $1 ORDER BY d.slug, v.number",
    )
    .bind(org_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(key, version_id, number, from, published)| EditionRow {
            key,
            version_id,
            number: u32::try_from(number).unwrap_or(0),
            effective_from: crate::calendar::parse_day(&from),
            published: published.is_some(),
            published_at: published,
        })
        .collect())
}

/// Every published edition of the organisation's documents (published before the stored
/// time `before`, if given: for a past day's evidence pack).
pub async fn published_editions(
    db: &Db,
    org_id: &OrganisationId,
    before: Option<&str>,
) -> Result<Vec<PublishedEdition>, sqlx::Error> {
    Ok(editions_of_org(db, org_id)
        .await?
        .into_iter()
        .filter(|e| match (&e.published_at, before) {
            (Some(at), Some(before)) => at.as_str() < before,
            (published, None) => published.is_some(),
            (None, _) => false,
        })
        .filter_map(|e| {
            Some(PublishedEdition {
                document: e.key,
                version_id: e.version_id,
                edition: Edition {
                    number: e.number,
                    effective_from: e.effective_from?,
                },
            })
        })
        .collect())
}

type AckRow = (PersonId, PolicyVersionId, String);

const ACK_SQL: &str = "SELECT s.user_id, s.version_id, s.signed_at
     FROM policy_signatures s JOIN policy_versions v ON v.id = s.version_id
     WHERE v.kind LIKE 'document:%' AND s.org_id = ";

/// Acknowledgements of the organisation's documents: everyone's, or only `people`'s
/// (a constant number of queries: one per 500 people).
pub async fn acknowledgements(
    db: &Db,
    org_id: &OrganisationId,
    people: Option<&[PersonId]>,
) -> Result<Vec<Acknowledgement>, sqlx::Error> {
    let mut rows: Vec<AckRow> = Vec::new();
    match people {
        None => {
            let mut sql = Sql::default();
            sql.push(ACK_SQL).bind(org_id.as_str());
            rows = sql.fetch_all(db).await?;
        }
        Some(people) => {
            for chunk in people.chunks(CHUNK) {
                let mut sql = Sql::default();
                sql.push(ACK_SQL)
                    .bind(org_id.as_str())
                    .push(" AND s.user_id ")
                    .bind_in(chunk);
                rows.extend(sql.fetch_all::<AckRow>(db).await?);
            }
        }
    }
    Ok(rows
        .into_iter()
        .filter_map(|(person, version_id, at)| {
            Some(Acknowledgement {
                person,
                version_id,
                on: london_day(&at)?,
            })
        })
        .collect())
}

/// The calendar day in London of a stored time.
pub fn london_day(stored: &str) -> Option<NaiveDate> {
    crate::db::parse_timestamp(stored).map(crate::calendar::today_at)
}

/// For the organisation-wide status: each document's current edition on `today` and who
/// acknowledged it when, for everyone or only `people`. Two queries (plus one per 500
/// people beyond the first 500), whatever the number of documents and people.
pub async fn document_facts(
    db: &Db,
    org_id: &OrganisationId,
    people: Option<&[PersonId]>,
    today: NaiveDate,
) -> Result<DocumentFacts, sqlx::Error> {
    let editions = published_editions(db, org_id, None).await?;
    let acks = acknowledgements(db, org_id, people).await?;
    Ok(DocumentFacts::new(editions, acks, today))
}

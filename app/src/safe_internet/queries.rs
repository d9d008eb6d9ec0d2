//! The data layer for an organisation's contacts.

use super::{OrganisationContacts, PolicyLink};
use crate::admin::queries::Organisation;
use crate::db::{self, Db};
use crate::ids::{OrganisationId, PersonId};

/// Policy links are stored one per line as `title | url` (see `links_as_text`).
pub fn decode_links(text: &str) -> Vec<PolicyLink> {
    text.lines()
        .filter_map(|line| line.split_once(" | "))
        .map(|(title, url)| PolicyLink {
            title: title.trim().to_string(),
            url: url.trim().to_string(),
        })
        .collect()
}

pub async fn contacts(
    db: &Db,
    org_id: &OrganisationId,
) -> Result<OrganisationContacts, sqlx::Error> {
    let row: Option<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT dsl_name, dsl_phone, dsl_email, raise_concern, policy_links FROM organisation_contacts WHERE org_id = $1",
    )
    .bind(org_id)
    .fetch_optional(db)
    .await?;
    Ok(row
        .map(
            |(dsl_name, dsl_phone, dsl_email, raise_concern, links)| OrganisationContacts {
                dsl_name,
                dsl_phone,
                dsl_email,
                raise_concern,
                policy_links: decode_links(&links),
            },
        )
        .unwrap_or_default())
}

pub async fn save(
    conn: &mut sqlx::AnyConnection,
    org_id: &OrganisationId,
    by: &PersonId,
    c: &OrganisationContacts,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO organisation_contacts (org_id, dsl_name, dsl_phone, dsl_email, raise_concern, policy_links, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (org_id) DO UPDATE SET dsl_name = $2, dsl_phone = $3, dsl_email = $4,
             raise_concern = $5, policy_links = $6, updated_at = $7, updated_by = $8",
    )
    .bind(org_id)
    .bind(&c.dsl_name)
    .bind(&c.dsl_phone)
    .bind(&c.dsl_email)
    .bind(&c.raise_concern)
    .bind(super::links_as_text(&c.policy_links))
    .bind(db::now())
    .bind(by)
    .execute(conn)
    .await?;
    Ok(())
}

/// The organisation `/safe-internet` shows: the configured one, else the first created.
pub async fn default_organisation(
    db: &Db,
    configured: Option<&str>,
) -> Result<Option<Organisation>, sqlx::Error> {
    if let Some(slug) = configured {
        return crate::admin::queries::organisation_by_slug(db, slug).await;
    }
    sqlx::query_as("SELECT id, slug, name FROM organisations ORDER BY created_at, slug LIMIT 1")
        .fetch_optional(db)
        .await
}

/// The organisation's slug, which names its public Safe Internet page.
pub async fn slug_of(db: &Db, org_id: &OrganisationId) -> Result<String, sqlx::Error> {
    let (slug,): (String,) = sqlx::query_as("SELECT slug FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_one(db)
        .await?;
    Ok(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_links_round_trip() {
        let links = vec![PolicyLink {
            title: "Online safety policy".into(),
            url: "https://x.test/p.pdf".into(),
        }];
        assert_eq!(
            decode_links(&crate::safe_internet::links_as_text(&links)),
            links
        );
    }
}

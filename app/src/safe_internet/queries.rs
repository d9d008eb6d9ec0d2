//! The data layer for an organisation's contacts.

use super::{OrganisationContacts, PolicyLink};
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

/// The organisation a Safe Internet page is for (by slug, or the first organisation when
/// `slug` is `None`), with its contacts: one query per page view.
pub async fn page_organisation(
    db: &Db,
    slug: Option<&str>,
) -> Result<Option<(String, OrganisationContacts)>, sqlx::Error> {
    type Row = (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    const COLUMNS: &str = "SELECT o.name, c.dsl_name, c.dsl_phone, c.dsl_email, c.raise_concern,
                c.policy_links
         FROM organisations o LEFT JOIN organisation_contacts c ON c.org_id = o.id";
    let row: Option<Row> = match slug {
        Some(slug) => {
            sqlx::query_as(&format!("{COLUMNS} WHERE o.slug = $1"))
                .bind(slug)
                .fetch_optional(db)
                .await?
        }
        None => {
            sqlx::query_as(&format!("{COLUMNS} ORDER BY o.created_at, o.slug LIMIT 1"))
                .fetch_optional(db)
                .await?
        }
    };
    Ok(row.map(
        |(name, dsl_name, dsl_phone, dsl_email, raise_concern, links)| {
            let contacts = match (dsl_name, dsl_phone, dsl_email, raise_concern) {
                (Some(dsl_name), Some(dsl_phone), Some(dsl_email), Some(raise_concern)) => {
                    OrganisationContacts {
                        dsl_name,
                        dsl_phone,
                        dsl_email,
                        raise_concern,
                        policy_links: decode_links(links.as_deref().unwrap_or_default()),
                    }
                }
                _ => OrganisationContacts::default(),
            };
            (name, contacts)
        },
    ))
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

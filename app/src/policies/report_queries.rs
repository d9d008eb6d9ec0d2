//! The data layer for the signing report and reminders: which people stand where (as SQL
//! conditions for the shared people query), their signatures and the roles they were
//! given. Every query takes the organisation.

use super::queries::VersionRow;
use super::queries::{SignatureRow, SIGNATURE_COLUMNS};
use super::rules::{covering, due_cutoff};
use super::types::SignStatus;
use crate::db::Db;
use crate::ids::{OrganisationId, PersonId, PolicyVersionId};
use crate::people::queries::{Sql, CHUNK};
use chrono::{DateTime, Utc};

/// What decides a person's status with one policy, as values for SQL: the versions whose
/// signature covers the current one, every published version, and (on a schedule) the
/// time at or before which a covering signature is due again. The same rules as
/// `rules::standing`, which gives the status of each row shown.
pub struct Signing {
    covering: Vec<PolicyVersionId>,
    all: Vec<PolicyVersionId>,
    due_cutoff: Option<String>,
}

impl Signing {
    pub fn new(
        versions: &[VersionRow],
        current: &VersionRow,
        every_months: Option<u32>,
        now: DateTime<Utc>,
    ) -> Signing {
        Signing {
            covering: covering(versions, current).map(|v| v.id.clone()).collect(),
            all: versions.iter().map(|v| v.id.clone()).collect(),
            due_cutoff: every_months.map(|months| due_cutoff(now, months)),
        }
    }

    /// ` AND ...`: only people (`u`) with `status`.
    pub fn only(&self, sql: &mut Sql, status: SignStatus) {
        match status {
            SignStatus::Signed => {
                sql.push(" AND ");
                self.covered(sql, true);
            }
            SignStatus::Due => match &self.due_cutoff {
                Some(_) => {
                    sql.push(" AND ");
                    self.covered(sql, false);
                    sql.push(" AND NOT ");
                    self.covered(sql, true);
                }
                None => {
                    sql.push(" AND 1 = 0");
                }
            },
            SignStatus::SignedOlder => {
                sql.push(" AND NOT ");
                self.covered(sql, false);
                sql.push(" AND ");
                signed_any(sql, &self.all);
            }
            SignStatus::NotSigned => {
                sql.push(" AND NOT ");
                signed_any(sql, &self.all);
            }
        }
    }

    /// `EXISTS` a signature covering the current version that is not yet due again: the
    /// person (`u`) stands signed.
    pub fn signed_now(&self, sql: &mut Sql) {
        self.covered(sql, true);
    }

    /// `EXISTS` a parent's acknowledgement covering the current version, for the learner `u`
    /// (the same versions a signature must cover).
    pub fn parent_acknowledged(&self, sql: &mut Sql) {
        sql.push(
            "EXISTS (SELECT 1 FROM parent_acknowledgements a WHERE a.learner_id = u.id AND a.version_id ",
        )
        .bind_in(&self.covering)
        .push(")");
    }

    /// `EXISTS` a signature covering the current version (`recent`: and not yet due).
    fn covered(&self, sql: &mut Sql, recent: bool) {
        sql.push(
            "EXISTS (SELECT 1 FROM policy_signatures s WHERE s.user_id = u.id AND s.version_id ",
        )
        .bind_in(&self.covering);
        if let (true, Some(cutoff)) = (recent, &self.due_cutoff) {
            // Stored times sort as text (`db::timestamp`).
            sql.push(" AND s.signed_at > ").bind(cutoff);
        }
        sql.push(")");
    }
}

/// `EXISTS` a signature of any of `versions`.
fn signed_any(sql: &mut Sql, versions: &[PolicyVersionId]) {
    sql.push("EXISTS (SELECT 1 FROM policy_signatures s WHERE s.user_id = u.id AND s.version_id ")
        .bind_in(versions)
        .push(")");
}

/// The signatures of the listed people, newest first.
pub async fn signatures_of_people(
    db: &Db,
    org_id: &OrganisationId,
    ids: &[PersonId],
) -> Result<Vec<SignatureRow>, sqlx::Error> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let mut sql = Sql::default();
        sql.push(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM policy_signatures WHERE org_id = "
        ))
        .bind(org_id.as_str())
        .push(" AND user_id ")
        .bind_in(chunk)
        .push(" ORDER BY signed_at DESC");
        out.extend(sql.fetch_all::<SignatureRow>(db).await?);
    }
    // Chunks are each newest first; the whole list must be too.
    out.sort_by(|a, b| b.signed_at.cmp(&a.signed_at));
    Ok(out)
}

/// Every role given in the organisation, as (person, role, given at): when each person
/// was first asked to sign, for the automatic reminders.
pub async fn roles_given(
    db: &Db,
    org_id: &OrganisationId,
) -> Result<Vec<(PersonId, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT user_id, role, granted_at FROM user_roles WHERE org_id = $1")
        .bind(org_id)
        .fetch_all(db)
        .await
}

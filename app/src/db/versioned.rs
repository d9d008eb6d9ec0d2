//! An organisation's settings kept in memory, each copy under the organisation's
//! `settings_version`: a number the database itself raises, in the same transaction, with
//! every change to the organisation's module choices, its own modules or its contacts
//! (triggers in migration 21). The gate reads the number with the person on every page,
//! so a copy is used only while it is current, whichever server made the change.
//!
//! Why this is safe against a change landing mid-request: the version is always read
//! *before* the data it labels, so a copy is never older than its label says; at worst it
//! is newer, and the next request, reading the higher number, loads it again.

use super::Db;
use crate::ids::OrganisationId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// One organisation's current copy of `T`, under the version it was loaded at.
pub struct ByVersion<T> {
    kept: Mutex<HashMap<OrganisationId, (i64, Arc<T>)>>,
}

impl<T> Default for ByVersion<T> {
    fn default() -> Self {
        ByVersion {
            kept: Mutex::new(HashMap::new()),
        }
    }
}

impl<T> ByVersion<T> {
    /// The copy kept for `org_id` at exactly `version`, if any.
    pub fn get(&self, org_id: &OrganisationId, version: i64) -> Option<Arc<T>> {
        let kept = self.kept.lock().ok()?;
        kept.get(org_id)
            .filter(|(v, _)| *v == version)
            .map(|(_, value)| Arc::clone(value))
    }

    /// Keep `value` as `org_id`'s copy at `version`, in place of any other. (Two requests
    /// racing across a change may put the older copy back: the next request then misses
    /// and loads again. A lookup needs the exact version, so no copy is ever used stale.)
    pub fn keep(&self, org_id: &OrganisationId, version: i64, value: Arc<T>) {
        if let Ok(mut kept) = self.kept.lock() {
            kept.insert(org_id.clone(), (version, value));
        }
    }
}

/// The organisation's settings version, read from the database (for callers outside a
/// page, which have no gate answer to take it from).
pub async fn settings_version(db: &Db, org_id: &OrganisationId) -> Result<i64, sqlx::Error> {
    let version: Option<(i64,)> =
        sqlx::query_as("SELECT settings_version FROM organisations WHERE id = $1")
            .bind(org_id)
            .fetch_optional(db)
            .await?;
    Ok(version.map(|(v,)| v).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_found_only_under_its_own_version() {
        let kept: ByVersion<&str> = ByVersion::default();
        let org = OrganisationId::from_param("org");
        let other = OrganisationId::from_param("other");
        assert!(kept.get(&org, 1).is_none());
        kept.keep(&org, 1, Arc::new("one"));
        assert_eq!(kept.get(&org, 1).as_deref(), Some(&"one"));
        assert!(kept.get(&org, 2).is_none(), "a newer version misses");
        assert!(kept.get(&other, 1).is_none(), "another organisation misses");
    }

    #[test]
    fn the_last_copy_kept_is_the_one_found() {
        let kept: ByVersion<&str> = ByVersion::default();
        let org = OrganisationId::from_param("org");
        kept.keep(&org, 3, Arc::new("three"));
        kept.keep(&org, 4, Arc::new("four"));
        assert!(kept.get(&org, 3).is_none());
        assert_eq!(kept.get(&org, 4).as_deref(), Some(&"four"));
    }
}

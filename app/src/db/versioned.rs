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

    /// The copy for `org_id` at `version`, loaded with `load` (and kept) when there is
    /// none. `version` must have been read before `load` reads the data (see above).
    pub async fn get_or_load<E>(
        &self,
        org_id: &OrganisationId,
        version: i64,
        load: impl std::future::Future<Output = Result<T, E>>,
    ) -> Result<Arc<T>, E> {
        if let Some(kept) = self.get(org_id, version) {
            return Ok(kept);
        }
        let loaded = Arc::new(load.await?);
        self.keep(org_id, version, Arc::clone(&loaded));
        Ok(loaded)
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

    #[tokio::test]
    async fn a_copy_is_loaded_once_per_version() {
        let kept: ByVersion<u32> = ByVersion::default();
        let org = OrganisationId::from_param("org");
        let loads = std::sync::atomic::AtomicU32::new(0);
        let load = |n: u32| {
            loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move { Ok::<u32, ()>(n) }
        };
        assert_eq!(*kept.get_or_load(&org, 1, load(10)).await.unwrap(), 10);
        assert_eq!(*kept.get_or_load(&org, 1, load(11)).await.unwrap(), 10);
        assert_eq!(*kept.get_or_load(&org, 2, load(12)).await.unwrap(), 12);
        assert_eq!(loads.load(std::sync::atomic::Ordering::SeqCst), 3);
        let failed = kept
            .get_or_load(&org, 3, async { Err::<u32, ()>(()) })
            .await;
        assert!(
            failed.is_err() && kept.get(&org, 3).is_none(),
            "a failed load keeps nothing"
        );
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

//! A short memory of who had nothing left to sign, so the policy gate (run before every
//! page) asks the database one small question instead of working it all out again.
//!
//! An entry holds the person's organisation and its policy "stamp" (how many versions
//! are in force, and when the schedule last changed): a new version or schedule, from any
//! server sharing the database, changes the stamp and the entry no longer counts. Entries
//! also expire after 30 seconds, which bounds what the stamp cannot see: a role given on
//! another server (this server forgets the person at once) or a signature falling due on
//! the schedule.

use crate::ids::{OrganisationId, PersonId};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FRESH_FOR: Duration = Duration::from_secs(30);
/// Above this many entries, stale ones are swept out (memory stays bounded).
const SWEEP_ABOVE: usize = 10_000;

struct Clear {
    org_id: OrganisationId,
    stamp: String,
    at: Instant,
}

#[derive(Default)]
pub struct SignedRecently {
    clear: Mutex<HashMap<PersonId, Clear>>,
}

impl SignedRecently {
    /// The organisation and stamp `user_id` was clear under, if less than 30 seconds ago.
    pub fn clear_under(&self, user_id: &PersonId) -> Option<(OrganisationId, String)> {
        let seen = self.clear.lock().ok()?;
        seen.get(user_id)
            .filter(|c| c.at.elapsed() < FRESH_FOR)
            .map(|c| (c.org_id.clone(), c.stamp.clone()))
    }

    /// After a change to this person that can give them a policy to sign (a new role).
    pub fn forget(&self, user_id: &PersonId) {
        if let Ok(mut seen) = self.clear.lock() {
            seen.remove(user_id);
        }
    }

    pub fn remember_clear(&self, user_id: &PersonId, org_id: &OrganisationId, stamp: String) {
        if let Ok(mut seen) = self.clear.lock() {
            if seen.len() > SWEEP_ABOVE {
                seen.retain(|_, c| c.at.elapsed() < FRESH_FOR);
            }
            let entry = Clear {
                org_id: org_id.clone(),
                stamp,
                at: Instant::now(),
            };
            seen.insert(user_id.clone(), entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_person_is_clear_under_their_organisation_and_stamp() {
        let memory = SignedRecently::default();
        let (a, b) = (PersonId::from_param("a"), PersonId::from_param("b"));
        let org = OrganisationId::from_param("org");
        assert_eq!(memory.clear_under(&a), None);
        memory.remember_clear(&a, &org, "3|".to_string());
        assert_eq!(memory.clear_under(&a), Some((org, "3|".to_string())));
        assert_eq!(memory.clear_under(&b), None);
    }
}

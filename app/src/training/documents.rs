//! The status of a requirement met by reading and acknowledging a document the
//! organisation publishes in editions (see `crate::documents`). Pure, like `rules`: no
//! database and no clock.
//!
//! The rules, in the words the People department reads:
//!
//! - **What counts** is an acknowledgement of the **current** edition: the newest
//!   published edition whose "in force from" day has come. An acknowledgement of an
//!   earlier edition is kept in the history but does not count. Once acknowledged, the
//!   person is compliant until a new edition takes effect (documents come round again with
//!   their editions, so the requirement's renewal setting is not used).
//! - **No edition in force yet**: nothing to read, so "not required" (it does not apply
//!   yet), rather than a due date nobody could meet.
//! - **A new starter** (the requirement began to apply to them on or after the day the
//!   current edition took effect) is due as for any requirement: their first due date.
//! - **Someone already in post** when the current edition took effect (the first edition
//!   too: a document published for the first time is new to everyone) is due the
//!   edition's "in force from" day plus the requirement's days (`WithinDaysOfStart`), but
//!   never before their own first due date. For a requirement due "by a fixed date", that
//!   date is for the first time it applies; an edition after that gives
//!   [`NEW_EDITION_DAYS_BY_DATE`] days from when it takes effect (the induction period
//!   the defaults use), again never before their first due date.
//! - Leavers and people it does not apply to are "not required", as in `rules`.

use super::rules::{applies_from, first_due, status_of, Cycle};
use super::types::{FirstDue, NotRequiredReason, Requirement, StaffFacts, Status};
use crate::ids::{PersonId, PolicyVersionId};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Days to read a new edition of a document whose requirement is due "by a fixed date".
pub const NEW_EDITION_DAYS_BY_DATE: u32 = 28;

/// A published edition of a document: its number and the day it takes effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edition {
    pub number: u32,
    pub effective_from: NaiveDate,
}

/// Where `facts` stands on `today` with a requirement met by a document, given the
/// document's current edition (None: none in force yet) and the day they acknowledged
/// that very edition (None: not yet; an earlier edition's acknowledgement is None here).
pub fn document_status(
    requirement: &Requirement,
    facts: &StaffFacts,
    current: Option<Edition>,
    acknowledged_current_on: Option<NaiveDate>,
    today: NaiveDate,
    due_soon_days: u32,
) -> Status {
    if facts.leaving.is_some_and(|last_day| last_day <= today) {
        return Status::NotRequired {
            reason: NotRequiredReason::Left,
        };
    }
    let not_applying = Status::NotRequired {
        reason: NotRequiredReason::DoesNotApply,
    };
    let Some(from) = applies_from(&requirement.applies_to, facts) else {
        return not_applying;
    };
    let Some(edition) = current.filter(|e| e.effective_from <= today) else {
        return not_applying;
    };
    if acknowledged_current_on.is_some_and(|day| day <= today) {
        return Status::Compliant { until: None };
    }
    let cycle = Cycle {
        due: Some(edition_due(requirement, from, edition)),
        opens: NaiveDate::MIN,
        met: false,
    };
    status_of(&cycle, today, due_soon_days)
}

/// The day `edition` must be acknowledged by, for someone to whom the requirement
/// applies from `from` (see the module's rules).
pub fn edition_due(requirement: &Requirement, from: NaiveDate, edition: Edition) -> NaiveDate {
    let first = first_due(requirement, from);
    if from >= edition.effective_from {
        return first;
    }
    let days = match requirement.first_due {
        FirstDue::WithinDaysOfStart { days } => days,
        FirstDue::ByDate { .. } => NEW_EDITION_DAYS_BY_DATE,
    };
    edition
        .effective_from
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
        .max(first)
}

/// A published edition as stored: which document (its key), which version row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedEdition {
    pub document: String,
    pub version_id: PolicyVersionId,
    pub edition: Edition,
}

/// An acknowledgement as stored: who, of which version row, on which day (London).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acknowledgement {
    pub person: PersonId,
    pub version_id: PolicyVersionId,
    pub on: NaiveDate,
}

/// What the status needs about an organisation's documents, for many people at once: each
/// document's current edition, and who acknowledged it when.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentFacts {
    /// Document key -> its current edition (the version row and the edition).
    current: HashMap<String, (PolicyVersionId, Edition)>,
    /// (person, version row) -> the first day they acknowledged it.
    acknowledged: HashMap<(PersonId, PolicyVersionId), NaiveDate>,
}

impl DocumentFacts {
    /// From every published edition and the acknowledgements loaded: the current edition
    /// of each document is the newest in force on `today`.
    pub fn new(
        editions: Vec<PublishedEdition>,
        acknowledgements: Vec<Acknowledgement>,
        today: NaiveDate,
    ) -> DocumentFacts {
        let mut current: HashMap<String, (PolicyVersionId, Edition)> = HashMap::new();
        for e in editions
            .into_iter()
            .filter(|e| e.edition.effective_from <= today)
        {
            let newer = current
                .get(&e.document)
                .is_none_or(|(_, kept)| e.edition.number > kept.number);
            if newer {
                current.insert(e.document, (e.version_id, e.edition));
            }
        }
        let mut acknowledged: HashMap<(PersonId, PolicyVersionId), NaiveDate> = HashMap::new();
        for a in acknowledgements {
            let day = acknowledged.entry((a.person, a.version_id)).or_insert(a.on);
            *day = (*day).min(a.on);
        }
        DocumentFacts {
            current,
            acknowledged,
        }
    }

    /// The current edition of the document `key`, if one is in force.
    pub fn current(&self, key: &str) -> Option<Edition> {
        self.current.get(key).map(|(_, edition)| *edition)
    }

    /// The day `person` acknowledged the current edition of `key` (an earlier edition's
    /// acknowledgement does not count).
    pub fn acknowledged_current_on(&self, person: &PersonId, key: &str) -> Option<NaiveDate> {
        let (version_id, _) = self.current.get(key)?;
        self.acknowledged
            .get(&(person.clone(), version_id.clone()))
            .copied()
    }

    /// [`document_status`] for `person` and a requirement met by the document `key`.
    pub fn status(
        &self,
        requirement: &Requirement,
        person: &PersonId,
        facts: &StaffFacts,
        key: &str,
        today: NaiveDate,
        due_soon_days: u32,
    ) -> Status {
        document_status(
            requirement,
            facts,
            self.current(key),
            self.acknowledged_current_on(person, key),
            today,
            due_soon_days,
        )
    }
}

#[cfg(test)]
#[path = "documents_tests.rs"]
mod tests;

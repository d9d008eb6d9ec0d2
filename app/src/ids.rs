//! Typed ids: a function that takes a person's id cannot be given an organisation's.
//!
//! Each is a `String` underneath, stored as TEXT and sent as a plain string (to the
//! browser, in forms and in URLs: `#[serde(transparent)]`), so nothing changes on the
//! wire or in the database. An id is made only where it really comes from:
//! - read from the database (sqlx decodes it, behind the `ssr` feature);
//! - [`generate`](PersonId::generate)d for a new record (a random UUID, server only);
//! - taken from a URL or form parameter ([`from_param`](PersonId::from_param), or
//!   deserialised as a server-function argument); whether it names anything is for the
//!   database to say, with the asker's organisation in the query.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(String);

        impl $name {
            /// The id as it arrives in a URL or a form (or a content file's name), as is.
            pub fn from_param(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The same id without surrounding spaces, as some forms always accepted it.
            pub fn trimmed(&self) -> Self {
                Self(self.0.trim().to_string())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// Ids of records the app creates itself: a new one is a random UUID (`db::new_id`), or
/// with `ordered`, a UUIDv7 (`db::ordered_id`) for rows written in bulk and in time order
/// (the outbox): it starts with the time, so each new row lands at the end of the primary
/// key's index instead of at a random place in it (random keys made a go-live day's run
/// of 100,000 emails a quarter slower, in page reads and writes).
macro_rules! generated_id {
    ($(#[$doc:meta])* $name:ident) => {
        generated_id!($(#[$doc])* $name, new_id);
    };
    ($(#[$doc:meta])* $name:ident, ordered) => {
        generated_id!($(#[$doc])* $name, ordered_id);
    };
    ($(#[$doc:meta])* $name:ident, $make:ident) => {
        typed_id!($(#[$doc])* $name);

        #[cfg(feature = "ssr")]
        impl $name {
            /// A new id, for a record about to be inserted.
            pub fn generate() -> Self {
                Self(crate::db::$make())
            }
        }
    };
}

generated_id!(
    /// A person: `users.id` (and every `user_id`, `learner_id`, `actor_id`, `*_by` column).
    PersonId
);
generated_id!(
    /// An organisation: `organisations.id`, and every `org_id` column.
    OrganisationId
);
generated_id!(
    /// A version of an acceptable use policy, draft or published: `policy_versions.id`.
    PolicyVersionId
);
generated_id!(
    /// A person's signature of a policy version: `policy_signatures.id`.
    SignatureId
);
generated_id!(
    /// One attempt at a module's quiz: `quiz_attempts.id`.
    AttemptId
);
generated_id!(
    /// An email in the outbox: `outbox.id` (also its `Message-ID` and part of the key that
    /// seals its bodies).
    EmailId,
    ordered
);
generated_id!(
    /// A single-use link emailed to a parent or carer: `parent_links.id`.
    ParentLinkId
);
generated_id!(
    /// A staff training requirement of an organisation: `training_requirements.id`.
    RequirementId
);
generated_id!(
    /// A recorded training completion (or a correction of one): `training_completions.id`.
    CompletionId
);
generated_id!(
    /// A document an organisation publishes in editions for staff to read and
    /// acknowledge: `documents.id`.
    DocumentId
);
generated_id!(
    /// A briefing the People department recorded (a team meeting, an e-bulletin):
    /// `training_briefings.id`.
    BriefingId
);
generated_id!(
    /// An external course someone recorded with its certificate: `external_courses.id`.
    ExternalCourseId
);
generated_id!(
    /// A certificate file kept in the database: `evidence_files.id`.
    EvidenceFileId
);
generated_id!(
    /// A cohort of learners with its tutors: `cohorts.id`.
    CohortId
);
typed_id!(
    /// An induction module: the name of its content folder (`content/modules/grooming`),
    /// or the `id` an organisation gave its own module. Stored in every `module_id` column.
    ModuleSlug
);
typed_id!(
    /// A section of a module, unique within it: made from its heading when the content is read.
    SectionSlug
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_crosses_the_wire_as_a_plain_string() {
        let id = PersonId::from_param("p-1");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"p-1\"");
        let back: PersonId = serde_json::from_str("\"p-1\"").unwrap();
        assert_eq!(back, id);
        assert_eq!(id.to_string(), "p-1");
        assert_eq!(id.as_str(), "p-1");
    }

    #[test]
    fn new_ids_are_distinct_uuids() {
        let (a, b) = (OrganisationId::generate(), OrganisationId::generate());
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 36);
    }
}

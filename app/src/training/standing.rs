//! Where the organisation's staff stand with their training today: the one place that
//! joins requirements, staff facts and completions into statuses, for "My training",
//! a manager's team, the People dashboard and a rule's preview alike. Loading is a fixed
//! number of queries (see `standing_queries`); the statuses are the pure `rules`.

use super::documents::DocumentFacts;
use super::evidence_queries;
use super::queries;
use super::rules;
use super::standing_queries::{self, RecordedDays};
use super::types::{Requirement, RequirementRecord, SatisfiedBy, StaffFacts, Status, StatusCounts};
use crate::calendar;
use crate::db::{self, Db};
use crate::documents::queries as document_queries;
use crate::ids::{ModuleSlug, OrganisationId, PersonId, RequirementId};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Whose training to load.
pub enum Scope<'a> {
    /// Every member of staff of the organisation.
    Organisation,
    /// Only these people (those who are not staff of the organisation are left out).
    People(&'a [PersonId]),
}

/// A member of staff as the training views show them.
#[derive(Clone, Debug)]
pub struct StaffMember {
    pub id: PersonId,
    pub name: String,
    pub email: String,
    pub manager_id: Option<PersonId>,
    /// Their line manager's name (None: no manager, or not in the organisation).
    pub manager_name: Option<String>,
    pub employee_number: Option<String>,
    pub facts: StaffFacts,
}

/// Everything needed to say where the staff in scope stand, loaded once for one day (a
/// document's current edition is the one in force that day).
pub struct Standing {
    /// The requirements in force, in the order shown.
    pub requirements: Vec<RequirementRecord>,
    pub due_soon_days: u32,
    /// The staff in scope, by name.
    pub staff: Vec<StaffMember>,
    recorded: RecordedDays,
    passes: HashMap<PersonId, Vec<(ModuleSlug, NaiveDate)>>,
    /// The documents' current editions on the day loaded, and who acknowledged them.
    documents: DocumentFacts,
}

/// Load the organisation's requirements and the staff in `scope` with their completions.
pub async fn load(
    db: &Db,
    org_id: &OrganisationId,
    scope: Scope<'_>,
) -> Result<Standing, sqlx::Error> {
    load_on(db, org_id, scope, calendar::today()).await
}

/// [`load`] for the day `day` (documents' editions in force that day), as the reminders
/// run for a day given on the command line.
pub async fn load_on(
    db: &Db,
    org_id: &OrganisationId,
    scope: Scope<'_>,
    day: NaiveDate,
) -> Result<Standing, sqlx::Error> {
    let requirements = queries::requirements_of(db, org_id).await?;
    let due_soon_days = queries::due_soon_days(db, org_id).await?;
    let staff = standing_queries::staff(db, org_id, &scope).await?;
    let recorded = standing_queries::recorded_days(db, org_id, &scope).await?;
    let passes = standing_queries::module_passes(db, org_id, &scope).await?;
    let people = match scope {
        Scope::Organisation => None,
        Scope::People(people) => Some(people),
    };
    let documents = document_queries::document_facts(db, org_id, people, day).await?;
    Ok(Standing {
        requirements,
        due_soon_days,
        staff,
        recorded,
        passes,
        documents,
    })
}

/// The organisation's requirements and staff with their completions as the records
/// stood at the end of `day` in London, rebuilt from the history the database keeps.
/// The "due soon" days are today's setting (it has no history).
pub async fn load_as_it_stood(
    db: &Db,
    org_id: &OrganisationId,
    day: NaiveDate,
) -> Result<Standing, sqlx::Error> {
    let cutoff = calendar::end_of_day(day)
        .map(db::timestamp)
        .ok_or_else(|| sqlx::Error::Protocol(format!("no end to the day {day}")))?;
    let editions = document_queries::published_editions(db, org_id, Some(&cutoff)).await?;
    let acknowledged = document_queries::acknowledgements(db, org_id, None)
        .await?
        .into_iter()
        .filter(|a| a.on <= day)
        .collect();
    Ok(Standing {
        documents: DocumentFacts::new(editions, acknowledged, day),
        requirements: evidence_queries::requirements_at(db, org_id, &cutoff).await?,
        due_soon_days: queries::due_soon_days(db, org_id).await?,
        staff: evidence_queries::staff_at(db, org_id, &cutoff).await?,
        recorded: evidence_queries::recorded_days_at(db, org_id, &cutoff).await?,
        passes: evidence_queries::module_passes_at(db, org_id, &cutoff).await?,
    })
}

impl Standing {
    /// A standing with no completions at all, for tests of what is built on it.
    #[cfg(test)]
    pub fn without_completions(
        requirements: Vec<RequirementRecord>,
        staff: Vec<StaffMember>,
    ) -> Standing {
        Standing {
            requirements,
            due_soon_days: super::DEFAULT_DUE_SOON_DAYS,
            staff,
            recorded: RecordedDays::default(),
            passes: HashMap::new(),
            documents: DocumentFacts::default(),
        }
    }

    /// Where `person` stands with `requirement` on `today`.
    pub fn status(
        &self,
        person: &StaffMember,
        requirement: &RequirementRecord,
        today: NaiveDate,
    ) -> Status {
        self.status_for(
            person,
            &requirement.requirement,
            Some(&requirement.id),
            today,
        )
    }

    /// The same for a requirement that may not be stored yet (`id` None: a new one, with
    /// no recorded completions; passes of its module still count).
    pub fn status_for(
        &self,
        person: &StaffMember,
        requirement: &Requirement,
        id: Option<&RequirementId>,
        today: NaiveDate,
    ) -> Status {
        let recorded = id
            .into_iter()
            .flat_map(|id| self.recorded.days(&person.id, id));
        let passes = self
            .passes
            .get(&person.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if let SatisfiedBy::Document { document } = &requirement.satisfied_by {
            return self.documents.status(
                requirement,
                &person.id,
                &person.facts,
                document,
                today,
                self.due_soon_days,
            );
        }
        let done = rules::days_done(&requirement.satisfied_by, recorded, passes);
        rules::status(requirement, &person.facts, &done, today, self.due_soon_days)
    }

    /// Every person's status with every requirement in force, in the order of each.
    pub fn statuses(&self, today: NaiveDate) -> Vec<(&StaffMember, Vec<Status>)> {
        self.staff
            .iter()
            .map(|person| {
                let row = self
                    .requirements
                    .iter()
                    .map(|requirement| self.status(person, requirement, today))
                    .collect();
                (person, row)
            })
            .collect()
    }

    /// How many of the staff would stand where with `requirement` today: the preview
    /// shown before a rule is added or changed (`id`: the stored rule it changes).
    pub fn preview(
        &self,
        requirement: &Requirement,
        id: Option<&RequirementId>,
        today: NaiveDate,
    ) -> StatusCounts {
        let mut counts = StatusCounts::default();
        for person in &self.staff {
            counts.add(&self.status_for(person, requirement, id, today));
        }
        counts
    }
}

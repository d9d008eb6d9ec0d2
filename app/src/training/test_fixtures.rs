//! Made-up requirements and staff for the unit tests of `training` and `reminders`.

use crate::auth::Role;
use crate::ids::{PersonId, RequirementId};
use crate::training::standing::StaffMember;
use crate::training::{
    AppliesTo, FirstDue, HeldRole, Renewal, Requirement, RequirementRecord, SatisfiedBy, StaffFacts,
};
use chrono::NaiveDate;

pub fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date in the test")
}

/// "Rule ID", for all staff, met by an external course, first due `days` after the
/// start, never renewed.
pub fn requirement(id: &str, days: u32) -> RequirementRecord {
    RequirementRecord {
        id: RequirementId::from_param(id),
        default_key: None,
        requirement: Requirement {
            name: format!("Rule {id}"),
            level: String::new(),
            satisfied_by: SatisfiedBy::ExternalCourse,
            applies_to: AppliesTo::AllStaff,
            first_due: FirstDue::WithinDaysOfStart { days },
            renews: Renewal::Never,
            window_days: None,
            grace: None,
        },
    }
}

/// A member of staff since `start` holding `role` since then, with no manager and in no
/// department; email `ID@example.test`.
pub fn member(id: &str, name: &str, start: &str, role: Role) -> StaffMember {
    StaffMember {
        id: PersonId::from_param(id),
        name: name.to_string(),
        email: format!("{id}@example.test"),
        manager_id: None,
        manager_name: None,
        employee_number: None,
        facts: StaffFacts {
            start: day(start),
            leaving: None,
            roles: vec![HeldRole {
                role,
                since: day(start),
            }],
            department: None,
            job_title: None,
        },
    }
}

/// `person` with `manager` (named "Manager MANAGER") as their line manager, if any.
pub fn managed_by(mut person: StaffMember, manager: Option<&str>) -> StaffMember {
    person.manager_id = manager.map(PersonId::from_param);
    person.manager_name = manager.map(|m| format!("Manager {m}"));
    person
}

//! The training requirements every organisation starts with, reflecting UK practice for
//! further education and training providers (Keeping Children Safe in Education, the
//! Prevent duty). They are only a start: the People department edits them like any
//! other. Levels are local labels, not law.
//!
//! The migration `20261202000012_training_requirements.sql` gives the same defaults to
//! organisations that existed before it; a test keeps the two the same.

use super::types::{AppliesTo, FirstDue, Renewal, Requirement, SatisfiedBy};
use crate::auth::Role;
use crate::ids::ModuleSlug;

/// Our built-in staff online safety module (`content/modules/staff-online-safety`).
pub const STAFF_MODULE: &str = "staff-online-safety";

/// A default and the stable key that says which one it is, in the order shown.
pub struct DefaultRequirement {
    pub key: &'static str,
    pub requirement: Requirement,
}

pub fn defaults() -> Vec<DefaultRequirement> {
    vec![
        staff_module(),
        safeguarding_update(),
        dsl_training(),
        dsl_update(),
        prevent(),
    ]
}

/// The staff e-safety module at induction: within 28 days of starting, once.
fn staff_module() -> DefaultRequirement {
    DefaultRequirement {
        key: "staff-online-safety",
        requirement: Requirement {
            name: "Staff online safety training".into(),
            level: "Induction".into(),
            satisfied_by: SatisfiedBy::Module {
                module_id: ModuleSlug::from_param(STAFF_MODULE),
            },
            applies_to: AppliesTo::AllStaff,
            first_due: FirstDue::WithinDaysOfStart { days: 28 },
            renews: Renewal::Never,
            window_days: None,
            grace: None,
        },
    }
}

/// The yearly update for everyone (KCSIE: safeguarding and online safety training
/// "regularly updated", at least annually). A new edition of KCSIE takes effect on 1
/// September and providers brief staff at the start of the academic year, so it is due
/// by 30 September each year, and anything from 1 July (91 days before) counts for that
/// year. A new starter's first is due within a year of starting.
fn safeguarding_update() -> DefaultRequirement {
    DefaultRequirement {
        key: "safeguarding-update",
        requirement: Requirement {
            name: "Annual safeguarding and online safety update".into(),
            level: "Level 2".into(),
            satisfied_by: SatisfiedBy::Briefing,
            applies_to: AppliesTo::AllStaff,
            first_due: FirstDue::WithinDaysOfStart { days: 365 },
            renews: Renewal::EveryYearOn { month: 9, day: 30 },
            window_days: Some(91),
            grace: None,
        },
    }
}

/// Designated Safeguarding Lead training, updated at least every two years (KCSIE Annex
/// C), counted from the course. A course has to be booked, so 90 days from the day the
/// role is given.
fn dsl_training() -> DefaultRequirement {
    DefaultRequirement {
        key: "dsl-training",
        requirement: Requirement {
            name: "Designated Safeguarding Lead training".into(),
            level: "Level 3".into(),
            satisfied_by: SatisfiedBy::ExternalCourse,
            applies_to: AppliesTo::Roles(vec![Role::Dsl]),
            first_due: FirstDue::WithinDaysOfStart { days: 90 },
            renews: Renewal::MonthsAfterCompletion { months: 24 },
            window_days: None,
            grace: None,
        },
    }
}

/// The DSL's knowledge and skills refreshed at least annually (KCSIE Annex C: e-bulletins,
/// meetings with other DSLs, reading), recorded as briefings.
fn dsl_update() -> DefaultRequirement {
    DefaultRequirement {
        key: "dsl-update",
        requirement: Requirement {
            name: "DSL knowledge update".into(),
            level: "Level 3".into(),
            satisfied_by: SatisfiedBy::Briefing,
            applies_to: AppliesTo::Roles(vec![Role::Dsl]),
            first_due: FirstDue::WithinDaysOfStart { days: 365 },
            renews: Renewal::MonthsAfterCompletion { months: 12 },
            window_days: None,
            grace: None,
        },
    }
}

/// Prevent awareness at induction, refreshed every two years: usually the Home Office's
/// online course, recorded with its certificate.
fn prevent() -> DefaultRequirement {
    DefaultRequirement {
        key: "prevent-awareness",
        requirement: Requirement {
            name: "Prevent awareness".into(),
            level: "Awareness".into(),
            satisfied_by: SatisfiedBy::ExternalCourse,
            applies_to: AppliesTo::AllStaff,
            first_due: FirstDue::WithinDaysOfStart { days: 28 },
            renews: Renewal::MonthsAfterCompletion { months: 24 },
            window_days: None,
            grace: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::training::checks;

    #[test]
    fn every_default_is_a_valid_requirement_with_its_own_key() {
        let all = defaults();
        for default in &all {
            assert_eq!(
                checks::check(&default.requirement),
                Ok(()),
                "{}",
                default.key
            );
        }
        let mut keys: Vec<_> = all.iter().map(|d| d.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), all.len());
    }

    #[test]
    fn the_defaults_are_the_uk_practice_the_issue_names() {
        let all = defaults();
        let find = |key: &str| {
            &all.iter()
                .find(|d| d.key == key)
                .expect("a default")
                .requirement
        };
        let module = find("staff-online-safety");
        assert_eq!(
            module.satisfied_by,
            SatisfiedBy::Module {
                module_id: ModuleSlug::from_param("staff-online-safety")
            }
        );
        assert_eq!(module.first_due, FirstDue::WithinDaysOfStart { days: 28 });
        assert_eq!(find("safeguarding-update").applies_to, AppliesTo::AllStaff);
        assert_eq!(
            find("dsl-training").renews,
            Renewal::MonthsAfterCompletion { months: 24 }
        );
        assert_eq!(
            find("dsl-update").applies_to,
            AppliesTo::Roles(vec![Role::Dsl])
        );
        let prevent = find("prevent-awareness");
        assert_eq!(prevent.first_due, FirstDue::WithinDaysOfStart { days: 28 });
        assert_eq!(
            prevent.renews,
            Renewal::MonthsAfterCompletion { months: 24 }
        );
    }
}

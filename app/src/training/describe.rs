//! A requirement in plain words, as the People department reads it on the list and in the
//! preview: "Staff online safety training — Induction. Passing the module 'Staff online
//! safety'. All staff. Due within 28 days of starting. Does not renew." And, for the
//! audit log, the names of the parts a change touched.

use super::requirement_form::{long_date, MONTHS};
use super::types::{AppliesTo, FirstDue, Renewal, Requirement, SatisfiedBy};
use crate::ids::ModuleSlug;

/// The requirement in sentences; `module_title` names a module by its id (None: unknown,
/// the id is shown instead).
pub fn describe(
    requirement: &Requirement,
    module_title: impl Fn(&ModuleSlug) -> Option<String>,
) -> String {
    let mut out = requirement.name.clone();
    if !requirement.level.trim().is_empty() {
        out.push_str(" — ");
        out.push_str(requirement.level.trim());
    }
    out.push_str(". ");
    out.push_str(&match &requirement.satisfied_by {
        SatisfiedBy::Module { module_id } => {
            let title = module_title(module_id).unwrap_or_else(|| module_id.to_string());
            format!("Passing the module '{title}'.")
        }
        SatisfiedBy::AnyModule => "Passing any of our modules.".into(),
        SatisfiedBy::ExternalCourse => "An external course, recorded with evidence.".into(),
        SatisfiedBy::Briefing => "Attending a briefing.".into(),
        SatisfiedBy::Document { document } => {
            format!("Reading and acknowledging the document '{document}'.")
        }
    });
    out.push(' ');
    out.push_str(&applies_to(&requirement.applies_to));
    out.push(' ');
    out.push_str(&match requirement.first_due {
        FirstDue::WithinDaysOfStart { days: 1 } => "Due within 1 day of starting.".into(),
        FirstDue::WithinDaysOfStart { days } => format!("Due within {days} days of starting."),
        FirstDue::ByDate { date } => format!("Due by {}.", long_date(date)),
    });
    out.push(' ');
    out.push_str(&renews(requirement.renews));
    if let Some(days) = requirement.window_days {
        out.push_str(&format!(
            " A completion counts for a due date from {days} {} before it.",
            if days == 1 { "day" } else { "days" }
        ));
    }
    if let Some(grace) = requirement.grace {
        out.push_str(&format!(
            " People already in post on {} have until {}.",
            long_date(grace.in_post_on),
            long_date(grace.until)
        ));
    }
    out
}

fn list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn applies_to(applies_to: &AppliesTo) -> String {
    match applies_to {
        AppliesTo::AllStaff => "All staff.".into(),
        AppliesTo::Roles(roles) => {
            let names: Vec<String> = roles.iter().map(|r| r.label().to_string()).collect();
            let word = if roles.len() == 1 { "role" } else { "roles" };
            format!("Staff with the {word} {}.", list(&names))
        }
        AppliesTo::Departments(names) => {
            let word = if names.len() == 1 {
                "department"
            } else {
                "departments"
            };
            format!("Staff in the {word} {}.", list(names))
        }
        AppliesTo::JobTitles(names) => {
            let word = if names.len() == 1 {
                "job title"
            } else {
                "job titles"
            };
            format!("Staff with the {word} {}.", list(names))
        }
    }
}

fn renews(renewal: Renewal) -> String {
    let months = |n: u32| {
        if n == 1 {
            "month".to_string()
        } else {
            format!("{n} months")
        }
    };
    match renewal {
        Renewal::Never => "Does not renew.".into(),
        Renewal::MonthsAfterCompletion { months: n } => {
            format!("Renews every {} from the last completion.", months(n))
        }
        Renewal::MonthsAfterDueDate { months: n } => {
            format!("Renews every {} from the previous due date.", months(n))
        }
        Renewal::EveryYearOn { month, day } => {
            let name = MONTHS
                .get(month.saturating_sub(1) as usize)
                .copied()
                .unwrap_or("?");
            format!("Renews every year on {day} {name}.")
        }
    }
}

/// The names of the parts that differ, for the audit log.
pub fn changed_fields(before: &Requirement, after: &Requirement) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let mut note = |same: bool, name| {
        if !same {
            changed.push(name);
        }
    };
    note(before.name == after.name, "name");
    note(before.level == after.level, "level");
    note(before.satisfied_by == after.satisfied_by, "satisfied by");
    note(before.applies_to == after.applies_to, "applies to");
    note(before.first_due == after.first_due, "first due");
    note(before.renews == after.renews, "renews");
    note(before.window_days == after.window_days, "window");
    note(before.grace == after.grace, "grace");
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;
    use crate::training::defaults::defaults;

    #[test]
    fn the_defaults_read_as_the_people_department_would_say_them() {
        let all = defaults();
        let title = |id: &ModuleSlug| {
            (id.as_str() == "staff-online-safety").then(|| "Staff online safety".to_string())
        };
        assert_eq!(
            describe(&all[0].requirement, title),
            "Staff online safety training — Induction. Passing the module 'Staff online safety'. All staff. Due within 28 days of starting. Does not renew."
        );
        let dsl = all
            .iter()
            .find(|d| d.key == "dsl-training")
            .expect("default");
        assert!(describe(&dsl.requirement, |_| None)
            .contains("Staff with the role Designated Safeguarding Lead. Due within 90 days of starting. Renews every 24 months from the last completion."));
    }

    #[test]
    fn a_change_is_named_by_its_parts() {
        let before = defaults().remove(0).requirement;
        let mut after = before.clone();
        assert!(changed_fields(&before, &after).is_empty());
        after.level = "Level 1".into();
        after.applies_to = AppliesTo::Roles(vec![Role::Tutor]);
        after.renews = Renewal::MonthsAfterCompletion { months: 12 };
        assert_eq!(
            changed_fields(&before, &after),
            vec!["level", "applies to", "renews"]
        );
    }
}

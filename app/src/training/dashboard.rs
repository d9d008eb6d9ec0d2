//! The dashboard's filters, counts, sorting and paging, shared by the page and the CSV.
//!
//! Why in memory and not in SQL: the counts need every person's status with every
//! requirement, and a status is computed from dates by `rules` (it is never stored, so it
//! is always right today). SQL cannot filter or sort on a value it does not have. So the
//! dashboard loads the whole organisation once with `Scope::Organisation` (five queries
//! whatever its size), computes each status once, and filters, sorts and pages here.

use super::standing::{StaffMember, Standing};
use super::types::{RequirementRecord, Status, StatusCounts};
use super::views::{CountsRow, DashboardChoices, DashboardFilters, RequirementHead, SortBy};
use super::words::StatusKind;
use crate::ids::{PersonId, RequirementId};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The longest text a filter may hold.
pub const MAX_FILTER_LENGTH: usize = 200;

/// The filters, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub status: Option<StatusKind>,
    pub requirement: Option<RequirementId>,
    /// Compared ignoring case and spacing.
    pub department: Option<String>,
    /// Only this line manager's own people.
    pub manager: Option<PersonId>,
    /// In the name or email, ignoring case.
    pub q: Option<String>,
    pub sort: SortBy,
    pub page: u32,
}

/// Text as people type it into an HR system: any case, any spacing.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A text filter: empty is none; too long or with control characters is refused (also
/// the reminder log's filters).
pub(crate) fn text(
    value: &Option<String>,
    what: &str,
    problems: &mut Vec<String>,
) -> Option<String> {
    let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().any(char::is_control) {
        problems.push(format!(
            "The {what} contains characters that cannot be used, so it was left out."
        ));
        return None;
    }
    if value.chars().count() > MAX_FILTER_LENGTH {
        problems.push(format!(
            "The {what} can be at most {MAX_FILTER_LENGTH} characters, so it was left out."
        ));
        return None;
    }
    Some(value.to_string())
}

/// A department as the organisation's records spell it (so the list shows it chosen),
/// or as typed when nobody is in it.
fn spelled_as_kept(department: &str, standing: &Standing) -> String {
    let wanted = normalise(department);
    standing
        .staff
        .iter()
        .filter_map(|p| p.facts.department.as_deref())
        .find(|d| normalise(d) == wanted)
        .map_or_else(|| department.to_string(), |d| d.trim().to_string())
}

impl Filters {
    /// The filters from the address, checked against the organisation: each one refused
    /// is left out, and `problems` says why in words. Never fails.
    pub fn read(raw: &DashboardFilters, standing: &Standing) -> (Filters, Vec<String>) {
        let mut problems = Vec::new();
        let status = text(&raw.status, "status", &mut problems).and_then(|s| {
            let kind = StatusKind::parse(&s);
            if kind.is_none() {
                problems.push(
                    "There is no such status. Choose overdue, due soon, not yet due, compliant or not required."
                        .to_string(),
                );
            }
            kind
        });
        let requirement = text(&raw.requirement, "requirement", &mut problems).and_then(|id| {
            let known = standing.requirements.iter().find(|r| r.id.as_str() == id);
            if known.is_none() {
                problems.push(
                    "That requirement is not one of your organisation's requirements. Choose one from the list."
                        .to_string(),
                );
            }
            known.map(|r| r.id.clone())
        });
        let manager = text(&raw.manager, "line manager", &mut problems).and_then(|id| {
            let known = standing
                .staff
                .iter()
                .filter_map(|p| p.manager_id.as_ref())
                .find(|m| m.as_str() == id);
            if known.is_none() {
                problems.push(
                    "That person is not a line manager in your organisation. Choose one from the list."
                        .to_string(),
                );
            }
            known.cloned()
        });
        let sort = text(&raw.sort, "sort order", &mut problems).map_or(SortBy::Name, |s| {
            SortBy::parse(&s).unwrap_or_else(|| {
                problems.push("Sort by name, department or most overdue.".to_string());
                SortBy::Name
            })
        });
        let filters = Filters {
            status,
            requirement,
            department: text(&raw.department, "department", &mut problems)
                .map(|d| spelled_as_kept(&d, standing)),
            manager,
            q: text(&raw.q, "search", &mut problems),
            sort,
            page: crate::people::parse_page(raw.page.as_deref()),
        };
        (filters, problems)
    }

    /// The filters in force as address values (`page` left out: each link sets its own).
    pub fn to_raw(&self) -> DashboardFilters {
        DashboardFilters {
            status: self.status.map(|s| s.as_str().to_string()),
            requirement: self.requirement.as_ref().map(|r| r.to_string()),
            department: self.department.clone(),
            manager: self.manager.as_ref().map(|m| m.to_string()),
            q: self.q.clone(),
            sort: (self.sort != SortBy::Name).then(|| self.sort.as_str().to_string()),
            page: None,
        }
    }

    fn keeps(&self, person: &StaffMember) -> bool {
        let department = self.department.as_deref().map(normalise);
        if department.is_some() && person.facts.department.as_deref().map(normalise) != department {
            return false;
        }
        if self.manager.is_some() && person.manager_id != self.manager {
            return false;
        }
        self.q.as_deref().map(str::to_lowercase).is_none_or(|q| {
            person.name.to_lowercase().contains(&q) || person.email.to_lowercase().contains(&q)
        })
    }
}

/// The people the filters keep, with their statuses for the requirements chosen.
pub struct Selection<'a> {
    pub requirements: Vec<&'a RequirementRecord>,
    /// Everyone kept by the filters other than status (the counts are of them, so each
    /// status's count stays in view while the list shows one).
    pub people: Vec<(&'a StaffMember, Vec<Status>)>,
}

pub fn select<'a>(standing: &'a Standing, filters: &Filters, today: NaiveDate) -> Selection<'a> {
    let requirements: Vec<&RequirementRecord> = standing
        .requirements
        .iter()
        .filter(|r| filters.requirement.as_ref().is_none_or(|id| &r.id == id))
        .collect();
    let people = standing
        .staff
        .iter()
        .filter(|person| filters.keeps(person))
        .map(|person| {
            let statuses = requirements
                .iter()
                .map(|r| standing.status(person, r, today))
                .collect();
            (person, statuses)
        })
        .collect();
    Selection {
        requirements,
        people,
    }
}

fn count(statuses: &[Status]) -> StatusCounts {
    let mut counts = StatusCounts::default();
    for status in statuses {
        counts.add(status);
    }
    counts
}

fn most_overdue(statuses: &[Status]) -> u32 {
    statuses
        .iter()
        .map(|s| match s {
            Status::Overdue { days, .. } => *days,
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

impl<'a> Selection<'a> {
    /// Every (person, requirement) pair, counted by status.
    pub fn counts(&self) -> StatusCounts {
        let all: Vec<Status> = self.people.iter().flat_map(|(_, s)| s.clone()).collect();
        count(&all)
    }

    pub fn by_requirement(&self) -> Vec<CountsRow> {
        self.requirements
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let column: Vec<Status> = self.people.iter().map(|(_, s)| s[i]).collect();
                CountsRow {
                    label: r.requirement.name.clone(),
                    counts: count(&column),
                }
            })
            .collect()
    }

    /// By department, in alphabetical order, with "No department recorded" last.
    pub fn by_department(&self) -> Vec<CountsRow> {
        let mut named: BTreeMap<String, (String, StatusCounts)> = BTreeMap::new();
        let mut none = StatusCounts::default();
        for (person, statuses) in &self.people {
            let counts = match person.facts.department.as_deref() {
                Some(d) => {
                    &mut named
                        .entry(normalise(d))
                        .or_insert_with(|| (d.trim().to_string(), StatusCounts::default()))
                        .1
                }
                None => &mut none,
            };
            for status in statuses {
                counts.add(status);
            }
        }
        let mut rows: Vec<CountsRow> = named
            .into_values()
            .map(|(label, counts)| CountsRow { label, counts })
            .collect();
        if none != StatusCounts::default() {
            rows.push(CountsRow {
                label: "No department recorded".to_string(),
                counts: none,
            });
        }
        rows
    }

    /// The people listed: with the status filter, those with that status for at least one
    /// requirement chosen; sorted as asked.
    pub fn listed(&self, filters: &Filters) -> Vec<&(&'a StaffMember, Vec<Status>)> {
        let mut listed: Vec<&(&StaffMember, Vec<Status>)> = self
            .people
            .iter()
            .filter(|(_, statuses)| {
                filters
                    .status
                    .is_none_or(|kind| statuses.iter().any(|s| StatusKind::of(s) == kind))
            })
            .collect();
        // The staff come by name already, and the sorts are stable: ties stay by name.
        match filters.sort {
            SortBy::Name => {}
            SortBy::Department => listed.sort_by_cached_key(|(p, _)| {
                let d = p.facts.department.as_deref().map(normalise);
                (d.is_none(), d)
            }),
            SortBy::MostOverdue => {
                listed.sort_by_key(|(_, s)| std::cmp::Reverse(most_overdue(s)));
            }
        }
        listed
    }
}

/// What the filter lists offer: the requirements, the departments and the line managers
/// of the whole organisation.
pub fn choices(standing: &Standing) -> DashboardChoices {
    let mut departments: BTreeMap<String, String> = BTreeMap::new();
    let mut managers: BTreeMap<PersonId, String> = BTreeMap::new();
    for person in &standing.staff {
        if let Some(d) = person.facts.department.as_deref() {
            departments
                .entry(normalise(d))
                .or_insert_with(|| d.trim().to_string());
        }
        if let (Some(id), Some(name)) = (&person.manager_id, &person.manager_name) {
            managers.insert(id.clone(), name.clone());
        }
    }
    let mut managers: Vec<(PersonId, String)> = managers.into_iter().collect();
    managers.sort_by_cached_key(|(_, name)| name.to_lowercase());
    DashboardChoices {
        requirements: standing.requirements.iter().map(head).collect(),
        departments: departments.into_values().collect(),
        managers,
    }
}

pub fn head(r: &RequirementRecord) -> RequirementHead {
    RequirementHead {
        id: r.id.clone(),
        name: r.requirement.name.clone(),
        level: r.requirement.level.clone(),
    }
}

#[cfg(test)]
#[path = "dashboard_tests.rs"]
mod tests;

//! Where someone stands, in words: the one place that turns a `Status` into what people
//! read, on every page and in the CSV, so "Overdue by 12 days" means the same everywhere
//! and a status is never shown by colour alone. Dates as people in the UK write them
//! ("30 Sep 2027"); only the CSV adds ISO days, for sorting in a spreadsheet.

use super::types::{NotRequiredReason, SatisfiedBy, Status, StatusCounts};
use crate::ids::RequirementId;
use crate::ui::encode_component;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A day as the views show it: "30 Sep 2027".
pub fn uk_date(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

fn days(n: u32) -> String {
    if n == 1 {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

/// The status in words: "Compliant until 30 Sep 2027", "Due soon: due 18 Dec 2026 (in 16
/// days)", "Overdue by 12 days (due 20 Nov 2026)", "Not yet due: due 30 Sep 2027",
/// "Not required (left)".
pub fn status_words(status: &Status) -> String {
    match *status {
        Status::Compliant { until: Some(until) } => format!("Compliant until {}", uk_date(until)),
        Status::Compliant { until: None } => "Compliant".to_string(),
        Status::DueSoon { due, days_left: 0 } => {
            format!("Due soon: due today ({})", uk_date(due))
        }
        Status::DueSoon { due, days_left } => {
            format!("Due soon: due {} (in {})", uk_date(due), days(days_left))
        }
        Status::Overdue { due, days: late } => {
            format!("Overdue by {} (due {})", days(late), uk_date(due))
        }
        Status::NotYetDue { due } => format!("Not yet due: due {}", uk_date(due)),
        Status::NotRequired {
            reason: NotRequiredReason::Left,
        } => "Not required (left)".to_string(),
        Status::NotRequired {
            reason: NotRequiredReason::DoesNotApply,
        } => "Not required".to_string(),
    }
}

/// The five kinds of status, most urgent first: what the filters, the counts and the
/// CSV's status column name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StatusKind {
    Overdue,
    DueSoon,
    NotYetDue,
    Compliant,
    NotRequired,
}

impl StatusKind {
    pub const ALL: [StatusKind; 5] = [
        StatusKind::Overdue,
        StatusKind::DueSoon,
        StatusKind::NotYetDue,
        StatusKind::Compliant,
        StatusKind::NotRequired,
    ];

    pub fn of(status: &Status) -> StatusKind {
        match status {
            Status::Overdue { .. } => StatusKind::Overdue,
            Status::DueSoon { .. } => StatusKind::DueSoon,
            Status::NotYetDue { .. } => StatusKind::NotYetDue,
            Status::Compliant { .. } => StatusKind::Compliant,
            Status::NotRequired { .. } => StatusKind::NotRequired,
        }
    }

    /// The value in an address (`?status=due-soon`).
    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Overdue => "overdue",
            StatusKind::DueSoon => "due-soon",
            StatusKind::NotYetDue => "not-yet-due",
            StatusKind::Compliant => "compliant",
            StatusKind::NotRequired => "not-required",
        }
    }

    pub fn parse(text: &str) -> Option<StatusKind> {
        let text = text.trim();
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The word people read: "Due soon".
    pub fn label(self) -> &'static str {
        match self {
            StatusKind::Overdue => "Overdue",
            StatusKind::DueSoon => "Due soon",
            StatusKind::NotYetDue => "Not yet due",
            StatusKind::Compliant => "Compliant",
            StatusKind::NotRequired => "Not required",
        }
    }

    pub fn count_in(self, counts: &StatusCounts) -> u32 {
        match self {
            StatusKind::Overdue => counts.overdue,
            StatusKind::DueSoon => counts.due_soon,
            StatusKind::NotYetDue => counts.not_yet_due,
            StatusKind::Compliant => counts.compliant,
            StatusKind::NotRequired => counts.not_required,
        }
    }
}

/// What a member of staff does next about one requirement, with where to do it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextStep {
    pub text: String,
    /// (address, link text)
    pub link: Option<(String, String)>,
}

/// The next step for the person themselves. Nothing to do when compliant or not
/// required; otherwise the way the requirement is met, with a link where there is one.
pub fn next_step(
    satisfied_by: &SatisfiedBy,
    requirement: &RequirementId,
    status: &Status,
    module_title: Option<&str>,
) -> NextStep {
    let nothing = |text: &str| NextStep {
        text: text.to_string(),
        link: None,
    };
    match status {
        Status::Compliant { .. } => return nothing("Nothing to do now."),
        Status::NotRequired { .. } => return nothing("Nothing to do."),
        _ => {}
    }
    let step = |text: String, href: String, label: &str| NextStep {
        text,
        link: Some((href, label.to_string())),
    };
    match satisfied_by {
        SatisfiedBy::Module { module_id } => step(
            format!("Pass the module {}.", quoted(module_title, module_id.as_str())),
            format!("/induction/{}", encode_component(module_id.as_str())),
            "Open the module",
        ),
        SatisfiedBy::AnyModule => step(
            "Pass any of your induction modules.".to_string(),
            "/induction".to_string(),
            "Go to My induction",
        ),
        SatisfiedBy::ExternalCourse => step(
            "Do a course, then record it here with its certificate.".to_string(),
            format!(
                "/training/courses/new?requirement={}",
                encode_component(requirement.as_str())
            ),
            "Record an external course",
        ),
        SatisfiedBy::Briefing => nothing(
            "Attend a briefing (a team meeting or a safeguarding e-bulletin): the People department records who attends.",
        ),
        SatisfiedBy::Document { document } => step(
            "Read the document and acknowledge it.".to_string(),
            format!("/documents/{}", encode_component(document)),
            "Read the document",
        ),
    }
}

/// How a requirement is met, for someone looking at another person's training.
pub fn how_met(satisfied_by: &SatisfiedBy, module_title: Option<&str>) -> String {
    match satisfied_by {
        SatisfiedBy::Module { module_id } => {
            format!(
                "Passing the module {}",
                quoted(module_title, module_id.as_str())
            )
        }
        SatisfiedBy::AnyModule => "Passing any induction module".to_string(),
        SatisfiedBy::ExternalCourse => "An external course, recorded with its certificate".into(),
        SatisfiedBy::Briefing => "A briefing, recorded by the People department".to_string(),
        SatisfiedBy::Document { .. } => "Reading and acknowledging a document".to_string(),
    }
}

fn quoted(title: Option<&str>, slug: &str) -> String {
    format!("“{}”", title.unwrap_or(slug))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ModuleSlug;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real day")
    }

    #[test]
    fn every_status_reads_as_words_with_uk_dates() {
        let cases = [
            (
                Status::Compliant {
                    until: Some(day(2027, 9, 30)),
                },
                "Compliant until 30 Sep 2027",
            ),
            (Status::Compliant { until: None }, "Compliant"),
            (
                Status::DueSoon {
                    due: day(2026, 12, 18),
                    days_left: 16,
                },
                "Due soon: due 18 Dec 2026 (in 16 days)",
            ),
            (
                Status::DueSoon {
                    due: day(2026, 12, 3),
                    days_left: 1,
                },
                "Due soon: due 3 Dec 2026 (in 1 day)",
            ),
            (
                Status::DueSoon {
                    due: day(2026, 12, 2),
                    days_left: 0,
                },
                "Due soon: due today (2 Dec 2026)",
            ),
            (
                Status::Overdue {
                    due: day(2026, 11, 20),
                    days: 12,
                },
                "Overdue by 12 days (due 20 Nov 2026)",
            ),
            (
                Status::Overdue {
                    due: day(2026, 12, 1),
                    days: 1,
                },
                "Overdue by 1 day (due 1 Dec 2026)",
            ),
            (
                Status::NotYetDue {
                    due: day(2027, 9, 30),
                },
                "Not yet due: due 30 Sep 2027",
            ),
            (
                Status::NotRequired {
                    reason: NotRequiredReason::Left,
                },
                "Not required (left)",
            ),
            (
                Status::NotRequired {
                    reason: NotRequiredReason::DoesNotApply,
                },
                "Not required",
            ),
        ];
        for (status, words) in cases {
            assert_eq!(status_words(&status), words);
            // The words always start with the kind's own label.
            assert!(
                words.starts_with(StatusKind::of(&status).label()),
                "{words}"
            );
        }
    }

    #[test]
    fn status_kinds_round_trip_through_their_address_values() {
        for kind in StatusKind::ALL {
            assert_eq!(StatusKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(StatusKind::parse("late"), None);
        assert_eq!(StatusKind::parse(""), None);
    }

    #[test]
    fn the_next_step_links_to_where_the_training_is_done() {
        let id = RequirementId::from_param("o1:prevent");
        let overdue = Status::Overdue {
            due: day(2026, 11, 20),
            days: 12,
        };
        let link =
            |by: &SatisfiedBy| next_step(by, &id, &overdue, Some("Staff online safety")).link;
        let module = SatisfiedBy::Module {
            module_id: ModuleSlug::from_param("staff-online-safety"),
        };
        assert_eq!(
            link(&module).map(|l| l.0),
            Some("/induction/staff-online-safety".into())
        );
        assert_eq!(
            link(&SatisfiedBy::AnyModule).map(|l| l.0),
            Some("/induction".into())
        );
        assert_eq!(
            link(&SatisfiedBy::ExternalCourse).map(|l| l.0),
            Some("/training/courses/new?requirement=o1%3Aprevent".into())
        );
        assert_eq!(link(&SatisfiedBy::Briefing), None);
        let document = SatisfiedBy::Document {
            document: "kcsie-part-one".into(),
        };
        assert_eq!(
            link(&document).map(|l| l.0),
            Some("/documents/kcsie-part-one".into())
        );
        let done = Status::Compliant { until: None };
        assert_eq!(next_step(&module, &id, &done, None).link, None);
    }
}

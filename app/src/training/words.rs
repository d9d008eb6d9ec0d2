//! A status in the words the People department, managers and staff read, the same on
//! every page and in every export. Never a colour alone.

use super::types::{NotRequiredReason, Status};
use chrono::NaiveDate;

/// A day as the UK writes it in a table: "30 Sep 2027".
pub fn short_day(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

fn days(n: u32) -> String {
    if n == 1 {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

/// The status in one word or two: "Compliant", "Due soon", "Overdue", "Not yet due",
/// "Not required".
pub fn status_label(status: &Status) -> &'static str {
    match status {
        Status::Compliant { .. } => "Compliant",
        Status::DueSoon { .. } => "Due soon",
        Status::Overdue { .. } => "Overdue",
        Status::NotYetDue { .. } => "Not yet due",
        Status::NotRequired { .. } => "Not required",
    }
}

/// The status in a sentence: "Compliant until 30 Sep 2027", "Due soon: due 18 Dec 2026
/// (in 16 days)", "Due today (2 Dec 2026)", "Overdue by 12 days (due 20 Nov 2026)",
/// "Not yet due: due 30 Sep 2027", "Not required (left)".
pub fn status_words(status: &Status) -> String {
    match *status {
        Status::Compliant { until: Some(until) } => format!("Compliant until {}", short_day(until)),
        Status::Compliant { until: None } => "Compliant".to_string(),
        Status::DueSoon { due, days_left: 0 } => format!("Due today ({})", short_day(due)),
        Status::DueSoon { due, days_left } => {
            format!("Due soon: due {} (in {})", short_day(due), days(days_left))
        }
        Status::Overdue { due, days: late } => {
            format!("Overdue by {} (due {})", days(late), short_day(due))
        }
        Status::NotYetDue { due } => format!("Not yet due: due {}", short_day(due)),
        Status::NotRequired {
            reason: NotRequiredReason::Left,
        } => "Not required (left)".to_string(),
        Status::NotRequired {
            reason: NotRequiredReason::DoesNotApply,
        } => "Not required".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn every_status_reads_as_a_sentence() {
        let cases = [
            (
                Status::Compliant {
                    until: Some(day("2027-09-30")),
                },
                "Compliant until 30 Sep 2027",
            ),
            (Status::Compliant { until: None }, "Compliant"),
            (
                Status::DueSoon {
                    due: day("2026-12-02"),
                    days_left: 0,
                },
                "Due today (2 Dec 2026)",
            ),
            (
                Status::DueSoon {
                    due: day("2026-12-03"),
                    days_left: 1,
                },
                "Due soon: due 3 Dec 2026 (in 1 day)",
            ),
            (
                Status::DueSoon {
                    due: day("2026-12-18"),
                    days_left: 16,
                },
                "Due soon: due 18 Dec 2026 (in 16 days)",
            ),
            (
                Status::Overdue {
                    due: day("2026-11-20"),
                    days: 12,
                },
                "Overdue by 12 days (due 20 Nov 2026)",
            ),
            (
                Status::Overdue {
                    due: day("2026-12-01"),
                    days: 1,
                },
                "Overdue by 1 day (due 1 Dec 2026)",
            ),
            (
                Status::NotYetDue {
                    due: day("2027-09-30"),
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
        }
    }
}

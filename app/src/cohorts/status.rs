//! Where a learner is in their programme (active, on a break in learning, withdrawn,
//! completed) and what a change does to the day their induction is due. Pure, so tested
//! without a database.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A learner's status, as stored in `learner_records.status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LearnerStatus {
    Active,
    /// A break in learning: the days are kept beside it.
    Break,
    Withdrawn,
    /// Finished their programme.
    Completed,
}

impl LearnerStatus {
    pub const ALL: [LearnerStatus; 4] = [
        LearnerStatus::Active,
        LearnerStatus::Break,
        LearnerStatus::Withdrawn,
        LearnerStatus::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LearnerStatus::Active => "active",
            LearnerStatus::Break => "break",
            LearnerStatus::Withdrawn => "withdrawn",
            LearnerStatus::Completed => "completed",
        }
    }

    /// From the stored or typed name; anything else is not a status.
    pub fn parse(text: &str) -> Option<LearnerStatus> {
        LearnerStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == text.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            LearnerStatus::Active => "Active",
            LearnerStatus::Break => "Break in learning",
            LearnerStatus::Withdrawn => "Withdrawn",
            LearnerStatus::Completed => "Completed their programme",
        }
    }

    /// Left out of the totals, of "behind" and of nudges (still listed, as inactive).
    pub fn inactive(self) -> bool {
        self != LearnerStatus::Active
    }
}

/// A break's days, first and last (inclusive).
pub type BreakDays = (NaiveDate, NaiveDate);

fn length(days: BreakDays) -> i64 {
    (days.1 - days.0).num_days() + 1
}

/// The due day after a status change. A break moves the due day on by its length; a new
/// break recorded over the current one replaces it; coming back from a break before its
/// last day counts only the days actually away (up to yesterday); other changes leave the
/// day alone. `was` is the break now in force (status `Break`), if any.
pub fn due_after(
    due: NaiveDate,
    was: Option<BreakDays>,
    now: Option<BreakDays>,
    today: NaiveDate,
) -> NaiveDate {
    let mut days = 0;
    if let Some(old) = was {
        days -= length(old);
        if now.is_none() {
            days += kept_of(old, today).map(length).unwrap_or(0);
        }
    }
    if let Some(new) = now {
        days += length(new);
    }
    due + chrono::Duration::days(days)
}

/// The part of a break kept when the learner comes back on `today`: up to yesterday, or
/// all of it once it is over; none if it had not begun.
pub fn kept_of(days: BreakDays, today: NaiveDate) -> Option<BreakDays> {
    let last = days.1.min(today.pred_opt()?);
    (last >= days.0).then_some((days.0, last))
}

/// The status in words, with a break's days: "On a break in learning from 10 September
/// 2026 to 23 September 2026".
pub fn status_words(status: LearnerStatus, days: Option<BreakDays>) -> String {
    let long = |d: NaiveDate| d.format("%-d %B %Y").to_string();
    match (status, days) {
        (LearnerStatus::Break, Some((from, to))) => {
            format!("On a break in learning from {} to {}", long(from), long(to))
        }
        (status, _) => status.label().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
    }

    #[test]
    fn statuses_read_back_and_only_active_counts() {
        for s in LearnerStatus::ALL {
            assert_eq!(LearnerStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(LearnerStatus::parse("on-leave"), None);
        assert!(!LearnerStatus::Active.inactive());
        assert!(LearnerStatus::Withdrawn.inactive());
    }

    #[test]
    fn a_break_is_worded_with_its_days_and_other_statuses_by_their_label() {
        let away = (day("2026-09-10"), day("2026-09-23"));
        assert_eq!(
            status_words(LearnerStatus::Break, Some(away)),
            "On a break in learning from 10 September 2026 to 23 September 2026"
        );
        assert_eq!(
            status_words(LearnerStatus::Withdrawn, Some(away)),
            LearnerStatus::Withdrawn.label()
        );
    }

    #[test]
    fn a_break_moves_the_due_day_on_by_its_length() {
        let due = day("2026-10-01");
        let away = (day("2026-09-10"), day("2026-09-23"));
        assert_eq!(
            due_after(due, None, Some(away), day("2026-09-09")),
            day("2026-10-15")
        );
    }

    #[test]
    fn a_break_recorded_again_replaces_the_first() {
        let due = day("2026-10-15");
        let (was, now) = (
            (day("2026-09-10"), day("2026-09-23")),
            (day("2026-09-10"), day("2026-09-16")),
        );
        assert_eq!(
            due_after(due, Some(was), Some(now), day("2026-09-12")),
            day("2026-10-08")
        );
    }

    #[test]
    fn coming_back_early_counts_only_the_days_away() {
        let due = day("2026-10-15");
        let was = (day("2026-09-10"), day("2026-09-23"));
        // Back on the 13th: away the 10th, 11th and 12th.
        assert_eq!(
            due_after(due, Some(was), None, day("2026-09-13")),
            day("2026-10-04")
        );
        // Back after the break ended: all 14 days stay.
        assert_eq!(due_after(due, Some(was), None, day("2026-09-30")), due);
        // Cancelled before it began: none.
        assert_eq!(
            due_after(due, Some(was), None, day("2026-09-01")),
            day("2026-10-01")
        );
    }

    #[test]
    fn withdrawing_leaves_the_due_day_alone() {
        let due = day("2026-10-01");
        assert_eq!(due_after(due, None, None, day("2026-09-20")), due);
    }
}

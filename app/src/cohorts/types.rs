//! What the cohort pages show: plain data, the same on the server and in the browser.

use crate::ids::{CohortId, ModuleSlug, PersonId};
use crate::people::Paging;
use serde::{Deserialize, Serialize};

/// A cohort in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortSummary {
    pub id: CohortId,
    pub name: String,
    /// Like "1 September 2026".
    pub starts_on: String,
    pub ends_on: String,
    /// The tutors' names, in order.
    pub tutors: Vec<String>,
    /// Learners in the cohort now.
    pub learners: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortList {
    pub cohorts: Vec<CohortSummary>,
    /// Every cohort of the organisation (else only the ones the asker teaches).
    pub all: bool,
    /// Days from a learner's start to their induction's due day.
    pub induction_days: i64,
    pub can_create: bool,
    /// May enrol learners from a file (administrators, and tutors into their cohorts).
    pub can_enrol: bool,
}

/// One learner's state in one module, as the grid shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CellState {
    NotStarted,
    /// Sections read so far, of how many (or a quiz opened).
    InProgress {
        sections_read: usize,
        sections: usize,
    },
    /// The best score in per cent and the day of the first pass.
    Passed {
        best_percent: u32,
        on: String,
    },
}

impl CellState {
    /// The state in words: the grid never relies on colour alone.
    pub fn words(&self) -> String {
        match self {
            CellState::NotStarted => "Not started".into(),
            CellState::InProgress {
                sections_read,
                sections,
            } => format!("In progress: {sections_read} of {sections} read"),
            CellState::Passed { best_percent, on } => format!("Passed {best_percent}%, {on}"),
        }
    }
}

/// A module across the top of the grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridColumn {
    pub id: ModuleSlug,
    pub title: String,
}

/// A learner down the side of the grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridRow {
    pub learner_id: PersonId,
    pub name: String,
    /// One per column, in the columns' order.
    pub cells: Vec<CellState>,
    pub passed: usize,
    /// Like "29 September 2026", or empty when no start date is recorded.
    pub due_on: String,
    /// Active, past the due day and not complete.
    pub behind: bool,
    /// Every module passed and the learner policy signed.
    pub complete: bool,
    /// The learner policy, in words ("Signed (version 2, 3 September 2026)", "Not signed").
    pub policy: String,
    /// Their parent's or carer's acknowledgement, in words ("Not needed (18 or over)").
    pub parent: String,
    /// The status in words ("Active", "On a break in learning from ... to ...").
    pub status: String,
    /// On a break, withdrawn or completed: outside the totals.
    pub inactive: bool,
    /// Like "3 October 2026", or empty when never active.
    pub last_active: String,
}

/// What the grid was asked for, as typed in the address (checked on the server; anything
/// unknown means the default).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridAsked {
    pub show: String,
    pub q: String,
    pub sort: String,
    pub page: String,
}

/// The whole cohort at a glance (filters and search aside).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridTotals {
    /// Active learners (the others are counted as inactive).
    pub learners: i64,
    pub behind: i64,
    pub not_started: i64,
    pub complete: i64,
    pub inactive: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortGrid {
    /// The filter, search and sort in force (as understood), for the form and links.
    pub asked: GridAsked,
    pub totals: GridTotals,
    pub paging: Paging,
    pub id: CohortId,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub tutors: Vec<String>,
    pub columns: Vec<GridColumn>,
    pub rows: Vec<GridRow>,
    /// May enrol learners in this cohort (its tutors and administrators).
    pub can_enrol: bool,
    /// May choose the cohort's tutors (administrators).
    pub can_add_tutor: bool,
    /// Days from a learner's start to their induction's due day.
    pub induction_days: i64,
    /// Today in London, like "4 December 2026" (the print view's date).
    pub today: String,
    /// The latest nudges and what followed (on the cohort's page only).
    pub nudges: Vec<super::nudges::NudgeSent>,
}

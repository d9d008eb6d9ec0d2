//! A cohort over time and what to revisit (`/cohorts/ID/insights`): the share of its
//! active learners fully inducted week by week (an SVG chart drawn on the server, a text
//! summary and the same figures as a table), and the quiz topics the cohort most often got
//! wrong on first attempts, by the 4Cs (content, contact, conduct, commerce). No learner
//! is named on this page.

use crate::error::AppError;
use crate::ids::CohortId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One week of the chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekPoint {
    /// The week's last day (a Sunday, or today for this week), like "6 December 2026".
    pub ending: String,
    /// Active learners fully inducted by the end of that week.
    pub complete: i64,
    /// 0 to 100.
    pub percent: u32,
}

/// A quiz topic with first answers that were wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicGap {
    pub topic: String,
    /// One or more of content, contact, conduct and commerce.
    pub risks: Vec<String>,
    pub module: String,
    pub answered: i64,
    pub wrong: i64,
    pub percent_wrong: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortInsights {
    pub id: CohortId,
    pub name: String,
    /// The active learners the percentages are of.
    pub active: i64,
    pub weeks: Vec<WeekPoint>,
    /// The topics most often wrong on first attempts, worst first (at most 8).
    pub gaps: Vec<TopicGap>,
    /// First attempts counted for the gaps.
    pub first_attempts: i64,
}

#[server(endpoint = "cohorts/insights")]
pub async fn load_cohort_insights(cohort_id: CohortId) -> Result<CohortInsights, AppError> {
    crate::error::finish(service::insights(cohort_id).await)
}

#[cfg(feature = "ssr")]
#[path = "insights_queries.rs"]
pub mod queries;
#[cfg(feature = "ssr")]
#[path = "insights_service.rs"]
pub mod service;

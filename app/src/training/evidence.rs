//! The inspection evidence pack: the organisation's staff training compliance as it stood
//! at the end of any day, today or in the past, rebuilt from the history the database
//! keeps (`standing::load_as_it_stood`), as a printable summary and one CSV, for Ofsted
//! or an auditor. "As it stood" means as the records said then: a completion recorded
//! afterwards (a back-filled certificate, a late correction) is not in a past day's pack.

use super::types::StatusCounts;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The pack for one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidencePack {
    pub organisation: String,
    /// The day, as `2026-11-30` (for links) and as people read it.
    pub on: String,
    pub on_words: String,
    /// When and by whom the pack was made.
    pub made_at: String,
    pub made_by: String,
    pub staff: u32,
    /// Every (person, requirement) pair, counted by status.
    pub totals: StatusCounts,
    pub by_requirement: Vec<CountsFor>,
    pub by_department: Vec<CountsFor>,
    /// Who was overdue that day, by requirement then name.
    pub overdue: Vec<OverdueLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountsFor {
    pub name: String,
    pub counts: StatusCounts,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverdueLine {
    pub requirement: String,
    pub person: String,
    pub department: String,
    pub status: String,
}

/// The evidence page: the day asked for as typed, and the pack, or what is wrong with
/// the day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidencePage {
    pub asked: String,
    pub pack: Result<EvidencePack, String>,
}

/// The pack for `on` (`2026-11-30` or `30/11/2026`; empty for today).
#[server(endpoint = "training/evidence_pack")]
pub async fn load_evidence_pack(on: Option<String>) -> Result<EvidencePage, AppError> {
    crate::error::finish(service::page(on).await)
}

#[cfg(feature = "ssr")]
pub mod service {
    use super::*;
    use crate::auth::{guard, Capability, CurrentUser};
    use crate::calendar;
    use crate::state::{app_state, AppState};
    use crate::training::standing::{self, Standing};
    use crate::training::words::{status_words, uk_date, StatusKind};
    use crate::training::Status;
    use chrono::NaiveDate;
    use std::collections::BTreeMap;

    /// The day asked for: a real day, not after today, not before the organisation began.
    async fn day_asked(
        state: &AppState,
        user: &CurrentUser,
        on: Option<&str>,
    ) -> Result<NaiveDate, AppError> {
        let today = calendar::today();
        let Some(text) = on.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(today);
        };
        let day = (text.chars().count() <= 10)
            .then(|| crate::staff::service::parse_date(text))
            .flatten()
            .ok_or_else(|| AppError::invalid("Give the day as 30/11/2026 or 2026-11-30."))?;
        if day > today {
            return Err(AppError::invalid(
                "That day has not come yet: choose today or a day before it.",
            ));
        }
        let began =
            crate::training::evidence_queries::organisation_began(&state.db, &user.org_id).await?;
        if day < began {
            return Err(AppError::invalid(format!(
                "{}'s records begin on {}: choose that day or a later one.",
                user.org_name,
                uk_date(began)
            )));
        }
        Ok(day)
    }

    async fn standing_on(on: Option<&str>) -> Result<(CurrentUser, NaiveDate, Standing), AppError> {
        let state = app_state()?;
        let user = guard::allowed(Capability::ViewTrainingDashboard).await?;
        standing_for(&state, user, on).await
    }

    /// The same for a plain handler, which has the session user already.
    pub async fn standing_for(
        state: &AppState,
        user: CurrentUser,
        on: Option<&str>,
    ) -> Result<(CurrentUser, NaiveDate, Standing), AppError> {
        let day = day_asked(state, &user, on).await?;
        let standing = standing::load_as_it_stood(&state.db, &user.org_id, day).await?;
        Ok((user, day, standing))
    }

    pub async fn page(on: Option<String>) -> Result<EvidencePage, AppError> {
        let asked: String = on.unwrap_or_default().chars().take(40).collect();
        let pack = match standing_on(Some(&asked)).await {
            Ok((user, day, standing)) => Ok(summarise(&user, day, &standing)),
            Err(AppError::Invalid(problem)) => Err(problem),
            Err(e) => return Err(e),
        };
        Ok(EvidencePage { asked, pack })
    }

    fn summarise(user: &CurrentUser, day: NaiveDate, standing: &Standing) -> EvidencePack {
        let mut totals = StatusCounts::default();
        let mut by_requirement = vec![StatusCounts::default(); standing.requirements.len()];
        let mut by_department: BTreeMap<String, StatusCounts> = BTreeMap::new();
        let mut overdue = Vec::new();
        for (person, statuses) in standing.statuses(day) {
            let department = person.facts.department.clone().unwrap_or_default();
            for ((status, counts), requirement) in statuses
                .iter()
                .zip(by_requirement.iter_mut())
                .zip(&standing.requirements)
            {
                totals.add(status);
                counts.add(status);
                by_department
                    .entry(department.clone())
                    .or_default()
                    .add(status);
                if matches!(status, Status::Overdue { .. }) {
                    overdue.push(OverdueLine {
                        requirement: requirement.requirement.name.clone(),
                        person: person.name.clone(),
                        department: department.clone(),
                        status: status_words(status),
                    });
                }
            }
        }
        overdue.sort_by(|a, b| {
            a.requirement
                .cmp(&b.requirement)
                .then(a.person.cmp(&b.person))
        });
        EvidencePack {
            organisation: user.org_name.clone(),
            on: calendar::day_key(day),
            on_words: day.format("%-d %B %Y").to_string(),
            made_at: chrono::Utc::now()
                .with_timezone(&chrono_tz::Europe::London)
                .format("%-d %B %Y at %H:%M")
                .to_string(),
            made_by: user.full_name.clone(),
            staff: standing.staff.len() as u32,
            totals,
            by_requirement: standing
                .requirements
                .iter()
                .zip(by_requirement)
                .map(|(r, counts)| CountsFor {
                    name: labelled(&r.requirement.name, &r.requirement.level),
                    counts,
                })
                .collect(),
            by_department: by_department
                .into_iter()
                .map(|(name, counts)| CountsFor {
                    name: if name.is_empty() {
                        "No department recorded".into()
                    } else {
                        name
                    },
                    counts,
                })
                .collect(),
            overdue,
        }
    }

    fn labelled(name: &str, level: &str) -> String {
        if level.trim().is_empty() {
            name.to_string()
        } else {
            format!("{name} ({level})")
        }
    }

    /// One row per member of staff and requirement, as it stood on `day`.
    pub fn to_csv(day: NaiveDate, standing: &Standing) -> Result<String, AppError> {
        use crate::policies::report::neutralise;
        let mut out = csv::Writer::from_writer(Vec::new());
        let header = [
            "As at",
            "Name",
            "Email",
            "Department",
            "Job title",
            "Requirement",
            "Level",
            "Status",
            "In words",
            "Due date",
            "Days overdue",
        ];
        let failed = |e: csv::Error| AppError::internal(format!("writing the CSV: {e}"));
        out.write_record(header).map_err(failed)?;
        let as_at = calendar::day_key(day);
        for (person, statuses) in standing.statuses(day) {
            for (status, requirement) in statuses.iter().zip(&standing.requirements) {
                let overdue = match status {
                    Status::Overdue { days, .. } => days.to_string(),
                    _ => String::new(),
                };
                let row = [
                    as_at.clone(),
                    person.name.clone(),
                    person.email.clone(),
                    person.facts.department.clone().unwrap_or_default(),
                    person.facts.job_title.clone().unwrap_or_default(),
                    requirement.requirement.name.clone(),
                    requirement.requirement.level.clone(),
                    StatusKind::of(status).label().to_string(),
                    status_words(status),
                    status.due().map(calendar::day_key).unwrap_or_default(),
                    overdue,
                ];
                out.write_record(row.iter().map(|cell| neutralise(cell)))
                    .map_err(failed)?;
            }
        }
        let bytes = out
            .into_inner()
            .map_err(|e| AppError::internal(format!("writing the CSV: {e}")))?;
        String::from_utf8(bytes).map_err(|e| AppError::internal(format!("CSV text: {e}")))
    }
}

/// The pack's CSV download, `/training/evidence.csv?on=2026-11-30`.
#[cfg(feature = "ssr")]
pub fn download_routes() -> axum::Router<crate::state::AppState> {
    axum::Router::new().route("/training/evidence.csv", axum::routing::get(evidence_csv))
}

#[cfg(feature = "ssr")]
async fn evidence_csv(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    session: tower_sessions::Session,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    use crate::auth::{guard, Capability};
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let made = async {
        let user = guard::allowed_in(&state, &session, Capability::ViewTrainingDashboard).await?;
        let (_, day, standing) =
            service::standing_for(&state, user, query.get("on").map(String::as_str)).await?;
        Ok::<_, AppError>((day, service::to_csv(day, &standing)?))
    };
    match made.await {
        Ok((day, csv)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"training-evidence-{day}.csv\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            csv,
        )
            .into_response(),
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, e.to_string()).into_response()
        }
    }
}

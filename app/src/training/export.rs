//! The dashboard as a CSV download (`/training/dashboard.csv`): a plain axum route (a
//! file, not a page), with the dashboard's filters and the same access rule. One row per
//! person and requirement, every matching row (not one page), formula-safe.

use super::standing::{self, Scope};
use super::views::DashboardFilters;
use super::views_service::{export_rows, ExportRow};
use super::words::{status_words, StatusKind};
use crate::auth::{guard, Capability};
use crate::calendar;
use crate::error::AppError;
use crate::policies::report::neutralise;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/training/dashboard.csv", axum::routing::get(training_csv))
}

const HEADER: [&str; 12] = [
    "Name",
    "Email",
    "Employee number",
    "Department",
    "Job title",
    "Line manager",
    "Requirement",
    "Level",
    "Status",
    "Status in words",
    "Due date",
    "Days overdue",
];

async fn training_csv(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| query.get(k).cloned();
    let filters = DashboardFilters {
        status: get("status"),
        requirement: get("requirement"),
        department: get("department"),
        manager: get("manager"),
        q: get("q"),
        sort: get("sort"),
        page: None,
    };
    let today = calendar::today();
    match csv_for(&state, &session, &filters, today).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"training-{}.csv\"",
                        calendar::day_key(today)
                    ),
                ),
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

async fn csv_for(
    state: &AppState,
    session: &tower_sessions::Session,
    filters: &DashboardFilters,
    today: chrono::NaiveDate,
) -> Result<String, AppError> {
    // The same guard as every server function, here in a plain handler.
    let user = guard::allowed_in(state, session, Capability::ViewTrainingDashboard).await?;
    let standing = standing::load(&state.db, &user.org_id, Scope::Organisation).await?;
    to_csv(&export_rows(&standing, filters, today)?)
}

/// The rows as CSV text, every cell formula-safe.
pub fn to_csv(rows: &[ExportRow<'_>]) -> Result<String, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(HEADER).map_err(AppError::internal)?;
    for row in rows {
        out.write_record(cells(row).iter().map(|c| neutralise(c)))
            .map_err(AppError::internal)?;
    }
    let bytes = out.into_inner().map_err(AppError::internal)?;
    String::from_utf8(bytes).map_err(AppError::internal)
}

fn cells(row: &ExportRow<'_>) -> [String; 12] {
    let person = row.person;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let overdue = match row.status {
        super::Status::Overdue { days, .. } => days,
        _ => 0,
    };
    [
        person.name.clone(),
        person.email.clone(),
        text(&person.employee_number),
        text(&person.facts.department),
        text(&person.facts.job_title),
        text(&person.manager_name),
        row.requirement.requirement.name.clone(),
        row.requirement.requirement.level.clone(),
        StatusKind::of(&row.status).label().to_string(),
        status_words(&row.status),
        row.status.due().map(calendar::day_key).unwrap_or_default(),
        overdue.to_string(),
    ]
}

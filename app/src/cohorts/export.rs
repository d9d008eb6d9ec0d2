//! A cohort's grid as a CSV download (`/cohorts/ID/grid.csv`): a plain axum route (a
//! file, not a page) with the grid's filter, search and sort and the same access rule.
//! Every learner the filter keeps (not one page), one row each, formula-safe.

use super::grid::{grid_of, Rows};
use super::{CohortGrid, GridAsked};
use crate::auth::{guard, Capability};
use crate::calendar;
use crate::error::AppError;
use crate::ids::CohortId;
use crate::policies::report::neutralise;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/cohorts/{id}/grid.csv", axum::routing::get(grid_csv))
}

async fn grid_csv(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| query.get(k).cloned().unwrap_or_default();
    let asked = GridAsked {
        show: get("show"),
        q: get("q"),
        sort: get("sort"),
        page: String::new(),
    };
    let cohort_id = CohortId::from_param(id);
    let made = async {
        // The same guard as every server function, here in a plain handler.
        let user = guard::allowed_in(&state, &session, Capability::ViewCohorts).await?;
        to_csv(&grid_of(&state, &user, &cohort_id, asked, Rows::All).await?)
    };
    match made.await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"cohort-{}.csv\"",
                        calendar::day_key(calendar::today())
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

/// The grid as CSV text: the learner, their status, each module's state in words, the
/// policy and parent acknowledgement, how many passed, complete or not, the
/// due day (as a date a spreadsheet reads), behind or not, last active. Formula-safe.
pub fn to_csv(grid: &CohortGrid) -> Result<String, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["Learner".to_string(), "Status".to_string()];
    header.extend(grid.columns.iter().map(|c| c.title.clone()));
    header.extend(
        [
            "Learner policy",
            "Parent or carer",
            "Modules passed",
            "Complete",
            "Induction due by",
            "Behind",
            "Last active",
        ]
        .map(String::from),
    );
    out.write_record(header.iter().map(|c| neutralise(c)))
        .map_err(AppError::internal)?;
    for row in &grid.rows {
        let mut cells = vec![row.name.clone(), row.status.clone()];
        cells.extend(row.cells.iter().map(|c| c.words()));
        cells.push(row.policy.clone());
        cells.push(row.parent.clone());
        cells.push(format!("{} of {}", row.passed, grid.columns.len()));
        cells.push(if row.complete { "Yes" } else { "No" }.to_string());
        cells.push(row.due_on.clone());
        cells.push(if row.behind { "Yes" } else { "No" }.to_string());
        cells.push(row.last_active.clone());
        out.write_record(cells.iter().map(|c| neutralise(c)))
            .map_err(AppError::internal)?;
    }
    let bytes = out.into_inner().map_err(AppError::internal)?;
    String::from_utf8(bytes).map_err(AppError::internal)
}

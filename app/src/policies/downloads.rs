//! The signing report as a CSV download: a plain axum route (a file, not a page), with
//! the same filters and checks as the report page.

use crate::auth::{guard, Capability};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route(
        "/policies/report.csv",
        axum::routing::get(signing_report_csv),
    )
}

async fn signing_report_csv(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| query.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let asked = get("kind").unwrap_or("learner");
    // The same guard as every server function, here in a plain handler.
    let csv = match guard::allowed_in(&state, &session, Capability::ReadSigningReport).await {
        Ok(user) => super::report::csv_for(&state, &user, asked, get("status"), get("q")).await,
        Err(e) => Err(e),
    };
    match csv {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    // csv_for refused any kind but these two.
                    format!(
                        "attachment; filename=\"{}-policy-signatures.csv\"",
                        if asked == "staff" { "staff" } else { "learner" }
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

//! The HTTP router: pages, server functions, static files, health, and the layers.

use app::db::DbSessionStore;
use app::error::AppError;
use app::shell::{shell, App};
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_sessions::cookie::{time, SameSite};
use tower_sessions::{Expiry, SessionManagerLayer};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "esafety_session";
/// A session ends after this long without a request.
const SESSION_IDLE_HOURS: i64 = 8;

pub fn build(state: AppState) -> Router {
    let production = state.settings.production;
    let base_url: Arc<str> = state.settings.base_url.clone().into();
    let form_error_key: Arc<[u8]> = state.settings.secret_key.expose().into();

    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(production)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(
            SESSION_IDLE_HOURS,
        )));

    let options = state.leptos_options.clone();
    let routes = generate_route_list(App);
    Router::new()
        .route("/healthz", get(healthz))
        .merge(app::routes::extra_routes())
        // Both provide the state to pages and server functions as context themselves.
        .leptos_routes_with_context(&state, routes, || {}, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(|| {}, shell))
        .layer(axum::middleware::from_fn(malformed_request_is_400))
        .layer(axum::middleware::from_fn_with_state(
            form_error_key,
            crate::security::signed_form_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            policy_gate,
        ))
        .layer(axum::middleware::from_fn(keep_session_alive))
        .layer(sessions)
        .layer(axum::middleware::from_fn_with_state(
            base_url,
            crate::security::cross_origin_check,
        ))
        .layer(axum::middleware::from_fn_with_state(
            production,
            crate::security::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(state.settings.trusted_proxies.clone()),
            crate::security::client_address,
        ))
        // Pages and answers in gzip when the browser takes it (parents read the Safe
        // Internet page on phones); `/pkg` files come already compressed, in brotli too.
        // Not brotli per request: its setup (a window of megabytes for each response) was
        // the largest item in a profile of module pages as browsers ask for them.
        .layer(
            CompressionLayer::new()
                .no_br()
                .quality(CompressionLevel::Precise(5))
                .compress_when(SizeAbove::new(512).and(made_per_request)),
        )
        // Outermost: every request gets its id first, then its span.
        .layer(crate::tracing::send_request_id_back())
        .layer(crate::tracing::trace_requests())
        .layer(crate::tracing::set_request_id())
        // Merged after the layers above, which therefore do not wrap it.
        .merge(site_files(production))
        .with_state(state)
}

/// `/pkg/*` is the built site's files, served from memory. They say nothing about who
/// asks, so they skip the session, the policy gate, compression (their compressed
/// copies are made at build time) and a log span each, and keep only the security
/// headers (`nosniff` matters most for scripts and stylesheets).
fn site_files(production: bool) -> Router<AppState> {
    Router::new()
        .route("/pkg/{*name}", get(crate::static_files::serve))
        .layer(axum::middleware::from_fn_with_state(
            production,
            crate::security::security_headers,
        ))
}

/// Pages, server function answers and exports are compressed as they are sent; static
/// files never are (their compressed copies are made once, at build time).
fn made_per_request(
    _: StatusCode,
    _: axum::http::Version,
    headers: &axum::http::HeaderMap,
    _: &axum::http::Extensions,
) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            ["text/html", "application/json", "text/csv", "text/plain"]
                .iter()
                .any(|kind| t.starts_with(kind))
        })
}

/// A request whose fields cannot be read never reaches the server function, and the
/// framework answers it with a 500; it is the caller's mistake, so say 400.
async fn malformed_request_is_400(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    if let Ok(AppError::BadRequest(_)) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// A signed-in session lasts 8 hours from its last request, not from sign-in.
async fn keep_session_alive(
    session: tower_sessions::Session,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    // The health check says nothing about a person being active, and must not cost a
    // session read (static files do not come through here at all).
    let path = request.uri().path();
    let counts = !(path == "/healthz" || path == "/favicon.ico");
    if counts {
        if let Err(e) = app::db::session_store::touch(&session).await {
            tracing::warn!(error = %e, "could not keep the session alive");
        }
    }
    next.run(request).await
}

/// After sign-in, a person who has not signed their current Acceptable Use Policy is
/// taken to it before any other page, and the server functions behind those pages
/// refuse them (each part declares what stays open: see `app::routes`).
async fn policy_gate(
    State(state): State<AppState>,
    session: tower_sessions::Session,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path();
    let function = path.strip_prefix("/api/");
    let gated = match function {
        Some(name) => !app::routes::function_open_before_signing(name),
        None => {
            request.method() == axum::http::Method::GET
                && !app::routes::page_open_before_signing(path)
        }
    };
    if !gated {
        return next.run(request).await;
    }
    let is_function = function.is_some();
    let to = match gate(&state, &session).await {
        Some(answer) => match answer.to_sign {
            None => {
                // The page and its server functions take the person from here.
                request
                    .extensions_mut()
                    .insert(app::auth::guard::SeenByGate {
                        user: answer.user,
                        settings_version: answer.settings_version,
                    });
                return next.run(request).await;
            }
            Some(kind) => format!("/policies/sign/{}", kind.as_str()),
        },
        None => return next.run(request).await,
    };
    let from_form = request
        .headers()
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if is_function && !from_form {
        // A program gets the typed error every server function answers with.
        let body = serde_json::to_string(&AppError::PolicyToSign).unwrap_or_default();
        return (
            StatusCode::FORBIDDEN,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    }
    axum::response::Redirect::to(&to).into_response()
}

/// The signed-in person and the policy they still have to sign; nothing when signed out
/// (or when the check fails: the page's own guard then answers).
async fn gate(
    state: &AppState,
    session: &tower_sessions::Session,
) -> Option<app::policies::service::GateAnswer> {
    let user_id: app::ids::PersonId = session
        .get(app::db::session_store::USER_ID_KEY)
        .await
        .ok()
        .flatten()?;
    let read_with_session = session
        .get(app::db::session_store::PERSON_KEY)
        .await
        .ok()
        .flatten();
    match app::policies::service::gate(state, &user_id, read_with_session).await {
        Ok(found) => found,
        Err(e) => {
            tracing::warn!(error = %e, "could not check the policies to sign");
            None
        }
    }
}

/// 200 `ok` when the database answers within two seconds, else 503.
async fn healthz(State(state): State<AppState>) -> (StatusCode, String) {
    let ping = sqlx::query("SELECT 1").execute(&state.db);
    match tokio::time::timeout(Duration::from_secs(2), ping).await {
        Ok(Ok(_)) => (StatusCode::OK, format!("ok{}", late_jobs(&state).await)),
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable".into(),
        ),
    }
}

/// A line per scheduled job without a recent enough success. Still 200: the app serves
/// pages; these lines are for whoever watches the servers.
async fn late_jobs(state: &AppState) -> String {
    let now = chrono::Utc::now();
    let jobs: String = match app::jobs::status(&state.db).await {
        Ok(jobs) => jobs
            .iter()
            .filter(|j| j.is_late(now))
            .map(|j| format!("\n{}", j.late_line()))
            .collect(),
        Err(error) => format!("\njobs: status unreadable: {error}"),
    };
    format!("{jobs}{}", late_reminders(state, now).await)
}

/// A line when some organisation's staff reminders have not finished a run for
/// `LATE_AFTER_HOURS` (the job may succeed for others). A count only: this page is public.
async fn late_reminders(state: &AppState, now: chrono::DateTime<chrono::Utc>) -> String {
    match app::reminders::runs::health(&state.db, None, now).await {
        Ok(all) => match all.iter().filter(|h| h.late).count() {
            0 => String::new(),
            n => format!(
                "\nlate: staff reminders have not finished a run for {} hours in {n} organisation(s)",
                app::reminders::LATE_AFTER_HOURS
            ),
        },
        Err(error) => format!("\nreminders: status unreadable: {error}"),
    }
}

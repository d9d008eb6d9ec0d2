//! Request tracing: every request gets an id (`x-request-id`; one sent by the caller is
//! kept, since it is only a label for matching logs), every log line written while
//! serving it carries that id and the path, and the id goes back in the response, so an
//! error reference a person quotes can be found in the server's log with its request.

use any_spawner::{CustomExecutor, PinnedFuture, PinnedLocalFuture};
use axum::http::{HeaderName, Request};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing::Instrument;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Give the request an id (kept if the caller sent one).
pub fn set_request_id() -> SetRequestIdLayer<MakeRequestUuid> {
    SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid)
}

/// Send the id back with the response.
pub fn send_request_id_back() -> PropagateRequestIdLayer {
    PropagateRequestIdLayer::new(REQUEST_ID)
}

type HttpClassifier =
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>;
type MakeSpan = fn(&Request<axum::body::Body>) -> tracing::Span;

/// Trace each request in a span that holds its id, method and (loggable) path.
pub fn trace_requests() -> TraceLayer<HttpClassifier, MakeSpan> {
    TraceLayer::new_for_http().make_span_with(span_for as MakeSpan)
}

fn span_for(request: &Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        path = %loggable_path(request.uri().path()),
    )
}

/// Leptos loads a page's data in tasks it spawns. Spawned this way, each task keeps the
/// span of the request it was spawned for, so what it logs (its SQL statements too) still
/// carries the request's id. Otherwise as Leptos's own Tokio spawner.
struct InRequestSpan;

impl CustomExecutor for InRequestSpan {
    fn spawn(&self, fut: PinnedFuture<()>) {
        tokio::spawn(fut.instrument(tracing::Span::current()));
    }

    fn spawn_local(&self, fut: PinnedLocalFuture<()>) {
        tokio::task::spawn_local(fut.instrument(tracing::Span::current()));
    }

    fn poll_local(&self) {}
}

/// Use [`InRequestSpan`] for Leptos's tasks: before the first request, once per process
/// (a second call, as from a second server in the tests, changes nothing).
pub fn keep_request_spans_in_tasks() {
    let _ = any_spawner::Executor::init_custom_executor(InRequestSpan);
}

/// The path as it may be written to a log: the parent's link carries its token in the
/// path, which must not reach a log file. Query strings are never logged (set-password
/// links carry tokens there).
pub fn loggable_path(path: &str) -> String {
    match path.strip_prefix("/parent/") {
        Some(rest) if !rest.is_empty() && rest != "thanks" => "/parent/…".to_string(),
        _ => path.chars().take(200).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn tokens_in_paths_never_reach_the_log() {
        assert_eq!(loggable_path("/parent/abcdef0123"), "/parent/…");
        assert_eq!(loggable_path("/parent/thanks"), "/parent/thanks");
        assert_eq!(loggable_path("/induction/grooming"), "/induction/grooming");
    }
}

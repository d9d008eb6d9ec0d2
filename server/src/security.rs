//! Protections applied to every response and every state-changing request.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuse state-changing requests sent by a browser from another site (cross-site
/// request forgery). Browsers say where a request comes from in `Sec-Fetch-Site` or
/// `Origin`; programs such as curl send neither and carry no one else's cookies.
pub async fn cross_origin_check(
    State(base_url): State<std::sync::Arc<str>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let allowed = match (fetch_site, origin) {
        (Some(site), _) => site == "same-origin" || site == "none",
        (None, Some(origin)) => same_origin(origin, &base_url, host),
        (None, None) => true,
    };
    if allowed {
        next.run(request).await
    } else {
        (
            StatusCode::FORBIDDEN,
            "This request came from another website, so it was refused. Please use the form on this site.",
        )
            .into_response()
    }
}

fn same_origin(origin: &str, base_url: &str, host: Option<&str>) -> bool {
    let origin = origin.trim_end_matches('/');
    if origin == base_url.trim_end_matches('/') {
        return true;
    }
    match host {
        Some(host) => origin == format!("http://{host}") || origin == format!("https://{host}"),
        None => false,
    }
}

/// Security headers on every response. Pages set their own Content-Security-Policy with
/// a per-response nonce (see `app::shell`); everything else gets a strict default.
pub async fn security_headers(
    State(production): State<bool>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        ));
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        // Pages show personal records: never keep them in shared caches.
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    if production {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    #[test]
    fn origins_match_the_base_url_or_the_host() {
        assert!(same_origin("https://app.test", "https://app.test", None));
        assert!(same_origin(
            "http://127.0.0.1:3000",
            "http://localhost",
            Some("127.0.0.1:3000")
        ));
        assert!(!same_origin(
            "https://evil.test",
            "https://app.test",
            Some("app.test")
        ));
    }
}

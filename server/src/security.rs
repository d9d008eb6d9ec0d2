//! Protections applied to every response and every state-changing request.

use app::ui::typed::TypedForm;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use tower_sessions::Session;

/// Work out the client's address once per request (behind a trusted proxy, from
/// `X-Forwarded-For`) and hand it to everything below as an extension.
pub async fn client_address(
    State(proxies): State<Arc<app::client_address::TrustedProxies>>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(peer) = peer {
        let forwarded: Vec<&str> = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let client = proxies.client(peer, &forwarded);
        request.extensions_mut().insert(client);
    }
    next.run(request).await
}

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

/// Form errors travel back to the form in its address (`?__path=...&__err=...`, the
/// framework's way of showing errors without JavaScript). Anyone could craft such a link
/// to put their own words in a page's error box, so errors we send are signed with the
/// installation's key, and an error in an address without a valid signature is dropped.
///
/// The same place keeps what was typed into a refused form for its page to show once
/// (WCAG 2.2 SC 3.3.7): see `app::ui::typed` for the whole mechanism.
pub async fn signed_form_errors(
    State(key): State<Arc<[u8]>>,
    session: Session,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    let signed_error_of = keep_only_signed_error(&key, &mut request);
    if let Some(function) = signed_error_of {
        if request.method() == Method::GET {
            let page = page_hash(&key, request.uri().path());
            hand_typed_to_page(&session, &mut request, &function, &page).await;
        }
    }
    let (request, submitted) = match read_form(request).await {
        Ok(read) => read,
        Err(refused) => return refused,
    };
    let function = request.uri().path().to_string();
    let mut response = next.run(request).await;
    let refused_to = sign_error_redirect(&key, &mut response);
    if let Some(fields) = submitted {
        after_form(&session, function, fields, refused_to).await;
    }
    response
}

/// Drop an unsigned error from the address; answers the function path of a signed one.
fn keep_only_signed_error(key: &[u8], request: &mut Request<Body>) -> Option<String> {
    let query = request.uri().query()?;
    // Keys are compared decoded (`%5F_err` is `__err` to the page that reads it).
    let carries_error = form_urlencoded::parse(query.as_bytes()).any(|(k, _)| k == "__err");
    if !carries_error {
        return None;
    }
    if signature_valid(key, query) {
        return query_value(query, "__path");
    }
    let kept = without_form_error(query);
    let path = request.uri().path();
    let rebuilt = if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{kept}")
    };
    if let Ok(uri) = rebuilt.parse() {
        *request.uri_mut() = uri;
    }
    None
}

/// Sign the error in a server function's error redirect; answers the path of the page it
/// sends the person back to (hashed), which says the form was refused.
fn sign_error_redirect(key: &[u8], response: &mut Response) -> Option<String> {
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .filter(|location| location.contains("__err="))?
        .to_string();
    let query = location.split_once('?')?.1;
    let error = query_value(query, "__err")?;
    let function = query_value(query, "__path").unwrap_or_default();
    let signature = sign(key, &function, &error);
    let signed = HeaderValue::from_str(&format!("{location}&__sig={signature}")).ok()?;
    response.headers_mut().insert(header::LOCATION, signed);
    let page = location.parse::<axum::http::Uri>().ok()?.path().to_string();
    Some(page_hash(key, &page))
}

/// How a form's page is named in the session: its path may hold a link's token.
fn page_hash(key: &[u8], path: &str) -> String {
    app::state::keyed_hash(key, &[b"typed-form-page:", path.as_bytes()])
}

/// A form's body is read here only when it is small enough to keep in memory twice;
/// anything else (a program's JSON, a large upload) passes untouched.
const MAX_FORM_BODY: u64 = 1024 * 1024;

/// The fields of a browser form posted to a server function, worth keeping if it is
/// refused; the request is rebuilt with the same body for the function to read.
async fn read_form(
    request: Request<Body>,
) -> Result<(Request<Body>, Option<Vec<(String, String)>>), Response> {
    let headers = request.headers();
    let is_form = request.method() == Method::POST
        && request.uri().path().starts_with("/api/")
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if !is_form || length.is_none_or(|n| n > MAX_FORM_BODY) {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    // The length was checked above, so this only fails if the client stops sending.
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BODY as usize).await else {
        return Err((StatusCode::BAD_REQUEST, "The form could not be read.").into_response());
    };
    let fields = app::ui::typed::keepable(
        form_urlencoded::parse(&bytes).map(|(n, v)| (n.into_owned(), v.into_owned())),
    );
    Ok((Request::from_parts(parts, Body::from(bytes)), Some(fields)))
}

/// A refused form's fields wait in the session for its page; a form that went through
/// leaves nothing behind. Failing to store them costs the person retyping, not the request.
async fn after_form(
    session: &Session,
    function: String,
    fields: Vec<(String, String)>,
    refused_to: Option<String>,
) {
    let outcome = match refused_to {
        Some(page) => {
            let form = TypedForm {
                function,
                page,
                fields,
            };
            app::ui::typed::remember(session, form).await
        }
        None => app::ui::typed::take(session).await.map(|_| ()),
    };
    if let Err(e) = outcome {
        tracing::warn!(error = %e, "could not keep what was typed into a form");
    }
}

/// The page view after a refusal takes the typed fields out of the session (shown once)
/// and gets them only if it is the form's own page showing that form's error.
async fn hand_typed_to_page(
    session: &Session,
    request: &mut Request<Body>,
    function: &str,
    page: &str,
) {
    match app::ui::typed::take(session).await {
        Ok(Some(form)) if form.function == function && form.page == page => {
            request.extensions_mut().insert(form);
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not read what was typed into a form"),
    }
}

/// The signature covers the error and the form it belongs to (`__path`), so a real
/// message cannot be moved onto another form's page.
fn sign(key: &[u8], function: &str, error: &str) -> String {
    app::state::keyed_hash(
        key,
        &[b"form-error:", function.as_bytes(), b"\0", error.as_bytes()],
    )
}

fn query_value(query: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn signature_valid(key: &[u8], query: &str) -> bool {
    // Exactly one error and one signature: with two, which one a page shows is not ours
    // to guess.
    let count = |name: &str| {
        form_urlencoded::parse(query.as_bytes())
            .filter(|(k, _)| k == name)
            .count()
    };
    if count("__err") != 1 || count("__sig") != 1 || count("__path") > 1 {
        return false;
    }
    let function = query_value(query, "__path").unwrap_or_default();
    match (query_value(query, "__err"), query_value(query, "__sig")) {
        // Constant-time enough: both sides are fixed-length hex of a keyed hash.
        (Some(error), Some(signature)) => {
            use subtle::ConstantTimeEq;
            let expected = sign(key, &function, &error);
            bool::from(expected.as_bytes().ct_eq(signature.as_bytes()))
        }
        _ => false,
    }
}

fn without_form_error(query: &str) -> String {
    let kept = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| !matches!(k.as_ref(), "__err" | "__path" | "__sig"));
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish()
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
    fn only_our_own_signed_form_errors_are_kept() {
        let key = b"a key for the tests, long enough.";
        let error = "eyJJbnZhbGlkIjoiWCJ9";
        let query = format!(
            "next=%2Fhome&__path=%2Fapi%2Fx&__err={error}&__sig={}",
            super::sign(key, "/api/x", error)
        );
        assert!(super::signature_valid(key, &query));
        // The same signed error moved onto another form, or given a second form, fails.
        let moved = query.replace("%2Fapi%2Fx", "%2Fapi%2Fy");
        assert!(!super::signature_valid(key, &moved));
        assert!(!super::signature_valid(
            key,
            &format!("{query}&__path=%2Fapi%2Fy")
        ));
        assert!(!super::signature_valid(
            key,
            &format!("__path=%2Fapi%2Fx&__err={error}&__sig=00")
        ));
        assert!(!super::signature_valid(key, &format!("__err={error}")));
        // The same error twice, or an encoded key, does not pass as signed.
        assert!(!super::signature_valid(key, &format!("{query}&__err=e30")));
        assert!(!super::signature_valid(
            key,
            &format!("%5F%5Ferr=e30&__sig={}", super::sign(key, "", "x"))
        ));
        assert_eq!(super::without_form_error(&query), "next=%2Fhome");
    }

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

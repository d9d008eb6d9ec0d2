//! `/pkg/*`: the built site's files from memory (`app::site_files`), in the best
//! encoding the browser accepts, with a year's cache for content-named files.

use app::site_files::SiteFile;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

const A_YEAR: &str = "public, max-age=31536000, immutable";

pub async fn serve(
    State(state): State<AppState>,
    Path(name): Path<String>,
    request: HeaderMap,
) -> Response {
    let Some(file) = state.site_files.get(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if file.immutable { A_YEAR } else { "no-cache" }),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(etag) = HeaderValue::from_str(&file.etag) {
        headers.insert(header::ETAG, etag);
    }
    if unchanged(&request, &file.etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let accepted = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let (body, encoding) = choose(&file, accepted);
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    (headers, Body::from(body)).into_response()
}

/// The copy to send: brotli, then gzip, when the browser accepts it and one was made.
fn choose(file: &SiteFile, accept_encoding: &str) -> (bytes::Bytes, Option<&'static str>) {
    let copies = [("br", &file.brotli), ("gzip", &file.gzip)];
    for (name, copy) in copies {
        if let Some(copy) = copy.as_ref().filter(|_| accepts(accept_encoding, name)) {
            return (bytes::Bytes::from_owner(copy.clone()), Some(name));
        }
    }
    (bytes::Bytes::from_owner(file.body.clone()), None)
}

/// Whether an Accept-Encoding value allows `coding` (named, with a quality above 0).
fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let named = parts.next().is_some_and(|c| c.eq_ignore_ascii_case(coding));
        let refused = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        named && !refused
    })
}

/// An If-None-Match that names this version (or `*`).
fn unchanged(request: &HeaderMap, etag: &str) -> bool {
    request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == etag || t == "*")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_accept_encoding() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=1.0, BR;q=0.5", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("", "gzip"));
        assert!(!accepts("brotli", "br"));
    }

    #[test]
    fn reads_if_none_match() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"a\", W/\"b\""),
        );
        assert!(unchanged(&h, "\"b\""));
        assert!(!unchanged(&h, "\"c\""));
        assert!(!unchanged(&HeaderMap::new(), "\"b\""));
    }
}

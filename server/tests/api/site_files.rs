//! The stylesheet, script and WebAssembly: served from memory under content-hashed
//! names with a year's cache, in the compressed copy the browser accepts; pages
//! compressed when the browser accepts it.

use crate::helpers::*;
use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH,
};
use reqwest::StatusCode;

const CSS: &[u8] = b"body { font-family: sans-serif; }";

/// A built site: the stylesheet with a brotli copy, the script and its WebAssembly.
fn site_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("esafety.css"), CSS).unwrap();
    std::fs::write(pkg.join("esafety.css.br"), b"pretend brotli").unwrap();
    std::fs::write(pkg.join("esafety.js"), b"export default function init() {}").unwrap();
    for wasm in ["esafety.wasm", "esafety_bg.wasm"] {
        std::fs::write(pkg.join(wasm), b"\0asm\x01\0\0\0").unwrap();
    }
    dir
}

async fn app_with_site(site: &tempfile::TempDir) -> TestApp {
    let dir = site.path().display().to_string();
    spawn_app_with(&[("ESAFETY_SITE_DIR", dir.as_str())]).await
}

#[tokio::test]
async fn pages_name_the_files_by_content_and_those_are_kept_a_year() {
    let site = site_dir();
    let app = app_with_site(&site).await;
    let (_, login) = app.page(&browser(), "/login").await;
    let start = login.find("<link rel=\"stylesheet\" href=\"").unwrap() + 29;
    let css = &login[start..start + login[start..].find('"').unwrap()];
    assert!(
        css.starts_with("/pkg/esafety.") && css.ends_with(".css") && css != "/pkg/esafety.css",
        "{css}"
    );
    // The script the page starts is named by content too, and is served.
    let script = login
        .split('"')
        .find(|s| s.starts_with("/pkg/esafety.") && s.ends_with(".js"))
        .expect("a hashed script name in the page");
    let r = app.get(&browser(), script).await;
    assert_eq!(r.status(), StatusCode::OK, "{script}");
    assert_eq!(r.headers()[CONTENT_TYPE], "text/javascript; charset=utf-8");

    let r = app.get(&browser(), css).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(r.headers()[CONTENT_TYPE], "text/css; charset=utf-8");
    assert!(
        r.headers().get(CONTENT_ENCODING).is_none(),
        "no encoding asked for"
    );
    let etag = r.headers()[ETAG].clone();
    assert_eq!(r.bytes().await.unwrap().as_ref(), CSS);

    // The plain name still works, asked again each time; unchanged, it is a 304.
    let r = app.get(&browser(), "/pkg/esafety.css").await;
    assert_eq!(r.headers()[CACHE_CONTROL], "no-cache");
    let r = browser()
        .get(app.url("/pkg/esafety.css"))
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    assert!(r.bytes().await.unwrap().is_empty());

    // Nothing else is served from the folder, and the compressed copies have no names.
    for missing in [
        "/pkg/esafety.css.br",
        "/pkg/nothing.css",
        "/pkg/../Cargo.toml",
    ] {
        assert_eq!(
            app.get(&browser(), missing).await.status(),
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

#[tokio::test]
async fn files_come_in_the_compressed_copy_the_browser_accepts() {
    let site = site_dir();
    let app = app_with_site(&site).await;
    let fetch = |accept: &'static str| {
        browser()
            .get(app.url("/pkg/esafety.css"))
            .header(ACCEPT_ENCODING, accept)
            .send()
    };
    let r = fetch("gzip, deflate, br").await.unwrap();
    assert_eq!(r.headers()[CONTENT_ENCODING], "br");
    assert_eq!(r.headers()["vary"], "accept-encoding");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"pretend brotli");
    // Brotli refused, and no gzip copy was made: the file as it is (files are never
    // compressed per request: that is done once, when the site is built).
    let r = fetch("gzip, br;q=0").await.unwrap();
    assert!(r.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(r.bytes().await.unwrap().as_ref(), CSS);
}

#[tokio::test]
async fn pages_are_compressed_for_browsers_that_accept_it() {
    let app = spawn_app().await;
    let plain = app.get(&browser(), "/safe-internet").await;
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    let plain = plain.bytes().await.unwrap();
    // As browsers ask: gzip is chosen (brotli is kept for the files compressed at build time).
    for (accept, coding) in [("gzip, deflate, br, zstd", "gzip"), ("gzip", "gzip")] {
        let r = browser()
            .get(app.url("/safe-internet"))
            .header(ACCEPT_ENCODING, accept)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[CONTENT_ENCODING], coding);
        let sent = r.bytes().await.unwrap();
        assert!(
            sent.len() * 2 < plain.len(),
            "{coding}: {} bytes sent for a {}-byte page",
            sent.len(),
            plain.len()
        );
        // And it opens to the very page.
        let mut opened = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&sent[..]), &mut opened)
            .unwrap();
        // (The script nonce is new with every answer.)
        assert_eq!(without_nonces(&opened), without_nonces(&plain));
    }
}

#[tokio::test]
async fn files_are_served_without_the_session_but_with_the_security_headers() {
    let site = site_dir();
    let app = app_with_site(&site).await;
    let learner = app.signed_in("learner@demo.test").await;
    let r = app.get(&learner, "/pkg/esafety.css").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    // It skipped the layers that wrap pages (sessions, the policy gate, the request's
    // log line and id): a file says nothing about who asks.
    assert!(r.headers().get("x-request-id").is_none());
    assert!(r.headers().get(reqwest::header::SET_COOKIE).is_none());
    // Pages still go through them.
    let page = app.get(&learner, "/home").await;
    assert!(page.headers().get("x-request-id").is_some());
}

/// A page's text with each `nonce="…"` emptied.
fn without_nonces(page: &[u8]) -> String {
    let text = String::from_utf8_lossy(page);
    let mut parts = text.split("nonce=\"");
    let mut kept = parts.next().unwrap_or_default().to_string();
    for part in parts {
        kept.push_str("nonce=\"");
        kept.push_str(part.split_once('"').map_or("", |(_, rest)| rest));
    }
    kept
}

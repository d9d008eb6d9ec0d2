//! The baseline for `cargo xtask bench`: a bare axum server answering
//! GET /home and GET /login with bytes held in memory (saved from the real
//! app), and GET /healthz for readiness. Whatever the app costs above this
//! is the app's own work: sessions, database, rendering.
//!
//! Usage: bench-baseline ADDR /PATH=FILE [POST:/PATH=FILE ...]
//! Built in release by `cargo xtask bench` (feature `baseline`).

use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::routing::{get, post};
use axum::Router;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((addr, pages)) = args.split_first() else {
        eprintln!("usage: bench-baseline ADDR /PATH=FILE [/PATH=FILE ...]");
        std::process::exit(2);
    };

    // Same page type as the app; no other headers: this is the floor.
    let page =
        |bytes: Bytes| move || async move { ([(CONTENT_TYPE, "text/html; charset=utf-8")], bytes) };
    let mut app = Router::new().route("/healthz", get(|| async { "ok" }));
    for spec in pages {
        let (path, file) = spec
            .split_once('=')
            .unwrap_or_else(|| panic!("expected /PATH=FILE, got {spec}"));
        let bytes = Bytes::from(std::fs::read(file).unwrap_or_else(|e| panic!("{file}: {e}")));
        // `POST:/path=FILE` answers POST requests (server functions) with the bytes.
        app = match path.strip_prefix("POST:") {
            Some(path) => app.route(path, post(page(bytes))),
            None => app.route(path, get(page(bytes))),
        };
    }

    // A multi-threaded runtime with default workers, like the app's.
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr.as_str())
            .await
            .unwrap_or_else(|e| panic!("bind {addr}: {e}"));
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .expect("serve");
    });
}

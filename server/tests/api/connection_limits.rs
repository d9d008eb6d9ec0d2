//! The limits on connections hold whatever clients do: at most ESAFETY_MAX_CONNECTIONS are
//! open at once (the next waits until one closes, then is answered), and a connection that
//! sits idle, or sends its headers too slowly, is closed by the server.

use crate::helpers::*;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

const REQUEST: &[u8] = b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

async fn connect(app: &TestApp) -> TcpStream {
    let addr = app.base.trim_start_matches("http://");
    TcpStream::connect(addr).await.expect("connects")
}

/// Read until the page's end (the connection stays open, kept alive).
async fn answer(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut got = Vec::new();
    let mut buf = [0u8; 16384];
    timeout(within, async {
        while !String::from_utf8_lossy(&got).contains("</html>") {
            let n = stream.read(&mut buf).await.ok()?;
            if n == 0 {
                return None;
            }
            got.extend_from_slice(&buf[..n]);
        }
        Some(String::from_utf8_lossy(&got).into_owned())
    })
    .await
    .ok()
    .flatten()
}

/// True when the server closes the connection within `within`.
async fn closed_by_server(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 64];
    matches!(
        timeout(within, stream.read(&mut buf)).await,
        Ok(Ok(0)) | Ok(Err(_))
    )
}

#[tokio::test]
async fn connections_past_the_limit_wait_and_idle_ones_are_closed() {
    let app = spawn_app_with(&[
        ("ESAFETY_MAX_CONNECTIONS", "16"),
        (TEST_HEADER_TIMEOUT_MS, "1500"),
    ])
    .await;
    let mut open = Vec::new();
    for _ in 0..16 {
        let mut stream = connect(&app).await;
        stream.write_all(REQUEST).await.unwrap();
        let page = answer(&mut stream, Duration::from_secs(10)).await;
        assert!(page.is_some_and(|p| p.starts_with("HTTP/1.1 200")));
        open.push(stream);
    }
    // The 17th is taken by the kernel but not by the server: no answer yet.
    let mut waiting = connect(&app).await;
    waiting.write_all(REQUEST).await.unwrap();
    assert_eq!(
        answer(&mut waiting, Duration::from_millis(700)).await,
        None,
        "16 connections are open: the 17th waits"
    );
    // The idle ones are closed once the header timeout passes; then the 17th is answered.
    assert!(closed_by_server(&mut open[0], Duration::from_secs(5)).await);
    let page = answer(&mut waiting, Duration::from_secs(5)).await;
    assert!(
        page.is_some_and(|p| p.starts_with("HTTP/1.1 200")),
        "answered once a place was free"
    );
}

#[tokio::test]
async fn headers_sent_too_slowly_close_the_connection() {
    let app = spawn_app_with(&[(TEST_HEADER_TIMEOUT_MS, "1000")]).await;
    let mut slow = connect(&app).await;
    slow.write_all(b"GET /login HTTP/1.1\r\nHo").await.unwrap();
    assert!(
        closed_by_server(&mut slow, Duration::from_secs(5)).await,
        "a request whose headers never finish does not hold a connection"
    );
    // Everyone else is answered as before.
    let mut quick = connect(&app).await;
    quick.write_all(REQUEST).await.unwrap();
    let page = answer(&mut quick, Duration::from_secs(5)).await;
    assert!(page.is_some_and(|p| p.starts_with("HTTP/1.1 200")));
}

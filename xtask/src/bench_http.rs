//! A tiny HTTP/1.1 client for `cargo xtask bench`: sign-in, fetching pages and calling
//! server functions, with nothing but the standard library.

use crate::util::{self, Result};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

pub struct Response {
    pub status: u16,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Response> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nUser-Agent: xtask-bench\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Result<Response> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("incomplete HTTP response")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or("bad HTTP status line")?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body)?;
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// Decode a `Transfer-Encoding: chunked` body (SSR pages are streamed).
fn dechunk(mut data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("bad chunk header")?;
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| format!("bad chunk size `{size_text}`"))?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size + 2 {
            return Err("truncated chunk".into());
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

pub fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// POST the sign-in form like a browser without JavaScript would, and return
/// `esafety_session=...` from the Set-Cookie header.
pub fn sign_in(addr: SocketAddr, email: &str, password: &str) -> Result<String> {
    let body = format!(
        "email={}&password={}",
        form_encode(email),
        form_encode(password)
    );
    let r = http(
        addr,
        "POST",
        "/api/auth/sign_in",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Referer", &format!("http://{addr}/login")),
            ("Origin", &format!("http://{addr}")),
        ],
        body.as_bytes(),
    )?;
    let cookie = r
        .header_values("set-cookie")
        .find(|v| v.starts_with("esafety_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string);
    match cookie {
        Some(c) if (300..400).contains(&r.status) || r.status == 200 => Ok(c),
        _ => Err(format!(
            "sign-in did not give a session cookie: HTTP {}, headers {:?}",
            r.status, r.headers
        )
        .into()),
    }
}

pub fn get(addr: SocketAddr, path: &str, cookie: Option<&str>) -> Result<Vec<u8>> {
    let headers: Vec<(&str, &str)> = cookie.map(|c| ("Cookie", c)).into_iter().collect();
    let r = http(addr, "GET", path, &headers, b"")?;
    if r.status != 200 {
        return Err(format!("GET {path}: HTTP {} (expected 200)", r.status).into());
    }
    Ok(r.body)
}

/// Poll until `path` answers 200, the child exits, or the deadline passes.
pub fn wait_ready(
    addr: SocketAddr,
    path: &str,
    child: Option<&Child>,
    limit: Duration,
) -> Result<()> {
    let deadline = Instant::now() + limit;
    loop {
        if let Ok(r) = http(addr, "GET", path, &[], b"") {
            if r.status == 200 {
                return Ok(());
            }
        }
        if let Some(c) = child {
            if !Path::new(&format!("/proc/{}", c.id())).exists() {
                return Err(format!("the server on {addr} exited during start-up").into());
            }
        }
        if Instant::now() > deadline || util::interrupted() {
            return Err(format!("{addr}{path} not ready after {} s", limit.as_secs()).into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_chunked_responses() {
        let raw = b"HTTP/1.1 302 Found\r\nSet-Cookie: esafety_session=abc; Path=/; HttpOnly\r\n\
                    Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;x=y\r\n, world\r\n0\r\n\r\n";
        let r = parse_response(raw).unwrap();
        assert_eq!(r.status, 302);
        assert_eq!(r.body, b"hello, world");
        assert_eq!(
            r.header_values("set-cookie").next(),
            Some("esafety_session=abc; Path=/; HttpOnly")
        );
    }

    #[test]
    fn encodes_form_values() {
        assert_eq!(form_encode("learner@demo.test"), "learner%40demo.test");
        assert_eq!(form_encode("a b&c=d"), "a+b%26c%3Dd");
    }
}

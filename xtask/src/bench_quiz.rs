//! The quiz-submission load for `cargo xtask bench`. oha sends one fixed request, but
//! each submission needs its own open attempt (an attempt is submitted once), so this
//! loader runs one thread per signed-in person: open the quiz (server function, JSON),
//! answer every question, submit, repeat. Only the submissions are timed; both the app
//! and the baseline (serving the same bytes for both calls) get the identical loop.

use crate::bench_http::http;
use crate::bench_load::LoadResult;
use crate::util::Result;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// The submit form for a quiz as the app sends it: the first option of every question
/// (a box ticked for multiple-answer questions). Right or wrong does not matter here.
pub fn answer_form(quiz_json: &[u8]) -> Result<String> {
    let quiz: serde_json::Value = serde_json::from_slice(quiz_json)?;
    let attempt = quiz["attempt_id"]
        .as_str()
        .ok_or("no attempt_id in the quiz")?;
    let mut form = format!("attempt_id={attempt}");
    for q in quiz["questions"]
        .as_array()
        .ok_or("no questions in the quiz")?
    {
        let id = q["id"].as_str().ok_or("a question without an id")?;
        let first = q["options"][0][0]
            .as_str()
            .ok_or("a question without options")?;
        if q["multiple"].as_bool() == Some(true) {
            form.push_str(&format!("&answers%5B{id}__{first}%5D=on"));
        } else {
            form.push_str(&format!("&answers%5B{id}%5D={first}"));
        }
    }
    Ok(form)
}

/// A server function called as a program would (form in, JSON out) with a session cookie.
pub fn call(addr: SocketAddr, path: &str, cookie: &str, body: &str) -> Result<(u16, Vec<u8>)> {
    let r = http(
        addr,
        "POST",
        path,
        &[
            ("Cookie", cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "application/json"),
        ],
        body.as_bytes(),
    )?;
    Ok((r.status, r.body))
}

/// Run the open-then-submit loop on `addr` with one thread per cookie for `secs`.
pub fn load(addr: SocketAddr, cookies: &[String], module_id: &str, secs: u64) -> LoadResult {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let handles: Vec<_> = cookies
        .iter()
        .cloned()
        .map(|cookie| {
            let open_body = format!("module_id={module_id}");
            std::thread::spawn(move || {
                let (mut times, mut failures) = (Vec::new(), 0u64);
                while Instant::now() < deadline {
                    let form = match call(addr, "/api/learning/quiz", &cookie, &open_body) {
                        Ok((200, body)) => answer_form(&body),
                        _ => Err("the quiz did not open".into()),
                    };
                    let Ok(form) = form else {
                        failures += 1;
                        continue;
                    };
                    let t = Instant::now();
                    match call(addr, "/api/learning/submit", &cookie, &form) {
                        Ok((200, _)) => times.push(t.elapsed()),
                        _ => failures += 1,
                    }
                }
                (times, failures)
            })
        })
        .collect();
    let mut times = Vec::new();
    let mut failures = 0;
    for h in handles {
        if let Ok((t, f)) = h.join() {
            times.extend(t);
            failures += f;
        }
    }
    let wall = started.elapsed().as_secs_f64();
    times.sort();
    let at = |p: f64| {
        times
            .get(((times.len() as f64 * p) as usize).min(times.len().saturating_sub(1)))
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    LoadResult {
        rps: times.len() as f64 / wall,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        problems: if failures > 0 {
            format!("{failures} failed open or submit calls")
        } else {
            String::new()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::answer_form;

    #[test]
    fn answers_every_question_with_its_first_option() {
        let quiz = br#"{"attempt_id":"a1","questions":[
            {"id":"q1","multiple":false,"options":[["b","B"],["a","A"]]},
            {"id":"q2","multiple":true,"options":[["c","C"]]}]}"#;
        assert_eq!(
            answer_form(quiz).unwrap(),
            "attempt_id=a1&answers%5Bq1%5D=b&answers%5Bq2__c%5D=on"
        );
    }
}

//! The cohort benches in `cargo xtask bench`: enrolling 5,000 learners from one file (the
//! preview and the all-or-nothing confirmation, with an invitation each through the
//! outbox), and a cohort of 500 learners whose grid page the load then asks for at 16
//! connections (a tutor team, not a crowd), beside the same-bytes baseline.

use crate::bench_http::form_encode;
use crate::bench_quiz::call;
use crate::bench_training::post;
use crate::util::{say, Result};
use std::net::SocketAddr;

/// Learners enrolled from one file, and in the grid's cohort.
const FILE_LEARNERS: usize = 5_000;
const GRID_LEARNERS: usize = 500;

fn create_cohort(addr: SocketAddr, cookie: &str, name: &str) -> Result<String> {
    let form = format!(
        "name={}&starts_on=01%2F09%2F2026&ends_on=31%2F07%2F2027",
        form_encode(name)
    );
    post(addr, cookie, "cohorts/create", &form)?;
    let (status, body) = call(addr, "/api/cohorts/list", cookie, "")?;
    if status != 200 {
        return Err(format!("cohorts/list: HTTP {status}").into());
    }
    let list: serde_json::Value = serde_json::from_slice(&body)?;
    list["cohorts"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["name"] == name))
        .and_then(|c| c["id"].as_str())
        .map(str::to_string)
        .ok_or_else(|| format!("the cohort {name} was not created").into())
}

fn file_of(cohort: &str, prefix: &str, learners: usize) -> String {
    let mut csv = String::from("First name,Last name,Email,Cohort,Start date\n");
    for n in 0..learners {
        csv.push_str(&format!(
            "Learner,{prefix}{n:05},{prefix}{n:05}@bench.test,{cohort},01/09/2026\n"
        ));
    }
    csv
}

/// Enrol the file's learners as `cookie` (an administrator): upload, preview, confirm
/// times in ms.
fn enrol(addr: SocketAddr, cookie: &str, csv: &str) -> Result<(f64, f64, f64)> {
    let form = format!("csv={}&file_name=bench.csv", form_encode(csv));
    let upload = post(addr, cookie, "cohorts/enrolment_upload", &form)?;
    let preview = post(addr, cookie, "cohorts/enrolment_state", "")?;
    let confirm = post(addr, cookie, "cohorts/enrolment_confirm", "")?;
    Ok((upload, preview, confirm))
}

/// Enrol the two cohorts: the report line and the grid page's path.
pub fn prepare(addr: SocketAddr, cookie: &str) -> Result<(String, Vec<String>)> {
    say(format!("Enrolling {FILE_LEARNERS} learners from one file"));
    create_cohort(addr, cookie, "Bench file")?;
    let (upload, preview, confirm) =
        enrol(addr, cookie, &file_of("Bench file", "f", FILE_LEARNERS))?;
    let mut lines = vec![format!(
        "enrolment of {FILE_LEARNERS} learners from one file (new accounts, each invited): upload {upload:.0} ms, preview {preview:.0} ms, confirm {confirm:.0} ms"
    )];
    say(format!("A cohort of {GRID_LEARNERS} learners for the grid"));
    let grid = create_cohort(addr, cookie, "Bench grid")?;
    let (_, _, confirm) = enrol(addr, cookie, &file_of("Bench grid", "g", GRID_LEARNERS))?;
    lines.push(format!(
        "enrolment of {GRID_LEARNERS} learners for the grid: confirm {confirm:.0} ms"
    ));
    Ok((format!("/cohorts/{grid}"), lines))
}

//! Reading what the test runners print for `cargo xtask test`: cargo's
//! `test result:` lines, Playwright's JSON report, and cargo's list of a
//! package's integration tests.

use crate::util::Result;

/// Sum `N passed; M failed` over every `test result:` line (one per test
/// binary and one for doc-tests).
pub fn parse_cargo_test(output: &str) -> (u32, u32) {
    let mut passed = 0;
    let mut failed = 0;
    for line in output.lines() {
        let Some(rest) = line.trim().strip_prefix("test result:") else {
            continue;
        };
        for part in rest.split(['.', ';']) {
            let mut words = part.split_whitespace();
            if let (Some(num), Some(word)) = (words.next(), words.next()) {
                match (num.parse::<u32>(), word) {
                    (Ok(k), "passed") => passed += k,
                    (Ok(k), "failed") => failed += k,
                    _ => {}
                }
            }
        }
    }
    (passed, failed)
}

#[derive(Debug, PartialEq)]
pub struct PlaywrightResult {
    pub passed: u32,
    pub failed: u32,
    pub flaky: u32,
    pub skipped: u32,
    pub errors: Vec<String>,
}

/// Read the counts from Playwright's JSON reporter. `expected` tests passed,
/// `unexpected` failed, `flaky` failed first and passed on a retry (counted
/// as passed, and reported).
pub fn parse_playwright_json(text: &str) -> Result<PlaywrightResult> {
    let v: serde_json::Value = serde_json::from_str(text)?;
    let stats = v.get("stats").ok_or("no `stats` in the report")?;
    let num = |k: &str| {
        stats
            .get(k)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0) as u32
    };
    let errors = v
        .get("errors")
        .and_then(serde_json::Value::as_array)
        .map(|errs| {
            errs.iter()
                .map(|e| {
                    first_line(
                        e.get("message")
                            .and_then(serde_json::Value::as_str)
                            .unwrap_or("unknown error"),
                    )
                    .to_string()
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(PlaywrightResult {
        passed: num("expected") + num("flaky"),
        failed: num("unexpected"),
        flaky: num("flaky"),
        skipped: num("skipped"),
        errors,
    })
}

pub fn test_targets(metadata: &serde_json::Value, package: &str) -> Vec<String> {
    let packages = metadata["packages"].as_array().into_iter().flatten();
    packages
        .filter(|p| p["name"] == package)
        .flat_map(|p| p["targets"].as_array().into_iter().flatten())
        .filter(|t| {
            t["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "test"))
        })
        .filter_map(|t| t["name"].as_str().map(str::to_string))
        .collect()
}

pub fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_every_test_result_line() {
        let out = "\
running 3 tests
test a ... ok
test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s

running 5 tests
test b ... FAILED
test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.20s

   Doc-tests app
test result: ok. 0 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s
";
        assert_eq!(parse_cargo_test(out), (6, 2));
    }

    #[test]
    fn no_result_lines_means_nothing_counted() {
        assert_eq!(
            parse_cargo_test("error[E0425]: cannot find value `x`\n"),
            (0, 0)
        );
    }

    #[test]
    fn finds_integration_test_targets() {
        let meta: serde_json::Value = serde_json::from_str(
            r#"{"packages":[
              {"name":"server","targets":[
                {"name":"esafety","kind":["bin"]},
                {"name":"api","kind":["test"]},
                {"name":"auth","kind":["test"]}]},
              {"name":"app","targets":[{"name":"app","kind":["cdylib","rlib"]}]}]}"#,
        )
        .unwrap();
        assert_eq!(test_targets(&meta, "server"), vec!["api", "auth"]);
        assert!(test_targets(&meta, "app").is_empty());
    }

    #[test]
    fn reads_playwright_stats() {
        let json = r#"{
          "config": {}, "suites": [],
          "errors": [],
          "stats": { "startTime": "2025-01-01T00:00:00.000Z", "duration": 1234.5,
                     "expected": 16, "skipped": 1, "unexpected": 2, "flaky": 1 }
        }"#;
        assert_eq!(
            parse_playwright_json(json).unwrap(),
            PlaywrightResult {
                passed: 17,
                failed: 2,
                flaky: 1,
                skipped: 1,
                errors: vec![]
            }
        );
    }

    #[test]
    fn keeps_playwright_global_errors() {
        let json = r#"{"errors":[{"message":"Error: Process from config.webServer exited early.\nmore"}],
                       "stats":{"expected":0,"skipped":0,"unexpected":0,"flaky":0}}"#;
        let r = parse_playwright_json(json).unwrap();
        assert_eq!(
            r.errors,
            vec!["Error: Process from config.webServer exited early."]
        );
        assert_eq!((r.passed, r.failed), (0, 0));
    }
}

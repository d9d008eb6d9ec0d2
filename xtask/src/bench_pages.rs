//! Finding the pages `cargo xtask bench` loads, as a person would reach them: a section
//! link on the module page, the stylesheet the pages name (its name carries a content
//! hash), and a certificate earned by passing a quiz with the right answers (read from the
//! module's `quiz.toml`), for the public `/verify/CODE` page.

use crate::bench_quiz::call;
use crate::util::{self, Result};
use std::collections::HashMap;
use std::net::SocketAddr;

/// The first `href` in `html` that starts with `prefix`.
pub fn link_starting(html: &[u8], prefix: &str) -> Option<String> {
    let text = String::from_utf8_lossy(html);
    let needle = format!("href=\"{prefix}");
    let at = text.find(&needle)? + "href=\"".len();
    let end = text[at..].find('"')?;
    Some(text[at..at + end].to_string())
}

/// The stylesheet a page links to.
pub fn stylesheet(html: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(html);
    let tag_start = text.find("<link rel=\"stylesheet\"")?;
    let tag = &text[tag_start..tag_start + text[tag_start..].find('>')?];
    link_starting(tag.as_bytes(), "/")
}

/// Each question's right options, from a module's `quiz.toml` (line by line: the bench
/// needs only ids and `correct = true`).
fn right_answers(quiz_toml: &str) -> HashMap<String, Vec<String>> {
    let mut answers: HashMap<String, Vec<String>> = HashMap::new();
    let (mut question, mut option, mut in_option) = (String::new(), String::new(), false);
    for line in quiz_toml.lines().map(str::trim) {
        if line == "[[question]]" {
            in_option = false;
        } else if line == "[[question.option]]" {
            in_option = true;
        } else if let Some(id) = line.strip_prefix("id = \"") {
            let id = id.trim_end_matches('"').to_string();
            if in_option {
                option = id;
            } else {
                question = id;
            }
        } else if line == "correct = true" && in_option {
            answers
                .entry(question.clone())
                .or_default()
                .push(option.clone());
        }
    }
    answers
}

/// Open `module`'s quiz as `cookie`, answer every question right and submit: the
/// certificate's code.
pub fn pass_quiz(addr: SocketAddr, cookie: &str, module: &str) -> Result<String> {
    let toml_path = util::root()
        .join("content/modules")
        .join(module)
        .join("quiz.toml");
    let answers = right_answers(&std::fs::read_to_string(&toml_path)?);
    let (status, body) = call(
        addr,
        "/api/learning/quiz",
        cookie,
        &format!("module_id={module}"),
    )?;
    if status != 200 {
        return Err(format!("opening the {module} quiz: HTTP {status}").into());
    }
    let quiz: serde_json::Value = serde_json::from_slice(&body)?;
    let attempt = quiz["attempt_id"].as_str().ok_or("no attempt_id")?;
    let mut form = format!("attempt_id={attempt}");
    for q in quiz["questions"].as_array().ok_or("no questions")? {
        let id = q["id"].as_str().ok_or("a question without an id")?;
        let right = answers
            .get(id)
            .ok_or(format!("{id}: no right answer in {}", toml_path.display()))?;
        for option in right {
            if q["multiple"].as_bool() == Some(true) {
                form.push_str(&format!("&answers%5B{id}__{option}%5D=on"));
            } else {
                form.push_str(&format!("&answers%5B{id}%5D={option}"));
            }
        }
    }
    let (status, _) = call(addr, "/api/learning/submit", cookie, &form)?;
    if status != 200 {
        return Err(format!("submitting the {module} quiz: HTTP {status}").into());
    }
    // The result, as the page after submitting shows it.
    let (status, body) = call(
        addr,
        "/api/learning/attempt",
        cookie,
        &format!("attempt_id={attempt}"),
    )?;
    let result: serde_json::Value = serde_json::from_slice(&body)?;
    result["certificate_code"]
        .as_str()
        .map(str::to_string)
        .ok_or(format!("passing the {module} quiz gave no certificate: HTTP {status}").into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_and_the_stylesheet() {
        let html = br#"<link rel="stylesheet" href="/pkg/esafety.AbC.css"/><a href="/x">x</a>
            <a href="/induction/grooming/read/how-to-spot-it">Read</a>"#;
        assert_eq!(stylesheet(html).as_deref(), Some("/pkg/esafety.AbC.css"));
        assert_eq!(
            link_starting(html, "/induction/grooming/read/").as_deref(),
            Some("/induction/grooming/read/how-to-spot-it")
        );
        assert_eq!(link_starting(html, "/nowhere"), None);
    }

    #[test]
    fn reads_right_answers_per_question() {
        let toml = "[[question]]\nid = \"q1\"\n[[question.option]]\nid = \"a\"\n\
                    [[question.option]]\nid = \"b\"\ncorrect = true\n\
                    [[question]]\nid = \"q2\"\n[[question.option]]\nid = \"a\"\ncorrect = true\n\
                    [[question.option]]\nid = \"c\"\ncorrect = true\n";
        let answers = right_answers(toml);
        assert_eq!(answers["q1"], vec!["b"]);
        assert_eq!(answers["q2"], vec!["a", "c"]);
    }
}

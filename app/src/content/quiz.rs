//! A module's quiz, read from `quiz.toml` and checked against the rules in
//! `content/README.md`. The answer key stays on the server: see `learning`.

use serde::Deserialize;
use std::collections::HashSet;
use toml::Spanned;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionKind {
    Single,
    Multiple,
    TrueFalse,
    Scenario,
}

impl QuestionKind {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "single" => Some(Self::Single),
            "multiple" => Some(Self::Multiple),
            "true-false" => Some(Self::TrueFalse),
            "scenario" => Some(Self::Scenario),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerOption {
    pub id: String,
    pub text: String,
    pub correct: bool,
    pub feedback: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    /// One or more of the 4Cs (content, contact, conduct, commerce), in the order written.
    pub risks: Vec<String>,
    pub topic: String,
    pub scenario: Option<String>,
    pub prompt: String,
    pub options: Vec<AnswerOption>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quiz {
    pub questions: Vec<Question>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuizFile {
    #[serde(default)]
    question: Vec<QuestionFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    id: Spanned<String>,
    kind: Spanned<String>,
    /// `"contact"`, or a list: `["contact", "conduct"]`.
    risk: Spanned<toml::Value>,
    topic: String,
    scenario: Option<String>,
    prompt: String,
    #[serde(default)]
    option: Vec<OptionFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionFile {
    id: Spanned<String>,
    text: String,
    #[serde(default)]
    correct: bool,
    feedback: String,
}

pub const MIN_QUESTIONS: usize = 8;
pub const MAX_QUESTIONS: usize = 12;
const RISKS: [&str; 4] = ["content", "contact", "conduct", "commerce"];
/// The longest topic a question may have (tutors read them in a table).
const MAX_TOPIC: usize = 60;

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The risks a question's `risk` names: one, or a list of one or more, each of the 4Cs
/// and each once.
fn risks_of(value: &toml::Value) -> Result<Vec<String>, String> {
    let named: Vec<&str> = match value {
        toml::Value::String(one) => vec![one.as_str()],
        toml::Value::Array(many) => many.iter().filter_map(toml::Value::as_str).collect(),
        _ => Vec::new(),
    };
    let all_text = value.as_array().is_none_or(|a| a.len() == named.len());
    if named.is_empty() || !all_text {
        return Err(
            "risk must be one or more of content, contact, conduct or commerce, like risk = \"contact\" or risk = [\"contact\", \"conduct\"]".to_string(),
        );
    }
    let mut risks: Vec<String> = Vec::with_capacity(named.len());
    for risk in named {
        if !RISKS.contains(&risk) {
            return Err(format!(
                "risk '{risk}' is not one of content, contact, conduct or commerce"
            ));
        }
        if risks.iter().any(|r| r == risk) {
            return Err(format!("risk '{risk}' is listed twice"));
        }
        risks.push(risk.to_string());
    }
    Ok(risks)
}

/// Parse and check a quiz. Problems are (line, message).
pub fn parse(text: &str) -> Result<Quiz, Vec<(usize, String)>> {
    let file: QuizFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_at(text, s.start)).unwrap_or(1);
        vec![(line, format!("not valid quiz TOML: {}", e.message()))]
    })?;
    let mut problems = Vec::new();
    let count = file.question.len();
    if !(MIN_QUESTIONS..=MAX_QUESTIONS).contains(&count) {
        problems.push((
            1,
            format!(
                "a quiz has {MIN_QUESTIONS} to {MAX_QUESTIONS} questions; this one has {count}"
            ),
        ));
    }
    let mut question_ids = HashSet::new();
    let mut questions = Vec::with_capacity(count);
    for q in file.question {
        let line = line_at(text, q.id.span().start);
        let id = q.id.get_ref().clone();
        if !is_id(&id) {
            problems.push((
                line,
                format!("question id '{id}' must be lower case letters, digits and hyphens"),
            ));
        }
        if !question_ids.insert(id.clone()) {
            problems.push((line, format!("duplicate question id '{id}'")));
        }
        let Some(kind) = QuestionKind::parse(q.kind.get_ref()) else {
            let kind_line = line_at(text, q.kind.span().start);
            problems.push((
                kind_line,
                format!(
                    "question '{id}': unknown kind '{}' (single, multiple, true-false or scenario)",
                    q.kind.get_ref()
                ),
            ));
            continue;
        };
        let risks = risks_of(q.risk.get_ref()).unwrap_or_else(|problem| {
            let risk_line = line_at(text, q.risk.span().start);
            problems.push((risk_line, format!("question '{id}': {problem}")));
            Vec::new()
        });
        if q.prompt.trim().is_empty() {
            problems.push((line, format!("question '{id}' has an empty prompt")));
        }
        // Tutors see wrong first answers grouped by topic (the cohort's "what to revisit").
        let topic = q.topic.trim();
        if topic.is_empty() || topic.chars().count() > MAX_TOPIC {
            problems.push((
                line,
                format!("question '{id}': give it a topic of 1 to {MAX_TOPIC} characters, like \"online grooming\""),
            ));
        }
        match (kind, &q.scenario) {
            (QuestionKind::Scenario, None) => {
                problems.push((line, format!("scenario question '{id}' needs a scenario")))
            }
            (QuestionKind::Scenario, Some(_)) | (_, None) => {}
            (_, Some(_)) => problems.push((
                line,
                format!("question '{id}': only scenario questions have a scenario"),
            )),
        }
        let mut option_ids = HashSet::new();
        let mut options = Vec::with_capacity(q.option.len());
        for o in q.option {
            let option_line = line_at(text, o.id.span().start);
            let option_id = o.id.get_ref().clone();
            if !is_id(&option_id) {
                problems.push((option_line, format!("question '{id}': option id '{option_id}' must be lower case letters, digits and hyphens")));
            }
            if !option_ids.insert(option_id.clone()) {
                problems.push((
                    option_line,
                    format!("question '{id}': duplicate option id '{option_id}'"),
                ));
            }
            if o.feedback.trim().is_empty() || o.text.trim().is_empty() {
                problems.push((
                    option_line,
                    format!("question '{id}': option '{option_id}' needs text and feedback"),
                ));
            }
            if o.text.to_lowercase().contains("all of the above") {
                problems.push((
                    option_line,
                    format!("question '{id}': no \"all of the above\" (options are shuffled)"),
                ));
            }
            options.push(AnswerOption {
                id: option_id,
                text: o.text.trim().to_string(),
                correct: o.correct,
                feedback: o.feedback.trim().to_string(),
            });
        }
        let correct = options.iter().filter(|o| o.correct).count();
        let n = options.len();
        let rule = match kind {
            QuestionKind::Single | QuestionKind::Scenario => (!(3..=4).contains(&n))
                .then(|| "needs 3 or 4 options".to_string())
                .or_else(|| {
                    (correct != 1)
                        .then(|| format!("needs exactly one correct option (has {correct})"))
                }),
            QuestionKind::Multiple => (!(4..=5).contains(&n))
                .then(|| "needs 4 or 5 options".to_string())
                .or_else(|| {
                    (correct < 2)
                        .then(|| format!("needs at least two correct options (has {correct})"))
                }),
            QuestionKind::TrueFalse => {
                let ids: HashSet<&str> = options.iter().map(|o| o.id.as_str()).collect();
                (n != 2 || !ids.contains("true") || !ids.contains("false"))
                    .then(|| "needs exactly two options, with ids 'true' and 'false'".to_string())
                    .or_else(|| {
                        (correct != 1)
                            .then(|| format!("needs exactly one correct option (has {correct})"))
                    })
            }
        };
        if let Some(rule) = rule {
            problems.push((line, format!("question '{id}' {rule}")));
        }
        questions.push(Question {
            id,
            kind,
            risks,
            topic: q.topic,
            scenario: q.scenario.map(|s| s.trim().to_string()),
            prompt: q.prompt.trim().to_string(),
            options,
        });
    }
    if problems.is_empty() {
        Ok(Quiz { questions })
    } else {
        problems.sort_by_key(|(line, _)| *line);
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(id: &str, kind: &str, options: &[(&str, bool)]) -> String {
        let mut text = format!("[[question]]\nid = \"{id}\"\nkind = \"{kind}\"\nrisk = \"contact\"\ntopic = \"t\"\nprompt = \"p?\"\n");
        if kind == "scenario" {
            text.push_str("scenario = \"s\"\n");
        }
        for (oid, correct) in options {
            text.push_str(&format!("\n[[question.option]]\nid = \"{oid}\"\ntext = \"x\"\ncorrect = {correct}\nfeedback = \"f\"\n"));
        }
        text
    }

    fn quiz(extra: &str) -> String {
        let mut text: String = (0..7)
            .map(|n| {
                question(
                    &format!("q{n}"),
                    "single",
                    &[("a", true), ("b", false), ("c", false)],
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        text.push('\n');
        text.push_str(extra);
        text
    }

    #[test]
    fn every_question_has_a_topic() {
        let blank = quiz(
            &question("tf", "true-false", &[("true", true), ("false", false)])
                .replace("topic = \"t\"", "topic = \" \""),
        );
        let problems = parse(&blank).unwrap_err();
        assert!(
            problems
                .iter()
                .any(|(_, p)| p.contains("question 'tf': give it a topic")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_valid_quiz_parses() {
        let text = quiz(&question(
            "tf",
            "true-false",
            &[("true", true), ("false", false)],
        ));
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed.questions.len(), 8);
        assert_eq!(parsed.questions[7].kind, QuestionKind::TrueFalse);
    }

    #[test]
    fn a_question_carries_one_or_more_of_the_four_cs() {
        let tf = question("tf", "true-false", &[("true", true), ("false", false)]);
        let two = quiz(&tf.replace("risk = \"contact\"", "risk = [\"contact\", \"conduct\"]"));
        let parsed = parse(&two).unwrap();
        assert_eq!(parsed.questions[7].risks, ["contact", "conduct"]);
        assert_eq!(parsed.questions[0].risks, ["contact"]);

        for (written, problem) in [
            ("[]", "risk must be one or more"),
            ("7", "risk must be one or more"),
            ("[\"contact\", 7]", "risk must be one or more"),
            ("\"cyberbullying\"", "risk 'cyberbullying' is not one of"),
            (
                "[\"conduct\", \"conduct\"]",
                "risk 'conduct' is listed twice",
            ),
        ] {
            let text = quiz(&tf.replace("risk = \"contact\"", &format!("risk = {written}")));
            let problems = parse(&text).unwrap_err();
            let (line, message) = problems
                .iter()
                .find(|(_, m)| m.starts_with("question 'tf': "))
                .unwrap_or_else(|| panic!("{written}: {problems:?}"));
            assert!(message.contains(problem), "{written}: {message}");
            assert!(text.lines().nth(line - 1).unwrap().starts_with("risk = "));
        }
    }

    #[test]
    fn each_broken_rule_is_reported_with_its_line() {
        let no_correct = quiz(&question(
            "none",
            "single",
            &[("a", false), ("b", false), ("c", false)],
        ));
        let problems = parse(&no_correct).unwrap_err();
        assert!(problems
            .iter()
            .any(|(_, m)| m == "question 'none' needs exactly one correct option (has 0)"));
        let line = problems[0].0;
        assert_eq!(no_correct.lines().nth(line - 1).unwrap(), "id = \"none\"");

        let duplicate = quiz(&question(
            "q0",
            "single",
            &[("a", true), ("b", false), ("c", false)],
        ));
        assert!(parse(&duplicate)
            .unwrap_err()
            .iter()
            .any(|(_, m)| m == "duplicate question id 'q0'"));

        let too_few = question("only", "single", &[("a", true), ("b", false), ("c", false)]);
        assert!(parse(&too_few).unwrap_err()[0]
            .1
            .contains("8 to 12 questions"));

        let unknown = quiz(&question("x", "essay", &[]));
        assert!(parse(&unknown)
            .unwrap_err()
            .iter()
            .any(|(_, m)| m.contains("unknown kind 'essay'")));

        let bad_toml = "[[question]]\nid = \"a\nkind";
        assert!(parse(bad_toml).unwrap_err()[0]
            .1
            .starts_with("not valid quiz TOML"));

        let extra_field = quiz(
            &question("tf", "true-false", &[("true", true), ("false", false)])
                .replace("topic", "colour = \"red\"\ntopic"),
        );
        assert!(parse(&extra_field).unwrap_err()[0]
            .1
            .contains("unknown field"));
    }
}

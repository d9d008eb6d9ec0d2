//! Marking a quiz attempt, on the server only. The rules:
//! - single choice, scenario and true-or-false: right when the one correct option is chosen;
//! - multiple choice: right only when exactly the correct options are chosen (a partial
//!   answer is wrong, not half-right);
//! - every question must be answered, and every id must be one the quiz has: anything
//!   else is refused and nothing is recorded.
//!
//! Answers arrive as form fields: `q` = `option` for one-answer questions, and
//! `q__option` = `on` for each ticked box of a multiple-choice question.

use crate::content::quiz::{Question, QuestionKind, Quiz};
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedQuestion {
    pub question_id: String,
    pub chosen: BTreeSet<String>,
    pub right: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    pub questions: Vec<MarkedQuestion>,
    pub score: usize,
    pub total: usize,
}

impl Marked {
    /// Whether the score reaches `pass_mark` per cent.
    pub fn passes(&self, pass_mark: u8) -> bool {
        self.total > 0 && self.score * 100 >= usize::from(pass_mark) * self.total
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkingError {
    /// A question or option id the quiz does not have: the form was tampered with.
    UnknownAnswer(String),
    /// Questions left unanswered, by their number in the quiz (1-based).
    Unanswered(Vec<usize>),
}

const MULTI_SEPARATOR: &str = "__";

fn option_exists(question: &Question, option_id: &str) -> bool {
    question.options.iter().any(|o| o.id == option_id)
}

/// What was chosen for each question, after checking every field names a real answer.
fn chosen_by_question(
    quiz: &Quiz,
    answers: &HashMap<String, String>,
) -> Result<HashMap<String, BTreeSet<String>>, MarkingError> {
    let by_id: HashMap<&str, &Question> =
        quiz.questions.iter().map(|q| (q.id.as_str(), q)).collect();
    let mut chosen: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (field, value) in answers {
        let (question_id, option_id) = match field.split_once(MULTI_SEPARATOR) {
            Some((q, o)) => (q, o),
            None => (field.as_str(), value.as_str()),
        };
        let question = by_id
            .get(question_id)
            .ok_or_else(|| MarkingError::UnknownAnswer(field.clone()))?;
        let multiple = question.kind == QuestionKind::Multiple;
        let well_formed = multiple == field.contains(MULTI_SEPARATOR);
        if !well_formed || !option_exists(question, option_id) {
            return Err(MarkingError::UnknownAnswer(field.clone()));
        }
        chosen
            .entry(question_id.to_string())
            .or_default()
            .insert(option_id.to_string());
    }
    Ok(chosen)
}

pub fn mark(quiz: &Quiz, answers: &HashMap<String, String>) -> Result<Marked, MarkingError> {
    let mut chosen = chosen_by_question(quiz, answers)?;
    let unanswered: Vec<usize> = quiz
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| !chosen.contains_key(&q.id))
        .map(|(n, _)| n + 1)
        .collect();
    if !unanswered.is_empty() {
        return Err(MarkingError::Unanswered(unanswered));
    }
    let questions: Vec<MarkedQuestion> = quiz
        .questions
        .iter()
        .map(|q| {
            let picked = chosen.remove(&q.id).unwrap_or_default();
            let correct: BTreeSet<String> = q
                .options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.clone())
                .collect();
            MarkedQuestion {
                question_id: q.id.clone(),
                right: picked == correct,
                chosen: picked,
            }
        })
        .collect();
    let score = questions.iter().filter(|q| q.right).count();
    Ok(Marked {
        total: questions.len(),
        score,
        questions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::quiz::AnswerOption;

    fn option(id: &str, correct: bool) -> AnswerOption {
        AnswerOption {
            id: id.into(),
            text: id.into(),
            correct,
            feedback: "f".into(),
        }
    }

    fn quiz() -> Quiz {
        let q = |id: &str, kind, options| Question {
            id: id.into(),
            kind,
            risks: vec!["contact".into()],
            topic: "t".into(),
            scenario: None,
            prompt: "p".into(),
            options,
        };
        Quiz {
            questions: vec![
                q(
                    "one",
                    QuestionKind::Single,
                    vec![option("a", true), option("b", false), option("c", false)],
                ),
                q(
                    "many",
                    QuestionKind::Multiple,
                    vec![
                        option("a", true),
                        option("b", true),
                        option("c", false),
                        option("d", false),
                    ],
                ),
                q(
                    "tf",
                    QuestionKind::TrueFalse,
                    vec![option("true", false), option("false", true)],
                ),
            ],
        }
    }

    fn answers(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn all_right_scores_full_marks_and_passes() {
        let marked = mark(
            &quiz(),
            &answers(&[
                ("one", "a"),
                ("many__a", "on"),
                ("many__b", "on"),
                ("tf", "false"),
            ]),
        )
        .unwrap();
        assert_eq!((marked.score, marked.total), (3, 3));
        assert!(marked.passes(80) && marked.passes(100));
    }

    #[test]
    fn a_partial_multiple_choice_answer_is_wrong_not_half_right() {
        let partial = mark(
            &quiz(),
            &answers(&[("one", "a"), ("many__a", "on"), ("tf", "false")]),
        )
        .unwrap();
        assert!(!partial.questions[1].right);
        assert_eq!(partial.score, 2);
        let too_many = mark(
            &quiz(),
            &answers(&[
                ("one", "a"),
                ("many__a", "on"),
                ("many__b", "on"),
                ("many__c", "on"),
                ("tf", "false"),
            ]),
        )
        .unwrap();
        assert!(!too_many.questions[1].right);
    }

    #[test]
    fn the_pass_mark_is_a_percentage_of_the_questions() {
        let two_of_three = mark(
            &quiz(),
            &answers(&[
                ("one", "b"),
                ("many__a", "on"),
                ("many__b", "on"),
                ("tf", "false"),
            ]),
        )
        .unwrap();
        assert_eq!(two_of_three.score, 2);
        assert!(two_of_three.passes(66));
        assert!(!two_of_three.passes(67));
        assert!(!two_of_three.passes(80));
    }

    #[test]
    fn tampered_or_missing_answers_are_refused() {
        let unknown_question = mark(&quiz(), &answers(&[("nope", "a")]));
        assert_eq!(
            unknown_question,
            Err(MarkingError::UnknownAnswer("nope".into()))
        );
        let unknown_option = mark(
            &quiz(),
            &answers(&[("one", "z"), ("many__a", "on"), ("tf", "true")]),
        );
        assert_eq!(
            unknown_option,
            Err(MarkingError::UnknownAnswer("one".into()))
        );
        let wrong_shape = mark(
            &quiz(),
            &answers(&[("one__a", "on"), ("many__a", "on"), ("tf", "true")]),
        );
        assert_eq!(
            wrong_shape,
            Err(MarkingError::UnknownAnswer("one__a".into()))
        );
        let missing = mark(&quiz(), &answers(&[("one", "a")]));
        assert_eq!(missing, Err(MarkingError::Unanswered(vec![2, 3])));
    }
}

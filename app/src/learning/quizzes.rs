//! The quiz rules: how an attempt is opened (options in a fixed shuffled order), marked
//! and kept (with a certificate on a pass), and how its results read afterwards.

use super::catalogue::{self, OrgModule};
use super::certificates::{first_name_and_initial, new_certificate_code};
use super::queries::{self, AttemptRow, CertificateRow, Submission};
use super::scoring::{self, MarkingError};
use super::service::{help_for, score_of, submitted};
use super::*;
use crate::auth::{guard, CurrentUser};
use crate::content::module::Module;
use crate::content::quiz::QuestionKind;
use crate::db;
use crate::ids::{AttemptId, ModuleSlug};
use crate::state::{app_state, AppState};
use rand::seq::SliceRandom;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Option ids per question id, in the order this attempt shows them.
type OptionOrder = BTreeMap<String, Vec<String>>;

use db::display_day as day;

/// A fresh order for an attempt: options shuffled, except true-or-false, which reads
/// best as True then False.
fn shuffled_order(module: &Module) -> OptionOrder {
    let mut rng = rand::thread_rng();
    module
        .quiz
        .questions
        .iter()
        .map(|q| {
            let mut ids: Vec<String> = q.options.iter().map(|o| o.id.clone()).collect();
            if q.kind != QuestionKind::TrueFalse {
                ids.shuffle(&mut rng);
            }
            (q.id.clone(), ids)
        })
        .collect()
}

/// The stored order, if it still matches the module's questions and options exactly.
fn order_fitting(module: &Module, attempt: &AttemptRow) -> Option<OptionOrder> {
    let order: OptionOrder = serde_json::from_str(&attempt.option_order).ok()?;
    let fits = attempt.module_version == i64::from(module.version)
        && order.len() == module.quiz.questions.len()
        && module.quiz.questions.iter().all(|q| {
            order.get(&q.id).is_some_and(|ids| {
                let stored: BTreeSet<&String> = ids.iter().collect();
                let current: BTreeSet<&String> = q.options.iter().map(|o| &o.id).collect();
                ids.len() == q.options.len() && stored == current
            })
        });
    fits.then_some(order)
}

pub async fn open_quiz(module_id: ModuleSlug) -> Result<QuizView, AppError> {
    let user = guard::signed_in().await?;
    let state = app_state()?;
    let m = catalogue::assigned_module(&state, &user, &module_id).await?;
    let module = &m.module;
    let attempts = queries::attempts_at(&state.db, &user.id, &module.id).await?;
    let mut open = None;
    for a in attempts.iter().filter(|a| a.submitted_at.is_none()) {
        match order_fitting(module, a) {
            Some(order) if open.is_none() => open = Some((a.id.clone(), order)),
            _ => queries::discard_open_attempt(&state.db, &a.id).await?,
        }
    }
    let (attempt_id, order) = match open {
        Some(found) => found,
        None => {
            let order = shuffled_order(module);
            let row = AttemptRow {
                id: AttemptId::generate(),
                org_id: user.org_id.clone(),
                user_id: user.id.clone(),
                module_id: module.id.clone(),
                module_version: i64::from(module.version),
                option_order: serde_json::to_string(&order).map_err(AppError::internal)?,
                started_at: db::now(),
                submitted_at: None,
                answers: None,
                score: None,
                total: None,
                pass_mark: None,
                passed_at: None,
            };
            queries::insert_attempt(&state.db, &row).await?;
            (row.id, order)
        }
    };
    let questions = module
        .quiz
        .questions
        .iter()
        .map(|q| {
            let text_of = |id: &String| {
                q.options
                    .iter()
                    .find(|o| &o.id == id)
                    .map(|o| (o.id.clone(), o.text.clone()))
            };
            QuizQuestionView {
                id: q.id.clone(),
                multiple: q.kind == QuestionKind::Multiple,
                scenario: q.scenario.clone(),
                prompt: q.prompt.clone(),
                options: order
                    .get(&q.id)
                    .map(|ids| ids.iter().filter_map(text_of).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok(QuizView {
        attempt_id,
        module_id: module.id.clone(),
        module_title: module.title.clone(),
        attempt_number: submitted(&attempts).count() + 1,
        pass_mark: m.pass_mark,
        questions,
        help: help_for(&state, &user).await?,
    })
}

/// The module an attempt belongs to, if the organisation still has it switched on for
/// this person; a clear message when it was switched off.
async fn module_for_submission(
    state: &AppState,
    user: &CurrentUser,
    module_id: &ModuleSlug,
) -> Result<OrgModule, AppError> {
    match catalogue::assigned_module(state, user, module_id).await {
        Err(AppError::NotFound) => {
            let switched_off = catalogue::all_for_org(state, &user.org_id)
                .await?
                .iter()
                .any(|m| m.module.id == *module_id && !m.switched_on);
            Err(if switched_off {
                AppError::invalid("Your organisation has switched this module off, so this quiz cannot be submitted. Nothing was recorded.")
            } else {
                AppError::NotFound
            })
        }
        other => other,
    }
}

fn marking_message(err: MarkingError) -> AppError {
    match err {
        MarkingError::UnknownAnswer(_) => AppError::invalid(
            "These answers do not match this quiz. Please open the quiz again. Nothing was recorded.",
        ),
        MarkingError::Unanswered(numbers) => {
            let list = numbers
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let noun = if numbers.len() == 1 { "question" } else { "questions" };
            AppError::invalid(format!(
                "Please answer every question before you submit. Still to answer: {noun} {list}."
            ))
        }
    }
}

pub async fn submit_quiz(
    attempt_id: AttemptId,
    answers: HashMap<String, String>,
) -> Result<(), AppError> {
    let user = guard::signed_in().await?;
    let state = app_state()?;
    let attempt = queries::attempt_of(&state.db, &attempt_id.trimmed(), &user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let results_page = format!("/induction/{}/attempts/{}", attempt.module_id, attempt.id);
    if attempt.submitted_at.is_some() {
        return Err(AppError::invalid(
            "You have already submitted this attempt. To try again, open the quiz again.",
        ));
    }
    let m = module_for_submission(&state, &user, &attempt.module_id).await?;
    let module = &m.module;
    if order_fitting(module, &attempt).is_none() {
        queries::discard_open_attempt(&state.db, &attempt.id).await?;
        return Err(AppError::invalid(
            "This quiz was updated while you were answering it. Please open it again. Nothing was recorded.",
        ));
    }
    let marked = scoring::mark(&module.quiz, &answers).map_err(marking_message)?;
    let passed = marked.passes(m.pass_mark);
    let chosen: BTreeMap<&str, &BTreeSet<String>> = marked
        .questions
        .iter()
        .map(|q| (q.question_id.as_str(), &q.chosen))
        .collect();
    let answers_json = serde_json::to_string(&chosen).map_err(AppError::internal)?;
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let mut tx = crate::db::begin(&state.db).await?;
    let recorded = queries::submit(
        &mut tx,
        &Submission {
            attempt_id: &attempt.id,
            answers_json: &answers_json,
            score: count(marked.score),
            total: count(marked.total),
            pass_mark: i64::from(m.pass_mark),
            passed,
        },
    )
    .await?;
    if !recorded {
        return Err(AppError::invalid(
            "You have already submitted this attempt. To try again, open the quiz again.",
        ));
    }
    if passed {
        let certificate = CertificateRow {
            code: new_certificate_code(),
            org_id: user.org_id.clone(),
            user_id: user.id.clone(),
            module_id: module.id.clone(),
            module_title: module.title.clone(),
            attempt_id: attempt.id.clone(),
            holder_name: first_name_and_initial(&user.full_name),
            score: count(marked.score),
            total: count(marked.total),
            issued_at: db::now(),
        };
        queries::issue_certificate(&mut tx, &certificate).await?;
    }
    tx.commit().await?;
    leptos_axum::redirect(&results_page);
    Ok(())
}

pub async fn attempt_result(attempt_id: AttemptId) -> Result<AttemptResult, AppError> {
    let user = guard::signed_in().await?;
    let state = app_state()?;
    let attempt = queries::attempt_of(&state.db, &attempt_id.trimmed(), &user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let submitted_at = attempt.submitted_at.clone().ok_or(AppError::NotFound)?;
    // Results stay readable even if the module was switched off since.
    let m = catalogue::all_for_org(&state, &user.org_id)
        .await?
        .into_iter()
        .find(|m| m.module.id == attempt.module_id)
        .ok_or(AppError::NotFound)?;
    let module = &m.module;
    let chosen: BTreeMap<String, BTreeSet<String>> = attempt
        .answers
        .as_deref()
        .and_then(|a| serde_json::from_str(a).ok())
        .unwrap_or_default();
    let questions = module
        .quiz
        .questions
        .iter()
        .filter_map(|q| {
            let picked = chosen.get(&q.id)?;
            let correct: BTreeSet<String> = q
                .options
                .iter()
                .filter(|o| o.correct)
                .map(|o| o.id.clone())
                .collect();
            Some(MarkedQuestionView {
                prompt: q.prompt.clone(),
                scenario: q.scenario.clone(),
                right: *picked == correct,
                chosen: q
                    .options
                    .iter()
                    .filter(|o| picked.contains(&o.id))
                    .map(|o| (o.text.clone(), o.feedback.clone()))
                    .collect(),
            })
        })
        .collect();
    let all = queries::attempts_at(&state.db, &user.id, &module.id).await?;
    let attempt_number = submitted(&all)
        .position(|a| a.id == attempt.id)
        .map_or(1, |i| i + 1);
    let certificate_code = queries::certificates_of(&state.db, &user.id)
        .await?
        .into_iter()
        .find(|c| c.module_id == module.id)
        .map(|c| c.code);
    let (score, total) = score_of(&attempt);
    Ok(AttemptResult {
        module_id: module.id.clone(),
        module_title: module.title.clone(),
        attempt_number,
        submitted_on: day(&submitted_at),
        score,
        total,
        pass_mark: attempt
            .pass_mark
            .and_then(|p| u8::try_from(p).ok())
            .unwrap_or(m.pass_mark),
        passed: attempt.passed_at.is_some(),
        questions,
        certificate_code,
        help: help_for(&state, &user).await?,
    })
}

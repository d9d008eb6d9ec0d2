//! The quiz pages: a new attempt, and an attempt's results with the feedback for each
//! answer. Plain HTML forms, so they work with JavaScript off.

use super::pages::GetHelpNow;
use super::*;
use crate::ids::{AttemptId, ModuleSlug};
use crate::ui::{page, ErrorMessage, Typed};
use leptos_meta::Title;

use crate::ui::route_param as param;

/// `/induction/:module/quiz`: a new attempt, options in this attempt's order.
#[component]
pub fn QuizPage() -> impl IntoView {
    let module_id = ModuleSlug::from_param(param("module"));
    let action = ServerAction::<SubmitQuiz>::new();
    let error = action.value().get_untracked().and_then(|r| r.err());
    page(
        move || open_quiz(module_id.clone()),
        move |quiz| view! { <Quiz quiz action error=error.clone()/> },
    )
}

#[component]
fn Quiz(
    quiz: QuizView,
    action: ServerAction<SubmitQuiz>,
    error: Option<AppError>,
) -> impl IntoView {
    let count = quiz.questions.len();
    let intro = format!(
        "Attempt {}. {count} questions. You need {}% to pass. Your answers are marked when you submit them.",
        quiz.attempt_number, quiz.pass_mark
    );
    // A refused submission (a question left unanswered) keeps the answers given; the
    // options are matched by name and value, so a new attempt's order does not matter.
    let typed = Typed::of::<SubmitQuiz>();
    let questions = quiz
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| view! { <QuizQuestion number=i + 1 count question=q.clone() typed=typed.clone()/> })
        .collect_view();
    view! {
        <Title text=format!("Quiz – {}", quiz.module_title)/>
        <p class="breadcrumb"><a href="/induction">"My induction"</a>" › "<a href=format!("/induction/{}", quiz.module_id)>{quiz.module_title.clone()}</a></p>
        <h1>{format!("Quiz: {}", quiz.module_title)}</h1>
        <p>{intro}</p>
        <p><a href="#get-help">"Get help now"</a></p>
        <ErrorMessage error/>
        <ActionForm action attr:class="quiz-form">
            <input type="hidden" name="attempt_id" value=quiz.attempt_id.to_string()/>
            {questions}
            <button type="submit">"Submit my answers"</button>
        </ActionForm>
        <GetHelpNow help=quiz.help.clone()/>
    }
}

#[component]
fn QuizQuestion(
    number: usize,
    count: usize,
    question: QuizQuestionView,
    typed: Typed,
) -> impl IntoView {
    let hint_id = format!("hint-{}", question.id);
    let described_by = hint_id.clone();
    let hint = if question.multiple {
        "Tick every answer that is right."
    } else {
        "Choose one answer."
    };
    let options = question
        .options
        .iter()
        .map(|(option_id, text)| {
            let input_id = format!("{}-{option_id}", question.id);
            let (kind, name, value) = if question.multiple {
                ("checkbox", format!("answers[{}__{option_id}]", question.id), "on".to_string())
            } else {
                ("radio", format!("answers[{}]", question.id), option_id.clone())
            };
            let checked = typed.chose(&name, &value, false);
            view! {
                <div class="choice">
                    <input type=kind id=input_id.clone() name=name value=value required=!question.multiple checked=checked/>
                    <label for=input_id>{text.clone()}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="question" aria-describedby=described_by>
            <legend>
                <span class="question-number">{format!("Question {number} of {count}")}</span>
                {question.prompt.clone()}
            </legend>
            {question.scenario.clone().map(|s| view! { <p class="scenario">{s}</p> })}
            <p class="hint" id=hint_id>{hint}</p>
            {options}
        </fieldset>
    }
}

/// `/induction/:module/attempts/:attempt`: the score, pass or not, and why for each answer.
#[component]
pub fn AttemptPage() -> impl IntoView {
    let attempt_id = AttemptId::from_param(param("attempt"));
    page(
        move || load_attempt(attempt_id.clone()),
        |result| view! { <AttemptResultView result/> },
    )
}

#[component]
fn AttemptResultView(result: AttemptResult) -> impl IntoView {
    let pct = percent(result.score, result.total);
    let heading = if result.passed {
        "You passed".to_string()
    } else {
        "Not passed this time".to_string()
    };
    let score_line = format!(
        "You scored {} out of {} ({pct}%). The pass mark is {}%.",
        result.score, result.total, result.pass_mark
    );
    let encouragement = if result.passed {
        "Well done. Read the feedback below to see why each answer was right or not."
    } else {
        "That is fine: lots of people need more than one go. Read the feedback below, look back at the module if it helps, then try again."
    };
    let questions = result
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let verdict = if q.right { "Right" } else { "Not right" };
            let class = if q.right { "marked marked-right" } else { "marked marked-wrong" };
            view! {
                <li class=class>
                    <h3>{format!("Question {}: {}", i + 1, q.prompt)}</h3>
                    {q.scenario.clone().map(|s| view! { <p class="scenario">{s}</p> })}
                    <p class="verdict"><strong>{verdict}</strong></p>
                    <ul class="feedback">
                        {q.chosen.iter().map(|(answer, feedback)| view! {
                            <li><p>"You chose: "<strong>{answer.clone()}</strong></p><p>{feedback.clone()}</p></li>
                        }).collect_view()}
                    </ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <Title text=format!("{heading} – {}", result.module_title)/>
        <p class="breadcrumb"><a href="/induction">"My induction"</a>" › "<a href=format!("/induction/{}", result.module_id)>{result.module_title.clone()}</a></p>
        <h1>{heading.clone()}</h1>
        <div class=if result.passed { "message message-success" } else { "message message-info" } role="status">
            <p>{format!("{}: attempt {}, {}.", result.module_title, result.attempt_number, result.submitted_on)}</p>
            <p>{score_line}</p>
        </div>
        <p>{encouragement}</p>
        <p class="actions">
            {result.certificate_code.clone().filter(|_| result.passed).map(|code| view! {
                <a class="button-link" href=format!("/certificates/{code}")>"See your certificate"</a>" "
            })}
            <a href=format!("/induction/{}/quiz", result.module_id)>{if result.passed { "Take the quiz again" } else { "Try the quiz again" }}</a>
            " · "
            <a href=format!("/induction/{}", result.module_id)>"Back to the module"</a>
        </p>
        <h2>"Your answers"</h2>
        <ol class="marked-list">{questions}</ol>
        <GetHelpNow help=result.help.clone()/>
    }
}

//! A learner's page for their tutor: their programme and status (with the form that
//! changes it), each module's progress and their cohort history.

use super::learner::{load_learner, LearnerPage, SetLearnerStatus};
use super::status::LearnerStatus;
use crate::ids::PersonId;
use crate::ui::{page, query_value, route_param, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LearnerProgressPage() -> impl IntoView {
    let learner_id = PersonId::from_param(route_param("id"));
    let change = ServerAction::<SetLearnerStatus>::new();
    let error = change.value().get_untracked().and_then(|r| r.err());
    let done = query_value("done")
        .filter(|d| d == "status")
        .map(|_| "Status changed.".to_string());
    page(
        move || load_learner(learner_id.clone()),
        move |learner| view! { <LearnerView learner error=error.clone() done=done.clone() change/> },
    )
}

#[component]
fn LearnerView(
    learner: LearnerPage,
    error: Option<crate::error::AppError>,
    done: Option<String>,
    change: ServerAction<SetLearnerStatus>,
) -> impl IntoView {
    let back = match &learner.cohort {
        Some((id, name)) => {
            view! { <p><a href=format!("/cohorts/{id}")>{format!("Back to {name}")}</a></p> }
                .into_any()
        }
        None => view! { <p><a href="/cohorts">"All cohorts"</a></p> }.into_any(),
    };
    let cohort = learner
        .cohort
        .as_ref()
        .map(|(_, name)| name.clone())
        .unwrap_or_else(|| "Not in a cohort".to_string());
    let due = if learner.due_on.is_empty() {
        "Not set (no start date recorded)".to_string()
    } else {
        learner.due_on.clone()
    };
    let can_change = learner.can_change;
    view! {
        <Title text=learner.name.clone()/>
        {back}
        <h1>{learner.name.clone()}</h1>
        <Notice text=done/>
        <ErrorMessage error/>
        <dl class="summary">
            <dt>"Email"</dt><dd>{learner.email.clone()}</dd>
            <dt>"Cohort"</dt><dd>{cohort}</dd>
            <dt>"Status"</dt><dd>{learner.status_words.clone()}</dd>
            <dt>"Started"</dt><dd>{if learner.start_on.is_empty() { "Not recorded".to_string() } else { learner.start_on.clone() }}</dd>
            <dt>"Induction due by"</dt><dd>{due}{learner.behind.then(|| view! { " " <strong>"(behind)"</strong> })}</dd>
            <dt>"Learner policy"</dt><dd>{learner.policy.clone()}</dd>
            {(!learner.parent.is_empty()).then(|| view! { <dt>"Parent or carer"</dt><dd>{learner.parent.clone()}</dd> })}
        </dl>
        <h2>"Induction modules"</h2>
        <div class="table-wrap" role="region" tabindex="0" aria-label="Induction modules">
            <table>
                <caption class="visually-hidden">{format!("{}: progress in each module", learner.name)}</caption>
                <thead><tr>
                    <th scope="col">"Module"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Sections read"</th>
                    <th scope="col">"Quiz attempts"</th>
                    <th scope="col">"Best score"</th>
                    <th scope="col">"Last active"</th>
                </tr></thead>
                <tbody>
                    {learner.modules.iter().map(|m| view! {
                        <tr>
                            <th scope="row">{m.title.clone()}</th>
                            <td>{m.state.clone()}</td>
                            <td>{format!("{} of {}", m.sections_read, m.sections)}</td>
                            <td>{m.attempts_submitted}</td>
                            <td>{if m.best.is_empty() { "None yet".to_string() } else { m.best.clone() }}</td>
                            <td>{if m.last_active.is_empty() { "Never".to_string() } else { m.last_active.clone() }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"Cohort history"</h2>
        {if learner.history.is_empty() {
            view! { <p>"Never enrolled in a cohort."</p> }.into_any()
        } else {
            view! {
                <ul>
                    {learner.history.iter().map(|h| {
                        let until = if h.left.is_empty() { "now".to_string() } else { h.left.clone() };
                        view! { <li>{format!("{}: {} to {until}", h.cohort, h.joined)}</li> }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>"Policies signed"</h2>
        <Links items=learner.signatures.clone() under="/policies/signed"/>
        <h2>"Certificates"</h2>
        <Links items=learner.certificates.clone() under="/certificates"/>
        <h2>"Reminders received"</h2>
        {if learner.nudges.is_empty() {
            view! { <p>"None."</p> }.into_any()
        } else {
            view! { <ul>{learner.nudges.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul> }.into_any()
        }}
        {can_change.then(|| view! { <StatusForm learner=learner.clone() change/> })}
    }
}

/// A list of (id, words), each linked to `under/id`; "None yet." when empty.
#[component]
fn Links(items: Vec<(String, String)>, under: &'static str) -> impl IntoView {
    if items.is_empty() {
        return view! { <p>"None yet."</p> }.into_any();
    }
    view! { <ul>{items.into_iter().map(|(id, words)| view! {
        <li><a href=format!("{under}/{id}")>{words}</a></li>
    }).collect_view()}</ul> }
    .into_any()
}

#[component]
fn StatusForm(learner: LearnerPage, change: ServerAction<SetLearnerStatus>) -> impl IntoView {
    let typed = Typed::of::<SetLearnerStatus>();
    let now = learner.status.as_str();
    view! {
        <h2 id="status-heading">"Change their status"</h2>
        <p>"A break in learning moves the day their induction is due on by the length of the break. "
           "Learners on a break, withdrawn or completed stay in the grid as inactive, and are left out of its totals and of \"behind\"."</p>
        <ActionForm action=change attr:aria-labelledby="status-heading">
            <input type="hidden" name="learner_id" value=learner.id.to_string()/>
            <fieldset>
                <legend>"Status"</legend>
                {LearnerStatus::ALL.iter().map(|s| {
                    let id = format!("status-{}", s.as_str());
                    view! {
                        <div class="field checkbox">
                            <input id=id.clone() name="status" type="radio" value=s.as_str() checked=typed.chose("status", s.as_str(), s.as_str() == now)/>
                            <label for=id>{s.label()}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="break_from">"First day of the break"</label>
                <p class="hint" id="break_from-hint">"Only for a break in learning. For example, 10/09/2026."</p>
                <input id="break_from" name="break_from" type="text" inputmode="numeric" autocomplete="off" maxlength="20" aria-describedby="break_from-hint" value=typed.text("break_from", learner.break_from.clone())/>
            </div>
            <div class="field">
                <label for="break_to">"Last day of the break"</label>
                <p class="hint" id="break_to-hint">"The day before they are expected back. For example, 23/09/2026."</p>
                <input id="break_to" name="break_to" type="text" inputmode="numeric" autocomplete="off" maxlength="20" aria-describedby="break_to-hint" value=typed.text("break_to", learner.break_to.clone())/>
            </div>
            <button type="submit">"Change status"</button>
        </ActionForm>
    }
}

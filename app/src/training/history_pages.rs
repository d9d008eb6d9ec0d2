//! `/training/people/ID/history`: a member of staff's full training history, each
//! requirement with every row recorded for it; for the People department and
//! administrators, a form to record a completion and a "correct" form for each row that
//! stands. Plain forms, so it works with JavaScript off.

use super::briefing_pages::long_day;
use super::history::{
    person_history, CorrectCompletion, HistoryEntry, HistoryView, RecordCompletionFor,
    RequirementHistory, MAX_REASON, MAX_REFERENCE,
};
use crate::ids::PersonId;
use crate::ui::{page, query_value, route_param, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PersonHistoryPage() -> impl IntoView {
    let person_id = PersonId::from_param(route_param("id"));
    let record = ServerAction::<RecordCompletionFor>::new();
    let correct = ServerAction::<CorrectCompletion>::new();
    let error = record
        .value()
        .get_untracked()
        .and_then(|r| r.err())
        .or_else(|| correct.value().get_untracked().and_then(|r| r.err()));
    let done = query_value("done").and_then(|d| match d.as_str() {
        "recorded" => Some("Completion recorded.".to_string()),
        "corrected" => Some(
            "Correction recorded. The row it corrects is kept, marked as superseded.".to_string(),
        ),
        _ => None,
    });
    page(
        move || person_history(person_id.clone()),
        move |h| view! { <History h error=error.clone() done=done.clone() record correct/> },
    )
}

#[component]
fn History(
    h: HistoryView,
    error: Option<crate::error::AppError>,
    done: Option<String>,
    record: ServerAction<RecordCompletionFor>,
    correct: ServerAction<CorrectCompletion>,
) -> impl IntoView {
    let title = format!("Training history: {}", h.full_name);
    let can_edit = h.can_edit;
    let person = h.person_id.to_string();
    let record_form = can_edit.then(|| record_form(&h, record));
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p>{h.email.clone()}</p>
        <Notice text=done/>
        <ErrorMessage error/>
        <p>"Every completion recorded for each requirement, oldest first. Nothing is ever changed or removed: a correction is a new row, and the row it corrects is marked as superseded. Passes of our modules count by themselves and are not listed here."</p>
        <div id="history">
            {h.history.into_iter().map(|r| requirement_section(r, &person, can_edit, correct)).collect_view()}
        </div>
        {record_form}
    }
}

fn requirement_section(
    r: RequirementHistory,
    person: &str,
    can_edit: bool,
    correct: ServerAction<CorrectCompletion>,
) -> impl IntoView {
    let heading = format!("req-{}", r.requirement_id);
    let labelled_by = heading.clone();
    let name = if r.retired {
        format!("{} (retired)", r.name)
    } else {
        r.name.clone()
    };
    let empty = r.entries.is_empty();
    let person = person.to_string();
    view! {
        <section aria-labelledby=labelled_by>
            <h2 id=heading>{name.clone()}</h2>
            {if empty {
                view! { <p>"No completions recorded."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" role="region" tabindex="0" aria-label=format!("History of {name}")>
                        <table>
                            <caption class="visually-hidden">{format!("History of {name}")}</caption>
                            <thead><tr>
                                <th scope="col">"Date"</th>
                                <th scope="col">"Source"</th>
                                <th scope="col">"Reference"</th>
                                <th scope="col">"Recorded by"</th>
                                <th scope="col">"Recorded on"</th>
                                <th scope="col">"Reason"</th>
                                <th scope="col">"Standing"</th>
                            </tr></thead>
                            <tbody>
                                {r.entries.iter().map(entry_row).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {can_edit.then(|| r.entries.iter().filter(|e| e.superseded_by.is_none()).map(|e| correct_form(e, &person, correct)).collect_view())}
                }.into_any()
            }}
        </section>
    }
}

fn entry_row(e: &HistoryEntry) -> impl IntoView {
    let day = e
        .completed_on
        .as_deref()
        .map(long_day)
        .unwrap_or_else(|| "Withdrawn".to_string());
    let standing = match &e.superseded_by {
        Some(_) => "Superseded by a later row",
        None if e.completed_on.is_none() => "Stands (withdrawn)",
        None => "Stands",
    };
    view! {
        <tr id=format!("completion-{}", e.id)>
            <td>{day}</td>
            <td>{e.source.clone()}{e.corrects.as_ref().map(|c| view! { " (corrects " <a href=format!("#completion-{c}")>"an earlier row"</a> ")" })}</td>
            <td>{e.reference.clone().unwrap_or_default()}</td>
            <td>{e.recorded_by.clone().unwrap_or_else(|| "The app".to_string())}</td>
            <td>{e.recorded_at.get(..10).map(long_day).unwrap_or_default()}</td>
            <td>{e.reason.clone().unwrap_or_default()}</td>
            <td>{standing}</td>
        </tr>
    }
}

fn correct_form(
    e: &HistoryEntry,
    person: &str,
    correct: ServerAction<CorrectCompletion>,
) -> impl IntoView {
    let typed = Typed::of::<CorrectCompletion>().for_row("completion_id", e.id.as_str());
    let id = e.id.to_string();
    let what = match &e.completed_on {
        Some(day) => format!("Correct the completion of {}", long_day(day)),
        None => "Reinstate the withdrawn completion".to_string(),
    };
    let f = |name: &str| format!("{name}-{id}");
    let (date_id, withdraw_id, day_id, hint_id, reason_id) = (
        f("change-date"),
        f("change-withdraw"),
        f("completed_on"),
        f("completed_on-hint"),
        f("reason"),
    );
    let withdrawn = e.completed_on.is_none();
    let open = typed.is_refused();
    let date_checked = typed.chose("change", "date", true);
    let withdraw_checked = typed.chose("change", "withdraw", false);
    let day_typed = typed.text("completed_on", "");
    let reason_typed = typed.text("reason", "");
    let person = person.to_string();
    view! {
        <details class="correct-form" open=open>
            <summary>{what.clone()}</summary>
            <ActionForm action=correct attr:aria-label=what>
                <input type="hidden" name="person_id" value=person/>
                <input type="hidden" name="completion_id" value=id.clone()/>
                <fieldset>
                    <legend>"What to change"</legend>
                    <div class="field checkbox">
                        <input id=date_id.clone() name="change" type="radio" value="date" checked=date_checked/>
                        <label for=date_id>"Give the right date"</label>
                    </div>
                    {(!withdrawn).then(|| view! {
                        <div class="field checkbox">
                            <input id=withdraw_id.clone() name="change" type="radio" value="withdraw" checked=withdraw_checked/>
                            <label for=withdraw_id>"Withdraw it (it should never have been recorded)"</label>
                        </div>
                    })}
                </fieldset>
                <div class="field">
                    <label for=day_id.clone()>"The right date"</label>
                    <p class="hint" id=hint_id.clone()>"For example, 02/09/2025. Leave empty to withdraw."</p>
                    <input id=day_id name="completed_on" type="text" inputmode="numeric" autocomplete="off" maxlength="20" aria-describedby=hint_id value=day_typed/>
                </div>
                <div class="field">
                    <label for=reason_id.clone()>"Reason (required)"</label>
                    <input id=reason_id name="reason" type="text" autocomplete="off" maxlength=MAX_REASON.to_string() required=true value=reason_typed/>
                </div>
                <button type="submit">"Record the correction"</button>
            </ActionForm>
        </details>
    }
}

fn record_form(h: &HistoryView, record: ServerAction<RecordCompletionFor>) -> impl IntoView {
    let typed = Typed::of::<RecordCompletionFor>();
    let chosen = typed.text("requirement_id", "");
    let person = h.person_id.to_string();
    let options = h
        .requirements
        .iter()
        .map(|r| (r.id.to_string(), r.name.clone()))
        .collect::<Vec<_>>();
    let (day, reference, reason) = (
        typed.text("completed_on", ""),
        typed.text("reference", ""),
        typed.text("reason", ""),
    );
    view! {
        <section aria-labelledby="record-heading">
            <h2 id="record-heading">"Record a completion"</h2>
            {if options.is_empty() {
                view! { <p>"Your organisation has no requirements in force."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=record attr:aria-labelledby="record-heading">
                        <input type="hidden" name="person_id" value=person/>
                        <div class="field">
                            <label for="requirement_id">"Requirement"</label>
                            <select id="requirement_id" name="requirement_id">
                                {options.into_iter().map(|(id, name)| {
                                    let selected = id == chosen;
                                    view! { <option value=id selected=selected>{name}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="completed_on">"Date completed"</label>
                            <p class="hint" id="completed_on-hint">"For example, 02/09/2025 or 2025-09-02. Not in the future."</p>
                            <input id="completed_on" name="completed_on" type="text" inputmode="numeric" autocomplete="off" maxlength="20" required=true aria-describedby="completed_on-hint" value=day/>
                        </div>
                        <div class="field">
                            <label for="reference">"Reference (optional)"</label>
                            <p class="hint" id="reference-hint">"A certificate number, for example."</p>
                            <input id="reference" name="reference" type="text" autocomplete="off" maxlength=MAX_REFERENCE.to_string() aria-describedby="reference-hint" value=reference/>
                        </div>
                        <div class="field">
                            <label for="reason">"Reason (required)"</label>
                            <p class="hint" id="reason-hint">"Why you are recording it here, for example \"Paper certificate seen\"."</p>
                            <input id="reason" name="reason" type="text" autocomplete="off" maxlength=MAX_REASON.to_string() required=true aria-describedby="reason-hint" value=reason/>
                        </div>
                        <button type="submit">"Record the completion"</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

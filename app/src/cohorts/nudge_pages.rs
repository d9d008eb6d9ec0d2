//! `/cohorts/ID/nudge`: choose learners (or everyone behind), see exactly who will get the
//! reminder and who is skipped and why, with the email itself, then send. Choosing is a
//! plain GET form, so the preview's address can be shared and works without JavaScript.

use super::nudges::{load_nudge_page, NudgePage, NudgePreview, SendNudge, QUIET_HOURS};
use crate::ids::CohortId;
use crate::ui::{page, query_value, route_param, ErrorMessage};
use leptos::prelude::*;
use leptos_meta::Title;

/// Every `learner=ID` of the address, as the server function takes them (commas).
fn chosen_in_address() -> Option<String> {
    let all = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get_all("learner")?;
    Some(all.join(","))
}

#[component]
pub fn NudgeLearnersPage() -> impl IntoView {
    let cohort_id = CohortId::from_param(route_param("id"));
    let send = ServerAction::<SendNudge>::new();
    let error = send.value().get_untracked().and_then(|r| r.err());
    let (who, learners) = (query_value("who"), chosen_in_address());
    page(
        move || load_nudge_page(cohort_id.clone(), who.clone(), learners.clone()),
        move |p| view! { <NudgeView p error=error.clone() send/> },
    )
}

#[component]
fn NudgeView(
    p: NudgePage,
    error: Option<crate::error::AppError>,
    send: ServerAction<SendNudge>,
) -> impl IntoView {
    let back = format!("/cohorts/{}", p.cohort_id);
    let action = format!("/cohorts/{}/nudge", p.cohort_id);
    view! {
        <Title text=format!("Remind learners: {}", p.cohort)/>
        <p><a href=back>{format!("Back to {}", p.cohort)}</a></p>
        <h1>"Remind learners about their induction"</h1>
        <ErrorMessage error/>
        {match p.preview {
            Some(preview) => view! { <Preview preview cohort_id=p.cohort_id.to_string() action send/> }.into_any(),
            None => view! { <Choose choices=p.choices action/> }.into_any(),
        }}
    }
}

#[component]
fn Choose(choices: Vec<super::nudges::NudgeChoice>, action: String) -> impl IntoView {
    view! {
        <p>{format!("Each learner gets a short, friendly email from you with where they are and a link to carry on. Nobody is reminded twice within {QUIET_HOURS} hours; learners on a break, withdrawn, completed or already complete are left out. You see exactly who it goes to before it is sent.")}</p>
        <form method="get" action=action.clone() aria-labelledby="behind-heading">
            <h2 id="behind-heading">"Everyone behind"</h2>
            <input type="hidden" name="who" value="behind"/>
            <button type="submit">"Preview a reminder to everyone behind"</button>
        </form>
        <form method="get" action=action aria-labelledby="choose-heading">
            <h2 id="choose-heading">"Choose learners"</h2>
            {if choices.is_empty() {
                view! { <p>"Every active learner in this cohort has completed their induction."</p> }.into_any()
            } else {
                view! {
                    <fieldset>
                        <legend>"Learners who have not completed their induction"</legend>
                        {choices.into_iter().map(|c| {
                            let id = format!("learner-{}", c.id);
                            view! {
                                <div class="field checkbox">
                                    <input id=id.clone() name="learner" type="checkbox" value=c.id.to_string()/>
                                    <label for=id>{format!("{}: {}", c.name, c.state)}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    <button type="submit">"Preview the reminder"</button>
                }.into_any()
            }}
        </form>
    }
}

#[component]
fn Preview(
    preview: NudgePreview,
    cohort_id: String,
    action: String,
    send: ServerAction<SendNudge>,
) -> impl IntoView {
    let count = preview.to.len();
    let ids: Vec<String> = preview.to.iter().map(|c| c.id.to_string()).collect();
    let plural = if count == 1 { "" } else { "s" };
    view! {
        <h2 id="to-heading">{format!("It goes to {count} learner{plural}")}</h2>
        {if count == 0 {
            view! { <p>"Nobody: everyone chosen is skipped, for the reasons below."</p> }.into_any()
        } else {
            view! { <ul aria-labelledby="to-heading">{preview.to.iter().map(|c| view! { <li>{format!("{}: {}", c.name, c.state)}</li> }).collect_view()}</ul> }.into_any()
        }}
        {(!preview.skipped.is_empty()).then(|| view! {
            <h2 id="skipped-heading">{format!("Skipped: {}", preview.skipped.len())}</h2>
            <ul aria-labelledby="skipped-heading">
                {preview.skipped.iter().map(|s| view! { <li>{format!("{}: {}", s.name, s.reason)}</li> }).collect_view()}
            </ul>
        })}
        {(count > 0).then(|| view! {
            <h2>"The email"</h2>
            <blockquote class="email-sample">{preview.sample.clone()}</blockquote>
            <ActionForm action=send>
                <input type="hidden" name="cohort_id" value=cohort_id.clone()/>
                <input type="hidden" name="learners" value=ids.join(",")/>
                <button type="submit">{format!("Send the reminder to {count} learner{plural}")}</button>
            </ActionForm>
        })}
        <p><a href=action>"Choose again"</a></p>
    }
}

//! `/training/requirements`: the organisation's requirements in force, in plain words with
//! where the staff stand today, the retired ones (which can be brought back), and the
//! "due soon" setting. Plain forms, so it works with JavaScript off.

use super::requirements::{
    requirements_overview, BringBackRequirement, RequirementLine, RequirementsView,
    RetireRequirement, SetDueSoonDays,
};
use super::types::StatusCounts;
use crate::ui::{page, query_value, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;

/// "2 overdue, 1 due soon, 3 not yet due, 5 compliant, 0 not required".
pub fn counts_text(c: &StatusCounts) -> String {
    format!(
        "{} overdue, {} due soon, {} not yet due, {} compliant, {} not required",
        c.overdue, c.due_soon, c.not_yet_due, c.compliant, c.not_required
    )
}

fn done_text(done: &str) -> Option<String> {
    Some(
        match done {
            "saved" => "Requirement saved.",
            "retired" => {
                "Requirement retired. Its completions are kept, and you can bring it back below."
            }
            "brought-back" => "Requirement brought back into force.",
            "due-soon" => "\"Due soon\" setting saved.",
            _ => return None,
        }
        .to_string(),
    )
}

#[component]
pub fn RequirementsPage() -> impl IntoView {
    let retire = ServerAction::<RetireRequirement>::new();
    let bring_back = ServerAction::<BringBackRequirement>::new();
    let due_soon = ServerAction::<SetDueSoonDays>::new();
    let error = retire
        .value()
        .get_untracked()
        .and_then(|r| r.err())
        .or_else(|| bring_back.value().get_untracked().and_then(|r| r.err()))
        .or_else(|| due_soon.value().get_untracked().and_then(|r| r.err()));
    let done = query_value("done").and_then(|d| done_text(&d));
    page(requirements_overview, move |view: RequirementsView| {
        let RequirementsView {
            in_force,
            retired,
            due_soon_days,
        } = view;
        let typed = Typed::of::<SetDueSoonDays>();
        view! {
            <Title text="Training requirements"/>
            <h1>"Training requirements"</h1>
            <p>"The training your staff must do, who it applies to, when it is first due and how it renews. Each shows where your staff stand with it today. Changing one first shows how many people it would make due or overdue."</p>
            <Notice text=done.clone()/>
            <ErrorMessage error=error.clone()/>
            <p><a href="/training/requirements/new">"Add a requirement"</a></p>
            <h2 id="in-force-heading">"In force"</h2>
            {if in_force.is_empty() {
                view! { <p>"No requirements are in force."</p> }.into_any()
            } else {
                view! {
                    <ol class="requirement-list" aria-labelledby="in-force-heading">
                        {in_force.into_iter().map(|line| in_force_item(line, retire)).collect_view()}
                    </ol>
                }.into_any()
            }}
            <h2 id="retired-heading">"Retired"</h2>
            <p>"A retired requirement is no longer in force. The completions recorded for it are kept, and it can be brought back."</p>
            {if retired.is_empty() {
                view! { <p>"None."</p> }.into_any()
            } else {
                view! {
                    <ul class="requirement-list" aria-labelledby="retired-heading">
                        {retired.into_iter().map(|line| retired_item(line, bring_back)).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h2 id="due-soon-heading">"When training shows as due soon"</h2>
            <ActionForm action=due_soon attr:aria-labelledby="due-soon-heading">
                <div class="field">
                    <label for="due_soon_days">"Days before a due date"</label>
                    <p class="hint" id="due_soon_days-hint">"From 0 to 365. Someone shows as \"due soon\" from this many days before their due date (0: only on the day). Normally 30."</p>
                    <input id="due_soon_days" name="due_soon_days" type="text" inputmode="numeric" autocomplete="off" maxlength="3" aria-describedby="due_soon_days-hint" value=typed.text("due_soon_days", due_soon_days.to_string())/>
                </div>
                <button type="submit">"Save the due soon setting"</button>
            </ActionForm>
            <p>"Staff are reminded by email from this many days before a due date too. "<a href="/training/reminders/settings">"Reminder settings"</a>" · "<a href="/training/reminders">"Reminder log"</a></p>
        }
    })
}

fn in_force_item(line: RequirementLine, retire: ServerAction<RetireRequirement>) -> impl IntoView {
    let heading = format!("requirement-{}", line.id);
    view! {
        <li>
            <h3 id=heading.clone()>{line.name.clone()}</h3>
            <p>{line.description.clone()}</p>
            <p>{format!("Today: {}.", counts_text(&line.counts))}</p>
            <p><a href=format!("/training/requirements/{}", line.id)>"Change "<span class="visually-hidden">{line.name.clone()}</span></a></p>
            <ActionForm action=retire attr:aria-labelledby=heading>
                <input type="hidden" name="requirement_id" value=line.id.to_string()/>
                <button type="submit" class="secondary">"Retire "<span class="visually-hidden">{line.name.clone()}</span></button>
            </ActionForm>
        </li>
    }
}

fn retired_item(
    line: RequirementLine,
    bring_back: ServerAction<BringBackRequirement>,
) -> impl IntoView {
    let heading = format!("retired-{}", line.id);
    view! {
        <li>
            <h3 id=heading.clone()>{line.name.clone()}</h3>
            <p>{line.description.clone()}</p>
            <ActionForm action=bring_back attr:aria-labelledby=heading>
                <input type="hidden" name="requirement_id" value=line.id.to_string()/>
                <button type="submit">"Bring back "<span class="visually-hidden">{line.name.clone()}</span></button>
            </ActionForm>
        </li>
    }
}

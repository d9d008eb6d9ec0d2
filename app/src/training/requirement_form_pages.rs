//! `/training/requirements/{id}` (`new` for a new one): the form, then the preview before
//! saving. Without JavaScript: the form is sent with GET to this same address with
//! `step=check` (checking changes nothing), so the candidate travels in the address; the
//! preview shows what saving it would do today and offers grace; "Save" posts it again in
//! hidden fields to the server function, which checks everything again; "Change" goes back
//! to the form with the values kept. Fields of options not chosen are ignored.

use super::requirement_form::{RequirementInput, MONTHS, STAFF_ROLES};
use super::requirement_pages::counts_text;
use super::requirements::{
    requirement_page, FormChoices, Preview, RequirementFormView, SaveRequirement,
};
use crate::ui::{page, route_param, ErrorMessage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RequirementFormPage() -> impl IntoView {
    let id = route_param("id");
    let query = use_query_map().get_untracked();
    // The form as typed, when the address carries it (a check, or "Change").
    let typed = query
        .get("name")
        .is_some()
        .then(|| RequirementInput::from_pairs((&query).into_iter().map(|(k, v)| (k.as_ref(), v))));
    let check = query.get("step").as_deref() == Some("check");
    let grace_until = query.get("grace_until");
    let save = ServerAction::<SaveRequirement>::new();
    let error = save.value().get_untracked().and_then(|r| r.err());
    let load = {
        let id = id.clone();
        move || requirement_page(id.clone(), typed.clone(), check, grace_until.clone())
    };
    page(load, move |p: RequirementFormView| {
        let path = format!("/training/requirements/{id}");
        let RequirementFormView {
            choices,
            input,
            preview,
            problem,
        } = p;
        match preview {
            Some(preview) => {
                confirm_step(&path, &id, choices, input, preview, error.clone(), save).into_any()
            }
            None => form_step(&path, choices, input, problem).into_any(),
        }
    })
}

fn title_of(choices: &FormChoices) -> String {
    match &choices.stored_name {
        Some(name) => format!("Change the requirement: {name}"),
        None => "Add a training requirement".to_string(),
    }
}

/// The candidate in hidden fields (`role_NAME` for each ticked role).
fn hidden(input: &RequirementInput) -> impl IntoView {
    input
        .pairs()
        .into_iter()
        .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
        .collect_view()
}

fn form_step(
    path: &str,
    choices: FormChoices,
    input: RequirementInput,
    problem: Option<crate::error::AppError>,
) -> impl IntoView {
    let title = title_of(&choices);
    let radio = {
        let input = input.clone();
        move |group: &'static str, value: &'static str, label: &'static str| {
            let id = format!("{group}-{value}");
            let checked = input.field(group) == value;
            view! {
                <div class="field radio">
                    <input type="radio" id=id.clone() name=group value=value checked=checked/>
                    <label for=id>{label}</label>
                </div>
            }
        }
    };
    let text = |name: &'static str, label: &'static str, hint: Option<&'static str>| {
        let hint_id = format!("{name}-hint");
        view! {
            <div class="field">
                <label for=name>{label}</label>
                {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
                <input id=name name=name type="text" autocomplete="off" maxlength="200"
                    aria-describedby=hint.map(|_| hint_id.clone()) value=input.field(name).to_string()/>
            </div>
        }
    };
    let departments_hint = if choices.departments.is_empty() {
        "One per line, or separated by commas.".to_string()
    } else {
        format!(
            "One per line, or separated by commas. Departments on your staff records: {}.",
            choices.departments.join(", ")
        )
    };
    view! {
        <Title text=title.clone()/>
        <p><a href="/training/requirements">"All training requirements"</a></p>
        <h1>{title}</h1>
        <ErrorMessage error=problem/>
        <p>"Nothing is saved yet: the next step shows how many people this would make due or overdue today, and lets you give people already in post time to do it."</p>
        <form method="get" action=path.to_string()>
            <input type="hidden" name="step" value="check"/>
            {text("name", "Name", None)}
            {text("level", "Level (optional)", Some("A local label such as \"Level 2\" or \"Induction\", not law. May be empty."))}
            <fieldset>
                <legend>"Satisfied by"</legend>
                {radio("satisfied_by", "module", "Passing one of our modules")}
                <div class="field nested">
                    <label for="module_id">"Module"</label>
                    <select id="module_id" name="module_id">
                        {choices.modules.iter().map(|(id, title)| {
                            let selected = input.module_id == id.as_str();
                            view! { <option value=id.to_string() selected=selected>{title.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                {radio("satisfied_by", "any-module", "Passing any of our modules")}
                {radio("satisfied_by", "external-course", "An external course, recorded with evidence")}
                {radio("satisfied_by", "briefing", "Attending a briefing")}
                {radio("satisfied_by", "document", "Reading and acknowledging a document")}
                <div class="field nested">
                    {if choices.documents.is_empty() {
                        view! { <p class="hint">"Your organisation has no documents to read yet: add one under \"Documents to read and acknowledge\"."</p> }.into_any()
                    } else {
                        view! {
                            <label for="document">"Document"</label>
                            <select id="document" name="document">
                                {choices.documents.iter().map(|(key, title)| {
                                    let selected = input.document == *key;
                                    view! { <option value=key.clone() selected=selected>{title.clone()}</option> }
                                }).collect_view()}
                            </select>
                        }.into_any()
                    }}
                </div>
            </fieldset>
            <fieldset>
                <legend>"Applies to"</legend>
                {radio("applies_to", "all-staff", "All staff")}
                {radio("applies_to", "roles", "Staff with any of these roles")}
                <div class="field nested">
                    {STAFF_ROLES.into_iter().map(|role| {
                        let name = format!("role_{}", role.as_str());
                        view! {
                            <div class="field checkbox">
                                <input type="checkbox" id=name.clone() name=name.clone() checked=input.has_role(role)/>
                                <label for=name>{role.label()}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
                {radio("applies_to", "departments", "Staff in these departments")}
                <div class="field nested">
                    <label for="departments">"Departments"</label>
                    <p class="hint" id="departments-hint">{departments_hint}</p>
                    <textarea id="departments" name="departments" rows="3" aria-describedby="departments-hint" inner_html=crate::ui::escape_text(&input.departments)></textarea>
                </div>
                {radio("applies_to", "job-titles", "Staff with these job titles")}
                <div class="field nested">
                    <label for="job_titles">"Job titles"</label>
                    <p class="hint" id="job_titles-hint">"One per line, or separated by commas."</p>
                    <textarea id="job_titles" name="job_titles" rows="3" aria-describedby="job_titles-hint" inner_html=crate::ui::escape_text(&input.job_titles)></textarea>
                </div>
            </fieldset>
            <fieldset>
                <legend>"First due"</legend>
                {radio("first_due", "days-after-start", "Within a number of days of starting")}
                {text("first_due_days", "Days after starting", Some("From 0 to 3650, for example 28."))}
                {radio("first_due", "by-date", "By a fixed date")}
                {text("first_due_date", "Date", Some("For example, 01/09/2027 or 2027-09-01."))}
            </fieldset>
            <fieldset>
                <legend>"Renews"</legend>
                {radio("renews", "never", "Never")}
                {radio("renews", "months-after-completion", "Every few months, counted from the last completion")}
                {text("months_after_completion", "Months after the last completion", Some("From 1 to 120."))}
                {radio("renews", "months-after-due-date", "Every few months, counted from the previous due date (renewing early loses nothing)")}
                {text("months_after_due_date", "Months after the previous due date", Some("From 1 to 120."))}
                {radio("renews", "every-year-on", "Every year on a day")}
                <div class="field nested">
                    <label for="renew_day">"Day of the month"</label>
                    <input id="renew_day" name="renew_day" type="text" inputmode="numeric" autocomplete="off" maxlength="2" value=input.renew_day.clone()/>
                    <label for="renew_month">"Month"</label>
                    <select id="renew_month" name="renew_month">
                        {MONTHS.iter().enumerate().map(|(n, month)| {
                            let value = (n + 1).to_string();
                            let selected = input.renew_month == value;
                            view! { <option value=value selected=selected>{*month}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </fieldset>
            {text("window_days", "Window in days (optional)", Some("Only for rules that renew from the previous due date or every year on a day: how many days before a due date a completion counts for it. Leave empty for none."))}
            <button type="submit">"Check and preview"</button>
        </form>
    }
}

fn confirm_step(
    path: &str,
    id: &str,
    choices: FormChoices,
    input: RequirementInput,
    preview: Preview,
    error: Option<crate::error::AppError>,
    save: ServerAction<SaveRequirement>,
) -> impl IntoView {
    let title = format!("Check before saving: {}", input.name.trim());
    let required = preview.counts.required();
    let people = |n: u32| if n == 1 { "person" } else { "people" };
    let grace_input = input.clone();
    let grace = preview.with_grace.map(|graced| {
        view! {
            <h2 id="grace-heading">"Grace for people already in post"</h2>
            <p>{format!(
                "So that this rule does not flood inboxes, you can give the {required} {} already in post until {}. With that grace, today: {}.",
                people(required), preview.grace_until_words, counts_text(&graced)
            )}</p>
            {preview.grace_problem.clone().map(|p| view! { <div class="message message-error" role="alert"><p>{p}</p></div> })}
            <form method="get" action=path.to_string() aria-labelledby="grace-heading">
                <input type="hidden" name="step" value="check"/>
                {hidden(&grace_input)}
                <div class="field">
                    <label for="grace_until">"Grace until"</label>
                    <p class="hint" id="grace_until-hint">"For example, 31/01/2027. At most a year from today."</p>
                    <input id="grace_until" name="grace_until" type="text" autocomplete="off" maxlength="20" aria-describedby="grace_until-hint" value=preview.grace_until.clone()/>
                </div>
                <button type="submit" class="secondary">"Show the counts with this date"</button>
            </form>
        }
    });
    let offered = preview.with_grace.is_some();
    let id = id.to_string();
    let path = path.to_string();
    let (save_fields, change_fields) = (hidden(&input), hidden(&input));
    view! {
        <Title text=title.clone()/>
        <p><a href="/training/requirements">"All training requirements"</a></p>
        <h1>{title}</h1>
        <ErrorMessage error/>
        <p>{preview.description.clone()}</p>
        <h2>"What it would do"</h2>
        <p role="status">{format!("If you save this today: {}.", counts_text(&preview.counts))}</p>
        {choices.stored_grace.clone().map(|g| view! { <p>{format!("The grace given before stays unless you give a new one: {g}")}</p> })}
        {grace}
        <h2 id="save-heading">"Save"</h2>
        <ActionForm action=save attr:aria-labelledby="save-heading">
            <input type="hidden" name="requirement_id" value=id/>
            {save_fields}
            {offered.then(|| view! {
                <input type="hidden" name="grace_until" value=preview.grace_until.clone()/>
                <fieldset>
                    <legend>"Grace"</legend>
                    <div class="field radio">
                        <input type="radio" id="grace-until" name="grace" value="until" checked=true/>
                        <label for="grace-until">{format!("Give the {required} {} already in post until {}", people(required), preview.grace_until_words)}</label>
                    </div>
                    <div class="field radio">
                        <input type="radio" id="grace-none" name="grace" value="none"/>
                        <label for="grace-none">"No new grace"</label>
                    </div>
                </fieldset>
            })}
            <button type="submit">"Save this requirement"</button>
        </ActionForm>
        <form method="get" action=path>
            {change_fields}
            <button type="submit" class="secondary">"Change"</button>
        </form>
    }
}

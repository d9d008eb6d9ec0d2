//! `/training/briefings` (the list), `/training/briefings/new` (record one, with who
//! attended) and `/training/briefings/ID` (who attended). Plain forms throughout, so
//! they work with JavaScript off; the attendee filter is a GET form.

use super::briefings::{
    briefing_form, list_briefings, load_briefing, BriefingDetail, BriefingSetup, BriefingSummary,
    DepartmentGroup, RecordBriefing, KEY_PREFIX,
};
use crate::ids::BriefingId;
use crate::ui::{page, query_value, route_param, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;

/// "2 September 2025" from `2025-09-02`, or the text as it is.
pub fn long_day(stored: &str) -> String {
    chrono::NaiveDate::parse_from_str(stored, "%Y-%m-%d")
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_else(|_| stored.to_string())
}

fn department_name(name: &str) -> String {
    if name.is_empty() {
        "No department".to_string()
    } else {
        name.to_string()
    }
}

#[component]
pub fn BriefingsPage() -> impl IntoView {
    page(list_briefings, |briefings: Vec<BriefingSummary>| {
        let count = briefings.len();
        view! {
            <Title text="Briefings"/>
            <h1>"Briefings"</h1>
            <p>"Team meetings and safeguarding e-bulletins, with who attended. Each attendee's training record counts the briefing for its requirement."</p>
            <p><a href="/training/briefings/new">"Record a briefing"</a></p>
            <p role="status">{format!("{count} briefing{}", if count == 1 { "" } else { "s" })}</p>
            <div class="table-wrap" role="region" tabindex="0" aria-label="Briefings">
                <table>
                    <caption class="visually-hidden">"Briefings"</caption>
                    <thead><tr>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Title"</th>
                        <th scope="col">"Led by"</th>
                        <th scope="col">"Counts for"</th>
                        <th scope="col">"Attended"</th>
                    </tr></thead>
                    <tbody>
                        {briefings.into_iter().map(|b| view! {
                            <tr>
                                <td>{long_day(&b.held_on)}</td>
                                <td><a href=format!("/training/briefings/{}", b.id)>{b.title}</a></td>
                                <td>{b.led_by}</td>
                                <td>{b.requirement}</td>
                                <td>{b.attendees}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    })
}

#[component]
pub fn NewBriefingPage() -> impl IntoView {
    let q = query_value("q");
    let department = query_value("department");
    let action = ServerAction::<RecordBriefing>::new();
    let error = action.value().get_untracked().and_then(|r| r.err());
    page(
        move || briefing_form(q.clone(), department.clone()),
        move |form| view! { <NewBriefing form error=error.clone() action/> },
    )
}

#[component]
fn NewBriefing(
    form: BriefingSetup,
    error: Option<crate::error::AppError>,
    action: ServerAction<RecordBriefing>,
) -> impl IntoView {
    let typed = Typed::of::<RecordBriefing>();
    let chosen_requirement = typed.text("requirement_id", "");
    let filtered = !form.q.is_empty() || !form.department.is_empty();
    let groups = form.departments.clone();
    view! {
        <Title text="Record a briefing"/>
        <p><a href="/training/briefings">"All briefings"</a></p>
        <h1>"Record a briefing"</h1>
        <p>"A team meeting or a safeguarding e-bulletin: say when it was, what it was and who led it, then tick who attended. Each attendee gets a completion for the requirement you choose."</p>
        <ErrorMessage error/>
        <h2 id="filter-heading">"Find people"</h2>
        <form method="get" action="/training/briefings/new" class="search-form" role="search" aria-labelledby="filter-heading">
            <div class="field">
                <label for="q">"Name or email"</label>
                <input id="q" name="q" type="search" maxlength="200" value=form.q.clone()/>
            </div>
            <div class="field">
                <label for="department">"Department"</label>
                <select id="department" name="department">
                    <option value="" selected=form.department.is_empty()>"Every department"</option>
                    {groups.iter().filter(|g| !g.name.is_empty()).map(|g| view! {
                        <option value=g.name.clone() selected=g.name.eq_ignore_ascii_case(&form.department)>{g.name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="secondary">"Show these people"</button>
            {filtered.then(|| view! { <p><a href="/training/briefings/new">"Show everyone"</a></p> })}
        </form>
        <p role="status">{
            if form.too_many {
                format!("{} people match: too many to list one by one. Narrow the list by name or department, or tick whole departments below.", form.matched)
            } else {
                format!("{} {} shown.", form.matched, if form.matched == 1 { "person" } else { "people" })
            }
        }</p>
        <h2 id="briefing-heading">"The briefing"</h2>
        {if form.requirements.is_empty() {
            view! { <p>"No requirement of your organisation is met by attending a briefing, so there is nothing to record a briefing for."</p> }.into_any()
        } else {
            view! {
                <ActionForm action attr:aria-labelledby="briefing-heading">
                    <div class="field">
                        <label for="held_on">"Date of the briefing"</label>
                        <p class="hint" id="held_on-hint">"For example, 02/09/2025 or 2025-09-02. Not in the future."</p>
                        <input id="held_on" name="held_on" type="text" inputmode="numeric" autocomplete="off" maxlength="20" required=true aria-describedby="held_on-hint" value=typed.text("held_on", "")/>
                    </div>
                    <div class="field">
                        <label for="title">"Title"</label>
                        <input id="title" name="title" type="text" autocomplete="off" maxlength="200" required=true value=typed.text("title", "")/>
                    </div>
                    <div class="field">
                        <label for="led_by">"Who led it"</label>
                        <input id="led_by" name="led_by" type="text" autocomplete="off" maxlength="200" required=true value=typed.text("led_by", "")/>
                    </div>
                    <div class="field">
                        <label for="requirement_id">"The requirement it counts for"</label>
                        <select id="requirement_id" name="requirement_id">
                            {form.requirements.iter().map(|r| {
                                let id = r.id.to_string();
                                view! { <option value=id.clone() selected=id == chosen_requirement>{r.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <h3>"Who attended"</h3>
                    {form.departments.iter().enumerate().map(|(i, g)| department_fieldset(i, g, &typed, form.too_many)).collect_view()}
                    <button type="submit">"Record the briefing"</button>
                </ActionForm>
            }.into_any()
        }}
    }
}

/// A department: a box for all of it, and a box for each person the filter shows.
fn department_fieldset(i: usize, g: &DepartmentGroup, typed: &Typed, too_many: bool) -> AnyView {
    let whole = format!("departments[d{i}]");
    let whole_id = format!("department-{i}");
    let name = department_name(&g.name);
    // With a filter on, departments with nobody shown keep only their whole box.
    let hidden_people = g.size - g.shown.len();
    view! {
        <fieldset class="attendees">
            <legend>{format!("{name} ({} {})", g.size, if g.size == 1 { "person" } else { "people" })}</legend>
            <div class="field checkbox">
                <input id=whole_id.clone() name=whole.clone() type="checkbox" value=g.name.clone() checked=typed.ticked(&whole, false)/>
                <label for=whole_id>{format!("Everyone in {name}")}</label>
            </div>
            {g.shown.iter().map(|a| {
                let field = format!("attendees[{KEY_PREFIX}{}]", a.id);
                let id = format!("attendee-{}", a.id);
                view! {
                    <div class="field checkbox">
                        <input id=id.clone() name=field.clone() type="checkbox" checked=typed.ticked(&field, false)/>
                        <label for=id>{format!("{} ({})", a.full_name, a.email)}</label>
                    </div>
                }
            }).collect_view()}
            {(hidden_people > 0 && !too_many).then(|| view! {
                <p class="hint">{format!("{hidden_people} more not shown by the filter.")}</p>
            })}
            {(too_many && g.size > 0).then(|| view! { <p class="hint">"Filter to tick people one by one."</p> })}
        </fieldset>
    }
    .into_any()
}

#[component]
pub fn BriefingPage() -> impl IntoView {
    let id = BriefingId::from_param(route_param("id"));
    let done = query_value("done")
        .filter(|d| d == "recorded")
        .map(|_| "Briefing recorded. Each attendee's training record now counts it.".to_string());
    page(
        move || load_briefing(id.clone()),
        move |detail: BriefingDetail| {
            let BriefingDetail {
                summary,
                recorded_by,
                recorded_at,
                attendees,
            } = detail;
            let count = attendees.len();
            view! {
                <Title text=format!("Briefing: {}", summary.title)/>
                <p><a href="/training/briefings">"All briefings"</a></p>
                <h1>{summary.title.clone()}</h1>
                <Notice text=done.clone()/>
                <dl class="details">
                    <dt>"Date"</dt><dd>{long_day(&summary.held_on)}</dd>
                    <dt>"Led by"</dt><dd>{summary.led_by.clone()}</dd>
                    <dt>"Counts for"</dt><dd>{summary.requirement.clone()}</dd>
                    <dt>"Recorded by"</dt><dd>{format!("{recorded_by}, {}", recorded_at.get(..10).map(long_day).unwrap_or_default())}</dd>
                </dl>
                <h2 id="attended-heading">{format!("Attended ({count})")}</h2>
                <ul aria-labelledby="attended-heading" class="attendees">
                    {attendees.into_iter().map(|a| view! {
                        <li>
                            <a href=format!("/training/people/{}/history", a.id)>{a.full_name}</a>
                            {format!(" ({}{})", a.email, if a.department.is_empty() { String::new() } else { format!(", {}", a.department) })}
                            {a.corrected.then(|| view! { " " <strong>"(corrected since: see their history)"</strong> })}
                        </li>
                    }).collect_view()}
                </ul>
            }
        },
    )
}

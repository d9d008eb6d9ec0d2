//! The cohort pages: the list of cohorts (with the form to create one) and a cohort's
//! grid of its learners' induction progress.

use super::{
    list_cohorts, load_cohort_grid, AddCohortTutor, CellState, CohortGrid, CohortList,
    CreateCohort, EnrolLearner,
};
use crate::ids::CohortId;
use crate::ui::{page, query_value, route_param, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CohortsPage() -> impl IntoView {
    let create = ServerAction::<CreateCohort>::new();
    let error = create.value().get_untracked().and_then(|r| r.err());
    page(list_cohorts, move |list| {
        view! { <CohortListView list error=error.clone() create/> }
    })
}

#[component]
fn CohortListView(
    list: CohortList,
    error: Option<crate::error::AppError>,
    create: ServerAction<CreateCohort>,
) -> impl IntoView {
    let CohortList {
        cohorts,
        all,
        can_create,
    } = list;
    let intro = if all {
        "Every cohort of your organisation. Open one to see its learners' induction progress."
    } else {
        "The cohorts you teach. Open one to see its learners' induction progress."
    };
    let typed = Typed::of::<CreateCohort>();
    view! {
        <Title text="Cohorts"/>
        <h1>"Cohorts"</h1>
        <p>{intro}</p>
        {if cohorts.is_empty() {
            view! { <p>"There are no cohorts yet."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" role="region" tabindex="0" aria-label="Cohorts">
                    <table>
                        <caption class="visually-hidden">"Cohorts"</caption>
                        <thead><tr>
                            <th scope="col">"Cohort"</th>
                            <th scope="col">"Starts"</th>
                            <th scope="col">"Ends"</th>
                            <th scope="col">"Tutors"</th>
                            <th scope="col">"Learners"</th>
                        </tr></thead>
                        <tbody>
                            {cohorts.into_iter().map(|c| view! {
                                <tr>
                                    <th scope="row"><a href=format!("/cohorts/{}", c.id)>{c.name.clone()}</a></th>
                                    <td>{c.starts_on.clone()}</td>
                                    <td>{c.ends_on.clone()}</td>
                                    <td>{if c.tutors.is_empty() { "None yet".to_string() } else { c.tutors.join(", ") }}</td>
                                    <td>{c.learners}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {can_create.then(|| view! {
            <h2 id="new-cohort-heading">"Create a cohort"</h2>
            <ErrorMessage error/>
            <ActionForm action=create attr:aria-labelledby="new-cohort-heading">
                <div class="field">
                    <label for="name">"Name"</label>
                    <input id="name" name="name" type="text" autocomplete="off" maxlength="100" required value=typed.text("name", String::new())/>
                </div>
                <div class="field">
                    <label for="starts_on">"Start date"</label>
                    <p class="hint" id="starts_on-hint">"For example, 01/09/2026."</p>
                    <input id="starts_on" name="starts_on" type="text" inputmode="numeric" autocomplete="off" maxlength="20" required aria-describedby="starts_on-hint" value=typed.text("starts_on", String::new())/>
                </div>
                <div class="field">
                    <label for="ends_on">"End date"</label>
                    <p class="hint" id="ends_on-hint">"For example, 31/07/2027."</p>
                    <input id="ends_on" name="ends_on" type="text" inputmode="numeric" autocomplete="off" maxlength="20" required aria-describedby="ends_on-hint" value=typed.text("ends_on", String::new())/>
                </div>
                <button type="submit">"Create cohort"</button>
            </ActionForm>
        })}
    }
}

#[component]
pub fn CohortPage() -> impl IntoView {
    let cohort_id = CohortId::from_param(route_param("id"));
    let enrol = ServerAction::<EnrolLearner>::new();
    let add_tutor = ServerAction::<AddCohortTutor>::new();
    let error = enrol
        .value()
        .get_untracked()
        .and_then(|r| r.err())
        .or_else(|| add_tutor.value().get_untracked().and_then(|r| r.err()));
    let done = query_value("done").and_then(|d| match d.as_str() {
        "created" => {
            Some("Cohort created. Now choose its tutors and enrol its learners.".to_string())
        }
        "tutor" => Some("Tutor added.".to_string()),
        "enrolled" => Some("Learner enrolled.".to_string()),
        _ => None,
    });
    page(
        move || load_cohort_grid(cohort_id.clone()),
        move |grid| view! { <GridView grid error=error.clone() done=done.clone() enrol add_tutor/> },
    )
}

/// The legend: what each state in the grid means, in words.
#[component]
fn Legend() -> impl IntoView {
    view! {
        <h2 id="legend-heading">"What the grid shows"</h2>
        <dl class="legend">
            <dt>"Not started"</dt><dd>"No section of the module read and no quiz opened."</dd>
            <dt>"In progress"</dt><dd>"Some sections read (how many of how many), or the quiz opened, but not passed yet."</dd>
            <dt>"Passed"</dt><dd>"The quiz passed: the best score so far, and the day of the first pass."</dd>
            <dt>"Behind"</dt><dd>"Past the day their induction was due, with a module still to pass."</dd>
        </dl>
    }
}

fn cell_class(state: &CellState) -> &'static str {
    match state {
        CellState::NotStarted => "cell-not-started",
        CellState::InProgress { .. } => "cell-in-progress",
        CellState::Passed { .. } => "cell-passed",
    }
}

#[component]
fn GridView(
    grid: CohortGrid,
    error: Option<crate::error::AppError>,
    done: Option<String>,
    enrol: ServerAction<EnrolLearner>,
    add_tutor: ServerAction<AddCohortTutor>,
) -> impl IntoView {
    let modules = grid.columns.len();
    let caption = format!("{}: induction progress of each learner", grid.name);
    let tutors = if grid.tutors.is_empty() {
        "No tutor yet.".to_string()
    } else {
        format!("Tutors: {}.", grid.tutors.join(", "))
    };
    let typed_enrol = Typed::of::<EnrolLearner>();
    let typed_tutor = Typed::of::<AddCohortTutor>();
    let (enrol_id, tutor_id) = (grid.id.to_string(), grid.id.to_string());
    view! {
        <Title text=grid.name.clone()/>
        <p><a href="/cohorts">"All cohorts"</a></p>
        <h1>{grid.name.clone()}</h1>
        <p>{format!("{} to {}. {tutors}", grid.starts_on, grid.ends_on)}</p>
        <Notice text=done/>
        <ErrorMessage error/>
        <p role="status">{format!("{} {} in this cohort.", grid.rows.len(), if grid.rows.len() == 1 { "learner" } else { "learners" })}</p>
        <div class="table-wrap grid-wrap" role="region" tabindex="0" aria-label=caption.clone()>
            <table class="progress-grid">
                <caption>{caption.clone()}</caption>
                <thead><tr>
                    <th scope="col">"Learner"</th>
                    {grid.columns.iter().map(|c| view! { <th scope="col">{c.title.clone()}</th> }).collect_view()}
                    <th scope="col">"Overall"</th>
                    <th scope="col">"Induction due by"</th>
                    <th scope="col">"Last active"</th>
                </tr></thead>
                <tbody>
                    {grid.rows.into_iter().map(|row| view! {
                        <tr>
                            <th scope="row">{row.name.clone()}</th>
                            {row.cells.iter().map(|c| view! { <td class=cell_class(c)>{c.words()}</td> }).collect_view()}
                            <td>{format!("{} of {modules} passed", row.passed)}</td>
                            <td>{row.due_on.clone()}{row.behind.then(|| view! { " " <strong>"(behind)"</strong> })}</td>
                            <td>{if row.last_active.is_empty() { "Never".to_string() } else { row.last_active.clone() }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Legend/>
        {grid.can_enrol.then(|| view! {
            <h2 id="enrol-heading">"Enrol a learner"</h2>
            <p>"The learner needs an account with the learner role. A learner in another cohort moves to this one and keeps all their progress."</p>
            <ActionForm action=enrol attr:aria-labelledby="enrol-heading">
                <input type="hidden" name="cohort_id" value=enrol_id.clone()/>
                <div class="field">
                    <label for="enrol-email">"Learner's email"</label>
                    <input id="enrol-email" name="email" type="email" autocomplete="off" maxlength="254" required value=typed_enrol.text("email", String::new())/>
                </div>
                <div class="field">
                    <label for="start_on">"Their start date"</label>
                    <p class="hint" id="start_on-hint">"For example, 01/09/2026. Their induction is due 28 days later."</p>
                    <input id="start_on" name="start_on" type="text" inputmode="numeric" autocomplete="off" maxlength="20" required aria-describedby="start_on-hint" value=typed_enrol.text("start_on", String::new())/>
                </div>
                <button type="submit">"Enrol learner"</button>
            </ActionForm>
        })}
        {grid.can_add_tutor.then(|| view! {
            <h2 id="tutor-heading">"Add a tutor"</h2>
            <ActionForm action=add_tutor attr:aria-labelledby="tutor-heading">
                <input type="hidden" name="cohort_id" value=tutor_id.clone()/>
                <div class="field">
                    <label for="tutor-email">"Tutor's email"</label>
                    <p class="hint" id="tutor-email-hint">"Someone in your organisation with the tutor role."</p>
                    <input id="tutor-email" name="email" type="email" autocomplete="off" maxlength="254" required aria-describedby="tutor-email-hint" value=typed_tutor.text("email", String::new())/>
                </div>
                <button type="submit">"Add tutor"</button>
            </ActionForm>
        })}
    }
}

//! "My training" (`/training`) and one person's training (`/training/people/ID`), and the
//! pieces every training view shows: a status in words, and counts by status.

use super::views::{load_person_training, my_training, PersonTraining, TrainingLine};
use super::words::{how_met, next_step, status_words, StatusKind};
use super::{Status, StatusCounts};
use crate::ids::PersonId;
use crate::ui::{page, route_param};
use leptos::prelude::*;
use leptos_meta::Title;

/// A status in words ("Overdue by 12 days (due 20 Nov 2026)"): never colour alone.
#[component]
pub fn StatusText(status: Status) -> impl IntoView {
    let class = format!("status status-{}", StatusKind::of(&status).as_str());
    view! { <span class=class>{status_words(&status)}</span> }
}

/// "Overdue: 2", "Due soon: 1"... as a list. With `filter_base` (an address ending in
/// `?` or `&`), each count links to the list filtered to that status.
#[component]
pub fn CountsList(
    counts: StatusCounts,
    #[prop(optional)] filter_base: Option<String>,
) -> impl IntoView {
    view! {
        <ul class="status-counts">
            {StatusKind::ALL.into_iter().map(|kind| {
                let text = format!("{}: {}", kind.label(), kind.count_in(&counts));
                match &filter_base {
                    Some(base) => {
                        let href = format!("{base}status={}", kind.as_str());
                        view! { <li><a href=href>{text}</a></li> }.into_any()
                    }
                    None => view! { <li>{text}</li> }.into_any(),
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// `/training`: my own training.
#[component]
pub fn MyTrainingPage() -> impl IntoView {
    page(my_training, |training| view! { <TrainingView training/> })
}

/// `/training/people/ID`: someone's training, for those allowed to see it.
#[component]
pub fn PersonTrainingPage() -> impl IntoView {
    let person_id = PersonId::from_param(route_param("id"));
    page(
        move || load_person_training(person_id.clone()),
        |training| view! { <TrainingView training/> },
    )
}

fn counts_of(lines: &[TrainingLine]) -> StatusCounts {
    let mut counts = StatusCounts::default();
    for line in lines {
        counts.add(&line.status);
    }
    counts
}

/// One sentence on where the person stands overall.
fn summary(training: &PersonTraining) -> String {
    let counts = counts_of(&training.applies);
    let (you, have) = if training.is_self {
        ("you".to_string(), "You have")
    } else {
        (training.name.clone(), "They have")
    };
    if training.applies.is_empty() {
        return format!("No training requirements apply to {you} at the moment.");
    }
    let to_do = counts.overdue + counts.due_soon;
    match to_do {
        0 => format!(
            "Nothing is overdue or due soon: {} of {} requirements compliant.",
            counts.compliant,
            training.applies.len()
        ),
        _ => format!(
            "{have} {} overdue and {} due soon, of {} requirements.",
            counts.overdue,
            counts.due_soon,
            training.applies.len()
        ),
    }
}

#[component]
fn TrainingView(training: PersonTraining) -> impl IntoView {
    let title = if training.is_self {
        "My training".to_string()
    } else {
        format!("Training: {}", training.name)
    };
    let history = format!("/training/people/{}/history", training.person_id);
    let lead = summary(&training);
    let is_self = training.is_self;
    let not_required = training.not_required.len();
    let mut all_counts = counts_of(&training.applies);
    all_counts.not_required = u32::try_from(not_required).unwrap_or(u32::MAX);
    let details = (!is_self).then(|| {
        let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "Not recorded".into());
        view! {
            <dl class="details">
                <dt>"Email"</dt><dd>{training.email.clone()}</dd>
                <dt>"Job title"</dt><dd>{or_none(&training.job_title)}</dd>
                <dt>"Department"</dt><dd>{or_none(&training.department)}</dd>
                <dt>"Line manager"</dt><dd>{training.manager_name.clone().unwrap_or_else(|| "No line manager".into())}</dd>
            </dl>
        }
        .into_any()
    });
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        {details}
        <p class="lead">{lead}</p>
        <CountsList counts=all_counts/>
        <p><a href=history>"Full history"</a>": every completion recorded, with corrections."</p>
        <h2 id="applies-heading">{if is_self { "Your training" } else { "Training that applies" }}</h2>
        {if training.applies.is_empty() {
            view! { <p>"None at the moment."</p> }.into_any()
        } else {
            view! { <LinesTable lines=training.applies is_self labelled_by="applies-heading"/> }.into_any()
        }}
        {(not_required > 0).then(|| view! {
            <details class="not-required">
                <summary id="not-required-heading">{format!("Not required ({not_required})")}</summary>
                <p>"These do not apply at the moment (a leaving date, or a role, department or job title they are not for). Completions already recorded are kept."</p>
                <LinesTable lines=training.not_required is_self labelled_by="not-required-heading"/>
            </details>
        }.into_any())}
    }
    .into_any()
}

#[component]
fn LinesTable(lines: Vec<TrainingLine>, is_self: bool, labelled_by: &'static str) -> impl IntoView {
    let third = if is_self {
        "What to do next"
    } else {
        "How it is met"
    };
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby=labelled_by>
            <table>
                <thead><tr>
                    <th scope="col">"Requirement"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">{third}</th>
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|line| view! { <LineRow line is_self/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn LineRow(line: TrainingLine, is_self: bool) -> impl IntoView {
    let level = (!line.level.trim().is_empty()).then(|| format!(" ({})", line.level));
    let title = line.module_title.as_deref();
    let step = if is_self {
        let step = next_step(
            &line.satisfied_by,
            &line.requirement_id,
            &line.status,
            title,
        );
        let link = step
            .link
            .map(|(href, label)| view! { " " <a href=href>{label}</a> });
        view! { {step.text}{link} }.into_any()
    } else {
        how_met(&line.satisfied_by, title).into_any()
    };
    view! {
        <tr>
            <th scope="row">{line.name.clone()}{level}</th>
            <td><StatusText status=line.status/></td>
            <td>{step}</td>
        </tr>
    }
    .into_any()
}

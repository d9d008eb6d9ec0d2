//! A line manager's "My team" (`/team`), and the table of people by requirements that it
//! shares with the dashboard.

use super::pages::{CountsList, StatusText};
use super::views::{team_training, StatusGrid, TeamView};
use crate::ui::{page, query_value};
use leptos::prelude::*;
use leptos_meta::Title;

/// People (rows) by requirements (columns), each cell a status in words, each name a link
/// to the person's training.
#[component]
pub fn StatusGridTable(
    grid: StatusGrid,
    caption: String,
    /// Show each person's line manager (when they are not all the viewer's own people).
    show_manager: bool,
) -> impl IntoView {
    let StatusGrid { requirements, rows } = grid;
    let label = caption.clone();
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-label=label>
            <table>
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Job title"</th>
                    <th scope="col">"Department"</th>
                    {show_manager.then(|| view! { <th scope="col">"Line manager"</th> })}
                    {requirements.into_iter().map(|r| {
                        let level = (!r.level.trim().is_empty()).then(|| format!(" ({})", r.level));
                        view! { <th scope="col">{r.name}{level}</th> }
                    }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let href = format!("/training/people/{}", row.id);
                        let manager = show_manager.then(|| view! { <td>{row.manager_name.clone().unwrap_or_else(|| "No line manager".into())}</td> });
                        view! {
                            <tr>
                                <th scope="row"><a href=href>{row.name.clone()}</a></th>
                                <td>{row.job_title.clone()}</td>
                                <td>{row.department.clone()}</td>
                                {manager}
                                {row.statuses.into_iter().map(|status| view! { <td><StatusText status/></td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// `/team`: the people I manage (`?all=1`: everyone below me) and where they stand.
#[component]
pub fn TeamPage() -> impl IntoView {
    let all = query_value("all");
    page(
        move || team_training(all.clone()),
        |team| view! { <Team team/> },
    )
}

#[component]
fn Team(team: TeamView) -> impl IntoView {
    let TeamView { all, counts, grid } = team;
    let people = grid.rows.len();
    let toggle = if all {
        view! {
            <p>"Showing everyone below you in the line-management chain. "
               <a href="/team">"Show only the people you manage yourself"</a></p>
        }
        .into_any()
    } else {
        view! {
            <p>"Showing the people you manage yourself. "
               <a href="/team?all=1">"Show everyone below you, including their teams"</a></p>
        }
        .into_any()
    };
    let body = if people == 0 {
        view! {
            <p class="lead">"Nobody has you as their line manager in the staff records, so there is nobody to show here."</p>
            <p>"If that is wrong, ask your People department to update the staff records."</p>
        }
        .into_any()
    } else {
        let caption = if all {
            "Everyone below you and their training"
        } else {
            "The people you manage and their training"
        };
        view! {
            <p class="lead">{format!("{people} {}. Counts of their training by status:", if people == 1 { "person" } else { "people" })}</p>
            <CountsList counts/>
            <StatusGridTable grid caption=caption.to_string() show_manager=all/>
        }
        .into_any()
    };
    view! {
        <Title text="My team"/>
        <h1>"My team"</h1>
        {toggle}
        {body}
    }
    .into_any()
}

//! The People department's training dashboard (`/training/dashboard`): counts, filters
//! (a plain GET form, so it works with JavaScript off), one page of people, and the CSV.

use super::pages::CountsList;
use super::team_pages::StatusGridTable;
use super::views::{
    training_dashboard, CountsRow, Dashboard, DashboardChoices, DashboardFilters, SortBy,
};
use super::words::StatusKind;
use crate::people::Pager;
use crate::reminders::pages::RemindersSection;
use crate::ui::{encode_component, page, query_value};
use leptos::prelude::*;
use leptos_meta::Title;

/// The filters as a query string ("status=overdue&q=sam"), without `page`.
pub fn query_of(filters: &DashboardFilters) -> String {
    let pairs = [
        ("status", &filters.status),
        ("requirement", &filters.requirement),
        ("department", &filters.department),
        ("manager", &filters.manager),
        ("q", &filters.q),
        ("sort", &filters.sort),
    ];
    pairs
        .iter()
        .filter_map(|(name, value)| {
            value
                .as_deref()
                .map(|v| format!("{name}={}", encode_component(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[component]
pub fn TrainingDashboardPage() -> impl IntoView {
    let asked = DashboardFilters {
        status: query_value("status"),
        requirement: query_value("requirement"),
        department: query_value("department"),
        manager: query_value("manager"),
        q: query_value("q"),
        sort: query_value("sort"),
        page: query_value("page"),
    };
    page(
        move || {
            let f = asked.clone();
            training_dashboard(
                f.status,
                f.requirement,
                f.department,
                f.manager,
                f.q,
                f.sort,
                f.page,
            )
        },
        |dashboard| view! { <DashboardView dashboard/> },
    )
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let Dashboard {
        filters,
        problems,
        counts,
        by_requirement,
        by_department,
        grid,
        paging,
        exceptions,
        choices,
        reminders,
    } = dashboard;
    let query = query_of(&filters);
    let join = |q: &str| {
        if q.is_empty() {
            String::new()
        } else {
            format!("{q}&")
        }
    };
    let without_status = query_of(&DashboardFilters {
        status: None,
        ..filters.clone()
    });
    let with_query = |path: &str| {
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    };
    let csv = with_query("/training/dashboard.csv");
    let base = with_query("/training/dashboard");
    let people = paging.total;
    let problems = (!problems.is_empty()).then(|| {
        view! {
            <div class="message message-error" role="alert">
                {problems.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
            </div>
        }
    });
    // Each part erased to one type: a long view's nested type names bloat the build.
    let top = view! {
        <Title text="Training dashboard"/>
        <h1>"Training dashboard"</h1>
        {problems}
        <p class="lead">"Where your organisation's staff stand with their training today. Counts are of each person's requirements, so someone with two requirements counts twice."</p>
        <section aria-labelledby="exceptions-heading" class="role-section">
            <h2 id="exceptions-heading">"Exceptions"</h2>
            <p>{format!("{exceptions} {} no line manager, or a line manager who has left, so nobody is chasing their training.", if exceptions == 1 { "person has" } else { "people have" })}</p>
            <p><a href="/staff?show=exceptions">"See the exceptions"</a></p>
        </section>
        <RemindersSection summary=reminders/>
    }
    .into_any();
    let counts = view! {
        <h2 id="counts-heading">"By status"</h2>
        <p>"For everyone the filters other than status keep. Choose a status to list the people with it."</p>
        <CountsList counts filter_base=format!("/training/dashboard?{}", join(&without_status))/>
    }
    .into_any();
    let list = view! {
        <FiltersForm filters=filters.clone() choices/>
        <p><a href=csv download="">"Download as CSV"</a>" (every matching person and requirement, not only this page)"</p>
        <h2 id="people-heading">"People"</h2>
        <p role="status">{format!("{people} {}", if people == 1 { "person" } else { "people" })}</p>
        <StatusGridTable grid caption="Staff and their training".to_string() show_manager=true/>
        <Pager paging base/>
    }
    .into_any();
    let tables = view! {
        <h2 id="by-requirement-heading">"By requirement"</h2>
        <CountsTable rows=by_requirement first="Requirement" labelled_by="by-requirement-heading"/>
        <h2 id="by-department-heading">"By department"</h2>
        <CountsTable rows=by_department first="Department" labelled_by="by-department-heading"/>
    }
    .into_any();
    view! { {top}{counts}{list}{tables} }.into_any()
}

#[component]
fn CountsTable(
    rows: Vec<CountsRow>,
    first: &'static str,
    labelled_by: &'static str,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"Nobody to count."</p> }.into_any();
    }
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby=labelled_by>
            <table>
                <thead><tr>
                    <th scope="col">{first}</th>
                    {StatusKind::ALL.into_iter().map(|k| view! { <th scope="col">{k.label()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            <th scope="row">{row.label}</th>
                            {StatusKind::ALL.into_iter().map(|k| view! { <td>{k.count_in(&row.counts)}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A `<select>`'s options: "Any" first, then each (value, label), the chosen one selected.
fn options(
    chosen: &Option<String>,
    any: &'static str,
    values: Vec<(String, String)>,
) -> impl IntoView {
    let chosen = chosen.clone().unwrap_or_default();
    view! {
        <option value="" selected=chosen.is_empty()>{any}</option>
        {values.into_iter().map(|(value, label)| {
            let selected = value == chosen;
            view! { <option value=value selected=selected>{label}</option> }
        }).collect_view()}
    }
    .into_any()
}

#[component]
fn FiltersForm(filters: DashboardFilters, choices: DashboardChoices) -> impl IntoView {
    let statuses = StatusKind::ALL
        .into_iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string()))
        .collect();
    let requirements = choices
        .requirements
        .into_iter()
        .map(|r| (r.id.to_string(), r.name))
        .collect();
    let departments = choices
        .departments
        .into_iter()
        .map(|d| (d.clone(), d))
        .collect();
    let managers = choices
        .managers
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    let sort = filters.sort.clone().unwrap_or_else(|| "name".into());
    view! {
        <form method="get" action="/training/dashboard" class="search-form" aria-labelledby="filters-heading">
            <h2 id="filters-heading" class="visually-hidden">"Filters"</h2>
            <div class="field">
                <label for="status">"Status"</label>
                <select id="status" name="status">{options(&filters.status, "Any status", statuses)}</select>
            </div>
            <div class="field">
                <label for="requirement">"Requirement"</label>
                <select id="requirement" name="requirement">{options(&filters.requirement, "All requirements", requirements)}</select>
            </div>
            <div class="field">
                <label for="department">"Department"</label>
                <select id="department" name="department">{options(&filters.department, "All departments", departments)}</select>
            </div>
            <div class="field">
                <label for="manager">"Line manager"</label>
                <select id="manager" name="manager">{options(&filters.manager, "Any line manager", managers)}</select>
            </div>
            <div class="field">
                <label for="q">"Name or email"</label>
                <input id="q" name="q" type="search" maxlength="200" value=filters.q.clone().unwrap_or_default()/>
            </div>
            <div class="field">
                <label for="sort">"Sort by"</label>
                <select id="sort" name="sort">
                    {SortBy::ALL.into_iter().map(|s| {
                        let selected = s.as_str() == sort;
                        view! { <option value=s.as_str() selected=selected>{s.label()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">"Show"</button>
            <a href="/training/dashboard">"Clear the filters"</a>
        </form>
    }
    .into_any()
}

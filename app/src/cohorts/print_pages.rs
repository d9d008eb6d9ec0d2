//! A cohort's grid to print (`/cohorts/ID/print`, with the grid's filter, search and
//! sort): one table of every learner they keep, no menus or forms (the print stylesheet
//! leaves out the site's header and anything marked `no-print`).

use super::load_cohort_grid;
use super::pages::{addresses, totals_text, GridTable};
use crate::ids::CohortId;
use crate::ui::{page, query_value, route_param};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CohortPrintPage() -> impl IntoView {
    let cohort_id = CohortId::from_param(route_param("id"));
    let asked = (query_value("show"), query_value("q"), query_value("sort"));
    page(
        move || {
            let (show, q, sort) = asked.clone();
            load_cohort_grid(cohort_id.clone(), show, q, sort, Some("all".into()))
        },
        move |grid| {
            let back = addresses(&grid).with_sort;
            let listed = match grid.paging.total {
                1 => "1 learner listed.".to_string(),
                n => format!("{n} learners listed."),
            };
            view! {
                <Title text=format!("{}: to print", grid.name)/>
                <p class="no-print"><a href=back>"Back to the grid"</a>
                   " · Use your browser's Print command to print this page."</p>
                <h1>{grid.name.clone()}</h1>
                <p>{format!("Printed {}. {} {listed}", grid.today, totals_text(&grid.totals))}</p>
                <GridTable sort=grid.asked.sort.clone() link=addresses(&grid).link grid/>
            }
        },
    )
}

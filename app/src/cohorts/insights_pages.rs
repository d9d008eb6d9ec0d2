//! `/cohorts/ID/insights`: the cohort's completion week by week (an SVG bar chart drawn
//! here, with a text summary and the same figures as a table) and the topics to revisit.

use super::insights::{load_cohort_insights, CohortInsights, TopicGap, WeekPoint};
use crate::ids::CohortId;
use crate::ui::{page, route_param};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CohortInsightsPage() -> impl IntoView {
    let cohort_id = CohortId::from_param(route_param("id"));
    page(
        move || load_cohort_insights(cohort_id.clone()),
        move |insights| view! { <InsightsView insights/> },
    )
}

/// What the chart shows, in words.
fn summary(weeks: &[WeekPoint], active: i64) -> String {
    let Some(last) = weeks.last() else {
        return "The cohort has not started yet, or has no active learners: there is nothing to chart.".to_string();
    };
    let mut text = format!(
        "By {}, {} of {active} active learners ({}%) had completed their induction.",
        last.ending, last.complete, last.percent
    );
    if let Some(earlier) = weeks.iter().rev().nth(4) {
        text.push_str(&format!(
            " Four weeks before, by {}: {}%.",
            earlier.ending, earlier.percent
        ));
    }
    text
}

/// The bar chart: one bar a week, its height the per cent complete. Decorative detail is
/// left to the table; the summary names the chart for screen readers.
#[component]
fn Chart(weeks: Vec<WeekPoint>) -> impl IntoView {
    const WIDTH: i32 = 600;
    const HEIGHT: i32 = 220;
    const LEFT: i32 = 40;
    const TOP: i32 = 10;
    const BOTTOM: i32 = 30;
    let plot = HEIGHT - TOP - BOTTOM;
    let n = i32::try_from(weeks.len().max(1)).unwrap_or(1);
    let slot = (WIDTH - LEFT) / n;
    let bar = (slot * 2 / 3).max(2);
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby="chart-summary">
            {[0, 50, 100].into_iter().map(|pct| {
                let y = TOP + plot - plot * pct / 100;
                view! {
                    <line x1=LEFT x2=WIDTH y1=y y2=y class="chart-grid"/>
                    <text x=LEFT - 6 y=y + 4 text-anchor="end" class="chart-label">{format!("{pct}%")}</text>
                }
            }).collect_view()}
            {weeks.iter().enumerate().map(|(i, w)| {
                let pct = i32::try_from(w.percent).unwrap_or(100);
                let h = plot * pct / 100;
                let x = LEFT + slot * i32::try_from(i).unwrap_or(0) + (slot - bar) / 2;
                view! { <rect x=x y=TOP + plot - h width=bar height=h class="chart-bar"/> }
            }).collect_view()}
            <text x=LEFT y=HEIGHT - 8 class="chart-label">{weeks.first().map(|w| w.ending.clone()).unwrap_or_default()}</text>
            <text x=WIDTH y=HEIGHT - 8 text-anchor="end" class="chart-label">{weeks.last().map(|w| w.ending.clone()).unwrap_or_default()}</text>
        </svg>
    }
}

/// "Contact and conduct", "Content", "Content, contact and conduct": the risks as
/// `quiz.toml` names them (checked to be the 4Cs' lower-case names).
fn risk_words(risks: &[String]) -> String {
    let text = match risks.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    };
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[component]
fn Gaps(gaps: Vec<TopicGap>, first_attempts: i64) -> impl IntoView {
    if gaps.is_empty() {
        let text = if first_attempts == 0 {
            "No first attempts at a quiz yet."
        } else {
            "No topic was answered wrongly on a first attempt."
        };
        return view! { <p>{text}</p> }.into_any();
    }
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-label="Topics to revisit">
            <table>
                <caption>{format!("Topics most often wrong on first attempts (of {first_attempts} first attempts)")}</caption>
                <thead><tr>
                    <th scope="col">"Topic"</th>
                    <th scope="col">"Risk (the 4Cs)"</th>
                    <th scope="col">"Module"</th>
                    <th scope="col">"First answers wrong"</th>
                </tr></thead>
                <tbody>
                    {gaps.into_iter().map(|g| view! {
                        <tr>
                            <th scope="row">{g.topic.clone()}</th>
                            <td>{risk_words(&g.risks)}</td>
                            <td>{g.module.clone()}</td>
                            <td>{format!("{} of {} ({}%)", g.wrong, g.answered, g.percent_wrong)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn InsightsView(insights: CohortInsights) -> impl IntoView {
    let back = format!("/cohorts/{}", insights.id);
    let summary = summary(&insights.weeks, insights.active);
    let weeks = insights.weeks.clone();
    view! {
        <Title text=format!("Over time: {}", insights.name)/>
        <p><a href=back>{format!("Back to {}", insights.name)}</a></p>
        <h1>{format!("{}: over time and what to revisit", insights.name)}</h1>
        <h2>"Completion week by week"</h2>
        <p id="chart-summary">{summary}</p>
        {(!weeks.is_empty()).then(|| view! { <Chart weeks=weeks.clone()/> })}
        {(!weeks.is_empty()).then(|| view! {
            <div class="table-wrap" role="region" tabindex="0" aria-label="Completion week by week">
                <table>
                    <caption>"Active learners fully inducted (every module passed, the policy signed) by the end of each week"</caption>
                    <thead><tr>
                        <th scope="col">"Week ending"</th>
                        <th scope="col">"Complete"</th>
                        <th scope="col">"Per cent"</th>
                    </tr></thead>
                    <tbody>
                        {weeks.iter().map(|w| view! {
                            <tr><th scope="row">{w.ending.clone()}</th><td>{w.complete}</td><td>{format!("{}%", w.percent)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        <h2>"What to revisit"</h2>
        <p>"The quiz topics this cohort's learners most often got wrong the first time, so you know what to go over in a session. Nobody is named here."</p>
        <Gaps gaps=insights.gaps.clone() first_attempts=insights.first_attempts/>
    }
}

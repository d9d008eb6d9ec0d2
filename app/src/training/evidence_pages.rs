//! The inspection evidence pack page: choose a day, read the summary, print it or
//! download the CSV. Works without JavaScript (a GET form).

use super::evidence::{load_evidence_pack, CountsFor, EvidencePack, EvidencePage};
use super::types::StatusCounts;
use crate::error::AppError;
use crate::ui::{encode_component, page, query_value, ErrorMessage};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn EvidencePackPage() -> impl IntoView {
    let on = query_value("on");
    page(
        move || load_evidence_pack(on.clone()),
        |EvidencePage { asked, pack }| {
            let problem = pack.as_ref().err().cloned();
            let invalid = problem.is_some().then_some("true");
            view! {
                <Title text="Inspection evidence pack"/>
                <h1>"Inspection evidence pack"</h1>
                <p class="no-print">"Staff training compliance as the records stood at the end of any day, today or in the past: a summary to print and a CSV with one row for each member of staff and requirement, for Ofsted or an auditor."</p>
                <form method="get" action="/training/evidence" class="no-print">
                    <label for="on">"Day"</label>
                    <p class="hint" id="on-hint">"For example 31/08/2026. Leave empty for today."</p>
                    <input id="on" name="on" type="text" inputmode="numeric" value=asked
                        aria-describedby="on-hint" aria-invalid=invalid/>
                    <ErrorMessage error=problem.map(AppError::Invalid)/>
                    <button type="submit">"Show the pack"</button>
                </form>
                {pack.ok().map(|pack| view! { <Pack pack/> })}
            }
        },
    )
}

#[component]
fn Pack(pack: EvidencePack) -> impl IntoView {
    let csv = format!("/training/evidence.csv?on={}", encode_component(&pack.on));
    let overdue = pack.overdue.clone();
    view! {
        <section aria-labelledby="pack-heading">
            <h2 id="pack-heading">{format!("{}: staff training at the end of {}", pack.organisation, pack.on_words)}</h2>
            <p>{format!("Made on {} by {}. {} members of staff that day.", pack.made_at, pack.made_by, pack.staff)}</p>
            <p class="no-print"><a href=csv download="">"Download the CSV for this day"</a></p>
            <h3>"All requirements"</h3>
            <CountsTable first="" rows=vec![CountsFor { name: "Everyone".into(), counts: pack.totals }]/>
            <h3>"By requirement"</h3>
            <CountsTable first="Requirement" rows=pack.by_requirement/>
            <h3>"By department"</h3>
            <CountsTable first="Department" rows=pack.by_department/>
            <h3>"Overdue that day"</h3>
            {if overdue.is_empty() {
                view! { <p>"Nobody was overdue."</p> }.into_any()
            } else {
                view! {
                    <table>
                        <thead><tr><th scope="col">"Requirement"</th><th scope="col">"Name"</th><th scope="col">"Department"</th><th scope="col">"Status"</th></tr></thead>
                        <tbody>
                            {overdue.into_iter().map(|line| view! {
                                <tr><td>{line.requirement}</td><td>{line.person}</td><td>{line.department}</td><td>{line.status}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

fn cells(counts: StatusCounts) -> impl IntoView {
    let percent = if counts.required() == 0 {
        "-".to_string()
    } else {
        format!("{}%", counts.compliant * 100 / counts.required())
    };
    view! {
        <td>{counts.compliant}</td><td>{counts.due_soon}</td><td>{counts.overdue}</td>
        <td>{counts.not_yet_due}</td><td>{counts.not_required}</td><td>{percent}</td>
    }
}

#[component]
fn CountsTable(first: &'static str, rows: Vec<CountsFor>) -> impl IntoView {
    view! {
        <table>
            <thead>
                <tr>
                    <th scope="col">{first}</th><th scope="col">"Compliant"</th><th scope="col">"Due soon"</th>
                    <th scope="col">"Overdue"</th><th scope="col">"Not yet due"</th><th scope="col">"Not required"</th>
                    <th scope="col">"Compliant of those required"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| view! {
                    <tr><th scope="row">{row.name}</th>{cells(row.counts)}</tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

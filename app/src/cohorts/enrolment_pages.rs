//! `/cohorts/enrol`: paste (or, with JavaScript, choose) a CSV file of learners, look at
//! every row and problem, confirm. Plain forms, so it works with JavaScript off; the file
//! picker is the shared one (`staff::import_pages::picker`), which fills `csv` and
//! `file_name`.

use super::enrolment::{
    enrolment_state, EnrolmentCancel, EnrolmentConfirm, EnrolmentUpload, EnrolmentView, Preview,
    MAX_BYTES, MAX_ROWS,
};
use crate::ui::{page, query_value, ErrorMessage, Notice, ProblemsByLine};
use leptos::prelude::*;
use leptos_meta::Title;

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[component]
pub fn EnrolmentPage() -> impl IntoView {
    let upload = ServerAction::<EnrolmentUpload>::new();
    let confirm = ServerAction::<EnrolmentConfirm>::new();
    let cancel = ServerAction::<EnrolmentCancel>::new();
    let error = upload
        .value()
        .get_untracked()
        .and_then(|r| r.err())
        .or_else(|| confirm.value().get_untracked().and_then(|r| r.err()))
        .or_else(|| cancel.value().get_untracked().and_then(|r| r.err()));
    let enrolled = query_value("enrolled").map(|n| {
        let invited = query_value("invited").unwrap_or_else(|| "0".into());
        format!("Enrolled: {n} learner{}. {invited} new account{} invited by email to choose a password.",
            if n == "1" { "" } else { "s" }, if invited == "1" { "" } else { "s" })
    });
    page(enrolment_state, move |view: EnrolmentView| {
        let error = error.clone();
        view! {
            <Title text="Enrol learners from a file"/>
            <p><a href="/cohorts">"All cohorts"</a></p>
            <h1>"Enrol learners from a file"</h1>
            <ErrorMessage error/>
            <div id="result"><Notice text=enrolled.clone()/></div>
            {match view.preview {
                Some(p) => previewed(p, confirm, cancel).into_any(),
                None => upload_form(upload, view.cohorts).into_any(),
            }}
        }
    })
}

fn upload_form(upload: ServerAction<EnrolmentUpload>, cohorts: Vec<String>) -> impl IntoView {
    let cohorts = if cohorts.is_empty() {
        "You cannot enrol into any cohort yet: an administrator creates cohorts and chooses their tutors.".to_string()
    } else {
        format!("Cohorts you can enrol into: {}.", cohorts.join(", "))
    };
    view! {
        <h2>"1. Paste the file"</h2>
        <p>{format!(
            "A CSV file, headings first, with a column for each of: first name, last name, email, cohort (its name as on the Cohorts page), start date (01/09/2026 or 2026-09-01), and optionally date of birth and learner reference. At most {} MB and {MAX_ROWS} rows. Nothing changes until you have seen the preview and confirmed.",
            MAX_BYTES / 1_000_000
        )}</p>
        <p>{cohorts}</p>
        <p>"Someone who already has an account here is found by their email and enrolled, never added twice; a learner in another cohort moves, keeping all their progress. Everyone else gets a new learner account and an email inviting them to choose a password."</p>
        <p>"For example:"</p>
        <pre>"First name,Last name,Email,Cohort,Start date,Date of birth,Learner reference\nAisha,O'Neill,aisha@example.org,September intake,01/09/2026,14/05/2009,ULN 4455667788"</pre>
        <ActionForm action=upload>
            <div class="field js-only">
                <label for="csv_file">"Choose the CSV file"</label>
                <p class="hint" id="csv_file_note" aria-live="polite">"Its text appears in the box below. Check it, then preview."</p>
                <input id="csv_file" type="file" accept=".csv,text/csv" aria-describedby="csv_file_note"/>
            </div>
            <div class="field">
                <label for="file_name">"File name (optional)"</label>
                <input id="file_name" name="file_name" type="text" autocomplete="off" maxlength="200"/>
            </div>
            <div class="field">
                <label for="csv">"CSV file"</label>
                <textarea id="csv" name="csv" rows="12" required=true spellcheck="false"></textarea>
            </div>
            <button type="submit">"Preview the enrolment"</button>
        </ActionForm>
    }
}

fn previewed(
    p: Preview,
    confirm: ServerAction<EnrolmentConfirm>,
    cancel: ServerAction<EnrolmentCancel>,
) -> impl IntoView {
    let clean = p.problems.is_empty();
    let count = p.rows.len();
    let summary = if clean {
        format!(
            "No problems found: {} new learner{} and {} existing account{}.",
            p.new_learners,
            plural(p.new_learners),
            p.existing,
            plural(p.existing)
        )
    } else {
        format!(
            "{} problem{} to fix in the file before anyone can be enrolled.",
            p.problems.len(),
            plural(p.problems.len())
        )
    };
    view! {
        <h2 id="preview">{format!("2. Check every row of {}", p.file_name)}</h2>
        <p role="status">{format!("{count} row{}. {summary}", plural(count))}</p>
        {(!clean).then(|| view! {
            <ProblemsByLine problems=p.problems.iter().map(|pr| (pr.line, pr.message.clone())).collect()/>
        })}
        <div class="table-wrap" role="region" tabindex="0" aria-label="Rows of the file">
            <table>
                <caption class="visually-hidden">"Rows of the file"</caption>
                <thead><tr>
                    <th scope="col">"Line"</th>
                    <th scope="col">"Learner"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Cohort"</th>
                    <th scope="col">"Start date"</th>
                    <th scope="col">"What happens"</th>
                </tr></thead>
                <tbody>
                    {p.rows.iter().map(|r| view! {
                        <tr id=format!("line-{}", r.line) class={if r.problems > 0 { "has-problem" } else { "" }}>
                            <th scope="row">{r.line}</th>
                            <td>{r.name.clone()}</td>
                            <td>{r.email.clone()}</td>
                            <td>{r.cohort.clone()}</td>
                            <td>{r.start_on.clone()}</td>
                            <td>{r.action.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"3. Enrol"</h2>
        {if clean {
            view! {
                <p>"Every row is enrolled, or none is. New learners are emailed an invitation."</p>
                <ActionForm action=confirm>
                    <button type="submit">{format!("Enrol {count} learner{}", plural(count))}</button>
                </ActionForm>
            }.into_any()
        } else {
            view! { <p>"Fix the problems in the file, then paste it again."</p> }.into_any()
        }}
        <ActionForm action=cancel>
            <button type="submit" class="secondary">"Start again with another file"</button>
        </ActionForm>
    }
}

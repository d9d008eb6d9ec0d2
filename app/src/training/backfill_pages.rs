//! `/training/import`: paste (or, with JavaScript, choose) a CSV file of historic
//! completions, look at every row and problem, confirm. Plain forms, so it works with
//! JavaScript off. The file picker is the HR import's (`staff::import_pages::picker`): it
//! fills the text box `csv` and, here, the file name.

use super::backfill::{
    backfill_state, BackfillCancel, BackfillConfirm, BackfillUpload, BackfillView, Preview,
    MAX_BYTES, MAX_ROWS,
};
use crate::ui::{page, query_value, ErrorMessage, Notice, ProblemsByLine};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BackfillPage() -> impl IntoView {
    let upload = ServerAction::<BackfillUpload>::new();
    let confirm = ServerAction::<BackfillConfirm>::new();
    let cancel = ServerAction::<BackfillCancel>::new();
    let error = upload
        .value()
        .get_untracked()
        .and_then(|r| r.err())
        .or_else(|| confirm.value().get_untracked().and_then(|r| r.err()))
        .or_else(|| cancel.value().get_untracked().and_then(|r| r.err()));
    let imported = query_value("imported").map(|n| {
        format!("Imported: {n} completion{} recorded. Each shows in the person's training history with the reason \"Imported at go-live\".", if n == "1" { "" } else { "s" })
    });
    page(backfill_state, move |BackfillView { preview }| {
        let error = error.clone();
        view! {
            <Title text="Import training records from before go-live"/>
            <h1>"Import training records from before go-live"</h1>
            <ErrorMessage error/>
            <div id="result"><Notice text=imported.clone()/></div>
            {match preview {
                Some(p) => previewed(p, confirm, cancel).into_any(),
                None => upload_form(upload).into_any(),
            }}
        }
    })
}

fn upload_form(upload: ServerAction<BackfillUpload>) -> impl IntoView {
    view! {
        <h2>"1. Paste the file"</h2>
        <p>{format!(
            "A CSV file, headings first, with a column for each of: the employee number or the email (either will do; the employee number is tried first), the requirement (its name as your organisation has it), the completion date (31/01/2024 or 2024-01-31, not in the future), and optionally a certificate reference. At most {} MB and {MAX_ROWS} rows. Nothing is recorded until you have seen the preview and confirmed.",
            MAX_BYTES / 1_000_000
        )}</p>
        <p>"For example:"</p>
        <pre>"Employee number,Email,Requirement,Completion date,Certificate reference\nE104,,Prevent awareness,14/03/2025,PRV-2291\n,sam@example.org,Annual safeguarding and online safety update,2025-09-12,"</pre>
        <ActionForm action=upload>
            <div class="field js-only">
                <label for="csv_file">"Choose the CSV file"</label>
                <p class="hint" id="csv_file_note" aria-live="polite">"Its text appears in the box below. Check it, then preview."</p>
                <input id="csv_file" type="file" accept=".csv,text/csv" aria-describedby="csv_file_note"/>
            </div>
            <div class="field">
                <label for="file_name">"File name (optional)"</label>
                <p class="hint" id="file_name-hint">"Kept with each record it imports, so you can tell later where a record came from."</p>
                <input id="file_name" name="file_name" type="text" autocomplete="off" maxlength="200" aria-describedby="file_name-hint"/>
            </div>
            <div class="field">
                <label for="csv">"CSV file"</label>
                <textarea id="csv" name="csv" rows="12" required=true spellcheck="false"></textarea>
            </div>
            <button type="submit">"Preview the import"</button>
        </ActionForm>
    }
}

fn previewed(
    p: Preview,
    confirm: ServerAction<BackfillConfirm>,
    cancel: ServerAction<BackfillCancel>,
) -> impl IntoView {
    let clean = p.problems.is_empty();
    let count = p.rows.len();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    view! {
        <h2 id="preview">{format!("2. Check every row of {}", p.file_name)}</h2>
        <p role="status">{format!(
            "{count} row{}. {}",
            plural(count),
            if clean { "No problems found.".to_string() } else { format!("{} problem{} to fix in the file before it can be imported.", p.problems.len(), plural(p.problems.len())) }
        )}</p>
        {(!clean).then(|| view! {
            <ProblemsByLine problems=p.problems.iter().map(|pr| (pr.line, pr.message.clone())).collect()/>
        })}
        <div class="table-wrap" role="region" tabindex="0" aria-label="Rows of the file">
            <table>
                <caption class="visually-hidden">"Rows of the file"</caption>
                <thead><tr>
                    <th scope="col">"Line"</th>
                    <th scope="col">"Person"</th>
                    <th scope="col">"Requirement"</th>
                    <th scope="col">"Completion date"</th>
                    <th scope="col">"Certificate reference"</th>
                    <th scope="col">"What happens"</th>
                </tr></thead>
                <tbody>
                    {p.rows.iter().map(|r| view! {
                        <tr id=format!("line-{}", r.line) class={if r.problems > 0 { "has-problem" } else { "" }}>
                            <th scope="row">{r.line}</th>
                            <td>{r.person.clone()}</td>
                            <td>{r.requirement.clone()}</td>
                            <td>{r.completed_on.clone()}</td>
                            <td>{r.reference.clone()}</td>
                            <td>{if r.problems > 0 { format!("{} problem{}", r.problems, plural(r.problems)) } else { "Record".to_string() }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"3. Import"</h2>
        {if clean {
            view! {
                <p>"Every row is recorded, or none is. Each gets the reason \"Imported at go-live\" with the file's name."</p>
                <ActionForm action=confirm>
                    <button type="submit">{format!("Import {count} row{}", plural(count))}</button>
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

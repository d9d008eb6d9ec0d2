//! `/staff/import`: paste the HR export, say which column is which, look at every row and
//! problem, confirm. Plain forms throughout, so it works with JavaScript off.

use super::import::{
    import_state, Field, ImportCancel, ImportConfirm, ImportMap, ImportUpload, ImportView, Outcome,
    Preview, MAX_BYTES, MAX_ROWS,
};
use crate::ui::{page, ErrorMessage, Notice, ProblemsByLine};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StaffImportPage() -> impl IntoView {
    let upload = ServerAction::<ImportUpload>::new();
    let map = ServerAction::<ImportMap>::new();
    let confirm = ServerAction::<ImportConfirm>::new();
    let cancel = ServerAction::<ImportCancel>::new();
    let error = upload
        .value()
        .get_untracked()
        .and_then(|r| r.err())
        .or_else(|| map.value().get_untracked().and_then(|r| r.err()))
        .or_else(|| confirm.value().get_untracked().and_then(|r| r.err()))
        .or_else(|| cancel.value().get_untracked().and_then(|r| r.err()));
    page(import_state, move |ImportView { preview, outcome }| {
        let error = error.clone();
        view! {
            <Title text="Import staff from your HR system"/>
            <h1>"Import staff from your HR system"</h1>
            <ErrorMessage error/>
            {outcome.map(result)}
            {match preview {
                Some(p) => previewed(p, map, confirm, cancel).into_any(),
                None => upload_form(upload).into_any(),
            }}
        }
    })
}

fn upload_form(upload: ServerAction<ImportUpload>) -> impl IntoView {
    view! {
        <h2>"1. Paste the export"</h2>
        <p>{format!(
            "Export your staff list from the HR system as CSV, open it in a text editor, and paste all of it here, headings first. At most {} MB and {MAX_ROWS} rows. Dates as 31/01/2026 or 2026-01-31. Nothing is saved until you have seen the preview and confirmed.",
            MAX_BYTES / 1_000_000
        )}</p>
        <ActionForm action=upload>
            // With JavaScript on: choose the file, and its text fills the box below (the
            // file itself is never sent; the form posts the text, as without JavaScript).
            <div class="field js-only">
                <label for="csv_file">"Choose the CSV file"</label>
                <p class="hint" id="csv_file_note" aria-live="polite">"Its text appears in the box below. Check it, then preview."</p>
                <input id="csv_file" type="file" accept=".csv,text/csv" aria-describedby="csv_file_note"/>
            </div>
            <div class="field">
                <label for="csv">"CSV export"</label>
                <textarea id="csv" name="csv" rows="12" required=true spellcheck="false"></textarea>
            </div>
            <button type="submit">"Preview the import"</button>
        </ActionForm>
    }
}

fn previewed(
    p: Preview,
    map: ServerAction<ImportMap>,
    confirm: ServerAction<ImportConfirm>,
    cancel: ServerAction<ImportCancel>,
) -> impl IntoView {
    let clean = p.problems.is_empty();
    let headings = p.headings.clone();
    let mapped: Vec<Field> = Field::ALL
        .into_iter()
        .filter(|f| p.mapping.contains_key(f))
        .collect();
    let columns: Vec<usize> = mapped
        .iter()
        .filter_map(|f| Field::ALL.iter().position(|x| x == f))
        .collect();
    let count = p.rows.len();
    view! {
        <h2 id="preview">"2. Which column is which"</h2>
        <p>"We guessed from the headings, or used what you chose last time. Change anything that is wrong."</p>
        <ActionForm action=map>
            {Field::ALL.into_iter().map(|f| {
                let chosen = p.mapping.get(&f).cloned().unwrap_or_default();
                let id = format!("map_{}", f.key());
                view! {
                    <div class="field">
                        <label for=id.clone()>{f.label()}</label>
                        <select id=id name=f.key()>
                            <option value="" selected=chosen.is_empty()>"(not in the file)"</option>
                            {headings.iter().map(|h| view! {
                                <option value=h.clone() selected=*h == chosen>{h.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                }
            }).collect_view()}
            <button type="submit" class="secondary">"Use these columns"</button>
        </ActionForm>

        <h2>"3. Check every row"</h2>
        <p role="status">{format!(
            "{count} row{}: {} new {}, {} to update. {}",
            if count == 1 { "" } else { "s" },
            p.new_people,
            if p.new_people == 1 { "person" } else { "people" },
            p.updates,
            if clean { "No problems found.".to_string() } else { format!("{} problem{} to fix in the file before it can be imported.", p.problems.len(), if p.problems.len() == 1 { "" } else { "s" }) }
        )}</p>
        {(!clean).then(|| view! {
            <ProblemsByLine problems=p.problems.iter().map(|pr| (pr.line, pr.message.clone())).collect()/>
        })}
        <div class="table-wrap" role="region" tabindex="0" aria-label="Rows of the file">
            <table>
                <caption class="visually-hidden">"Rows of the file"</caption>
                <thead><tr>
                    <th scope="col">"Line"</th>
                    {mapped.iter().map(|f| view! { <th scope="col">{f.label()}</th> }).collect_view()}
                    <th scope="col">"What happens"</th>
                </tr></thead>
                <tbody>
                    {p.rows.iter().map(|r| view! {
                        <tr id=format!("line-{}", r.line) class={if r.problems > 0 { "has-problem" } else { "" }}>
                            <th scope="row">{r.line}</th>
                            {columns.iter().map(|&i| view! { <td>{r.cells.get(i).cloned().unwrap_or_default()}</td> }).collect_view()}
                            <td>{if r.problems > 0 { format!("{} problem{}", r.problems, if r.problems == 1 { "" } else { "s" }) } else { r.action.clone() }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>

        <h2>"4. Import"</h2>
        {if clean {
            view! {
                <p>"Every row is saved, or none is. People not found are given an account in your organisation. Blank cells leave what is stored alone; nobody is deleted."</p>
                <ActionForm action=confirm>
                    <div class="field checkbox">
                        <input id="send_invitations" name="send_invitations" type="checkbox"/>
                        <label for="send_invitations">"Send invitations now (new people get an email to choose a password)"</label>
                    </div>
                    <button type="submit">{format!("Import {count} row{}", if count == 1 { "" } else { "s" })}</button>
                </ActionForm>
            }.into_any()
        } else {
            view! { <p>"Fix the problems in the file (or the columns above), then paste it again."</p> }.into_any()
        }}
        <ActionForm action=cancel>
            <button type="submit" class="secondary">"Start again with another file"</button>
        </ActionForm>
    }
}

fn result(o: Outcome) -> impl IntoView {
    let missing = o.missing.clone();
    view! {
        <section id="result" aria-labelledby="result-heading">
            <h2 id="result-heading">"Imported"</h2>
            <Notice text=Some(format!(
                "Import finished: {} new, {} updated, {} invitation{} sent.",
                o.created,
                o.updated,
                o.invited,
                if o.invited == 1 { "" } else { "s" }
            ))/>
            {if missing.is_empty() {
                view! { <p>"Everyone in your organisation's staff was in the file."</p> }.into_any()
            } else {
                view! {
                    <h3>"Not in the file"</h3>
                    <p>"These people were not in the file. If they have left, record their leaving date on their staff record."</p>
                    <ul class="missing-people">
                        {missing.into_iter().map(|m| view! {
                            <li><a href=format!("/staff/{}", m.id)>{m.full_name}</a>" ("{m.email}")"</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// With JavaScript on, a chosen CSV file's text is put in the upload form's text box. One
/// listener on the document, so it keeps working when pages are swapped in place.
#[cfg(feature = "hydrate")]
pub mod picker {
    use super::MAX_BYTES;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Event, HtmlInputElement, HtmlTextAreaElement};

    pub fn start() {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Some(root) = document.document_element() {
            let _ = root.class_list().add_1("js");
        }
        let closure = Closure::<dyn Fn(Event)>::new(on_change);
        let _ =
            document.add_event_listener_with_callback("change", closure.as_ref().unchecked_ref());
        // Lives as long as the page.
        closure.forget();
    }

    fn on_change(event: Event) {
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        if input.id() != "csv_file" {
            return;
        }
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let note = document.get_element_by_id("csv_file_note");
        let say = move |text: &str| {
            if let Some(note) = &note {
                note.set_text_content(Some(text));
            }
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        if file.size() > MAX_BYTES as f64 {
            input.set_value("");
            say("That file is larger than 1 MB. Split it into smaller files.");
            return;
        }
        let Some(area) = document
            .get_element_by_id("csv")
            .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
        else {
            return;
        };
        // A form that keeps the file's name (the training back-fill) has a box for it.
        if let Some(name_box) = document
            .get_element_by_id("file_name")
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        {
            name_box.set_value(&file.name());
        }
        wasm_bindgen_futures::spawn_local(async move {
            match JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
            {
                Some(text) => {
                    area.set_value(&text);
                    say("The file's text is in the box below. Check it, then preview.");
                }
                None => say("That file could not be read. Paste its text below instead."),
            }
        });
    }
}

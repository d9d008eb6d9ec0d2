//! The People department's pages: the organisation's documents (`/admin/documents`), one
//! document's editions (`/admin/documents/KEY`) and a draft edition
//! (`/admin/documents/drafts/ID`) to write, preview and publish.

use super::*;
use crate::error::AppError;
use crate::ui::{escape_text, page, query_value, route_param, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DocumentsAdminPage() -> impl IntoView {
    let create = ServerAction::<CreateDocument>::new();
    let error = create.value().get_untracked().and_then(|r| r.err());
    page(list_documents, move |documents: Vec<DocumentSummary>| {
        let typed = Typed::of::<CreateDocument>();
        view! {
            <Title text="Documents"/>
            <h1>"Documents to read and acknowledge"</h1>
            <p>"Publish a document, such as Keeping Children Safe in Education Part one, in numbered editions. Staff read the current edition and acknowledge it; a training requirement can ask for it. A published edition never changes: a change is a new edition, which everyone reads again."</p>
            {(!documents.is_empty()).then(|| view! {
                <div class="table-wrap" role="region" tabindex="0" aria-label="Documents">
                    <table>
                        <caption class="visually-hidden">"Your organisation's documents"</caption>
                        <thead><tr><th scope="col">"Document"</th><th scope="col">"Key"</th><th scope="col">"Published edition"</th></tr></thead>
                        <tbody>
                            {documents.iter().map(|d| view! {
                                <tr>
                                    <td><a href=format!("/admin/documents/{}", d.key)>{d.title.clone()}</a></td>
                                    <td>{d.key.clone()}</td>
                                    <td>{match (d.published, d.has_draft) {
                                        (Some(n), true) => format!("{n} (a draft is being written)"),
                                        (Some(n), false) => n.to_string(),
                                        (None, true) => "None yet (a draft is being written)".to_string(),
                                        (None, false) => "None yet".to_string(),
                                    }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            <section aria-labelledby="new-heading" class="role-section">
                <h2 id="new-heading">"Add a document"</h2>
                <ErrorMessage error=error.clone()/>
                <ActionForm action=create>
                    <div class="field">
                        <label for="title">"Title"</label>
                        <input id="title" name="title" type="text" maxlength="300" value=typed.value("title")/>
                    </div>
                    <div class="field">
                        <label for="key">"Key"</label>
                        <p class="hint" id="key-hint">"A short name for its address, for example kcsie-part-one: lower-case letters, digits and hyphens. It cannot change later."</p>
                        <input id="key" name="key" type="text" maxlength="60" aria-describedby="key-hint" value=typed.value("key")/>
                    </div>
                    <button type="submit">"Add the document"</button>
                </ActionForm>
            </section>
        }
    })
}

#[component]
pub fn DocumentEditionsPage() -> impl IntoView {
    let key = route_param("key");
    let start = ServerAction::<StartDocumentEdition>::new();
    let error = start.value().get_untracked().and_then(|r| r.err());
    let published = query_value("published")
        .and_then(|n| n.parse::<u32>().ok())
        .map(|n| format!("Edition {n} is published. Everyone it applies to is asked to read it when it comes into force."));
    page(
        move || load_document_editions(key.clone()),
        move |d: DocumentEditions| {
            let has_draft = d.editions.iter().any(|e| !e.published);
            view! {
                <Title text=d.title.clone()/>
                <p class="breadcrumb"><a href="/admin/documents">"Documents"</a></p>
                <h1>{d.title.clone()}</h1>
                <p class="meta">{format!("Key: {}. Staff read it at /documents/{}.", d.key, d.key)}</p>
                <Notice text=published.clone()/>
                <ErrorMessage error=error.clone()/>
                {if d.editions.is_empty() {
                    view! { <p>"No edition yet."</p> }.into_any()
                } else {
                    view! { <Editions editions=d.editions.clone()/> }.into_any()
                }}
                <ActionForm action=start>
                    <input type="hidden" name="key" value=d.key.clone()/>
                    <button type="submit" class="secondary">{if has_draft { "Open the draft edition" } else { "Start a new edition" }}</button>
                </ActionForm>
            }
        },
    )
}

#[component]
fn Editions(editions: Vec<EditionSummary>) -> impl IntoView {
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-label="Editions">
            <table>
                <caption class="visually-hidden">"Editions, newest first"</caption>
                <thead><tr><th scope="col">"Edition"</th><th scope="col">"Status"</th><th scope="col">"In force from"</th><th scope="col">"What changed"</th></tr></thead>
                <tbody>
                    {editions.into_iter().map(|e| view! {
                        <tr>
                            <td>{if e.published {
                                view! { {e.number} }.into_any()
                            } else {
                                view! { <a href=format!("/admin/documents/drafts/{}", e.id)>{format!("{} (edit draft)", e.number)}</a> }.into_any()
                            }}</td>
                            <td>{if e.published { "Published" } else { "Draft" }}</td>
                            <td>{e.effective_from.clone()}</td>
                            <td>{e.what_changed.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn DocumentDraftPage() -> impl IntoView {
    let id = crate::ids::PolicyVersionId::from_param(route_param("id"));
    let save = ServerAction::<SaveDocumentDraft>::new();
    let error = save.value().get_untracked().and_then(|r| r.err());
    let saved =
        query_value("saved").map(|_| "Draft saved. The preview below shows it.".to_string());
    page(
        move || load_document_draft(id.clone()),
        move |draft| view! { <DraftEditor draft save error=error.clone() saved=saved.clone()/> },
    )
}

#[component]
fn DraftEditor(
    draft: DocumentDraft,
    save: ServerAction<SaveDocumentDraft>,
    error: Option<AppError>,
    saved: Option<String>,
) -> impl IntoView {
    let problems = draft.problems.clone();
    let typed = Typed::of::<SaveDocumentDraft>().for_row("draft_id", draft.id.as_str());
    view! {
        <Title text=format!("Draft edition {}", draft.number)/>
        <p class="breadcrumb"><a href=format!("/admin/documents/{}", draft.key)>{draft.document_title.clone()}</a></p>
        <h1>{format!("{}: draft edition {}", draft.document_title, draft.number)}</h1>
        <Notice text=saved/>
        <ErrorMessage error/>
        <ActionForm action=save>
            <input type="hidden" name="draft_id" value=draft.id.to_string()/>
            <div class="field">
                <label for="title">"Title"</label>
                <input id="title" name="title" type="text" maxlength="300" value=typed.text("title", draft.title.clone())/>
            </div>
            <div class="field">
                <label for="body">"The text (Markdown)"</label>
                <p class="hint" id="body_hint">"Sections start with ## and a heading. No HTML; links must start with https://."</p>
                <textarea id="body" name="body" rows="24" aria-describedby="body_hint" inner_html=escape_text(&typed.text("body", draft.body.clone()))></textarea>
            </div>
            <div class="field">
                <label for="what_changed">"What changed"</label>
                <p class="hint" id="what_changed_hint">"A sentence or two in plain English. Staff who read an earlier edition see this first."</p>
                <textarea id="what_changed" name="what_changed" rows="3" maxlength="2000" aria-describedby="what_changed_hint" inner_html=escape_text(&typed.text("what_changed", draft.what_changed.clone()))></textarea>
            </div>
            <div class="field">
                <label for="effective_from">"In force from"</label>
                <p class="hint" id="effective_from_hint">"From this day it is the current edition, and staff are asked to read it."</p>
                <input id="effective_from" name="effective_from" type="date" aria-describedby="effective_from_hint" value=typed.text("effective_from", draft.effective_from.clone())/>
            </div>
            <p class="actions">
                <button type="submit" name="publish" value="no" class="secondary">"Save draft and preview"</button>
                " "
                <button type="submit" name="publish" value="yes">"Publish"</button>
            </p>
        </ActionForm>
        <section aria-labelledby="preview-heading">
            <h2 id="preview-heading">"Preview of the saved draft"</h2>
            {(!problems.is_empty()).then(|| view! {
                <div class="message message-error" role="alert">
                    <p>"Fix these before publishing:"</p>
                    <ul>{problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
                </div>
            })}
            <div class="content policy-text preview" inner_html=draft.preview_html.clone()></div>
        </section>
    }
}

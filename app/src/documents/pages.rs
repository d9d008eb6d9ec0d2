//! The staff pages: my documents (`/documents`) and one document's current edition to
//! read and acknowledge (`/documents/KEY`).

use super::*;
use crate::error::AppError;
use crate::ui::{page, query_value, route_param, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MyDocumentsPage() -> impl IntoView {
    page(my_documents, move |documents: Vec<MyDocument>| {
        view! {
            <Title text="Documents to read"/>
            <h1>"Documents to read"</h1>
            <p>"Your organisation asks you to read these documents and confirm you have understood them. Each new edition needs reading again."</p>
            {if documents.is_empty() {
                view! { <p>"There are no documents for you to read at the moment."</p> }.into_any()
            } else {
                view! { <DocumentTable documents/> }.into_any()
            }}
        }
    })
}

#[component]
fn DocumentTable(documents: Vec<MyDocument>) -> impl IntoView {
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-label="Documents to read">
            <table>
                <caption class="visually-hidden">"Documents to read and where you stand with each"</caption>
                <thead><tr><th scope="col">"Document"</th><th scope="col">"Current edition"</th><th scope="col">"You"</th></tr></thead>
                <tbody>
                    {documents.into_iter().map(|d| view! {
                        <tr>
                            <td><a href=format!("/documents/{}", d.key)>{d.title.clone()}</a></td>
                            <td>{d.current_number}</td>
                            <td>{status_text(&d)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// "Acknowledged edition 2 on 3 September 2027", or "To read" (saying which edition was
/// acknowledged before, if one was).
fn status_text(d: &MyDocument) -> String {
    match (&d.acknowledged, &d.earlier) {
        (Some((n, on)), _) => format!("Acknowledged edition {n} on {on}"),
        (None, Some((n, on))) => {
            format!(
                "To read: edition {} is new (you acknowledged edition {n} on {on})",
                d.current_number
            )
        }
        (None, None) => "To read".to_string(),
    }
}

#[component]
pub fn ReadDocumentPage() -> impl IntoView {
    let key = route_param("key");
    let action = ServerAction::<AcknowledgeDocument>::new();
    let error = action.value().get_untracked().and_then(|r| r.err());
    let done = query_value("acknowledged")
        .map(|_| "Thank you. Your acknowledgement has been recorded.".to_string());
    page(
        move || load_document(key.clone()),
        move |document| {
            view! { <ReadDocument document action error=error.clone() done=done.clone()/> }
        },
    )
}

#[component]
fn ReadDocument(
    document: DocumentToRead,
    action: ServerAction<AcknowledgeDocument>,
    error: Option<AppError>,
    done: Option<String>,
) -> impl IntoView {
    let typed =
        Typed::of::<AcknowledgeDocument>().for_row("version_id", document.version_id.as_str());
    let lead = match (&document.acknowledged_on, &document.earlier) {
        (Some(on), _) => format!("You acknowledged this edition on {on}. Thank you."),
        (None, Some((n, on))) => format!(
            "This is a new edition: you acknowledged edition {n} on {on}. Please read edition {} and acknowledge it.",
            document.number
        ),
        (None, None) => "Please read this document, then confirm below that you have read and understood it.".to_string(),
    };
    let is_new = document.acknowledged_on.is_none() && document.earlier.is_some();
    view! {
        <Title text=document.title.clone()/>
        <p class="breadcrumb"><a href="/documents">"Documents to read"</a></p>
        <h1>{document.title.clone()}</h1>
        <p class="meta">{format!("Edition {}, in force from {}", document.number, document.effective_from)}</p>
        <Notice text=done/>
        <p class="lead">{lead}</p>
        {is_new.then(|| view! {
            <section class="message message-info" aria-labelledby="changed-heading">
                <h2 id="changed-heading">"What changed"</h2>
                <p>{document.what_changed.clone()}</p>
            </section>
        })}
        <ErrorMessage error/>
        <div class="content policy-text" inner_html=document.html.clone()></div>
        {document.acknowledged_on.is_none().then(|| view! {
            <ActionForm action attr:class="sign-form">
                <input type="hidden" name="version_id" value=document.version_id.to_string()/>
                <div class="choice">
                    <input type="checkbox" id="understood" name="understood" checked=typed.ticked("understood", false)/>
                    <label for="understood">"I have read and understood this edition"</label>
                </div>
                <button type="submit">"Acknowledge"</button>
            </ActionForm>
        })}
    }
}

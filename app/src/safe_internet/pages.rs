//! The public Safe Internet page and the form where an organisation edits its part.

use super::{
    contacts_for_editing, load_safe_internet, OrganisationContacts, SafeInternetView, SaveContacts,
};
use crate::ui::{escape_text, page, query_value, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/safe-internet` (the default organisation) and `/o/:slug/safe-internet`.
#[component]
pub fn SafeInternetPage() -> impl IntoView {
    let slug = use_params_map().get_untracked().get("slug");
    crate::ui::page(
        move || load_safe_internet(slug.clone()),
        |page| view! { <SafeInternet page/> },
    )
}

#[component]
fn SafeInternet(page: SafeInternetView) -> impl IntoView {
    let contents = page
        .sections
        .iter()
        .map(|(id, text)| view! { <li><a href=format!("#{id}")>{text.clone()}</a></li> })
        .collect_view();
    view! {
        <Title text=page.title.clone()/>
        <article class="safe-internet">
            <h1>{page.title.clone()}</h1>
            <p class="lead">{page.summary.clone()}</p>
            {page.org_name.clone().map(|name| view! { <OrganisationPart name contacts=page.contacts.clone()/> }.into_any())}
            <nav aria-labelledby="contents-heading" class="contents">
                <h2 id="contents-heading">"Contents"</h2>
                <ol>{contents}</ol>
            </nav>
            <div class="content" inner_html=page.html.clone()></div>
            <p class="updated">"Last reviewed: " {page.updated.clone()}</p>
        </article>
    }
}

#[component]
fn OrganisationPart(name: String, contacts: OrganisationContacts) -> AnyView {
    let heading = format!("Contacts at {name}");
    let tel = crate::ui::tel_href(&contacts.dsl_phone);
    let paragraphs = contacts
        .raise_concern
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| view! { <p>{p.trim().to_string()}</p> })
        .collect_view();
    view! {
        <section aria-labelledby="organisation-heading" class="organisation-part">
            <h2 id="organisation-heading">{heading}</h2>
            {contacts.is_empty().then(|| view! {
                <p>"If you are worried about a young person at " {name.clone()} ", contact their tutor or the organisation's reception and ask for the Designated Safeguarding Lead."</p>
            })}
            {(!contacts.dsl_name.is_empty() || !contacts.dsl_phone.is_empty() || !contacts.dsl_email.is_empty()).then(|| view! {
                <p>"The Designated Safeguarding Lead (the person responsible for keeping learners safe) is "
                   <strong>{if contacts.dsl_name.is_empty() { "available".to_string() } else { contacts.dsl_name.clone() }}</strong>"."</p>
                <ul>
                    {(!contacts.dsl_phone.is_empty()).then(|| view! { <li>"Phone: "<a href=tel.clone()>{contacts.dsl_phone.clone()}</a></li> })}
                    {(!contacts.dsl_email.is_empty()).then(|| view! { <li>"Email: "<a href=format!("mailto:{}", contacts.dsl_email)>{contacts.dsl_email.clone()}</a></li> })}
                </ul>
            })}
            {(!contacts.raise_concern.is_empty()).then(|| view! {
                <h3>"How to raise a concern"</h3>
                {paragraphs}
            })}
            {(!contacts.policy_links.is_empty()).then(|| view! {
                <h3>"Our policies"</h3>
                <ul>
                    {contacts.policy_links.iter().map(|l| view! { <li><a href=l.url.clone()>{l.title.clone()}</a></li> }).collect_view()}
                </ul>
            })}
        </section>
    }
    .into_any()
}

/// `/admin/safe-internet`: the organisation's own part, for administrators and the DSL.
#[component]
pub fn SafeInternetSettingsPage() -> impl IntoView {
    let action = ServerAction::<SaveContacts>::new();
    let error = action.value().get_untracked().and_then(|r| r.err());
    let saved = query_value("saved")
        .map(|_| "Saved. Parents and carers now see these contacts.".to_string());
    page(contacts_for_editing, move |(slug, c)| {
        let (error, saved) = (error.clone(), saved.clone());
        let links = super::links_as_text(&c.policy_links);
        let typed = Typed::of::<SaveContacts>();
        view! {
            <Title text="Safe Internet page contacts"/>
            <div class="narrow">
                <h1>"Safe Internet page contacts"</h1>
                <Notice text=saved/>
                <ErrorMessage error/>
                <p>"Parents and carers see these at the top of "
                   <a href=format!("/o/{slug}/safe-internet")>"your Safe Internet page"</a>". Leave a field empty to hide it."</p>
                <ActionForm action>
                    <div class="field">
                        <label for="dsl_name">"Designated Safeguarding Lead's name"</label>
                        <input id="dsl_name" name="dsl_name" type="text" maxlength="200" value=typed.text("dsl_name", c.dsl_name.clone())/>
                    </div>
                    <div class="field">
                        <label for="dsl_phone">"Phone"</label>
                        <input id="dsl_phone" name="dsl_phone" type="text" inputmode="tel" autocomplete="off" maxlength="200" value=typed.text("dsl_phone", c.dsl_phone.clone())/>
                    </div>
                    <div class="field">
                        <label for="dsl_email">"Email"</label>
                        <input id="dsl_email" name="dsl_email" type="email" autocomplete="off" maxlength="200" value=typed.text("dsl_email", c.dsl_email.clone())/>
                    </div>
                    <div class="field">
                        <label for="raise_concern">"How to raise a concern"</label>
                        <p class="hint" id="raise_concern_hint">"Plain text. Leave a blank line between paragraphs."</p>
                        <textarea id="raise_concern" name="raise_concern" rows="6" maxlength="2000" aria-describedby="raise_concern_hint" inner_html=escape_text(&typed.text("raise_concern", c.raise_concern.clone()))></textarea>
                    </div>
                    <div class="field">
                        <label for="policy_links">"Links to your policies"</label>
                        <p class="hint" id="policy_links_hint">"One per line: the title, then | then the address. For example: Online safety policy | https://example.org/online-safety.pdf"</p>
                        <textarea id="policy_links" name="policy_links" rows="4" aria-describedby="policy_links_hint" inner_html=escape_text(&typed.text("policy_links", links))></textarea>
                    </div>
                    <button type="submit">"Save"</button>
                </ActionForm>
            </div>
        }
    })
}

//! `/admin/modules`: the organisation's modules, switched on or off, with pass marks; and
//! `/admin/modules/new`: add a module of its own from Markdown.

use super::{
    module_draft, module_settings, AddOwnModule, ModuleSetting, SetPassMark, SwitchModule,
};
use crate::ui::{escape_text, page, query_value, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;

/// The notice after a change. The address names the module by id and the change by a
/// fixed word or number; the words shown come from the module list itself, so a crafted
/// link cannot put its own text on the page.
fn notice(modules: &[ModuleSetting]) -> Option<String> {
    let title_of = |id: String| {
        modules
            .iter()
            .find(|m| m.id.as_str() == id)
            .map(|m| m.title.clone())
    };
    if let Some(title) = query_value("added").and_then(title_of) {
        return Some(format!("Saved \"{title}\". It is now in the list below."));
    }
    let module = query_value("module").and_then(title_of)?;
    match query_value("switched").as_deref() {
        Some("on") => return Some(format!("{module} is now switched on.")),
        Some("off") => return Some(format!("{module} is now switched off.")),
        _ => {}
    }
    let mark = query_value("pass_mark")?.parse::<u8>().ok()?;
    (1..=100)
        .contains(&mark)
        .then(|| format!("The pass mark for {module} is now {mark}%."))
}

#[component]
pub fn ModuleSettingsPage() -> impl IntoView {
    let switch = ServerAction::<SwitchModule>::new();
    let pass_mark = ServerAction::<SetPassMark>::new();
    let error = switch
        .value()
        .get_untracked()
        .and_then(|r| r.err())
        .or_else(|| pass_mark.value().get_untracked().and_then(|r| r.err()));
    page(module_settings, move |modules: Vec<ModuleSetting>| {
        let error = error.clone();
        let notice = notice(&modules);
        view! {
            <Title text="Modules"/>
            <h1>"Modules"</h1>
            <Notice text=notice/>
            <ErrorMessage error/>
            <p>"Choose which modules your learners and staff take, and the score they need to pass. Switching a module off hides it; nothing anyone has done is lost, and certificates stay valid."</p>
            <p><a href="/admin/modules/new">"Add a module of your own"</a></p>
            <div class="table-wrap" role="region" tabindex="0" aria-label="Your organisation's modules">
                <table>
                    <caption class="visually-hidden">"Your organisation's modules"</caption>
                    <thead><tr><th scope="col">"Module"</th><th scope="col">"For"</th><th scope="col">"Switched on?"</th><th scope="col">"Pass mark"</th></tr></thead>
                    <tbody>
                        {modules.into_iter().map(|m| view! { <ModuleRow m switch pass_mark/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    })
}

#[component]
fn ModuleRow(
    m: ModuleSetting,
    switch: ServerAction<SwitchModule>,
    pass_mark: ServerAction<SetPassMark>,
) -> impl IntoView {
    let input_id = format!("pass-mark-{}", m.id);
    let typed = Typed::of::<SetPassMark>().for_row("module_id", m.id.as_str());
    let (switch_id, mark_id) = (m.id.to_string(), m.id.to_string());
    let (state, button, value) = if m.switched_on {
        ("On", format!("Switch off {}", m.title), "off")
    } else {
        ("Off", format!("Switch on {}", m.title), "on")
    };
    view! {
        <tr>
            <td>{m.title.clone()}{m.own.then(|| view! { <br/><span class="meta">"Your own module"</span> })}</td>
            <td>{m.audience.clone()}</td>
            <td>
                <p class="switch-state">{state}</p>
                <ActionForm action=switch attr:class="inline-form">
                    <input type="hidden" name="module_id" value=switch_id/>
                    <input type="hidden" name="switch" value=value/>
                    <button type="submit" class="secondary">{button}</button>
                </ActionForm>
            </td>
            <td>
                <ActionForm action=pass_mark attr:class="pass-mark-form">
                    <input type="hidden" name="module_id" value=mark_id/>
                    <label for=input_id.clone()>{format!("Pass mark for {} (per cent)", m.title)}</label>
                    <input id=input_id type="number" name="pass_mark" min="1" max="100" step="1" required value=typed.text("pass_mark", m.pass_mark.to_string())/>
                    <button type="submit" class="secondary">"Save"</button>
                </ActionForm>
                {(m.pass_mark != m.default_pass_mark).then(|| view! { <p class="meta">{format!("Usually {}%", m.default_pass_mark)}</p> })}
            </td>
        </tr>
    }
}

const MODULE_EXAMPLE: &str = "---\nid: our-wifi-rules\ntitle: Using our Wi-Fi\nsummary: What our Wi-Fi filters, and who to tell if something gets through.\naudience: learners\nminutes: 10\norder: 20\nversion: 1\n---\n\nA short introduction.\n\n## What we filter\n...\n## Where to get help\n...\n## The law in the UK\n...";

const QUIZ_EXAMPLE: &str = "[[question]]\nid = \"who-to-tell\"\nkind = \"single\"\nrisk = \"content\"\ntopic = \"filtering\"\nprompt = \"Something upsetting gets past the filter. Who can you tell?\"\n\n[[question.option]]\nid = \"a\"\ntext = \"My tutor or the DSL\"\ncorrect = true\nfeedback = \"Yes. They can get it blocked and check you are OK.\"";

/// `/admin/modules/new`
#[component]
pub fn AddModulePage() -> impl IntoView {
    let add = ServerAction::<AddOwnModule>::new();
    let error = add.value().get_untracked().and_then(|r| r.err());
    // Only administrators and the DSL get the form; texts that failed the checks come
    // back to be fixed.
    page(
        module_draft,
        move |(module_text, quiz_text): (String, String)| {
            let error = error.clone();
            // The draft holds texts too large for the general mechanism.
            let typed = Typed::of::<AddOwnModule>();
            let module_text = typed.text("module_text", module_text);
            let quiz_text = typed.text("quiz_text", quiz_text);
            view! {
                <Title text="Add a module"/>
                <h1>"Add a module of your own"</h1>
                <ErrorMessage error/>
                <p>"Write the module in Markdown and its quiz in TOML, in the same format as the built-in modules (see content/README.md). It is checked by the same rules before it is saved: 4 to 8 sections including 'Where to get help' and 'The law in the UK', 8 to 12 questions, each with a right answer and feedback, no raw HTML, and links only to https addresses. Saving a module with an id you have used before replaces it."</p>
                <ActionForm action=add>
                    <div class="field">
                        <label for="module_text">"The module (module.md)"</label>
                        <p class="hint" id="module_text_hint">"Starts with a header like:"</p>
                        <pre class="example" id="module_text_example">{MODULE_EXAMPLE}</pre>
                        <textarea id="module_text" name="module_text" rows="18" required aria-describedby="module_text_hint module_text_example" spellcheck="true" inner_html=escape_text(&module_text)></textarea>
                    </div>
                    <div class="field">
                        <label for="quiz_text">"The quiz (quiz.toml)"</label>
                        <p class="hint" id="quiz_text_hint">"8 to 12 questions, each like:"</p>
                        <pre class="example" id="quiz_text_example">{QUIZ_EXAMPLE}</pre>
                        <textarea id="quiz_text" name="quiz_text" rows="18" required aria-describedby="quiz_text_hint quiz_text_example" spellcheck="false" inner_html=escape_text(&quiz_text)></textarea>
                    </div>
                    <button type="submit">"Check and save"</button>
                </ActionForm>
            }
        },
    )
}

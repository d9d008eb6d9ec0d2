//! `/admin/policies`: the versions of each policy; `/admin/policies/drafts/ID`: write a new
//! version with a preview, then publish it. For the DSL and administrators.

use super::*;
use crate::ui::{escape_text, page, query_value, ErrorMessage, Notice, Typed};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn kind_title(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::Learner => "Learner Acceptable Use Policy",
        PolicyKind::Staff => "Staff Acceptable Use Policy",
    }
}

#[component]
pub fn PolicyVersionsPage() -> impl IntoView {
    let start = ServerAction::<StartPolicyDraft>::new();
    let schedule = ServerAction::<SetSigningSchedule>::new();
    let error = start
        .value()
        .get_untracked()
        .and_then(|r| r.err())
        .or_else(|| schedule.value().get_untracked().and_then(|r| r.err()));
    let published = query_value("published")
        .and_then(|n| n.parse::<u32>().ok())
        .map(|n| format!("Version {n} is published. Everyone it applies to is asked to sign it when it comes into force."))
        .or_else(|| query_value("schedule").and_then(|m| match m.as_str() {
            "none" => Some("Saved: people sign again only when a new version asks them to.".to_string()),
            // Only a real number of months is echoed, never other text from the address.
            m => m.parse::<u32>().ok().filter(|n| (1..=MAX_SCHEDULE_MONTHS).contains(n)).map(|n| {
                format!("Saved: everyone signs again {n} months after their last signature.")
            }),
        }));
    let load = || async { Ok((policy_versions().await?, load_signing_schedule().await?)) };
    page(load, move |(policies, months): (Vec<_>, Option<u32>)| {
        view! {
            <Title text="Policies"/>
            <h1>"Acceptable Use Policies"</h1>
            <Notice text=published.clone()/>
            <ErrorMessage error=error.clone()/>
            <p>"Publish a new version when the policy changes. A published version never changes. For a small fix, such as a typo, you can let people keep their signature on the earlier version."</p>
            {policies.into_iter().map(|p| view! { <KindVersions p start/> }).collect_view()}
            <Schedule months action=schedule/>
        }
    })
}

/// Signing again on a schedule, as well as when a new version asks.
#[component]
fn Schedule(months: Option<u32>, action: ServerAction<SetSigningSchedule>) -> impl IntoView {
    let value = Typed::of::<SetSigningSchedule>()
        .text("months", months.map(|m| m.to_string()).unwrap_or_default());
    view! {
        <section aria-labelledby="schedule-heading" class="role-section">
            <h2 id="schedule-heading">"Signing again on a schedule"</h2>
            <p>{match months {
                Some(m) => format!("Everyone signs their policy again {m} months after their last signature."),
                None => "People sign again only when a new version asks them to.".to_string(),
            }}</p>
            <ActionForm action>
                <div class="field">
                    <label for="months">"Ask everyone to sign again every (months)"</label>
                    <p class="hint" id="months-hint">"For example 12 for once a year. Leave empty for no schedule."</p>
                    <input id="months" name="months" type="number" min="1" max=MAX_SCHEDULE_MONTHS step="1" inputmode="numeric" value=value aria-describedby="months-hint"/>
                </div>
                <button type="submit">"Save the schedule"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn KindVersions(p: PolicyHistory, start: ServerAction<StartPolicyDraft>) -> impl IntoView {
    let heading = format!("versions-{}", p.kind.as_str());
    let labelled = heading.clone();
    let has_draft = p.versions.iter().any(|v| !v.published);
    view! {
        <section aria-labelledby=labelled class="role-section">
            <h2 id=heading>{kind_title(p.kind)}</h2>
            <div class="table-wrap" role="region" tabindex="0" aria-label=format!("Versions of the {}", kind_title(p.kind))>
                <table>
                    <caption class="visually-hidden">{format!("Versions of the {}", kind_title(p.kind))}</caption>
                    <thead><tr><th scope="col">"Version"</th><th scope="col">"Status"</th><th scope="col">"In force from"</th><th scope="col">"Everyone signs again?"</th><th scope="col">"What changed"</th></tr></thead>
                    <tbody>
                        {p.versions.iter().map(|v| view! {
                            <tr>
                                <td>{if v.published {
                                    view! { {v.number} }.into_any()
                                } else {
                                    view! { <a href=format!("/admin/policies/drafts/{}", v.id)>{format!("{} (edit draft)", v.number)}</a> }.into_any()
                                }}</td>
                                <td>{if v.published { "Published" } else { "Draft" }}</td>
                                <td>{v.effective_from.clone()}</td>
                                <td>{if v.everyone_signs_again { "Yes" } else { "No" }}</td>
                                <td>{v.what_changed.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <ActionForm action=start>
                <input type="hidden" name="kind" value=p.kind.as_str()/>
                <button type="submit" class="secondary">{if has_draft { format!("Open the draft of the {}", kind_title(p.kind)) } else { format!("Start a new version of the {}", kind_title(p.kind)) }}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn PolicyDraftPage() -> impl IntoView {
    let id = crate::ids::PolicyVersionId::from_param(
        use_params_map()
            .get_untracked()
            .get("id")
            .unwrap_or_default(),
    );
    let save = ServerAction::<SavePolicyDraft>::new();
    let error = save.value().get_untracked().and_then(|r| r.err());
    let saved =
        query_value("saved").map(|_| "Draft saved. The preview below shows it.".to_string());
    page(
        move || load_policy_draft(id.clone()),
        move |draft| view! { <DraftEditor draft save error=error.clone() saved=saved.clone()/> },
    )
}

#[component]
fn DraftEditor(
    draft: PolicyDraft,
    save: ServerAction<SavePolicyDraft>,
    error: Option<AppError>,
    saved: Option<String>,
) -> impl IntoView {
    let problems = draft.problems.clone();
    let typed = Typed::of::<SavePolicyDraft>().for_row("draft_id", draft.id.as_str());
    let everyone = draft.everyone_signs_again;
    view! {
        <Title text=format!("Draft version {}", draft.number)/>
        <p class="breadcrumb"><a href="/admin/policies">"Policies"</a></p>
        <h1>{format!("{}: draft version {}", kind_title(draft.kind), draft.number)}</h1>
        <Notice text=saved/>
        <ErrorMessage error/>
        <ActionForm action=save>
            <input type="hidden" name="draft_id" value=draft.id.to_string()/>
            <div class="field">
                <label for="title">"Title"</label>
                <input id="title" name="title" type="text" maxlength="300" value=typed.text("title", draft.title.clone())/>
            </div>
            <div class="field">
                <label for="body">"The policy text (Markdown)"</label>
                <p class="hint" id="body_hint">"Sections start with ## and a heading. No HTML; links must start with https://."</p>
                <textarea id="body" name="body" rows="24" aria-describedby="body_hint" inner_html=escape_text(&typed.text("body", draft.body.clone()))></textarea>
            </div>
            <div class="field">
                <label for="what_changed">"What changed"</label>
                <p class="hint" id="what_changed_hint">"A sentence or two in plain English. People asked to sign again read this first."</p>
                <textarea id="what_changed" name="what_changed" rows="3" maxlength="2000" aria-describedby="what_changed_hint" inner_html=escape_text(&typed.text("what_changed", draft.what_changed.clone()))></textarea>
            </div>
            <div class="field">
                <label for="effective_from">"In force from"</label>
                <input id="effective_from" name="effective_from" type="date" value=typed.text("effective_from", draft.effective_from.clone())/>
            </div>
            <fieldset class="question">
                <legend>"Must everyone sign again?"</legend>
                <div class="choice">
                    <input type="radio" id="sign_again_everyone" name="sign_again" value="everyone" checked=typed.chose("sign_again", "everyone", everyone)/>
                    <label for="sign_again_everyone">"Yes: everyone signs this version"</label>
                </div>
                <div class="choice">
                    <input type="radio" id="sign_again_new" name="sign_again" value="new-signers-only" checked=typed.chose("sign_again", "new-signers-only", !everyone)/>
                    <label for="sign_again_new">"No, it is a small fix: only people who have never signed"</label>
                </div>
            </fieldset>
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

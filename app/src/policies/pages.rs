//! The policy pages: sign (`/policies/sign/KIND`), my policies (`/policies`), a signed copy
//! for the file (`/policies/signed/ID`) and the public check (`/policies/check/ID`).

use super::*;
use crate::ids::SignatureId;
use crate::ui::{page, query_value, ErrorMessage, Notice, Typed};
use leptos_meta::Title;

use crate::ui::route_param as param;

#[component]
pub fn SignPolicyPage() -> impl IntoView {
    let kind = param("kind");
    let action = ServerAction::<SignPolicy>::new();
    let error = action.value().get_untracked().and_then(|r| r.err());
    page(
        move || load_policy_to_sign(kind.clone()),
        move |policy| view! { <SignPolicyForm policy action error=error.clone()/> },
    )
}

#[component]
fn SignPolicyForm(
    policy: PolicyToSign,
    action: ServerAction<SignPolicy>,
    error: Option<AppError>,
) -> impl IntoView {
    let lead = match (policy.already_signed, policy.signed_before) {
        (true, _) => "You have already signed this version. Thank you.".to_string(),
        (false, _) if policy.due_again_every.is_some() => format!(
            "Your organisation asks everyone to read this policy and sign it again every {} months, and it is time. Please read it and sign it again.",
            policy.due_again_every.unwrap_or(12)
        ),
        (false, Some(before)) => format!(
            "This policy has changed since you signed version {before}. Please read version {} and sign it again.",
            policy.number
        ),
        (false, None) => "Before you use our systems, please read this policy and sign it. It explains what you can expect from us and what we expect from you.".to_string(),
    };
    let typed = Typed::of::<SignPolicy>().for_row("version_id", policy.version_id.as_str());
    view! {
        <Title text=format!("Sign: {}", policy.title)/>
        <h1>{policy.title.clone()}</h1>
        <p class="meta">{format!("Version {}, in force from {}", policy.number, policy.effective_from)}</p>
        <p class="lead">{lead}</p>
        {(policy.signed_before.is_some() && !policy.already_signed).then(|| view! {
            <section class="message message-info" aria-labelledby="changed-heading">
                <h2 id="changed-heading">"What changed"</h2>
                <p>{policy.what_changed.clone()}</p>
            </section>
            <Changes before=policy.signed_before.unwrap_or(0) after=policy.number rows=policy.changes.clone()/>
            <h2>"The full text"</h2>
        })}
        <ErrorMessage error/>
        <div class="content policy-text" inner_html=policy.html.clone()></div>
        {(!policy.already_signed).then(|| view! {
            <ActionForm action attr:class="sign-form">
                <input type="hidden" name="version_id" value=policy.version_id.to_string()/>
                <div class="choice">
                    <input type="checkbox" id="agree" name="agree" checked=typed.ticked("agree", false)/>
                    <label for="agree">"I have read and agree to this policy"</label>
                </div>
                <div class="field">
                    <label for="full_name">"Type your full name to sign"</label>
                    <input id="full_name" name="full_name" type="text" autocomplete="name" maxlength="200" value=typed.value("full_name")/>
                </div>
                <button type="submit">"Sign the policy"</button>
            </ActionForm>
        })}
    }
}

/// The version signed before beside this one, changed paragraphs marked in words too.
#[component]
fn Changes(before: u32, after: u32, rows: Vec<ChangeRow>) -> impl IntoView {
    let cell = |text: Option<String>, changed: bool, word: &'static str| match text {
        Some(t) if changed => {
            view! { <td class="changed"><strong>{word}</strong>" "{t}</td> }.into_any()
        }
        Some(t) => view! { <td>{t}</td> }.into_any(),
        None => {
            view! { <td class="changed"><span class="meta">"(nothing here)"</span></td> }.into_any()
        }
    };
    view! {
        <div class="table-wrap changes" role="region" tabindex="0" aria-label="The signed version beside the new one">
            <table>
                <caption>{format!("Version {before}, which you signed, beside version {after}. Changed paragraphs are marked.")}</caption>
                <thead><tr><th scope="col">{format!("Version {before}")}</th><th scope="col">{format!("Version {after}")}</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            {cell(r.before.clone(), r.changed, "Was:")}
                            {cell(r.after.clone(), r.changed, "Now:")}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn MyPoliciesPage() -> impl IntoView {
    let signed =
        query_value("signed").map(|_| "Thank you. Your signature has been recorded.".to_string());
    page(my_policies, move |policies| {
        view! {
            <Title text="My policies"/>
            <h1>"My policies"</h1>
            <Notice text=signed.clone()/>
            {policies.into_iter().map(|p| view! { <PolicyItem p/> }).collect_view()}
        }
    })
}

#[component]
fn PolicyItem(p: MyPolicy) -> impl IntoView {
    let heading_id = format!("policy-{}", p.kind.as_str());
    let labelled_by = heading_id.clone();
    view! {
        <section aria-labelledby=labelled_by class="role-section">
            <h2 id=heading_id>{p.title.clone()}</h2>
            {if p.needs_signing {
                view! { <p class="status status-in-progress">{format!("Version {} is waiting for your signature. ", p.current_number)}<a href=format!("/policies/sign/{}", p.kind.as_str())>"Read and sign it"</a></p> }.into_any()
            } else {
                view! { <p class="status status-passed">{format!("Signed. Version {} is current.", p.current_number)}</p> }.into_any()
            }}
            {p.parent.clone().map(|status| view! {
                <p>{match status {
                    ParentStatus::Acknowledged(a) => format!(
                        "Your parent or carer: {} ({}) read this policy on {}. Thank you.",
                        a.parent_name, a.relationship, a.on
                    ),
                    _ => "Because you are under 18, we also ask a parent or carer to read this policy. Your tutor will send them a link or give them a paper copy.".to_string(),
                }}</p>
            })}
            <ul>
                {p.signatures.iter().map(|(id, number, on)| view! {
                    <li><a href=format!("/policies/signed/{id}")>{format!("Signed copy of version {number}, {on}")}</a></li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn SignedCopyPage() -> impl IntoView {
    let id = SignatureId::from_param(param("id"));
    page(
        move || load_signed_copy(id.clone()),
        |copy| view! { <SignedCopyView copy/> },
    )
}

#[component]
fn SignedCopyView(copy: SignedCopy) -> impl IntoView {
    view! {
        <Title text=format!("Signed copy: {}", copy.title)/>
        <p class="no-print">"Use your browser's Print command to print this signed copy or save it as a PDF for the file."</p>
        <h1>{format!("{}: signed copy", copy.title)}</h1>
        <dl class="details signature-details">
            <dt>"Organisation"</dt><dd>{copy.org_name.clone()}</dd>
            <dt>"Signed by"</dt><dd>{copy.account_name.clone()}</dd>
            <dt>"Name typed"</dt><dd>{copy.typed_name.clone()}</dd>
            <dt>"Version"</dt><dd>{copy.number}</dd>
            <dt>"Signed at"</dt><dd>{copy.signed_at.clone()}</dd>
            <dt>"From address"</dt><dd>{copy.address.clone()}</dd>
            <dt>"Browser"</dt><dd>{copy.user_agent.clone()}</dd>
            <dt>"SHA-256 of the text signed"</dt><dd><code class="hash">{copy.text_sha256.clone()}</code></dd>
            <dt>"Check it at"</dt><dd>{copy.check_url.clone()}</dd>
        </dl>
        <h2>"The text signed"</h2>
        <div class="content policy-text" inner_html=copy.html.clone()></div>
    }
}

/// Public: anyone holding a signed copy checks it here.
#[component]
pub fn CheckSignaturePage() -> impl IntoView {
    let id = SignatureId::from_param(param("id"));
    page(
        move || check_signature(id.clone()),
        |c| {
            view! {
                <Title text="Check a signed policy"/>
                <h1>"Check a signed policy"</h1>
                {if c.text_matches {
                    view! { <div class="message message-success" role="status"><p>"This signature is on record, and the policy text still matches what was signed."</p></div> }.into_any()
                } else {
                    view! { <div class="message message-error" role="alert"><p>"This signature is on record, but the policy text on record no longer matches what was signed. Ask the organisation's Designated Safeguarding Lead."</p></div> }.into_any()
                }}
                <dl class="details">
                    <dt>"Policy"</dt><dd>{format!("{}, version {}", c.title, c.number)}</dd>
                    <dt>"Signed on"</dt><dd>{c.signed_on.clone()}</dd>
                    <dt>"Signed by"</dt><dd>{c.signer.clone()}</dd>
                    <dt>"SHA-256 of the text"</dt><dd><code class="hash">{c.text_sha256.clone()}</code></dd>
                </dl>
                <p>"Compare the SHA-256 above with the one printed on the signed copy: they must be the same."</p>
            }
        },
    )
}

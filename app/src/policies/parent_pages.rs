//! Parents and carers of learners under 18: the tutor's page for one learner
//! (`/policies/parents/ID`: status, email a link, record a paper form), and the public page
//! the emailed link opens (`/parent/TOKEN`), which needs no account and loads no script.

use super::*;
use crate::ids::PersonId;
use crate::ui::{page, page_or, query_value, route_param, ErrorMessage, Notice, Typed};
use leptos_meta::Title;

#[component]
pub fn ParentCasePage() -> impl IntoView {
    let id = PersonId::from_param(route_param("id"));
    let email = ServerAction::<EmailParent>::new();
    let paper = ServerAction::<RecordPaperAcknowledgement>::new();
    let email_error = email.value().get_untracked().and_then(|r| r.err());
    let paper_error = paper.value().get_untracked().and_then(|r| r.err());
    let done = query_value("emailed")
        .map(|_| "The email is on its way. The link works once, for 14 days.".to_string())
        .or_else(|| {
            query_value("recorded").map(|_| "The paper acknowledgement is recorded.".to_string())
        });
    page(
        move || load_parent_case(id.clone()),
        move |case| {
            view! {
                <ParentCaseView case done=done.clone() email email_error=email_error.clone()
                    paper paper_error=paper_error.clone()/>
            }
        },
    )
}

#[component]
fn ParentCaseView(
    case: ParentCase,
    done: Option<String>,
    email: ServerAction<EmailParent>,
    email_error: Option<AppError>,
    paper: ServerAction<RecordPaperAcknowledgement>,
    paper_error: Option<AppError>,
) -> impl IntoView {
    let title = format!("Parent or carer: {}", case.learner_name);
    let born = match (&case.date_of_birth, case.age) {
        (Some(date), Some(age)) => format!("{date} (aged {age})"),
        _ => "Not recorded".to_string(),
    };
    let asks = matches!(
        case.status,
        ParentStatus::Waiting | ParentStatus::Acknowledged(_)
    );
    view! {
        <Title text=title.clone()/>
        <p class="breadcrumb"><a href="/policies/report?kind=learner">"Who has signed the learner policy"</a></p>
        <h1>{title}</h1>
        <Notice text=done/>
        <dl class="details">
            <dt>"Date of birth"</dt><dd>{born}</dd>
            <dt>"Policy"</dt><dd>{format!("{}, version {}", case.policy_title, case.version)}</dd>
            <dt>"Parent or carer"</dt><dd>{case.status.label()}</dd>
        </dl>
        {(!asks).then(|| view! {
            <p>"A parent's or carer's acknowledgement is asked for only while a learner is under 18. An administrator records dates of birth on each person's page under Users."</p>
        })}
        {(!case.acknowledgements.is_empty()).then(|| view! {
            <h2>"Acknowledgements on record"</h2>
            <ul>
                {case.acknowledgements.iter().map(|a| view! {
                    <li>{format!("Version {}: {} ({}), {}, {}", a.version, a.parent_name, a.relationship, a.on, a.how)}</li>
                }).collect_view()}
            </ul>
        })}
        {(!case.links.is_empty()).then(|| view! {
            <h2>"Links emailed"</h2>
            <ul>
                {case.links.iter().map(|l| view! {
                    <li>{format!("To {} on {}: {}", l.email, l.sent_on, l.state)}</li>
                }).collect_view()}
            </ul>
        })}
        {asks.then(|| view! {
            <EmailParentForm learner_id=case.learner_id.clone() action=email error=email_error/>
            <PaperForm learner_id=case.learner_id.clone() action=paper error=paper_error/>
        })}
    }
}

#[component]
fn EmailParentForm(
    learner_id: PersonId,
    action: ServerAction<EmailParent>,
    error: Option<AppError>,
) -> impl IntoView {
    let typed = Typed::of::<EmailParent>().for_row("learner_id", learner_id.as_str());
    view! {
        <section aria-labelledby="email-parent-heading" class="role-section">
            <h2 id="email-parent-heading">"Email a parent or carer"</h2>
            <p>"They get a link to read the current version and confirm it with their name. The link works once, for 14 days. They do not need an account."</p>
            <ErrorMessage error/>
            <ActionForm action>
                <input type="hidden" name="learner_id" value=learner_id.to_string()/>
                <div class="field">
                    <label for="parent_email">"Parent's or carer's email"</label>
                    <input id="parent_email" name="email" type="email" autocomplete="off" required maxlength="254" value=typed.value("email")/>
                </div>
                <button type="submit">"Send the link"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn PaperForm(
    learner_id: PersonId,
    action: ServerAction<RecordPaperAcknowledgement>,
    error: Option<AppError>,
) -> impl IntoView {
    let typed =
        Typed::of::<RecordPaperAcknowledgement>().for_row("learner_id", learner_id.as_str());
    view! {
        <section aria-labelledby="paper-heading" class="role-section">
            <h2 id="paper-heading">"Record a paper form"</h2>
            <p>"If the parent or carer signed the policy on paper, record it here for the current version."</p>
            <ErrorMessage error/>
            <ActionForm action>
                <input type="hidden" name="learner_id" value=learner_id.to_string()/>
                <div class="field">
                    <label for="parent_name">"Parent's or carer's full name"</label>
                    <input id="parent_name" name="parent_name" type="text" required maxlength="120" value=typed.value("parent_name")/>
                </div>
                <div class="field">
                    <label for="relationship">"Relationship to the learner"</label>
                    <p class="hint" id="relationship-hint">"For example mother, father, carer or guardian."</p>
                    <input id="relationship" name="relationship" type="text" required maxlength="120" aria-describedby="relationship-hint" value=typed.value("relationship")/>
                </div>
                <div class="field">
                    <label for="signed_on">"Date on the form"</label>
                    <input id="signed_on" name="signed_on" type="date" required value=typed.value("signed_on")/>
                </div>
                <fieldset>
                    <legend>"Has the signed form been scanned into the learner's file?"</legend>
                    <div class="choice">
                        <input type="radio" id="scanned-yes" name="scanned" value="yes" required checked=typed.chose("scanned", "yes", false)/>
                        <label for="scanned-yes">"Yes"</label>
                    </div>
                    <div class="choice">
                        <input type="radio" id="scanned-no" name="scanned" value="no" checked=typed.chose("scanned", "no", false)/>
                        <label for="scanned-no">"No, the paper copy is kept"</label>
                    </div>
                </fieldset>
                <div class="choice">
                    <input type="checkbox" id="seen" name="seen" checked=typed.ticked("seen", false)/>
                    <label for="seen">"I have seen the form signed by the parent or carer"</label>
                </div>
                <button type="submit">"Record the paper form"</button>
            </ActionForm>
        </section>
    }
}

/// Public: the page an emailed link opens.
#[component]
pub fn ParentAcknowledgePage() -> impl IntoView {
    let token = route_param("token");
    let action = ServerAction::<AcknowledgeAsParent>::new();
    let error = action.value().get_untracked().and_then(|r| r.err());
    let load = {
        let token = token.clone();
        move || load_parent_request(token.clone())
    };
    let show = move |request| {
        let (token, error) = (token.clone(), error.clone());
        view! { <ParentRequestView request token action error/> }
    };
    let unusable = |e: AppError| {
        view! {
            <Title text="This link cannot be used"/>
            <h1>"This link cannot be used"</h1>
            <ErrorMessage error=Some(e)/>
        }
        .into_any()
    };
    page_or(load, show, unusable)
}

#[component]
fn ParentRequestView(
    request: ParentRequest,
    token: String,
    action: ServerAction<AcknowledgeAsParent>,
    error: Option<AppError>,
) -> impl IntoView {
    let learner = request.learner_first_name.clone();
    // The link's token is never kept with what was typed; the page is its own check.
    let typed = Typed::of::<AcknowledgeAsParent>();
    view! {
        <Title text=format!("{}: for parents and carers", request.title)/>
        <h1>{request.title.clone()}</h1>
        <p class="meta">{format!("{}, version {}", request.org_name, request.version)}</p>
        <p class="lead">{format!(
            "{learner} is a learner at {org}. Every learner signs this policy, and for learners under 18 we ask a parent or carer to read it too. Please read it, then confirm below. It takes about ten minutes.",
            org = request.org_name
        )}</p>
        {error.is_some().then(|| view! { <p><a href="#confirm">"Go to the form to put this right"</a></p> })}
        <ErrorMessage error/>
        <div class="content policy-text" inner_html=request.html.clone()></div>
        <h2 id="confirm">"Confirm you have read it"</h2>
        <ActionForm action attr:class="sign-form">
            <input type="hidden" name="token" value=token/>
            <div class="field">
                <label for="parent_name">"Your full name"</label>
                <input id="parent_name" name="parent_name" type="text" autocomplete="name" required maxlength="120" value=typed.value("parent_name")/>
            </div>
            <div class="field">
                <label for="relationship">{format!("Your relationship to {learner}")}</label>
                <p class="hint" id="relationship-hint">"For example mother, father, carer or guardian."</p>
                <input id="relationship" name="relationship" type="text" required maxlength="120" aria-describedby="relationship-hint" value=typed.value("relationship")/>
            </div>
            <div class="choice">
                <input type="checkbox" id="agree" name="agree" checked=typed.ticked("agree", false)/>
                <label for="agree">"I have read this policy"</label>
            </div>
            <button type="submit">"Confirm"</button>
        </ActionForm>
    }
}

#[component]
pub fn ParentThanksPage() -> impl IntoView {
    view! {
        <Title text="Thank you"/>
        <h1>"Thank you"</h1>
        <div class="message message-success" role="status">
            <p>"Your acknowledgement is recorded. You can close this page."</p>
        </div>
        <p>"If you ever have a worry about a young person's safety online, you can talk to the provider's Designated Safeguarding Lead, or call the NSPCC helpline on 0808 800 5000."</p>
        <p><a href="/safe-internet">"Safe Internet advice for parents and carers"</a></p>
    }
}

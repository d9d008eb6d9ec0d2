//! The learner's pages: My induction, a module, one section, a certificate, and the public
//! certificate check (the quiz and its results: `quiz_pages.rs`). Every form is a plain HTML
//! form, so the whole journey works with JavaScript off.

use super::*;
use crate::ids::{ModuleSlug, SectionSlug};
use crate::ui::{page, query_value, set_status, tel_href, ErrorMessage, Notice};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::ui::route_param as param;

/// Always within reach on a module's pages: who to talk to, today.
#[component]
pub fn GetHelpNow(help: HelpContacts) -> impl IntoView {
    let tel = tel_href(&help.dsl_phone);
    let dsl = if help.dsl_name.is_empty() {
        "your Designated Safeguarding Lead (DSL)".to_string()
    } else {
        format!("{}, your Designated Safeguarding Lead (DSL)", help.dsl_name)
    };
    view! {
        <aside id="get-help" class="help-box get-help" aria-labelledby="get-help-heading">
            <h2 id="get-help-heading">"Get help now"</h2>
            <p>"It is never your fault, and you will not be in trouble for asking for help."</p>
            <ul>
                <li>"At " {help.org_name.clone()} ": talk to your tutor, or to " {dsl} "."
                    {(!help.dsl_phone.is_empty()).then(|| view! { " Phone " <a href=tel.clone()>{help.dsl_phone.clone()}</a>"." })}
                    {(!help.dsl_email.is_empty()).then(|| view! { " Email " <a href=format!("mailto:{}", help.dsl_email)>{help.dsl_email.clone()}</a>"." })}
                </li>
                <li>"Childline, free and confidential for anyone under 19: call "<a href="tel:08001111">"0800 1111"</a>" or chat at "<a href="https://www.childline.org.uk/">"childline.org.uk"</a>"."</li>
                <li>"Worried about sexual abuse or grooming online? Report it to CEOP at "<a href="https://www.ceop.police.uk/Safety-Centre/">"ceop.police.uk"</a>"."</li>
                <li>"If someone is in danger right now, call 999."</li>
            </ul>
        </aside>
    }
}

/// `/induction`: the modules assigned to me, in order, and my progress.
#[component]
pub fn InductionPage() -> impl IntoView {
    page(my_induction, |induction| view! { <Induction induction/> })
}

#[component]
fn Induction(induction: InductionView) -> impl IntoView {
    let passed = induction.passed();
    let total = induction.modules.len();
    let summary = if total == 0 {
        "You have no modules to take at the moment.".to_string()
    } else {
        format!("You have passed {passed} of {total} modules.")
    };
    view! {
        <Title text="My induction"/>
        <h1>"My induction"</h1>
        <p class="lead">{summary}</p>
        {(total > 0).then(|| view! {
            <progress class="overall" max=total.to_string() value=passed.to_string() aria-label="Modules passed">{format!("{passed} of {total}")}</progress>
        })}
        <ol class="module-list">
            {induction.modules.into_iter().map(|m| view! { <ModuleCardItem card=m/> }).collect_view()}
        </ol>
    }
}

#[component]
fn ModuleCardItem(card: ModuleCard) -> impl IntoView {
    let status = match (card.status, &card.passed_on, card.best_percent) {
        (ModuleStatus::Passed, Some(on), Some(best)) => {
            format!("Passed on {on}. Best score {best}%.")
        }
        (ModuleStatus::InProgress, _, Some(best)) => {
            format!("In progress. Best score so far {best}%.")
        }
        (ModuleStatus::InProgress, _, None) => format!(
            "In progress: {} of {} sections read.",
            card.sections_read, card.section_count
        ),
        (status, _, _) => status.label().to_string(),
    };
    let class = match card.status {
        ModuleStatus::Passed => "status status-passed",
        ModuleStatus::InProgress => "status status-in-progress",
        ModuleStatus::NotStarted => "status status-not-started",
    };
    view! {
        <li class="module-card">
            <h2><a href=format!("/induction/{}", card.id)>{card.title.clone()}</a></h2>
            <p>{card.summary.clone()}</p>
            <p class="meta">{format!("About {} minutes", card.minutes)}</p>
            <p class=class>{status}</p>
        </li>
    }
}

/// `/induction/:module`: the module's contents, progress, quiz and attempts.
#[component]
pub fn ModulePage() -> impl IntoView {
    let module_id = ModuleSlug::from_param(param("module"));
    let all_read = query_value("read").is_some();
    page(
        move || load_module(module_id.clone()),
        move |module| view! { <ModuleOverviewView module all_read/> },
    )
}

#[component]
fn ModuleOverviewView(module: ModuleOverview, all_read: bool) -> impl IntoView {
    let read = module.sections.iter().filter(|s| s.read).count();
    let count = module.sections.len();
    let continue_link = module.next_unread().map(|s| {
        let label = if read == 0 { "Start reading" } else { "Continue reading" };
        view! { <p><a class="button-link" href=format!("/induction/{}/read/{}", module.id, s.id)>{format!("{label}: {}", s.title)}</a></p> }
    });
    let notice = (all_read && read == count)
        .then(|| "You have read every section. When you are ready, take the quiz.".to_string());
    let quiz_text = format!(
        "{} questions. You need {}% to pass, and you can try as many times as you like.",
        module.question_count, module.pass_mark
    );
    let attempts = module.attempts.clone();
    view! {
        <Title text=module.title.clone()/>
        <p class="breadcrumb"><a href="/induction">"My induction"</a></p>
        <h1>{module.title.clone()}</h1>
        <p><a href="#get-help">"Get help now"</a></p>
        <Notice text=notice/>
        <p class="lead">{module.summary.clone()}</p>
        <p class="meta">{format!("About {} minutes. {}.", module.minutes, module.status.label())}</p>
        {module.certificate_code.clone().map(|code| view! {
            <p class="status status-passed">"You have passed this module. "<a href=format!("/certificates/{code}")>"See your certificate"</a></p>
        })}
        <div class="content" inner_html=module.intro_html.clone()></div>
        <nav aria-labelledby="sections-heading" class="contents">
            <h2 id="sections-heading">"Sections"</h2>
            <p>{format!("You have read {read} of {count}.")}</p>
            <ol>
                {module.sections.iter().map(|s| view! {
                    <li>
                        <a href=format!("/induction/{}/read/{}", module.id, s.id)>{s.title.clone()}</a>
                        {s.read.then(|| view! { " " <span class="read-mark">"(read)"</span> })}
                    </li>
                }).collect_view()}
            </ol>
        </nav>
        {continue_link}
        <section aria-labelledby="quiz" class="quiz-intro">
            <h2 id="quiz">"Quiz"</h2>
            <p>{quiz_text}</p>
            <p><a class="button-link" href=format!("/induction/{}/quiz", module.id)>{if attempts.is_empty() { "Take the quiz" } else { "Take the quiz again" }}</a></p>
            {(!attempts.is_empty()).then(|| view! { <AttemptHistory module_id=module.id.clone() attempts/> })}
        </section>
        <GetHelpNow help=module.help.clone()/>
    }
}

#[component]
fn AttemptHistory(module_id: ModuleSlug, attempts: Vec<AttemptSummary>) -> impl IntoView {
    view! {
        <h3>"Your attempts"</h3>
        <div class="table-wrap" role="region" tabindex="0" aria-label="Your attempts at this quiz">
            <table>
                <caption class="visually-hidden">"Your attempts at this quiz"</caption>
                <thead><tr><th scope="col">"Attempt"</th><th scope="col">"Date"</th><th scope="col">"Score"</th><th scope="col">"Result"</th></tr></thead>
                <tbody>
                    {attempts.into_iter().map(|a| view! {
                        <tr>
                            <td><a href=format!("/induction/{module_id}/attempts/{}", a.id)>{format!("Attempt {}", a.number)}</a></td>
                            <td>{a.submitted_on.clone()}</td>
                            <td>{format!("{} out of {} ({}%)", a.score, a.total, percent(a.score, a.total))}</td>
                            <td>{if a.passed { "Passed" } else { "Not passed" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/induction/:module/read/:section`: one section, then "next".
#[component]
pub fn SectionPage() -> impl IntoView {
    let module_id = ModuleSlug::from_param(param("module"));
    let section_id = SectionSlug::from_param(param("section"));
    let action = ServerAction::<MarkSectionRead>::new();
    let error = action.value().get_untracked().and_then(|r| r.err());
    page(
        move || module_section(module_id.clone(), section_id.clone()),
        move |section| view! { <Section section action error=error.clone()/> },
    )
}

#[component]
fn Section(
    section: SectionView,
    action: ServerAction<MarkSectionRead>,
    error: Option<AppError>,
) -> impl IntoView {
    let count = section.sections.len();
    let next_label = match section.next() {
        Some(next) => format!("I have read this. Next: {}", next.title),
        None => "I have read this. Go to the quiz".to_string(),
    };
    let previous = section.previous().map(|p| {
        view! { <p><a href=format!("/induction/{}/read/{}", section.module_id, p.id)>{format!("Previous: {}", p.title)}</a></p> }
    });
    view! {
        <Title text=format!("{} – {}", section.title, section.module_title)/>
        <p class="breadcrumb"><a href="/induction">"My induction"</a>" › "<a href=format!("/induction/{}", section.module_id)>{section.module_title.clone()}</a></p>
        <p class="meta">{format!("Section {} of {count}", section.number)}</p>
        <h1>{section.title.clone()}</h1>
        <p><a href="#get-help">"Get help now"</a></p>
        <ErrorMessage error/>
        <div class="content module-section" inner_html=section.html.clone()></div>
        <ActionForm action attr:class="next-form">
            <input type="hidden" name="module_id" value=section.module_id.to_string()/>
            <input type="hidden" name="section_id" value=section.id.to_string()/>
            <button type="submit">{next_label}</button>
        </ActionForm>
        {previous}
        <GetHelpNow help=section.help.clone()/>
    }
}

/// `/certificates/:code`: printable, for the holder's file.
#[component]
pub fn CertificatePage() -> impl IntoView {
    let code = param("code");
    page(
        move || load_certificate(code.clone()),
        |c| view! { <Certificate c/> },
    )
}

#[component]
fn Certificate(c: CertificateView) -> impl IntoView {
    view! {
        <Title text=format!("Certificate – {}", c.module_title)/>
        <p class="no-print">"Use your browser's Print command to print this certificate or save it as a PDF."</p>
        <article class="certificate" aria-labelledby="certificate-heading">
            <p class="certificate-org">{c.org_name.clone()}</p>
            <h1 id="certificate-heading">"Certificate of completion"</h1>
            <p>"This is to certify that"</p>
            <p class="certificate-name">{c.holder_name.clone()}</p>
            <p>"completed the e-safety induction module"</p>
            <p class="certificate-module">{c.module_title.clone()}</p>
            <p>{format!("and passed its quiz on {}, scoring {} out of {}.", c.issued_on, c.score, c.total)}</p>
            <dl class="details certificate-check">
                <dt>"Verification code"</dt><dd><code>{c.code.clone()}</code></dd>
                <dt>"Check it at"</dt><dd>{c.verify_url.clone()}</dd>
            </dl>
        </article>
        <p class="no-print"><a href="/induction">"Back to My induction"</a></p>
    }
}

/// `/verify` and `/verify/:code`: anyone can check a certificate is genuine.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let code = use_params_map()
        .get_untracked()
        .get("code")
        .or_else(|| query_value("code"));
    // A refused code is the page's answer, not a failure of the page: it is shown inside.
    let load = {
        let code = code.clone();
        move || {
            let code = code.clone();
            async move {
                Ok(match code {
                    Some(code) => Some(verify_certificate(code).await),
                    None => None,
                })
            }
        }
    };
    crate::ui::page(load, move |outcome| {
        view! { <Verify typed=code.clone() outcome/> }
    })
}

#[component]
fn Verify(
    typed: Option<String>,
    outcome: Option<Result<VerifiedCertificate, AppError>>,
) -> impl IntoView {
    let answer = match outcome {
        None => None,
        Some(Ok(found)) => Some(
            view! {
                <div class="message message-success" role="status">
                    <p>"This certificate is genuine."</p>
                    <dl class="details">
                        <dt>"Module"</dt><dd>{found.module_title.clone()}</dd>
                        <dt>"Passed on"</dt><dd>{found.issued_on.clone()}</dd>
                        <dt>"Issued to"</dt><dd>{found.holder_name.clone()}</dd>
                        <dt>"Code"</dt><dd><code>{found.code.clone()}</code></dd>
                    </dl>
                </div>
            }
            .into_any(),
        ),
        Some(Err(AppError::NotFound)) => {
            set_status(404);
            Some(view! {
                <div class="message message-error" role="alert">
                    <p>"No certificate has this code. Check each letter against the printed certificate. If it still does not match, the certificate is not genuine."</p>
                </div>
            }.into_any())
        }
        Some(Err(e)) => {
            set_status(e.status());
            Some(view! { <ErrorMessage error=Some(e)/> }.into_any())
        }
    };
    view! {
        <Title text="Check a certificate"/>
        <div class="narrow">
            <h1>"Check a certificate"</h1>
            <p>"Type the verification code printed on an e-safety induction certificate."</p>
            {answer}
            <form method="get" action="/verify">
                <div class="field">
                    <label for="code">"Verification code"</label>
                    <p class="hint" id="code-hint">"12 letters and numbers, like ABCD-EFGH-JKLM"</p>
                    <input id="code" name="code" type="text" autocomplete="off" spellcheck="false" maxlength="40" aria-describedby="code-hint" value=typed.unwrap_or_default()/>
                </div>
                <button type="submit">"Check"</button>
            </form>
        </div>
    }
}

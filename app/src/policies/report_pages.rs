//! `/policies/report`: who has signed the current version, with filters, a CSV export and
//! reminder emails. For tutors, the DSL, the People department and administrators.

use super::*;
use crate::people::Pager;
use crate::ui::{encode_component, page, query_value, ErrorMessage, Notice};
use leptos_meta::Title;

#[component]
pub fn SigningReportPage() -> impl IntoView {
    let kind = query_value("kind").unwrap_or_else(|| "learner".to_string());
    let status = query_value("status");
    let q = query_value("q");
    let page_number = query_value("page");
    let remind = ServerAction::<SendPolicyReminders>::new();
    let error = remind.value().get_untracked().and_then(|r| r.err());
    // Only a number is echoed from the address, never other text.
    let reminded = query_value("reminded")
        .and_then(|n| n.parse::<u32>().ok())
        .map(|n| match n {
            0 => "Nobody needed a reminder today: everyone has signed, or was already reminded today."
                .to_string(),
            1 => "1 reminder email is on its way.".to_string(),
            n => format!("{n} reminder emails are on their way."),
        });
    let (shown_status, shown_q) = (status.clone(), q.clone());
    page(
        move || load_signing_report(kind.clone(), status.clone(), q.clone(), page_number.clone()),
        move |report| {
            view! {
                <Report report status=shown_status.clone() q=shown_q.clone() remind
                    error=error.clone() reminded=reminded.clone()/>
            }
        },
    )
}

#[component]
fn Report(
    report: SigningReport,
    status: Option<String>,
    q: Option<String>,
    remind: ServerAction<SendPolicyReminders>,
    error: Option<AppError>,
    reminded: Option<String>,
) -> impl IntoView {
    let kind = report.kind.as_str();
    let title = match report.kind {
        PolicyKind::Learner => "Who has signed the learner policy",
        PolicyKind::Staff => "Who has signed the staff policy",
    };
    let filters = format!(
        "kind={kind}&status={}&q={}",
        encode_component(status.as_deref().unwrap_or("")),
        encode_component(q.as_deref().unwrap_or(""))
    );
    let csv = format!("/policies/report.csv?{filters}");
    let base = format!("/policies/report?{filters}");
    let paging = report.paging;
    let option = |value: &'static str, label: &'static str| {
        let selected = status.as_deref().unwrap_or("") == value;
        view! { <option value=value selected=selected>{label}</option> }
    };
    let count = paging.total;
    let learners = report.kind == PolicyKind::Learner;
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <p>
            <a href="/policies/report?kind=learner">"Learner policy"</a>" · "
            <a href="/policies/report?kind=staff">"Staff policy"</a>
        </p>
        <Notice text=reminded/>
        <ErrorMessage error/>
        {report.narrowed.then(|| view! { <p>"You see the learners of the cohorts you teach."</p> })}
        <p class="lead">{format!("{} of {} people have signed version {}, the current version.", report.signed, report.total, report.current_number)}</p>
        <form method="get" action="/policies/report" class="search-form" role="search">
            <input type="hidden" name="kind" value=kind/>
            <div class="field">
                <label for="status">"Show"</label>
                <select id="status" name="status">
                    {option("", "Everyone")}
                    {option("not-signed", "Not signed")}
                    {option("due", "Due to sign again")}
                    {option("older", "Signed an older version")}
                    {option("signed", "Signed")}
                </select>
            </div>
            <div class="field">
                <label for="q">"Name or email"</label>
                <input id="q" name="q" type="search" maxlength="200" value=q.clone().unwrap_or_default()/>
            </div>
            <button type="submit">"Filter"</button>
        </form>
        <p role="status">{format!("{count} {}", if count == 1 { "person" } else { "people" })}" · "<a href=csv download>"Download these as CSV"</a></p>
        <div class="table-wrap" role="region" tabindex="0" aria-label=title>
            <table>
                <caption class="visually-hidden">{title}</caption>
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Status"</th><th scope="col">"Last signed"</th>{learners.then(|| view! { <th scope="col">"Parent or carer (under 18)"</th> })}</tr></thead>
                <tbody>
                    {report.rows.iter().map(|r| view! {
                        <tr>
                            <td>{r.full_name.clone()}</td>
                            <td>{r.email.clone()}</td>
                            <td>{r.status.label()}</td>
                            <td>{r.last_signed.clone().map(|(n, on)| format!("Version {n}, {on}")).unwrap_or_default()}</td>
                            {r.parent.clone().map(|p| view! { <td><ParentCell person_id=r.person_id.clone() name=r.full_name.clone() status=p follow_up=report.can_follow_up_parents/></td> })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager paging base/>
        <ActionForm action=remind attr:class="next-form">
            <input type="hidden" name="kind" value=kind/>
            <button type="submit" class="secondary">"Email a reminder to everyone who has not signed"</button>
        </ActionForm>
        <p class="hint">"Nobody gets more than one reminder a day."</p>
    }
}

/// A learner's parent or carer acknowledgement, with a link to follow it up.
#[component]
fn ParentCell(
    person_id: crate::ids::PersonId,
    name: String,
    status: ParentStatus,
    follow_up: bool,
) -> impl IntoView {
    let href = format!("/policies/parents/{person_id}");
    let short = match &status {
        ParentStatus::Acknowledged(a) => format!("Acknowledged, {}", a.on),
        other => other.label(),
    };
    let link = match status {
        _ if !follow_up => None,
        ParentStatus::NotNeeded => None,
        ParentStatus::Acknowledged(_) => Some("Details"),
        ParentStatus::Waiting | ParentStatus::NoDateOfBirth => Some("Ask or record"),
    };
    view! {
        {short}
        {link.map(|text| view! {
            " · "<a href=href>{text}<span class="visually-hidden">{format!(" for {name}")}</span></a>
        })}
    }
}

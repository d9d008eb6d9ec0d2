//! The People department's pages: the organisation's staff (with the exceptions), and
//! one member of staff's record.

use super::{list_staff, load_staff_record, RecordForm, SaveStaffRecord, StaffList, StaffRow};
use crate::ids::PersonId;
use crate::people::Pager;
use crate::ui::{encode_component, page, query_value, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn day(stored: &Option<String>) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(stored.as_deref()?, "%Y-%m-%d").ok()
}

/// "2 September 2024", or empty.
fn long_day(stored: &Option<String>) -> String {
    day(stored)
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_default()
}

/// "02/09/2024" (as UK forms show a day), or empty.
fn form_day(stored: &Option<String>) -> String {
    day(stored)
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

fn manager_cell(row: &StaffRow) -> AnyView {
    match (&row.line_manager, &row.manager_left_on) {
        (None, _) => view! { <strong>"No line manager"</strong> }.into_any(),
        (Some(name), None) if row.manager_no_longer_staff => {
            view! { {name.clone()}" " <strong>"(no longer a member of staff)"</strong> }.into_any()
        }
        (Some(name), Some(left)) => {
            let left = long_day(&Some(left.clone()));
            view! { {name.clone()}" " <strong>{format!("(left on {left})")}</strong> }.into_any()
        }
        (Some(name), None) => view! { {name.clone()} }.into_any(),
    }
}

#[component]
pub fn StaffPage() -> impl IntoView {
    let q = query_value("q");
    let show = query_value("show");
    let page_number = query_value("page");
    let load = {
        let (q, show) = (q.clone(), show.clone());
        move || list_staff(q.clone(), show.clone(), page_number.clone())
    };
    page(
        load,
        move |StaffList {
                  rows,
                  paging,
                  exceptions_only,
                  exceptions,
              }| {
            let q_text = q.clone().unwrap_or_default();
            let mut base = format!("/staff?q={}", encode_component(&q_text));
            if exceptions_only {
                base.push_str("&show=exceptions");
            }
            let count = paging.total;
            let what = if exceptions_only {
                "Exceptions"
            } else {
                "Staff"
            };
            view! {
                <Title text=what/>
                <h1>{what}</h1>
                <p>"Everyone with a role other than learner. Open a person to edit their staff record: employee number, job title, department, start and leaving dates, and line manager."</p>
                <section aria-labelledby="exceptions-heading" class="role-section">
                    <h2 id="exceptions-heading">"Exceptions"</h2>
                    <p>{format!("{exceptions} {} with no line manager, or whose line manager has left or is no longer a member of staff (people who have left themselves are not counted).", if exceptions == 1 { "person" } else { "people" })}</p>
                    {if exceptions_only {
                        view! { <p><a href="/staff">"Show all staff"</a></p> }.into_any()
                    } else {
                        view! { <p><a href="/staff?show=exceptions">"Show only the exceptions"</a></p> }.into_any()
                    }}
                </section>
                <form method="get" action="/staff" class="search-form" role="search">
                    <label for="q">"Search by name or email"</label>
                    <input id="q" name="q" type="search" value=q_text.clone() maxlength="200"/>
                    {exceptions_only.then(|| view! { <input type="hidden" name="show" value="exceptions"/> })}
                    <button type="submit">"Search"</button>
                </form>
                <p role="status">{format!("{count} {}", if count == 1 { "person" } else { "people" })}</p>
                <div class="table-wrap" role="region" tabindex="0" aria-label="Staff in your organisation">
                    <table>
                        <caption class="visually-hidden">"Staff in your organisation"</caption>
                        <thead><tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Job title"</th>
                            <th scope="col">"Department"</th>
                            <th scope="col">"Line manager"</th>
                            <th scope="col">"Start date"</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| {
                                let left = row.has_left.then(|| format!(" (left on {})", long_day(&row.leaving_date)));
                                view! {
                                    <tr>
                                        <td><a href=format!("/staff/{}", row.id)>{row.full_name.clone()}</a>{left}</td>
                                        <td>{row.job_title.clone()}</td>
                                        <td>{row.department.clone()}</td>
                                        <td>{manager_cell(&row)}</td>
                                        <td>{long_day(&row.start_date)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager paging base/>
            }
        },
    )
}

#[component]
pub fn StaffRecordPage() -> impl IntoView {
    let params = use_params_map();
    let person_id = PersonId::from_param(params.get_untracked().get("id").unwrap_or_default());
    let save = ServerAction::<SaveStaffRecord>::new();
    let error = save.value().get_untracked().and_then(|r| r.err());
    let done = query_value("done")
        .filter(|d| d == "saved")
        .map(|_| "Staff record saved.".to_string());
    page(
        move || load_staff_record(person_id.clone()),
        move |form| view! { <RecordPage form error=error.clone() done=done.clone() save/> },
    )
}

#[component]
fn RecordPage(
    form: RecordForm,
    error: Option<crate::error::AppError>,
    done: Option<String>,
    save: ServerAction<SaveStaffRecord>,
) -> impl IntoView {
    let RecordForm {
        record,
        managers,
        manager_left,
    } = form;
    let typed = Typed::of::<SaveStaffRecord>();
    let stored_manager = record
        .line_manager_id
        .as_ref()
        .map(|m| m.to_string())
        .unwrap_or_default();
    let chosen = typed.text("line_manager_id", stored_manager.clone());
    let left_option = manager_left.clone().map(|(name, left)| {
        let selected = chosen == stored_manager;
        view! { <option value=stored_manager.clone() selected=selected>{format!("{name} (left on {left})")}</option> }
    });
    view! {
        <Title text=format!("Staff record: {}", record.full_name)/>
        <p><a href="/staff">"All staff"</a></p>
        <h1>{record.full_name.clone()}</h1>
        <p>{record.email.clone()}</p>
        <p><a href=format!("/training/people/{}/history", record.person_id)>"Training history"</a></p>
        <Notice text=done/>
        <ErrorMessage error/>
        {manager_left.map(|(name, left)| view! {
            <div class="message message-error"><p>{format!("Their line manager, {name}, left on {left}. Choose a new line manager.")}</p></div>
        })}
        <h2 id="record-heading">"Staff record"</h2>
        <ActionForm action=save attr:aria-labelledby="record-heading">
            <input type="hidden" name="person_id" value=record.person_id.to_string()/>
            <div class="field">
                <label for="employee_number">"Employee number (optional)"</label>
                <p class="hint" id="employee_number-hint">"As your HR system has it. Each number belongs to one person."</p>
                <input id="employee_number" name="employee_number" type="text" autocomplete="off" maxlength="200" aria-describedby="employee_number-hint" value=typed.text("employee_number", record.employee_number.clone())/>
            </div>
            <div class="field">
                <label for="job_title">"Job title"</label>
                <input id="job_title" name="job_title" type="text" autocomplete="off" maxlength="200" value=typed.text("job_title", record.job_title.clone())/>
            </div>
            <div class="field">
                <label for="department">"Department"</label>
                <input id="department" name="department" type="text" autocomplete="off" maxlength="200" value=typed.text("department", record.department.clone())/>
            </div>
            <div class="field">
                <label for="start_date">"Start date"</label>
                <p class="hint" id="start_date-hint">"For example, 02/09/2024 or 2024-09-02."</p>
                <input id="start_date" name="start_date" type="text" inputmode="numeric" autocomplete="off" maxlength="20" aria-describedby="start_date-hint" value=typed.text("start_date", form_day(&record.start_date))/>
            </div>
            <div class="field">
                <label for="line_manager_id">"Line manager"</label>
                <p class="hint" id="line_manager_id-hint">"A member of staff who has not left."</p>
                <select id="line_manager_id" name="line_manager_id" aria-describedby="line_manager_id-hint">
                    <option value="" selected=chosen.is_empty()>"No line manager"</option>
                    {left_option}
                    {managers.into_iter().map(|m| {
                        let id = m.id.to_string();
                        let selected = chosen == id;
                        view! { <option value=id selected=selected>{format!("{} ({})", m.full_name, m.email)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="leaving_date">"Leaving date (if they have left or are leaving)"</label>
                <p class="hint" id="leaving_date-hint">"For example, 31/07/2025. From this day they are no longer counted as staff who can manage others."</p>
                <input id="leaving_date" name="leaving_date" type="text" inputmode="numeric" autocomplete="off" maxlength="20" aria-describedby="leaving_date-hint" value=typed.text("leaving_date", form_day(&record.leaving_date))/>
            </div>
            <button type="submit">"Save staff record"</button>
        </ActionForm>
    }
}

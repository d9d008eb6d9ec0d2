//! The administrator's pages: the list of people, and one person.

use super::{
    list_users, user_details, DeactivateUser, GrantRole, InviteUser, ReactivateUser,
    ResendInvitation, RevokeRole, SetDateOfBirth, UserRow, UserStatus, UsersPage,
};
use crate::auth::Role;
use crate::ids::PersonId;
use crate::people::Pager;
use crate::ui::{encode_component, page, query_value, ErrorMessage, Notice, Typed};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn role_names(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let invite = ServerAction::<InviteUser>::new();
    let invite_error = invite.value().get_untracked().and_then(|r| r.err());
    let typed = Typed::of::<InviteUser>();
    let q = query_value("q");
    let page_number = query_value("page");
    let load = {
        let q = q.clone();
        move || list_users(q.clone(), page_number.clone())
    };
    page(
        load,
        move |UsersPage {
                  rows: users,
                  paging,
              }| {
            let (invite_error, typed) = (invite_error.clone(), typed.clone());
            let count = paging.total;
            let base = format!(
                "/admin/users?q={}",
                encode_component(q.as_deref().unwrap_or(""))
            );
            view! {
                <Title text="Users"/>
                <h1>"Users"</h1>
                <form method="get" action="/admin/users" class="search-form" role="search">
                    <label for="q">"Search"</label>
                    <input id="q" name="q" type="search" value=q.clone().unwrap_or_default() maxlength="200"/>
                    <button type="submit">"Search"</button>
                </form>
                <p role="status">{format!("{count} {}", if count == 1 { "person" } else { "people" })}</p>
                <div class="table-wrap" role="region" tabindex="0" aria-label="People in your organisation">
                    <table>
                        <caption class="visually-hidden">"People in your organisation"</caption>
                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Roles"</th><th scope="col">"Status"</th></tr></thead>
                        <tbody>
                            {users.into_iter().map(|u| view! {
                                <tr>
                                    <td><a href=format!("/admin/users/{}", u.id)>{u.full_name.clone()}</a></td>
                                    <td>{u.email.clone()}</td>
                                    <td>{role_names(&u.roles)}</td>
                                    <td>{u.status.label()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager paging base/>
                <h2 id="invite-heading">"Invite a person"</h2>
                <p>"They get an email with a link to choose their password. You can give more roles afterwards."</p>
                <ErrorMessage error=invite_error/>
                <ActionForm action=invite attr:aria-labelledby="invite-heading">
                    <div class="field">
                        <label for="full_name">"Full name"</label>
                        <input id="full_name" name="full_name" type="text" autocomplete="off" required maxlength="200" value=typed.value("full_name")/>
                    </div>
                    <div class="field">
                        <label for="email">"Email"</label>
                        <input id="email" name="email" type="email" autocomplete="off" required maxlength="254" value=typed.value("email")/>
                    </div>
                    <div class="field">
                        <label for="role">"Role"</label>
                        <select id="role" name="role">
                            {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str() selected=typed.chose("role", r.as_str(), false)>{r.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="submit">"Send invitation"</button>
                </ActionForm>
            }
        },
    )
}

fn done_message(done: &str) -> Option<String> {
    let text = match done {
        "invited" => "Invitation sent.",
        "resent" => "A new invitation has been sent. Earlier invitation links no longer work.",
        "role-granted" => "Role given.",
        "role-revoked" => "Role taken away.",
        "deactivated" => "Account deactivated. The person has been signed out and cannot sign in.",
        "reactivated" => "Account reactivated.",
        "date-of-birth" => "Date of birth saved.",
        _ => return None,
    };
    Some(text.to_string())
}

#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let user_id = PersonId::from_param(params.get_untracked().get("id").unwrap_or_default());
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let deactivate = ServerAction::<DeactivateUser>::new();
    let reactivate = ServerAction::<ReactivateUser>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let birth = ServerAction::<SetDateOfBirth>::new();
    let error = [
        birth.value().get_untracked(),
        grant.value().get_untracked(),
        revoke.value().get_untracked(),
        deactivate.value().get_untracked(),
        reactivate.value().get_untracked(),
        resend.value().get_untracked(),
    ]
    .into_iter()
    .flatten()
    .find_map(|r| r.err());
    let done = query_value("done").and_then(|d| done_message(&d));
    crate::ui::page(
        move || user_details(user_id.clone()),
        move |person| {
            view! {
                <Person person error=error.clone() done=done.clone() grant revoke deactivate reactivate resend birth/>
            }
        },
    )
}

#[component]
fn Person(
    person: UserRow,
    error: Option<crate::error::AppError>,
    done: Option<String>,
    grant: ServerAction<GrantRole>,
    revoke: ServerAction<RevokeRole>,
    deactivate: ServerAction<DeactivateUser>,
    reactivate: ServerAction<ReactivateUser>,
    resend: ServerAction<ResendInvitation>,
    birth: ServerAction<SetDateOfBirth>,
) -> impl IntoView {
    let id = person.id.to_string();
    let is_learner = person.roles.contains(&Role::Learner);
    let is_staff = person.roles.iter().any(|r| *r != Role::Learner);
    let missing: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| !person.roles.contains(r))
        .collect();
    let held = person.roles.clone();
    let granted = Typed::of::<GrantRole>();
    let birth_typed = Typed::of::<SetDateOfBirth>();
    view! {
        <Title text=person.full_name.clone()/>
        <p><a href="/admin/users">"All users"</a></p>
        <h1>{person.full_name.clone()}</h1>
        <Notice text=done/>
        <ErrorMessage error/>
        <dl class="details">
            <dt>"Email"</dt><dd>{person.email.clone()}</dd>
            <dt>"Status"</dt><dd>{person.status.label()}</dd>
        </dl>
        {is_staff.then(|| view! {
            <p><a href=format!("/staff/{id}")>"Staff record"<span class="visually-hidden">" of "{person.full_name.clone()}</span></a>": job title, department, start and leaving dates, line manager."</p>
        })}
        <h2>"Roles"</h2>
        <ul class="role-list">
            {held.into_iter().map(|r| {
                let id = id.clone();
                view! {
                    <li>
                        <span>{r.label()}</span>
                        <ActionForm action=revoke attr:class="inline-form">
                            <input type="hidden" name="user_id" value=id/>
                            <input type="hidden" name="role" value=r.as_str()/>
                            <button type="submit" class="secondary">"Take away"<span class="visually-hidden">" the role "{r.label()}</span></button>
                        </ActionForm>
                    </li>
                }
            }).collect_view()}
        </ul>
        {(!missing.is_empty()).then(|| {
            let id = id.clone();
            view! {
                <ActionForm action=grant>
                    <input type="hidden" name="user_id" value=id/>
                    <div class="field">
                        <label for="grant_role">"Give a role"</label>
                        <select id="grant_role" name="role">
                            {missing.into_iter().map(|r| view! { <option value=r.as_str() selected=granted.chose("role", r.as_str(), false)>{r.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="submit">"Give role"</button>
                </ActionForm>
            }
        })}
        {let birth_id = id.clone(); is_learner.then(|| view! {
            <h2>"Date of birth"</h2>
            <p>"Learners under 18 have a parent or carer asked to read the learner policy too. Leave it empty if you do not know it."</p>
            <ActionForm action=birth>
                <input type="hidden" name="user_id" value=birth_id/>
                <div class="field">
                    <label for="date_of_birth">"Date of birth"</label>
                    <input id="date_of_birth" name="date_of_birth" type="date" value=birth_typed.text("date_of_birth", person.date_of_birth.clone().unwrap_or_default())/>
                </div>
                <button type="submit">"Save date of birth"</button>
            </ActionForm>
        })}
        <h2>"Account"</h2>
        {let resend_id = id.clone(); match person.status {
            UserStatus::Deactivated => view! {
                <ActionForm action=reactivate>
                    <input type="hidden" name="user_id" value=id.clone()/>
                    <button type="submit">"Reactivate account"</button>
                </ActionForm>
            }.into_any(),
            status => view! {
                {(status == UserStatus::Invited).then(|| view! {
                    <ActionForm action=resend>
                        <input type="hidden" name="user_id" value=resend_id.clone()/>
                        <button type="submit" class="secondary">"Send the invitation again"</button>
                    </ActionForm>
                })}
                <p>"Deactivating signs the person out and stops them signing in. Their records are kept."</p>
                <ActionForm action=deactivate>
                    <input type="hidden" name="user_id" value=id.clone()/>
                    <button type="submit" class="danger">"Deactivate account"</button>
                </ActionForm>
            }.into_any(),
        }}
    }
}

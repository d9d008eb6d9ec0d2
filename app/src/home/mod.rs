//! The home page each person lands on after signing in, shaped by their roles.

use crate::auth::{me, CurrentUser, Role};
use crate::error::AppError;
use crate::ui::page;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    page(
        || async { me().await?.ok_or(AppError::NotSignedIn) },
        |user| view! { <Home user/> },
    )
}

#[component]
fn Home(user: CurrentUser) -> impl IntoView {
    let sections = user
        .roles
        .iter()
        .map(|role| role_section(*role))
        .collect_view();
    view! {
        <Title text="Your home"/>
        <h1>"Your home"</h1>
        <p class="lead">"Hello " {user.first_name().to_string()} ". You are signed in to " {user.org_name.clone()} "."</p>
        {sections}
        <section aria-labelledby="help-heading" class="help-box">
            <h2 id="help-heading">"Worried about something online?"</h2>
            <p>"You are not in trouble for asking for help. Talk to your tutor or your organisation's "
               "Designated Safeguarding Lead. Childline is free and confidential, day and night, on "
               <a href="tel:08001111">"0800 1111"</a>" or at "<a href="https://www.childline.org.uk/">"childline.org.uk"</a>
               ". If someone is in danger right now, call 999."</p>
        </section>
    }
}

/// What a role can do here today. Each later part of the product adds its links.
fn role_section(role: Role) -> impl IntoView {
    let (id, text, links): (&str, &str, &[(&str, &str)]) = match role {
        Role::Learner => ("role-learner", "Work through your e-safety induction: read each module, take its quiz, and get a certificate when you pass.", &[("/induction", "My induction")]),
        Role::Tutor => ("role-tutor", "See who has signed the Acceptable Use Policy and remind those who have not. Your cohorts' induction progress will appear here.", &[("/policies/report?kind=learner", "Who has signed")]),
        Role::Staff => ("role-staff", "Your own e-safety training: the staff module and its quiz. Refreshers and the staff Acceptable Use Policy will appear here too.", &[("/induction", "My induction")]),
        Role::Manager => ("role-manager", "The training status of the people you manage will appear here.", &[]),
        Role::People => ("role-people", "See which staff have signed the staff Acceptable Use Policy, download the list and send reminders. Training requirements will appear here.", &[("/policies/report?kind=staff", "Who has signed")]),
        Role::Dsl => ("role-dsl", "Choose your organisation's modules and pass marks, add modules of your own, and set the contacts parents, carers and learners see. Policy versions and the concern log will appear here.", &[("/admin/modules", "Modules"), ("/admin/policies", "Acceptable Use Policies"), ("/policies/report?kind=learner", "Who has signed"), ("/admin/safe-internet", "Safe Internet page contacts")]),
        Role::Admin => ("role-admin", "Manage the people in your organisation: invite them, give and take roles, and deactivate accounts.", &[("/admin/users", "Manage users"), ("/admin/modules", "Modules"), ("/admin/policies", "Acceptable Use Policies"), ("/policies/report?kind=staff", "Who has signed"), ("/admin/safe-internet", "Safe Internet page contacts")]),
    };
    view! {
        <section aria-labelledby=id class="role-section">
            <h2 id=id>{role.label()}</h2>
            <p>{text}</p>
            {links.iter().map(|(href, label)| view! { <p><a href=*href>{*label}</a></p> }).collect_view()}
        </section>
    }
}

//! The home page each person lands on after signing in, shaped by their roles.

use crate::auth::{me, Capability, CurrentUser, Role};
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
        <p><a href="/induction">"My induction"</a>": your e-safety modules, their quizzes and your certificates."</p>
        {user.is_staff().then(|| view! {
            <p><a href="/documents">"Documents to read"</a>": documents your organisation asks you to read and acknowledge."</p>
        })}
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

/// A place the home page links to. Who sees it is the access rule's answer for its
/// capability, never a role list of the home page's own.
struct Destination {
    capability: Capability,
    path: &'static str,
    label: &'static str,
}

const DESTINATIONS: [Destination; 20] = [
    Destination {
        capability: Capability::ManageUsers,
        path: "/admin/users",
        label: "Manage users",
    },
    Destination {
        capability: Capability::ManageModules,
        path: "/admin/modules",
        label: "Modules",
    },
    Destination {
        capability: Capability::PublishPolicies,
        path: "/admin/policies",
        label: "Acceptable Use Policies",
    },
    Destination {
        capability: Capability::ReadSigningReport,
        path: "/policies/report",
        label: "Who has signed",
    },
    Destination {
        capability: Capability::EditSafeInternetContacts,
        path: "/admin/safe-internet",
        label: "Safe Internet page contacts",
    },
    Destination {
        capability: Capability::ManageStaffRecords,
        path: "/staff",
        label: "Staff records",
    },
    Destination {
        capability: Capability::ViewTrainingDashboard,
        path: "/training/evidence",
        label: "Inspection evidence pack",
    },
    Destination {
        capability: Capability::ManageStaffRecords,
        path: "/staff/import",
        label: "Import staff from your HR system",
    },
    Destination {
        capability: Capability::PublishDocuments,
        path: "/admin/documents",
        label: "Documents to read and acknowledge",
    },
    Destination {
        capability: Capability::RecordTraining,
        path: "/training/briefings",
        label: "Briefings: record who attended",
    },
    Destination {
        capability: Capability::RecordTraining,
        path: "/training/import",
        label: "Import training records from before go-live",
    },
    Destination {
        capability: Capability::RecordExternalCourses,
        path: "/training/courses",
        label: "My external courses and certificates",
    },
    Destination {
        capability: Capability::VerifyTraining,
        path: "/training/courses/check",
        label: "Check external courses",
    },
    Destination {
        capability: Capability::ManageTrainingRequirements,
        path: "/training/requirements",
        label: "Training requirements",
    },
    Destination {
        capability: Capability::ViewOwnTraining,
        path: "/training",
        label: "My training",
    },
    Destination {
        capability: Capability::LeadTeam,
        path: "/team",
        label: "My team",
    },
    Destination {
        capability: Capability::ViewTrainingDashboard,
        path: "/training/dashboard",
        label: "Training dashboard",
    },
    Destination {
        capability: Capability::ViewTrainingDashboard,
        path: "/training/reminders",
        label: "Reminder log: training reminders emailed",
    },
    Destination {
        capability: Capability::ManageTrainingRequirements,
        path: "/training/reminders/settings",
        label: "Reminder settings",
    },
    Destination {
        capability: Capability::ViewCohorts,
        path: "/cohorts",
        label: "Cohorts: learners' induction progress",
    },
];

/// Where a role's link to a destination goes. The signing report opens on the policy the
/// role looks after: learners' for tutors and the DSL, staff's for everyone else.
fn address_for(role: Role, destination: &Destination) -> String {
    if destination.capability != Capability::ReadSigningReport {
        return destination.path.to_string();
    }
    let kind = match role {
        Role::Tutor | Role::Dsl => "learner",
        _ => "staff",
    };
    format!("{}?kind={kind}", destination.path)
}

/// What a role is for, and the links the access rule gives it.
fn role_section(role: Role) -> impl IntoView {
    let (id, text): (&str, &str) = match role {
        Role::Learner => ("role-learner", "Work through your e-safety induction: read each module, take its quiz, and get a certificate when you pass."),
        Role::Tutor => ("role-tutor", "See your cohorts' induction progress and enrol their learners, see who has signed the Acceptable Use Policy and remind those who have not."),
        Role::Staff => ("role-staff", "Your own e-safety training: the staff module and its quiz. Refreshers and the staff Acceptable Use Policy will appear here too."),
        Role::People => ("role-people", "Keep staff records (job title, department, start and leaving dates, line manager) and see who has no line manager. See which staff have signed the staff Acceptable Use Policy, download the list and send reminders. Set the staff training requirements, see how many people each makes due or overdue before saving it, and choose when training shows as due soon. See where everyone stands on the training dashboard, record briefings and check external courses, and make an inspection evidence pack for any day. Choose when staff, line managers and you are reminded about training, pause reminders, and see every reminder sent in the reminder log."),
        Role::Manager => ("role-manager", "See where the people you manage stand with their training, and everyone below them."),
        Role::Dsl => ("role-dsl", "Choose your organisation's modules and pass marks, add modules of your own, and set the contacts parents, carers and learners see. Policy versions and the concern log will appear here."),
        Role::Admin => ("role-admin", "Manage the people in your organisation: invite them, give and take roles, and deactivate accounts. Create cohorts, choose their tutors and enrol their learners."),
    };
    let links = DESTINATIONS
        .iter()
        .filter(|d| d.capability.roles().contains(&role))
        .map(|d| view! { <p><a href=address_for(role, d)>{d.label}</a></p> })
        .collect_view();
    view! {
        <section aria-labelledby=id class="role-section">
            <h2 id=id>{role.label()}</h2>
            <p>{text}</p>
            {links}
        </section>
    }
}

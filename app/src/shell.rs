//! The HTML document, the site layout and the routes.

use crate::admin::pages::{UserPage, UsersPage};
use crate::auth::pages::{
    AccountPage, ChooseOrganisationPage, ForgotPasswordPage, LoginPage, SetPasswordPage,
};
use crate::auth::{me, Capability, CurrentUser, SignOut};
use crate::error::AppError;
use crate::home::HomePage;
use crate::learning::pages::{CertificatePage, InductionPage, ModulePage, SectionPage, VerifyPage};
use crate::learning::quiz_pages::{AttemptPage, QuizPage};
use crate::learning::settings_pages::{AddModulePage, ModuleSettingsPage};
use crate::policies::pages::{CheckSignaturePage, MyPoliciesPage, SignPolicyPage, SignedCopyPage};
use crate::policies::parent_pages::{ParentAcknowledgePage, ParentCasePage, ParentThanksPage};
use crate::policies::report_pages::SigningReportPage;
use crate::policies::version_pages::{PolicyDraftPage, PolicyVersionsPage};
use crate::safe_internet::pages::{SafeInternetPage, SafeInternetSettingsPage};
use crate::staff::pages::{StaffPage, StaffRecordPage};
use crate::ui::page_error;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" href=stylesheet_href()/>
                {needs_scripts().then(|| view! { <HydrationScripts options islands=true/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The stylesheet's address, named by its content (see `site_files`).
fn stylesheet_href() -> String {
    #[cfg(feature = "ssr")]
    if let Some(state) = use_context::<crate::state::AppState>() {
        return state.site_files.stylesheet_href().to_string();
    }
    "/pkg/esafety.css".to_string()
}

/// The public pages (for parents, a parent's acknowledgement link, and for checking a certificate) have no interactive parts: they load no script at all,
/// so they stay small and fast on a slow phone.
fn needs_scripts() -> bool {
    #[cfg(feature = "ssr")]
    {
        let path = with_context::<http::request::Parts, _>(|p| p.uri.path().to_string())
            .unwrap_or_default();
        let public_page = path.ends_with("/safe-internet")
            || path.starts_with("/verify")
            || path.starts_with("/policies/check/")
            || path.starts_with("/parent/");
        !public_page || path.starts_with("/admin")
    }
    #[cfg(not(feature = "ssr"))]
    {
        true
    }
}

/// Scripts run only with this response's nonce; nothing inline without it.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        let policy = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'"
        );
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|text| format!("{text} – E-safety induction")/>
        <Router>
            <a class="skip-link" href="#main">"Skip to main content"</a>
            <SiteHeader/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| page_error(AppError::NotFound)>
                    <Route path=path!("/") view=RootPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/login/organisation") view=ChooseOrganisationPage ssr=SsrMode::Async/>
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/set-password") view=SetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/home") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view=UsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/import") view=crate::staff::import_pages::StaffImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users/:id") view=UserPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff") view=StaffPage ssr=SsrMode::Async/>
                    <Route path=path!("/training/evidence") view=crate::training::evidence_pages::EvidencePackPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/:id") view=StaffRecordPage ssr=SsrMode::Async/>
                    <Route path=path!("/training/briefings") view=crate::training::briefing_pages::BriefingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/training/briefings/new") view=crate::training::briefing_pages::NewBriefingPage ssr=SsrMode::Async/>
                    <Route path=path!("/training/briefings/:id") view=crate::training::briefing_pages::BriefingPage ssr=SsrMode::Async/>
                    <Route path=path!("/training/people/:id/history") view=crate::training::history_pages::PersonHistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/training/import") view=crate::training::backfill_pages::BackfillPage ssr=SsrMode::Async/>
                    <Route path=path!("/training/courses") view=crate::courses::pages::MyCoursesPage ssr=SsrMode::Async/>
                    <Route path=path!("/training/courses/new") view=crate::courses::pages::RecordCoursePage ssr=SsrMode::Async/>
                    <Route path=path!("/training/courses/check") view=crate::courses::check_pages::CheckCoursesPage ssr=SsrMode::Async/>
                    <Route path=path!("/training/requirements") view=crate::training::requirement_pages::RequirementsPage ssr=SsrMode::Async/>
                    <Route path=path!("/training/requirements/:id") view=crate::training::requirement_form_pages::RequirementFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/safe-internet") view=SafeInternetSettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/modules") view=ModuleSettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/modules/new") view=AddModulePage ssr=SsrMode::Async/>
                    <Route path=path!("/induction") view=InductionPage ssr=SsrMode::Async/>
                    <Route path=path!("/induction/:module") view=ModulePage ssr=SsrMode::Async/>
                    <Route path=path!("/induction/:module/read/:section") view=SectionPage ssr=SsrMode::Async/>
                    <Route path=path!("/induction/:module/quiz") view=QuizPage ssr=SsrMode::Async/>
                    <Route path=path!("/induction/:module/attempts/:attempt") view=AttemptPage ssr=SsrMode::Async/>
                    <Route path=path!("/certificates/:code") view=CertificatePage ssr=SsrMode::Async/>
                    <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/verify/:code") view=VerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/policies") view=PolicyVersionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/policies/drafts/:id") view=PolicyDraftPage ssr=SsrMode::Async/>
                    <Route path=path!("/policies") view=MyPoliciesPage ssr=SsrMode::Async/>
                    <Route path=path!("/policies/report") view=SigningReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/policies/sign/:kind") view=SignPolicyPage ssr=SsrMode::Async/>
                    <Route path=path!("/policies/signed/:id") view=SignedCopyPage ssr=SsrMode::Async/>
                    <Route path=path!("/policies/check/:id") view=CheckSignaturePage ssr=SsrMode::Async/>
                    <Route path=path!("/policies/parents/:id") view=ParentCasePage ssr=SsrMode::Async/>
                    <Route path=path!("/parent/thanks") view=ParentThanksPage ssr=SsrMode::Async/>
                    <Route path=path!("/parent/:token") view=ParentAcknowledgePage ssr=SsrMode::Async/>
                    <Route path=path!("/documents") view=crate::documents::pages::MyDocumentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/documents/:key") view=crate::documents::pages::ReadDocumentPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/documents") view=crate::documents::admin_pages::DocumentsAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/documents/drafts/:id") view=crate::documents::admin_pages::DocumentDraftPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/documents/:key") view=crate::documents::admin_pages::DocumentEditionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/safe-internet") view=SafeInternetPage ssr=SsrMode::Async/>
                    <Route path=path!("/o/:slug/safe-internet") view=SafeInternetPage ssr=SsrMode::Async/>
                    <Route path=path!("/training") view=crate::training::pages::MyTrainingPage ssr=SsrMode::Async/>
                    <Route path=path!("/training/people/:id") view=crate::training::pages::PersonTrainingPage ssr=SsrMode::Async/>
                    <Route path=path!("/training/dashboard") view=crate::training::dashboard_pages::TrainingDashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/training/reminders") view=crate::reminders::pages::ReminderLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/training/reminders/settings") view=crate::reminders::settings_pages::ReminderSettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/team") view=crate::training::team_pages::TeamPage ssr=SsrMode::Async/>
                    <Route path=path!("/cohorts") view=crate::cohorts::pages::CohortsPage ssr=SsrMode::Async/>
                    <Route path=path!("/cohorts/enrol") view=crate::cohorts::enrolment_pages::EnrolmentPage ssr=SsrMode::Async/>
                    <Route path=path!("/cohorts/:id") view=crate::cohorts::pages::CohortPage ssr=SsrMode::Async/>
                    <Route path=path!("/cohorts/:id/nudge") view=crate::cohorts::nudge_pages::NudgeLearnersPage ssr=SsrMode::Async/>
                    <Route path=path!("/cohorts/:id/insights") view=crate::cohorts::insights_pages::CohortInsightsPage ssr=SsrMode::Async/>
                    <Route path=path!("/cohorts/:id/print") view=crate::cohorts::print_pages::CohortPrintPage ssr=SsrMode::Async/>
                    <Route path=path!("/learners/:id") view=crate::cohorts::learner_pages::LearnerProgressPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                <p>"If you are worried about something you have seen online, tell someone you trust, "
                   "or call Childline free on 0800 1111."</p>
                <p><a href="/safe-internet">"Safe Internet: advice for parents and carers"</a></p>
            </footer>
        </Router>
    }
}

/// `/` sends people to their home page, or to sign in.
#[component]
fn RootPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let me = crate::ui::load_once(me);
    view! {
        <Suspense>
            {move || {
                let asking = me();
                Suspend::new(async move {
                    let signed_in = matches!(asking.await, Ok(Some(_)));
                    #[cfg(feature = "ssr")]
                    crate::ui::send_to(if signed_in { "/home" } else { "/login" });
                    #[cfg(not(feature = "ssr"))]
                    let _ = signed_in;
                    view! { <h1>"E-safety induction"</h1><p><a href="/login">"Sign in"</a></p> }
                })
            }}
        </Suspense>
    }
}

#[component]
fn SiteHeader() -> impl IntoView {
    // One look-up of who is signed in for both server-rendering runs (see `load_once`).
    #[cfg(feature = "ssr")]
    let me = crate::ui::load_once(me);
    view! {
        <header class="site-header">
            <p class="site-name"><a href="/home">"E-safety induction"</a></p>
            <Suspense>
                {move || {
                    let signed_in = me();
                    Suspend::new(async move {
                        signed_in.await.ok().flatten().map(|user| view! { <MainNav user/> })
                    })
                }}
            </Suspense>
        </header>
    }
}

#[component]
fn MainNav(user: CurrentUser) -> impl IntoView {
    let is_admin = user.can(Capability::ManageUsers);
    let manages_modules = user.can(Capability::ManageModules);
    let keeps_staff_records = user.can(Capability::ManageStaffRecords);
    let has_training = user.can(Capability::ViewOwnTraining);
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <nav aria-label="Main">
            <ul>
                <li><a href="/home">"Home"</a></li>
                <li><a href="/induction">"My induction"</a></li>
                {has_training.then(|| view! { <li><a href="/training">"My training"</a></li> })}
                <li><a href="/policies">"Policies"</a></li>
                {user.is_staff().then(|| view! { <li><a href="/documents">"Documents"</a></li> })}
                {is_admin.then(|| view! { <li><a href="/admin/users">"Users"</a></li> })}
                {manages_modules.then(|| view! { <li><a href="/admin/modules">"Modules"</a></li> })}
                {keeps_staff_records.then(|| view! { <li><a href="/staff">"Staff"</a></li> })}
                <li><a href="/account">"Account"</a></li>
                <li>
                    <ActionForm action=sign_out attr:class="inline-form">
                        <button type="submit" class="link-button">"Sign out"</button>
                    </ActionForm>
                </li>
            </ul>
            <p class="signed-in-as">{user.full_name.clone()}", "{user.org_name.clone()}</p>
        </nav>
    }
}

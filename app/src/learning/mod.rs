//! The learner's course: induction modules, their quizzes, progress and certificates, and
//! the organisation's choices about them (switched on or off, pass marks, its own modules).
//!
//! The answer key never leaves the server before an attempt is submitted: the types a
//! quiz page receives ([`QuizView`]) have no field that could hold it.

pub mod pages;
pub mod quiz_pages;
pub mod settings_pages;

#[cfg(feature = "ssr")]
pub mod catalogue;
#[cfg(feature = "ssr")]
pub mod certificates;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod quizzes;
#[cfg(feature = "ssr")]
pub mod scoring;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod settings;

use crate::error::AppError;
use crate::ids::{AttemptId, ModuleSlug, SectionSlug};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Anyone may check a certificate, signed in or not.
pub const ROUTES: crate::routes::PartRoutes = crate::routes::PartRoutes {
    pages_open_before_signing: &["/verify", "/verify/"],
    functions_open_before_signing: &["learning/verify"],
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModuleStatus {
    NotStarted,
    InProgress,
    Passed,
}

impl ModuleStatus {
    pub fn label(self) -> &'static str {
        match self {
            ModuleStatus::NotStarted => "Not started",
            ModuleStatus::InProgress => "In progress",
            ModuleStatus::Passed => "Passed",
        }
    }
}

/// One module on "My induction".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleCard {
    pub id: ModuleSlug,
    pub title: String,
    pub summary: String,
    pub minutes: u32,
    pub status: ModuleStatus,
    pub sections_read: usize,
    pub section_count: usize,
    /// Best score so far, in per cent.
    pub best_percent: Option<u32>,
    /// The day of the first pass, like "25 November 2026".
    pub passed_on: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InductionView {
    pub first_name: String,
    pub modules: Vec<ModuleCard>,
}

impl InductionView {
    pub fn passed(&self) -> usize {
        self.modules
            .iter()
            .filter(|m| m.status == ModuleStatus::Passed)
            .count()
    }
}

/// Who to turn to, shown in every module: the organisation's own safeguarding contact.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpContacts {
    pub org_name: String,
    pub dsl_name: String,
    pub dsl_phone: String,
    pub dsl_email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionLink {
    pub id: SectionSlug,
    pub title: String,
    pub read: bool,
}

/// One submitted attempt, in a module's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptSummary {
    pub id: AttemptId,
    pub number: usize,
    pub submitted_on: String,
    pub score: u32,
    pub total: u32,
    pub passed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleOverview {
    pub id: ModuleSlug,
    pub title: String,
    pub summary: String,
    pub minutes: u32,
    pub intro_html: String,
    pub sections: Vec<SectionLink>,
    pub question_count: usize,
    pub pass_mark: u8,
    pub status: ModuleStatus,
    pub attempts: Vec<AttemptSummary>,
    pub certificate_code: Option<String>,
    pub help: HelpContacts,
}

impl ModuleOverview {
    /// Where "Continue reading" goes: the first section not read yet.
    pub fn next_unread(&self) -> Option<&SectionLink> {
        self.sections.iter().find(|s| !s.read)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionView {
    pub module_id: ModuleSlug,
    pub module_title: String,
    pub id: SectionSlug,
    pub title: String,
    /// Rendered from checked Markdown with raw HTML escaped (see `content::markdown`).
    pub html: String,
    pub number: usize,
    pub sections: Vec<SectionLink>,
    pub help: HelpContacts,
}

impl SectionView {
    pub fn previous(&self) -> Option<&SectionLink> {
        self.number
            .checked_sub(2)
            .and_then(|i| self.sections.get(i))
    }
    pub fn next(&self) -> Option<&SectionLink> {
        self.sections.get(self.number)
    }
}

/// A question as the learner sees it before submitting: no key, no feedback.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizQuestionView {
    pub id: String,
    /// Tick every answer that applies (else choose one).
    pub multiple: bool,
    pub scenario: Option<String>,
    pub prompt: String,
    /// (option id, text), in this attempt's shuffled order.
    pub options: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizView {
    pub attempt_id: AttemptId,
    pub module_id: ModuleSlug,
    pub module_title: String,
    pub attempt_number: usize,
    pub pass_mark: u8,
    pub questions: Vec<QuizQuestionView>,
    pub help: HelpContacts,
}

/// One question of a submitted attempt: what was chosen, whether it was right, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkedQuestionView {
    pub prompt: String,
    pub scenario: Option<String>,
    pub right: bool,
    /// (answer text, feedback) for each answer chosen.
    pub chosen: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptResult {
    pub module_id: ModuleSlug,
    pub module_title: String,
    pub attempt_number: usize,
    pub submitted_on: String,
    pub score: u32,
    pub total: u32,
    pub pass_mark: u8,
    pub passed: bool,
    pub questions: Vec<MarkedQuestionView>,
    pub certificate_code: Option<String>,
    pub help: HelpContacts,
}

/// A whole number of per cent, rounded down (so 79.9 never shows as a pass of 80).
pub fn percent(score: u32, total: u32) -> u32 {
    (score * 100).checked_div(total).unwrap_or(0)
}

/// The certificate, as its holder (and their organisation's staff) see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateView {
    pub code: String,
    pub holder_name: String,
    pub org_name: String,
    pub module_title: String,
    pub issued_on: String,
    pub score: u32,
    pub total: u32,
    pub verify_url: String,
}

/// What anyone holding a certificate's code may see: nothing more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedCertificate {
    pub code: String,
    pub module_title: String,
    pub issued_on: String,
    /// First name and initial, like "Alex L.".
    pub holder_name: String,
}

/// A module on the organisation's settings page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleSetting {
    pub id: ModuleSlug,
    pub title: String,
    /// "Learners", "Staff" or "Learners and staff".
    pub audience: String,
    pub switched_on: bool,
    pub pass_mark: u8,
    pub default_pass_mark: u8,
    /// Written by this organisation (not built in).
    pub own: bool,
}

#[server(endpoint = "learning/my_induction")]
pub async fn my_induction() -> Result<InductionView, AppError> {
    crate::error::finish(service::my_induction().await)
}

#[server(endpoint = "learning/module")]
pub async fn load_module(module_id: ModuleSlug) -> Result<ModuleOverview, AppError> {
    crate::error::finish(service::module_overview(module_id).await)
}

#[server(endpoint = "learning/section")]
pub async fn module_section(
    module_id: ModuleSlug,
    section_id: SectionSlug,
) -> Result<SectionView, AppError> {
    crate::error::finish(service::module_section(module_id, section_id).await)
}

/// "I have read this": remembers the section and moves on to the next one.
#[server(endpoint = "learning/mark_read")]
pub async fn mark_section_read(
    module_id: ModuleSlug,
    section_id: SectionSlug,
) -> Result<(), AppError> {
    crate::error::finish(service::mark_section_read(module_id, section_id).await)
}

/// The quiz for a new attempt (or the attempt already open), options shuffled.
#[server(endpoint = "learning/quiz")]
pub async fn open_quiz(module_id: ModuleSlug) -> Result<QuizView, AppError> {
    crate::error::finish(quizzes::open_quiz(module_id).await)
}

/// Answers arrive as `answers[question]=option`, or `answers[question__option]=on` for
/// each ticked box of a multiple-choice question.
#[server(endpoint = "learning/submit")]
pub async fn submit_quiz(
    attempt_id: AttemptId,
    answers: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    crate::error::finish(quizzes::submit_quiz(attempt_id, answers.unwrap_or_default()).await)
}

#[server(endpoint = "learning/attempt")]
pub async fn load_attempt(attempt_id: AttemptId) -> Result<AttemptResult, AppError> {
    crate::error::finish(quizzes::attempt_result(attempt_id).await)
}

#[server(endpoint = "learning/certificate")]
pub async fn load_certificate(code: String) -> Result<CertificateView, AppError> {
    crate::error::finish(certificates::certificate(code).await)
}

/// Public: is this certificate genuine?
#[server(endpoint = "learning/verify")]
pub async fn verify_certificate(code: String) -> Result<VerifiedCertificate, AppError> {
    crate::error::finish(certificates::verify_certificate(code).await)
}

#[server(endpoint = "learning/settings")]
pub async fn module_settings() -> Result<Vec<ModuleSetting>, AppError> {
    crate::error::finish(settings::list().await)
}

/// `switch` is "on" or "off".
#[server(endpoint = "learning/switch")]
pub async fn switch_module(module_id: ModuleSlug, switch: String) -> Result<(), AppError> {
    crate::error::finish(settings::switch(module_id, switch).await)
}

#[server(endpoint = "learning/pass_mark")]
pub async fn set_pass_mark(module_id: ModuleSlug, pass_mark: String) -> Result<(), AppError> {
    crate::error::finish(settings::set_pass_mark(module_id, pass_mark).await)
}

/// The module texts last sent that failed the checks, to show again for fixing.
#[server(endpoint = "learning/module_draft")]
pub async fn module_draft() -> Result<(String, String), AppError> {
    crate::error::finish(settings::draft().await)
}

/// Add (or replace) one of the organisation's own modules, checked like the built-in ones.
#[server(endpoint = "learning/add_module")]
pub async fn add_own_module(module_text: String, quiz_text: String) -> Result<(), AppError> {
    crate::error::finish(settings::add_own_module(module_text, quiz_text).await)
}

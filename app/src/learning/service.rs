//! The rules of the learner's course: My induction, a module's overview and its sections,
//! and what has been read (quizzes: `quizzes.rs`; certificates: `certificates.rs`).

use super::catalogue;
use super::queries::{self, AttemptRow};
use super::*;
use crate::auth::{guard, CurrentUser};
use crate::content::module::Module;
use crate::db;
use crate::ids::{ModuleSlug, SectionSlug};
use crate::state::{app_state, AppState};

use db::display_day as day;

pub(super) async fn help_for(
    state: &AppState,
    user: &CurrentUser,
) -> Result<HelpContacts, AppError> {
    let c = crate::safe_internet::service::contacts_of(state, &user.org_id).await?;
    Ok(HelpContacts {
        org_name: user.org_name.clone(),
        dsl_name: c.dsl_name.clone(),
        dsl_phone: c.dsl_phone.clone(),
        dsl_email: c.dsl_email.clone(),
    })
}

pub(super) fn submitted(attempts: &[AttemptRow]) -> impl Iterator<Item = &AttemptRow> {
    attempts.iter().filter(|a| a.submitted_at.is_some())
}

pub(super) fn score_of(a: &AttemptRow) -> (u32, u32) {
    let n = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok()).unwrap_or(0);
    (n(a.score), n(a.total))
}

fn summaries(attempts: &[AttemptRow]) -> Vec<AttemptSummary> {
    submitted(attempts)
        .enumerate()
        .map(|(i, a)| {
            let (score, total) = score_of(a);
            AttemptSummary {
                id: a.id.clone(),
                number: i + 1,
                submitted_on: a.submitted_at.as_deref().map(day).unwrap_or_default(),
                score,
                total,
                passed: a.passed_at.is_some(),
            }
        })
        .collect()
}

fn status_of(attempts: &[AttemptRow], sections_read: usize) -> ModuleStatus {
    if attempts.iter().any(|a| a.passed_at.is_some()) {
        ModuleStatus::Passed
    } else if sections_read > 0 || !attempts.is_empty() {
        ModuleStatus::InProgress
    } else {
        ModuleStatus::NotStarted
    }
}

fn section_links(
    module: &Module,
    read: &std::collections::HashSet<SectionSlug>,
) -> Vec<SectionLink> {
    module
        .sections
        .iter()
        .map(|s| SectionLink {
            id: s.id.clone(),
            title: s.title.clone(),
            read: read.contains(&s.id),
        })
        .collect()
}

/// A module's card on My induction, from the person's progress row (if any).
/// A person's state in one module, read from their progress row: the one rule for My
/// induction and a cohort's grid.
impl queries::ProgressRow {
    pub fn status(&self) -> ModuleStatus {
        if self.passed_at.is_some() {
            ModuleStatus::Passed
        } else if self.sections_read > 0 || self.attempts_started > 0 {
            ModuleStatus::InProgress
        } else {
            ModuleStatus::NotStarted
        }
    }

    /// Sections read, at most the module's `sections` (rows count every section ever
    /// read, of this version of the module or an earlier one).
    pub fn sections_read_of(&self, sections: usize) -> usize {
        usize::try_from(self.sections_read)
            .unwrap_or(0)
            .min(sections)
    }

    pub fn best_percent(&self) -> Option<u32> {
        let n = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
        Some(percent(n(self.best_score)?, n(self.best_total)?))
    }
}

/// A module's card on My induction, from the person's progress row (if any).
fn card(module: &Module, progress: Option<&queries::ProgressRow>) -> ModuleCard {
    let section_count = module.sections.len();
    ModuleCard {
        id: module.id.clone(),
        title: module.title.clone(),
        summary: module.summary.clone(),
        minutes: module.minutes,
        status: progress.map_or(ModuleStatus::NotStarted, |p| p.status()),
        sections_read: progress.map_or(0, |p| p.sections_read_of(section_count)),
        section_count,
        best_percent: progress.and_then(|p| p.best_percent()),
        passed_on: progress.and_then(|p| p.passed_at.as_deref()).map(day),
    }
}

pub async fn my_induction() -> Result<InductionView, AppError> {
    let user = guard::signed_in().await?;
    let state = app_state()?;
    let modules = catalogue::assigned(&state, &user).await?;
    let progress = queries::progress_of(&state.db, &user.id).await?;
    let cards = modules
        .iter()
        .map(|m| card(&m.module, progress.get(&m.module.id)))
        .collect();
    Ok(InductionView {
        first_name: user.first_name().to_string(),
        modules: cards,
    })
}

pub async fn module_overview(module_id: ModuleSlug) -> Result<ModuleOverview, AppError> {
    let user = guard::signed_in().await?;
    let state = app_state()?;
    let m = catalogue::assigned_module(&state, &user, &module_id).await?;
    let module = &m.module;
    let read = queries::sections_read(&state.db, &user.id, &module.id).await?;
    let sections = section_links(module, &read);
    let (attempts, certificate_code) =
        queries::attempts_and_certificate_at(&state.db, &user.id, &module.id).await?;
    let sections_read = sections.iter().filter(|s| s.read).count();
    Ok(ModuleOverview {
        id: module.id.clone(),
        title: module.title.clone(),
        summary: module.summary.clone(),
        minutes: module.minutes,
        intro_html: module.intro_html.clone(),
        sections,
        question_count: module.quiz.questions.len(),
        pass_mark: m.pass_mark,
        status: status_of(&attempts, sections_read),
        attempts: summaries(&attempts),
        certificate_code,
        help: help_for(&state, &user).await?,
    })
}

pub async fn module_section(
    module_id: ModuleSlug,
    section_id: SectionSlug,
) -> Result<SectionView, AppError> {
    let user = guard::signed_in().await?;
    let state = app_state()?;
    let m = catalogue::assigned_module(&state, &user, &module_id).await?;
    let module = &m.module;
    let index = module
        .sections
        .iter()
        .position(|s| s.id == section_id)
        .ok_or(AppError::NotFound)?;
    let section = &module.sections[index];
    let read = queries::sections_read(&state.db, &user.id, &module.id).await?;
    Ok(SectionView {
        module_id: module.id.clone(),
        module_title: module.title.clone(),
        id: section.id.clone(),
        title: section.title.clone(),
        html: section.html.clone(),
        number: index + 1,
        sections: section_links(module, &read),
        help: help_for(&state, &user).await?,
    })
}

pub async fn mark_section_read(
    module_id: ModuleSlug,
    section_id: SectionSlug,
) -> Result<(), AppError> {
    let user = guard::signed_in().await?;
    let state = app_state()?;
    let m = catalogue::assigned_module(&state, &user, &module_id).await?;
    let sections = &m.module.sections;
    let index = sections
        .iter()
        .position(|s| s.id == section_id)
        .ok_or_else(|| AppError::invalid("That section is not part of this module."))?;
    queries::mark_read(&state.db, &user.org_id, &user.id, &module_id, &section_id).await?;
    let next = match sections.get(index + 1) {
        Some(next) => format!("/induction/{module_id}/read/{}", next.id),
        None => format!("/induction/{module_id}?read=all#quiz"),
    };
    leptos_axum::redirect(&next);
    Ok(())
}

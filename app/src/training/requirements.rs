//! The requirement pages' server functions (People department and administrators): the
//! list with today's counts, the form, the preview before saving with an offer of grace,
//! saving, retiring and bringing back, and the "due soon" setting. Each one checks the
//! access rule first (see `requirement_service`).

use super::requirement_form::RequirementInput;
use super::types::StatusCounts;
use crate::error::AppError;
use crate::ids::{ModuleSlug, RequirementId};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One requirement on the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementLine {
    pub id: RequirementId,
    pub name: String,
    /// The requirement in plain words.
    pub description: String,
    /// Where the staff stand with it today (in force only).
    pub counts: StatusCounts,
}

/// `/training/requirements`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementsView {
    pub in_force: Vec<RequirementLine>,
    pub retired: Vec<RequirementLine>,
    pub due_soon_days: u32,
}

/// What the form offers: the organisation's modules and the departments on its records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormChoices {
    /// The requirement being changed (None: a new one).
    pub id: Option<RequirementId>,
    /// Its name as stored, for the heading.
    pub stored_name: Option<String>,
    /// Built-in and the organisation's own, (id, title), in order.
    pub modules: Vec<(ModuleSlug, String)>,
    /// The organisation's documents to read and acknowledge, (key, title).
    pub documents: Vec<(String, String)>,
    pub departments: Vec<String>,
    /// The grace the stored requirement already gives, in words.
    pub stored_grace: Option<String>,
}

/// The confirmation step: what saving the candidate would do today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub description: String,
    pub counts: StatusCounts,
    /// The grace date offered, as typed or today + 30 days (`31/01/2027`).
    pub grace_until: String,
    /// The same date in words.
    pub grace_until_words: String,
    /// The counts with that grace, when any would be overdue or due soon.
    pub with_grace: Option<StatusCounts>,
    /// A problem with the grace date typed, if any (the default is shown instead).
    pub grace_problem: Option<String>,
}

/// `/training/requirements/{id}` (`new` for a new one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementFormView {
    pub choices: FormChoices,
    /// What the form shows: as typed, else as stored, else a new one's starting point.
    pub input: RequirementInput,
    /// The preview, when the form was sent to be checked and is sound.
    pub preview: Option<Preview>,
    /// What to fix, when the form was sent to be checked and is not.
    pub problem: Option<AppError>,
}

/// The requirements in force with today's counts, the retired ones, and the setting.
#[server(endpoint = "training/requirements")]
pub async fn requirements_overview() -> Result<RequirementsView, AppError> {
    crate::error::finish(service::overview().await)
}

/// The form for a requirement (`requirement_id` "new" for a new one): `input` is what was
/// typed, if anything; with `check`, the preview of saving it (and `grace_until` as typed).
#[server(endpoint = "training/requirement_page")]
pub async fn requirement_page(
    requirement_id: String,
    input: Option<RequirementInput>,
    check: bool,
    grace_until: Option<String>,
) -> Result<RequirementFormView, AppError> {
    crate::error::finish(service::page(requirement_id, input, check, grace_until).await)
}

pub use save_form::*;

/// The confirmation form's server function: every field of the requirement form.
mod save_form {
    // The generated client and server halves take every form field as an argument.
    #![allow(clippy::too_many_arguments)]
    use super::*;

    /// Save a requirement (`requirement_id` "new" for a new one). `grace` "until" gives the
    /// people already in post until `grace_until`; anything else gives no new grace.
    #[server(endpoint = "training/save_requirement")]
    pub async fn save_requirement(
        requirement_id: String,
        name: Option<String>,
        level: Option<String>,
        satisfied_by: Option<String>,
        module_id: Option<String>,
        document: Option<String>,
        applies_to: Option<String>,
        role_staff: Option<String>,
        role_tutor: Option<String>,
        role_manager: Option<String>,
        role_people: Option<String>,
        role_dsl: Option<String>,
        role_admin: Option<String>,
        departments: Option<String>,
        job_titles: Option<String>,
        first_due: Option<String>,
        first_due_days: Option<String>,
        first_due_date: Option<String>,
        renews: Option<String>,
        months_after_completion: Option<String>,
        months_after_due_date: Option<String>,
        renew_day: Option<String>,
        renew_month: Option<String>,
        window_days: Option<String>,
        grace: Option<String>,
        grace_until: Option<String>,
    ) -> Result<(), AppError> {
        let ticked = [
            ("role_staff", role_staff),
            ("role_tutor", role_tutor),
            ("role_manager", role_manager),
            ("role_people", role_people),
            ("role_dsl", role_dsl),
            ("role_admin", role_admin),
        ];
        let texts = [
            ("name", name),
            ("level", level),
            ("satisfied_by", satisfied_by),
            ("module_id", module_id),
            ("document", document),
            ("applies_to", applies_to),
            ("departments", departments),
            ("job_titles", job_titles),
            ("first_due", first_due),
            ("first_due_days", first_due_days),
            ("first_due_date", first_due_date),
            ("renews", renews),
            ("months_after_completion", months_after_completion),
            ("months_after_due_date", months_after_due_date),
            ("renew_day", renew_day),
            ("renew_month", renew_month),
            ("window_days", window_days),
        ];
        let pairs: Vec<(&str, String)> = texts
            .into_iter()
            .chain(ticked)
            .filter_map(|(n, v)| v.map(|v| (n, v)))
            .collect();
        let input = RequirementInput::from_pairs(pairs.iter().map(|(n, v)| (*n, v.as_str())));
        let grace_until = (grace.as_deref() == Some("until")).then_some(grace_until);
        crate::error::finish(service::save(requirement_id, input, grace_until).await)
    }
}

/// Take a requirement out of force; its completions are kept.
#[server(endpoint = "training/retire_requirement")]
pub async fn retire_requirement(requirement_id: RequirementId) -> Result<(), AppError> {
    crate::error::finish(service::retire(requirement_id).await)
}

/// Put a retired requirement back in force.
#[server(endpoint = "training/bring_back_requirement")]
pub async fn bring_back_requirement(requirement_id: RequirementId) -> Result<(), AppError> {
    crate::error::finish(service::bring_back(requirement_id).await)
}

/// How many days before a due date someone shows as "due soon" (0 to 365).
#[server(endpoint = "training/set_due_soon_days")]
pub async fn set_due_soon_days(due_soon_days: String) -> Result<(), AppError> {
    crate::error::finish(service::set_due_soon(due_soon_days).await)
}

#[cfg(feature = "ssr")]
#[path = "requirement_service.rs"]
pub mod service;

//! The rules behind the requirement pages. Every function starts with the access rule and
//! works only in the asker's organisation: another organisation's requirement is "not
//! found", whatever its id. The list and the preview each load the organisation's
//! standing once (`standing::load`, five queries), whatever the number of requirements.

use super::super::describe::{changed_fields, describe};
use super::super::requirement_form::{date, long_date, RequirementInput};
use super::super::standing::{self, Scope};
use super::super::types::{Grace, Requirement, RequirementRecord, StatusCounts};
use super::super::{checks, queries, requirement_queries as rq, SatisfiedBy};
use super::{FormChoices, Preview, RequirementFormView, RequirementLine, RequirementsView};
use crate::auth::{guard, Capability, CurrentUser};
use crate::error::AppError;
use crate::ids::{ModuleSlug, RequirementId};
use crate::learning::catalogue;
use crate::state::{app_state, AppState};
use crate::{audit, calendar, db};
use chrono::{Days, NaiveDate};

/// The grace offered unless another date is typed: a month from today.
const DEFAULT_GRACE_DAYS: u64 = 30;
/// The furthest grace date accepted: a year from today.
const MAX_GRACE_DAYS: u64 = 366;

async fn keeper() -> Result<(CurrentUser, AppState), AppError> {
    let user = guard::allowed(Capability::ManageTrainingRequirements).await?;
    Ok((user, app_state()?))
}

/// The organisation's modules, built in and its own: (id, title), in order.
async fn modules(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<(ModuleSlug, String)>, AppError> {
    Ok(catalogue::all_for_org(state, &user.org_id)
        .await?
        .into_iter()
        .map(|m| (m.module.id.clone(), m.module.title.clone()))
        .collect())
}

fn in_words(requirement: &Requirement, modules: &[(ModuleSlug, String)]) -> String {
    describe(requirement, |id| {
        modules
            .iter()
            .find(|(m, _)| m == id)
            .map(|(_, title)| title.clone())
    })
}

pub async fn overview() -> Result<RequirementsView, AppError> {
    let (user, state) = keeper().await?;
    let standing = standing::load(&state.db, &user.org_id, Scope::Organisation).await?;
    let retired = rq::retired_requirements(&state.db, &user.org_id).await?;
    let modules = modules(&state, &user).await?;
    let today = calendar::today();
    let line = |record: &RequirementRecord, counts: StatusCounts| RequirementLine {
        id: record.id.clone(),
        name: record.requirement.name.clone(),
        description: in_words(&record.requirement, &modules),
        counts,
    };
    let in_force = standing
        .requirements
        .iter()
        .map(|record| {
            let mut counts = StatusCounts::default();
            for person in &standing.staff {
                counts.add(&standing.status(person, record, today));
            }
            line(record, counts)
        })
        .collect();
    Ok(RequirementsView {
        in_force,
        retired: retired
            .iter()
            .map(|r| line(r, StatusCounts::default()))
            .collect(),
        due_soon_days: standing.due_soon_days,
    })
}

/// The stored requirement a form is about (None for "new"); retired ones are brought
/// back before they are changed.
async fn stored(
    state: &AppState,
    user: &CurrentUser,
    requirement_id: &str,
) -> Result<Option<RequirementRecord>, AppError> {
    if requirement_id.trim() == "new" {
        return Ok(None);
    }
    let id = RequirementId::from_param(requirement_id.trim());
    let mut conn = state.db.acquire().await?;
    match rq::requirement(&mut conn, &user.org_id, &id).await? {
        None => Err(AppError::NotFound),
        Some((_, true)) => Err(AppError::invalid(
            "This requirement is retired. Bring it back from the list of requirements before changing it.",
        )),
        Some((record, false)) => Ok(Some(record)),
    }
}

/// The candidate as typed, with its module or document checked against the
/// organisation's.
fn candidate(
    input: &RequirementInput,
    modules: &[(ModuleSlug, String)],
    documents: &[(String, String)],
) -> Result<Requirement, AppError> {
    let requirement = input.read()?;
    if let SatisfiedBy::Module { module_id } = &requirement.satisfied_by {
        if !modules.iter().any(|(m, _)| m == module_id) {
            return Err(AppError::invalid(format!(
                "Satisfied by: there is no module '{module_id}' in your organisation. Choose one from the list."
            )));
        }
    }
    if let SatisfiedBy::Document { document } = &requirement.satisfied_by {
        if !documents.iter().any(|(key, _)| key == document) {
            return Err(AppError::invalid(if documents.is_empty() {
                "Satisfied by: your organisation has no documents to read yet. Add one under \"Documents to read and acknowledge\" first.".to_string()
            } else {
                format!("Satisfied by: there is no document '{document}' in your organisation. Choose one from the list.")
            }));
        }
    }
    Ok(requirement)
}

/// A grace date as typed: from today, at most a year away.
fn grace_date(text: &str, today: NaiveDate) -> Result<NaiveDate, AppError> {
    let latest = today + Days::new(MAX_GRACE_DAYS);
    match date(text) {
        Some(day) if day >= today && day <= latest => Ok(day),
        Some(_) => Err(AppError::invalid(format!(
            "Grace: choose a date from today to {}.",
            long_date(latest)
        ))),
        None => Err(AppError::invalid(
            "Grace: enter the date as a real date, like 31/01/2027 or 2027-01-31.",
        )),
    }
}

pub async fn page(
    requirement_id: String,
    input: Option<RequirementInput>,
    check: bool,
    grace_until: Option<String>,
) -> Result<RequirementFormView, AppError> {
    let (user, state) = keeper().await?;
    let stored = stored(&state, &user, &requirement_id).await?;
    let modules = modules(&state, &user).await?;
    let documents = crate::documents::queries::documents_of(&state.db, &user.org_id).await?;
    let departments = rq::departments(&state.db, &user.org_id).await?;
    let input = input.unwrap_or_else(|| match &stored {
        Some(record) => RequirementInput::of(&record.requirement),
        None => RequirementInput::blank(),
    });
    let stored_grace = stored.as_ref().and_then(|r| r.requirement.grace);
    let (mut preview, mut problem) = (None, None);
    if check {
        match candidate(&input, &modules, &documents) {
            Err(e) => problem = Some(e),
            Ok(mut requirement) => {
                requirement.grace = stored_grace;
                let id = stored.as_ref().map(|r| &r.id);
                preview =
                    Some(preview_of(&state, &user, &requirement, id, grace_until, &modules).await?);
            }
        }
    }
    Ok(RequirementFormView {
        choices: FormChoices {
            id: stored.as_ref().map(|r| r.id.clone()),
            stored_name: stored.as_ref().map(|r| r.requirement.name.clone()),
            modules,
            documents,
            departments,
            stored_grace: stored_grace.map(|g| {
                format!(
                    "People already in post on {} have until {}.",
                    long_date(g.in_post_on),
                    long_date(g.until)
                )
            }),
        },
        input,
        preview,
        problem,
    })
}

/// What saving `requirement` would do today, and with the grace offered.
async fn preview_of(
    state: &AppState,
    user: &CurrentUser,
    requirement: &Requirement,
    id: Option<&RequirementId>,
    grace_until: Option<String>,
    modules: &[(ModuleSlug, String)],
) -> Result<Preview, AppError> {
    let standing = standing::load(&state.db, &user.org_id, Scope::Organisation).await?;
    let today = calendar::today();
    let counts = standing.preview(requirement, id, today);
    let default = today + Days::new(DEFAULT_GRACE_DAYS);
    let (until, grace_problem) = match grace_until.as_deref().map(str::trim) {
        None | Some("") => (default, None),
        Some(text) => match grace_date(text, today) {
            Ok(day) => (day, None),
            Err(e) => (default, Some(e.to_string())),
        },
    };
    let with_grace = (counts.overdue + counts.due_soon > 0).then(|| {
        let mut graced = requirement.clone();
        graced.grace = Some(Grace {
            in_post_on: today,
            until,
        });
        standing.preview(&graced, id, today)
    });
    Ok(Preview {
        description: in_words(requirement, modules),
        counts,
        grace_until: until.format("%d/%m/%Y").to_string(),
        grace_until_words: long_date(until),
        with_grace,
        grace_problem,
    })
}

pub async fn save(
    requirement_id: String,
    input: RequirementInput,
    grace_until: Option<Option<String>>,
) -> Result<(), AppError> {
    let (user, state) = keeper().await?;
    let org = &user.org_id;
    // Found first: another organisation's id is "not found", whatever the form says.
    let stored = stored(&state, &user, &requirement_id).await?;
    let modules = modules(&state, &user).await?;
    let documents = crate::documents::queries::documents_of(&state.db, org).await?;
    let mut requirement = candidate(&input, &modules, &documents)?;
    let today = calendar::today();
    requirement.grace = match grace_until {
        Some(text) => Some(Grace {
            in_post_on: today,
            until: grace_date(text.as_deref().unwrap_or_default(), today)?,
        }),
        // No new grace: a grace given before stays.
        None => stored.as_ref().and_then(|r| r.requirement.grace),
    };
    checks::check(&requirement)?;
    let mut tx = db::begin(&state.db).await?;
    db::lock_organisation(&mut tx, org).await?;
    let (subject, action, detail) = match &stored {
        None => {
            let position = rq::next_position(&mut tx, org).await?;
            let placed = queries::Placement {
                org_id: org,
                default_key: None,
                position,
                by: Some(&user.id),
            };
            let id = queries::insert_requirement(&mut tx, &placed, &requirement).await?;
            let detail = if requirement.grace.is_some() {
                "added, with grace"
            } else {
                "added"
            };
            (
                id,
                audit::Action::TrainingRequirementAdded,
                detail.to_string(),
            )
        }
        Some(record) => {
            // Compared with the rule as it is now (another save may have come in between).
            let before = rq::requirement(&mut tx, org, &record.id)
                .await?
                .filter(|(_, retired)| !retired)
                .map(|(current, _)| current.requirement);
            let updated = match before {
                Some(_) => {
                    rq::update_requirement(&mut tx, org, &record.id, &requirement, &user.id).await?
                }
                None => false,
            };
            let (true, Some(before)) = (updated, before) else {
                return Err(AppError::invalid(
                    "This requirement was retired while you were changing it. Bring it back from the list of requirements first.",
                ));
            };
            let changed = changed_fields(&before, &requirement);
            let detail = if changed.is_empty() {
                "saved, nothing changed".to_string()
            } else {
                format!("changed: {}", changed.join(", "))
            };
            (
                record.id.clone(),
                audit::Action::TrainingRequirementChanged,
                detail,
            )
        }
    };
    audit::record(
        &mut tx,
        org,
        Some(&user.id),
        action,
        Some(subject.as_str()),
        &detail,
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/training/requirements?done=saved");
    Ok(())
}

/// Retire or bring back: the one change of state a requirement has besides its rule.
async fn set_in_force(requirement_id: RequirementId, in_force: bool) -> Result<(), AppError> {
    let (user, state) = keeper().await?;
    let org = &user.org_id;
    let mut tx = db::begin(&state.db).await?;
    let Some((_, retired)) = rq::requirement(&mut tx, org, &requirement_id).await? else {
        return Err(AppError::NotFound);
    };
    let (done, action, word) = if in_force {
        (
            retired && rq::bring_back_requirement(&mut tx, org, &requirement_id, &user.id).await?,
            audit::Action::TrainingRequirementBroughtBack,
            "brought-back",
        )
    } else {
        (
            !retired && rq::retire_requirement(&mut tx, org, &requirement_id, &user.id).await?,
            audit::Action::TrainingRequirementRetired,
            "retired",
        )
    };
    if done {
        let detail = if in_force { "brought back" } else { "retired" };
        audit::record(
            &mut tx,
            org,
            Some(&user.id),
            action,
            Some(requirement_id.as_str()),
            detail,
        )
        .await?;
        tx.commit().await?;
    }
    // Asked twice (a second click, another tab): it already is as asked.
    leptos_axum::redirect(&format!("/training/requirements?done={word}"));
    Ok(())
}

pub async fn retire(requirement_id: RequirementId) -> Result<(), AppError> {
    set_in_force(requirement_id, false).await
}

pub async fn bring_back(requirement_id: RequirementId) -> Result<(), AppError> {
    set_in_force(requirement_id, true).await
}

pub async fn set_due_soon(due_soon_days: String) -> Result<(), AppError> {
    let (user, state) = keeper().await?;
    let days = due_soon_days
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| *d <= 365)
        .ok_or_else(|| {
            AppError::invalid("Due soon: enter the number of days as a whole number from 0 to 365.")
        })?;
    let before = queries::due_soon_days(&state.db, &user.org_id).await?;
    let mut tx = db::begin(&state.db).await?;
    rq::set_due_soon_days(&mut tx, &user.org_id, days, &user.id).await?;
    let detail = if before == days {
        "saved, nothing changed"
    } else {
        "changed: due soon days"
    };
    audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        audit::Action::TrainingSettingsChanged,
        None,
        detail,
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/training/requirements?done=due-soon");
    Ok(())
}

//! Which modules an organisation has (the built-in ones plus its own), with its choices
//! applied, and which of them a person is asked to take.

use super::queries;
use crate::auth::{guard, CurrentUser, Role};
use crate::content::module::{self, Audience, Module};
use crate::error::AppError;
use crate::ids::{ModuleSlug, OrganisationId};
use crate::state::AppState;
use std::path::Path;
use std::sync::Arc;

/// A module as one organisation runs it.
#[derive(Debug, Clone)]
pub struct OrgModule {
    pub module: Arc<Module>,
    /// Written by the organisation itself.
    pub own: bool,
    pub switched_on: bool,
    pub pass_mark: u8,
}

/// Whether `user` is asked to take a module written for `audience`.
pub fn is_for(user: &CurrentUser, audience: Audience) -> bool {
    let learner = user.has(Role::Learner);
    let staff = user.is_staff();
    match audience {
        Audience::Learners => learner,
        Audience::Staff => staff,
        Audience::Both => learner || staff,
    }
}

/// Check an organisation's own module. Problems read `module.md:LINE: message`.
pub fn parse_own(
    module_id: &ModuleSlug,
    module_text: &str,
    quiz_text: &str,
) -> Result<Module, Vec<crate::content::Problem>> {
    module::parse(module_id.as_str(), module_text, quiz_text, Path::new(""))
}

/// The organisation's own modules, parsed (on a blocking thread: parsing is CPU work).
async fn own_modules(
    state: &AppState,
    org_id: &OrganisationId,
) -> Result<Vec<Arc<Module>>, AppError> {
    let rows = queries::own_modules(&state.db, org_id).await?;
    tokio::task::spawn_blocking(move || {
        rows.iter()
            .filter_map(
                |own| match parse_own(&own.module_id, &own.module_text, &own.quiz_text) {
                    Ok(m) => Some(Arc::new(m)),
                    // Checked when saved; only a stricter checker in a later version gets here.
                    Err(problems) => {
                        tracing::warn!(
                            module = %own.module_id,
                            problems = problems.len(),
                            "an organisation's own module no longer passes the checks; hidden"
                        );
                        None
                    }
                },
            )
            .collect::<Vec<_>>()
    })
    .await
    .map_err(AppError::internal)
}

/// Every module of the organisation, switched on or not, in order: kept in memory per
/// settings version (see `db::versioned`), so a page asks the database nothing for it
/// and a change made on any server is seen at once.
pub async fn all_for_org(
    state: &AppState,
    org_id: &OrganisationId,
) -> Result<Vec<OrgModule>, AppError> {
    let version = guard::settings_version(state, org_id).await?;
    let modules = state
        .org_modules
        .get_or_load(org_id, version, load_for_org(state, org_id))
        .await?;
    Ok(modules.to_vec())
}

async fn load_for_org(
    state: &AppState,
    org_id: &OrganisationId,
) -> Result<Vec<OrgModule>, AppError> {
    let settings = queries::module_settings(&state.db, org_id).await?;
    let mut modules: Vec<(Arc<Module>, bool)> = state
        .content
        .modules
        .iter()
        .map(|m| (Arc::clone(m), false))
        .collect();
    for own in own_modules(state, org_id).await? {
        modules.push((own, true));
    }
    modules.sort_by_key(|(m, _)| (m.order, m.id.clone()));
    Ok(modules
        .into_iter()
        .map(|(module, own)| {
            let setting = settings.get(&module.id);
            OrgModule {
                switched_on: setting.is_none_or(|s| s.switched_off_at.is_none()),
                pass_mark: setting
                    .and_then(|s| s.pass_mark)
                    .and_then(|p| u8::try_from(p).ok())
                    .unwrap_or(module.pass_mark),
                own,
                module,
            }
        })
        .collect())
}

/// The modules `user` is asked to take: switched on and written for them.
pub async fn assigned(state: &AppState, user: &CurrentUser) -> Result<Vec<OrgModule>, AppError> {
    Ok(all_for_org(state, &user.org_id)
        .await?
        .into_iter()
        .filter(|m| m.switched_on && is_for(user, m.module.audience))
        .collect())
}

/// One module `user` is asked to take; anything else (unknown, another organisation's,
/// switched off, not for their role) is "not found".
pub async fn assigned_module(
    state: &AppState,
    user: &CurrentUser,
    module_id: &ModuleSlug,
) -> Result<OrgModule, AppError> {
    assigned(state, user)
        .await?
        .into_iter()
        .find(|m| m.module.id == *module_id)
        .ok_or(AppError::NotFound)
}

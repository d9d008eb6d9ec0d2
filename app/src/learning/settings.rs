//! The organisation's choices about modules, made by its administrator or DSL: which are
//! switched on, each pass mark, and modules of its own (checked like the built-in ones).

use super::catalogue;
use super::queries;
use super::ModuleSetting;
use crate::audit;
use crate::auth::{guard, Capability, CurrentUser};
use crate::content::{front_matter, module::Audience};
use crate::error::AppError;
use crate::ids::{ModuleSlug, OrganisationId};
use crate::state::{app_state, AppState};

/// The largest module or quiz text accepted (the built-in ones are under 20 KB).
const MAX_TEXT: usize = 100_000;
/// An organisation may keep this many modules of its own, this large in all: every
/// request that lists modules has them at hand, so they must stay small.
pub const MAX_OWN_MODULES: i64 = 25;
pub const MAX_OWN_BYTES: i64 = 1_000_000;

async fn manager() -> Result<(CurrentUser, AppState), AppError> {
    let user = guard::allowed(Capability::ManageModules).await?;
    Ok((user, app_state()?))
}

fn audience_label(audience: Audience) -> &'static str {
    match audience {
        Audience::Learners => "Learners",
        Audience::Staff => "Staff",
        Audience::Both => "Learners and staff",
    }
}

pub async fn list() -> Result<Vec<ModuleSetting>, AppError> {
    let (user, state) = manager().await?;
    Ok(catalogue::all_for_org(&state, &user.org_id)
        .await?
        .into_iter()
        .map(|m| ModuleSetting {
            id: m.module.id.clone(),
            title: m.module.title.clone(),
            audience: audience_label(m.module.audience).to_string(),
            switched_on: m.switched_on,
            pass_mark: m.pass_mark,
            default_pass_mark: m.module.pass_mark,
            own: m.own,
        })
        .collect())
}

/// The module must be one of this organisation's (built in or its own).
async fn known_module(
    state: &AppState,
    org_id: &OrganisationId,
    module_id: &ModuleSlug,
) -> Result<(), AppError> {
    catalogue::all_for_org(state, org_id)
        .await?
        .into_iter()
        .any(|m| m.module.id == *module_id)
        .then_some(())
        .ok_or(AppError::NotFound)
}

pub async fn switch(module_id: ModuleSlug, switch: String) -> Result<(), AppError> {
    let (user, state) = manager().await?;
    let off = match switch.trim() {
        "on" => false,
        "off" => true,
        _ => {
            return Err(AppError::invalid(
                "Choose whether to switch the module on or off.",
            ))
        }
    };
    let module_id = module_id.trimmed();
    known_module(&state, &user.org_id, &module_id).await?;
    let mut tx = crate::db::begin(&state.db).await?;
    queries::set_switched_off(&mut tx, &user.org_id, &module_id, off, &user.id).await?;
    let action = if off {
        crate::audit::Action::ModuleSwitchedOff
    } else {
        crate::audit::Action::ModuleSwitchedOn
    };
    audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        action,
        None,
        module_id.as_str(),
    )
    .await?;
    tx.commit().await?;
    let done = if off { "off" } else { "on" };
    leptos_axum::redirect(&format!(
        "/admin/modules?switched={done}&module={}",
        crate::ui::encode_component(module_id.as_str())
    ));
    Ok(())
}

/// A pass mark as typed: a whole number of per cent from 1 to 100.
pub fn parse_pass_mark(text: &str) -> Result<u8, AppError> {
    text.trim()
        .trim_end_matches('%')
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|p| (1..=100).contains(p))
        .ok_or_else(|| {
            AppError::invalid(format!(
                "Pass mark: '{}' is not a whole number from 1 to 100.",
                text.trim()
            ))
        })
}

pub async fn set_pass_mark(module_id: ModuleSlug, pass_mark: String) -> Result<(), AppError> {
    let (user, state) = manager().await?;
    let module_id = module_id.trimmed();
    known_module(&state, &user.org_id, &module_id).await?;
    let pass_mark = parse_pass_mark(&pass_mark)?;
    let mut tx = crate::db::begin(&state.db).await?;
    queries::set_pass_mark(&mut tx, &user.org_id, &module_id, pass_mark, &user.id).await?;
    audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        crate::audit::Action::ModulePassMark,
        None,
        &format!("{module_id}: {pass_mark}%"),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/admin/modules?pass_mark={pass_mark}&module={}",
        crate::ui::encode_component(module_id.as_str())
    ));
    Ok(())
}

/// The id a module's text declares, checked as a folder name would be.
fn declared_id(module_text: &str) -> Result<ModuleSlug, AppError> {
    let id = front_matter::parse(module_text, &[], &["id"])
        .ok()
        .and_then(|parsed| parsed.header.get("id").cloned())
        .unwrap_or_default();
    let well_formed = !id.is_empty()
        && id.len() <= 60
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if well_formed {
        Ok(ModuleSlug::from_param(id))
    } else {
        Err(AppError::invalid(
            "module.md:1: the header needs an id of lower-case letters, numbers and hyphens, like 'id: our-wifi-rules'",
        ))
    }
}

/// Where a module that failed the checks is kept, so the form shows it again to fix
/// (in the person's session, not in the organisation's data: nothing is saved).
const DRAFT_KEY: &str = "module_draft";

/// The texts last sent that did not pass the checks, if any.
pub async fn draft() -> Result<(String, String), AppError> {
    manager().await?;
    let session = guard::session().await?;
    Ok(session
        .get::<(String, String)>(DRAFT_KEY)
        .await?
        .unwrap_or_default())
}

pub async fn add_own_module(module_text: String, quiz_text: String) -> Result<(), AppError> {
    manager().await?;
    let module_text = module_text.replace("\r\n", "\n");
    let quiz_text = quiz_text.replace("\r\n", "\n");
    let session = guard::session().await?;
    let result = check_and_save(&module_text, &quiz_text).await;
    match &result {
        Err(AppError::Invalid(_)) if module_text.len() + quiz_text.len() <= 2 * MAX_TEXT => {
            session.insert(DRAFT_KEY, (module_text, quiz_text)).await?
        }
        _ => {
            session.remove::<(String, String)>(DRAFT_KEY).await?;
        }
    }
    result
}

async fn check_and_save(module_text: &str, quiz_text: &str) -> Result<(), AppError> {
    let (user, state) = manager().await?;
    if module_text.len() > MAX_TEXT || quiz_text.len() > MAX_TEXT {
        return Err(AppError::invalid(format!(
            "Each text may be at most {} KB.",
            MAX_TEXT / 1000
        )));
    }
    let id = declared_id(module_text)?;
    if state.content.modules.iter().any(|m| m.id == id) {
        return Err(AppError::invalid(format!(
            "module.md: the id '{id}' belongs to a built-in module. Choose another id."
        )));
    }
    // Parsing is CPU work: done on a blocking thread, never on the async ones.
    let texts = (id.clone(), module_text.to_string(), quiz_text.to_string());
    let parsed = tokio::task::spawn_blocking(move || {
        let (id, module_text, quiz_text) = texts;
        catalogue::parse_own(&id, &module_text, &quiz_text).map(|_| ())
    })
    .await
    .map_err(AppError::internal)?;
    parsed.map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        AppError::invalid(format!(
            "The module was not saved. Please fix these problems:\n{}",
            lines.join("\n")
        ))
    })?;
    let mut tx = crate::db::begin(&state.db).await?;
    // Parallel saves wait here, so together they cannot pass the caps below.
    crate::db::lock_organisation(&mut tx, &user.org_id).await?;
    let (count, bytes) = queries::own_modules_size(&mut tx, &user.org_id, &id).await?;
    let adding = i64::try_from(module_text.len() + quiz_text.len()).unwrap_or(i64::MAX);
    if count >= MAX_OWN_MODULES {
        return Err(AppError::invalid(format!(
            "Your organisation already has {MAX_OWN_MODULES} modules of its own, the most it can keep. Replace one (save it again with its id) instead of adding another."
        )));
    }
    if bytes.saturating_add(adding) > MAX_OWN_BYTES {
        return Err(AppError::invalid(format!(
            "Your organisation's own modules may take at most {} KB in all, and this one would take it past that. Make it shorter, or replace an existing one.",
            MAX_OWN_BYTES / 1000
        )));
    }
    let new =
        queries::save_own_module(&mut tx, &user.org_id, &id, module_text, quiz_text, &user.id)
            .await?;
    let action = if new {
        crate::audit::Action::ModuleAdded
    } else {
        crate::audit::Action::ModuleReplaced
    };
    audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        action,
        None,
        id.as_str(),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect(&format!(
        "/admin/modules?added={}",
        crate::ui::encode_component(id.as_str())
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pass_marks_are_whole_percentages_from_1_to_100() {
        assert_eq!(parse_pass_mark(" 75 "), Ok(75));
        assert_eq!(parse_pass_mark("100%"), Ok(100));
        for bad in ["0", "101", "seventy", "", "-5", "80.5"] {
            assert!(parse_pass_mark(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_added_module_declares_a_plain_id() {
        assert_eq!(
            declared_id("---\nid: our-wifi\n---\nBody").unwrap(),
            ModuleSlug::from_param("our-wifi")
        );
        assert!(declared_id("---\nid: Our WiFi!\n---\n").is_err());
        assert!(declared_id("no header at all").is_err());
    }
}

//! The rules for the Safe Internet page and its contacts.

use super::{queries, OrganisationContacts, PolicyLink, SafeInternetView};
use crate::auth::{guard, Capability};
use crate::error::AppError;
use crate::ids::OrganisationId;
use crate::state::{app_state, AppState};
use std::sync::Arc;

const MAX_FIELD: usize = 200;
const MAX_CONCERN_TEXT: usize = 2000;
const MAX_LINKS: usize = 10;

pub async fn view(slug: Option<String>) -> Result<SafeInternetView, AppError> {
    let state = app_state()?;
    let asked = slug.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let org = match asked.or(state.settings.default_org.as_deref()) {
        Some(slug) => {
            let found = queries::page_organisation(&state.db, Some(slug)).await?;
            // A page asked for by name must exist; a configured default that does not
            // exist shows the page without contacts, as no organisation would.
            if found.is_none() && asked.is_some() {
                return Err(AppError::NotFound);
            }
            found
        }
        None => queries::page_organisation(&state.db, None).await?,
    };
    let (org_name, contacts) = match org {
        Some((name, contacts)) => (Some(name), contacts),
        None => (None, OrganisationContacts::default()),
    };
    let doc = &state.content.safe_internet;
    Ok(SafeInternetView {
        org_name,
        contacts,
        title: doc.title.clone(),
        summary: doc.summary.clone(),
        updated: doc.updated.clone(),
        html: doc.html.clone(),
        sections: doc.sections.clone(),
    })
}

/// The organisation's contacts as they stand: kept in memory per settings version (see
/// `db::versioned`), since every module page shows them in its "get help" box.
pub async fn contacts_of(
    state: &AppState,
    org_id: &OrganisationId,
) -> Result<Arc<OrganisationContacts>, AppError> {
    let version = guard::settings_version(state, org_id).await?;
    let load = async { Ok::<_, AppError>(queries::contacts(&state.db, org_id).await?) };
    state.org_contacts.get_or_load(org_id, version, load).await
}

pub async fn contacts_for_editing() -> Result<(String, OrganisationContacts), AppError> {
    let user = guard::allowed(Capability::EditSafeInternetContacts).await?;
    let state = app_state()?;
    let slug = queries::slug_of(&state.db, &user.org_id).await?;
    Ok((slug, queries::contacts(&state.db, &user.org_id).await?))
}

fn short_field(label: &str, value: &str) -> Result<String, AppError> {
    let value = value.trim();
    if value.chars().count() > MAX_FIELD {
        return Err(AppError::invalid(format!(
            "{label}: use at most {MAX_FIELD} characters."
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(AppError::invalid(format!(
            "{label}: remove the special characters."
        )));
    }
    Ok(value.to_string())
}

/// One link per line, as `Title | https://address`.
pub fn parse_links(text: &str) -> Result<Vec<PolicyLink>, AppError> {
    let mut links = Vec::new();
    for (n, line) in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        let Some((title, url)) = line.split_once('|') else {
            return Err(AppError::invalid(format!(
                "Policy links, line {}: write the title, then ' | ', then the address.",
                n + 1
            )));
        };
        let (title, url) = (
            short_field("Policy link title", title)?,
            url.trim().to_string(),
        );
        if title.is_empty()
            || !url.starts_with("https://")
            || url.contains(char::is_whitespace)
            || url.len() > 500
        {
            return Err(AppError::invalid(format!(
                "Policy links, line {}: each needs a title and an address starting with https://",
                n + 1
            )));
        }
        links.push(PolicyLink { title, url });
    }
    if links.len() > MAX_LINKS {
        return Err(AppError::invalid(format!(
            "Policy links: at most {MAX_LINKS}."
        )));
    }
    Ok(links)
}

pub fn check_contacts(
    dsl_name: &str,
    dsl_phone: &str,
    dsl_email: &str,
    raise_concern: &str,
    policy_links: &str,
) -> Result<OrganisationContacts, AppError> {
    let dsl_name = short_field("The DSL's name", dsl_name)?;
    let dsl_phone = short_field("Phone", dsl_phone)?;
    if !dsl_phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +()-".contains(c))
    {
        return Err(AppError::invalid(
            "Phone: use digits, spaces and + ( ) - only, like 0161 496 0000.",
        ));
    }
    let dsl_email = short_field("Email", dsl_email)?;
    let dsl_email = if dsl_email.is_empty() {
        dsl_email
    } else {
        crate::auth::service::normalise_email(&dsl_email)?
    };
    let raise_concern = raise_concern.trim().replace("\r\n", "\n");
    if raise_concern.chars().count() > MAX_CONCERN_TEXT {
        return Err(AppError::invalid(format!(
            "How to raise a concern: use at most {MAX_CONCERN_TEXT} characters."
        )));
    }
    Ok(OrganisationContacts {
        dsl_name,
        dsl_phone,
        dsl_email,
        raise_concern,
        policy_links: parse_links(policy_links)?,
    })
}

pub async fn save_contacts(
    dsl_name: String,
    dsl_phone: String,
    dsl_email: String,
    raise_concern: String,
    policy_links: String,
) -> Result<(), AppError> {
    let user = guard::allowed(Capability::EditSafeInternetContacts).await?;
    let contacts = check_contacts(
        &dsl_name,
        &dsl_phone,
        &dsl_email,
        &raise_concern,
        &policy_links,
    )?;
    let state = app_state()?;
    let mut tx = crate::db::begin(&state.db).await?;
    queries::save(&mut tx, &user.org_id, &user.id, &contacts).await?;
    crate::audit::record(
        &mut tx,
        &user.org_id,
        Some(&user.id),
        crate::audit::Action::SafeInternetContactsSaved,
        None,
        "",
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/admin/safe-internet?saved=1");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_checked_field_by_field() {
        assert!(check_contacts(
            "Dee",
            "0161 496 0000",
            "dsl@x.test",
            "Tell us.",
            "Policy | https://x.test/p"
        )
        .is_ok());
        let e = check_contacts("Dee", "call me", "", "", "").unwrap_err();
        assert!(e.to_string().starts_with("Phone"));
        let e = check_contacts("Dee", "", "", "", "Policy | http://x.test").unwrap_err();
        assert!(e.to_string().contains("line 1"));
        let e = check_contacts("Dee", "", "", "", "no bar here").unwrap_err();
        assert!(e.to_string().contains("' | '"));
        let e = check_contacts("Dee", "", "nope", "", "").unwrap_err();
        assert!(e.to_string().contains("right format"));
    }
}

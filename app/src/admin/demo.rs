//! The demo organisation a new installation starts with, and the first administrator of
//! a real one.

use super::queries;
use crate::auth::password::{self, Password};
use crate::auth::Role;
use crate::db::Db;
use crate::error::AppError;

pub const DEMO_SLUG: &str = "demo";

/// The demo accounts: one per role.
pub fn demo_accounts() -> Vec<(String, &'static str, Role)> {
    [
        ("learner", "Alex Learner", Role::Learner),
        ("tutor", "Sam Tutor", Role::Tutor),
        ("staff", "Jordan Staff", Role::Staff),
        ("manager", "Priya Manager", Role::Manager),
        ("people", "Morgan People", Role::People),
        ("dsl", "Chris Safeguarding", Role::Dsl),
        ("admin", "Taylor Admin", Role::Admin),
    ]
    .into_iter()
    .map(|(local, name, role)| (format!("{local}@demo.test"), name, role))
    .collect()
}

/// On an empty database, create the demo organisation and its accounts. Returns whether
/// it did (false when any organisation already exists).
pub async fn seed_demo_if_empty(db: &Db, demo_password: &str) -> Result<bool, AppError> {
    if queries::organisation_count(db).await? > 0 {
        return Ok(false);
    }
    let hash = password::hash(Password::new(demo_password.to_string())).await?;
    let mut tx = crate::db::begin(db).await?;
    let org = queries::create_organisation(&mut tx, DEMO_SLUG, "Demo Training Provider").await?;
    let mut people = std::collections::HashMap::new();
    for (email, name, role) in demo_accounts() {
        let id = queries::insert_user(&mut tx, &org.id, &email, name, Some(&hash)).await?;
        queries::add_role(&mut tx, &org.id, &id, role).await?;
        people.insert(role, id.clone());
        if role == Role::Learner {
            // A 17-year-old, so the parent or carer side of the policy shows in the demo.
            let born = chrono::Utc::now()
                .date_naive()
                .checked_sub_months(chrono::Months::new(17 * 12))
                .map(|d| d.format("%Y-%m-%d").to_string());
            queries::set_date_of_birth(&mut tx, &org.id, &id, born.as_deref()).await?;
        }
    }
    if let (Some(tutor), Some(learner), Some(admin)) = (
        people.get(&Role::Tutor),
        people.get(&Role::Learner),
        people.get(&Role::Admin),
    ) {
        demo_cohort(&mut tx, &org.id, tutor, learner, admin).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// A cohort that started two weeks ago, taught by the demo tutor, with the demo learner.
async fn demo_cohort(
    tx: &mut sqlx::AnyConnection,
    org_id: &crate::ids::OrganisationId,
    tutor: &crate::ids::PersonId,
    learner: &crate::ids::PersonId,
    admin: &crate::ids::PersonId,
) -> Result<(), AppError> {
    use crate::calendar::{day_key, today};
    use crate::cohorts::queries as cohorts;
    let starts = today() - chrono::Days::new(14);
    let (due, ends) = (
        starts + chrono::Days::new(28),
        starts + chrono::Days::new(300),
    );
    let (starts, due, ends) = (day_key(starts), day_key(due), day_key(ends));
    let Some(cohort) =
        cohorts::insert_cohort(tx, org_id, "Demo cohort", &starts, &ends, admin).await?
    else {
        return Ok(());
    };
    cohorts::add_tutor(tx, org_id, &cohort, tutor, admin).await?;
    cohorts::enrol(tx, org_id, &cohort, learner, &starts, &due, admin).await?;
    Ok(())
}

/// Create (or promote) an administrator in an organisation, creating the organisation
/// when it does not exist yet. Returns whether the organisation was new.
pub async fn create_admin(
    db: &Db,
    slug: &str,
    email: &str,
    full_name: &str,
    new_password: &str,
) -> Result<bool, AppError> {
    let slug = slug.trim().to_lowercase();
    if slug.is_empty()
        || slug.len() > 60
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(AppError::invalid(
            "The organisation slug must be 1 to 60 letters a-z, digits or hyphens.",
        ));
    }
    let email = crate::auth::service::normalise_email(email)?;
    let full_name = super::service::check_full_name(full_name)?;
    password::check_new_password(new_password, new_password, &email)?;
    let hash = password::hash(Password::new(new_password.to_string())).await?;
    let existing_org = queries::organisation_by_slug(db, &slug).await?;
    let mut tx = crate::db::begin(db).await?;
    let (org, created) = match existing_org {
        Some(org) => (org, false),
        None => (
            queries::create_organisation(&mut tx, &slug, &slug).await?,
            true,
        ),
    };
    let existing = queries::account_with_email(&mut tx, &org.id, &email).await?;
    let user_id = match existing {
        Some(id) => {
            crate::auth::queries::set_password_hash(&mut tx, &id, &hash).await?;
            id
        }
        None => queries::insert_user(&mut tx, &org.id, &email, &full_name, Some(&hash)).await?,
    };
    queries::add_role(&mut tx, &org.id, &user_id, Role::Admin).await?;
    crate::audit::record(
        &mut tx,
        &org.id,
        None,
        crate::audit::Action::AdminCreated,
        Some(user_id.as_str()),
        "command line",
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

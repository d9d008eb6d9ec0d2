//! Accounts: signing in and out, passwords, emailed links, and the guard every server
//! function calls first.

pub mod access;
pub mod pages;
pub mod types;

#[cfg(feature = "ssr")]
pub mod guard;
#[cfg(feature = "ssr")]
pub mod links;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sign_in;

use crate::error::AppError;
use crate::ids::PersonId;
pub use access::Capability;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
pub use types::{CurrentUser, Role};

/// Signing in and out, passwords and the account page never wait for a policy.
pub const ROUTES: crate::routes::PartRoutes = crate::routes::PartRoutes {
    pages_open_before_signing: &[
        "/login",
        "/login/organisation",
        "/forgot-password",
        "/set-password",
        "/account",
    ],
    functions_open_before_signing: &["auth/"],
};

/// What the set-password page knows about the link it was opened with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkDetails {
    pub email: String,
    /// The organisation the account belongs to (one address may have one per organisation).
    pub organisation: String,
    pub invitation: bool,
}

#[server(endpoint = "auth/sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    crate::error::finish(sign_in::sign_in(email, password, next).await)
}

/// One organisation a sign-in may continue into, when an address and password open
/// accounts with several.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationChoice {
    pub account_id: PersonId,
    pub organisation: String,
}

#[server(endpoint = "auth/sign_in_choices")]
pub async fn sign_in_choices() -> Result<Vec<OrganisationChoice>, AppError> {
    crate::error::finish(sign_in::sign_in_choices().await)
}

#[server(endpoint = "auth/choose_organisation")]
pub async fn choose_organisation(account_id: PersonId) -> Result<(), AppError> {
    crate::error::finish(sign_in::choose_organisation(account_id).await)
}

#[server(endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::error::finish(service::sign_out().await)
}

/// The signed-in person, or nothing.
#[server(endpoint = "auth/me")]
pub async fn me() -> Result<Option<CurrentUser>, AppError> {
    crate::error::finish(guard::current_user().await)
}

#[server(endpoint = "auth/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    crate::error::finish(
        service::change_password(current_password, new_password, confirm_password).await,
    )
}

#[server(endpoint = "auth/request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    crate::error::finish(service::request_password_reset(email).await)
}

#[server(endpoint = "auth/check_link")]
pub async fn check_link(token: String) -> Result<LinkDetails, AppError> {
    crate::error::finish(service::link_details(token).await)
}

#[server(endpoint = "auth/set_password")]
pub async fn set_password(
    token: String,
    new_password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    crate::error::finish(
        service::set_password_with_link(token, new_password, confirm_password).await,
    )
}

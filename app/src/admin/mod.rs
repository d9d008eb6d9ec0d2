//! Administration of an organisation's people: list and search, invite, give and take
//! roles, deactivate (never delete: records keep their history).

pub mod pages;

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod service;

use crate::auth::Role;
use crate::error::AppError;
use crate::ids::PersonId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    /// Invited, no password chosen yet.
    Invited,
    Active,
    Deactivated,
}

impl UserStatus {
    pub fn label(self) -> &'static str {
        match self {
            UserStatus::Invited => "Invited",
            UserStatus::Active => "Active",
            UserStatus::Deactivated => "Deactivated",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: PersonId,
    pub email: String,
    pub full_name: String,
    /// `2009-05-14`, if recorded: tells who is under 18 (their parent or carer is asked
    /// to acknowledge the learner policy too).
    pub date_of_birth: Option<String>,
    pub roles: Vec<Role>,
    pub status: UserStatus,
}

/// One page of the organisation's people, and where it sits in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersPage {
    pub rows: Vec<UserRow>,
    pub paging: crate::people::Paging,
}

/// `page`: as typed in the address; anything but a number is page 1, past the end the last.
#[server(endpoint = "admin/list_users")]
pub async fn list_users(q: Option<String>, page: Option<String>) -> Result<UsersPage, AppError> {
    crate::error::finish(service::list_users(q, page).await)
}

#[server(endpoint = "admin/user")]
pub async fn user_details(user_id: PersonId) -> Result<UserRow, AppError> {
    crate::error::finish(service::user_details(user_id).await)
}

#[server(endpoint = "admin/invite_user")]
pub async fn invite_user(full_name: String, email: String, role: String) -> Result<(), AppError> {
    crate::error::finish(service::invite_user(full_name, email, role).await)
}

#[server(endpoint = "admin/grant_role")]
pub async fn grant_role(user_id: PersonId, role: String) -> Result<(), AppError> {
    crate::error::finish(service::grant_role(user_id, role).await)
}

#[server(endpoint = "admin/revoke_role")]
pub async fn revoke_role(user_id: PersonId, role: String) -> Result<(), AppError> {
    crate::error::finish(service::revoke_role(user_id, role).await)
}

#[server(endpoint = "admin/deactivate_user")]
pub async fn deactivate_user(user_id: PersonId) -> Result<(), AppError> {
    crate::error::finish(service::set_active(user_id, false).await)
}

#[server(endpoint = "admin/reactivate_user")]
pub async fn reactivate_user(user_id: PersonId) -> Result<(), AppError> {
    crate::error::finish(service::set_active(user_id, true).await)
}

#[server(endpoint = "admin/resend_invitation")]
pub async fn resend_invitation(user_id: PersonId) -> Result<(), AppError> {
    crate::error::finish(service::resend_invitation(user_id).await)
}

/// `date_of_birth` as `2009-05-14` (what a date field sends); empty clears it.
#[server(endpoint = "admin/set_date_of_birth")]
pub async fn set_date_of_birth(user_id: PersonId, date_of_birth: String) -> Result<(), AppError> {
    crate::error::finish(service::set_date_of_birth(user_id, date_of_birth).await)
}

//! Who a person is in the product: roles and the signed-in person.

use crate::ids::{OrganisationId, PersonId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Learner,
    Tutor,
    Staff,
    Manager,
    People,
    Dsl,
    Admin,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Learner,
        Role::Tutor,
        Role::Staff,
        Role::Manager,
        Role::People,
        Role::Dsl,
        Role::Admin,
    ];

    /// The stored and form value.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Learner => "learner",
            Role::Tutor => "tutor",
            Role::Staff => "staff",
            Role::Manager => "manager",
            Role::People => "people",
            Role::Dsl => "dsl",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == value.trim())
    }

    /// The name people use for the role.
    pub fn label(self) -> &'static str {
        match self {
            Role::Learner => "Learner",
            Role::Tutor => "Tutor",
            Role::Staff => "Staff",
            Role::Manager => "Line manager",
            Role::People => "People department",
            Role::Dsl => "Designated Safeguarding Lead",
            Role::Admin => "Administrator",
        }
    }
}

/// The signed-in person, as every guarded server function sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: PersonId,
    pub org_id: OrganisationId,
    pub org_name: String,
    pub email: String,
    pub full_name: String,
    pub roles: Vec<Role>,
}

impl CurrentUser {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Works for the provider (any role but learner): takes the staff module and signs
    /// the staff policy.
    pub fn is_staff(&self) -> bool {
        self.roles.iter().any(|r| *r != Role::Learner)
    }

    pub fn first_name(&self) -> &str {
        self.full_name.split_whitespace().next().unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_stored_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("superuser"), None);
    }
}

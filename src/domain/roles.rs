//! Staff roles. A user holds one or more; each back-office route names the roles it admits.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Inspector,
    TeamLead,
    Leadership,
    Custodian,
    Operator,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Inspector,
        Role::TeamLead,
        Role::Leadership,
        Role::Custodian,
        Role::Operator,
        Role::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Inspector => "inspector",
            Role::TeamLead => "team_lead",
            Role::Leadership => "leadership",
            Role::Custodian => "custodian",
            Role::Operator => "operator",
            Role::Auditor => "auditor",
        }
    }

    /// Catalogue key of the role's name.
    pub fn label_key(self) -> String {
        format!("role-{}", self.as_str().replace('_', "-"))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_stored_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
    }
}

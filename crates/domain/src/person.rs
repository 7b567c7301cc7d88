//! People: one login each, a membership (role, specialisation, active) per company.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::{CompanyId, UserId, Violation};

/// A normalised (trimmed, lowercased) email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses an address: one `@`, a non-empty local part, a dotted domain, ≤ 254 characters
    /// (characters, not bytes: an address in another script is as long as it reads).
    pub fn parse(field: &str, s: &str) -> Result<Self, Violation> {
        let e = s.trim().to_lowercase();
        let valid = e.chars().count() <= 254
            && e.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
            && !e.chars().any(|c| c.is_whitespace() || c.is_control());
        if valid { Ok(Self(e)) } else { Err(Violation::new(field, "invalid_email", "must be an email address")) }
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Shortest password accepted.
pub const PASSWORD_MIN_CHARS: usize = 8;
/// Longest password accepted (never truncated).
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Checks a new password: length only, no composition rules (ASVS 5 §6.2).
pub fn check_new_password(field: &str, password: &str) -> Result<(), Violation> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(Violation::new(field, "too_short", format!("must have at least {PASSWORD_MIN_CHARS} characters")));
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(Violation::new(field, "too_long", format!("must have at most {PASSWORD_MAX_CHARS} characters")));
    }
    Ok(())
}

/// What a person may do in a company. See `docs/PERMISSIONS.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Owns the company account; the only role that can make or unmake owners.
    Owner,
    /// Runs the company's Bosun: people, branding, audit.
    Admin,
    /// Fleet-wide operations: vessels, rotations.
    Manager,
    /// Maintains the vessels they are members of.
    Engineer,
    /// Works on the vessels they are members of.
    Crew,
    /// Reads the vessels they are members of.
    Viewer,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Self; 6] = [Self::Owner, Self::Admin, Self::Manager, Self::Engineer, Self::Crew, Self::Viewer];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::Manager => "manager",
            Self::Engineer => "engineer",
            Self::Crew => "crew",
            Self::Viewer => "viewer",
        }
    }

    /// Whether this role sees only the vessels the person is a member of.
    pub fn is_vessel_scoped(self) -> bool {
        matches!(self, Self::Engineer | Self::Crew | Self::Viewer)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Violation;
    fn from_str(s: &str) -> Result<Self, Violation> {
        Self::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            Violation::new("role", "unknown_value", "must be owner, admin, manager, engineer, crew or viewer")
        })
    }
}

/// A person's trade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Specialisation {
    /// Engines, pumps, shafts.
    Mechanical,
    /// Power generation and distribution.
    Electrical,
    /// Automation, navigation and communication equipment.
    Electronics,
    /// Hydraulic systems and cranes.
    Hydraulics,
    /// Deck machinery, mooring, cargo.
    Deck,
    /// Hull, structure, coatings.
    Hull,
    /// Safety and lifesaving equipment.
    Safety,
    /// No single trade.
    General,
}

impl Specialisation {
    /// Every specialisation.
    pub const ALL: [Self; 8] = [
        Self::Mechanical,
        Self::Electrical,
        Self::Electronics,
        Self::Hydraulics,
        Self::Deck,
        Self::Hull,
        Self::Safety,
        Self::General,
    ];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mechanical => "mechanical",
            Self::Electrical => "electrical",
            Self::Electronics => "electronics",
            Self::Hydraulics => "hydraulics",
            Self::Deck => "deck",
            Self::Hull => "hull",
            Self::Safety => "safety",
            Self::General => "general",
        }
    }
}

impl FromStr for Specialisation {
    type Err = Violation;
    fn from_str(s: &str) -> Result<Self, Violation> {
        Self::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            Violation::new(
                "specialisation",
                "unknown_value",
                "must be mechanical, electrical, electronics, hydraulics, deck, hull, safety or general",
            )
        })
    }
}

/// A person's login, shared by all their companies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Their id.
    pub id: UserId,
    /// Their login.
    pub email: Email,
    /// Their name.
    pub name: String,
    /// An argon2id PHC string.
    pub password_hash: String,
    /// When the login was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// A person's standing in one company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The company.
    pub company_id: CompanyId,
    /// The person.
    pub user_id: UserId,
    /// What they may do.
    pub role: Role,
    /// Their trade.
    pub specialisation: Option<Specialisation>,
    /// False once disabled: no login, sessions revoked.
    pub active: bool,
    /// Server sequence of its last change.
    pub version: i64,
    /// When they joined the company.
    pub created_at: DateTime<Utc>,
    /// When the membership last changed.
    pub updated_at: DateTime<Utc>,
}

/// A person as a company sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The login.
    pub user: User,
    /// The standing.
    pub membership: Membership,
}

/// A person on a vessel's rotation, as the company sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrewMember {
    /// The person.
    pub member: Member,
    /// Their place on the vessel: department and rotation dates.
    pub rotation: crate::vessel::VesselMember,
}

/// Why a role change is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleChangeError {
    /// Only an owner makes or unmakes owners.
    #[error("only an owner can grant or remove the owner role")]
    OwnerOnly,
    /// A company keeps at least one active owner.
    #[error("the company must keep at least one active owner")]
    LastOwner,
}

/// Decides whether `actor` may move a person from `from` to `to`.
pub fn check_role_change(actor: Role, from: Role, to: Role) -> Result<(), RoleChangeError> {
    if (from == Role::Owner || to == Role::Owner) && from != to && actor != Role::Owner {
        return Err(RoleChangeError::OwnerOnly);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse("email", "  Ana@Ship.Example ").unwrap().as_str(), "ana@ship.example");
        for bad in ["", "ana", "ana@", "@ship.example", "ana@ship", "a b@ship.example", "a@b@c.d", "ana@.example"] {
            assert!(Email::parse("email", bad).is_err(), "{bad:?}");
        }
        // The length is counted in characters, as the OpenAPI document's `maxLength` counts it.
        assert!(Email::parse("email", &format!("{}@ship.example", "é".repeat(240))).is_ok());
        assert!(Email::parse("email", &format!("{}@ship.example", "a".repeat(242))).is_err());
    }

    #[test]
    fn passwords_have_length_rules_only() {
        assert!(check_new_password("password", "short").is_err());
        assert!(check_new_password("password", "alllowercase").is_ok());
        assert!(check_new_password("password", &"x".repeat(64)).is_ok());
        assert!(check_new_password("password", &"x".repeat(129)).is_err());
    }

    #[test]
    fn only_owners_grant_or_remove_owner() {
        assert_eq!(check_role_change(Role::Admin, Role::Crew, Role::Owner), Err(RoleChangeError::OwnerOnly));
        assert_eq!(check_role_change(Role::Admin, Role::Owner, Role::Crew), Err(RoleChangeError::OwnerOnly));
        assert!(check_role_change(Role::Owner, Role::Crew, Role::Owner).is_ok());
        assert!(check_role_change(Role::Admin, Role::Crew, Role::Engineer).is_ok());
    }

    #[test]
    fn roles_round_trip_through_text() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("superuser".parse::<Role>().is_err());
    }
}

crate::serde_as_text!(Role, Specialisation);

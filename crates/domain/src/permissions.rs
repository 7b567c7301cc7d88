//! Who may do what: the role × action table. `docs/PERMISSIONS.md` shows the same table and a
//! test keeps the two equal; the API test walks every route with every role against it.

use crate::person::Role;

/// Something a person asks Bosun to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read one's own profile and company.
    MeRead,
    /// Change the company's branding.
    BrandingUpdate,
    /// Read vessels (vessel-scoped roles: only their own).
    VesselRead,
    /// Register a vessel.
    VesselCreate,
    /// Change a vessel.
    VesselUpdate,
    /// Add a department to a vessel.
    DepartmentCreate,
    /// Record one's own rotation on a vessel one belongs to.
    RotationJoinSelf,
    /// Put another person on a vessel's rotation.
    RotationAssign,
    /// List the company's people.
    UserList,
    /// Add a person to the company.
    UserCreate,
    /// Change a person's name, role, specialisation or active flag.
    UserUpdate,
    /// Read the audit trail.
    AuditRead,
}

impl Action {
    /// Every action, in the order of `docs/PERMISSIONS.md`.
    pub const ALL: [Self; 12] = [
        Self::MeRead,
        Self::BrandingUpdate,
        Self::VesselRead,
        Self::VesselCreate,
        Self::VesselUpdate,
        Self::DepartmentCreate,
        Self::RotationJoinSelf,
        Self::RotationAssign,
        Self::UserList,
        Self::UserCreate,
        Self::UserUpdate,
        Self::AuditRead,
    ];

    /// The name used in `docs/PERMISSIONS.md`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MeRead => "me.read",
            Self::BrandingUpdate => "company.branding.update",
            Self::VesselRead => "vessel.read",
            Self::VesselCreate => "vessel.create",
            Self::VesselUpdate => "vessel.update",
            Self::DepartmentCreate => "department.create",
            Self::RotationJoinSelf => "rotation.join_self",
            Self::RotationAssign => "rotation.assign",
            Self::UserList => "user.list",
            Self::UserCreate => "user.create",
            Self::UserUpdate => "user.update",
            Self::AuditRead => "audit.read",
        }
    }
}

impl Role {
    /// Whether this role may perform `action` at all (vessel scope is checked separately).
    pub fn may(self, action: Action) -> bool {
        use Action::*;
        use Role::*;
        match action {
            MeRead | VesselRead => true,
            BrandingUpdate | UserCreate | UserUpdate | AuditRead => matches!(self, Owner | Admin),
            VesselCreate | VesselUpdate | DepartmentCreate | RotationAssign | UserList => {
                matches!(self, Owner | Admin | Manager)
            }
            RotationJoinSelf => !matches!(self, Viewer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vessel_scoped_roles_cannot_administer() {
        for role in [Role::Engineer, Role::Crew, Role::Viewer] {
            for action in [Action::BrandingUpdate, Action::UserCreate, Action::AuditRead, Action::VesselCreate] {
                assert!(!role.may(action), "{role} may {action:?}");
            }
        }
    }

    #[test]
    fn everyone_reads_themselves_and_their_vessels() {
        for role in Role::ALL {
            assert!(role.may(Action::MeRead) && role.may(Action::VesselRead));
        }
    }
}

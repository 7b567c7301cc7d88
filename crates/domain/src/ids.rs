//! Newtype ids. Every id is a UUIDv7 so that offline clients can create rows and the ids sort
//! by creation time (cursor pagination relies on that).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }
    )*};
}

id_type!(
    /// A tenant: one company and everything it owns.
    CompanyId,
    /// A person with one login, possibly a member of several companies.
    UserId,
    /// A vessel, site or project.
    VesselId,
    /// A department of a vessel (engine, deck, ...).
    DepartmentId,
    /// One refresh token of a session family.
    RefreshTokenId,
    /// A session family: every refresh token descended from one login.
    SessionFamilyId,
    /// An audit entry.
    AuditId,
    /// An item of equipment (system, equipment or component).
    EquipmentId,
    /// A fault report.
    FaultId,
    /// A comment on a fault.
    CommentId,
    /// A parts order.
    PartsOrderId,
    /// A completed handover.
    HandoverId,
    /// A stored file (photo, document).
    AttachmentId,
    /// An invitation to join a company.
    InvitationId,
    /// A password reset asked for by e-mail.
    PasswordResetId,
    /// An API key of a company.
    ApiKeyId,
);

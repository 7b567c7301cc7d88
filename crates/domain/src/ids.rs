//! Newtype ids. Every id is a UUIDv7 so that offline clients can create rows and the ids sort
//! by creation time (cursor pagination relies on that).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where new ids and random bytes come from: injected like the [`crate::Clock`], so that no use
/// case reads the wall clock or the operating system's randomness itself. The composition root
/// chooses the source; `clippy.toml` refuses `Uuid::now_v7`, `Utc::now` and `rand::rng`
/// elsewhere.
pub trait IdSource: Send + Sync + 'static {
    /// A fresh UUIDv7 (time-ordered: cursor pagination relies on that).
    fn uuid(&self) -> Uuid;
    /// Fills `bytes` from a cryptographically secure source (secrets, tokens, QR codes).
    fn fill(&self, bytes: &mut [u8]);
}

impl dyn IdSource {
    /// A fresh id of any id type.
    pub fn id<T: From<Uuid>>(&self) -> T {
        T::from(self.uuid())
    }

    /// A random `u64`.
    pub fn random_u64(&self) -> u64 {
        let mut b = [0u8; 8];
        self.fill(&mut b);
        u64::from_le_bytes(b)
    }
}

/// Ids and bytes that are the same on every run, for tests: UUIDv7 whose time counts up one
/// millisecond per id from a fixed start, and bytes from a small seeded generator
/// (SplitMix64). Never for secrets that leave a test.
#[derive(Debug)]
pub struct SeqIds(std::sync::Mutex<(u64, u64)>);

impl SeqIds {
    /// A source seeded with `seed`, its first id at 2026-01-01T00:00:00Z.
    pub fn new(seed: u64) -> Self {
        Self(std::sync::Mutex::new((1_767_225_600_000, seed)))
    }

    fn next_u64(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl IdSource for SeqIds {
    fn uuid(&self) -> Uuid {
        let mut g = self.0.lock().unwrap_or_else(|p| p.into_inner());
        g.0 += 1;
        let ms = g.0;
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&Self::next_u64(&mut g.1).to_le_bytes());
        random[8..].copy_from_slice(&Self::next_u64(&mut g.1).to_le_bytes()[..2]);
        uuid::Builder::from_unix_timestamp_millis(ms, &random).into_uuid()
    }

    fn fill(&self, bytes: &mut [u8]) {
        let mut g = self.0.lock().unwrap_or_else(|p| p.into_inner());
        for chunk in bytes.chunks_mut(8) {
            let v = Self::next_u64(&mut g.1).to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh time-ordered id from the wall clock, for tests and tools: use cases take
            /// theirs from the injected [`IdSource`].
            #[allow(clippy::disallowed_methods, clippy::new_without_default)]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
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
    /// A work order: planned or corrective work on one item.
    WorkOrderId,
    /// A reusable procedure (checklist template) of a company.
    ProcedureId,
    /// One step of a procedure, or of the copy a work order carries.
    StepId,
    /// One recorded answer to a work order's step (insert-only).
    StepResultId,
    /// One labour entry on a work order (insert-only).
    LabourEntryId,
    /// A preventive maintenance plan of one item.
    MaintenancePlanId,
    /// A postponement of a plan's occurrence (insert-only).
    PostponementId,
    /// A part of the company's spare parts catalogue.
    PartId,
    /// A stock location on a vessel (a store room, a shelf, a container).
    StockLocationId,
    /// One entry of the stock ledger (insert-only).
    StockEntryId,
    /// The on-hand balance of one part at one location (server-written).
    StockBalanceId,
    /// A part's minimum and reorder quantity on one vessel.
    StockRuleId,
    /// A transfer of parts between locations or vessels.
    TransferId,
    /// A requisition: parts asked for, to be approved and ordered.
    RequisitionId,
    /// A supplier of the company.
    SupplierId,
    /// A purchase order to a supplier.
    PurchaseOrderId,
    /// A line of a purchase order.
    PurchaseOrderLineId,
    /// A receipt of goods against a purchase order (insert-only).
    ReceiptId,
    /// An assignment of an item to an operator for a period.
    AssignmentId,
    /// An operator's daily report on one item.
    DailyReportId,
    /// One submission of a daily report (insert-only).
    ReportRevisionId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequential_ids_are_version_7_ordered_and_repeat_with_their_seed() {
        let (a, b) = (SeqIds::new(7), SeqIds::new(7));
        let ids: Vec<Uuid> = (0..3).map(|_| a.uuid()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert!(ids.iter().all(|i| i.get_version_num() == 7));
        assert_eq!(ids, (0..3).map(|_| b.uuid()).collect::<Vec<_>>());
        let (mut x, mut y) = ([0u8; 13], [0u8; 13]);
        a.fill(&mut x);
        a.fill(&mut y);
        assert_ne!(x, y);
    }
}

//! Crew rotation handovers: what the outgoing person passes on, frozen when completed.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{CompanyId, HandoverId, UserId, VesselId};

/// A completed handover: an immutable snapshot (JSON text) of what was handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    /// Its id.
    pub id: HandoverId,
    /// Its company.
    pub company_id: CompanyId,
    /// The vessel.
    pub vessel_id: VesselId,
    /// Who handed over.
    pub outgoing_user_id: UserId,
    /// The last day of the outgoing rotation.
    pub rotation_end: NaiveDate,
    /// Open faults, parts on order, running-hour changes and notes, as assembled at completion.
    pub snapshot: String,
    /// When it was completed.
    pub completed_at: DateTime<Utc>,
    /// Who took it over.
    pub acknowledged_by: Option<UserId>,
    /// When.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Server sequence of its last change.
    pub version: i64,
}

/// The outgoing person's notes while the handover is being prepared.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HandoverDraft {
    /// Free text.
    pub notes: String,
    /// Notes per item, keyed by `fault:{id}` or `parts_order:{id}` (a JSON object, as text).
    pub item_notes: String,
}

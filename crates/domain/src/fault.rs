//! Faults: what crews report, and the lifecycle they go through until closed.
//!
//! ```text
//! open → acknowledged → in_progress ⇄ awaiting_parts
//!              \             |           /
//!               └──────→ resolved ←─────┘ → closed
//! resolved | closed → open (reopen)
//! ```
//!
//! Time to repair (for MTTR) runs from the report — the time the crew observed and reported
//! the fault, which may be earlier than the server received it — to the resolution. A reopened
//! fault keeps counting from its original report when it is resolved again.

use chrono::{DateTime, Utc};

use crate::equipment::text_enum;
use crate::{CommentId, CompanyId, EquipmentId, FaultId, UserId, VesselId, Violation};

text_enum!(
    /// How bad a fault is.
    Severity, "severity", {
        /// Cosmetic or minor.
        Low => "low",
        /// Needs attention soon.
        Medium => "medium",
        /// Impairs operations.
        High => "high",
        /// Safety, environment or operations at stake; marks its equipment down.
        Critical => "critical",
    }
);

text_enum!(
    /// Where a fault stands.
    FaultStatus, "status", {
        /// Reported, not yet seen by the responsible people.
        Open => "open",
        /// Seen and accepted.
        Acknowledged => "acknowledged",
        /// Being worked on.
        InProgress => "in_progress",
        /// Waiting for parts.
        AwaitingParts => "awaiting_parts",
        /// Repaired, with root cause and resolution.
        Resolved => "resolved",
        /// Checked and closed.
        Closed => "closed",
    }
);

impl FaultStatus {
    /// Whether the fault still needs work (not resolved or closed).
    pub fn is_unresolved(self) -> bool {
        !matches!(self, Self::Resolved | Self::Closed)
    }

    /// How far along its lifecycle the status is, for concurrent offline moves: a move to a
    /// lower rank than the status a concurrent writer set never applies (a stale offline edit
    /// never takes a fault back). `in_progress` and `awaiting_parts` share a rank.
    pub fn rank(self) -> u8 {
        match self {
            Self::Open => 0,
            Self::Acknowledged => 1,
            Self::InProgress | Self::AwaitingParts => 2,
            Self::Resolved => 3,
            Self::Closed => 4,
        }
    }
}

/// Why a transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultError {
    /// Work starts only after acknowledgement.
    #[error("the fault must be acknowledged first")]
    NotAcknowledged,
    /// The move is not in the lifecycle.
    #[error("a fault cannot go from {from} to {to}")]
    InvalidTransition {
        /// Current status.
        from: FaultStatus,
        /// Requested status.
        to: FaultStatus,
    },
}

impl FaultError {
    /// A stable code for API answers.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotAcknowledged => "fault_not_acknowledged",
            Self::InvalidTransition { .. } => "invalid_transition",
        }
    }
}

/// Checks a move from `from` to `to`. Resolving goes through [`FaultStatus::Resolved`] here
/// too; the resolve use case adds root cause and resolution.
pub fn check_transition(from: FaultStatus, to: FaultStatus) -> Result<(), FaultError> {
    use FaultStatus::*;
    let ok = matches!(
        (from, to),
        (Open, Acknowledged)
            | (Acknowledged, InProgress)
            | (Acknowledged | InProgress | AwaitingParts, Resolved)
            | (InProgress, AwaitingParts)
            | (AwaitingParts, InProgress)
            | (Resolved, Closed)
            | (Resolved | Closed, Open)
    );
    match (ok, from, to) {
        (true, ..) => Ok(()),
        (false, Open, InProgress | AwaitingParts | Resolved) => Err(FaultError::NotAcknowledged),
        (false, ..) => Err(FaultError::InvalidTransition { from, to }),
    }
}

/// A reported fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// Its id (client-made when reported offline).
    pub id: FaultId,
    /// Its company.
    pub company_id: CompanyId,
    /// The vessel of its equipment.
    pub vessel_id: VesselId,
    /// The faulty item.
    pub equipment_id: EquipmentId,
    /// How bad.
    pub severity: Severity,
    /// Where it stands.
    pub status: FaultStatus,
    /// One line.
    pub title: String,
    /// What was seen.
    pub description: String,
    /// Who reported it.
    pub reported_by: UserId,
    /// When the crew observed and reported it (may precede receipt: offline reports).
    pub observed_at: DateTime<Utc>,
    /// When the server received it.
    pub received_at: DateTime<Utc>,
    /// When it was acknowledged.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Who holds it.
    pub assignee_id: Option<UserId>,
    /// When it was (last) resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Who resolved it.
    pub resolved_by: Option<UserId>,
    /// Why it failed.
    pub root_cause: Option<String>,
    /// What was done.
    pub resolution: Option<String>,
    /// Seconds from report to (last) resolution.
    pub repair_seconds: Option<i64>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Server sequence of its last change.
    pub version: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A fault as its reporter gives it, before it is stored.
#[derive(Debug, Clone)]
pub struct NewFault {
    /// Its id (client-made when reported offline).
    pub id: FaultId,
    /// Its company.
    pub company_id: CompanyId,
    /// The vessel of its equipment.
    pub vessel_id: VesselId,
    /// The faulty item.
    pub equipment_id: EquipmentId,
    /// How bad.
    pub severity: Severity,
    /// One line.
    pub title: String,
    /// What was seen.
    pub description: String,
    /// Who reports it.
    pub reported_by: UserId,
    /// When the crew observed it.
    pub observed_at: DateTime<Utc>,
    /// When the server received it (also its creation time).
    pub received_at: DateTime<Utc>,
}

/// The lifecycle. Each move checks [`check_transition`] and answers the fault after it
/// (versions and `updated_at` are the store's to set); the use cases and the demo fleet's
/// history both move faults only through these.
impl Fault {
    /// A new open fault.
    pub fn report(n: NewFault) -> Self {
        Self {
            id: n.id,
            company_id: n.company_id,
            vessel_id: n.vessel_id,
            equipment_id: n.equipment_id,
            severity: n.severity,
            status: FaultStatus::Open,
            title: n.title,
            description: n.description,
            reported_by: n.reported_by,
            observed_at: n.observed_at,
            received_at: n.received_at,
            acknowledged_at: None,
            assignee_id: None,
            resolved_at: None,
            resolved_by: None,
            root_cause: None,
            resolution: None,
            repair_seconds: None,
            closed_at: None,
            version: 0,
            created_at: n.received_at,
            updated_at: n.received_at,
        }
    }

    /// Acknowledged at `at`.
    pub fn acknowledge(&self, at: DateTime<Utc>) -> Result<Self, FaultError> {
        check_transition(self.status, FaultStatus::Acknowledged)?;
        Ok(Self { status: FaultStatus::Acknowledged, acknowledged_at: Some(at), ..self.clone() })
    }

    /// Moved to `in_progress` or `awaiting_parts` (or any other move that records nothing
    /// besides the status).
    pub fn move_to(&self, to: FaultStatus) -> Result<Self, FaultError> {
        check_transition(self.status, to)?;
        Ok(Self { status: to, ..self.clone() })
    }

    /// Resolved by `by` at `at`, with its repair time from the original report.
    pub fn resolve(
        &self,
        by: UserId,
        root_cause: String,
        resolution: String,
        at: DateTime<Utc>,
    ) -> Result<Self, FaultError> {
        check_transition(self.status, FaultStatus::Resolved)?;
        Ok(Self {
            status: FaultStatus::Resolved,
            resolved_at: Some(at),
            resolved_by: Some(by),
            root_cause: Some(root_cause),
            resolution: Some(resolution),
            repair_seconds: Some(repair_seconds(self.observed_at, at)),
            ..self.clone()
        })
    }

    /// Closed at `at` (after resolution).
    pub fn close(&self, at: DateTime<Utc>) -> Result<Self, FaultError> {
        check_transition(self.status, FaultStatus::Closed)?;
        Ok(Self { status: FaultStatus::Closed, closed_at: Some(at), ..self.clone() })
    }

    /// Reopened: not repaired any more, and to be acknowledged again. Its next resolution
    /// counts repair time from the original report again.
    pub fn reopen(&self) -> Result<Self, FaultError> {
        check_transition(self.status, FaultStatus::Open)?;
        Ok(Self {
            status: FaultStatus::Open,
            acknowledged_at: None,
            resolved_at: None,
            resolved_by: None,
            root_cause: None,
            resolution: None,
            repair_seconds: None,
            closed_at: None,
            ..self.clone()
        })
    }
}

/// A comment on a fault (insert-only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Its id.
    pub id: CommentId,
    /// Its company.
    pub company_id: CompanyId,
    /// The fault.
    pub fault_id: FaultId,
    /// Who wrote it.
    pub author_id: UserId,
    /// The text.
    pub body: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Seconds from report to resolution (never negative: a clock skewed on a phone cannot make
/// repairs take less than nothing).
pub fn repair_seconds(reported_at: DateTime<Utc>, resolved_at: DateTime<Utc>) -> i64 {
    (resolved_at - reported_at).num_seconds().max(0)
}

/// Checks an observed time sent by a client: not in the future beyond a small skew, not absurdly old.
pub fn check_observed_at(observed: DateTime<Utc>, received: DateTime<Utc>) -> Result<(), Violation> {
    if observed > received + chrono::Duration::minutes(5) {
        return Err(Violation::new("observed_at", "in_the_future", "must not be in the future"));
    }
    if observed < received - chrono::Duration::days(365) {
        return Err(Violation::new("observed_at", "too_old", "must be within the last year"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::FaultStatus::*;
    use super::*;

    #[test]
    fn the_happy_path_is_allowed() {
        for (a, b) in [
            (Open, Acknowledged),
            (Acknowledged, InProgress),
            (InProgress, AwaitingParts),
            (AwaitingParts, InProgress),
            (InProgress, Resolved),
            (Resolved, Closed),
            (Closed, Open),
            (Resolved, Open),
        ] {
            assert_eq!(check_transition(a, b), Ok(()), "{a} → {b}");
        }
    }

    #[test]
    fn resolving_an_unacknowledged_fault_is_rejected() {
        assert_eq!(check_transition(Open, Resolved), Err(FaultError::NotAcknowledged));
        assert_eq!(check_transition(Open, InProgress), Err(FaultError::NotAcknowledged));
    }

    #[test]
    fn moves_outside_the_lifecycle_are_rejected() {
        for (a, b) in [
            (Closed, Resolved),
            (Resolved, InProgress),
            (Open, Open),
            (Closed, Closed),
            (Acknowledged, Open),
            (AwaitingParts, Closed),
        ] {
            assert!(matches!(check_transition(a, b), Err(FaultError::InvalidTransition { .. })), "{a} → {b}");
        }
    }

    #[test]
    fn repair_time_is_never_negative() {
        let t = Utc::now();
        assert_eq!(repair_seconds(t, t + chrono::Duration::hours(2)), 7200);
        assert_eq!(repair_seconds(t, t - chrono::Duration::hours(2)), 0);
    }

    #[test]
    fn observed_times_are_bounded() {
        let now = Utc::now();
        assert!(check_observed_at(now - chrono::Duration::days(3), now).is_ok());
        assert!(check_observed_at(now + chrono::Duration::hours(1), now).is_err());
        assert!(check_observed_at(now - chrono::Duration::days(400), now).is_err());
    }
}

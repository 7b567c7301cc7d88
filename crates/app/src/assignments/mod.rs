//! Equipment assignments (issue 12 §4, `bosun_domain::assignment`): a planner books an item to
//! an operator for a half-open period on the item's site (its vessel); the operator accepts
//! or declines. Operators' daily reports are in [`reports`].
//!
//! Rules kept here (also in `docs/ARCHITECTURE.md`, "Assignments and daily reports"):
//! - every write is a mutator under the item's vessel scope lock, which serialises every
//!   booking of the item on both backends, so the double-booking check cannot race;
//! - proposed and accepted assignments hold the item; a second booking overlapping one is
//!   `double_booked`; the operator's other bookings at the same time are a warning only;
//! - only the operator answers (`not_the_operator`), once, while proposed; cancelling releases
//!   the item; a retry of the same write answers the stored row.

pub mod reports;

use bosun_domain::assignment::{Assignment, AssignmentError, AssignmentStatus, Period, check_double_booking};
use bosun_domain::clock::to_micros;
use bosun_domain::equipment::EquipmentStatus;
use bosun_domain::permissions::Action;
use bosun_domain::person::Role;
use bosun_domain::{AssignmentId, EquipmentId, UserId, VesselId, Violation, check_text};
use bosun_store::{AssignmentFilter, Page, StoredAssignment, Tx};
use chrono::{DateTime, Datelike, Utc};
use serde::Deserialize;
use serde_json::json;

use crate::realtime::LiveEvent;
use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Deps, Error, Result, Violations, id_race, id_taken, vessel_change};

/// The statuses that hold an item for their period.
pub const HOLDING: [AssignmentStatus; 2] = [AssignmentStatus::Proposed, AssignmentStatus::Accepted];

/// Books an item to an operator (`assign_equipment.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignEquipment {
    /// Client-made UUIDv7; a new one when absent.
    #[serde(default)]
    pub id: Option<AssignmentId>,
    /// The item (its vessel or site is the assignment's).
    pub equipment_id: EquipmentId,
    /// The operator: an active person of the company who reaches the item's site.
    pub operator_id: UserId,
    /// First instant of the period.
    pub starts_at: DateTime<Utc>,
    /// First instant after it (at most 366 days later).
    pub ends_at: DateTime<Utc>,
    /// Where on the site, what for; up to 500 characters.
    #[serde(default)]
    pub note: String,
}

/// Accepts or declines an assignment, as its operator (`answer_assignment.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerAssignment {
    /// The assignment.
    pub assignment_id: AssignmentId,
    /// True to accept, false to decline.
    pub accept: bool,
    /// Why not, when declining; up to 500 characters.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Withdraws an assignment (`cancel_assignment.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelAssignment {
    /// The assignment.
    pub assignment_id: AssignmentId,
}

/// An assignment as a write answers it.
#[derive(Debug, Clone)]
pub struct SavedAssignment {
    /// The assignment.
    pub row: StoredAssignment,
    /// False when the same write had been received before.
    pub created: bool,
    /// The operator's other bookings overlapping this one (a warning: one operator may mind
    /// two machines).
    pub operator_overlaps: Vec<AssignmentId>,
}

mutator!(AssignEquipment, "assign_equipment.v1", SavedAssignment, |app, uow, actor, m| {
    app.assignments.assign(uow, actor, m).await
});
mutator!(AnswerAssignment, "answer_assignment.v1", StoredAssignment, |app, uow, actor, m| {
    app.assignments.answer(uow, actor, m).await
});
mutator!(CancelAssignment, "cancel_assignment.v1", StoredAssignment, |app, uow, actor, m| {
    app.assignments.cancel(uow, actor, m).await
});

/// An assignment's fields as its change-log row carries them.
pub fn assignment_json(s: &StoredAssignment) -> serde_json::Value {
    let a = &s.assignment;
    json!({
        "id": a.id, "vessel_id": a.vessel_id, "equipment_id": a.equipment_id, "operator_id": a.operator_id,
        "starts_at": a.period.start, "ends_at": a.period.end, "note": s.note, "status": a.status.as_str(),
        "decline_reason": a.decline_reason, "assigned_by": s.assigned_by, "answered_at": s.answered_at,
        "cancelled_by": s.cancelled_by, "updated_at": s.updated_at,
    })
}

/// The live event for an assignment's change (no note: it may name people).
fn event(s: &StoredAssignment, kind: &str) -> LiveEvent {
    let a = &s.assignment;
    LiveEvent {
        company_id: s.company_id,
        vessel_id: Some(a.vessel_id),
        kind: kind.into(),
        entity_id: a.id.0,
        summary: json!({
            "id": a.id, "equipment_id": a.equipment_id, "operator_id": a.operator_id, "status": a.status.as_str(),
            "starts_at": a.period.start, "ends_at": a.period.end,
        }),
        at: s.updated_at,
    }
}

fn refused(e: AssignmentError) -> Error {
    Error::Conflict { code: e.code(), message: e.to_string() }
}

/// An instant a booking may start or end at: the years 1970 to 2200 (what both backends
/// compare and store alike).
fn check_instant(field: &str, at: DateTime<Utc>) -> std::result::Result<DateTime<Utc>, Violation> {
    if (1970..=2200).contains(&at.year()) {
        Ok(to_micros(at))
    } else {
        Err(Violation::new(field, "out_of_range", "must be between the years 1970 and 2200"))
    }
}

/// Assignment use cases.
#[derive(Clone)]
pub struct AssignmentService {
    /// The store, clock and ids it works with.
    pub deps: Deps,
}

impl AssignmentService {
    /// The assignment, when the caller sees its vessel; else `NotFound`.
    async fn visible(&self, tx: &mut Box<dyn Tx>, actor: &Actor, id: AssignmentId) -> Result<StoredAssignment> {
        let a = tx.assignment(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, a.assignment.vessel_id).await? {
            return Err(Error::NotFound);
        }
        Ok(a)
    }

    /// An active person who may operate equipment on `vessel`: not a viewer, and reaching the
    /// vessel when their role is vessel-scoped.
    async fn check_operator(
        &self,
        tx: &mut Box<dyn Tx>,
        actor: &Actor,
        vessel: VesselId,
        operator: UserId,
    ) -> Result<()> {
        let Some(m) = tx.membership(actor.company_id, operator).await?.filter(|m| m.active) else {
            return Err(
                Violation::new("operator_id", "unknown_person", "is not an active person of this company").into()
            );
        };
        if m.role == Role::Viewer {
            return Err(
                Violation::new("operator_id", "not_an_operator", "a viewer cannot be assigned equipment").into()
            );
        }
        if m.role.is_vessel_scoped() && !self.deps.person_reaches(tx, actor, operator, vessel).await? {
            return Err(
                Violation::new("operator_id", "not_on_vessel", "is not on the rotation of the item's site").into()
            );
        }
        Ok(())
    }

    async fn assign(&self, uow: &mut UnitOfWork, actor: &Actor, m: &AssignEquipment) -> Result<SavedAssignment> {
        let company = actor.company_id;
        let member = self.deps.reach(actor);
        let (item, _) = uow.tx.equipment_seen(company, m.equipment_id, member).await?.ok_or(Error::NotFound)?;
        actor.permit_new(Action::AssignmentManage, "assignment", m.id)?;
        let mut v = Violations::default();
        let start = v.check(check_instant("starts_at", m.starts_at));
        let end = v.check(check_instant("ends_at", m.ends_at));
        let note = v.check(check_text("note", &m.note, 0, 500));
        v.finish()?;
        let (Some(start), Some(end), Some(note)) = (start, end, note) else {
            return Err(Error::Internal("checked assignment fields".into()));
        };
        let period =
            Period::parse(start, end).map_err(|v| Error::Invalid(vec![Violation { field: "ends_at".into(), ..v }]))?;
        self.check_operator(&mut uow.tx, actor, item.vessel_id, m.operator_id).await?;
        let id = m.id.unwrap_or_else(|| self.deps.ids.id());
        uow.tx.lock_scope(company, &format!("vessel:{}", item.vessel_id)).await?;
        if let Some(existing) = uow.tx.assignment(company, id).await? {
            let a = &existing.assignment;
            let same = a.equipment_id == item.id
                && a.operator_id == m.operator_id
                && a.period == period
                && existing.note == note
                && existing.assigned_by == actor.user_id;
            return if same {
                Ok(SavedAssignment { row: existing, created: false, operator_overlaps: Vec::new() })
            } else {
                Err(id_taken("assignment", id))
            };
        }
        if item.status == EquipmentStatus::Decommissioned {
            return Err(Error::Conflict {
                code: "decommissioned",
                message: format!("{} is decommissioned and cannot be assigned", item.name),
            });
        }
        let now = self.deps.clock.now();
        let assignment = Assignment {
            id,
            equipment_id: item.id,
            vessel_id: item.vessel_id,
            operator_id: m.operator_id,
            period,
            status: AssignmentStatus::Proposed,
            decline_reason: None,
        };
        let booked = uow.tx.item_bookings(company, item.id, &HOLDING, start, end).await?;
        let booked: Vec<Assignment> = booked.into_iter().map(|b| b.assignment).collect();
        check_double_booking(&assignment, &booked).map_err(|e| match e {
            AssignmentError::DoubleBooked { existing } => {
                let clash = booked.iter().find(|b| b.id == existing);
                Error::Conflict {
                    code: "double_booked",
                    message: match clash {
                        Some(b) => format!(
                            "{} is already assigned from {} to {} (assignment {})",
                            item.name,
                            b.period.start.format("%Y-%m-%d %H:%M"),
                            b.period.end.format("%Y-%m-%d %H:%M"),
                            b.id
                        ),
                        None => e.to_string(),
                    },
                }
            }
            e => refused(e),
        })?;
        let theirs = uow.tx.operator_bookings(company, m.operator_id, &HOLDING, start, end).await?;
        let operator_overlaps = theirs.iter().map(|b| b.assignment.id).filter(|b| *b != id).collect();
        let mut row = StoredAssignment {
            company_id: company,
            assignment,
            note,
            assigned_by: actor.user_id,
            answered_at: None,
            cancelled_by: None,
            version: 0,
            created_at: now,
            updated_at: now,
        };
        let fields = assignment_json(&row);
        let change = vessel_change(item.vessel_id, "assignment", id.0, "insert", fields.clone(), now);
        row.version = uow.tx.record_change(company, &change).await?;
        uow.tx.insert_assignment(&row).await.map_err(id_race)?;
        self.deps
            .audit(
                &mut uow.tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("assignment.create", "assignment", id).after(fields),
            )
            .await?;
        uow.publish(event(&row, "assignment.proposed"));
        Ok(SavedAssignment { row, created: true, operator_overlaps })
    }

    /// The assignment under its vessel's lock, for a move by `action`.
    async fn for_move(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        id: AssignmentId,
        action: Action,
    ) -> Result<StoredAssignment> {
        let seen = self.visible(&mut uow.tx, actor, id).await?;
        actor.permit(action, "assignment", id)?;
        uow.tx.lock_scope(actor.company_id, &format!("vessel:{}", seen.assignment.vessel_id)).await?;
        uow.tx.assignment(actor.company_id, id).await?.ok_or(Error::NotFound)
    }

    async fn answer(&self, uow: &mut UnitOfWork, actor: &Actor, m: &AnswerAssignment) -> Result<StoredAssignment> {
        let current = self.for_move(uow, actor, m.assignment_id, Action::AssignmentAnswer).await?;
        let reason = match m.reason.as_deref() {
            Some(r) => Some(check_text("reason", r, 0, 500)?).filter(|r| !r.is_empty()),
            None => None,
        };
        let a = &current.assignment;
        // The same answer again (a retry) is answered with the row as it is.
        let wanted = if m.accept { AssignmentStatus::Accepted } else { AssignmentStatus::Declined };
        if a.operator_id == actor.user_id && a.status == wanted && (m.accept || a.decline_reason == reason) {
            return Ok(current);
        }
        let answered = a.answer(actor.user_id, m.accept, reason.as_deref()).map_err(refused)?;
        let now = self.deps.clock.now();
        let row = StoredAssignment { assignment: answered, answered_at: Some(now), updated_at: now, ..current.clone() };
        self.write(uow, actor, &current, row, "assignment.answer", "assignment.answered").await
    }

    async fn cancel(&self, uow: &mut UnitOfWork, actor: &Actor, m: &CancelAssignment) -> Result<StoredAssignment> {
        let current = self.for_move(uow, actor, m.assignment_id, Action::AssignmentManage).await?;
        if current.assignment.status == AssignmentStatus::Cancelled {
            return Ok(current);
        }
        let cancelled = current.assignment.cancel().map_err(refused)?;
        let now = self.deps.clock.now();
        let row = StoredAssignment {
            assignment: cancelled,
            cancelled_by: Some(actor.user_id),
            updated_at: now,
            ..current.clone()
        };
        self.write(uow, actor, &current, row, "assignment.cancel", "assignment.cancelled").await
    }

    /// Writes a moved assignment with its change-log row, audit row and live event.
    async fn write(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        before: &StoredAssignment,
        mut row: StoredAssignment,
        action: &str,
        kind: &str,
    ) -> Result<StoredAssignment> {
        let company = actor.company_id;
        let fields = assignment_json(&row);
        let a = &row.assignment;
        let change = vessel_change(a.vessel_id, "assignment", a.id.0, "update", fields.clone(), row.updated_at);
        row.version = uow.tx.record_change(company, &change).await?;
        uow.tx.update_assignment(&row).await?;
        self.deps
            .audit(
                &mut uow.tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok(action, "assignment", row.assignment.id)
                    .before(json!({ "status": before.assignment.status.as_str() }))
                    .after(fields),
            )
            .await?;
        uow.publish(event(&row, kind));
        Ok(row)
    }

    /// A read of the bookings or reports `filter` names, narrowed to what the caller reaches;
    /// its status must be one of `S`'s.
    pub(crate) async fn reading<S: std::str::FromStr>(
        &self,
        actor: &Actor,
        filter: &mut AssignmentFilter,
    ) -> Result<Box<dyn Tx>> {
        actor.require(Action::EquipmentRead)?;
        if let Some(s) = filter.status.as_deref() {
            s.parse::<S>().map_err(|_| Violation::new("status", "unknown_value", format!("{s:?} is not a status")))?;
        }
        filter.scope = self.deps.scope_for(actor, filter.scope.vessel);
        Ok(self.deps.store.begin_read(Some(actor.company_id)).await?)
    }

    /// Assignments the caller sees, newest first.
    pub async fn list(
        &self,
        actor: &Actor,
        mut filter: AssignmentFilter,
        page: Page<AssignmentId>,
    ) -> Result<(Vec<StoredAssignment>, Option<AssignmentId>)> {
        let mut tx = self.reading::<AssignmentStatus>(actor, &mut filter).await?;
        let rows =
            tx.list_assignments(actor.company_id, &filter, Page { after: page.after, limit: page.limit + 1 }).await?;
        Ok(crate::page_of(rows, page.limit, |a| a.assignment.id))
    }

    /// One assignment.
    pub async fn get(&self, actor: &Actor, id: AssignmentId) -> Result<StoredAssignment> {
        actor.require(Action::EquipmentRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        self.visible(&mut tx, actor, id).await
    }
}

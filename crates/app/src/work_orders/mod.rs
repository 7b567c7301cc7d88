//! Work orders (ADR 0007): planned or corrective work on one item, with its own copy of a
//! checklist, answers to its steps, labour and parts used, and a forward-only lifecycle
//! (`bosun_domain::work_order`).
//!
//! Rules kept here (also in `docs/ARCHITECTURE.md`, "Work orders"):
//! - every write is a mutator and runs under the vessel scope's lock; a status move pushed
//!   from a device that was offline is decided by rank (`WorkOrderStatus::rank`), a stale one
//!   never takes an order back;
//! - answers and labour are insert-only facts: answering a step again adds a result and the
//!   latest counts, so two devices never conflict;
//! - a failed answer whose step carries a rule opens a fault or a follow-up work order in the
//!   same unit of work, under the id the device sent (`follow_up_id`), so a retry opens nothing
//!   twice;
//! - crew work only on orders assigned to them or to their department on the vessel
//!   (`not_assigned`); the person who completed an order does not verify it (`own_work`);
//! - parts used are stock issues (`stock::post`, `insufficient_stock` below zero), from a
//!   location of the order's vessel.

pub mod procedures;

use bosun_domain::equipment::EquipmentStatus;
use bosun_domain::permissions::Action;
use bosun_domain::person::Role;
use bosun_domain::procedure::{AnswerWire, StepResult, StepWire, current_results, parse_wire_steps};
use bosun_domain::stock::{Movement, Quantity, delta_of};
use bosun_domain::work_order::{
    Assignee, AssigneeWire, FollowUp, LabourEntry, Minutes, NewWorkOrder, Origin, Priority, Signature, SignatureWire,
    WorkOrder, WorkOrderError, WorkOrderStatus,
};
use bosun_domain::{
    AttachmentId, EquipmentId, FaultId, LabourEntryId, PartId, StepId, StepResultId, StockEntryId, StockLocationId,
    VesselId, Violation, WorkOrderId, check_text,
};
use bosun_store::{Page, StoredLabour, StoredStepResult, Tx, WorkOrderFilter};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::conflicts::StatusMove;
use crate::maintenance::faults::ReportFault;
use crate::stock::{Move, Posted};
use crate::work::{UnitOfWork, mutator};
use crate::{Actor, App, Audit, Deps, Error, Result, Violations, id_race, id_taken, vessel_change};

/// The most minutes an estimate holds (a thousand hours).
pub const MAX_ESTIMATE_MINUTES: i64 = 60_000;
/// The most minutes one labour entry holds (one person, one day).
pub const MAX_LABOUR_MINUTES: i64 = 24 * 60;

/// Raises a work order on an item (`create_work_order.v1`), by hand or from a fault; its steps
/// are the device's copy of a procedure, each with its own id.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateWorkOrder {
    /// Client-made UUIDv7; a new one when absent.
    #[serde(default)]
    pub id: Option<WorkOrderId>,
    /// The item.
    pub equipment_id: EquipmentId,
    /// One line, 1–200 characters.
    pub title: String,
    /// What to do, up to 10,000 characters.
    #[serde(default)]
    pub description: String,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: Priority,
    /// People or departments of the vessel (at most 20).
    #[serde(default)]
    pub assignees: Vec<AssigneeWire>,
    /// Due date.
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
    /// Estimated minutes, 1–60,000.
    #[serde(default)]
    pub estimated_minutes: Option<i64>,
    /// The checklist (at most 200 steps).
    #[serde(default)]
    pub steps: Vec<StepWire>,
    /// Completion needs a signature.
    #[serde(default)]
    pub signature_required: bool,
    /// The fault it answers, on the same item.
    #[serde(default)]
    pub fault_id: Option<FaultId>,
}

/// Names a work order (`start_work_order.v1`, `hold_work_order.v1`, `verify_work_order.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkOrderRef {
    /// The work order.
    pub work_order_id: WorkOrderId,
}

/// Starts work, or resumes it after a hold (`start_work_order.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct StartWorkOrder(pub WorkOrderRef);

/// Puts work on hold (`hold_work_order.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct HoldWorkOrder(pub WorkOrderRef);

/// Accepts completed work (`verify_work_order.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct VerifyWorkOrder(pub WorkOrderRef);

/// Cancels a work order that is not done (`cancel_work_order.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelWorkOrder {
    /// The work order.
    pub work_order_id: WorkOrderId,
    /// Why, 1–500 characters.
    pub reason: String,
}

/// Answers one step (`record_step_result.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordStepResult {
    /// Client-made UUIDv7 of the result.
    pub id: StepResultId,
    /// The work order.
    pub work_order_id: WorkOrderId,
    /// The step.
    pub step_id: StepId,
    /// The answer.
    pub answer: AnswerWire,
    /// When it was answered (device time); now when absent.
    #[serde(default)]
    pub recorded_at: Option<DateTime<Utc>>,
    /// The id of the fault or work order the step's rule opens when the answer fails it.
    #[serde(default)]
    pub follow_up_id: Option<uuid::Uuid>,
}

/// Records time worked on a work order by the caller (`log_labour.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogLabour {
    /// Client-made UUIDv7.
    pub id: LabourEntryId,
    /// The work order.
    pub work_order_id: WorkOrderId,
    /// The day worked.
    pub worked_on: NaiveDate,
    /// How long, 1–1,440 minutes.
    pub minutes: i64,
    /// The hourly rate in minor units of `currency` (0–10,000,000), given only by someone who
    /// reads supplier prices (a restricted field, as the entry's cost derived from it).
    #[serde(default)]
    pub rate_minor: Option<i64>,
    /// The rate's currency (ISO 4217), with `rate_minor`.
    #[serde(default)]
    pub currency: Option<String>,
}

/// The most an hourly labour rate may be, in minor units.
pub const MAX_LABOUR_RATE_MINOR: i64 = 10_000_000;

/// Uses a part from a stock location of the vessel on a work order (`issue_part.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuePart {
    /// Client-made UUIDv7 of the ledger entry.
    #[serde(default)]
    pub id: Option<StockEntryId>,
    /// The work order.
    pub work_order_id: WorkOrderId,
    /// Where the part comes from.
    pub location_id: StockLocationId,
    /// The part.
    pub part_id: PartId,
    /// How many, a decimal with at most three places, more than zero.
    pub quantity: String,
}

/// A completion signature as sent.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureInput {
    /// The name as signed, 1–200 characters.
    pub name: String,
    /// The drawn signature: an attachment on the order's vessel.
    pub image_id: AttachmentId,
}

/// Completes work (`complete_work_order.v1`): every required step answered, signed when the
/// order asks for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompleteWorkOrder {
    /// The work order.
    pub work_order_id: WorkOrderId,
    /// The signature.
    #[serde(default)]
    pub signature: Option<SignatureInput>,
}

/// The fields of a work order a manager edits, as its row names them
/// (`update_work_order.v1`); its item, origin and checklist never change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkOrderFields {
    /// One line, 1–200 characters.
    pub title: String,
    /// What to do, up to 10,000 characters.
    #[serde(default)]
    pub description: String,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: Priority,
    /// People or departments of the vessel (at most 20).
    #[serde(default)]
    pub assignees: Vec<AssigneeWire>,
    /// Due date.
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
    /// Estimated minutes, 1–60,000.
    #[serde(default)]
    pub estimated_minutes: Option<i64>,
    /// Completion needs a signature.
    #[serde(default)]
    pub signature_required: bool,
}

/// The editable fields' names, as the row carries them.
pub const WORK_ORDER_FIELDS: &[&str] =
    &["title", "description", "priority", "assignees", "due_on", "estimated_minutes", "signature_required"];

impl WorkOrderFields {
    /// The fields of an order.
    pub fn of(w: &WorkOrder) -> Self {
        Self {
            title: w.title.clone(),
            description: w.description.clone(),
            priority: w.priority,
            assignees: w.assignees.iter().map(|a| (*a).into()).collect(),
            due_on: w.due_on,
            estimated_minutes: w.estimated.map(|m| m.0),
            signature_required: w.signature_required,
        }
    }
}

/// Edits a work order that is not done, verified or cancelled (`update_work_order.v1`).
#[derive(Debug, Clone, Deserialize)]
pub struct UpdateWorkOrder {
    /// The work order.
    pub work_order_id: WorkOrderId,
    /// The version last seen; a newer stored version is a `version_conflict`.
    #[serde(default)]
    pub version: Option<i64>,
    /// The fields.
    #[serde(flatten)]
    pub fields: WorkOrderFields,
}

/// A work order as a write answers it.
#[derive(Debug, Clone)]
pub struct Saved {
    /// The order.
    pub order: WorkOrder,
    /// False when the same order (same client id and content) had been received before.
    pub created: bool,
}

mutator!(CreateWorkOrder, "create_work_order.v1", Saved, |app, uow, actor, m| {
    app.work_orders.create(uow, actor, m).await
});
mutator!(UpdateWorkOrder, "update_work_order.v1", WorkOrder, |app, uow, actor, m| {
    app.work_orders.update(uow, actor, m).await
});
mutator!(StartWorkOrder, "start_work_order.v1", WorkOrder, |app, uow, actor, m| {
    app.work_orders.advance(uow, actor, m.0.work_order_id, WorkOrderStatus::InProgress, None).await
});
mutator!(HoldWorkOrder, "hold_work_order.v1", WorkOrder, |app, uow, actor, m| {
    app.work_orders.advance(uow, actor, m.0.work_order_id, WorkOrderStatus::OnHold, None).await
});
mutator!(VerifyWorkOrder, "verify_work_order.v1", WorkOrder, |app, uow, actor, m| {
    app.work_orders.advance(uow, actor, m.0.work_order_id, WorkOrderStatus::Verified, None).await
});
mutator!(CancelWorkOrder, "cancel_work_order.v1", WorkOrder, |app, uow, actor, m| {
    let reason = check_text("reason", &m.reason, 1, 500).map_err(|v| Error::Invalid(vec![v]))?;
    app.work_orders.advance(uow, actor, m.work_order_id, WorkOrderStatus::Cancelled, Some(Change::Cancel(reason))).await
});
mutator!(CompleteWorkOrder, "complete_work_order.v1", WorkOrder, |app, uow, actor, m| {
    let signature = match &m.signature {
        None => None,
        Some(s) => Some(Signature::parse(&s.name, s.image_id, app.now()).map_err(|v| Error::Invalid(vec![v]))?),
    };
    app.work_orders.advance(uow, actor, m.work_order_id, WorkOrderStatus::Done, Some(Change::Complete(signature))).await
});
mutator!(RecordStepResult, "record_step_result.v1", StoredStepResult, |app, uow, actor, m| {
    app.work_orders.record_result(app, uow, actor, m).await
});
mutator!(LogLabour, "log_labour.v1", StoredLabour, |app, uow, actor, m| {
    app.work_orders.log_labour(uow, actor, m).await
});
mutator!(IssuePart, "issue_part.v1", Posted, |app, uow, actor, m| {
    let quantity = Quantity::parse("quantity", &m.quantity).map_err(|v| Error::Invalid(vec![v]))?;
    let order = app.work_orders.workable(uow, actor, m.work_order_id).await?;
    let location = uow.tx.stock_location(actor.company_id, m.location_id).await?.ok_or(Error::NotFound)?;
    if location.vessel_id != order.vessel_id {
        return Err(Error::NotFound);
    }
    let at = Move { id: m.id, location_id: m.location_id, part_id: m.part_id, recorded_at: None };
    let movement = Movement::Issue { work_order_id: order.id };
    let delta = delta_of(&movement, quantity);
    app.stock.post_movement(uow, actor, at, movement, delta).await
});

/// What a status move carries besides the status.
#[derive(Debug, Clone)]
pub enum Change {
    /// Completion, with its signature.
    Complete(Option<Signature>),
    /// Cancellation, with its reason.
    Cancel(String),
}

/// A work order's fields as its change-log row carries them.
pub fn work_order_json(w: &WorkOrder) -> serde_json::Value {
    let origin = match w.origin {
        Origin::Manual => json!({ "kind": "manual" }),
        Origin::Fault(f) => json!({ "kind": "fault", "fault_id": f }),
        Origin::Plan { plan_id, occurrence } => json!({ "kind": "plan", "plan_id": plan_id, "occurrence": occurrence }),
        Origin::FollowUp { work_order_id, step_id } => {
            json!({ "kind": "follow_up", "work_order_id": work_order_id, "step_id": step_id })
        }
    };
    let assignees: Vec<AssigneeWire> = w.assignees.iter().map(|a| (*a).into()).collect();
    let steps: Vec<StepWire> = w.steps.iter().map(StepWire::of).collect();
    json!({
        "id": w.id, "vessel_id": w.vessel_id, "equipment_id": w.equipment_id, "origin": origin, "title": w.title,
        "description": w.description, "priority": w.priority.as_str(), "assignees": assignees, "due_on": w.due_on,
        "estimated_minutes": w.estimated.map(|m| m.0), "steps": steps, "signature_required": w.signature_required,
        "status": w.status.as_str(), "started_at": w.started_at, "completed_at": w.completed.map(|c| c.0),
        "completed_by": w.completed.map(|c| c.1), "signature": w.signature.as_ref().map(SignatureWire::from),
        "verified_at": w.verified.map(|v| v.0), "verified_by": w.verified.map(|v| v.1),
        "cancelled_at": w.cancelled.as_ref().map(|c| c.0), "cancel_reason": w.cancelled.as_ref().map(|c| c.1.clone()),
        "created_by": w.created_by, "created_at": w.created_at,
    })
}

/// A step result's fields as its change-log row carries them.
pub fn result_json(r: &StoredStepResult) -> serde_json::Value {
    json!({
        "id": r.result.id, "work_order_id": r.work_order_id, "vessel_id": r.vessel_id, "step_id": r.result.step_id,
        "answer": AnswerWire::of(&r.result.answer), "outcome": r.result.outcome.as_str(), "recorded_by": r.recorded_by,
        "recorded_at": r.result.recorded_at,
    })
}

/// A labour entry's fields as its change-log row carries them.
pub fn labour_json(l: &StoredLabour) -> serde_json::Value {
    json!({
        "id": l.entry.id, "work_order_id": l.entry.work_order_id, "vessel_id": l.vessel_id,
        "person_id": l.entry.person_id, "worked_on": l.entry.worked_on, "minutes": l.entry.minutes.0,
        "recorded_by": l.recorded_by, "rate_minor": l.entry.rate_minor, "currency": l.entry.currency,
        "cost_minor": l.entry.rate_minor.map(|r| bosun_domain::work_order::labour_cost_minor(l.entry.minutes, r)),
    })
}

fn refused(e: WorkOrderError) -> Error {
    match e {
        WorkOrderError::InvalidAnswer(v) => Error::Invalid(vec![v]),
        WorkOrderError::UnknownStep { .. } => Error::NotFound,
        e => Error::Conflict { code: e.code(), message: e.to_string() },
    }
}

/// A person who reaches the vessel, or a department of it; anything else is `NotFound`.
pub(crate) async fn check_assignee(
    deps: &Deps,
    tx: &mut Box<dyn Tx>,
    actor: &Actor,
    vessel: VesselId,
    a: Assignee,
) -> Result<()> {
    let known = match a {
        Assignee::Person(user) => match tx.membership(actor.company_id, user).await? {
            Some(m) if m.active && m.role.is_vessel_scoped() => deps.person_reaches(tx, actor, user, vessel).await?,
            Some(m) => m.active,
            None => false,
        },
        Assignee::Department(d) => tx.list_departments(actor.company_id, vessel).await?.iter().any(|x| x.id == d),
    };
    if known { Ok(()) } else { Err(Error::NotFound) }
}

/// Writes a new work order with its change-log row and audit row, by `actor` or (for a plan's,
/// generated by the scheduler) by the system.
pub(crate) async fn insert_order(
    deps: &Deps,
    tx: &mut Box<dyn Tx>,
    actor: Option<&Actor>,
    mut w: WorkOrder,
    action: &str,
) -> Result<WorkOrder> {
    let now = deps.clock.now();
    let fields = work_order_json(&w);
    w.version = tx
        .record_change(w.company_id, &vessel_change(w.vessel_id, "work_order", w.id.0, "insert", fields.clone(), now))
        .await?;
    tx.insert_work_order(&w).await.map_err(id_race)?;
    let meta = actor.map(|a| a.meta.clone()).unwrap_or_default();
    deps.audit(tx, w.company_id, actor.map(|a| a.user_id), &meta, Audit::ok(action, "work_order", w.id).after(fields))
        .await?;
    Ok(w)
}

/// Stores new work orders of one company made by the system (the maintenance scheduler), each
/// with its change-log row and audit entry as [`insert_order`] writes them, in a few
/// statements whatever their number; answers how many.
pub(crate) async fn insert_orders(
    deps: &Deps,
    tx: &mut Box<dyn Tx>,
    company: bosun_domain::CompanyId,
    mut orders: Vec<WorkOrder>,
    action: &str,
) -> Result<usize> {
    if orders.is_empty() {
        return Ok(0);
    }
    let now = deps.clock.now();
    let fields: Vec<serde_json::Value> = orders.iter().map(work_order_json).collect();
    let changes: Vec<_> = orders
        .iter()
        .zip(&fields)
        .map(|(w, f)| vessel_change(w.vessel_id, "work_order", w.id.0, "insert", f.clone(), now))
        .collect();
    let versions = tx.record_changes(company, &changes).await?;
    for (w, v) in orders.iter_mut().zip(versions) {
        w.version = v;
    }
    tx.insert_work_orders(&orders).await.map_err(id_race)?;
    let audits = orders.iter().zip(fields).map(|(w, f)| Audit::ok(action, "work_order", w.id).after(f)).collect();
    deps.audit_all(tx, company, None, &crate::RequestMeta::default(), audits).await?;
    Ok(orders.len())
}

/// A work order with everything recorded on it.
#[derive(Debug, Clone)]
pub struct WorkOrderDetail {
    /// The order.
    pub order: WorkOrder,
    /// Every answer, oldest first (the latest per step counts).
    pub results: Vec<StoredStepResult>,
    /// Labour, oldest first.
    pub labour: Vec<StoredLabour>,
    /// Parts issued to it, oldest first.
    pub parts: Vec<bosun_domain::stock::StockEntry>,
}

/// Which work orders to list.
#[derive(Debug, Clone, Default)]
pub struct WorkOrderQuery {
    /// Only on this vessel.
    pub vessel: Option<VesselId>,
    /// Only on this item.
    pub equipment: Option<EquipmentId>,
    /// Only these statuses (empty: any).
    pub statuses: Vec<WorkOrderStatus>,
}

/// Work order use cases.
#[derive(Clone)]
pub struct WorkOrderService {
    /// The store, clock and ids it works with.
    pub deps: Deps,
}

impl WorkOrderService {
    /// The order if the caller may see its vessel, else `NotFound`.
    async fn visible(&self, tx: &mut Box<dyn Tx>, actor: &Actor, id: WorkOrderId) -> Result<WorkOrder> {
        let w = tx.work_order(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, w.vessel_id).await? {
            return Err(Error::NotFound);
        }
        Ok(w)
    }

    /// Crew work only on orders assigned to them or their department on the vessel.
    async fn check_assigned(&self, tx: &mut Box<dyn Tx>, actor: &Actor, w: &WorkOrder) -> Result<()> {
        if actor.role != Role::Crew || w.assignees.contains(&Assignee::Person(actor.user_id)) {
            return Ok(());
        }
        let department =
            tx.vessel_member(actor.company_id, w.vessel_id, actor.user_id).await?.and_then(|m| m.department_id);
        if department.is_some_and(|d| w.assignees.contains(&Assignee::Department(d))) {
            return Ok(());
        }
        Err(Error::Conflict {
            code: "not_assigned",
            message: "crew work on the work orders assigned to them or their department".into(),
        })
    }

    /// The order, for recording work on it: visible, the caller permitted and assigned, the
    /// vessel's scope held, and the order in progress or on hold.
    pub(crate) async fn workable(&self, uow: &mut UnitOfWork, actor: &Actor, id: WorkOrderId) -> Result<WorkOrder> {
        let w = self.visible(&mut uow.tx, actor, id).await?;
        actor.permit(Action::WorkOrderExecute, "work_order", id)?;
        self.check_assigned(&mut uow.tx, actor, &w).await?;
        uow.tx.lock_scope(actor.company_id, &format!("vessel:{}", w.vessel_id)).await?;
        let w = self.visible(&mut uow.tx, actor, id).await?;
        w.check_workable().map_err(refused)?;
        Ok(w)
    }

    async fn create(&self, uow: &mut UnitOfWork, actor: &Actor, m: &CreateWorkOrder) -> Result<Saved> {
        let company = actor.company_id;
        let tx = &mut uow.tx;
        let member = self.deps.reach(actor);
        let (item, _) = tx.equipment_seen(company, m.equipment_id, member).await?.ok_or(Error::NotFound)?;
        actor.permit_new(Action::WorkOrderCreate, "work_order", m.id)?;
        let now = self.deps.clock.now();
        let mut v = Violations::default();
        let steps = v.check(parse_wire_steps(m.steps.clone()));
        if let Some(day) = m.due_on {
            v.check(crate::check_day("due_on", day));
        }
        if let Some(e) = m.estimated_minutes
            && !(1..=MAX_ESTIMATE_MINUTES).contains(&e)
        {
            v.check::<()>(Err(Violation::new(
                "estimated_minutes",
                "out_of_range",
                format!("must be 1 to {MAX_ESTIMATE_MINUTES}"),
            )));
        }
        let draft = NewWorkOrder {
            id: m.id.unwrap_or_else(|| self.deps.ids.id()),
            company_id: company,
            vessel_id: item.vessel_id,
            equipment_id: item.id,
            origin: m.fault_id.map_or(Origin::Manual, Origin::Fault),
            title: m.title.clone(),
            description: m.description.clone(),
            priority: m.priority,
            assignees: m.assignees.iter().fold(Vec::new(), |mut seen: Vec<Assignee>, a| {
                // One named twice counts once.
                let a = Assignee::from(*a);
                if !seen.contains(&a) {
                    seen.push(a);
                }
                seen
            }),
            due_on: m.due_on,
            estimated: m.estimated_minutes.map(Minutes),
            steps: Vec::new(),
            signature_required: m.signature_required,
            created_by: actor.user_id,
            created_at: now,
        };
        let draft = v.check(draft.check());
        v.finish()?;
        let (Some(mut draft), Some(steps)) = (draft, steps) else {
            return Err(Error::Internal("checked work order fields".into()));
        };
        draft.steps = steps;
        tx.lock_scope(company, &format!("vessel:{}", item.vessel_id)).await?;
        if let Some(id) = m.id
            && let Some(existing) = tx.work_order(company, id).await?
        {
            let same = existing.equipment_id == draft.equipment_id
                && existing.title == draft.title
                && existing.description == draft.description
                && existing.priority == draft.priority
                && existing.assignees == draft.assignees
                && existing.due_on == draft.due_on
                && existing.estimated == draft.estimated
                && existing.steps == draft.steps
                && existing.signature_required == draft.signature_required
                && existing.origin == draft.origin
                && existing.created_by == actor.user_id;
            return if same { Ok(Saved { order: existing, created: false }) } else { Err(id_taken("work order", id)) };
        }
        if item.status == EquipmentStatus::Decommissioned {
            return Err(Error::Conflict {
                code: "decommissioned",
                message: format!("{} is decommissioned and takes no new work", item.name),
            });
        }
        if let Some(fault) = m.fault_id {
            let on_item = tx.fault(company, fault).await?.is_some_and(|f| f.equipment_id == item.id);
            if !on_item {
                return Err(Error::NotFound);
            }
        }
        for a in &draft.assignees {
            check_assignee(&self.deps, tx, actor, item.vessel_id, *a).await?;
        }
        let order = insert_order(&self.deps, tx, Some(actor), WorkOrder::create(draft), "workorder.create").await?;
        Ok(Saved { order, created: true })
    }

    async fn update(&self, uow: &mut UnitOfWork, actor: &Actor, m: &UpdateWorkOrder) -> Result<WorkOrder> {
        let company = actor.company_id;
        let id = m.work_order_id;
        let seen = self.visible(&mut uow.tx, actor, id).await?;
        actor.permit(Action::WorkOrderManage, "work_order", id)?;
        let scope = format!("vessel:{}", seen.vessel_id);
        uow.tx.lock_scope(company, &scope).await?;
        let current = self.visible(&mut uow.tx, actor, id).await?;
        if matches!(current.status, WorkOrderStatus::Done | WorkOrderStatus::Verified | WorkOrderStatus::Cancelled) {
            return Err(Error::Conflict {
                code: "work_order_closed",
                message: format!("a {} work order is not edited", current.status),
            });
        }
        let stored = WorkOrderFields::of(&current);
        let edit = crate::conflicts::FieldEdit {
            at: (&scope, "work_order", id.0),
            names: WORK_ORDER_FIELDS,
            seen: m.version,
            version: current.version,
            mine: &m.fields,
            current: &stored,
        };
        let fields = uow.edited_fields(&self.deps, actor, edit).await?;
        if fields == WorkOrderFields::of(&current) {
            return Ok(current);
        }
        let mut v = Violations::default();
        if let Some(day) = fields.due_on {
            v.check(crate::check_day("due_on", day));
        }
        if let Some(e) = fields.estimated_minutes
            && !(1..=MAX_ESTIMATE_MINUTES).contains(&e)
        {
            v.check::<()>(Err(Violation::new(
                "estimated_minutes",
                "out_of_range",
                format!("must be 1 to {MAX_ESTIMATE_MINUTES}"),
            )));
        }
        let draft = NewWorkOrder {
            id,
            company_id: company,
            vessel_id: current.vessel_id,
            equipment_id: current.equipment_id,
            origin: current.origin,
            title: fields.title.clone(),
            description: fields.description.clone(),
            priority: fields.priority,
            assignees: fields.assignees.iter().fold(Vec::new(), |mut seen: Vec<Assignee>, a| {
                let a = Assignee::from(*a);
                if !seen.contains(&a) {
                    seen.push(a);
                }
                seen
            }),
            due_on: fields.due_on,
            estimated: fields.estimated_minutes.map(Minutes),
            steps: Vec::new(),
            signature_required: fields.signature_required,
            created_by: current.created_by,
            created_at: current.created_at,
        };
        let draft = v.check(draft.check());
        v.finish()?;
        let Some(draft) = draft else { return Err(Error::Internal("checked work order fields".into())) };
        for a in draft.assignees.iter().filter(|a| !current.assignees.contains(a)) {
            check_assignee(&self.deps, &mut uow.tx, actor, current.vessel_id, *a).await?;
        }
        let now = self.deps.clock.now();
        let mut after = current.clone();
        after.title = draft.title;
        after.description = draft.description;
        after.priority = draft.priority;
        after.assignees = draft.assignees;
        after.due_on = draft.due_on;
        after.estimated = draft.estimated;
        after.signature_required = draft.signature_required;
        after.updated_at = now;
        let tx = &mut uow.tx;
        let before = work_order_json(&current);
        let fields = work_order_json(&after);
        after.version = tx
            .record_change(company, &vessel_change(after.vessel_id, "work_order", id.0, "update", fields.clone(), now))
            .await?;
        let saved = tx.update_work_order(&after).await?;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("workorder.update", "work_order", id).before(before).after(fields),
            )
            .await?;
        Ok(saved)
    }

    /// Moves an order to `to` through its domain method; a pushed move decided stale is
    /// answered with the order as it stands.
    async fn advance(
        &self,
        uow: &mut UnitOfWork,
        actor: &Actor,
        id: WorkOrderId,
        to: WorkOrderStatus,
        change: Option<Change>,
    ) -> Result<WorkOrder> {
        let company = actor.company_id;
        let before = self.visible(&mut uow.tx, actor, id).await?;
        let action = match to {
            WorkOrderStatus::Verified => Action::WorkOrderVerify,
            WorkOrderStatus::Cancelled => Action::WorkOrderManage,
            _ => Action::WorkOrderExecute,
        };
        actor.permit(action, "work_order", id)?;
        if action == Action::WorkOrderExecute {
            self.check_assigned(&mut uow.tx, actor, &before).await?;
        }
        let scope = format!("vessel:{}", before.vessel_id);
        uow.tx.lock_scope(company, &scope).await?;
        let before = self.visible(&mut uow.tx, actor, id).await?;
        if before.status == to {
            // Already there (a retry, or the same move from another device): done.
            return Ok(before);
        }
        let now = self.deps.clock.now();
        let after = match (to, change) {
            (WorkOrderStatus::InProgress, _) => before.start(now),
            (WorkOrderStatus::OnHold, _) => before.hold(),
            (WorkOrderStatus::Verified, _) => before.verify(actor.user_id, now),
            (WorkOrderStatus::Cancelled, Some(Change::Cancel(reason))) => before.cancel(now, reason),
            (WorkOrderStatus::Done, Some(Change::Complete(signature))) => {
                if let Some(s) = &signature {
                    crate::check_attachment(uow, actor, before.vessel_id, s.image).await?;
                }
                let results: Vec<StepResult> =
                    uow.tx.step_results(company, id).await?.into_iter().map(|r| r.result).collect();
                before.complete(actor.user_id, now, &results, signature)
            }
            _ => return Err(Error::Internal(format!("no move of a work order to {to}"))),
        };
        let m = StatusMove {
            scope,
            entity: "work_order",
            row: id.0,
            from: (before.status.as_str(), before.status.rank()),
            to: (to.as_str(), to.rank()),
            reopens: false,
            valid: after.is_ok(),
        };
        if !uow.status_applies(&self.deps, actor, m).await? {
            return Ok(before);
        }
        let mut after = after.map_err(refused)?;
        after.updated_at = now;
        let tx = &mut uow.tx;
        let fields = work_order_json(&after);
        after.version = tx
            .record_change(company, &vessel_change(after.vessel_id, "work_order", id.0, "update", fields.clone(), now))
            .await?;
        let saved = tx.update_work_order(&after).await?;
        // A plan's order that ends moves its plan on: done, or skipped when cancelled.
        let ended = match to {
            WorkOrderStatus::Done => Some(bosun_store::PlanOutcome::Done),
            WorkOrderStatus::Cancelled => Some(bosun_store::PlanOutcome::Skipped),
            _ => None,
        };
        if let Some(outcome) = ended {
            crate::plans::PlanService { deps: self.deps.clone() }.ended(tx, &saved, outcome, now).await?;
        }
        let audit = format!("workorder.{}", to.as_str());
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok(&audit, "work_order", id).before(work_order_json(&before)).after(fields),
            )
            .await?;
        Ok(saved)
    }

    async fn record_result(
        &self,
        app: &App,
        uow: &mut UnitOfWork,
        actor: &Actor,
        m: &RecordStepResult,
    ) -> Result<StoredStepResult> {
        let company = actor.company_id;
        // A retry answers the stored result, even after the order moved on.
        if let Some(existing) = uow.tx.step_result(company, m.id).await? {
            self.visible(&mut uow.tx, actor, existing.work_order_id).await?;
            let same = existing.work_order_id == m.work_order_id
                && existing.result.step_id == m.step_id
                && AnswerWire::of(&existing.result.answer) == m.answer
                && existing.recorded_by == actor.user_id;
            return if same { Ok(existing) } else { Err(id_taken("step result", m.id)) };
        }
        let order = self.workable(uow, actor, m.work_order_id).await?;
        let answer = m.answer.clone().parse().map_err(|v| Error::Invalid(vec![v]))?;
        let evaluation = order.judge(m.step_id, &answer).map_err(refused)?;
        if let Some(a) = m.answer.attachment() {
            crate::check_attachment(uow, actor, order.vessel_id, a).await?;
        }
        let now = self.deps.clock.now();
        let recorded_at = m.recorded_at.unwrap_or(now).min(now);
        // A meter reading is the item's reading too, at the answer's time (a replay of the
        // answer is answered above and records nothing again): a reading below the last one is
        // refused as a reading would be, and the item's running-hours plans are looked at again.
        if let bosun_domain::procedure::Answer::MeterReading(hours) = answer {
            let reading = crate::fleet::equipment::RecordReading {
                equipment_id: order.equipment_id,
                id: None,
                hours,
                meter_replaced: false,
                read_at: Some(recorded_at),
            };
            app.equipment.record_reading(uow, actor, &reading).await?;
        }
        let stored = StoredStepResult {
            company_id: company,
            vessel_id: order.vessel_id,
            work_order_id: order.id,
            recorded_by: actor.user_id,
            result: StepResult { id: m.id, step_id: m.step_id, answer, outcome: evaluation.outcome, recorded_at },
        };
        let fields = result_json(&stored);
        let tx = &mut uow.tx;
        let version = tx
            .record_change(
                company,
                &vessel_change(order.vessel_id, "step_result", m.id.0, "insert", fields.clone(), now),
            )
            .await?;
        tx.insert_step_result(&stored, version).await.map_err(id_race)?;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("workorder.step", "step_result", m.id).after(fields),
            )
            .await?;
        if let Some(rule) = evaluation.fires {
            let step = order.steps.iter().find(|s| s.id == m.step_id).ok_or(Error::NotFound)?;
            let id = m.follow_up_id.unwrap_or_else(|| self.deps.ids.id());
            match order.follow_up(step, rule, id, actor.user_id, now) {
                FollowUp::Fault(f) => {
                    let report = ReportFault {
                        id: Some(f.id),
                        equipment_id: f.equipment_id,
                        severity: f.severity,
                        title: f.title,
                        description: f.description,
                        observed_at: Some(recorded_at),
                    };
                    app.faults.report(uow, actor, &report).await?;
                }
                FollowUp::WorkOrder(n) => {
                    if uow.tx.work_order(company, n.id).await?.is_none() {
                        insert_order(
                            &self.deps,
                            &mut uow.tx,
                            Some(actor),
                            WorkOrder::create(*n),
                            "workorder.follow_up",
                        )
                        .await?;
                    }
                }
            }
        }
        Ok(stored)
    }

    async fn log_labour(&self, uow: &mut UnitOfWork, actor: &Actor, m: &LogLabour) -> Result<StoredLabour> {
        let company = actor.company_id;
        if let Some(existing) = uow.tx.labour_entry(company, m.id).await? {
            self.visible(&mut uow.tx, actor, existing.entry.work_order_id).await?;
            let same = existing.entry.work_order_id == m.work_order_id
                && existing.entry.worked_on == m.worked_on
                && existing.entry.minutes.0 == m.minutes
                && existing.entry.rate_minor == m.rate_minor
                && existing.entry.currency == m.currency
                && existing.recorded_by == actor.user_id;
            return if same { Ok(existing) } else { Err(id_taken("labour entry", m.id)) };
        }
        let order = self.workable(uow, actor, m.work_order_id).await?;
        let now = self.deps.clock.now();
        let mut v = Violations::default();
        if !(1..=MAX_LABOUR_MINUTES).contains(&m.minutes) {
            v.check::<()>(Err(Violation::new("minutes", "out_of_range", format!("must be 1 to {MAX_LABOUR_MINUTES}"))));
        }
        v.check(crate::check_day("worked_on", m.worked_on));
        if m.worked_on > now.date_naive() + chrono::Duration::days(1) {
            v.check::<()>(Err(Violation::new("worked_on", "in_the_future", "must not be in the future")));
        }
        match (m.rate_minor, m.currency.as_deref()) {
            (None, None) => {}
            (Some(rate), Some(currency)) => {
                if !(0..=MAX_LABOUR_RATE_MINOR).contains(&rate) {
                    let max = format!("must be 0 to {MAX_LABOUR_RATE_MINOR}");
                    v.check::<()>(Err(Violation::new("rate_minor", "out_of_range", max)));
                }
                v.check(bosun_domain::parts::check_currency("currency", currency));
            }
            _ => {
                let both = "give the rate and its currency together, or neither";
                v.check::<()>(Err(Violation::new("currency", "incomplete", both)));
            }
        }
        v.finish()?;
        // A rate is a cost to the company, like a supplier's price: only those who read one set one.
        if m.rate_minor.is_some() {
            actor.permit(Action::PriceSupplierRead, "labour_entry", m.id)?;
        }
        let stored = StoredLabour {
            company_id: company,
            vessel_id: order.vessel_id,
            recorded_by: actor.user_id,
            created_at: now,
            entry: LabourEntry {
                id: m.id,
                work_order_id: order.id,
                person_id: actor.user_id,
                worked_on: m.worked_on,
                minutes: Minutes(m.minutes),
                rate_minor: m.rate_minor,
                currency: m.currency.clone(),
            },
        };
        let fields = labour_json(&stored);
        let tx = &mut uow.tx;
        let version = tx
            .record_change(
                company,
                &vessel_change(order.vessel_id, "labour_entry", m.id.0, "insert", fields.clone(), now),
            )
            .await?;
        tx.insert_labour(&stored, version).await.map_err(id_race)?;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("workorder.labour", "labour_entry", m.id).after(fields),
            )
            .await?;
        Ok(stored)
    }

    /// Work orders the caller may see, newest first.
    pub async fn list(
        &self,
        actor: &Actor,
        query: WorkOrderQuery,
        page: Page<WorkOrderId>,
    ) -> Result<(Vec<WorkOrder>, Option<WorkOrderId>)> {
        actor.require(Action::WorkOrderRead)?;
        let filter = WorkOrderFilter {
            scope: self.deps.scope_for(actor, query.vessel),
            equipment: query.equipment,
            statuses: query.statuses,
        };
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let rows =
            tx.list_work_orders(actor.company_id, &filter, Page { after: page.after, limit: page.limit + 1 }).await?;
        Ok(crate::page_of(rows, page.limit, |w| w.id))
    }

    /// One work order with its answers, labour and parts.
    pub async fn detail(&self, actor: &Actor, id: WorkOrderId) -> Result<WorkOrderDetail> {
        actor.require(Action::WorkOrderRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let order = self.visible(&mut tx, actor, id).await?;
        let results = tx.step_results(actor.company_id, id).await?;
        let labour = tx.labour(actor.company_id, id).await?;
        let parts = tx.issued_parts(actor.company_id, id).await?;
        Ok(WorkOrderDetail { order, results, labour, parts })
    }
}

/// The answer that counts for each step of `d`, in step order.
pub fn current_answers(d: &WorkOrderDetail) -> Vec<(StepId, Option<&StoredStepResult>)> {
    let results: Vec<StepResult> = d.results.iter().map(|r| r.result.clone()).collect();
    let current = current_results(&results);
    d.order
        .steps
        .iter()
        .map(|s| (s.id, current.get(&s.id).and_then(|r| d.results.iter().find(|x| x.result.id == r.id))))
        .collect()
}

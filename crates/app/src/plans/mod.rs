//! Preventive maintenance plans (ADR 0007 §4): when an item's planned work falls due, the work
//! each occurrence's work order carries, postponements, and the scheduler that generates the
//! work orders (`bosun_domain::maintenance_plan`).
//!
//! Rules kept here (also in `docs/ARCHITECTURE.md`, "Planned maintenance"):
//! - every write is a mutator under the vessel scope's lock; the plan's fields are decided
//!   one by one against what changed since the device's base (HLC), like a part's;
//! - where the plan stands (`occurrence`, the last completion, the due points) is the
//!   server's: completing a plan's work order advances it in the same unit of work, and a
//!   completion of an occurrence already passed changes nothing;
//! - the scheduler generates each occurrence's work order at most once: the work order's
//!   `(plan, occurrence)` is unique, plans are claimed with `FOR UPDATE SKIP LOCKED` on
//!   PostgreSQL, and a claimed plan whose order exists is only given its next check time;
//! - a postponement is insert-only evidence, approved by the caller for a requester who is
//!   someone else (`self_approval`), for the occurrence now due (`occurrence_passed`).

use std::collections::{HashMap, HashSet};

use bosun_domain::equipment::{EquipmentStatus, MeterReading, running_hours};
use bosun_domain::maintenance_plan::{
    Assessment, Completion, Criterion, CriterionWire, DueState, MaintenancePlan, PlanProgress, PostponedTo, Situation,
    daily_hour_rate, parse_criteria,
};
use bosun_domain::permissions::Action;
use bosun_domain::procedure::{StepWire, parse_wire_steps};
use bosun_domain::work_order::{
    Assignee, AssigneeWire, Minutes, NewWorkOrder, Origin, Priority, WorkOrder, WorkOrderStatus,
};
use bosun_domain::{
    CompanyId, EquipmentId, MaintenancePlanId, PostponementId, UserId, VesselId, Violation, WorkOrderId, check_text,
};
use bosun_store::{
    ComplianceCount, Page, PlanCompletion, PlanFilter, PlanOutcome, PlanWork, Store, StoredPlan, StoredPostponement, Tx,
};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::work::{UnitOfWork, mutator};
use crate::work_orders::MAX_ESTIMATE_MINUTES;
use crate::{Actor, Audit, Deps, Error, Result, Violations, id_race, id_taken, vessel_change};

/// The most lead days a plan may have (a year).
pub const MAX_LEAD_DAYS: i64 = 366;
/// Plans the scheduler claims and commits at a time.
pub const SCHEDULER_BATCH: u32 = 500;
/// Days of readings the recent daily hour rate is taken over.
pub const RATE_WINDOW_DAYS: u32 = 30;
/// The most plans one compliance answer looks at.
pub const MAX_FIGURE_PLANS: u64 = 20_000;
/// Days over which compliance is counted.
pub const COMPLIANCE_DAYS: u64 = 365;
/// The fields of a plan a person edits, as its change-log row and `update_maintenance_plan.v1`
/// name them.
pub const PLAN_FIELDS: &[&str] = &[
    "title",
    "description",
    "priority",
    "criteria",
    "starts_on",
    "start_hours",
    "lead_days",
    "steps",
    "signature_required",
    "estimated_minutes",
    "assignees",
];

/// A plan's editable fields, as sent and as its row carries them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFields {
    /// What is done, 1–200 characters.
    pub title: String,
    /// How, up to 10,000 characters.
    #[serde(default)]
    pub description: String,
    /// The priority of its work orders.
    pub priority: Priority,
    /// One to three criteria, at most one of running hours: whichever comes first.
    pub criteria: Vec<CriterionWire>,
    /// The day counting starts.
    pub starts_on: NaiveDate,
    /// The item's running hours that day (needed by a running-hours criterion).
    #[serde(default)]
    pub start_hours: Option<f64>,
    /// Days ahead of the due date its work order is generated, 0–366.
    pub lead_days: i64,
    /// The checklist each work order copies (at most 200 steps).
    #[serde(default)]
    pub steps: Vec<StepWire>,
    /// Completion needs a signature.
    #[serde(default)]
    pub signature_required: bool,
    /// Estimated minutes, 1–60,000.
    #[serde(default)]
    pub estimated_minutes: Option<i64>,
    /// People or departments of the vessel (at most 20).
    #[serde(default)]
    pub assignees: Vec<AssigneeWire>,
}

impl PlanFields {
    /// The fields of a stored plan.
    pub fn of(p: &StoredPlan) -> Self {
        Self {
            title: p.plan.title.clone(),
            description: p.work.description.clone(),
            priority: p.work.priority,
            criteria: p.plan.criteria.iter().map(CriterionWire::of).collect(),
            starts_on: p.plan.starts_on,
            start_hours: p.plan.start_hours,
            lead_days: i64::from(p.plan.lead_days),
            steps: p.work.steps.iter().map(StepWire::of).collect(),
            signature_required: p.work.signature_required,
            estimated_minutes: p.work.estimated.map(|m| m.0),
            assignees: p.work.assignees.iter().map(|a| (*a).into()).collect(),
        }
    }

    /// Checks the fields and writes them onto `p` (criteria, steps and everything else).
    fn apply_to(&self, p: &mut StoredPlan) -> Result<()> {
        let mut v = Violations::default();
        let title = v.check(check_text("title", &self.title, 1, 200));
        let description = v.check(check_long("description", &self.description));
        let criteria = v.check(parse_criteria(&self.criteria));
        let steps = v.check(parse_wire_steps(self.steps.clone()));
        v.check(crate::check_day("starts_on", self.starts_on));
        if !(0..=MAX_LEAD_DAYS).contains(&self.lead_days) {
            v.check::<()>(Err(Violation::new("lead_days", "out_of_range", format!("must be 0 to {MAX_LEAD_DAYS}"))));
        }
        if let Some(e) = self.estimated_minutes
            && !(1..=MAX_ESTIMATE_MINUTES).contains(&e)
        {
            v.check::<()>(Err(Violation::new(
                "estimated_minutes",
                "out_of_range",
                format!("must be 1 to {MAX_ESTIMATE_MINUTES}"),
            )));
        }
        if self.assignees.len() > 20 {
            v.check::<()>(Err(Violation::new("assignees", "too_many", "at most 20")));
        }
        if let Some(h) = self.start_hours
            && !(h.is_finite() && (0.0..=10_000_000.0).contains(&h))
        {
            v.check::<()>(Err(Violation::new("start_hours", "out_of_range", "must be 0 to 10,000,000 hours")));
        }
        let counts_hours = criteria.as_ref().is_some_and(|c| {
            c.iter().any(|c| matches!(c, bosun_domain::maintenance_plan::Criterion::RunningHours { .. }))
        });
        if counts_hours && self.start_hours.is_none() {
            v.check::<()>(Err(Violation::new(
                "start_hours",
                "required",
                "a running-hours criterion counts from the item's hours on the start day",
            )));
        }
        v.finish()?;
        let (Some(title), Some(description), Some(criteria), Some(steps)) = (title, description, criteria, steps)
        else {
            return Err(Error::Internal("checked plan fields".into()));
        };
        p.plan.title = title;
        p.plan.criteria = criteria;
        p.plan.starts_on = self.starts_on;
        p.plan.start_hours = self.start_hours;
        p.plan.lead_days = u32::try_from(self.lead_days).unwrap_or(0);
        p.work = PlanWork {
            description,
            priority: self.priority,
            steps,
            signature_required: self.signature_required,
            estimated: self.estimated_minutes.map(Minutes),
            assignees: self.assignees.iter().fold(Vec::new(), |mut seen: Vec<Assignee>, a| {
                let a = Assignee::from(*a);
                if !seen.contains(&a) {
                    seen.push(a);
                }
                seen
            }),
        };
        Ok(())
    }
}

fn check_long(field: &str, text: &str) -> std::result::Result<String, Violation> {
    bosun_domain::check_long_text(field, text, 0, 10_000)
}

/// Makes a plan for an item (`create_maintenance_plan.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateMaintenancePlan {
    /// Client-made UUIDv7; a new one when absent.
    #[serde(default)]
    pub id: Option<MaintenancePlanId>,
    /// The item.
    pub equipment_id: EquipmentId,
    /// The plan's fields.
    #[serde(flatten)]
    pub fields: PlanFields,
}

/// Replaces a plan's fields (`update_maintenance_plan.v1`); the item cannot change.
#[derive(Debug, Clone, Deserialize)]
pub struct UpdateMaintenancePlan {
    /// The plan.
    pub plan_id: MaintenancePlanId,
    /// The version last seen; a newer stored version is a `version_conflict`.
    #[serde(default)]
    pub version: Option<i64>,
    /// The plan's fields.
    #[serde(flatten)]
    pub fields: PlanFields,
}

/// Postpones the occurrence now due (`postpone_plan.v1`), approved by the caller.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostponePlan {
    /// Client-made UUIDv7; a new one when absent.
    #[serde(default)]
    pub id: Option<PostponementId>,
    /// The plan.
    pub plan_id: MaintenancePlanId,
    /// The occurrence postponed: the one now due.
    pub occurrence: u32,
    /// The new due date of its calendar criteria.
    #[serde(default)]
    pub new_date: Option<NaiveDate>,
    /// Running hours added to its running-hours criterion.
    #[serde(default)]
    pub extra_hours: Option<f64>,
    /// Why, 1–2,000 characters.
    pub reason: String,
    /// Who asked for it (not the caller).
    pub requested_by: UserId,
}

/// A postponement as a write answers it.
#[derive(Debug, Clone)]
pub struct SavedPostponement {
    /// The postponement.
    pub row: StoredPostponement,
    /// False when the same postponement (same client id and content) had been received before.
    pub created: bool,
}

/// A plan as a write answers it.
#[derive(Debug, Clone)]
pub struct SavedPlan {
    /// The plan.
    pub plan: StoredPlan,
    /// False when the same plan (same client id and content) had been received before.
    pub created: bool,
}

mutator!(CreateMaintenancePlan, "create_maintenance_plan.v1", SavedPlan, |app, uow, actor, m| {
    app.plans.create(uow, actor, m).await
});
mutator!(UpdateMaintenancePlan, "update_maintenance_plan.v1", StoredPlan, |app, uow, actor, m| {
    app.plans.update(uow, actor, m).await
});
mutator!(PostponePlan, "postpone_plan.v1", SavedPostponement, |app, uow, actor, m| {
    app.plans.postpone(uow, actor, m).await
});

/// A plan's fields as its change-log row carries them.
pub fn plan_json(p: &StoredPlan) -> serde_json::Value {
    let mut row = serde_json::to_value(PlanFields::of(p)).unwrap_or_default();
    let last = p.progress.last_done;
    if let Some(o) = row.as_object_mut() {
        for (k, v) in [
            ("id", json!(p.plan.id)),
            ("vessel_id", json!(p.plan.vessel_id)),
            ("equipment_id", json!(p.plan.equipment_id)),
            ("occurrence", json!(p.progress.occurrence)),
            ("last_done_on", json!(last.map(|l| l.on))),
            ("last_done_hours", json!(last.and_then(|l| l.hours))),
            ("due_on", json!(p.due_on)),
            ("due_hours", json!(p.due_hours)),
            ("created_by", json!(p.created_by)),
            ("created_at", json!(p.created_at)),
            ("updated_at", json!(p.updated_at)),
        ] {
            o.insert(k.to_owned(), v);
        }
    }
    row
}

/// A postponement's fields as its change-log row carries them.
pub fn postponement_json(p: &StoredPostponement) -> serde_json::Value {
    let x = &p.postponement;
    json!({
        "id": p.id, "plan_id": p.plan_id, "vessel_id": p.vessel_id, "occurrence": x.occurrence,
        "new_date": x.to.date, "extra_hours": x.to.extra_hours, "reason": x.reason, "requested_by": x.requested_by,
        "approved_by": x.approved_by, "approved_at": x.approved_at,
    })
}

/// A plan judged now, with its postponements and completions.
#[derive(Debug, Clone)]
pub struct PlanDetail {
    /// The plan.
    pub plan: StoredPlan,
    /// Where it stands today.
    pub assessment: Assessment,
    /// The item's running hours now, if it has a meter.
    pub hours_now: Option<f64>,
    /// Its recent running hours a day.
    pub daily_rate: Option<f64>,
    /// Postponements, oldest first.
    pub postponements: Vec<StoredPostponement>,
    /// Completions, oldest first.
    pub completions: Vec<PlanCompletion>,
}

/// A plan past its window.
#[derive(Debug, Clone)]
pub struct OverduePlan {
    /// The plan.
    pub plan: StoredPlan,
    /// Where it stands.
    pub state: DueState,
}

/// Planned-maintenance compliance over the last year, overdue plans and backlog.
#[derive(Debug, Clone)]
pub struct MaintenanceFigures {
    /// Plans counted.
    pub plans: u64,
    /// Occurrences done in the last year, and of them inside their window.
    pub done: ComplianceCount,
    /// Open work orders generated by plans.
    pub backlog: u64,
    /// Plans past their window, most overdue first (at most 100).
    pub overdue: Vec<OverduePlan>,
    /// More than [`MAX_FIGURE_PLANS`] plans: only that many were looked at.
    pub truncated: bool,
}

/// What one scheduler run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SchedulerRun {
    /// Plans looked at.
    pub checked: usize,
    /// Work orders generated.
    pub generated: usize,
    /// Companies or vessel batches that failed (logged; the others went on).
    pub failed: usize,
}

/// Maintenance plan use cases and the scheduler.
#[derive(Clone)]
pub struct PlanService {
    /// The store, clock and ids it works with.
    pub deps: Deps,
}

impl PlanService {
    async fn visible(&self, tx: &mut Box<dyn Tx>, actor: &Actor, id: MaintenancePlanId) -> Result<StoredPlan> {
        let p = tx.plan(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, p.plan.vessel_id).await? {
            return Err(Error::NotFound);
        }
        Ok(p)
    }

    async fn create(&self, uow: &mut UnitOfWork, actor: &Actor, m: &CreateMaintenancePlan) -> Result<SavedPlan> {
        let company = actor.company_id;
        let member = self.deps.reach(actor);
        let (item, _) = uow.tx.equipment_seen(company, m.equipment_id, member).await?.ok_or(Error::NotFound)?;
        actor.permit_new(Action::PlanWrite, "maintenance_plan", m.id)?;
        let now = self.deps.clock.now();
        let id = m.id.unwrap_or_else(|| self.deps.ids.id());
        let mut plan = StoredPlan {
            plan: MaintenancePlan {
                id,
                company_id: company,
                vessel_id: item.vessel_id,
                equipment_id: item.id,
                title: String::new(),
                criteria: Vec::new(),
                starts_on: m.fields.starts_on,
                start_hours: None,
                lead_days: 0,
            },
            work: PlanWork {
                description: String::new(),
                priority: Priority::Normal,
                steps: Vec::new(),
                signature_required: false,
                estimated: None,
                assignees: Vec::new(),
            },
            progress: PlanProgress::NEW,
            due_on: None,
            due_hours: None,
            next_check_at: now,
            created_by: actor.user_id,
            version: 0,
            created_at: now,
            updated_at: now,
        };
        m.fields.apply_to(&mut plan)?;
        uow.tx.lock_scope(company, &format!("vessel:{}", item.vessel_id)).await?;
        if let Some(existing) = uow.tx.plan(company, id).await? {
            // The creation sent again: the same content, or (once the plan was edited since)
            // the same person's plan of the same item, a queue replayed on another device.
            let history = uow.tx.row_history(company, "maintenance_plan", id.0, 2).await?;
            let edited = history.last().is_some_and(|(_, c, _)| c.op != "insert");
            let same = existing.plan.equipment_id == item.id
                && existing.created_by == actor.user_id
                && (PlanFields::of(&existing) == PlanFields::of(&plan) || edited);
            return if same { Ok(SavedPlan { plan: existing, created: false }) } else { Err(id_taken("plan", id)) };
        }
        if item.status == EquipmentStatus::Decommissioned {
            return Err(Error::Conflict {
                code: "decommissioned",
                message: format!("{} is decommissioned and takes no new plans", item.name),
            });
        }
        for a in &plan.work.assignees {
            crate::work_orders::check_assignee(&self.deps, &mut uow.tx, actor, item.vessel_id, *a).await?;
        }
        refresh(&mut plan, None, now);
        let tx = &mut uow.tx;
        let fields = plan_json(&plan);
        plan.version = tx
            .record_change(
                company,
                &vessel_change(item.vessel_id, "maintenance_plan", id.0, "insert", fields.clone(), now),
            )
            .await?;
        tx.insert_plan(&plan).await.map_err(id_race)?;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("plan.create", "maintenance_plan", id).after(fields),
            )
            .await?;
        Ok(SavedPlan { plan, created: true })
    }

    async fn update(&self, uow: &mut UnitOfWork, actor: &Actor, m: &UpdateMaintenancePlan) -> Result<StoredPlan> {
        let company = actor.company_id;
        let id = m.plan_id;
        let seen = self.visible(&mut uow.tx, actor, id).await?;
        actor.permit(Action::PlanWrite, "maintenance_plan", id)?;
        let scope = format!("vessel:{}", seen.plan.vessel_id);
        uow.tx.lock_scope(company, &scope).await?;
        let current = self.visible(&mut uow.tx, actor, id).await?;
        let stored = PlanFields::of(&current);
        let edit = crate::conflicts::FieldEdit {
            at: (&scope, "maintenance_plan", id.0),
            names: PLAN_FIELDS,
            seen: m.version,
            version: current.version,
            mine: &m.fields,
            current: &stored,
        };
        let fields = uow.edited_fields(&self.deps, actor, edit).await?;
        if fields == PlanFields::of(&current) {
            return Ok(current);
        }
        let mut plan = current.clone();
        fields.apply_to(&mut plan)?;
        for a in &plan.work.assignees {
            if !current.work.assignees.contains(a) {
                crate::work_orders::check_assignee(&self.deps, &mut uow.tx, actor, plan.plan.vessel_id, *a).await?;
            }
        }
        let now = self.deps.clock.now();
        let postponement = self.current_postponement(&mut uow.tx, &plan).await?;
        refresh(&mut plan, postponement, now);
        plan.updated_at = now;
        let tx = &mut uow.tx;
        let before = plan_json(&current);
        let after = plan_json(&plan);
        plan.version = tx
            .record_change(
                company,
                &vessel_change(plan.plan.vessel_id, "maintenance_plan", id.0, "update", after.clone(), now),
            )
            .await?;
        tx.update_plan(&plan).await?;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("plan.update", "maintenance_plan", id).before(before).after(after),
            )
            .await?;
        Ok(plan)
    }

    /// The approved postponement of the plan's current occurrence, if any (the latest).
    async fn current_postponement(
        &self,
        tx: &mut Box<dyn Tx>,
        p: &StoredPlan,
    ) -> Result<Option<bosun_domain::maintenance_plan::Postponement>> {
        Ok(tx
            .postponements(p.plan.company_id, p.plan.id)
            .await?
            .into_iter()
            .filter(|x| x.postponement.occurrence == p.progress.occurrence)
            .map(|x| x.postponement)
            .next_back())
    }

    async fn postpone(&self, uow: &mut UnitOfWork, actor: &Actor, m: &PostponePlan) -> Result<SavedPostponement> {
        let company = actor.company_id;
        if let Some(id) = m.id
            && let Some(existing) = uow.tx.postponement(company, id).await?
        {
            self.visible(&mut uow.tx, actor, existing.plan_id).await?;
            let x = &existing.postponement;
            let same = existing.plan_id == m.plan_id
                && x.occurrence == m.occurrence
                && x.to == PostponedTo { date: m.new_date, extra_hours: m.extra_hours }
                && x.requested_by == m.requested_by
                && x.approved_by == actor.user_id;
            return if same {
                Ok(SavedPostponement { row: existing, created: false })
            } else {
                Err(id_taken("postponement", id))
            };
        }
        let seen = self.visible(&mut uow.tx, actor, m.plan_id).await?;
        actor.permit(Action::PlanPostpone, "maintenance_plan", m.plan_id)?;
        let scope = format!("vessel:{}", seen.plan.vessel_id);
        uow.tx.lock_scope(company, &scope).await?;
        let mut plan = self.visible(&mut uow.tx, actor, m.plan_id).await?;
        if m.occurrence != plan.progress.occurrence {
            return Err(Error::Conflict {
                code: "occurrence_passed",
                message: format!(
                    "occurrence {} is not the one due (occurrence {} is): look at the plan again",
                    m.occurrence, plan.progress.occurrence
                ),
            });
        }
        let requester = uow.tx.membership(company, m.requested_by).await?;
        if !requester.is_some_and(|r| r.active) {
            return Err(Error::NotFound);
        }
        let now = self.deps.clock.now();
        let mut progress = plan.progress.clone();
        progress.postponement = self.current_postponement(&mut uow.tx, &plan).await?;
        let counts_days = plan.plan.criteria.iter().any(|c| matches!(c, Criterion::Calendar { .. }));
        let counts_hours = plan.plan.criteria.iter().any(|c| matches!(c, Criterion::RunningHours { .. }));
        let mut v = Violations::default();
        if let Some(day) = m.new_date {
            v.check(crate::check_day("new_date", day));
            if !counts_days {
                v.check::<()>(Err(Violation::new("new_date", "not_counted", "the plan counts no calendar days")));
            }
        }
        if m.extra_hours.is_some() && !counts_hours {
            v.check::<()>(Err(Violation::new("extra_hours", "not_counted", "the plan counts no running hours")));
        }
        v.finish()?;
        let to = PostponedTo { date: m.new_date, extra_hours: m.extra_hours };
        let postponement = plan
            .plan
            .postpone(&progress, to, &m.reason, m.requested_by, actor.user_id, now)
            .map_err(|v| Error::Invalid(vec![v]))?;
        let stored = StoredPostponement {
            id: m.id.unwrap_or_else(|| self.deps.ids.id()),
            company_id: company,
            vessel_id: plan.plan.vessel_id,
            plan_id: plan.plan.id,
            postponement: postponement.clone(),
        };
        let tx = &mut uow.tx;
        let fields = postponement_json(&stored);
        let version = tx
            .record_change(
                company,
                &vessel_change(plan.plan.vessel_id, "plan_postponement", stored.id.0, "insert", fields.clone(), now),
            )
            .await?;
        tx.insert_postponement(&stored, version).await.map_err(id_race)?;
        // The plan's due points move with it.
        let before = plan_json(&plan);
        refresh(&mut plan, Some(postponement), now);
        plan.updated_at = now;
        let after = plan_json(&plan);
        plan.version = tx
            .record_change(
                company,
                &vessel_change(plan.plan.vessel_id, "maintenance_plan", plan.plan.id.0, "update", after.clone(), now),
            )
            .await?;
        tx.update_plan(&plan).await?;
        self.deps
            .audit(
                tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("plan.postpone", "maintenance_plan", plan.plan.id).before(before).after(fields),
            )
            .await?;
        // The occurrence's work order, if generated and still open, is due when the plan is.
        if let Some(order_id) = tx.plan_order(company, plan.plan.id, plan.progress.occurrence).await?
            && let Some(order) = tx.work_order(company, order_id).await?
            && !matches!(order.status, WorkOrderStatus::Done | WorkOrderStatus::Verified | WorkOrderStatus::Cancelled)
            && plan.due_on.is_some()
            && order.due_on != plan.due_on
        {
            let mut moved = order.clone();
            moved.due_on = plan.due_on;
            moved.updated_at = now;
            let fields = crate::work_orders::work_order_json(&moved);
            moved.version = tx
                .record_change(
                    company,
                    &vessel_change(moved.vessel_id, "work_order", order_id.0, "update", fields.clone(), now),
                )
                .await?;
            tx.update_work_order(&moved).await?;
            self.deps
                .audit(
                    tx,
                    company,
                    Some(actor.user_id),
                    &actor.meta,
                    Audit::ok("workorder.postpone", "work_order", order_id)
                        .before(crate::work_orders::work_order_json(&order))
                        .after(fields),
                )
                .await?;
        }
        Ok(SavedPostponement { row: stored, created: true })
    }

    /// Advances the plan of a work order that ended now: completed (`complete_work_order.v1`)
    /// or cancelled (`cancel_work_order.v1`, the occurrence skipped). Records how the
    /// occurrence ended, judged against its window, and how any occurrences passed over by a
    /// late schedule-based completion ended (missed), then moves the plan on. An order of an
    /// occurrence the plan has passed changes nothing.
    pub(crate) async fn ended(
        &self,
        tx: &mut Box<dyn Tx>,
        order: &WorkOrder,
        outcome: PlanOutcome,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let Origin::Plan { plan_id, occurrence } = order.origin else { return Ok(()) };
        let company = order.company_id;
        let Some(mut plan) = tx.plan(company, plan_id).await? else { return Ok(()) };
        if plan.progress.occurrence != occurrence {
            return Ok(());
        }
        let postponement = self.current_postponement(tx, &plan).await?;
        let readings = item_readings(tx, company, plan.plan.equipment_id).await?;
        // Without a reading the hours are taken to be the due point's, so the next interval
        // counts from there rather than from a start long passed.
        let hours = (!readings.is_empty()).then(|| running_hours(&readings)).or(plan.due_hours);
        let today = now.date_naive();
        let progress = PlanProgress { postponement, ..plan.progress.clone() };
        let assessment = plan.plan.assess(&progress, Situation { today, hours, daily_rate: None });
        let in_window = outcome == PlanOutcome::Done && judged_in_window(&plan.plan, &assessment);
        let (due_on, due_hours) = plan.plan.due(&progress);
        let end = |occurrence: u32, outcome: PlanOutcome, due: (Option<NaiveDate>, Option<f64>)| PlanCompletion {
            company_id: company,
            plan_id,
            occurrence,
            vessel_id: plan.plan.vessel_id,
            outcome,
            work_order_id: (outcome != PlanOutcome::Missed).then_some(order.id),
            done_on: today,
            done_hours: hours,
            due_on: due.0,
            due_hours: due.1,
            in_window,
        };
        tx.insert_completion(&end(occurrence, outcome, (due_on, due_hours))).await?;
        let before = plan_json(&plan);
        plan.progress = match outcome {
            PlanOutcome::Done => plan.plan.complete(&progress, Completion { on: today, hours }),
            // Skipped: the next occurrence is due; counting from the last completion still.
            _ => PlanProgress {
                occurrence: occurrence.saturating_add(1),
                last_done: progress.last_done,
                postponement: None,
            },
        };
        for passed in occurrence.saturating_add(1)..plan.progress.occurrence {
            let was = PlanProgress { occurrence: passed, last_done: progress.last_done, postponement: None };
            let missed = PlanCompletion { in_window: false, ..end(passed, PlanOutcome::Missed, plan.plan.due(&was)) };
            tx.insert_completion(&missed).await?;
        }
        refresh(&mut plan, None, now);
        plan.updated_at = now;
        let after = plan_json(&plan);
        plan.version = tx
            .record_change(
                company,
                &vessel_change(plan.plan.vessel_id, "maintenance_plan", plan_id.0, "update", after.clone(), now),
            )
            .await?;
        tx.update_plan(&plan).await?;
        let action = if outcome == PlanOutcome::Done { "plan.complete" } else { "plan.skip" };
        self.deps
            .audit(
                tx,
                company,
                None,
                &Default::default(),
                Audit::ok(action, "maintenance_plan", plan_id).before(before).after(json!({
                    "occurrence": occurrence, "work_order_id": order.id, "in_window": in_window,
                    "next_occurrence": plan.progress.occurrence,
                })),
            )
            .await?;
        Ok(())
    }

    /// Plans the caller may see, newest first.
    pub async fn list(
        &self,
        actor: &Actor,
        vessel: Option<VesselId>,
        equipment: Option<EquipmentId>,
        page: Page<MaintenancePlanId>,
    ) -> Result<(Vec<StoredPlan>, Option<MaintenancePlanId>)> {
        actor.require(Action::WorkOrderRead)?;
        let filter = PlanFilter { scope: self.deps.scope_for(actor, vessel), equipment };
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let rows = tx.list_plans(actor.company_id, &filter, Page { after: page.after, limit: page.limit + 1 }).await?;
        Ok(crate::page_of(rows, page.limit, |p| p.plan.id))
    }

    /// One plan judged today, with its postponements and completions.
    pub async fn detail(&self, actor: &Actor, id: MaintenancePlanId) -> Result<PlanDetail> {
        actor.require(Action::WorkOrderRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let plan = self.visible(&mut tx, actor, id).await?;
        let now = self.deps.clock.now();
        let postponements = tx.postponements(actor.company_id, id).await?;
        let postponement = postponements
            .iter()
            .filter(|x| x.postponement.occurrence == plan.progress.occurrence)
            .map(|x| x.postponement.clone())
            .next_back();
        let readings = item_readings(&mut tx, actor.company_id, plan.plan.equipment_id).await?;
        let hours_now = (!readings.is_empty()).then(|| running_hours(&readings));
        let daily_rate = daily_hour_rate(&readings, now, RATE_WINDOW_DAYS);
        let progress = PlanProgress { postponement, ..plan.progress.clone() };
        let assessment =
            plan.plan.assess(&progress, Situation { today: now.date_naive(), hours: hours_now, daily_rate });
        let completions = tx.completions(actor.company_id, id).await?;
        Ok(PlanDetail { plan, assessment, hours_now, daily_rate, postponements, completions })
    }

    /// Compliance over the last year, overdue plans and backlog, on the vessels the caller sees
    /// (or one of them).
    pub async fn figures(&self, actor: &Actor, vessel: Option<VesselId>) -> Result<MaintenanceFigures> {
        actor.require(Action::AnalyticsRead)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        if let Some(v) = vessel
            && (tx.vessel(actor.company_id, v).await?.is_none() || !self.deps.sees_vessel(&mut tx, actor, v).await?)
        {
            return Err(Error::NotFound);
        }
        let scope = self.deps.scope_for(actor, vessel);
        let now = self.deps.clock.now();
        let since = now.date_naive().checked_sub_days(Days::new(COMPLIANCE_DAYS)).unwrap_or(now.date_naive());
        let done = tx.compliance(actor.company_id, &scope, since).await?;
        let filter = PlanFilter { scope, equipment: None };
        // Judged from the due points each row keeps (postponements included), with one read
        // of readings per item counting hours, and at most `MAX_FIGURE_PLANS` plans.
        let (mut plans, mut after, mut overdue, mut truncated) = (0u64, None, Vec::new(), false);
        let mut hours_cache = HashMap::new();
        let today = now.date_naive();
        'pages: loop {
            let page = tx.list_plans(actor.company_id, &filter, Page { after, limit: 1000 }).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.plan.id);
            let full = page.len() == 1000;
            for p in page {
                if plans >= MAX_FIGURE_PLANS {
                    truncated = true;
                    break 'pages;
                }
                plans += 1;
                let hours = if p.due_hours.is_some() {
                    match hours_cache.get(&p.plan.equipment_id) {
                        Some(h) => *h,
                        None => {
                            let r = item_readings(&mut tx, actor.company_id, p.plan.equipment_id).await?;
                            let h = (!r.is_empty()).then(|| running_hours(&r));
                            hours_cache.insert(p.plan.equipment_id, h);
                            h
                        }
                    }
                } else {
                    None
                };
                let state = state_by_points(&p, today, hours);
                if state == DueState::Overdue {
                    overdue.push(OverduePlan { plan: p, state });
                }
            }
            if !full {
                break;
            }
        }
        overdue.sort_by_key(|o| (o.plan.due_on.unwrap_or(NaiveDate::MAX), o.plan.plan.id));
        overdue.truncate(100);
        let backlog = tx.plan_backlog(actor.company_id, &scope).await?;
        Ok(MaintenanceFigures { plans, done, backlog, overdue, truncated })
    }

    /// One scheduler run over every company: generates the work orders that fall due, claiming
    /// `batch_size` plans at a time ([`SCHEDULER_BATCH`] in the server's job). A company or a
    /// vessel whose batch fails is logged and counted, and the run goes on with the others.
    pub async fn schedule_all(&self, store: &dyn Store, batch_size: u32) -> Result<SchedulerRun> {
        let mut total = SchedulerRun::default();
        let companies = {
            let mut tx = store.begin_read(None).await?;
            tx.list_company_ids().await?
        };
        for company in companies {
            match self.schedule(store, company, batch_size).await {
                Ok(run) => {
                    total.checked += run.checked;
                    total.generated += run.generated;
                    total.failed += run.failed;
                }
                Err(e) => {
                    tracing::warn!(%company, error = %e, "the maintenance scheduler could not read the company");
                    total.failed += 1;
                }
            }
        }
        Ok(total)
    }

    /// One scheduler run over one company: vessel by vessel, batch by batch, each batch in a
    /// transaction of its own that takes the vessel scope's lock first, as every write of the
    /// vessel does (so a batch never waits on a lock held by a write that waits on it). Devices
    /// holding a vessel whose work orders were generated are told its scope changed.
    pub async fn schedule(&self, store: &dyn Store, company: CompanyId, batch_size: u32) -> Result<SchedulerRun> {
        let batch_size = batch_size.clamp(1, 10_000);
        let mut run = SchedulerRun::default();
        let vessels = {
            let mut tx = store.begin_read(Some(company)).await?;
            tx.vessels_with_due_plans(company, self.deps.clock.now()).await?
        };
        for vessel in vessels {
            let mut seen = HashSet::new();
            loop {
                let now = self.deps.clock.now();
                let batch = self.schedule_batch(store, company, vessel, batch_size, &mut seen, now).await;
                let (claimed, checked, generated) = match batch {
                    Ok(counts) => counts,
                    Err(e) => {
                        tracing::warn!(%company, %vessel, error = %e, "a maintenance scheduler batch failed");
                        run.failed += 1;
                        break;
                    }
                };
                run.checked += checked;
                run.generated += generated;
                if generated > 0 {
                    self.deps
                        .events
                        .publish(crate::realtime::LiveEvent {
                            company_id: company,
                            vessel_id: Some(vessel),
                            kind: "sync.changed".into(),
                            entity_id: uuid::Uuid::nil(),
                            summary: json!({}),
                            at: now,
                        })
                        .await;
                }
                if claimed < batch_size as usize {
                    break;
                }
            }
        }
        Ok(run)
    }

    /// One batch of one vessel's plans in one transaction: (claimed, checked, generated).
    async fn schedule_batch(
        &self,
        store: &dyn Store,
        company: CompanyId,
        vessel: VesselId,
        batch_size: u32,
        seen: &mut HashSet<MaintenancePlanId>,
        now: DateTime<Utc>,
    ) -> Result<(usize, usize, usize)> {
        let mut tx = store.begin(Some(company)).await?;
        tx.lock_scope(company, &format!("vessel:{vessel}")).await?;
        let batch = tx.claim_due_plans(company, vessel, now, batch_size).await?;
        let claimed = batch.len();
        let mut plans: Vec<StoredPlan> = batch.into_iter().filter(|p| seen.insert(p.plan.id)).collect();
        let generated = self.check_plans(&mut tx, company, &mut plans, now).await?;
        tx.commit().await?;
        Ok((claimed, plans.len(), generated))
    }

    /// Looks at claimed plans of one vessel together: generates each due occurrence's work
    /// order and sets when to look at each plan again; answers how many orders were generated.
    /// The batch is read and written in a few statements whatever its size (postponements,
    /// orders already generated, items; the orders, their change-log rows and audit entries;
    /// the check times), each item's running hours read once.
    async fn check_plans(
        &self,
        tx: &mut Box<dyn Tx>,
        company: CompanyId,
        plans: &mut [StoredPlan],
        now: DateTime<Utc>,
    ) -> Result<usize> {
        if plans.is_empty() {
            return Ok(0);
        }
        let ids: Vec<MaintenancePlanId> = plans.iter().map(|p| p.plan.id).collect();
        let postponements = tx.postponements_of(company, &ids).await?;
        let generated_before: HashSet<(MaintenancePlanId, u32)> =
            tx.plan_occurrences(company, &ids).await?.into_iter().collect();
        // Each running-hours item's hours and recent daily rate, from its readings.
        let hour_items: Vec<EquipmentId> = plans
            .iter()
            .filter(|p| p.due_hours.is_some())
            .map(|p| p.plan.equipment_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let mut by_item: HashMap<EquipmentId, Vec<MeterReading>> = HashMap::new();
        for r in tx.readings_of(company, &hour_items).await? {
            by_item.entry(r.equipment_id).or_default().push(r.reading);
        }
        let meters: HashMap<EquipmentId, (Option<f64>, Option<f64>)> = hour_items
            .iter()
            .map(|item| {
                let readings = by_item.get(item).map_or(&[][..], Vec::as_slice);
                let meter = (
                    (!readings.is_empty()).then(|| running_hours(readings)),
                    daily_hour_rate(readings, now, RATE_WINDOW_DAYS),
                );
                (*item, meter)
            })
            .collect();
        let today = now.date_naive();
        let mut due = Vec::new();
        for plan in plans.iter_mut() {
            // The latest postponement of the current occurrence counts.
            let postponement = postponements
                .iter()
                .filter(|x| x.plan_id == plan.plan.id && x.postponement.occurrence == plan.progress.occurrence)
                .map(|x| x.postponement.clone())
                .next_back();
            let (hours, rate) = if plan.due_hours.is_some() {
                meters.get(&plan.plan.equipment_id).copied().unwrap_or((None, None))
            } else {
                (None, None)
            };
            let progress = PlanProgress { postponement, ..plan.progress.clone() };
            let assessment = plan.plan.assess(&progress, Situation { today, hours, daily_rate: rate });
            if plan.plan.should_generate(&assessment, today) {
                if !generated_before.contains(&(plan.plan.id, plan.progress.occurrence)) {
                    due.push((plan.clone(), assessment.forecast.or(plan.due_on)));
                }
                // Looked at again once this occurrence's order ends (done or cancelled), which
                // moves the plan on and sets the time.
                plan.next_check_at = far_future(now);
            } else {
                plan.next_check_at = next_check(plan, &assessment, now);
            }
        }
        let generated = self.generate(tx, company, &due, now).await?;
        let checks: Vec<(MaintenancePlanId, DateTime<Utc>)> =
            plans.iter().map(|p| (p.plan.id, p.next_check_at)).collect();
        tx.set_next_checks(company, &checks).await?;
        Ok(generated)
    }

    /// Generates the work orders of due occurrences (plan, due day) whose item is in service,
    /// as the system; answers how many.
    async fn generate(
        &self,
        tx: &mut Box<dyn Tx>,
        company: CompanyId,
        due: &[(StoredPlan, Option<NaiveDate>)],
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let items: Vec<EquipmentId> =
            due.iter().map(|(p, _)| p.plan.equipment_id).collect::<HashSet<_>>().into_iter().collect();
        let in_service: HashSet<EquipmentId> = tx
            .equipment_by_ids(company, &items)
            .await?
            .into_iter()
            .filter(|i| i.status != EquipmentStatus::Decommissioned)
            .map(|i| i.id)
            .collect();
        let mut orders = Vec::with_capacity(due.len());
        for (plan, due_on) in due.iter().filter(|(p, _)| in_service.contains(&p.plan.equipment_id)) {
            let draft = NewWorkOrder {
                id: self.deps.ids.id::<WorkOrderId>(),
                company_id: plan.plan.company_id,
                vessel_id: plan.plan.vessel_id,
                equipment_id: plan.plan.equipment_id,
                origin: Origin::Plan { plan_id: plan.plan.id, occurrence: plan.progress.occurrence },
                title: plan.plan.title.clone(),
                description: plan.work.description.clone(),
                priority: plan.work.priority,
                assignees: plan.work.assignees.clone(),
                due_on: *due_on,
                estimated: plan.work.estimated,
                steps: plan.work.steps.clone(),
                signature_required: plan.work.signature_required,
                created_by: plan.created_by,
                created_at: now,
            };
            orders.push(WorkOrder::create(draft.check().map_err(|v| Error::Invalid(vec![v]))?));
        }
        crate::work_orders::insert_orders(&self.deps, tx, company, orders, "workorder.generate").await
    }
}

/// The item's meter readings in time order.
async fn item_readings(tx: &mut Box<dyn Tx>, company: CompanyId, item: EquipmentId) -> Result<Vec<MeterReading>> {
    Ok(tx.readings(company, item).await?.into_iter().map(|r| r.reading).collect())
}

/// Whether work done now counts as done in its window: every criterion with a due point is
/// inside its window (a criterion done before its window opened, or after it closed, is not).
fn judged_in_window(plan: &MaintenancePlan, a: &Assessment) -> bool {
    let judged: Vec<DueState> =
        plan.criteria.iter().zip(&a.criteria).filter(|(_, s)| s.due.is_some()).map(|(_, s)| s.state).collect();
    // Whichever comes first: done in the window of the criterion that fell due first.
    let first = judged.iter().copied().max();
    first.is_some_and(DueState::is_in_window)
}

/// Where a plan stands by the due points its row keeps (postponement included): each calendar
/// criterion against `due_on` with its own tolerance, the running-hours one against
/// `due_hours`; the most advanced wins. The app judges a plan's row the same way.
fn state_by_points(p: &StoredPlan, today: NaiveDate, hours: Option<f64>) -> DueState {
    p.plan
        .criteria
        .iter()
        .map(|c| match c {
            Criterion::Calendar { tolerance, .. } => {
                p.due_on.map_or(DueState::NotDue, |d| DueState::of_delta((today - d).num_days() as f64, *tolerance))
            }
            Criterion::RunningHours { tolerance, .. } => match (hours, p.due_hours) {
                (Some(now), Some(due)) => DueState::of_delta(now - due, *tolerance),
                _ => DueState::NotDue,
            },
        })
        .max()
        .unwrap_or(DueState::NotDue)
}

/// Sets the plan's due points for its current occurrence and asks the scheduler to look at it
/// now (it will compute the next check itself).
fn refresh(p: &mut StoredPlan, postponement: Option<bosun_domain::maintenance_plan::Postponement>, now: DateTime<Utc>) {
    let progress = PlanProgress { postponement, ..p.progress.clone() };
    (p.due_on, p.due_hours) = p.plan.due(&progress);
    p.next_check_at = now;
}

/// A time the scheduler never reaches by itself (a completion or an edit sets it again).
fn far_future(now: DateTime<Utc>) -> DateTime<Utc> {
    now + chrono::Duration::days(3650)
}

/// When a plan not yet due is looked at again: the day its window or lead time opens for the
/// calendar, the forecast day less the lead time for running hours, and at least daily for a
/// running-hours plan without a forecast (a reading also brings it forward).
fn next_check(p: &StoredPlan, a: &Assessment, now: DateTime<Utc>) -> DateTime<Utc> {
    let lead = i64::from(p.plan.lead_days);
    let mut next = far_future(now);
    for (c, s) in p.plan.criteria.iter().zip(&a.criteria) {
        let at = match (c, s.due, s.forecast) {
            (
                bosun_domain::maintenance_plan::Criterion::Calendar { tolerance, .. },
                Some(bosun_domain::maintenance_plan::DuePoint::Date(d)),
                _,
            ) => {
                let ahead = lead.max(tolerance.early.ceil() as i64);
                day_start(d - chrono::Duration::days(ahead))
            }
            (_, _, Some(f)) => day_start(f - chrono::Duration::days(lead)),
            _ => now + chrono::Duration::days(1),
        };
        next = next.min(at);
    }
    next.max(now + chrono::Duration::minutes(1))
}

fn day_start(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).map_or(DateTime::<Utc>::MIN_UTC, |t| t.and_utc())
}

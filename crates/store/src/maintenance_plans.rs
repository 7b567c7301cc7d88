//! Ports for preventive maintenance plans (ADR 0007 §4): the plans with what their work orders
//! carry and where they stand, their insert-only postponements, and their completions (kept
//! for compliance: done within the window or not).

use async_trait::async_trait;
use bosun_domain::maintenance_plan::{MaintenancePlan, PlanProgress, Postponement};
use bosun_domain::procedure::Step;
use bosun_domain::work_order::{Assignee, Minutes, Priority};
use bosun_domain::{CompanyId, EquipmentId, MaintenancePlanId, PostponementId, UserId, VesselId, WorkOrderId};
use chrono::{DateTime, NaiveDate, Utc};

use crate::{Page, StoreResult, VesselScope};

/// What each occurrence's work order carries.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanWork {
    /// What to do, up to 10,000 characters.
    pub description: String,
    /// How soon.
    pub priority: Priority,
    /// The checklist each work order copies.
    pub steps: Vec<Step>,
    /// Completion needs a signature.
    pub signature_required: bool,
    /// Estimated time.
    pub estimated: Option<Minutes>,
    /// People or departments of the vessel.
    pub assignees: Vec<Assignee>,
}

/// A plan as stored: the domain's plan, its work, where it stands and when the scheduler
/// looks at it next.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPlan {
    /// The plan (criteria, start, lead days).
    pub plan: MaintenancePlan,
    /// What its work orders carry.
    pub work: PlanWork,
    /// The occurrence now due and the last completion (the postponement is read apart).
    pub progress: PlanProgress,
    /// The current occurrence's calendar due date, postponement included.
    pub due_on: Option<NaiveDate>,
    /// The running-hours total it falls due at, postponement included.
    pub due_hours: Option<f64>,
    /// When the scheduler looks at it next.
    pub next_check_at: DateTime<Utc>,
    /// Who made it.
    pub created_by: UserId,
    /// Version (sync sequence of its last change).
    pub version: i64,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A postponement with what the row keeps beside the domain's.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPostponement {
    /// Its id.
    pub id: PostponementId,
    /// Its company.
    pub company_id: CompanyId,
    /// The plan's vessel.
    pub vessel_id: VesselId,
    /// The plan.
    pub plan_id: MaintenancePlanId,
    /// The postponement.
    pub postponement: Postponement,
}

/// How an occurrence ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanOutcome {
    /// Done by its work order.
    Done,
    /// Its work order was cancelled.
    Skipped,
    /// Passed over when a later occurrence was done (a schedule-based plan done late).
    Missed,
}

impl PlanOutcome {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Skipped => "skipped",
            Self::Missed => "missed",
        }
    }
}

impl std::str::FromStr for PlanOutcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "done" => Ok(Self::Done),
            "skipped" => Ok(Self::Skipped),
            "missed" => Ok(Self::Missed),
            other => Err(format!("unknown plan outcome {other:?}")),
        }
    }
}

/// How one occurrence ended: when, against which due points, and whether in its window.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanCompletion {
    /// Its company.
    pub company_id: CompanyId,
    /// The plan.
    pub plan_id: MaintenancePlanId,
    /// The occurrence.
    pub occurrence: u32,
    /// The plan's vessel.
    pub vessel_id: VesselId,
    /// How it ended.
    pub outcome: PlanOutcome,
    /// Its work order (none for a missed occurrence).
    pub work_order_id: Option<WorkOrderId>,
    /// The day it ended (UTC).
    pub done_on: NaiveDate,
    /// The item's running hours then, if known.
    pub done_hours: Option<f64>,
    /// The calendar due date it answered.
    pub due_on: Option<NaiveDate>,
    /// The running-hours due point it answered.
    pub due_hours: Option<f64>,
    /// Done inside its tolerance window (never for a skipped or missed one).
    pub in_window: bool,
}

/// Which plans to list.
#[derive(Debug, Clone, Default)]
pub struct PlanFilter {
    /// Which vessels.
    pub scope: VesselScope,
    /// Only on this item.
    pub equipment: Option<EquipmentId>,
}

/// Occurrences counted for compliance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ComplianceCount {
    /// Occurrences that ended (done, skipped or missed).
    pub done: u64,
    /// Of them, done inside their window.
    pub in_window: u64,
}

/// Maintenance plans, their postponements and completions.
#[async_trait]
pub trait PlanRepo {
    /// Stores a new plan.
    async fn insert_plan(&mut self, p: &StoredPlan) -> StoreResult<()>;
    /// One plan.
    async fn plan(&mut self, company: CompanyId, id: MaintenancePlanId) -> StoreResult<Option<StoredPlan>>;
    /// Replaces a plan's fields, progress, due points, check time, version and time.
    async fn update_plan(&mut self, p: &StoredPlan) -> StoreResult<()>;
    /// Plans matching `filter`, newest id first, before `page.after`.
    async fn list_plans(
        &mut self,
        company: CompanyId,
        filter: &PlanFilter,
        page: Page<MaintenancePlanId>,
    ) -> StoreResult<Vec<StoredPlan>>;
    /// The vessels with plans whose check time is at or before `now`.
    async fn vessels_with_due_plans(&mut self, company: CompanyId, now: DateTime<Utc>) -> StoreResult<Vec<VesselId>>;
    /// Up to `limit` plans of `vessel` whose check time is at or before `now`, earliest first,
    /// for the scheduler. On PostgreSQL they are locked for this transaction and plans another
    /// transaction holds are skipped (`FOR UPDATE SKIP LOCKED`).
    async fn claim_due_plans(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<StoredPlan>>;
    /// Sets the check time of the item's plans that count running hours to `at` (a new reading).
    async fn recheck_hour_plans(
        &mut self,
        company: CompanyId,
        equipment: EquipmentId,
        at: DateTime<Utc>,
    ) -> StoreResult<u64>;

    /// The work order of a plan's occurrence, if one was generated (in any status).
    async fn plan_order(
        &mut self,
        company: CompanyId,
        plan: MaintenancePlanId,
        occurrence: u32,
    ) -> StoreResult<Option<WorkOrderId>>;
    /// The occurrences of `plans` that have a work order (in any status), in no order.
    async fn plan_occurrences(
        &mut self,
        company: CompanyId,
        plans: &[MaintenancePlanId],
    ) -> StoreResult<Vec<(MaintenancePlanId, u32)>>;
    /// Sets plans' check times alone (the scheduler's pass; nothing else of the plan changes).
    async fn set_next_checks(
        &mut self,
        company: CompanyId,
        checks: &[(MaintenancePlanId, DateTime<Utc>)],
    ) -> StoreResult<()>;
    /// Open, in-progress and held work orders generated by plans on the vessels of `scope`.
    async fn plan_backlog(&mut self, company: CompanyId, scope: &VesselScope) -> StoreResult<u64>;

    /// Appends a postponement with the version its change-log row took (insert-only).
    async fn insert_postponement(&mut self, p: &StoredPostponement, version: i64) -> StoreResult<()>;
    /// One postponement.
    async fn postponement(&mut self, company: CompanyId, id: PostponementId)
    -> StoreResult<Option<StoredPostponement>>;
    /// A plan's postponements, oldest id first.
    async fn postponements(
        &mut self,
        company: CompanyId,
        plan: MaintenancePlanId,
    ) -> StoreResult<Vec<StoredPostponement>>;

    /// The postponements of several plans, each plan's oldest first.
    async fn postponements_of(
        &mut self,
        company: CompanyId,
        plans: &[MaintenancePlanId],
    ) -> StoreResult<Vec<StoredPostponement>>;

    /// Records how an occurrence ended (insert-only; the same occurrence twice is a `Conflict`).
    async fn insert_completion(&mut self, c: &PlanCompletion) -> StoreResult<()>;
    /// A plan's completions, oldest occurrence first.
    async fn completions(&mut self, company: CompanyId, plan: MaintenancePlanId) -> StoreResult<Vec<PlanCompletion>>;
    /// Occurrences that ended on or after `since` on the vessels of `scope`.
    async fn compliance(
        &mut self,
        company: CompanyId,
        scope: &VesselScope,
        since: NaiveDate,
    ) -> StoreResult<ComplianceCount>;
}

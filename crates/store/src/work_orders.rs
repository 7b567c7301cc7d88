//! Ports for work orders (ADR 0007): the orders with their copied checklists, the
//! insert-only answers to their steps and labour entries, and the parts issued to them.

use async_trait::async_trait;
use bosun_domain::procedure::{Step, StepResult};
use bosun_domain::stock::StockEntry;
use bosun_domain::work_order::{LabourEntry, WorkOrder, WorkOrderStatus};
use bosun_domain::{CompanyId, EquipmentId, LabourEntryId, ProcedureId, StepResultId, UserId, VesselId, WorkOrderId};
use chrono::{DateTime, Utc};

use crate::{Page, StoreResult, VesselScope};

/// Which work orders to list.
#[derive(Debug, Clone, Default)]
pub struct WorkOrderFilter {
    /// Which vessels.
    pub scope: VesselScope,
    /// Only on this item.
    pub equipment: Option<EquipmentId>,
    /// Only these statuses (empty: any).
    pub statuses: Vec<WorkOrderStatus>,
}

/// A step result with what the row keeps beside the domain's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredStepResult {
    /// Its company.
    pub company_id: CompanyId,
    /// The work order's vessel.
    pub vessel_id: VesselId,
    /// The work order.
    pub work_order_id: WorkOrderId,
    /// Who recorded it.
    pub recorded_by: UserId,
    /// The answer and its outcome.
    pub result: StepResult,
}

/// A labour entry with what the row keeps beside the domain's entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLabour {
    /// Its company.
    pub company_id: CompanyId,
    /// The work order's vessel.
    pub vessel_id: VesselId,
    /// Who recorded it.
    pub recorded_by: UserId,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// The entry (stored without a rate for now).
    pub entry: LabourEntry,
}

/// A procedure: the company's reusable checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct Procedure {
    /// Its id.
    pub id: ProcedureId,
    /// Its company.
    pub company_id: CompanyId,
    /// What it is for, 1–200 characters.
    pub title: String,
    /// Notes, up to 10,000 characters.
    pub description: String,
    /// The steps a work order copies.
    pub steps: Vec<Step>,
    /// Who made it.
    pub created_by: UserId,
    /// Version (sync sequence of its last change).
    pub version: i64,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// Work orders, their step results, labour and issued parts.
#[async_trait]
pub trait WorkOrderRepo {
    /// Stores a new work order; a plan's occurrence already generated is a `Conflict`.
    async fn insert_work_order(&mut self, w: &WorkOrder) -> StoreResult<()>;
    /// Stores new work orders, as many [`WorkOrderRepo::insert_work_order`] calls would
    /// (PostgreSQL in one statement; any conflict refuses them all).
    async fn insert_work_orders(&mut self, orders: &[WorkOrder]) -> StoreResult<()>;
    /// One work order.
    async fn work_order(&mut self, company: CompanyId, id: WorkOrderId) -> StoreResult<Option<WorkOrder>>;
    /// Replaces a work order's fields, status, version and time.
    async fn update_work_order(&mut self, w: &WorkOrder) -> StoreResult<WorkOrder>;
    /// Work orders matching `filter`, newest id first, before `page.after`.
    async fn list_work_orders(
        &mut self,
        company: CompanyId,
        filter: &WorkOrderFilter,
        page: Page<WorkOrderId>,
    ) -> StoreResult<Vec<WorkOrder>>;

    /// Appends a step result with the version its change-log row took (insert-only).
    async fn insert_step_result(&mut self, r: &StoredStepResult, version: i64) -> StoreResult<()>;
    /// One step result.
    async fn step_result(&mut self, company: CompanyId, id: StepResultId) -> StoreResult<Option<StoredStepResult>>;
    /// A work order's step results, oldest id first.
    async fn step_results(&mut self, company: CompanyId, work_order: WorkOrderId)
    -> StoreResult<Vec<StoredStepResult>>;

    /// Appends a labour entry with the version its change-log row took (insert-only).
    async fn insert_labour(&mut self, l: &StoredLabour, version: i64) -> StoreResult<()>;
    /// One labour entry.
    async fn labour_entry(&mut self, company: CompanyId, id: LabourEntryId) -> StoreResult<Option<StoredLabour>>;
    /// A work order's labour, oldest id first.
    async fn labour(&mut self, company: CompanyId, work_order: WorkOrderId) -> StoreResult<Vec<StoredLabour>>;

    /// The stock entries that issued parts to a work order, oldest id first.
    async fn issued_parts(&mut self, company: CompanyId, work_order: WorkOrderId) -> StoreResult<Vec<StockEntry>>;

    /// Stores a new procedure.
    async fn insert_procedure(&mut self, p: &Procedure) -> StoreResult<()>;
    /// One procedure.
    async fn procedure(&mut self, company: CompanyId, id: ProcedureId) -> StoreResult<Option<Procedure>>;
    /// Replaces a procedure's title, description, steps, version and time.
    async fn update_procedure(&mut self, p: &Procedure) -> StoreResult<()>;
    /// The company's procedures, oldest id first, after `page.after`.
    async fn list_procedures(&mut self, company: CompanyId, page: Page<ProcedureId>) -> StoreResult<Vec<Procedure>>;
}

//! Ports for purchasing (ADR 0007 §1, §5): the company's suppliers, requisitions, purchase
//! orders with their lines, and receipts.

use async_trait::async_trait;
use bosun_domain::purchasing::{OrderLine, PurchaseOrderStatus, Requisition, Supplier};
use bosun_domain::stock::Quantity;
use bosun_domain::{
    CompanyId, FaultId, PurchaseOrderId, PurchaseOrderLineId, ReceiptId, RequisitionId, StockEntryId, StockLocationId,
    SupplierId, UserId, VesselId, WorkOrderId,
};
use chrono::{DateTime, NaiveDate, Utc};

use crate::{Page, StoreResult, VesselScope};

/// A requisition as stored: the domain's requisition with the part's name as asked, what has
/// arrived of it, and the order it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRequisition {
    /// The requisition.
    pub requisition: Requisition,
    /// The part's name (copied from the catalogue, or as named when unlisted).
    pub part_name: String,
    /// The part's number.
    pub part_number: Option<String>,
    /// The part's unit of measure.
    pub unit: String,
    /// What the requester adds (up to 1,000 characters).
    pub note: Option<String>,
    /// The approver's comment (the reason of a rejection).
    pub decision_comment: Option<String>,
    /// The purchase order it is on.
    pub purchase_order_id: Option<PurchaseOrderId>,
    /// How much of it has arrived.
    pub received: Quantity,
    /// Version (sync sequence of its last change).
    pub version: i64,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A purchase order's own row: everything but its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseOrderHead {
    /// Its id.
    pub id: PurchaseOrderId,
    /// Its company.
    pub company_id: CompanyId,
    /// Its number in the company (PO-000042), given by the server.
    pub number: i64,
    /// The vessel it delivers to.
    pub vessel_id: VesselId,
    /// The supplier.
    pub supplier_id: SupplierId,
    /// Every line's currency.
    pub currency: String,
    /// When delivery is expected.
    pub expected_on: Option<NaiveDate>,
    /// A note printed on the order (delivery instructions).
    pub note: Option<String>,
    /// Where it stands.
    pub status: PurchaseOrderStatus,
    /// Who made it.
    pub created_by: UserId,
    /// The lines' supplier total, minor units.
    pub supplier_total_minor: i64,
    /// The lines' customer total, minor units.
    pub customer_total_minor: i64,
    /// When its status last changed.
    pub status_changed_at: DateTime<Utc>,
    /// Version (sync sequence of its last change).
    pub version: i64,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A line of a purchase order as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLine {
    /// The line (part, quantities, prices).
    pub line: OrderLine,
    /// Its order.
    pub purchase_order_id: PurchaseOrderId,
    /// Its company.
    pub company_id: CompanyId,
    /// The order's vessel.
    pub vessel_id: VesselId,
    /// Its place on the order, from 1.
    pub position: i64,
    /// The part's name.
    pub part_name: String,
    /// The part's number.
    pub part_number: Option<String>,
    /// The part's unit of measure.
    pub unit: String,
    /// Version (sync sequence of its last change).
    pub version: i64,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// One line of a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptLine {
    /// The order line.
    pub line_id: PurchaseOrderLineId,
    /// How many arrived.
    pub quantity: Quantity,
    /// The stock entry it posted (none when received straight to the job).
    pub entry_id: Option<StockEntryId>,
}

/// A receipt of goods against a purchase order (insert-only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReceipt {
    /// Its id.
    pub id: ReceiptId,
    /// Its company.
    pub company_id: CompanyId,
    /// The order.
    pub purchase_order_id: PurchaseOrderId,
    /// The order's vessel.
    pub vessel_id: VesselId,
    /// Where the goods went (none: straight to the job).
    pub location_id: Option<StockLocationId>,
    /// What arrived.
    pub lines: Vec<ReceiptLine>,
    /// Delivery note number, damage, anything to say.
    pub note: Option<String>,
    /// Who received.
    pub received_by: UserId,
    /// When.
    pub received_at: DateTime<Utc>,
    /// Version (sync sequence of its change).
    pub version: i64,
}

/// Which requisitions to list.
#[derive(Debug, Clone, Default)]
pub struct RequisitionFilter {
    /// Which vessels.
    pub scope: VesselScope,
    /// Only in these statuses (empty: any).
    pub statuses: Vec<String>,
    /// Only for this work order.
    pub work_order: Option<WorkOrderId>,
    /// Only for this fault.
    pub fault: Option<FaultId>,
}

/// Which purchase orders to list.
#[derive(Debug, Clone, Default)]
pub struct PurchaseOrderFilter {
    /// Which vessels.
    pub scope: VesselScope,
    /// Only in these statuses (empty: any).
    pub statuses: Vec<String>,
    /// Only to this supplier.
    pub supplier: Option<SupplierId>,
}

/// Suppliers, requisitions, purchase orders and receipts.
#[async_trait]
pub trait PurchasingRepo {
    /// Adds a supplier; a name whose key is taken is a `Conflict`.
    async fn insert_supplier(&mut self, s: &Supplier) -> StoreResult<()>;
    /// One supplier.
    async fn supplier(&mut self, company: CompanyId, id: SupplierId) -> StoreResult<Option<Supplier>>;
    /// The supplier whose name has this key (`supplier_key`).
    async fn supplier_by_key(&mut self, company: CompanyId, key: &str) -> StoreResult<Option<Supplier>>;
    /// Replaces a supplier's fields and version.
    async fn update_supplier(&mut self, s: &Supplier) -> StoreResult<()>;
    /// Suppliers by name, after `page.after`.
    async fn list_suppliers(&mut self, company: CompanyId, page: Page<SupplierId>) -> StoreResult<Vec<Supplier>>;

    /// Adds a requisition.
    async fn insert_requisition(&mut self, r: &StoredRequisition) -> StoreResult<()>;
    /// One requisition.
    async fn requisition(&mut self, company: CompanyId, id: RequisitionId) -> StoreResult<Option<StoredRequisition>>;
    /// Writes a requisition's status, decision, order, received quantity, version and times.
    async fn update_requisition(&mut self, r: &StoredRequisition) -> StoreResult<()>;
    /// Requisitions matching `filter`, newest id first, before `page.after`.
    async fn list_requisitions(
        &mut self,
        company: CompanyId,
        filter: &RequisitionFilter,
        page: Page<RequisitionId>,
    ) -> StoreResult<Vec<StoredRequisition>>;

    /// The number the company's next purchase order takes (the caller holds the company
    /// scope's lock).
    async fn next_order_number(&mut self, company: CompanyId) -> StoreResult<i64>;
    /// Adds a purchase order's own row.
    async fn insert_purchase_order(&mut self, o: &PurchaseOrderHead) -> StoreResult<()>;
    /// Adds a line.
    async fn insert_order_line(&mut self, l: &StoredLine) -> StoreResult<()>;
    /// One purchase order's own row.
    async fn purchase_order(
        &mut self,
        company: CompanyId,
        id: PurchaseOrderId,
    ) -> StoreResult<Option<PurchaseOrderHead>>;
    /// An order's lines, by position.
    async fn order_lines(&mut self, company: CompanyId, id: PurchaseOrderId) -> StoreResult<Vec<StoredLine>>;
    /// Writes an order's status, version and times.
    async fn update_purchase_order(&mut self, o: &PurchaseOrderHead) -> StoreResult<()>;
    /// Writes a line's received quantity, version and time.
    async fn update_order_line(&mut self, l: &StoredLine) -> StoreResult<()>;
    /// Orders matching `filter`, newest id first, before `page.after`.
    async fn list_purchase_orders(
        &mut self,
        company: CompanyId,
        filter: &PurchaseOrderFilter,
        page: Page<PurchaseOrderId>,
    ) -> StoreResult<Vec<PurchaseOrderHead>>;

    /// Adds a receipt (insert-only: the same id twice is a `Conflict`).
    async fn insert_receipt(&mut self, r: &StoredReceipt) -> StoreResult<()>;
    /// One receipt.
    async fn receipt(&mut self, company: CompanyId, id: ReceiptId) -> StoreResult<Option<StoredReceipt>>;
    /// An order's receipts, oldest first.
    async fn order_receipts(&mut self, company: CompanyId, id: PurchaseOrderId) -> StoreResult<Vec<StoredReceipt>>;
}

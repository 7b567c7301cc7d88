//! Ports for maintenance data: equipment and running hours, faults and comments, parts
//! orders, handovers, attachments, and the aggregates analytics reads.

use async_trait::async_trait;
use bosun_domain::attachment::{Attachment, ParentKind};
use bosun_domain::equipment::{Area, Criticality, Equipment, EquipmentLevel, EquipmentStatus, MeterReading};
use bosun_domain::fault::{Comment, Fault, FaultStatus, Severity};
use bosun_domain::handover::{Handover, HandoverDraft};
use bosun_domain::parts::{PartsOrder, PartsOrderStatus};
use bosun_domain::{AttachmentId, CompanyId, EquipmentId, FaultId, HandoverId, PartsOrderId, UserId, VesselId};
use chrono::{DateTime, Utc};

use crate::{Page, StoreResult};

/// Which vessels a query covers: one vessel, the vessels a person or API key reaches
/// (vessel-scoped callers), both, or (all `None`) the whole company.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VesselScope {
    /// Only this vessel.
    pub vessel: Option<VesselId>,
    /// Only the vessels this caller reaches.
    pub member: Option<Reach>,
}

/// The vessels a vessel-scoped caller reaches: a person, those whose rotation they are on
/// and that did not end before `since` (a rotation's end, plus a grace period, ends access);
/// an API key, those it lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// The person's or the API key's id.
    pub principal: uuid::Uuid,
    /// Rotations that ended before this day no longer reach their vessel.
    pub since: chrono::NaiveDate,
}

/// Which equipment of a vessel to list.
#[derive(Debug, Clone, Default)]
pub struct EquipmentFilter {
    /// Only this area.
    pub area: Option<Area>,
    /// Only this recorded status.
    pub status: Option<EquipmentStatus>,
    /// Only this criticality.
    pub criticality: Option<Criticality>,
    /// Only this level.
    pub level: Option<EquipmentLevel>,
    /// Name or serial number contains this (case-insensitive).
    pub search: Option<String>,
    /// Leave out decommissioned items.
    pub hide_decommissioned: bool,
}

/// A stored meter reading.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReading {
    /// Its id.
    pub id: uuid::Uuid,
    /// The item.
    pub equipment_id: EquipmentId,
    /// The reading.
    pub reading: MeterReading,
    /// Who recorded it.
    pub recorded_by: Option<UserId>,
}

/// A child item counting its parent's running hours (linked to its parent's meter): from the
/// link on, its total is `child_base` plus what the parent ran since `parent_base`.
#[derive(Debug, Clone, PartialEq)]
pub struct MeterLink {
    /// Its company.
    pub company_id: CompanyId,
    /// The child item.
    pub child_id: EquipmentId,
    /// Its parent, whose meter it counts.
    pub parent_id: EquipmentId,
    /// Their vessel.
    pub vessel_id: VesselId,
    /// The child's total when linked.
    pub child_base: f64,
    /// The parent's total when linked.
    pub parent_base: f64,
    /// Who linked it.
    pub linked_by: UserId,
    /// When.
    pub linked_at: DateTime<Utc>,
    /// Version (sync sequence of its change).
    pub version: i64,
}

/// Equipment and running hours.
#[async_trait]
pub trait EquipmentRepo {
    /// Stores a new item. A taken QR code is a `Conflict`.
    async fn insert_equipment(&mut self, e: &Equipment) -> StoreResult<()>;
    /// One item.
    async fn equipment(&mut self, company: CompanyId, id: EquipmentId) -> StoreResult<Option<Equipment>>;
    /// The items of `ids` that exist, in no order.
    async fn equipment_by_ids(&mut self, company: CompanyId, ids: &[EquipmentId]) -> StoreResult<Vec<Equipment>>;
    /// One item as a reader sees it, in one statement: `None` unless its vessel is live and,
    /// when `member` is given, it reaches the vessel; with whether an unresolved critical fault
    /// holds it down.
    async fn equipment_seen(
        &mut self,
        company: CompanyId,
        id: EquipmentId,
        member: Option<Reach>,
    ) -> StoreResult<Option<(Equipment, bool)>>;
    /// The item a QR code names.
    async fn equipment_by_qr(&mut self, company: CompanyId, code: &str) -> StoreResult<Option<Equipment>>;
    /// Replaces an item's fields and version.
    async fn update_equipment(&mut self, e: &Equipment) -> StoreResult<Equipment>;
    /// A vessel's items matching `filter`, ordered by id.
    async fn list_equipment(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        filter: &EquipmentFilter,
        page: Page<EquipmentId>,
    ) -> StoreResult<Vec<Equipment>>;
    /// Of a vessel's items, those with a critical fault not yet resolved.
    async fn equipment_down_by_critical_faults(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
    ) -> StoreResult<Vec<EquipmentId>>;
    /// Links a child item to its parent's meter (one link per child: a second is a `Conflict`).
    async fn insert_meter_link(&mut self, link: &MeterLink) -> StoreResult<()>;
    /// The link of a child item, if it counts its parent's hours.
    async fn meter_link(&mut self, company: CompanyId, child: EquipmentId) -> StoreResult<Option<MeterLink>>;
    /// Ends a child's link (`NotFound` when it had none).
    async fn delete_meter_link(&mut self, company: CompanyId, child: EquipmentId) -> StoreResult<()>;
    /// The children counting `parent`'s hours, by id.
    async fn linked_children(&mut self, company: CompanyId, parent: EquipmentId) -> StoreResult<Vec<MeterLink>>;
    /// Records a reading (insert-only).
    async fn insert_reading(&mut self, company: CompanyId, r: &StoredReading) -> StoreResult<()>;
    /// An item's readings in time order.
    async fn readings(&mut self, company: CompanyId, equipment: EquipmentId) -> StoreResult<Vec<StoredReading>>;
    /// The readings of several items, each item's in time order.
    async fn readings_of(&mut self, company: CompanyId, items: &[EquipmentId]) -> StoreResult<Vec<StoredReading>>;
    /// A vessel's readings taken at or after `since`, in time order.
    async fn vessel_readings_since(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<StoredReading>>;
}

/// A fault as an item's history lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultSummary {
    /// Id.
    pub id: FaultId,
    /// Severity.
    pub severity: Severity,
    /// Status.
    pub status: FaultStatus,
    /// Title.
    pub title: String,
    /// When it was seen.
    pub observed_at: DateTime<Utc>,
    /// When it was resolved.
    pub resolved_at: Option<DateTime<Utc>>,
}

/// Which faults to list.
#[derive(Debug, Clone, Default)]
pub struct FaultFilter {
    /// Which vessels.
    pub scope: VesselScope,
    /// Only on this item.
    pub equipment: Option<EquipmentId>,
    /// Only these severities (empty: any).
    pub severities: Vec<Severity>,
    /// Only these statuses (empty: any).
    pub statuses: Vec<FaultStatus>,
    /// Only held by this person.
    pub assignee: Option<UserId>,
    /// Only reported by this person.
    pub reported_by: Option<UserId>,
}

/// Faults and their comments.
#[async_trait]
pub trait FaultRepo {
    /// Stores a new fault.
    async fn insert_fault(&mut self, f: &Fault) -> StoreResult<()>;
    /// One fault.
    async fn fault(&mut self, company: CompanyId, id: FaultId) -> StoreResult<Option<Fault>>;
    /// Replaces a fault's mutable fields and version.
    async fn update_fault(&mut self, f: &Fault) -> StoreResult<Fault>;
    /// An item's faults, newest first, at most `limit`: what its page shows of each.
    async fn fault_history(
        &mut self,
        company: CompanyId,
        equipment: EquipmentId,
        limit: u32,
    ) -> StoreResult<Vec<FaultSummary>>;
    /// Faults matching `filter`, newest id first, before `page.after`.
    async fn list_faults(
        &mut self,
        company: CompanyId,
        filter: &FaultFilter,
        page: Page<FaultId>,
    ) -> StoreResult<Vec<Fault>>;
    /// Adds a comment (insert-only).
    async fn insert_comment(&mut self, c: &Comment) -> StoreResult<()>;
    /// A fault's comments, oldest first.
    async fn comments(&mut self, company: CompanyId, fault: FaultId) -> StoreResult<Vec<Comment>>;
}

/// Which parts orders to list.
#[derive(Debug, Clone, Default)]
pub struct PartsOrderFilter {
    /// Which vessels.
    pub scope: VesselScope,
    /// Only for this fault.
    pub fault: Option<FaultId>,
    /// Only these statuses (empty: any).
    pub statuses: Vec<PartsOrderStatus>,
}

/// Parts orders. Since they became requisitions (ADR 0007 §7), a parts order is read as a
/// requisition that serves a fault, in the old shape ([`PartsRepo::parts_order`]); the old
/// table is kept for the start-up migration alone.
#[async_trait]
pub trait PartsRepo {
    /// Stores an order in the old table (rows made before the purchasing flow; the migration's
    /// tests and the demo's history write them).
    async fn insert_legacy_parts_order(&mut self, o: &PartsOrder) -> StoreResult<()>;
    /// Up to `limit` orders of the old table not migrated yet, by id.
    async fn unmigrated_parts_orders(&mut self, company: CompanyId, limit: u32) -> StoreResult<Vec<PartsOrder>>;
    /// Marks an order of the old table migrated to the requisition with its id.
    async fn mark_parts_order_migrated(&mut self, company: CompanyId, id: PartsOrderId) -> StoreResult<()>;
    /// A requisition serving a fault, in the old shape: its part, quantity in whole units
    /// (rounded up), supplier name, prices and a status of the old lifecycle (ordered or shipped
    /// by its purchase order; partially received reads shipped; rejected reads cancelled).
    async fn parts_order(&mut self, company: CompanyId, id: PartsOrderId) -> StoreResult<Option<PartsOrder>>;
    /// Orders matching `filter` ([`PartsRepo::parts_order`]'s shape), newest id first, before
    /// `page.after`.
    async fn list_parts_orders(
        &mut self,
        company: CompanyId,
        filter: &PartsOrderFilter,
        page: Page<PartsOrderId>,
    ) -> StoreResult<Vec<PartsOrder>>;
}

/// Handovers and their drafts.
#[async_trait]
pub trait HandoverRepo {
    /// The outgoing person's draft notes for a vessel.
    async fn handover_draft(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        user: UserId,
    ) -> StoreResult<Option<HandoverDraft>>;
    /// Saves the draft notes.
    async fn save_handover_draft(
        &mut self,
        company: CompanyId,
        vessel: VesselId,
        user: UserId,
        draft: &HandoverDraft,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Forgets the draft (after completion).
    async fn clear_handover_draft(&mut self, company: CompanyId, vessel: VesselId, user: UserId) -> StoreResult<()>;
    /// Stores a completed handover.
    async fn insert_handover(&mut self, h: &Handover) -> StoreResult<()>;
    /// One handover.
    async fn handover(&mut self, company: CompanyId, id: HandoverId) -> StoreResult<Option<Handover>>;
    /// Records who took the handover over; only once.
    async fn acknowledge_handover(
        &mut self,
        company: CompanyId,
        id: HandoverId,
        by: UserId,
        at: DateTime<Utc>,
        version: i64,
    ) -> StoreResult<Handover>;
    /// Handovers of the scope's vessels, newest first, before `page.after`.
    async fn list_handovers(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        page: Page<HandoverId>,
    ) -> StoreResult<Vec<Handover>>;
    /// The latest handover of a vessel, if any.
    async fn last_handover(&mut self, company: CompanyId, vessel: VesselId) -> StoreResult<Option<Handover>>;
}

/// Attachment metadata (the bytes live in the file store).
#[async_trait]
pub trait AttachmentRepo {
    /// Stores the metadata of an uploaded file.
    async fn insert_attachment(&mut self, a: &Attachment) -> StoreResult<()>;
    /// One attachment.
    async fn attachment(&mut self, company: CompanyId, id: AttachmentId) -> StoreResult<Option<Attachment>>;
    /// The attachments of a record, oldest first.
    async fn list_attachments(
        &mut self,
        company: CompanyId,
        kind: ParentKind,
        parent: uuid::Uuid,
    ) -> StoreResult<Vec<Attachment>>;
    /// The pending attachments whose full file has this hash (waiting for its upload), oldest
    /// first.
    async fn list_pending_attachments_of_file(
        &mut self,
        company: CompanyId,
        sha256: &str,
    ) -> StoreResult<Vec<Attachment>>;
    /// Rewrites a pending attachment as completed (`a.pending` false): its kind, type, size,
    /// thumbnail and version; `NotFound` unless it was pending.
    async fn complete_attachment(&mut self, a: &Attachment) -> StoreResult<()>;
}

/// How to group MTTR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MttrGroup {
    /// By vessel.
    Vessel,
    /// By item of equipment.
    Equipment,
    /// By severity.
    Severity,
    /// By calendar month of resolution (`YYYY-MM`).
    Month,
    /// By ISO week of resolution (`YYYY-Www`).
    Week,
}

/// One group's repair times.
#[derive(Debug, Clone, PartialEq)]
pub struct MttrRow {
    /// The group key (an id, a severity, a month or week).
    pub key: String,
    /// Resolved faults in the group.
    pub faults: i64,
    /// Mean seconds from report to resolution.
    pub mean_seconds: f64,
}

/// Faults repaired in a window and their mean repair time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RepairTimes {
    /// Resolved faults counted.
    pub faults: i64,
    /// Mean seconds from report to resolution; `None` without faults.
    pub mean_seconds: Option<f64>,
}

/// Per-item spread of fault reports in a window, for the top items and MTBF: how many, the
/// first and the last.
#[derive(Debug, Clone, PartialEq)]
pub struct FailureSpan {
    /// The item.
    pub equipment_id: EquipmentId,
    /// Its name.
    pub name: String,
    /// Faults reported in the window.
    pub faults: i64,
    /// First report in the window.
    pub first: DateTime<Utc>,
    /// Last report in the window.
    pub last: DateTime<Utc>,
}

/// Unresolved faults of one severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnresolvedCount {
    /// The severity.
    pub severity: Severity,
    /// Unresolved faults in all.
    pub total: i64,
    /// Those reported before each of the cutoffs asked for, in their order.
    pub before: [i64; 3],
}

/// Parts spend of one vessel in one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendRow {
    /// The vessel.
    pub vessel_id: VesselId,
    /// `YYYY-MM` of the order.
    pub month: String,
    /// Currency.
    pub currency: String,
    /// Sum of supplier prices, minor units.
    pub supplier_minor: i64,
    /// Sum of customer prices, minor units.
    pub customer_minor: i64,
}

/// The aggregates behind dashboards.
#[async_trait]
pub trait AnalyticsRepo {
    /// Unresolved faults by severity (severities without any left out), in all and reported
    /// before each of `cutoffs` (ageing buckets are differences), counted in one pass.
    async fn unresolved_by_severity(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        cutoffs: [DateTime<Utc>; 3],
    ) -> StoreResult<Vec<UnresolvedCount>>;
    /// Repair times of faults resolved in `[since, until)`, grouped.
    async fn mttr(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        group: Option<MttrGroup>,
    ) -> StoreResult<Vec<MttrRow>>;
    /// Repair times of faults resolved in `[start, until)` for each of `starts`, in their
    /// order: the windows share their end, so one walk of the wider one, split at the later
    /// start, counts both.
    async fn mttr_until(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        starts: [DateTime<Utc>; 2],
        until: DateTime<Utc>,
    ) -> StoreResult<[RepairTimes; 2]>;
    /// Per item with faults reported in `[since, until)`, the spread of those reports, in item
    /// order (one pass answers both the items with the most faults and MTBF).
    async fn failure_spans(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<FailureSpan>>;
    /// Parts spend (not cancelled) of orders created in `[since, until)`, by vessel, month and currency.
    async fn parts_spend(
        &mut self,
        company: CompanyId,
        scope: VesselScope,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<SpendRow>>;
}

//! Ports for equipment assignments and operators' daily reports (issue 12 §4): bookings of an
//! item to an operator for a period, and each operator's daily report on an item with its
//! insert-only revisions.

use async_trait::async_trait;
use bosun_domain::assignment::{Assignment, AssignmentStatus, DailyFigures, ReportStatus};
use bosun_domain::{
    AssignmentId, AttachmentId, CompanyId, DailyReportId, EquipmentId, ReportRevisionId, UserId, VesselId,
};
use chrono::{DateTime, NaiveDate, Utc};

use crate::{Page, StoreResult, VesselScope};

/// An assignment as stored: the domain's booking with who made it and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAssignment {
    /// Its company.
    pub company_id: CompanyId,
    /// The booking.
    pub assignment: Assignment,
    /// The planner's note (where on the site, what for), up to 500 characters.
    pub note: String,
    /// The planner who made it.
    pub assigned_by: UserId,
    /// When the operator accepted or declined it.
    pub answered_at: Option<DateTime<Utc>>,
    /// Who cancelled it.
    pub cancelled_by: Option<UserId>,
    /// Version (sync sequence of its last change).
    pub version: i64,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// Which assignments or daily reports to list.
#[derive(Debug, Clone, Default)]
pub struct AssignmentFilter {
    /// Which vessels (sites).
    pub scope: VesselScope,
    /// Only of this item.
    pub equipment: Option<EquipmentId>,
    /// Only of this operator.
    pub operator: Option<UserId>,
    /// Only in this status (its text: an assignment's or a report's).
    pub status: Option<String>,
}

/// An operator's daily report on an item: where it stands and its current figures.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyReport {
    /// Its id.
    pub id: DailyReportId,
    /// Its company.
    pub company_id: CompanyId,
    /// The item's vessel (site).
    pub vessel_id: VesselId,
    /// The item.
    pub equipment_id: EquipmentId,
    /// The operator.
    pub operator_id: UserId,
    /// The accepted assignment the day falls in.
    pub assignment_id: AssignmentId,
    /// Where it stands.
    pub status: ReportStatus,
    /// The current revision.
    pub revision_id: ReportRevisionId,
    /// How many times it was submitted.
    pub revision: i64,
    /// The current revision's figures.
    pub figures: DailyFigures,
    /// The current revision's photos.
    pub photo_ids: Vec<AttachmentId>,
    /// When the current revision was submitted.
    pub submitted_at: DateTime<Utc>,
    /// The engineer's comment when it was last returned.
    pub comment: Option<String>,
    /// Who validated it.
    pub validated_by: Option<UserId>,
    /// When.
    pub validated_at: Option<DateTime<Utc>>,
    /// Who last returned it.
    pub returned_by: Option<UserId>,
    /// When.
    pub returned_at: Option<DateTime<Utc>>,
    /// The running-hours reading its validation recorded.
    pub reading_id: Option<uuid::Uuid>,
    /// Version (sync sequence of its last change).
    pub version: i64,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// One submission of a daily report (insert-only).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRevision {
    /// Its id.
    pub id: ReportRevisionId,
    /// Its company.
    pub company_id: CompanyId,
    /// The report.
    pub report_id: DailyReportId,
    /// The report's vessel.
    pub vessel_id: VesselId,
    /// 1 for the first submission, then 2, …
    pub number: i64,
    /// What was reported.
    pub figures: DailyFigures,
    /// Its photos.
    pub photo_ids: Vec<AttachmentId>,
    /// Who sent it.
    pub submitted_by: UserId,
    /// When.
    pub submitted_at: DateTime<Utc>,
    /// Version (sync sequence of its change).
    pub version: i64,
}

/// Assignments and daily reports.
#[async_trait]
pub trait AssignmentRepo {
    /// Stores a new assignment (the same id twice is a `Conflict`).
    async fn insert_assignment(&mut self, a: &StoredAssignment) -> StoreResult<()>;
    /// One assignment.
    async fn assignment(&mut self, company: CompanyId, id: AssignmentId) -> StoreResult<Option<StoredAssignment>>;
    /// Writes an assignment's status, answer, version and time.
    async fn update_assignment(&mut self, a: &StoredAssignment) -> StoreResult<()>;
    /// The item's assignments in `statuses` whose period overlaps `[from, to)`, by start.
    async fn item_bookings(
        &mut self,
        company: CompanyId,
        item: EquipmentId,
        statuses: &[AssignmentStatus],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<StoredAssignment>>;
    /// The operator's assignments in `statuses` whose period overlaps `[from, to)`, by start.
    async fn operator_bookings(
        &mut self,
        company: CompanyId,
        operator: UserId,
        statuses: &[AssignmentStatus],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<StoredAssignment>>;
    /// Assignments matching `filter`, newest id first, before `page.after`.
    async fn list_assignments(
        &mut self,
        company: CompanyId,
        filter: &AssignmentFilter,
        page: Page<AssignmentId>,
    ) -> StoreResult<Vec<StoredAssignment>>;

    /// Stores a new report (a second report of the same item, operator and day is a
    /// `Conflict`).
    async fn insert_daily_report(&mut self, r: &DailyReport) -> StoreResult<()>;
    /// One report.
    async fn daily_report(&mut self, company: CompanyId, id: DailyReportId) -> StoreResult<Option<DailyReport>>;
    /// The report of an item, operator and day.
    async fn daily_report_of(
        &mut self,
        company: CompanyId,
        item: EquipmentId,
        operator: UserId,
        day: NaiveDate,
    ) -> StoreResult<Option<DailyReport>>;
    /// Writes a report's status, current revision and figures, decisions, version and time.
    async fn update_daily_report(&mut self, r: &DailyReport) -> StoreResult<()>;
    /// Reports matching `filter`, newest id first, before `page.after`.
    async fn list_daily_reports(
        &mut self,
        company: CompanyId,
        filter: &AssignmentFilter,
        page: Page<DailyReportId>,
    ) -> StoreResult<Vec<DailyReport>>;
    /// Appends a revision (the same id, or the same report and number, twice is a `Conflict`).
    async fn insert_report_revision(&mut self, r: &ReportRevision) -> StoreResult<()>;
    /// One revision.
    async fn report_revision(
        &mut self,
        company: CompanyId,
        id: ReportRevisionId,
    ) -> StoreResult<Option<ReportRevision>>;
    /// A report's revisions, first first.
    async fn report_revisions(&mut self, company: CompanyId, report: DailyReportId)
    -> StoreResult<Vec<ReportRevision>>;
}

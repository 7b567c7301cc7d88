//! Equipment assignments (`/assignments`) and operators' daily reports (`/daily-reports`):
//! a planner books an item to an operator for a period; the operator answers and reports each
//! day's hours; the site's engineer validates or returns the report.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bosun_app::Actor;
use bosun_app::assignments::reports::{ReturnDailyReport, SubmitDailyReport, ValidateDailyReport};
use bosun_app::assignments::{AnswerAssignment, AssignEquipment, CancelAssignment};
use bosun_domain::{AssignmentId, AttachmentId, DailyReportId, EquipmentId, ReportRevisionId, UserId, VesselId};
use bosun_store::{AssignmentFilter, DailyReport, Page, ReportRevision, StoredAssignment, VesselScope};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, encode_cursor};
use crate::names::{AssignmentStatusName, ReportStatusName};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_assignments, create_assignment))
        .routes(routes!(get_assignment))
        .routes(routes!(answer_assignment))
        .routes(routes!(cancel_assignment))
        .routes(routes!(list_reports, submit_report))
        .routes(routes!(get_report, resubmit_report))
        .routes(routes!(validate_report))
        .routes(routes!(return_report))
}

/// An assignment to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentBody {
    /// Client-made UUIDv7; the same assignment again answers 200.
    pub id: Option<Uuid>,
    /// The item; the assignment is on its vessel or site.
    pub equipment_id: Uuid,
    /// The operator: an active person who reaches the item's site, not a viewer.
    pub operator_id: Uuid,
    /// First instant of the period (years 1970–2200).
    pub starts_at: DateTime<Utc>,
    /// First instant after it: later than `starts_at`, at most 366 days on.
    pub ends_at: DateTime<Utc>,
    /// Where on the site, what for; up to 500 characters.
    #[serde(default)]
    #[schema(max_length = 500, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub note: String,
}

/// An item booked to an operator for `[starts_at, ends_at)`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentView {
    /// Id.
    pub id: Uuid,
    /// The item's vessel or site.
    pub vessel_id: Uuid,
    /// The item.
    pub equipment_id: Uuid,
    /// The operator.
    pub operator_id: Uuid,
    /// First instant.
    pub starts_at: DateTime<Utc>,
    /// First instant after.
    pub ends_at: DateTime<Utc>,
    /// The planner's note.
    pub note: String,
    /// Where it stands: proposed and accepted hold the item.
    #[schema(schema_with = <AssignmentStatusName as utoipa::PartialSchema>::schema)]
    pub status: String,
    /// The operator's reason when declining.
    pub decline_reason: Option<String>,
    /// The planner.
    pub assigned_by: Uuid,
    /// When the operator answered.
    pub answered_at: Option<DateTime<Utc>>,
    /// Who cancelled it.
    pub cancelled_by: Option<Uuid>,
    /// Version (sync sequence of the last change).
    pub version: i64,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl AssignmentView {
    fn new(s: &StoredAssignment) -> Self {
        let a = &s.assignment;
        Self {
            id: a.id.0,
            vessel_id: a.vessel_id.0,
            equipment_id: a.equipment_id.0,
            operator_id: a.operator_id.0,
            starts_at: a.period.start,
            ends_at: a.period.end,
            note: s.note.clone(),
            status: a.status.as_str().into(),
            decline_reason: a.decline_reason.clone(),
            assigned_by: s.assigned_by.0,
            answered_at: s.answered_at,
            cancelled_by: s.cancelled_by.map(|u| u.0),
            version: s.version,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// A new assignment, with the operator's other bookings at the same time.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignedView {
    /// The assignment.
    #[serde(flatten)]
    pub assignment: AssignmentView,
    /// The operator's other proposed or accepted assignments overlapping this one: a warning,
    /// since one operator may mind two machines.
    pub operator_overlaps: Vec<Uuid>,
}

/// A page of assignments.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentPage {
    /// Assignments, newest first.
    pub items: Vec<AssignmentView>,
    /// Where the next page starts; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Which assignments to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AssignmentQuery {
    /// Only on this vessel or site.
    pub vessel_id: Option<Uuid>,
    /// Only of this item.
    pub equipment_id: Option<Uuid>,
    /// Only of this operator.
    pub operator_id: Option<Uuid>,
    /// Only in this status.
    #[param(pattern = "^(proposed|accepted|declined|cancelled)$")]
    pub status: Option<String>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Which daily reports to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Only on this vessel or site.
    pub vessel_id: Option<Uuid>,
    /// Only of this item.
    pub equipment_id: Option<Uuid>,
    /// Only of this operator.
    pub operator_id: Option<Uuid>,
    /// Only in this status.
    #[param(pattern = "^(submitted|validated|returned)$")]
    pub status: Option<String>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The filter and page of either list.
fn filter_of(
    vessel_id: Option<Uuid>,
    equipment_id: Option<Uuid>,
    operator_id: Option<Uuid>,
    status: Option<String>,
) -> AssignmentFilter {
    AssignmentFilter {
        scope: VesselScope { vessel: vessel_id.map(VesselId), member: None },
        equipment: equipment_id.map(EquipmentId),
        operator: operator_id.map(UserId),
        status,
    }
}

/// The operator's answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentAnswerBody {
    /// True to accept, false to decline.
    pub accept: bool,
    /// Why not, when declining; up to 500 characters.
    #[schema(max_length = 500, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub reason: Option<String>,
}

/// Assignments the caller sees, newest first.
#[utoipa::path(get, path = "/api/v1/assignments", tag = "assignments", security(("bearer" = [])), params(AssignmentQuery),
    responses((status = 200, body = AssignmentPage), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_assignments(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<AssignmentQuery>,
) -> Result<Json<AssignmentPage>, ApiError> {
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let page = Page { after: paging.after::<Uuid>()?.map(AssignmentId), limit: paging.limit()? };
    let filter = filter_of(q.vessel_id, q.equipment_id, q.operator_id, q.status);
    let (rows, next) = app.assignments.list(&actor, filter, page).await?;
    Ok(Json(AssignmentPage {
        items: rows.iter().map(AssignmentView::new).collect(),
        next_cursor: next.map(encode_cursor),
    }))
}

/// Book an item to an operator for a period (proposed until the operator answers). 200
/// instead of 201 when the same assignment (same `id` and content) was already received.
#[utoipa::path(post, path = "/api/v1/assignments", tag = "assignments", security(("bearer" = [])), request_body = AssignmentBody,
    responses((status = 201, body = AssignedView), (status = 200, body = AssignedView, description = "the same assignment again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json", description = "an item out of reach"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`double_booked`, `decommissioned`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_assignment(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(b): ApiJson<AssignmentBody>,
) -> Result<(StatusCode, Json<AssignedView>), ApiError> {
    let m = AssignEquipment {
        id: b.id.map(AssignmentId),
        equipment_id: EquipmentId(b.equipment_id),
        operator_id: UserId(b.operator_id),
        starts_at: b.starts_at,
        ends_at: b.ends_at,
        note: b.note,
    };
    let saved = app.mutate(&actor, m).await?;
    let status = if saved.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((
        status,
        Json(AssignedView {
            assignment: AssignmentView::new(&saved.row),
            operator_overlaps: saved.operator_overlaps.iter().map(|a| a.0).collect(),
        }),
    ))
}

/// One assignment.
#[utoipa::path(get, path = "/api/v1/assignments/{id}", tag = "assignments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = AssignmentView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_assignment(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<AssignmentView>, ApiError> {
    Ok(Json(AssignmentView::new(&app.assignments.get(&actor, AssignmentId(id)).await?)))
}

/// Accept or decline an assignment, as its operator, while it is proposed.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/answer", tag = "assignments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = AssignmentAnswerBody,
    responses((status = 200, body = AssignmentView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`not_the_operator`, `invalid_transition`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn answer_assignment(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<AssignmentAnswerBody>,
) -> Result<Json<AssignmentView>, ApiError> {
    let m = AnswerAssignment { assignment_id: AssignmentId(id), accept: b.accept, reason: b.reason };
    Ok(Json(AssignmentView::new(&app.mutate(&actor, m).await?)))
}

/// Withdraw an assignment that is proposed or accepted; the item is free again.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/cancel", tag = "assignments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = AssignmentView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`invalid_transition`")))]
async fn cancel_assignment(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<AssignmentView>, ApiError> {
    Ok(Json(AssignmentView::new(&app.mutate(&actor, CancelAssignment { assignment_id: AssignmentId(id) }).await?)))
}

/// A daily report (or its correction) as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// Client-made UUIDv7 of the report (a first submission only; a correction names it in
    /// the path). Made by the server when absent.
    pub id: Option<Uuid>,
    /// Client-made UUIDv7 of this submission; the same submission again answers 200. Made by
    /// the server when absent.
    pub revision_id: Option<Uuid>,
    /// The item.
    pub equipment_id: Uuid,
    /// The day reported, not after today.
    pub day: NaiveDate,
    /// Hours the machine worked, 0–24.
    #[schema(minimum = 0, maximum = 24)]
    pub hours_worked: f64,
    /// Hours it stood idle with the engine on; worked and idle together at most 24.
    #[schema(minimum = 0, maximum = 24)]
    pub hours_idle: f64,
    /// Fuel added, litres.
    #[schema(minimum = 0, maximum = 10_000_000)]
    pub fuel_litres: Option<f64>,
    /// The hour meter at the end of the day.
    #[schema(minimum = 0, maximum = 10_000_000)]
    pub meter_hours: Option<f64>,
    /// The odometer at the end of the day, kilometres.
    #[schema(minimum = 0, maximum = 10_000_000)]
    pub odometer_km: Option<f64>,
    /// Notes, up to 4,000 characters.
    #[serde(default)]
    #[schema(max_length = 4000, pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$")]
    pub notes: String,
    /// Latitude in degrees, with `longitude` (only when the operator allows positions).
    #[schema(minimum = -90, maximum = 90)]
    pub latitude: Option<f64>,
    /// Longitude in degrees.
    #[schema(minimum = -180, maximum = 180)]
    pub longitude: Option<f64>,
    /// Photos: attachments of the item's vessel, at most ten.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub photo_ids: Vec<Uuid>,
}

impl ReportBody {
    fn mutation(self, id: Uuid, revision_id: Uuid) -> SubmitDailyReport {
        SubmitDailyReport {
            id: DailyReportId(id),
            revision_id: ReportRevisionId(revision_id),
            equipment_id: EquipmentId(self.equipment_id),
            day: self.day,
            hours_worked: self.hours_worked,
            hours_idle: self.hours_idle,
            fuel_litres: self.fuel_litres,
            meter_hours: self.meter_hours,
            odometer_km: self.odometer_km,
            notes: self.notes,
            latitude: self.latitude,
            longitude: self.longitude,
            photo_ids: self.photo_ids.into_iter().map(AttachmentId).collect(),
        }
    }
}

/// The figures of one submission.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresView {
    /// The day reported.
    pub day: NaiveDate,
    /// Hours worked.
    pub hours_worked: f64,
    /// Hours idle.
    pub hours_idle: f64,
    /// Fuel added, litres.
    pub fuel_litres: Option<f64>,
    /// The hour meter.
    pub meter_hours: Option<f64>,
    /// The odometer, km.
    pub odometer_km: Option<f64>,
    /// Notes.
    pub notes: String,
    /// Latitude, if the operator gave a position.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// Photos.
    pub photo_ids: Vec<Uuid>,
}

impl FiguresView {
    fn new(f: &bosun_domain::assignment::DailyFigures, photos: &[AttachmentId]) -> Self {
        Self {
            day: f.day,
            hours_worked: f.hours_worked,
            hours_idle: f.hours_idle,
            fuel_litres: f.fuel_litres,
            meter_hours: f.meter_hours,
            odometer_km: f.odometer_km,
            notes: f.notes.clone(),
            latitude: f.position.map(|p| p.0),
            longitude: f.position.map(|p| p.1),
            photo_ids: photos.iter().map(|p| p.0).collect(),
        }
    }
}

/// An operator's daily report on an item, with its current revision's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    /// Id.
    pub id: Uuid,
    /// The item's vessel or site.
    pub vessel_id: Uuid,
    /// The item.
    pub equipment_id: Uuid,
    /// The operator.
    pub operator_id: Uuid,
    /// The accepted assignment the day fell in.
    pub assignment_id: Uuid,
    /// Where it stands.
    #[schema(schema_with = <ReportStatusName as utoipa::PartialSchema>::schema)]
    pub status: String,
    /// The current revision.
    pub revision_id: Uuid,
    /// How many times it was submitted.
    pub revision: i64,
    /// The current revision's figures.
    #[serde(flatten)]
    pub figures: FiguresView,
    /// When the current revision was sent.
    pub submitted_at: DateTime<Utc>,
    /// The engineer's comment when it was last returned.
    pub comment: Option<String>,
    /// Who validated it.
    pub validated_by: Option<Uuid>,
    /// When.
    pub validated_at: Option<DateTime<Utc>>,
    /// Who last returned it.
    pub returned_by: Option<Uuid>,
    /// When.
    pub returned_at: Option<DateTime<Utc>>,
    /// The running-hours reading its validation recorded.
    pub reading_id: Option<Uuid>,
    /// Version (sync sequence of the last change).
    pub version: i64,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl ReportView {
    fn new(r: &DailyReport) -> Self {
        Self {
            id: r.id.0,
            vessel_id: r.vessel_id.0,
            equipment_id: r.equipment_id.0,
            operator_id: r.operator_id.0,
            assignment_id: r.assignment_id.0,
            status: r.status.as_str().into(),
            revision_id: r.revision_id.0,
            revision: r.revision,
            figures: FiguresView::new(&r.figures, &r.photo_ids),
            submitted_at: r.submitted_at,
            comment: r.comment.clone(),
            validated_by: r.validated_by.map(|u| u.0),
            validated_at: r.validated_at,
            returned_by: r.returned_by.map(|u| u.0),
            returned_at: r.returned_at,
            reading_id: r.reading_id,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// One submission of a report.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionView {
    /// Id.
    pub id: Uuid,
    /// 1 for the first submission, then 2, …
    pub number: i64,
    /// What was reported.
    #[serde(flatten)]
    pub figures: FiguresView,
    /// Who sent it.
    pub submitted_by: Uuid,
    /// When.
    pub submitted_at: DateTime<Utc>,
}

impl RevisionView {
    fn new(r: &ReportRevision) -> Self {
        Self {
            id: r.id.0,
            number: r.number,
            figures: FiguresView::new(&r.figures, &r.photo_ids),
            submitted_by: r.submitted_by.0,
            submitted_at: r.submitted_at,
        }
    }
}

/// A report with every submission, first first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportDetailView {
    /// The report.
    #[serde(flatten)]
    pub report: ReportView,
    /// Its revisions, first first.
    pub revisions: Vec<RevisionView>,
}

/// A page of daily reports.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportPage {
    /// Reports, newest first.
    pub items: Vec<ReportView>,
    /// Where the next page starts; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The engineer's validation of the revision read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateBody {
    /// The revision read; a newer one is 409 `report_changed`.
    pub revision_id: Uuid,
}

/// The engineer's return of the revision read, with what to correct.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    /// The revision read; a newer one is 409 `report_changed`.
    pub revision_id: Uuid,
    /// What to correct, 1–2,000 characters.
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"
    )]
    pub comment: String,
}

/// Daily reports the caller sees, newest first.
#[utoipa::path(get, path = "/api/v1/daily-reports", tag = "assignments", security(("bearer" = [])), params(ReportQuery),
    responses((status = 200, body = ReportPage), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_reports(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Json<ReportPage>, ApiError> {
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let page = Page { after: paging.after::<Uuid>()?.map(DailyReportId), limit: paging.limit()? };
    let filter = filter_of(q.vessel_id, q.equipment_id, q.operator_id, q.status);
    let (rows, next) = app.assignments.reports(&actor, filter, page).await?;
    Ok(Json(ReportPage { items: rows.iter().map(ReportView::new).collect(), next_cursor: next.map(encode_cursor) }))
}

/// Submit the day's report on an item assigned to the caller (accepted, covering the day).
/// 200 instead of 201 when the same submission (same `revision_id` and content) was already
/// received.
#[utoipa::path(post, path = "/api/v1/daily-reports", tag = "assignments", security(("bearer" = [])), request_body = ReportBody,
    responses((status = 201, body = ReportView), (status = 200, body = ReportView, description = "the same submission again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json", description = "an item or photo out of reach"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`not_assigned`, `report_exists`, `report_validated`, `not_the_operator`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn submit_report(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(b): ApiJson<ReportBody>,
) -> Result<(StatusCode, Json<ReportView>), ApiError> {
    let id = b.id.unwrap_or_else(|| app.ids().uuid());
    let revision = b.revision_id.unwrap_or_else(|| app.ids().uuid());
    let saved = app.mutate(&actor, b.mutation(id, revision)).await?;
    let status = if saved.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(ReportView::new(&saved.row))))
}

/// One report with its revisions.
#[utoipa::path(get, path = "/api/v1/daily-reports/{id}", tag = "assignments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = ReportDetailView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_report(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<ReportDetailView>, ApiError> {
    let (report, revisions) = app.assignments.report(&actor, DailyReportId(id)).await?;
    Ok(Json(ReportDetailView {
        report: ReportView::new(&report),
        revisions: revisions.iter().map(RevisionView::new).collect(),
    }))
}

/// Correct a report (a new revision), as its operator, until it is validated.
#[utoipa::path(put, path = "/api/v1/daily-reports/{id}", tag = "assignments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ReportBody,
    responses((status = 200, body = ReportView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`report_validated`, `not_the_operator`, `not_assigned`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn resubmit_report(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<ReportBody>,
) -> Result<Json<ReportView>, ApiError> {
    if b.id.is_some_and(|given| given != id) {
        return Err(ApiError::invalid("id", "not_changeable", "a report's id never changes"));
    }
    let revision = b.revision_id.unwrap_or_else(|| app.ids().uuid());
    Ok(Json(ReportView::new(&app.mutate(&actor, b.mutation(id, revision)).await?.row)))
}

/// Validate the revision read: its hours become the item's running hours. Not one's own.
#[utoipa::path(post, path = "/api/v1/daily-reports/{id}/validate", tag = "assignments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ValidateBody,
    responses((status = 200, body = ReportView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`own_report`, `report_changed`, `invalid_transition`, `decommissioned`"),
              (status = 422, body = Problem, content_type = "application/problem+json", description = "`reading_backwards` on `hours`")))]
async fn validate_report(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<ValidateBody>,
) -> Result<Json<ReportView>, ApiError> {
    let m = ValidateDailyReport { report_id: DailyReportId(id), revision_id: ReportRevisionId(b.revision_id) };
    Ok(Json(ReportView::new(&app.mutate(&actor, m).await?)))
}

/// Return the revision read to its operator with a comment. Not one's own.
#[utoipa::path(post, path = "/api/v1/daily-reports/{id}/return", tag = "assignments", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ReturnBody,
    responses((status = 200, body = ReportView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`own_report`, `report_changed`, `invalid_transition`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn return_report(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<ReturnBody>,
) -> Result<Json<ReportView>, ApiError> {
    let m = ReturnDailyReport {
        report_id: DailyReportId(id),
        revision_id: ReportRevisionId(b.revision_id),
        comment: b.comment,
    };
    Ok(Json(ReportView::new(&app.mutate(&actor, m).await?)))
}

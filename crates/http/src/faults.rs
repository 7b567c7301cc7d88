//! `/faults`: reporting, the lifecycle, assignment, comments. Repair time (`repair_seconds`)
//! is shown only to roles with `fault.mttr.read`; for the others the field is left out.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bosun_domain::fault::{Comment, Severity};
use bosun_domain::fields::{Field, FieldPolicy};
use bosun_domain::{EquipmentId, FaultId, VesselId};
use bosun_store::Page;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, encode_cursor};
use crate::names::{FaultMoveName, FaultStatusName, SeverityName};
use crate::parts::PartsOrderView;
use crate::state::AppState;
use bosun_app::checks::parse_list;
use bosun_app::maintenance::faults::{
    AcknowledgeFault, AssignFault, CommentFault, FaultDetail, FaultEntry, FaultQuery, ReportFault, ResolveFault,
    SetFaultStatus,
};
use bosun_app::{Actor, Error};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(report))
        .routes(routes!(list_active))
        .routes(routes!(get_fault))
        .routes(routes!(acknowledge_fault))
        .routes(routes!(assign))
        .routes(routes!(set_fault_status))
        .routes(routes!(resolve))
        .routes(routes!(comment))
}

/// A fault as people see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FaultView {
    /// Id.
    pub id: Uuid,
    /// The vessel of its equipment.
    pub vessel_id: Uuid,
    /// The faulty item.
    pub equipment_id: Uuid,
    /// Its name.
    pub equipment_name: String,
    /// The item's status as people see it: `down` while a critical fault on it is unresolved
    /// (unless decommissioned), else the recorded status.
    pub equipment_status: String,
    /// `low`, `medium`, `high` or `critical`.
    #[schema(value_type = SeverityName)]
    pub severity: String,
    /// `open`, `acknowledged`, `in_progress`, `awaiting_parts`, `resolved` or `closed`.
    #[schema(value_type = FaultStatusName)]
    pub status: String,
    /// One line.
    pub title: String,
    /// What was seen.
    pub description: String,
    /// Who reported it.
    pub reported_by: Uuid,
    /// When the crew observed it (may precede receipt: offline reports).
    pub observed_at: DateTime<Utc>,
    /// When the server received it.
    pub received_at: DateTime<Utc>,
    /// When it was acknowledged.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Who holds it.
    pub assignee_id: Option<Uuid>,
    /// When it was resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Who resolved it.
    pub resolved_by: Option<Uuid>,
    /// Why it failed.
    pub root_cause: Option<String>,
    /// What was done.
    pub resolution: Option<String>,
    /// Seconds from the report (observed time) to resolution; only for roles with
    /// `fault.mttr.read`, absent for the others.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<i64>)]
    pub repair_seconds: Option<Option<i64>>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Version (sync sequence of the last change).
    pub version: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl FaultView {
    /// The view of `e` for `actor` (repair time only with `fault.mttr.read`).
    pub fn new(e: &FaultEntry, actor: &Actor) -> Self {
        let f = &e.fault;
        Self {
            id: f.id.0,
            vessel_id: f.vessel_id.0,
            equipment_id: f.equipment_id.0,
            equipment_name: e.equipment_name.clone(),
            equipment_status: e.equipment_status.as_str().into(),
            severity: f.severity.as_str().into(),
            status: f.status.as_str().into(),
            title: f.title.clone(),
            description: f.description.clone(),
            reported_by: f.reported_by.0,
            observed_at: f.observed_at,
            received_at: f.received_at,
            acknowledged_at: f.acknowledged_at,
            assignee_id: f.assignee_id.map(|u| u.0),
            resolved_at: f.resolved_at,
            resolved_by: f.resolved_by.map(|u| u.0),
            root_cause: f.root_cause.clone(),
            resolution: f.resolution.clone(),
            repair_seconds: FieldPolicy::of(actor.role).shown(Field::RepairSeconds, f.repair_seconds),
            closed_at: f.closed_at,
            version: f.version,
            created_at: f.created_at,
            updated_at: f.updated_at,
        }
    }
}

/// A comment on a fault.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentView {
    /// Id.
    pub id: Uuid,
    /// The fault.
    pub fault_id: Uuid,
    /// Who wrote it.
    pub author_id: Uuid,
    /// The text.
    pub body: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<&Comment> for CommentView {
    fn from(c: &Comment) -> Self {
        Self {
            id: c.id.0,
            fault_id: c.fault_id.0,
            author_id: c.author_id.0,
            body: c.body.clone(),
            created_at: c.created_at,
        }
    }
}

/// A fault with its comments (oldest first) and parts orders (newest first).
#[derive(Debug, Serialize, ToSchema)]
pub struct FaultDetailView {
    /// The fault.
    #[serde(flatten)]
    pub fault: FaultView,
    /// Its comments, oldest first.
    pub comments: Vec<CommentView>,
    /// Its parts orders, prices as the caller's role allows.
    pub parts_orders: Vec<PartsOrderView>,
}

impl FaultDetailView {
    fn new(d: &FaultDetail, actor: &Actor) -> Self {
        let prices = FieldPolicy::of(actor.role);
        Self {
            fault: FaultView::new(&d.entry, actor),
            comments: d.comments.iter().map(Into::into).collect(),
            parts_orders: d.parts_orders.iter().map(|o| PartsOrderView::new(o, prices)).collect(),
        }
    }
}

/// A page of faults, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct FaultPage {
    /// This page.
    pub items: Vec<FaultView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// A fault as reported.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaultReportBody {
    /// Client-made UUIDv7 (offline reports). Sending the same report again answers the stored
    /// fault (200); the same id with other content answers 409 `id_taken`.
    pub id: Option<Uuid>,
    /// The faulty item; its vessel becomes the fault's.
    pub equipment_id: Uuid,
    /// `low`, `medium`, `high` or `critical`.
    #[schema(value_type = SeverityName)]
    pub severity: String,
    /// One line, 1–200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub title: String,
    /// What was seen, up to 10,000 characters (line breaks allowed).
    #[serde(default)]
    #[schema(max_length = 10000, pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$")]
    pub description: String,
    /// When it was observed (RFC 3339); may be earlier than now (offline reports), by at most
    /// a year, and at most 5 minutes later (clock skew). Now when absent.
    pub observed_at: Option<DateTime<Utc>>,
}

/// Report a fault on an item of equipment (the caller is the reporter). 201 when new, 200
/// when the same report (same `id` and content) was already received.
#[utoipa::path(post, path = "/api/v1/faults", tag = "faults", security(("bearer" = [])), request_body = FaultReportBody,
    responses((status = 201, body = FaultView), (status = 200, body = FaultView, description = "the same report again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn report(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(body): ApiJson<FaultReportBody>,
) -> Result<(StatusCode, Json<FaultView>), ApiError> {
    let report = ReportFault::parse(
        body.id.map(FaultId),
        EquipmentId(body.equipment_id),
        &body.severity,
        body.title,
        body.description,
        body.observed_at,
    )?;
    let r = app.mutate(&actor, report).await?;
    let status = if r.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(FaultView::new(&r.entry, &actor))))
}

/// Filters and paging for active faults.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActiveQuery {
    /// Only on this vessel.
    pub vessel_id: Option<Uuid>,
    /// Only on this item.
    pub equipment_id: Option<Uuid>,
    /// Only these severities, comma-separated (`high,critical`).
    #[param(style = Form, explode = false, value_type = Option<Vec<SeverityName>>)]
    pub severity: Option<String>,
    /// Only these statuses, comma-separated (`open,acknowledged`); every unresolved status when
    /// absent.
    #[param(style = Form, explode = false, value_type = Option<Vec<FaultStatusName>>)]
    pub status: Option<String>,
    /// Only held by this person.
    pub assignee_id: Option<Uuid>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Faults the caller may see, newest first: unresolved ones unless `status` names others.
#[utoipa::path(get, path = "/api/v1/faults/active", tag = "faults", security(("bearer" = [])), params(ActiveQuery),
    responses((status = 200, body = FaultPage), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_active(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<ActiveQuery>,
) -> Result<Json<FaultPage>, ApiError> {
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let query = FaultQuery {
        vessel: q.vessel_id.map(VesselId),
        equipment: q.equipment_id.map(EquipmentId),
        severities: parse_list::<Severity>(q.severity.as_deref())?,
        statuses: parse_list(q.status.as_deref())?,
        assignee: q.assignee_id.map(Into::into),
    };
    let page = Page { after: paging.after::<Uuid>()?.map(FaultId), limit: paging.limit()? };
    let (rows, next) = app.faults.list(&actor, query, page).await?;
    Ok(Json(FaultPage {
        items: rows.iter().map(|e| FaultView::new(e, &actor)).collect(),
        next_cursor: next.map(encode_cursor),
    }))
}

/// One fault with its comments and parts orders.
#[utoipa::path(get, path = "/api/v1/faults/{id}", tag = "faults", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = FaultDetailView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_fault(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<FaultDetailView>, ApiError> {
    let d = app.faults.get(&actor, FaultId(id)).await?;
    Ok(Json(FaultDetailView::new(&d, &actor)))
}

/// Acknowledge an open fault.
#[utoipa::path(post, path = "/api/v1/faults/{id}/acknowledge", tag = "faults", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = FaultView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`invalid_transition`")))]
async fn acknowledge_fault(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<FaultView>, ApiError> {
    let e = app.mutate(&actor, AcknowledgeFault { fault_id: FaultId(id) }).await?;
    Ok(Json(FaultView::new(&e, &actor)))
}

/// Whom to hand a fault to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaultAssignBody {
    /// An active person of the company who can see the fault's vessel.
    pub assignee_id: Uuid,
}

/// Hand an unresolved fault to a person.
#[utoipa::path(post, path = "/api/v1/faults/{id}/assign", tag = "faults", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = FaultAssignBody,
    responses((status = 200, body = FaultView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`fault_resolved`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn assign(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<FaultAssignBody>,
) -> Result<Json<FaultView>, ApiError> {
    let e = app.mutate(&actor, AssignFault { fault_id: FaultId(id), assignee_id: body.assignee_id.into() }).await?;
    Ok(Json(FaultView::new(&e, &actor)))
}

/// A move in the lifecycle.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaultStatusBody {
    /// `acknowledged`, `in_progress`, `awaiting_parts`, `closed`, or `open` to reopen a
    /// resolved or closed fault. `resolved` goes through `PUT /faults/{id}/resolve`.
    #[schema(value_type = FaultMoveName)]
    pub status: String,
}

/// Move a fault in its lifecycle. Moves outside it answer 409 `invalid_transition`, or
/// `fault_not_acknowledged` for work on a fault nobody acknowledged.
#[utoipa::path(post, path = "/api/v1/faults/{id}/status", tag = "faults", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = FaultStatusBody,
    responses((status = 200, body = FaultView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`invalid_transition`, `fault_not_acknowledged`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn set_fault_status(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<FaultStatusBody>,
) -> Result<Json<FaultView>, ApiError> {
    let status = body.status.parse().map_err(Error::from)?;
    let e = app.mutate(&actor, SetFaultStatus { fault_id: FaultId(id), status }).await?;
    Ok(Json(FaultView::new(&e, &actor)))
}

/// What was found and done.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaultResolveBody {
    /// Why it failed, 1–4,000 characters.
    #[schema(
        min_length = 1,
        max_length = 4000,
        pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*[^\s\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f][^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"
    )]
    pub root_cause: String,
    /// What was done, 1–4,000 characters.
    #[schema(
        min_length = 1,
        max_length = 4000,
        pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*[^\s\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f][^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"
    )]
    pub resolution: String,
}

/// Resolve a fault (acknowledged, in progress or awaiting parts), fixing its repair time.
#[utoipa::path(put, path = "/api/v1/faults/{id}/resolve", tag = "faults", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = FaultResolveBody,
    responses((status = 200, body = FaultView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`invalid_transition`, `fault_not_acknowledged`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn resolve(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<FaultResolveBody>,
) -> Result<Json<FaultView>, ApiError> {
    let resolve = ResolveFault { fault_id: FaultId(id), root_cause: body.root_cause, resolution: body.resolution };
    let e = app.mutate(&actor, resolve).await?;
    Ok(Json(FaultView::new(&e, &actor)))
}

/// A comment to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaultCommentBody {
    /// The text, 1–4,000 characters (line breaks allowed).
    #[schema(
        min_length = 1,
        max_length = 4000,
        pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*[^\s\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f][^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"
    )]
    pub body: String,
}

/// Comment on a fault. Comments are never edited or deleted.
#[utoipa::path(post, path = "/api/v1/faults/{id}/comments", tag = "faults", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = FaultCommentBody,
    responses((status = 201, body = CommentView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn comment(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<FaultCommentBody>,
) -> Result<(StatusCode, Json<CommentView>), ApiError> {
    let c = app.mutate(&actor, CommentFault { fault_id: FaultId(id), body: body.body }).await?;
    Ok((StatusCode::CREATED, Json((&c).into())))
}

//! `/equipment`: each vessel's registry of systems, equipment and components, their
//! running-hour readings, QR codes and label sheets, and CSV import.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bosun_domain::equipment::{Area, Criticality, EquipmentLevel, EquipmentStatus};
use bosun_domain::{EquipmentId, VesselId, Violation};
use bosun_store::Page;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, RawBody, encode_cursor};
use crate::labels::{label_sheet, qr_svg};
use crate::names::{
    AreaName, CriticalityName, EquipmentStatusName, LevelName, ListViewName, SettableEquipmentStatusName,
};
use crate::schemas::Specs;
use crate::state::AppState;
use crate::views::{
    DecommissionedView, EquipmentDetailView, EquipmentFlatList, EquipmentListing, EquipmentTreeList, EquipmentView,
    FlatView, ImportReportView, ReadingPage, RecordedReadingView, qr_url,
};
use bosun_app::fleet::equipment::{
    CreateEquipment, DecommissionEquipment, EquipmentFields, ListFilter, ReadingCursor, RecordReading, UpdateEquipment,
    check_fields,
};
use bosun_app::{Actor, Error};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_by_vessel))
        .routes(routes!(create_equipment))
        .routes(routes!(get_equipment, update_equipment))
        .routes(routes!(decommission))
        .routes(routes!(list_readings, record_reading))
        .routes(routes!(link_meter, unlink_meter))
        .routes(routes!(qr))
        .routes(routes!(by_qr))
        .routes(routes!(labels))
        .routes(routes!(import))
}

/// An item to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEquipmentBody {
    /// Client-made UUIDv7 (offline creation); made by the server when absent.
    #[schema(pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub id: Option<Uuid>,
    /// The vessel it is on; it stays there.
    pub vessel_id: Uuid,
    /// The item above it on the same vessel; null or absent at top level. A system has no
    /// parent, equipment sits under a system (or at top level), a component under equipment.
    pub parent_id: Option<Uuid>,
    /// `system`, `equipment` or `component`.
    #[schema(value_type = LevelName)]
    pub level: String,
    /// `engine_room`, `deck`, `bridge`, `accommodation`, `cargo`, `electrical`, `hull` or `other`.
    #[schema(value_type = AreaName)]
    pub area: String,
    /// Name (1–120 characters).
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
    /// Type, e.g. "diesel engine" (up to 80 characters, surrounding spaces trimmed; blank is none).
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]{0,78}[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?)?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub equipment_type: Option<String>,
    /// Maker (up to 80 characters, surrounding spaces trimmed; blank is none).
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]{0,78}[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?)?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub maker: Option<String>,
    /// Model (up to 80 characters, surrounding spaces trimmed; blank is none).
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]{0,78}[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?)?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub model: Option<String>,
    /// Serial number (up to 80 characters, surrounding spaces trimmed; blank is none).
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]{0,78}[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?)?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub serial_number: Option<String>,
    /// `low`, `medium` (default), `high` or `critical`.
    #[schema(value_type = Option<CriticalityName>)]
    pub criticality: Option<String>,
    /// `operational` (default), `degraded` or `down`; decommission through its own route.
    #[schema(value_type = Option<SettableEquipmentStatusName>)]
    pub status: Option<String>,
    /// Free-form specifications: a JSON object up to 16 KiB.
    #[schema(value_type = Option<Specs>)]
    pub specs: Option<serde_json::Value>,
}

/// An item's fields, replacing the stored ones (the path names the item; its vessel and QR
/// code stay).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquipmentUpdateBody {
    /// The item above it on the same vessel; null or absent at top level. A system has no
    /// parent, equipment sits under a system (or at top level), a component under equipment.
    pub parent_id: Option<Uuid>,
    /// `system`, `equipment` or `component`.
    #[schema(value_type = LevelName)]
    pub level: String,
    /// `engine_room`, `deck`, `bridge`, `accommodation`, `cargo`, `electrical`, `hull` or `other`.
    #[schema(value_type = AreaName)]
    pub area: String,
    /// Name (1–120 characters).
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
    /// Type, e.g. "diesel engine" (up to 80 characters, surrounding spaces trimmed; blank is none).
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]{0,78}[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?)?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub equipment_type: Option<String>,
    /// Maker (up to 80 characters, surrounding spaces trimmed; blank is none).
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]{0,78}[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?)?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub maker: Option<String>,
    /// Model (up to 80 characters, surrounding spaces trimmed; blank is none).
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]{0,78}[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?)?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub model: Option<String>,
    /// Serial number (up to 80 characters, surrounding spaces trimmed; blank is none).
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]{0,78}[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?)?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub serial_number: Option<String>,
    /// `low`, `medium` (default), `high` or `critical`.
    #[schema(value_type = Option<CriticalityName>)]
    pub criticality: Option<String>,
    /// `operational` (default), `degraded` or `down`; decommission through its own route.
    #[schema(value_type = Option<SettableEquipmentStatusName>)]
    pub status: Option<String>,
    /// Free-form specifications: a JSON object up to 16 KiB.
    #[schema(value_type = Option<Specs>)]
    pub specs: Option<serde_json::Value>,
    /// The version last seen; a newer stored version answers 409 `version_conflict`.
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub version: Option<i64>,
}

/// The fields both bodies share, for [`check_fields`].
macro_rules! equipment_fields {
    ($body:expr) => {
        EquipmentFields {
            parent_id: $body.parent_id.map(EquipmentId),
            level: $body.level.clone(),
            area: $body.area.clone(),
            name: $body.name.clone(),
            equipment_type: $body.equipment_type.clone(),
            maker: $body.maker.clone(),
            model: $body.model.clone(),
            serial_number: $body.serial_number.clone(),
            criticality: $body.criticality.clone(),
            status: $body.status.clone(),
            specs: $body.specs.clone(),
        }
    };
}

/// How to list a vessel's equipment.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EquipmentListQuery {
    /// `flat` (default: a page at a time, each item naming its `parent_id`) or `tree` (the whole
    /// vessel nested under `children`, at most 5,000 items; with filters, the matches and
    /// their ancestors).
    #[param(value_type = Option<ListViewName>)]
    pub view: Option<String>,
    /// Only this area.
    #[param(value_type = Option<AreaName>)]
    pub area: Option<String>,
    /// Only this recorded status.
    #[param(value_type = Option<EquipmentStatusName>)]
    pub status: Option<String>,
    /// Only this criticality.
    #[param(value_type = Option<CriticalityName>)]
    pub criticality: Option<String>,
    /// Only this level.
    #[param(value_type = Option<LevelName>)]
    pub level: Option<String>,
    /// Name or serial number contains this, case-insensitively.
    pub q: Option<String>,
    /// Show decommissioned items too (default false).
    pub include_decommissioned: Option<bool>,
    /// Flat only: rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Flat only: the `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn parse_opt<T: std::str::FromStr<Err = Violation>>(v: &mut Vec<Violation>, text: Option<&str>) -> Option<T> {
    text.and_then(|t| t.parse().map_err(|e| v.push(e)).ok())
}

impl EquipmentListQuery {
    fn filter(&self) -> Result<ListFilter, ApiError> {
        let mut v = Vec::new();
        let filter = ListFilter {
            area: parse_opt::<Area>(&mut v, self.area.as_deref()),
            status: parse_opt::<EquipmentStatus>(&mut v, self.status.as_deref()),
            criticality: parse_opt::<Criticality>(&mut v, self.criticality.as_deref()),
            level: parse_opt::<EquipmentLevel>(&mut v, self.level.as_deref()),
            q: self.q.clone(),
            include_decommissioned: self.include_decommissioned.unwrap_or(false),
        };
        if self.q.as_deref().is_some_and(|q| q.chars().count() > 100) {
            v.push(Violation::new("q", "too_long", "must have at most 100 characters"));
        }
        if v.is_empty() { Ok(filter) } else { Err(Error::Invalid(v).into()) }
    }
}

/// A vessel's equipment, flat or as a tree, filtered.
#[utoipa::path(get, path = "/api/v1/equipment/by-vessel/{vesselId}", tag = "equipment", security(("bearer" = [])),
    params(("vesselId" = Uuid, Path), EquipmentListQuery),
    responses((status = 200, body = EquipmentListing),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_by_vessel(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(vessel): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<EquipmentListQuery>,
) -> Result<Json<EquipmentListing>, ApiError> {
    let filter = q.filter()?;
    let public_url = &app.config.server.public_url;
    match q.view.as_deref().unwrap_or("flat") {
        "flat" => {
            let paging = PageQuery { limit: q.limit, cursor: q.cursor.clone() };
            let page = Page { after: paging.after::<Uuid>()?.map(EquipmentId), limit: paging.limit()? };
            let (rows, next) = app.equipment.list(&actor, VesselId(vessel), &filter, page).await?;
            Ok(Json(EquipmentListing::Flat(EquipmentFlatList {
                view: FlatView::Flat,
                items: rows.iter().map(|s| EquipmentView::new(s, public_url)).collect(),
                next_cursor: next.map(encode_cursor),
            })))
        }
        "tree" => {
            if q.limit.is_some() || q.cursor.is_some() {
                return Err(ApiError::invalid(
                    "cursor",
                    "not_allowed",
                    "a tree is not paged; leave out limit and cursor",
                ));
            }
            let entries = app.equipment.tree(&actor, VesselId(vessel), &filter).await?;
            Ok(Json(EquipmentListing::Tree(EquipmentTreeList::new(&entries, public_url))))
        }
        _ => Err(ApiError::invalid("view", "unknown_value", "must be one of flat, tree")),
    }
}

/// One item with its fault history (newest first) and latest readings.
#[utoipa::path(get, path = "/api/v1/equipment/{id}", tag = "equipment", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = EquipmentDetailView),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_equipment(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<EquipmentDetailView>, ApiError> {
    let d = app.equipment.get(&actor, EquipmentId(id)).await?;
    Ok(Json(EquipmentDetailView::new(&d, &app.config.server.public_url)))
}

/// Register an item on a vessel; it gets its QR code now.
#[utoipa::path(post, path = "/api/v1/equipment", tag = "equipment", security(("bearer" = [])), request_body = NewEquipmentBody,
    responses((status = 201, body = EquipmentView),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_equipment(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(body): ApiJson<NewEquipmentBody>,
) -> Result<(StatusCode, Json<EquipmentView>), ApiError> {
    let fields = check_fields(&equipment_fields!(body)).map_err(Error::Invalid)?;
    let new = CreateEquipment { id: body.id.map(EquipmentId), vessel_id: VesselId(body.vessel_id), fields };
    let s = app.mutate(&actor, new).await?;
    Ok((StatusCode::CREATED, Json(EquipmentView::new(&s, &app.config.server.public_url))))
}

/// Replace an item's fields (the vessel and QR code stay).
#[utoipa::path(put, path = "/api/v1/equipment/{id}", tag = "equipment", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = EquipmentUpdateBody,
    responses((status = 200, body = EquipmentView),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn update_equipment(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<EquipmentUpdateBody>,
) -> Result<Json<EquipmentView>, ApiError> {
    let fields = check_fields(&equipment_fields!(body)).map_err(Error::Invalid)?;
    let s =
        app.mutate(&actor, UpdateEquipment { equipment_id: EquipmentId(id), fields, version: body.version }).await?;
    Ok(Json(EquipmentView::new(&s, &app.config.server.public_url)))
}

/// Take an item, and everything under it, out of service for good (instead of deleting it).
#[utoipa::path(post, path = "/api/v1/equipment/{id}/decommission", tag = "equipment", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = DecommissionedView),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json")))]
async fn decommission(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<DecommissionedView>, ApiError> {
    let (s, below) = app.mutate(&actor, DecommissionEquipment { equipment_id: EquipmentId(id) }).await?;
    Ok(Json(DecommissionedView {
        item: EquipmentView::new(&s, &app.config.server.public_url),
        also_decommissioned: below,
    }))
}

/// A running-hour reading to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadingBody {
    /// Client-made UUIDv7 (offline recording); made by the server when absent.
    #[schema(pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    pub id: Option<Uuid>,
    /// Hours on the meter (0–10,000,000).
    #[schema(minimum = 0, maximum = 10_000_000)]
    pub hours: f64,
    /// The meter was replaced and this is the new meter's first reading (default false).
    #[serde(default)]
    pub meter_replaced: bool,
    /// When it was read (default now); not in the future, within ten years.
    pub read_at: Option<DateTime<Utc>>,
}

/// An item's readings, newest first, with its running hours.
#[utoipa::path(get, path = "/api/v1/equipment/{id}/readings", tag = "equipment", security(("bearer" = [])),
    params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = ReadingPage),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn list_readings(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<ReadingPage>, ApiError> {
    let page = Page { after: q.after::<ReadingCursor>()?, limit: q.limit()? };
    let (rows, next, running_hours) = app.equipment.readings(&actor, EquipmentId(id), page).await?;
    Ok(Json(ReadingPage {
        items: rows.iter().map(Into::into).collect(),
        next_cursor: next.map(encode_cursor),
        running_hours,
    }))
}

/// Record a running-hour reading (insert-only). One lower than the reading before it answers
/// 422 with the field code `reading_backwards`, unless it is marked as a meter replacement.
#[utoipa::path(post, path = "/api/v1/equipment/{id}/readings", tag = "equipment", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ReadingBody,
    responses((status = 201, body = RecordedReadingView),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn record_reading(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ReadingBody>,
) -> Result<(StatusCode, Json<RecordedReadingView>), ApiError> {
    let input = RecordReading {
        equipment_id: EquipmentId(id),
        id: body.id,
        hours: body.hours,
        meter_replaced: body.meter_replaced,
        read_at: body.read_at,
    };
    let (r, running_hours) = app.mutate(&actor, input).await?;
    Ok((StatusCode::CREATED, Json(RecordedReadingView { reading: (&r).into(), running_hours })))
}

/// The item's QR code as SVG; it encodes `{server.public_url}/q/{qr_code}`.
#[utoipa::path(get, path = "/api/v1/equipment/{id}/qr.svg", tag = "equipment", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = String, content_type = "image/svg+xml"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn qr(State(app): State<AppState>, actor: Actor, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let d = app.equipment.get(&actor, EquipmentId(id)).await?;
    let code = &d.state.item.qr_code;
    let svg = qr_svg(&qr_url(&app.config.server.public_url, code))
        .ok_or_else(|| ApiError::from(Error::Internal("a QR code URL did not fit a QR code".into())))?;
    let disposition = format!("inline; filename=\"{code}.svg\"");
    Ok(([(header::CONTENT_TYPE, "image/svg+xml".to_owned()), (header::CONTENT_DISPOSITION, disposition)], svg)
        .into_response())
}

/// The item a scanned QR code names (case-insensitive; `I`/`L` read as 1, `O` as 0). 404 when
/// no item the caller may see has it.
#[utoipa::path(get, path = "/api/v1/equipment/by-qr/{code}", tag = "equipment", security(("bearer" = [])),
    params(("code" = String, Path, description = "The 10-character code on the label")),
    responses((status = 200, body = EquipmentView),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn by_qr(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<EquipmentView>, ApiError> {
    let s = app.equipment.by_qr(&actor, &code).await?;
    Ok(Json(EquipmentView::new(&s, &app.config.server.public_url)))
}

/// A printable HTML sheet of QR labels for every item in service on a vessel (A4, three
/// across; name, area and code under each code; no external assets).
#[utoipa::path(get, path = "/api/v1/vessels/{id}/qr-labels", tag = "equipment", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = String, content_type = "text/html"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn labels(State(app): State<AppState>, actor: Actor, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let (vessel, items) = app.equipment.labels(&actor, VesselId(id)).await?;
    let html = label_sheet(&vessel, &items, &app.config.server.public_url);
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

/// How to import.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check every row and report every problem, writing nothing (default false).
    pub dry_run: Option<bool>,
}

/// Refuses a body that is not sent as `text/csv` (415 `unsupported_media_type`).
pub(crate) fn require_csv(headers: &HeaderMap) -> Result<(), ApiError> {
    let is_csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("text/csv"));
    if is_csv {
        Ok(())
    } else {
        Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Send the file as text/csv"))
    }
}

/// Import a vessel's equipment list from CSV (`text/csv`, UTF-8, a header row; at most
/// `server.max_import_bytes`, 8 MiB by default, and 10,000 rows, else 413 `body_too_large` or
/// 422 `too_many_rows`). Columns: `ref`, `parent_ref`, `level`, `name`, `area`,
/// `equipment_type`, `maker`, `model`, `serial_number`, `criticality`, `status`; `name`,
/// `level` and `area` are required and an unknown column refuses the file. `parent_ref` names
/// another row's `ref` (in any order) or the QR code of an item already on the vessel. A dry
/// run answers 200 with the problems of every bad row, up to 100: checking stops at the 100th
/// (`truncated`, `stopped_at_row`). A real import answers 201 after writing every row in one
/// transaction, or 422 (rows named as `rows.{line}.{column}`, and `too_many_bad_rows` when
/// checking stopped early) having written nothing. The body is read only once the caller may
/// write to the vessel.
#[utoipa::path(post, path = "/api/v1/vessels/{id}/equipment/import", tag = "equipment", security(("bearer" = [])),
    params(("id" = Uuid, Path), ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The equipment list"),
    responses((status = 200, body = ImportReportView, description = "Dry run"),
              (status = 201, body = ImportReportView, description = "Imported"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn import(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<ImportReportView>), ApiError> {
    require_csv(&headers)?;
    let dry_run = q.dry_run.unwrap_or(false);
    let limit = app.config.server.max_import_bytes as u64;
    let report = app.equipment.import(&actor, VesselId(id), &mut RawBody(body), limit, dry_run).await?;
    let status = if dry_run { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json((&report).into())))
}

/// Link an item to its parent's meter: from now on it counts the hours its parent runs and takes
/// no reading of its own. Linking a linked item again answers its link.
#[utoipa::path(put, path = "/api/v1/equipment/{id}/meter-link", tag = "equipment", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = crate::views::MeterLinkView),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`no_parent`, `parent_has_no_meter`, `decommissioned`")))]
async fn link_meter(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<crate::views::MeterLinkView>, ApiError> {
    let link =
        app.mutate(&actor, bosun_app::fleet::equipment::meters::LinkMeter { equipment_id: EquipmentId(id) }).await?;
    Ok(Json(crate::views::MeterLinkView::new(&link)))
}

/// End an item's link to its parent's meter: it keeps the hours it was given and takes its own
/// readings again. 204 whether or not it was linked.
#[utoipa::path(delete, path = "/api/v1/equipment/{id}/meter-link", tag = "equipment", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "unlinked"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn unlink_meter(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    app.mutate(&actor, bosun_app::fleet::equipment::meters::UnlinkMeter { equipment_id: EquipmentId(id) }).await?;
    Ok(StatusCode::NO_CONTENT)
}

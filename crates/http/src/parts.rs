//! Parts orders: `POST /faults/{id}/order-parts`, `/parts-orders`. Prices are shown by role:
//! supplier prices and the markup only with `price.supplier.read`, customer prices only with
//! `price.customer.read`; a field the caller may not see is left out.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bosun_domain::parts::{PartsOrder, PartsOrderStatus};
use bosun_domain::{FaultId, PartsOrderId, VesselId};
use bosun_store::Page;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, encode_cursor};
use crate::names::PartsOrderStatusName;
use crate::state::AppState;
use bosun_app::Actor;
use bosun_app::checks::parse_list;
use bosun_app::maintenance::parts::{OrderParts, PartsQuery, SetPartsOrderStatus};
use bosun_domain::fields::{Field, FieldPolicy};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(order))
        .routes(routes!(set_parts_order_status))
        .routes(routes!(list_parts_orders))
}

/// A parts order, prices as the caller's role allows.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartsOrderView {
    /// Id.
    pub id: Uuid,
    /// The fault it serves.
    pub fault_id: Uuid,
    /// The fault's vessel.
    pub vessel_id: Uuid,
    /// Part name.
    pub part_name: String,
    /// Maker's part number.
    pub part_number: Option<String>,
    /// How many.
    pub quantity: i64,
    /// Supplier.
    pub supplier: String,
    /// ISO 4217 currency of every price.
    pub currency: String,
    /// Supplier price per unit, minor units (`price.supplier.read` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub supplier_unit_price_minor: Option<i64>,
    /// Supplier price × quantity (`price.supplier.read` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub supplier_total_minor: Option<i64>,
    /// The markup applied when ordered, basis points: 2000 = 20 % (`price.supplier.read` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub markup_basis_points: Option<i64>,
    /// Customer price per unit, minor units: the supplier price plus the markup, rounded half
    /// away from zero to a whole minor unit (`price.customer.read` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub customer_unit_price_minor: Option<i64>,
    /// Customer price × quantity (`price.customer.read` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub customer_total_minor: Option<i64>,
    /// `requested`, `approved`, `ordered`, `shipped`, `received` or `cancelled`.
    #[schema(value_type = PartsOrderStatusName)]
    pub status: String,
    /// Who asked for it.
    pub requested_by: Uuid,
    /// When the status last changed.
    pub status_changed_at: DateTime<Utc>,
    /// Version (sync sequence of the last change).
    pub version: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl PartsOrderView {
    /// The view of `o` with the prices the field policy lets its reader see.
    pub fn new(o: &PartsOrder, policy: FieldPolicy) -> Self {
        Self {
            id: o.id.0,
            fault_id: o.fault_id.0,
            vessel_id: o.vessel_id.0,
            part_name: o.part_name.clone(),
            part_number: o.part_number.clone(),
            quantity: o.quantity,
            supplier: o.supplier.clone(),
            currency: o.currency.clone(),
            supplier_unit_price_minor: policy.shown(Field::SupplierUnitPrice, o.supplier_unit_minor),
            supplier_total_minor: policy.shown(Field::SupplierTotal, o.supplier_unit_minor.saturating_mul(o.quantity)),
            markup_basis_points: policy.shown(Field::MarkupBasisPoints, o.markup_bp),
            customer_unit_price_minor: policy.shown(Field::CustomerUnitPrice, o.customer_unit_minor),
            customer_total_minor: policy.shown(Field::CustomerTotal, o.customer_unit_minor.saturating_mul(o.quantity)),
            status: o.status.as_str().into(),
            requested_by: o.requested_by.0,
            status_changed_at: o.status_changed_at,
            version: o.version,
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

/// A page of parts orders, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartsOrderPage {
    /// This page.
    pub items: Vec<PartsOrderView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// Parts to order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartsOrderBody {
    /// Client-made UUIDv7 (orders made offline). Sending the same order again answers the
    /// stored order (200), even once the fault is resolved; the same id with other content
    /// answers 409 `id_taken`.
    pub id: Option<Uuid>,
    /// Part name, 1–200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub part_name: String,
    /// Maker's part number (up to 80 characters, surrounding spaces trimmed; blank is none).
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]{0,78}[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?)?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub part_number: Option<String>,
    /// How many, 1–1,000,000.
    #[schema(minimum = 1, maximum = 1_000_000)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub quantity: i64,
    /// Supplier, 1–200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub supplier: String,
    /// Supplier price per unit in minor units (cents), 0–1,000,000,000.
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub supplier_unit_price_minor: i64,
    /// ISO 4217 code, e.g. `EUR`.
    #[schema(pattern = r"^[A-Z]{3}$")]
    pub currency: String,
}

/// Order parts for an unresolved fault. The customer price is the supplier price plus the
/// company's markup; a fault in progress moves to awaiting parts. 200 instead of 201 when the
/// same order (same `id` and content) was already received.
#[utoipa::path(post, path = "/api/v1/faults/{id}/order-parts", tag = "parts", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = PartsOrderBody,
    responses((status = 201, body = PartsOrderView), (status = 200, body = PartsOrderView, description = "the same order again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json",
               description = "`fault_resolved`, `id_taken`, `version_conflict`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn order(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PartsOrderBody>,
) -> Result<(StatusCode, Json<PartsOrderView>), ApiError> {
    let input = OrderParts {
        fault_id: FaultId(id),
        id: body.id.map(PartsOrderId),
        part_name: body.part_name,
        part_number: body.part_number,
        quantity: body.quantity,
        supplier: body.supplier,
        supplier_unit_price_minor: body.supplier_unit_price_minor,
        currency: body.currency,
    };
    let o = app.mutate(&actor, input).await?;
    let status = if o.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(PartsOrderView::new(&o.order, FieldPolicy::of(actor.role)))))
}

/// A move of a parts order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartsOrderStatusBody {
    /// `approved`, `ordered`, `shipped`, `received` or `cancelled` (before shipping).
    #[schema(value_type = PartsOrderStatusName)]
    pub status: String,
}

/// Move a parts order along: requested → approved → ordered → shipped → received, or
/// cancelled before shipping. Other moves answer 409 `invalid_transition`.
#[utoipa::path(post, path = "/api/v1/parts-orders/{id}/status", tag = "parts", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = PartsOrderStatusBody,
    responses((status = 200, body = PartsOrderView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`invalid_transition`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn set_parts_order_status(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PartsOrderStatusBody>,
) -> Result<Json<PartsOrderView>, ApiError> {
    let status = body.status.parse().map_err(bosun_app::Error::from)?;
    let o = app.mutate(&actor, SetPartsOrderStatus { order_id: PartsOrderId(id), status }).await?;
    Ok(Json(PartsOrderView::new(&o, FieldPolicy::of(actor.role))))
}

/// Filters and paging for parts orders.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PartsOrderQuery {
    /// Only on this vessel.
    pub vessel_id: Option<Uuid>,
    /// Only for this fault.
    pub fault_id: Option<Uuid>,
    /// Only these statuses, comma-separated (`ordered,shipped`).
    #[param(style = Form, explode = false, value_type = Option<Vec<PartsOrderStatusName>>)]
    pub status: Option<String>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Parts orders the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/parts-orders", tag = "parts", security(("bearer" = [])), params(PartsOrderQuery),
    responses((status = 200, body = PartsOrderPage), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_parts_orders(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<PartsOrderQuery>,
) -> Result<Json<PartsOrderPage>, ApiError> {
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let query = PartsQuery {
        vessel: q.vessel_id.map(VesselId),
        fault: q.fault_id.map(FaultId),
        statuses: parse_list::<PartsOrderStatus>(q.status.as_deref())?,
    };
    let page = Page { after: paging.after::<Uuid>()?.map(PartsOrderId), limit: paging.limit()? };
    let (rows, next) = app.parts.list(&actor, query, page).await?;
    let prices = FieldPolicy::of(actor.role);
    Ok(Json(PartsOrderPage {
        items: rows.iter().map(|o| PartsOrderView::new(o, prices)).collect(),
        next_cursor: next.map(encode_cursor),
    }))
}

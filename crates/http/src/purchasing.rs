//! Purchasing: suppliers (`/suppliers`), requisitions (`/requisitions`), purchase orders with
//! their receipts and printable copy (`/purchase-orders`). Prices are shown by role, as parts
//! orders' are: supplier prices, totals and markups with `price.supplier.read`, customer prices
//! with `price.customer.read`. Quantities are bodies' integer thousandths (`quantity_milli`)
//! and answers' exact decimal with thousandths, as in stock.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bosun_app::Actor;
use bosun_app::purchasing::orders::{
    CreatePurchaseOrder, FullOrder, NewOrderLine, ReceivePurchaseOrder, ReceivedLine, SetPurchaseOrderStatus,
};
use bosun_app::purchasing::pdf::order_number;
use bosun_app::purchasing::{
    ApproveRequisition, CancelRequisition, CreateSupplier, RaiseRequisition, RejectRequisition, RequisitionQuery,
    UpdateSupplier, part_id,
};
use bosun_domain::fields::{Field, FieldPolicy};
use bosun_domain::purchasing::{PurchaseOrderStatus, RequisitionStatus, Supplier, line_total};
use bosun_domain::{
    FaultId, PartId, PurchaseOrderId, PurchaseOrderLineId, ReceiptId, RequisitionId, StockEntryId, StockLocationId,
    SupplierId, VesselId, WorkOrderId,
};
use bosun_store::{Page, PurchaseOrderHead, StoredLine, StoredReceipt, StoredRequisition};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, encode_cursor};
use crate::names::{PurchaseOrderMoveName, PurchaseOrderStatusName, RequisitionStatusName};
use crate::state::AppState;
use crate::stock::{QuantityView, milli};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_suppliers, create_supplier))
        .routes(routes!(get_supplier, update_supplier))
        .routes(routes!(list_requisitions, raise_requisition))
        .routes(routes!(get_requisition))
        .routes(routes!(approve_requisition))
        .routes(routes!(reject_requisition))
        .routes(routes!(cancel_requisition))
        .routes(routes!(list_orders, create_order))
        .routes(routes!(get_order))
        .routes(routes!(set_order_status))
        .routes(routes!(receive_order))
        .routes(routes!(order_pdf))
}

/// A supplier of the company.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupplierView {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Contact person.
    pub contact: Option<String>,
    /// E-mail address for orders.
    pub email: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// Postal address, printed on orders.
    pub address: Option<String>,
    /// The currency it invoices in; orders default to it.
    pub currency: String,
    /// Version (sync sequence of the last change).
    pub version: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<&Supplier> for SupplierView {
    fn from(s: &Supplier) -> Self {
        Self {
            id: s.id.0,
            name: s.name.clone(),
            contact: s.contact.clone(),
            email: s.email.clone(),
            phone: s.phone.clone(),
            address: s.address.clone(),
            currency: s.currency.clone(),
            version: s.version,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// A page of suppliers.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupplierPage {
    /// Suppliers, by name.
    pub items: Vec<SupplierView>,
    /// Where the next page starts; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A supplier to add, or a supplier's new fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplierBody {
    /// Client-made UUIDv7 (adding only); the same supplier again answers 200.
    pub id: Option<Uuid>,
    /// Name, 1–200 characters, unique in the company ignoring case and spacing (409
    /// `supplier_name_taken`).
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
    /// Contact person (up to 200 characters; blank is none).
    #[schema(max_length = 200, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub contact: Option<String>,
    /// E-mail address for orders (up to 200 characters; blank is none).
    #[schema(
        max_length = 200,
        pattern = r"^(\s*|\s*[^\s@\u0000-\u001f\u007f-\u009f]*@[^\s\u0000-\u001f\u007f-\u009f]*\s*)$"
    )]
    pub email: Option<String>,
    /// Telephone (up to 50 characters; blank is none).
    #[schema(max_length = 50, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub phone: Option<String>,
    /// Postal address, lines separated by line breaks (up to 500 characters).
    #[schema(max_length = 500, pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$")]
    pub address: Option<String>,
    /// The currency it invoices in, ISO 4217 (`EUR`).
    #[schema(pattern = r"^[A-Z]{3}$")]
    pub currency: String,
    /// Updating only: the version read; a newer stored version answers 409
    /// `version_conflict`.
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub version: Option<i64>,
}

/// Which suppliers to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SupplierQuery {
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The company's suppliers, by name.
#[utoipa::path(get, path = "/api/v1/suppliers", tag = "purchasing", security(("bearer" = [])), params(SupplierQuery),
    responses((status = 200, body = SupplierPage), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_suppliers(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<SupplierQuery>,
) -> Result<Json<SupplierPage>, ApiError> {
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let page = Page { after: paging.after::<Uuid>()?.map(SupplierId), limit: paging.limit()? };
    let (rows, next) = app.purchasing.suppliers(&actor, page).await?;
    Ok(Json(SupplierPage { items: rows.iter().map(Into::into).collect(), next_cursor: next.map(encode_cursor) }))
}

/// Add a supplier. 200 instead of 201 when the same supplier (same `id` and fields) was
/// already received.
#[utoipa::path(post, path = "/api/v1/suppliers", tag = "purchasing", security(("bearer" = [])), request_body = SupplierBody,
    responses((status = 201, body = SupplierView), (status = 200, body = SupplierView, description = "the same supplier again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`supplier_name_taken`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_supplier(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(b): ApiJson<SupplierBody>,
) -> Result<(StatusCode, Json<SupplierView>), ApiError> {
    let m = CreateSupplier {
        id: b.id.map(SupplierId),
        name: b.name,
        contact: b.contact,
        email: b.email,
        phone: b.phone,
        address: b.address,
        currency: b.currency,
    };
    let saved = app.mutate(&actor, m).await?;
    let status = if saved.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json((&saved.row).into())))
}

/// One supplier.
#[utoipa::path(get, path = "/api/v1/suppliers/{id}", tag = "purchasing", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = SupplierView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_supplier(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<SupplierView>, ApiError> {
    Ok(Json((&app.purchasing.supplier(&actor, SupplierId(id)).await?).into()))
}

/// Replace a supplier's fields.
#[utoipa::path(put, path = "/api/v1/suppliers/{id}", tag = "purchasing", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = SupplierBody,
    responses((status = 200, body = SupplierView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`supplier_name_taken`, `version_conflict`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn update_supplier(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<SupplierBody>,
) -> Result<Json<SupplierView>, ApiError> {
    if b.id.is_some_and(|given| given != id) {
        return Err(ApiError::invalid("id", "id_mismatch", "must be the supplier's id or absent"));
    }
    let m = UpdateSupplier {
        supplier_id: SupplierId(id),
        name: b.name,
        contact: b.contact,
        email: b.email,
        phone: b.phone,
        address: b.address,
        currency: b.currency,
        version: b.version,
    };
    Ok(Json((&app.mutate(&actor, m).await?).into()))
}

/// Prices of a requisition or an order line, as the reader's role may see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct PricesView {
    /// ISO 4217 currency of every price.
    pub currency: String,
    /// Supplier price per unit, minor units (`price.supplier.read` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub supplier_unit_price_minor: Option<i64>,
    /// Supplier price × quantity, rounded half away from zero (`price.supplier.read` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub supplier_total_minor: Option<i64>,
    /// The markup applied, basis points (`price.supplier.read` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub markup_basis_points: Option<i64>,
    /// Customer price per unit, minor units (`price.customer.read` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub customer_unit_price_minor: Option<i64>,
    /// Customer price × quantity (`price.customer.read` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub customer_total_minor: Option<i64>,
}

impl PricesView {
    fn new(p: &bosun_domain::purchasing::Pricing, q: bosun_domain::stock::Quantity, policy: FieldPolicy) -> Self {
        Self {
            currency: p.currency.clone(),
            supplier_unit_price_minor: policy.shown(Field::SupplierUnitPrice, p.supplier_unit_minor),
            supplier_total_minor: policy.shown(Field::SupplierTotal, line_total(p.supplier_unit_minor, q)),
            markup_basis_points: policy.shown(Field::MarkupBasisPoints, p.markup_bp),
            customer_unit_price_minor: policy.shown(Field::CustomerUnitPrice, p.customer_unit_minor),
            customer_total_minor: policy.shown(Field::CustomerTotal, line_total(p.customer_unit_minor, q)),
        }
    }
}

/// A requisition: one part asked for a vessel.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequisitionView {
    /// Id.
    pub id: Uuid,
    /// The vessel it is for.
    pub vessel_id: Uuid,
    /// The catalogue part; absent for an unlisted one.
    pub part_id: Option<Uuid>,
    /// The part's name.
    pub part_name: String,
    /// The part's number.
    pub part_number: Option<String>,
    /// Its unit of measure.
    pub unit: String,
    /// How many.
    pub quantity: QuantityView,
    /// How many have arrived.
    pub received: QuantityView,
    /// The work order it serves.
    pub work_order_id: Option<Uuid>,
    /// The fault it serves.
    pub fault_id: Option<Uuid>,
    /// The supplier proposed.
    pub supplier_id: Option<Uuid>,
    /// Prices estimated when asked, by role; absent when none was given.
    pub prices: Option<PricesView>,
    /// When needed on board.
    pub needed_by: Option<NaiveDate>,
    /// The requester's note.
    pub note: Option<String>,
    /// Where it stands.
    #[schema(value_type = RequisitionStatusName)]
    pub status: String,
    /// Who asked.
    pub requested_by: Uuid,
    /// Who approved or rejected it.
    pub decided_by: Option<Uuid>,
    /// The approver's comment (why it was rejected).
    pub decision_comment: Option<String>,
    /// The purchase order it is on.
    pub purchase_order_id: Option<Uuid>,
    /// When its status last changed.
    pub status_changed_at: DateTime<Utc>,
    /// Version (sync sequence of the last change).
    pub version: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl RequisitionView {
    fn new(s: &StoredRequisition, policy: FieldPolicy) -> Self {
        let r = &s.requisition;
        Self {
            id: r.id.0,
            vessel_id: r.vessel_id.0,
            part_id: part_id(&r.part).map(|p| p.0),
            part_name: s.part_name.clone(),
            part_number: s.part_number.clone(),
            unit: s.unit.clone(),
            quantity: r.quantity.into(),
            received: s.received.into(),
            work_order_id: r.work_order_id.map(|w| w.0),
            fault_id: r.fault_id.map(|f| f.0),
            supplier_id: r.supplier_id.map(|x| x.0),
            prices: r.pricing.as_ref().map(|p| PricesView::new(p, r.quantity, policy)),
            needed_by: r.needed_by,
            note: s.note.clone(),
            status: r.status.as_str().into(),
            requested_by: r.requested_by.0,
            decided_by: r.decided_by.map(|u| u.0),
            decision_comment: s.decision_comment.clone(),
            purchase_order_id: s.purchase_order_id.map(|o| o.0),
            status_changed_at: r.status_changed_at,
            version: s.version,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// A page of requisitions.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequisitionPage {
    /// Requisitions, newest first.
    pub items: Vec<RequisitionView>,
    /// Where the next page starts; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A requisition to raise.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequisitionBody {
    /// Client-made UUIDv7; the same requisition again answers 200.
    pub id: Uuid,
    /// The vessel it is for.
    pub vessel_id: Uuid,
    /// A catalogue part; without it, `part_name` names an unlisted part.
    pub part_id: Option<Uuid>,
    /// An unlisted part's name, 1–200 characters (not with `part_id`).
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub part_name: Option<String>,
    /// An unlisted part's number (up to 80 characters; not with `part_id`).
    #[schema(max_length = 80, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub part_number: Option<String>,
    /// An unlisted part's unit, 1–20 characters (`pcs` when absent; not with `part_id`).
    #[schema(
        min_length = 1,
        max_length = 20,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub unit: Option<String>,
    /// How many, in thousandths of the unit (2000 is 2).
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub quantity_milli: i64,
    /// A work order of the same vessel it serves.
    pub work_order_id: Option<Uuid>,
    /// A fault of the same vessel it serves.
    pub fault_id: Option<Uuid>,
    /// The supplier proposed.
    pub supplier_id: Option<Uuid>,
    /// The supplier's price per unit, minor units, 0–1,000,000,000, with `currency` (only
    /// roles that read supplier prices: 403 otherwise).
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub supplier_unit_price_minor: Option<i64>,
    /// The price's currency, ISO 4217.
    #[schema(pattern = r"^[A-Z]{3}$")]
    pub currency: Option<String>,
    /// When it is needed on board.
    pub needed_by: Option<NaiveDate>,
    /// Anything to add, up to 1,000 characters.
    #[schema(max_length = 1000, pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$")]
    pub note: Option<String>,
}

/// Which requisitions to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RequisitionListQuery {
    /// Only for this vessel.
    pub vessel_id: Option<Uuid>,
    /// Only in these statuses, comma-separated (`requested,approved`).
    #[param(
        pattern = "^(requested|approved|ordered|partially_received|received|rejected|cancelled)(,(requested|approved|ordered|partially_received|received|rejected|cancelled))*$"
    )]
    pub status: Option<String>,
    /// Only for this work order.
    pub work_order_id: Option<Uuid>,
    /// Only for this fault.
    pub fault_id: Option<Uuid>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Statuses named in a list query, comma-separated.
fn statuses<S: std::str::FromStr>(text: Option<&str>) -> Result<Vec<S>, ApiError> {
    text.map_or(Ok(Vec::new()), |t| {
        t.split(',')
            .map(|s| s.trim().parse::<S>().map_err(|_| ApiError::invalid("status", "unknown_value", "is not a status")))
            .collect()
    })
}

/// Requisitions the caller sees, newest first.
#[utoipa::path(get, path = "/api/v1/requisitions", tag = "purchasing", security(("bearer" = [])), params(RequisitionListQuery),
    responses((status = 200, body = RequisitionPage), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_requisitions(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<RequisitionListQuery>,
) -> Result<Json<RequisitionPage>, ApiError> {
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let page = Page { after: paging.after::<Uuid>()?.map(RequisitionId), limit: paging.limit()? };
    let query = RequisitionQuery {
        vessel: q.vessel_id.map(VesselId),
        statuses: statuses::<RequisitionStatus>(q.status.as_deref())?,
        work_order: q.work_order_id.map(WorkOrderId),
        fault: q.fault_id.map(FaultId),
    };
    let (rows, next) = app.purchasing.requisitions(&actor, query, page).await?;
    let policy = FieldPolicy::of(actor.role);
    Ok(Json(RequisitionPage {
        items: rows.iter().map(|r| RequisitionView::new(r, policy)).collect(),
        next_cursor: next.map(encode_cursor),
    }))
}

/// Ask for a part for a vessel (requested until a manager decides). 200 instead of 201 when
/// the same requisition (same `id` and content) was already received.
#[utoipa::path(post, path = "/api/v1/requisitions", tag = "purchasing", security(("bearer" = [])), request_body = RequisitionBody,
    responses((status = 201, body = RequisitionView), (status = 200, body = RequisitionView, description = "the same requisition again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json", description = "a vessel, part, work order, fault or supplier out of reach"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn raise_requisition(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(b): ApiJson<RequisitionBody>,
) -> Result<(StatusCode, Json<RequisitionView>), ApiError> {
    let m = RaiseRequisition {
        id: RequisitionId(b.id),
        vessel_id: VesselId(b.vessel_id),
        part_id: b.part_id.map(PartId),
        part_name: b.part_name,
        part_number: b.part_number.filter(|n| !n.trim().is_empty()),
        unit: b.unit,
        quantity: milli("quantity_milli", b.quantity_milli, 1)?,
        work_order_id: b.work_order_id.map(WorkOrderId),
        fault_id: b.fault_id.map(FaultId),
        supplier_id: b.supplier_id.map(SupplierId),
        supplier_unit_price_minor: b.supplier_unit_price_minor,
        currency: b.currency,
        needed_by: b.needed_by,
        note: b.note,
    };
    let saved = app.mutate(&actor, m).await?;
    let status = if saved.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(RequisitionView::new(&saved.row, FieldPolicy::of(actor.role)))))
}

/// One requisition.
#[utoipa::path(get, path = "/api/v1/requisitions/{id}", tag = "purchasing", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = RequisitionView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_requisition(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<RequisitionView>, ApiError> {
    let r = app.purchasing.requisition(&actor, RequisitionId(id)).await?;
    Ok(Json(RequisitionView::new(&r, FieldPolicy::of(actor.role))))
}

/// A decision's comment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// For the requester: optional when approving, required (1–500 characters) when
    /// rejecting.
    #[schema(max_length = 500, pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$")]
    pub comment: Option<String>,
}

/// Approve a requisition for ordering: never the requester's own (409 `self_approval`).
#[utoipa::path(post, path = "/api/v1/requisitions/{id}/approve", tag = "purchasing", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = DecisionBody,
    responses((status = 200, body = RequisitionView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`self_approval`, `invalid_transition`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn approve_requisition(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<DecisionBody>,
) -> Result<Json<RequisitionView>, ApiError> {
    let m = ApproveRequisition { requisition_id: RequisitionId(id), comment: b.comment };
    Ok(Json(RequisitionView::new(&app.mutate(&actor, m).await?, FieldPolicy::of(actor.role))))
}

/// Reject a requisition, saying why: never the requester's own (409 `self_approval`).
#[utoipa::path(post, path = "/api/v1/requisitions/{id}/reject", tag = "purchasing", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = DecisionBody,
    responses((status = 200, body = RequisitionView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`self_approval`, `invalid_transition`"),
              (status = 422, body = Problem, content_type = "application/problem+json", description = "`required`: a rejection says why")))]
async fn reject_requisition(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<DecisionBody>,
) -> Result<Json<RequisitionView>, ApiError> {
    let m = RejectRequisition { requisition_id: RequisitionId(id), comment: b.comment.unwrap_or_default() };
    Ok(Json(RequisitionView::new(&app.mutate(&actor, m).await?, FieldPolicy::of(actor.role))))
}

/// Withdraw a requisition before it is ordered: its requester, or a manager.
#[utoipa::path(post, path = "/api/v1/requisitions/{id}/cancel", tag = "purchasing", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = RequisitionView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`invalid_transition`")))]
async fn cancel_requisition(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<RequisitionView>, ApiError> {
    let m = CancelRequisition { requisition_id: RequisitionId(id) };
    Ok(Json(RequisitionView::new(&app.mutate(&actor, m).await?, FieldPolicy::of(actor.role))))
}

/// A line of a purchase order.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderLineView {
    /// Id.
    pub id: Uuid,
    /// Its place on the order, from 1.
    pub position: i64,
    /// The requisition it fills.
    pub requisition_id: Option<Uuid>,
    /// The catalogue part; absent for an unlisted one.
    pub part_id: Option<Uuid>,
    /// The part's name.
    pub part_name: String,
    /// The part's number.
    pub part_number: Option<String>,
    /// Its unit of measure.
    pub unit: String,
    /// How many ordered.
    pub ordered: QuantityView,
    /// How many received so far.
    pub received: QuantityView,
    /// Still to come.
    pub outstanding: QuantityView,
    /// Prices, by role.
    pub prices: PricesView,
}

impl OrderLineView {
    fn new(s: &StoredLine, policy: FieldPolicy) -> Self {
        let l = &s.line;
        Self {
            id: l.id.0,
            position: s.position,
            requisition_id: l.requisition_id.map(|r| r.0),
            part_id: part_id(&l.part).map(|p| p.0),
            part_name: s.part_name.clone(),
            part_number: s.part_number.clone(),
            unit: s.unit.clone(),
            ordered: l.ordered.into(),
            received: l.received.into(),
            outstanding: l.outstanding().into(),
            prices: PricesView::new(&l.pricing, l.ordered, policy),
        }
    }
}

/// One line of a receipt.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptLineView {
    /// The order line.
    pub line_id: Uuid,
    /// How many arrived.
    pub quantity: QuantityView,
    /// The stock entry it posted; absent when received straight to the job.
    pub entry_id: Option<Uuid>,
}

/// Goods received against an order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptView {
    /// Id.
    pub id: Uuid,
    /// Where they went; absent: straight to the job.
    pub location_id: Option<Uuid>,
    /// What arrived.
    pub lines: Vec<ReceiptLineView>,
    /// The receiver's note.
    pub note: Option<String>,
    /// Who received.
    pub received_by: Uuid,
    /// When.
    pub received_at: DateTime<Utc>,
}

impl From<&StoredReceipt> for ReceiptView {
    fn from(r: &StoredReceipt) -> Self {
        Self {
            id: r.id.0,
            location_id: r.location_id.map(|l| l.0),
            lines: r
                .lines
                .iter()
                .map(|l| ReceiptLineView {
                    line_id: l.line_id.0,
                    quantity: l.quantity.into(),
                    entry_id: l.entry_id.map(|e| e.0),
                })
                .collect(),
            note: r.note.clone(),
            received_by: r.received_by.0,
            received_at: r.received_at,
        }
    }
}

/// A purchase order's own fields.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderSummaryView {
    /// Id.
    pub id: Uuid,
    /// Its number in the company (`PO-000042`).
    pub number: String,
    /// The vessel it delivers to.
    pub vessel_id: Uuid,
    /// The supplier.
    pub supplier_id: Uuid,
    /// Every price's currency.
    pub currency: String,
    /// When delivery is expected.
    pub expected_on: Option<NaiveDate>,
    /// Delivery instructions.
    pub note: Option<String>,
    /// Where it stands.
    #[schema(value_type = PurchaseOrderStatusName)]
    pub status: String,
    /// Who made it.
    pub created_by: Uuid,
    /// The lines' supplier total, minor units (`price.supplier.read` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub supplier_total_minor: Option<i64>,
    /// The lines' customer total, minor units (`price.customer.read` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = i64, required = false)]
    pub customer_total_minor: Option<i64>,
    /// When its status last changed.
    pub status_changed_at: DateTime<Utc>,
    /// Version (sync sequence of the last change).
    pub version: i64,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl OrderSummaryView {
    fn new(h: &PurchaseOrderHead, policy: FieldPolicy) -> Self {
        Self {
            id: h.id.0,
            number: order_number(h.number),
            vessel_id: h.vessel_id.0,
            supplier_id: h.supplier_id.0,
            currency: h.currency.clone(),
            expected_on: h.expected_on,
            note: h.note.clone(),
            status: h.status.as_str().into(),
            created_by: h.created_by.0,
            supplier_total_minor: policy.shown(Field::SupplierTotal, h.supplier_total_minor),
            customer_total_minor: policy.shown(Field::CustomerTotal, h.customer_total_minor),
            status_changed_at: h.status_changed_at,
            version: h.version,
            created_at: h.created_at,
            updated_at: h.updated_at,
        }
    }
}

/// A purchase order with its lines and receipts.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderView {
    /// The order's own fields.
    #[serde(flatten)]
    pub order: OrderSummaryView,
    /// Its lines, by position.
    pub lines: Vec<OrderLineView>,
    /// Its receipts, oldest first.
    pub receipts: Vec<ReceiptView>,
}

impl OrderView {
    fn new(o: &FullOrder, policy: FieldPolicy) -> Self {
        Self {
            order: OrderSummaryView::new(&o.head, policy),
            lines: o.lines.iter().map(|l| OrderLineView::new(l, policy)).collect(),
            receipts: o.receipts.iter().map(Into::into).collect(),
        }
    }
}

/// A page of purchase orders.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderPage {
    /// Orders, newest first.
    pub items: Vec<OrderSummaryView>,
    /// Where the next page starts; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A line of a new order: an approved requisition, or a part ordered directly.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLineBody {
    /// Client-made UUIDv7 of the line.
    pub id: Uuid,
    /// An approved requisition of the order's vessel (its part and quantity).
    pub requisition_id: Option<Uuid>,
    /// Without a requisition: a catalogue part …
    pub part_id: Option<Uuid>,
    /// … or an unlisted part's name, 1–200 characters, …
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub part_name: Option<String>,
    /// … its number (up to 80 characters) …
    #[schema(max_length = 80, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub part_number: Option<String>,
    /// … and unit (`pcs` when absent).
    #[schema(
        min_length = 1,
        max_length = 20,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub unit: Option<String>,
    /// How many, in thousandths (the requisition's quantity when absent).
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub quantity_milli: Option<i64>,
    /// The supplier's price per unit, minor units, in the order's currency (the requisition's
    /// when absent and in that currency).
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub supplier_unit_price_minor: Option<i64>,
}

/// A purchase order to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    /// Client-made UUIDv7; the same order again answers 200.
    pub id: Uuid,
    /// The vessel it delivers to.
    pub vessel_id: Uuid,
    /// The supplier.
    pub supplier_id: Uuid,
    /// ISO 4217 currency of every line (the supplier's when absent).
    #[schema(pattern = r"^[A-Z]{3}$")]
    pub currency: Option<String>,
    /// When delivery is expected.
    pub expected_on: Option<NaiveDate>,
    /// Delivery instructions printed on the order, up to 1,000 characters.
    #[schema(max_length = 1000, pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$")]
    pub note: Option<String>,
    /// 1–200 lines, each requisition at most once.
    #[schema(min_items = 1, max_items = 200)]
    pub lines: Vec<OrderLineBody>,
}

/// Which purchase orders to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrderListQuery {
    /// Only delivering to this vessel.
    pub vessel_id: Option<Uuid>,
    /// Only in these statuses, comma-separated (`sent,shipped`).
    #[param(
        pattern = "^(draft|sent|shipped|partially_received|received|cancelled)(,(draft|sent|shipped|partially_received|received|cancelled))*$"
    )]
    pub status: Option<String>,
    /// Only to this supplier.
    pub supplier_id: Option<Uuid>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Purchase orders the caller sees, newest first.
#[utoipa::path(get, path = "/api/v1/purchase-orders", tag = "purchasing", security(("bearer" = [])), params(OrderListQuery),
    responses((status = 200, body = OrderPage), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_orders(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<OrderListQuery>,
) -> Result<Json<OrderPage>, ApiError> {
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let page = Page { after: paging.after::<Uuid>()?.map(PurchaseOrderId), limit: paging.limit()? };
    let wanted = statuses::<PurchaseOrderStatus>(q.status.as_deref())?;
    let (rows, next) =
        app.purchasing.orders(&actor, q.vessel_id.map(VesselId), wanted, q.supplier_id.map(SupplierId), page).await?;
    let policy = FieldPolicy::of(actor.role);
    Ok(Json(OrderPage {
        items: rows.iter().map(|o| OrderSummaryView::new(o, policy)).collect(),
        next_cursor: next.map(encode_cursor),
    }))
}

/// Make a purchase order in draft to one supplier, from approved requisitions (which move to
/// ordered) and parts ordered directly. Numbered by the server. 200 instead of 201 when the
/// same order was already received.
#[utoipa::path(post, path = "/api/v1/purchase-orders", tag = "purchasing", security(("bearer" = [])), request_body = OrderBody,
    responses((status = 201, body = OrderView), (status = 200, body = OrderView, description = "the same order again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json", description = "a vessel, supplier, requisition or part out of reach"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`not_approved`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_order(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(b): ApiJson<OrderBody>,
) -> Result<(StatusCode, Json<OrderView>), ApiError> {
    let mut lines = Vec::with_capacity(b.lines.len());
    for (i, l) in b.lines.into_iter().enumerate() {
        let quantity = match l.quantity_milli {
            Some(q) => Some(milli(&format!("lines.{i}.quantity_milli"), q, 1)?),
            None => None,
        };
        lines.push(NewOrderLine {
            id: PurchaseOrderLineId(l.id),
            requisition_id: l.requisition_id.map(RequisitionId),
            part_id: l.part_id.map(PartId),
            part_name: l.part_name,
            part_number: l.part_number.filter(|n| !n.trim().is_empty()),
            unit: l.unit,
            quantity,
            supplier_unit_price_minor: l.supplier_unit_price_minor,
        });
    }
    let m = CreatePurchaseOrder {
        id: PurchaseOrderId(b.id),
        vessel_id: VesselId(b.vessel_id),
        supplier_id: SupplierId(b.supplier_id),
        currency: b.currency,
        expected_on: b.expected_on,
        note: b.note,
        lines,
    };
    let saved = app.mutate(&actor, m).await?;
    let status = if saved.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(OrderView::new(&saved, FieldPolicy::of(actor.role)))))
}

/// One purchase order with its lines and receipts.
#[utoipa::path(get, path = "/api/v1/purchase-orders/{id}", tag = "purchasing", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = OrderView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_order(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<OrderView>, ApiError> {
    let o = app.purchasing.order(&actor, PurchaseOrderId(id)).await?;
    Ok(Json(OrderView::new(&o, FieldPolicy::of(actor.role))))
}

/// A move of a purchase order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderStatusBody {
    /// `sent` (from draft), `shipped` (from sent) or `cancelled` (before anything arrived;
    /// its requisitions go back to approved).
    #[schema(value_type = PurchaseOrderMoveName)]
    pub status: String,
}

/// Send, mark shipped or cancel a purchase order (receipts move it further).
#[utoipa::path(post, path = "/api/v1/purchase-orders/{id}/status", tag = "purchasing", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = OrderStatusBody,
    responses((status = 200, body = OrderView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`invalid_transition`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn set_order_status(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<OrderStatusBody>,
) -> Result<Json<OrderView>, ApiError> {
    let status = match b.status.parse::<PurchaseOrderStatus>() {
        Ok(s @ (PurchaseOrderStatus::Sent | PurchaseOrderStatus::Shipped | PurchaseOrderStatus::Cancelled)) => s,
        _ => return Err(ApiError::invalid("status", "unknown_value", "must be sent, shipped or cancelled")),
    };
    let m = SetPurchaseOrderStatus { purchase_order_id: PurchaseOrderId(id), status };
    Ok(Json(OrderView::new(&app.mutate(&actor, m).await?, FieldPolicy::of(actor.role))))
}

/// One line of goods received.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceivedLineBody {
    /// The order line.
    pub line_id: Uuid,
    /// How many arrived, in thousandths, at most what is outstanding.
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub quantity_milli: i64,
    /// Client-made UUIDv7 of the stock entry it posts.
    pub entry_id: Option<Uuid>,
}

/// Goods received against an order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiveBody {
    /// Client-made UUIDv7 of the receipt; the same receipt again answers 200.
    pub id: Uuid,
    /// A stock location of the order's vessel; absent: straight to the job (nothing enters
    /// stock).
    pub location_id: Option<Uuid>,
    /// 1–200 lines, each order line at most once.
    #[schema(min_items = 1, max_items = 200)]
    pub lines: Vec<ReceivedLineBody>,
    /// Delivery note number, damage, anything to say; up to 1,000 characters.
    #[schema(max_length = 1000, pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$")]
    pub note: Option<String>,
}

/// Receive goods against a sent or shipped order, all of it or part: into a stock location
/// (catalogue parts enter its stock) or straight to the job. 200 instead of 201 when the same
/// receipt was already received.
#[utoipa::path(post, path = "/api/v1/purchase-orders/{id}/receipts", tag = "purchasing", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ReceiveBody,
    responses((status = 201, body = OrderView), (status = 200, body = OrderView, description = "the same receipt again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`not_receivable`, `over_receipt`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json", description = "`unknown_line`, `not_in_catalogue`, `other_vessel`")))]
async fn receive_order(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<ReceiveBody>,
) -> Result<(StatusCode, Json<OrderView>), ApiError> {
    let mut lines = Vec::with_capacity(b.lines.len());
    for (i, l) in b.lines.into_iter().enumerate() {
        lines.push(ReceivedLine {
            line_id: PurchaseOrderLineId(l.line_id),
            quantity: milli(&format!("lines.{i}.quantity_milli"), l.quantity_milli, 1)?,
            entry_id: l.entry_id.map(StockEntryId),
        });
    }
    let m = ReceivePurchaseOrder {
        id: ReceiptId(b.id),
        purchase_order_id: PurchaseOrderId(id),
        location_id: b.location_id.map(StockLocationId),
        lines,
        note: b.note,
    };
    let saved = app.mutate(&actor, m).await?;
    let status = if saved.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(OrderView::new(&saved, FieldPolicy::of(actor.role)))))
}

/// The printable purchase order (A4 PDF with supplier prices): for roles that read supplier
/// prices.
#[utoipa::path(get, path = "/api/v1/purchase-orders/{id}/pdf", tag = "purchasing", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<u8>, content_type = "application/pdf"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn order_pdf(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<axum::response::Response, ApiError> {
    let (file, bytes) = app.purchasing.order_pdf(&actor, PurchaseOrderId(id)).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/pdf".to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, format!("inline; filename=\"{file}\"")),
        ],
        bytes,
    )
        .into_response())
}

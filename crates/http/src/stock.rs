//! Spare parts and stock: the catalogue (`/parts`), each vessel's locations, stock, rules and
//! ledger (`/vessels/{id}/stock…`), and stock movements (`/stock/receipts`,
//! `/stock/adjustments`). Quantities are decimals of the part's unit: bodies take them as
//! integer thousandths (`quantity_milli: 12500` is 12.5), answers give both the exact decimal
//! text (`"12.5"`) and the thousandths.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bosun_app::Actor;
use bosun_app::stock::{
    AdjustStock, CreatePart, CreateStockLocation, Posted, ReceiveStock, SetStockRule, StockLine, UpdatePart,
    VesselStock,
};
use bosun_domain::stock::{Part, PartStockRule, PartSummary, Quantity, StockEntry, StockLocation};
use bosun_domain::{PartId, StockEntryId, StockLocationId, TransferId, VesselId};
use bosun_store::{Page, PartFilter, StockEntryFilter, StoredTransfer};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, encode_cursor};
use crate::state::AppState;
use crate::views::SizedJson;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_parts, create_part))
        .routes(routes!(get_part, update_part))
        .routes(routes!(list_locations, create_location))
        .routes(routes!(vessel_stock))
        .routes(routes!(stock_entries))
        .routes(routes!(set_rule))
        .routes(routes!(receive_stock))
        .routes(routes!(transfer_stock))
        .routes(routes!(receive_transfer))
        .routes(routes!(list_transfers))
        .routes(routes!(export_catalogue))
        .routes(routes!(import_catalogue))
        .routes(routes!(export_stock))
        .routes(routes!(import_count))
        .routes(routes!(adjust_stock))
}

/// The largest quantity a body takes, in thousandths (a billion units).
const MAX_MILLI: i64 = Quantity::MAX.0;

/// A quantity as answers give it.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuantityView {
    /// Exact decimal text of the part's unit (`"12.5"`, `"-2"`).
    #[schema(value_type = String, pattern = r"^-?[0-9]+(\.[0-9]{1,3})?$")]
    #[serde(serialize_with = "crate::views::short_text")]
    pub value: Quantity,
    /// The same in thousandths (`12500`).
    pub milli: i64,
}

impl From<Quantity> for QuantityView {
    fn from(q: Quantity) -> Self {
        Self { value: q, milli: q.0 }
    }
}

/// A part of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartView {
    /// Id.
    pub id: Uuid,
    /// Part number (unique in the company ignoring case, spaces, `-`, `.` and `/`).
    pub number: String,
    /// Name.
    pub name: String,
    /// Maker.
    pub maker: Option<String>,
    /// Unit of measure.
    pub unit: String,
    /// A critical spare.
    pub critical: bool,
    /// Parts that may be used instead.
    pub equivalents: Vec<Uuid>,
    /// Version (sync sequence of the last change).
    pub version: i64,
    /// Added.
    #[serde(serialize_with = "crate::views::instant")]
    pub created_at: DateTime<Utc>,
    /// Last changed.
    #[serde(serialize_with = "crate::views::instant")]
    pub updated_at: DateTime<Utc>,
}

impl From<&Part> for PartView {
    fn from(p: &Part) -> Self {
        p.clone().into()
    }
}

impl From<Part> for PartView {
    fn from(p: Part) -> Self {
        Self {
            id: p.id.0,
            number: p.number,
            name: p.name,
            maker: p.maker,
            unit: p.unit,
            critical: p.critical,
            equivalents: p.equivalents.iter().map(|e| e.0).collect(),
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A page of the catalogue, by part number.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartPage {
    /// This page.
    pub items: Vec<PartView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// A new part.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPartBody {
    /// Client-made UUIDv7. Sending the same part again
    /// answers the stored one (200); the same id with other content answers 409 `id_taken`.
    pub id: Option<Uuid>,
    /// Part number, 1–80 characters with a letter or digit; unique in the company ignoring
    /// case, spaces, `-`, `.` and `/` (409 `part_number_taken`).
    #[schema(
        min_length = 1,
        max_length = 80,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\-./\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub number: String,
    /// Name, 1–200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
    /// Maker (up to 200 characters, surrounding spaces trimmed; blank is none).
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]{0,198}[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?)?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub maker: Option<String>,
    /// Unit of measure, 1–20 characters (`pcs`, `l`, `m`).
    #[schema(
        min_length = 1,
        max_length = 20,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub unit: String,
    /// A critical spare (class or safety requires one on board).
    #[serde(default)]
    pub critical: bool,
    /// Parts that may be used instead (at most 20; the part itself is left out).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub equivalents: Vec<Uuid>,
}

/// A part's fields, replaced whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartUpdateBody {
    /// Part number, 1–80 characters with a letter or digit; unique in the company ignoring
    /// case, spaces, `-`, `.` and `/` (409 `part_number_taken`).
    #[schema(
        min_length = 1,
        max_length = 80,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\-./\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub number: String,
    /// Name, 1–200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
    /// Maker (up to 200 characters, surrounding spaces trimmed; blank is none).
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]{0,198}[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?)?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub maker: Option<String>,
    /// Unit of measure, 1–20 characters (`pcs`, `l`, `m`).
    #[schema(
        min_length = 1,
        max_length = 20,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub unit: String,
    /// A critical spare (class or safety requires one on board).
    #[serde(default)]
    pub critical: bool,
    /// Parts that may be used instead (at most 20; the part itself is left out).
    #[serde(default)]
    #[schema(max_items = 20)]
    pub equivalents: Vec<Uuid>,
    /// The version last read; a newer stored version answers 409
    /// `version_conflict`.
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub version: Option<i64>,
}

/// Catalogue search and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PartQuery {
    /// Only parts whose number, name or maker contains this text (any case).
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only critical spares.
    pub critical: Option<bool>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The parts catalogue, by part number.
#[utoipa::path(get, path = "/api/v1/parts", tag = "stock", security(("bearer" = [])), params(PartQuery),
    responses((status = 200, body = PartPage), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_parts(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<PartQuery>,
) -> Result<Json<PartPage>, ApiError> {
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let text = q.q.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(ApiError::invalid("q", "too_long", "must have at most 200 characters"));
    }
    let filter = PartFilter { text, critical_only: q.critical.unwrap_or(false) };
    let page = Page { after: paging.after::<Uuid>()?.map(PartId), limit: paging.limit()? };
    let (rows, next) = app.stock.list_parts(&actor, filter, page).await?;
    Ok(Json(PartPage { items: rows.iter().map(PartView::from).collect(), next_cursor: next.map(encode_cursor) }))
}

/// Add a part to the catalogue. 200 instead of 201 when the same part (same `id` and content)
/// was already received.
#[utoipa::path(post, path = "/api/v1/parts", tag = "stock", security(("bearer" = [])), request_body = NewPartBody,
    responses((status = 201, body = PartView), (status = 200, body = PartView, description = "the same part again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json", description = "an equivalent part that is not in the catalogue"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`part_number_taken`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_part(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(b): ApiJson<NewPartBody>,
) -> Result<(StatusCode, Json<PartView>), ApiError> {
    let m = CreatePart {
        id: b.id.map(PartId),
        number: b.number,
        name: b.name,
        maker: b.maker,
        unit: b.unit,
        critical: b.critical,
        equivalents: b.equivalents.into_iter().map(PartId).collect(),
    };
    let saved = app.mutate(&actor, m).await?;
    let status = if saved.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json((&saved.row).into())))
}

/// One part of the catalogue.
#[utoipa::path(get, path = "/api/v1/parts/{id}", tag = "stock", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = PartView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_part(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<PartView>, ApiError> {
    Ok(Json((&app.stock.part(&actor, PartId(id)).await?).into()))
}

/// Replace a part's fields.
#[utoipa::path(put, path = "/api/v1/parts/{id}", tag = "stock", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = PartUpdateBody,
    responses((status = 200, body = PartView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`part_number_taken`, `version_conflict`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn update_part(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<PartUpdateBody>,
) -> Result<Json<PartView>, ApiError> {
    let m = UpdatePart {
        part_id: PartId(id),
        number: b.number,
        name: b.name,
        maker: b.maker,
        unit: b.unit,
        critical: b.critical,
        equivalents: b.equivalents.into_iter().map(PartId).collect(),
        version: b.version,
    };
    Ok(Json((&app.mutate(&actor, m).await?).into()))
}

/// A stock location on a vessel.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockLocationView {
    /// Id.
    pub id: Uuid,
    /// Its vessel.
    pub vessel_id: Uuid,
    /// Name.
    pub name: String,
    /// The location it is part of.
    pub parent_id: Option<Uuid>,
    /// Version (sync sequence of the last change).
    pub version: i64,
}

impl From<&StockLocation> for StockLocationView {
    fn from(l: &StockLocation) -> Self {
        Self {
            id: l.id.0,
            vessel_id: l.vessel_id.0,
            name: l.name.clone(),
            parent_id: l.parent_id.map(|p| p.0),
            version: l.version,
        }
    }
}

/// A new stock location.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockLocationBody {
    /// Client-made UUIDv7; the same location sent again answers 200.
    pub id: Option<Uuid>,
    /// Name, 1–100 characters, unique on the vessel in any case (409 `location_name_taken`).
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
    /// The location it is part of, on the same vessel.
    pub parent_id: Option<Uuid>,
}

/// A vessel's stock locations, by name.
#[utoipa::path(get, path = "/api/v1/vessels/{id}/stock-locations", tag = "stock", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<StockLocationView>), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn list_locations(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<StockLocationView>>, ApiError> {
    let rows = app.stock.locations(&actor, VesselId(id)).await?;
    Ok(Json(rows.iter().map(StockLocationView::from).collect()))
}

/// Add a stock location to a vessel.
#[utoipa::path(post, path = "/api/v1/vessels/{id}/stock-locations", tag = "stock", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = StockLocationBody,
    responses((status = 201, body = StockLocationView), (status = 200, body = StockLocationView, description = "the same location again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`location_name_taken`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_location(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<StockLocationBody>,
) -> Result<(StatusCode, Json<StockLocationView>), ApiError> {
    let m = CreateStockLocation {
        id: b.id.map(StockLocationId),
        vessel_id: VesselId(id),
        name: b.name,
        parent_id: b.parent_id.map(StockLocationId),
    };
    let saved = app.mutate(&actor, m).await?;
    let status = if saved.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json((&saved.row).into())))
}

/// On hand of a part at one location.
#[derive(Debug, Serialize, ToSchema)]
pub struct BalanceView {
    /// The location.
    pub location_id: Uuid,
    /// On hand there.
    pub on_hand: QuantityView,
}

/// A part's minimum and reorder quantity on a vessel.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleView {
    /// Below this in all, reorder.
    pub minimum: QuantityView,
    /// How much to reorder at least.
    pub reorder: QuantityView,
}

/// A part as a vessel's stock shows it; the catalogue (`GET /parts/{id}`) has the rest.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartSummaryView {
    /// Id.
    pub id: Uuid,
    /// Part number.
    pub number: String,
    /// Name.
    pub name: String,
    /// Maker.
    pub maker: Option<String>,
    /// Unit of measure.
    pub unit: String,
    /// A critical spare.
    pub critical: bool,
}

impl From<PartSummary> for PartSummaryView {
    fn from(p: PartSummary) -> Self {
        Self { id: p.id.0, number: p.number, name: p.name, maker: p.maker, unit: p.unit, critical: p.critical }
    }
}

/// One part's stock on a vessel.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockLineView {
    /// The part: its number, name, maker, unit and whether it is a critical spare.
    pub part: PartSummaryView,
    /// On hand per location.
    pub balances: Vec<BalanceView>,
    /// On hand in all.
    pub total: QuantityView,
    /// Sent to the vessel from elsewhere and not yet received.
    pub incoming: QuantityView,
    /// Its rule on the vessel.
    pub rule: Option<RuleView>,
    /// What to reorder: set when on hand plus incoming is below the rule's minimum.
    pub suggested_reorder: Option<QuantityView>,
}

impl From<StockLine> for StockLineView {
    fn from(l: StockLine) -> Self {
        Self {
            part: l.part.into(),
            balances: l
                .balances
                .iter()
                .map(|(location, on_hand)| BalanceView { location_id: location.0, on_hand: (*on_hand).into() })
                .collect(),
            total: l.total.into(),
            incoming: l.incoming.into(),
            rule: l.rule.map(|r| RuleView { minimum: r.minimum.into(), reorder: r.reorder.into() }),
            suggested_reorder: l.suggested.map(Into::into),
        }
    }
}

/// A vessel's stock.
#[derive(Debug, Serialize, ToSchema)]
pub struct VesselStockView {
    /// Its locations, by name.
    pub locations: Vec<StockLocationView>,
    /// Each part with stock or a rule, by part number.
    pub lines: Vec<StockLineView>,
    /// True when the vessel holds more than 50,000 part × location balances and only the
    /// first were read.
    pub truncated: bool,
}

impl From<VesselStock> for VesselStockView {
    fn from(s: VesselStock) -> Self {
        Self {
            locations: s.locations.iter().map(StockLocationView::from).collect(),
            lines: s.lines.into_iter().map(StockLineView::from).collect(),
            truncated: s.truncated,
        }
    }
}

/// Which stock lines.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StockQuery {
    /// Only parts below their minimum.
    pub low: Option<bool>,
}

/// A vessel's stock: on hand per part and location, rules and suggested reorders.
#[utoipa::path(get, path = "/api/v1/vessels/{id}/stock", tag = "stock", security(("bearer" = [])),
    params(("id" = Uuid, Path), StockQuery),
    responses((status = 200, body = VesselStockView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn vessel_stock(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<StockQuery>,
) -> Result<SizedJson<VesselStockView>, ApiError> {
    let stock = app.stock.vessel_stock(&actor, VesselId(id), q.low.unwrap_or(false)).await?;
    // About 400 bytes a line (a part, one balance, its totals and rule).
    let size = 512 + stock.lines.len() * 400;
    Ok(SizedJson(stock.into(), size))
}

/// One entry of the stock ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockEntryView {
    /// Id.
    pub id: Uuid,
    /// The vessel.
    pub vessel_id: Uuid,
    /// The location.
    pub location_id: Uuid,
    /// The part.
    pub part_id: Uuid,
    /// `receive`, `issue`, `adjust`, `transfer_out` or `transfer_in`.
    #[schema(pattern = "^(receive|issue|adjust|transfer_out|transfer_in)$")]
    pub movement: String,
    /// The signed change of the location's on-hand quantity.
    pub delta: QuantityView,
    /// Why (adjustments).
    pub reason: Option<String>,
    /// The work order the parts went into (issues).
    pub work_order_id: Option<Uuid>,
    /// The transfer (transfers).
    pub transfer_id: Option<Uuid>,
    /// Who recorded it.
    pub recorded_by: Uuid,
    /// When it happened.
    pub recorded_at: DateTime<Utc>,
}

impl From<&StockEntry> for StockEntryView {
    fn from(e: &StockEntry) -> Self {
        let (reason, work_order, transfer) = e.movement.references();
        Self {
            id: e.id.0,
            vessel_id: e.vessel_id.0,
            location_id: e.location_id.0,
            part_id: e.part_id.0,
            movement: e.movement.as_str().into(),
            delta: e.delta.into(),
            reason: reason.map(str::to_owned),
            work_order_id: work_order.map(|w| w.0),
            transfer_id: transfer.map(|t| t.0),
            recorded_by: e.recorded_by.0,
            recorded_at: e.recorded_at,
        }
    }
}

/// A page of the ledger, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockEntryPage {
    /// This page.
    pub items: Vec<StockEntryView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// Ledger filters and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StockEntryQuery {
    /// Only of this part.
    pub part_id: Option<Uuid>,
    /// Only at this location.
    pub location_id: Option<Uuid>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A vessel's stock ledger, newest first.
#[utoipa::path(get, path = "/api/v1/vessels/{id}/stock/entries", tag = "stock", security(("bearer" = [])),
    params(("id" = Uuid, Path), StockEntryQuery),
    responses((status = 200, body = StockEntryPage), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn stock_entries(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<StockEntryQuery>,
) -> Result<Json<StockEntryPage>, ApiError> {
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let filter = StockEntryFilter {
        vessel: VesselId(id),
        part: q.part_id.map(PartId),
        location: q.location_id.map(StockLocationId),
    };
    let page = Page { after: paging.after::<Uuid>()?.map(StockEntryId), limit: paging.limit()? };
    let (rows, next) = app.stock.entries(&actor, filter, page).await?;
    Ok(Json(StockEntryPage {
        items: rows.iter().map(StockEntryView::from).collect(),
        next_cursor: next.map(encode_cursor),
    }))
}

/// A part's rule on a vessel.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockRuleBody {
    /// Below this on hand in all, reorder, in thousandths of the unit (0: no rule).
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub minimum_milli: i64,
    /// How much to reorder at least, in thousandths.
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub reorder_milli: i64,
}

/// A part's rule, as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockRuleView {
    /// Id.
    pub id: Uuid,
    /// The vessel.
    pub vessel_id: Uuid,
    /// The part.
    pub part_id: Uuid,
    /// Below this in all, reorder.
    pub minimum: QuantityView,
    /// How much to reorder at least.
    pub reorder: QuantityView,
    /// Version (sync sequence of the last change).
    pub version: i64,
}

impl From<&PartStockRule> for StockRuleView {
    fn from(r: &PartStockRule) -> Self {
        Self {
            id: r.id.0,
            vessel_id: r.vessel_id.0,
            part_id: r.part_id.0,
            minimum: r.rule.minimum.into(),
            reorder: r.rule.reorder.into(),
            version: r.version,
        }
    }
}

pub(crate) fn milli(field: &str, n: i64, least: i64) -> Result<String, ApiError> {
    if (least..=MAX_MILLI).contains(&n) {
        Ok(Quantity(n).to_string())
    } else {
        Err(ApiError::invalid(field, "out_of_range", &format!("must be {least} to {MAX_MILLI} thousandths")))
    }
}

/// Set a part's minimum and reorder quantity on a vessel.
#[utoipa::path(put, path = "/api/v1/vessels/{id}/stock-rules/{part_id}", tag = "stock", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("part_id" = Uuid, Path)), request_body = StockRuleBody,
    responses((status = 200, body = StockRuleView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn set_rule(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath((id, part)): ApiPath<(Uuid, Uuid)>,
    ApiJson(b): ApiJson<StockRuleBody>,
) -> Result<Json<StockRuleView>, ApiError> {
    let m = SetStockRule {
        vessel_id: VesselId(id),
        part_id: PartId(part),
        minimum: milli("minimum_milli", b.minimum_milli, 0)?,
        reorder: milli("reorder_milli", b.reorder_milli, 0)?,
    };
    Ok(Json((&app.mutate(&actor, m).await?).into()))
}

/// A ledger entry as a movement answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostedView {
    /// The entry.
    pub entry: StockEntryView,
    /// On hand at its location after it.
    pub on_hand: QuantityView,
}

pub(crate) fn posted(p: &Posted) -> (StatusCode, Json<PostedView>) {
    let status = if p.created { StatusCode::CREATED } else { StatusCode::OK };
    (status, Json(PostedView { entry: (&p.entry).into(), on_hand: p.on_hand.into() }))
}

/// Parts received into a location.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptBody {
    /// Client-made UUIDv7 of the ledger entry; the same receipt sent again answers 200.
    pub id: Option<Uuid>,
    /// Where.
    pub location_id: Uuid,
    /// What.
    pub part_id: Uuid,
    /// How many, in thousandths of the part's unit (12500 is 12.5).
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub quantity_milli: i64,
}

/// Record parts received into a location (a delivery, or stock counted in at go-live).
#[utoipa::path(post, path = "/api/v1/stock/receipts", tag = "stock", security(("bearer" = [])), request_body = ReceiptBody,
    responses((status = 201, body = PostedView), (status = 200, body = PostedView, description = "the same receipt again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn receive_stock(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(b): ApiJson<ReceiptBody>,
) -> Result<(StatusCode, Json<PostedView>), ApiError> {
    let m = ReceiveStock {
        id: b.id.map(StockEntryId),
        location_id: StockLocationId(b.location_id),
        part_id: PartId(b.part_id),
        quantity: milli("quantity_milli", b.quantity_milli, 1)?,
        recorded_at: None,
    };
    Ok(posted(&app.mutate(&actor, m).await?))
}

/// Which way an adjustment goes.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More found than recorded.
    Add,
    /// Less found than recorded (damaged, lost, used without a work order).
    Remove,
}

/// A correction of a location's stock.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentBody {
    /// Client-made UUIDv7 of the ledger entry; the same adjustment sent again answers 200.
    pub id: Option<Uuid>,
    /// Where.
    pub location_id: Uuid,
    /// What.
    pub part_id: Uuid,
    /// Up or down.
    pub direction: Direction,
    /// By how much, in thousandths of the part's unit.
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub quantity_milli: i64,
    /// Why, 1–500 characters.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub reason: String,
}

/// Correct a location's stock after a count, damage or loss. A decrease below zero answers
/// 409 `insufficient_stock`.
#[utoipa::path(post, path = "/api/v1/stock/adjustments", tag = "stock", security(("bearer" = [])), request_body = AdjustmentBody,
    responses((status = 201, body = PostedView), (status = 200, body = PostedView, description = "the same adjustment again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`insufficient_stock`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn adjust_stock(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(b): ApiJson<AdjustmentBody>,
) -> Result<(StatusCode, Json<PostedView>), ApiError> {
    let magnitude = milli("quantity_milli", b.quantity_milli, 1)?;
    let delta = match b.direction {
        Direction::Add => magnitude,
        Direction::Remove => format!("-{magnitude}"),
    };
    let m = AdjustStock {
        id: b.id.map(StockEntryId),
        location_id: StockLocationId(b.location_id),
        part_id: PartId(b.part_id),
        delta,
        reason: b.reason,
        recorded_at: None,
    };
    Ok(posted(&app.mutate(&actor, m).await?))
}

/// Parts sent from a location to another.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    /// Client-made UUIDv7 of the transfer; the same transfer sent again answers 200.
    pub id: Uuid,
    /// Client-made UUIDv7 of its `transfer_out` ledger entry.
    pub entry_id: Option<Uuid>,
    /// Where from: a location of a vessel the caller reaches.
    pub from_location_id: Uuid,
    /// Where to: a location of any vessel of the company.
    pub to_location_id: Uuid,
    /// What.
    pub part_id: Uuid,
    /// How many, in thousandths of the part's unit.
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub quantity_milli: i64,
}

/// A transfer's receipt.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferReceiptBody {
    /// Client-made UUIDv7 of its `transfer_in` ledger entry.
    pub entry_id: Option<Uuid>,
    /// How many arrived, in thousandths of the part's unit: at most what was sent.
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub quantity_milli: i64,
}

/// A transfer between two locations.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferView {
    /// Id.
    pub id: Uuid,
    /// The part.
    pub part_id: Uuid,
    /// The vessel it leaves.
    pub from_vessel_id: Uuid,
    /// The location it leaves.
    pub from_location_id: Uuid,
    /// The vessel it goes to.
    pub to_vessel_id: Uuid,
    /// The location it goes to.
    pub to_location_id: Uuid,
    /// How many were sent.
    pub sent: QuantityView,
    /// How many arrived, once received.
    pub received: Option<QuantityView>,
    /// What was lost on the way, once received.
    pub shortfall: Option<QuantityView>,
    /// `in_transit` or `received`.
    #[schema(pattern = "^(in_transit|received)$")]
    pub status: String,
    /// Who sent it.
    pub dispatched_by: Uuid,
    /// When.
    pub dispatched_at: DateTime<Utc>,
    /// Who received it.
    pub received_by: Option<Uuid>,
    /// When.
    pub received_at: Option<DateTime<Utc>>,
    /// Version (sync sequence of the last change).
    pub version: i64,
}

impl From<&StoredTransfer> for TransferView {
    fn from(t: &StoredTransfer) -> Self {
        let x = &t.transfer;
        Self {
            id: x.id.0,
            part_id: x.part_id.0,
            from_vessel_id: x.from.0.0,
            from_location_id: x.from.1.0,
            to_vessel_id: x.to.0.0,
            to_location_id: x.to.1.0,
            sent: x.sent.into(),
            received: x.received.map(Into::into),
            shortfall: x.received.map(|_| x.shortfall().into()),
            status: if x.received.is_some() { "received" } else { "in_transit" }.into(),
            dispatched_by: t.dispatched_by.0,
            dispatched_at: t.dispatched_at,
            received_by: t.received_by.map(|u| u.0),
            received_at: t.received_at,
            version: t.version,
        }
    }
}

fn transfer_answer(t: &bosun_app::stock::transfers::SavedTransfer) -> (StatusCode, Json<TransferView>) {
    let status = if t.created { StatusCode::CREATED } else { StatusCode::OK };
    (status, Json((&t.row).into()))
}

/// Send parts from a location to another, of the same vessel or another: the source's stock
/// goes down at once (`insufficient_stock` below zero) and the parts are in transit until
/// received.
#[utoipa::path(post, path = "/api/v1/stock/transfers", tag = "stock", security(("bearer" = [])), request_body = TransferBody,
    responses((status = 201, body = TransferView), (status = 200, body = TransferView, description = "the same transfer again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`insufficient_stock`, `same_location`, `id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn transfer_stock(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(b): ApiJson<TransferBody>,
) -> Result<(StatusCode, Json<TransferView>), ApiError> {
    let m = bosun_app::stock::transfers::TransferStock {
        id: TransferId(b.id),
        entry_id: b.entry_id.map(StockEntryId),
        from_location_id: StockLocationId(b.from_location_id),
        to_location_id: StockLocationId(b.to_location_id),
        part_id: PartId(b.part_id),
        quantity: milli("quantity_milli", b.quantity_milli, 1)?,
    };
    Ok(transfer_answer(&app.mutate(&actor, m).await?))
}

/// Receive a transfer at its destination: once, at most what was sent (the rest is its
/// shortfall).
#[utoipa::path(post, path = "/api/v1/stock/transfers/{id}/receive", tag = "stock", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = TransferReceiptBody,
    responses((status = 201, body = TransferView), (status = 200, body = TransferView, description = "the same receipt again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`already_received`, `over_receipt`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn receive_transfer(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<TransferReceiptBody>,
) -> Result<(StatusCode, Json<TransferView>), ApiError> {
    let m = bosun_app::stock::transfers::ReceiveTransfer {
        transfer_id: TransferId(id),
        entry_id: b.entry_id.map(StockEntryId),
        quantity: milli("quantity_milli", b.quantity_milli, 1)?,
    };
    Ok(transfer_answer(&app.mutate(&actor, m).await?))
}

/// Which transfers of a vessel.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TransferQuery {
    /// Only those still in transit.
    pub in_transit: Option<bool>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A page of transfers.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferPage {
    /// Transfers, newest first.
    pub items: Vec<TransferView>,
    /// Where the next page starts; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Transfers leaving or reaching a vessel, newest first.
#[utoipa::path(get, path = "/api/v1/vessels/{id}/stock/transfers", tag = "stock", security(("bearer" = [])),
    params(("id" = Uuid, Path), TransferQuery),
    responses((status = 200, body = TransferPage), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_transfers(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<TransferQuery>,
) -> Result<Json<TransferPage>, ApiError> {
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let page = Page { after: paging.after::<Uuid>()?.map(TransferId), limit: paging.limit()? };
    let (rows, next) =
        bosun_app::stock::transfers::list(&app, &actor, VesselId(id), q.in_transit.unwrap_or(false), page).await?;
    Ok(Json(TransferPage { items: rows.iter().map(Into::into).collect(), next_cursor: next.map(encode_cursor) }))
}

fn csv_answer(bytes: Vec<u8>, file: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let disposition = format!("attachment; filename=\"{file}\"");
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// The parts catalogue as CSV (number, name, maker, unit, critical, equivalents), by number.
#[utoipa::path(get, path = "/api/v1/parts/export", tag = "stock", security(("bearer" = [])),
    responses((status = 200, body = String, content_type = "text/csv"),
              (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn export_catalogue(State(app): State<AppState>, actor: Actor) -> Result<axum::response::Response, ApiError> {
    Ok(csv_answer(bosun_app::stock::export::catalogue_csv(&app, &actor).await?, "parts.csv"))
}

/// A vessel's stock as CSV: a row per part and location with on hand, the part's total, its
/// rule and suggested reorder.
#[utoipa::path(get, path = "/api/v1/vessels/{id}/stock/export", tag = "stock", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = String, content_type = "text/csv"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn export_stock(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<axum::response::Response, ApiError> {
    Ok(csv_answer(bosun_app::stock::export::vessel_stock_csv(&app, &actor, VesselId(id)).await?, "stock.csv"))
}

/// One row of a catalogue import.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedPartView {
    /// Its line (the header is line 1).
    pub row: usize,
    /// The part number as the file gives it.
    pub number: String,
    /// The part, new or of the catalogue.
    pub id: Uuid,
    /// `create`, `update` or `unchanged`.
    #[schema(pattern = "^(create|update|unchanged)$")]
    pub action: String,
}

/// What a catalogue import did, or (dry run) would do.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartImportView {
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
    /// Data rows read.
    pub rows: usize,
    /// Whether every row is good (a real import then writes them all).
    pub valid: bool,
    /// Parts added (would be, on a dry run).
    pub created: usize,
    /// Parts changed.
    pub updated: usize,
    /// Rows that match their part already.
    pub unchanged: usize,
    /// Every problem, by row: those of the first 100 bad rows.
    pub errors: Vec<crate::views::ImportRowErrorView>,
    /// Each row's outcome, by row (empty when there are problems).
    pub parts: Vec<ImportedPartView>,
    /// Whether checking stopped early, at the 100th bad row.
    pub truncated: bool,
    /// The line checking stopped at, when it stopped early.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_at_row: Option<usize>,
}

impl From<&bosun_app::stock::import::PartImportReport> for PartImportView {
    fn from(r: &bosun_app::stock::import::PartImportReport) -> Self {
        use bosun_app::stock::import::RowAction;
        let count = |a: RowAction| r.parts.iter().filter(|p| p.action == a).count();
        Self {
            dry_run: r.dry_run,
            rows: r.rows,
            valid: r.errors.is_empty(),
            created: count(RowAction::Create),
            updated: count(RowAction::Update),
            unchanged: count(RowAction::Unchanged),
            errors: r.errors.iter().map(Into::into).collect(),
            parts: r
                .parts
                .iter()
                .map(|p| ImportedPartView {
                    row: p.row,
                    number: p.number.clone(),
                    id: p.id.0,
                    action: p.action.as_str().into(),
                })
                .collect(),
            truncated: r.stopped_at.is_some(),
            stopped_at_row: r.stopped_at,
        }
    }
}

/// Import the parts catalogue from CSV (`text/csv`, UTF-8, a header row; the columns of
/// `GET /parts/export`: `number`, `name`, `maker`, `unit`, `critical`, `equivalents`; `number`,
/// `name` and `unit` required; at most `server.max_import_bytes` and 10,000 rows). A row whose
/// number is in the catalogue (compared ignoring case, spaces, `-`, `.` and `/`) updates that
/// part; others add parts. `equivalents` are `;`-separated part numbers of the file or the
/// catalogue. A dry run answers 200 with what would change or every problem (up to 100 bad
/// rows); a real import answers 201 having written every row in one transaction, or 422
/// (`rows.{line}.{column}`) having written nothing.
#[utoipa::path(post, path = "/api/v1/parts/import", tag = "stock", security(("bearer" = [])),
    params(crate::equipment::ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The catalogue"),
    responses((status = 200, body = PartImportView, description = "Dry run"),
              (status = 201, body = PartImportView, description = "Imported"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn import_catalogue(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<crate::equipment::ImportQuery>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> Result<(StatusCode, Json<PartImportView>), ApiError> {
    crate::equipment::require_csv(&headers)?;
    let dry_run = q.dry_run.unwrap_or(false);
    let limit = app.config.server.max_import_bytes as u64;
    let report = app.stock.import_parts(&actor, &mut crate::extract::RawBody(body), limit, dry_run).await?;
    let status = if dry_run { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json((&report).into())))
}

/// One row of a stock count import.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountedRowView {
    /// Its line (the header is line 1).
    pub row: usize,
    /// The part number as the file gives it.
    pub number: String,
    /// The part (absent for a skipped row).
    pub part_id: Option<Uuid>,
    /// The location (absent for a skipped row).
    pub location_id: Option<Uuid>,
    /// On hand there before.
    pub before: QuantityView,
    /// On hand after: the count.
    pub after: QuantityView,
    /// `set` (an adjustment of the difference), `unchanged`, or `skipped` (no location and no
    /// count: a part with only a rule).
    #[schema(pattern = "^(set|unchanged|skipped)$")]
    pub action: String,
}

/// What a stock count import did, or (dry run) would do.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountImportView {
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
    /// Data rows read.
    pub rows: usize,
    /// Whether every row is good (a real import then writes them all).
    pub valid: bool,
    /// Rows whose location's on-hand changes (an adjustment each).
    pub set: usize,
    /// Rows that agree with the stock already.
    pub unchanged: usize,
    /// Rows read past (no location and no count).
    pub skipped: usize,
    /// Every problem, by row: those of the first 100 bad rows.
    pub errors: Vec<crate::views::ImportRowErrorView>,
    /// Each row's outcome, by row (empty when there are problems).
    pub counted: Vec<CountedRowView>,
    /// Whether checking stopped early, at the 100th bad row.
    pub truncated: bool,
    /// The line checking stopped at, when it stopped early.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_at_row: Option<usize>,
}

impl From<&bosun_app::stock::count::CountReport> for CountImportView {
    fn from(r: &bosun_app::stock::count::CountReport) -> Self {
        use bosun_app::stock::count::CountAction;
        let count = |a: CountAction| r.counted.iter().filter(|c| c.action == a).count();
        Self {
            dry_run: r.dry_run,
            rows: r.rows,
            valid: r.errors.is_empty(),
            set: count(CountAction::Set),
            unchanged: count(CountAction::Unchanged),
            skipped: count(CountAction::Skipped),
            errors: r.errors.iter().map(Into::into).collect(),
            counted: r
                .counted
                .iter()
                .map(|c| CountedRowView {
                    row: c.row,
                    number: c.number.clone(),
                    part_id: c.part_id.map(|p| p.0),
                    location_id: c.location_id.map(|l| l.0),
                    before: c.before.into(),
                    after: c.after.into(),
                    action: c.action.as_str().into(),
                })
                .collect(),
            truncated: r.stopped_at.is_some(),
            stopped_at_row: r.stopped_at,
        }
    }
}

/// Import a count of a vessel's stock, or its opening stock, from CSV (`text/csv`, UTF-8, a
/// header row; the columns of `GET /vessels/{id}/stock/export`, of which `number`, `location`
/// and `on_hand` are read). Each row sets the on-hand of a part at a location of the vessel:
/// the difference is an adjustment in the ledger ("Stock count (CSV import)"), so the same
/// file twice changes nothing. At most `server.max_import_bytes` and 10,000 rows; a part is
/// named by a number of the catalogue, a location by its name on the vessel. A dry run answers
/// 200 with what each row would do or every problem (up to 100 bad rows); a real import answers
/// 201 having written every row in one transaction, or 422 (`rows.{line}.{column}`) having
/// written nothing.
#[utoipa::path(post, path = "/api/v1/vessels/{id}/stock/import", tag = "stock", security(("bearer" = [])),
    params(("id" = Uuid, Path), crate::equipment::ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The count"),
    responses((status = 200, body = CountImportView, description = "A dry run's report"),
              (status = 201, body = CountImportView, description = "Imported"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn import_count(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<crate::equipment::ImportQuery>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> Result<(StatusCode, Json<CountImportView>), ApiError> {
    crate::equipment::require_csv(&headers)?;
    let dry_run = q.dry_run.unwrap_or(false);
    let limit = app.config.server.max_import_bytes as u64;
    let mut body = crate::extract::RawBody(body);
    let report = bosun_app::stock::count::import_count(&app, &actor, VesselId(id), &mut body, limit, dry_run).await?;
    let status = if dry_run { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json((&report).into())))
}

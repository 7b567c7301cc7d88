//! `/handovers`: the outgoing person's current handover and draft notes, completion into an
//! immutable snapshot, acknowledgement by the incoming person, and the history.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bosun_domain::handover::Handover;
use bosun_domain::{HandoverId, VesselId};
use bosun_store::Page;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, encode_cursor};
use crate::state::AppState;
use bosun_app::Actor;
use bosun_app::maintenance::handovers::{AcknowledgeHandover, CompleteHandover, HandoverContent, SaveHandoverNotes};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(current))
        .routes(routes!(save_notes))
        .routes(routes!(complete))
        .routes(routes!(acknowledge_handover))
        .routes(routes!(history))
        .routes(routes!(get_handover))
}

/// A completed handover, without its snapshot.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandoverView {
    /// Id.
    pub id: Uuid,
    /// The vessel.
    pub vessel_id: Uuid,
    /// Who handed over.
    pub outgoing_user_id: Uuid,
    /// The last day of the outgoing rotation.
    pub rotation_end: NaiveDate,
    /// When it was completed.
    pub completed_at: DateTime<Utc>,
    /// Who took it over.
    pub acknowledged_by: Option<Uuid>,
    /// When.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Version (sync sequence of the last change).
    pub version: i64,
}

impl From<&Handover> for HandoverView {
    fn from(h: &Handover) -> Self {
        Self {
            id: h.id.0,
            vessel_id: h.vessel_id.0,
            outgoing_user_id: h.outgoing_user_id.0,
            rotation_end: h.rotation_end,
            completed_at: h.completed_at,
            acknowledged_by: h.acknowledged_by.map(|u| u.0),
            acknowledged_at: h.acknowledged_at,
            version: h.version,
        }
    }
}

/// A completed handover with the snapshot taken at completion, exactly as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandoverDetailView {
    /// The handover.
    #[serde(flatten)]
    pub handover: HandoverView,
    /// What was handed over, as assembled at completion; never changed afterwards.
    #[schema(value_type = HandoverContent)]
    pub snapshot: serde_json::Value,
}

impl HandoverDetailView {
    fn new(h: &Handover) -> Result<Self, ApiError> {
        let snapshot = serde_json::from_str(&h.snapshot)
            .map_err(|e| ApiError::from(bosun_app::Error::Internal(format!("handover {} snapshot: {e}", h.id))))?;
        Ok(Self { handover: h.into(), snapshot })
    }
}

/// A page of handovers, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandoverPage {
    /// This page.
    pub items: Vec<HandoverView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// Which vessel's handover.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CurrentQuery {
    /// A vessel the caller is on (its rotation).
    pub vessel_id: Uuid,
}

/// The caller's handover for a vessel they are on, assembled now: open faults (their own
/// first), parts on order, running-hour changes since the vessel's last handover, their notes.
#[utoipa::path(get, path = "/api/v1/handovers/current", tag = "handovers", security(("bearer" = [])), params(CurrentQuery),
    responses((status = 200, body = HandoverContent), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`not_on_vessel`")))]
async fn current(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<CurrentQuery>,
) -> Result<Json<HandoverContent>, ApiError> {
    Ok(Json(app.handovers.current(&actor, VesselId(q.vessel_id)).await?))
}

/// Draft notes of the current handover.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverNotesBody {
    /// The vessel.
    pub vessel_id: Uuid,
    /// Free text, up to 20,000 characters.
    #[serde(default)]
    pub notes: String,
    /// Notes per item, keyed `fault:{id}` or `parts_order:{id}`, each up to 4,000 characters;
    /// an empty text drops the note. Replaces the saved notes.
    #[serde(default)]
    pub item_notes: BTreeMap<String, String>,
}

/// Save the draft notes of the caller's current handover; answers the handover with them.
#[utoipa::path(put, path = "/api/v1/handovers/current/notes", tag = "handovers", security(("bearer" = [])),
    request_body = HandoverNotesBody,
    responses((status = 200, body = HandoverContent), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`not_on_vessel`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn save_notes(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(body): ApiJson<HandoverNotesBody>,
) -> Result<Json<HandoverContent>, ApiError> {
    let input =
        SaveHandoverNotes { vessel_id: VesselId(body.vessel_id), notes: body.notes, item_notes: body.item_notes };
    Ok(Json(app.mutate(&actor, input).await?))
}

/// Completion of the current handover.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverCompleteBody {
    /// The vessel.
    pub vessel_id: Uuid,
    /// The last day of the outgoing rotation (YYYY-MM-DD).
    pub rotation_end: NaiveDate,
}

/// Complete the caller's handover: the current handover is stored as an immutable snapshot
/// and the draft notes are cleared.
#[utoipa::path(post, path = "/api/v1/handovers/complete", tag = "handovers", security(("bearer" = [])),
    request_body = HandoverCompleteBody,
    responses((status = 201, body = HandoverDetailView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`not_on_vessel`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn complete(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(body): ApiJson<HandoverCompleteBody>,
) -> Result<(StatusCode, Json<HandoverDetailView>), ApiError> {
    let h = app
        .mutate(&actor, CompleteHandover { vessel_id: VesselId(body.vessel_id), rotation_end: body.rotation_end })
        .await?;
    Ok((StatusCode::CREATED, Json(HandoverDetailView::new(&h)?)))
}

/// Acknowledge a handover as the incoming person (on the vessel, not the outgoing person);
/// once only.
#[utoipa::path(post, path = "/api/v1/handovers/{id}/acknowledge", tag = "handovers", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = HandoverView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json",
               description = "`already_acknowledged`, `own_handover`, `not_on_vessel`")))]
async fn acknowledge_handover(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<HandoverView>, ApiError> {
    let h = app.mutate(&actor, AcknowledgeHandover { handover_id: HandoverId(id) }).await?;
    Ok(Json((&h).into()))
}

/// Filters and paging for the handover history.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// Only this vessel.
    pub vessel_id: Option<Uuid>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Completed handovers of the vessels the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/handovers/history", tag = "handovers", security(("bearer" = [])), params(HistoryQuery),
    responses((status = 200, body = HandoverPage), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn history(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> Result<Json<HandoverPage>, ApiError> {
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let page = Page { after: paging.after::<Uuid>()?.map(HandoverId), limit: paging.limit()? };
    let (rows, next) = app.handovers.history(&actor, q.vessel_id.map(VesselId), page).await?;
    Ok(Json(HandoverPage { items: rows.iter().map(Into::into).collect(), next_cursor: next.map(encode_cursor) }))
}

/// One completed handover with its snapshot.
#[utoipa::path(get, path = "/api/v1/handovers/{id}", tag = "handovers", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = HandoverDetailView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_handover(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<HandoverDetailView>, ApiError> {
    let h = app.handovers.get(&actor, HandoverId(id)).await?;
    Ok(Json(HandoverDetailView::new(&h)?))
}

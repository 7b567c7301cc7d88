//! Procedures: `/procedures`, the company's reusable checklists. A work order copies a
//! procedure's steps (with ids of its own) when it is raised.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bosun_app::Actor;
use bosun_app::work_orders::procedures::{self, CreateProcedure, ProcedureFields, UpdateProcedure};
use bosun_domain::ProcedureId;
use bosun_domain::procedure::StepWire;
use bosun_store::{Page, Procedure};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, encode_cursor};
use crate::state::AppState;
use crate::work_orders::{StepBody, rewire};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_procedures, create_procedure))
        .routes(routes!(get_procedure, update_procedure))
}

/// A procedure as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcedureBody {
    /// Client-made UUIDv7 (creation only); the same procedure again answers 200.
    pub id: Option<Uuid>,
    /// What it is for, 1–200 characters.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub title: String,
    /// Notes, up to 10,000 characters.
    #[schema(max_length = 10_000, pattern = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$")]
    #[serde(default)]
    pub description: String,
    /// The steps, at most 200.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub steps: Vec<StepBody>,
    /// The version last read (updates only); a newer stored version is 409 `version_conflict`.
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub version: Option<i64>,
}

impl ProcedureBody {
    fn fields(&self) -> Result<ProcedureFields, ApiError> {
        Ok(ProcedureFields {
            title: self.title.clone(),
            description: self.description.clone(),
            steps: rewire(&self.steps)?,
        })
    }
}

/// A procedure.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedureView {
    /// Id.
    pub id: Uuid,
    /// What it is for.
    pub title: String,
    /// Notes.
    pub description: String,
    /// The steps.
    pub steps: Vec<StepBody>,
    /// Who made it.
    pub created_by: Uuid,
    /// Version (sync sequence of the last change).
    pub version: i64,
    /// Made.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl ProcedureView {
    fn new(p: &Procedure) -> Result<Self, ApiError> {
        let steps: Vec<StepWire> = p.steps.iter().map(StepWire::of).collect();
        Ok(Self {
            id: p.id.0,
            title: p.title.clone(),
            description: p.description.clone(),
            steps: rewire(&steps)?,
            created_by: p.created_by.0,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        })
    }
}

/// A page of procedures.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProcedurePage {
    /// Procedures, oldest first.
    pub items: Vec<ProcedureView>,
    /// Where the next page starts; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The company's procedures, oldest first.
#[utoipa::path(get, path = "/api/v1/procedures", tag = "work-orders", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = ProcedurePage), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_procedures(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(paging): ApiQuery<PageQuery>,
) -> Result<Json<ProcedurePage>, ApiError> {
    let page = Page { after: paging.after::<Uuid>()?.map(ProcedureId), limit: paging.limit()? };
    let (rows, next) = procedures::list(&app.work_orders.deps, &actor, page).await?;
    Ok(Json(ProcedurePage {
        items: rows.iter().map(ProcedureView::new).collect::<Result<_, _>>()?,
        next_cursor: next.map(encode_cursor),
    }))
}

/// Add a procedure. 200 instead of 201 when the same procedure (same `id` and content) was
/// already received.
#[utoipa::path(post, path = "/api/v1/procedures", tag = "work-orders", security(("bearer" = [])), request_body = ProcedureBody,
    responses((status = 201, body = ProcedureView), (status = 200, body = ProcedureView, description = "the same procedure again"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`id_taken`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_procedure(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(b): ApiJson<ProcedureBody>,
) -> Result<(StatusCode, Json<ProcedureView>), ApiError> {
    let m = CreateProcedure { id: b.id.map(ProcedureId), fields: b.fields()? };
    let saved = app.mutate(&actor, m).await?;
    let status = if saved.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(ProcedureView::new(&saved.row)?)))
}

/// One procedure.
#[utoipa::path(get, path = "/api/v1/procedures/{id}", tag = "work-orders", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = ProcedureView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_procedure(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<ProcedureView>, ApiError> {
    Ok(Json(ProcedureView::new(&procedures::get(&app.work_orders.deps, &actor, ProcedureId(id)).await?)?))
}

/// Replace a procedure's title, notes and steps (work orders raised from it keep their copy).
#[utoipa::path(put, path = "/api/v1/procedures/{id}", tag = "work-orders", security(("bearer" = [])), params(("id" = Uuid, Path)),
    request_body = ProcedureBody,
    responses((status = 200, body = ProcedureView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`version_conflict`"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn update_procedure(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(b): ApiJson<ProcedureBody>,
) -> Result<Json<ProcedureView>, ApiError> {
    if b.id.is_some() {
        return Err(ApiError::invalid("id", "not_changeable", "a procedure's id never changes"));
    }
    let m = UpdateProcedure { procedure_id: ProcedureId(id), version: b.version, fields: b.fields()? };
    Ok(Json(ProcedureView::new(&app.mutate(&actor, m).await?)?))
}

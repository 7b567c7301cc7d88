//! `/vessels`: the fleet, departments and crew rotations.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, encode_cursor};
use crate::names::VesselKindName;
use crate::schemas::Specs;
use crate::state::AppState;
use crate::views::{CrewPage, DepartmentView, RotationView, VesselDetailView, VesselPage, VesselView};
use bosun_app::Actor;
use bosun_app::fleet::vessels::{
    AddDepartment, CreateVessel, JoinRotation, RemoveVesselMember, UpdateVessel, VesselFields, VesselInput,
    check_vessel,
};
use bosun_domain::VesselId;
use bosun_store::Page;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_vessels, create_vessel))
        .routes(routes!(get_vessel, update_vessel))
        .routes(routes!(join_rotation))
        .routes(routes!(list_crew))
        .routes(routes!(remove_member))
        .routes(routes!(add_department))
}

/// The people on a vessel's rotation (owner, admin, manager), by user id: each with their
/// department and rotation dates. People taken off the vessel are not listed.
#[utoipa::path(get, path = "/api/v1/vessels/{id}/members", tag = "vessels", security(("bearer" = [])),
    params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = CrewPage), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such vessel", body = Problem, content_type = "application/problem+json")))]
async fn list_crew(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<CrewPage>, ApiError> {
    let page = Page { after: q.after::<Uuid>()?.map(bosun_domain::UserId), limit: q.limit()? };
    let (rows, next) = app.vessels.crew(&actor, VesselId(id), page).await?;
    Ok(Json(CrewPage { items: rows.iter().map(Into::into).collect(), next_cursor: next.map(encode_cursor) }))
}

/// Take a person off a vessel (owner, admin, manager): they no longer reach it. Their rotation
/// may be recorded again later.
#[utoipa::path(delete, path = "/api/v1/vessels/{id}/members/{userId}", tag = "vessels", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("userId" = Uuid, Path)),
    responses((status = 204, description = "Removed"), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "No such vessel, or the person is not on it", body = Problem, content_type = "application/problem+json")))]
async fn remove_member(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath((id, user)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    app.mutate(&actor, RemoveVesselMember { vessel_id: VesselId(id), user_id: bosun_domain::UserId(user) }).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A vessel to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVesselBody {
    /// Client-made UUIDv7 (offline creation); made by the server when absent.
    pub id: Option<Uuid>,
    /// `vessel`, `site` or `project`.
    #[schema(value_type = VesselKindName)]
    pub kind: String,
    /// Name (1–120 characters).
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
    /// Type, e.g. "platform supply vessel" (up to 80 characters, surrounding spaces trimmed; blank is none).
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]{0,78}[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?)?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub vessel_type: Option<String>,
    /// IMO number, ships (`kind` `vessel`) only: seven digits, optionally after `IMO`; the
    /// check digit is verified. Blank is none.
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:(?:IMO|imo)[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)?[0-9]{7}[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$|^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub imo: Option<String>,
    /// Free-form specifications: a JSON object up to 16 KiB.
    #[schema(value_type = Option<Specs>)]
    pub specs: Option<serde_json::Value>,
}

impl NewVesselBody {
    fn fields(&self) -> Result<VesselFields, ApiError> {
        parse_fields(&self.kind, &self.name, self.vessel_type.as_deref(), self.imo.as_deref(), self.specs.as_ref())
    }
}

/// A vessel's fields, replacing the stored ones (the path names the vessel).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VesselUpdateBody {
    /// `vessel`, `site` or `project`.
    #[schema(value_type = VesselKindName)]
    pub kind: String,
    /// Name (1–120 characters).
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
    /// Type, e.g. "platform supply vessel" (up to 80 characters, surrounding spaces trimmed; blank is none).
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?:[^\u0000-\u001f\u007f-\u009f]{0,78}[^ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])?)?[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub vessel_type: Option<String>,
    /// IMO number, ships (`kind` `vessel`) only: seven digits, optionally after `IMO`; the
    /// check digit is verified. Blank is none.
    #[schema(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:(?:IMO|imo)[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)?[0-9]{7}[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$|^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub imo: Option<String>,
    /// Free-form specifications: a JSON object up to 16 KiB.
    #[schema(value_type = Option<Specs>)]
    pub specs: Option<serde_json::Value>,
    /// The version last seen; a newer stored version answers 409 `version_conflict`.
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub version: Option<i64>,
}

impl VesselUpdateBody {
    fn fields(&self) -> Result<VesselFields, ApiError> {
        parse_fields(&self.kind, &self.name, self.vessel_type.as_deref(), self.imo.as_deref(), self.specs.as_ref())
    }
}

/// A vessel's fields, parsed into domain values (every problem at once).
fn parse_fields(
    kind: &str,
    name: &str,
    vessel_type: Option<&str>,
    imo: Option<&str>,
    specs: Option<&serde_json::Value>,
) -> Result<VesselFields, ApiError> {
    let input = VesselInput {
        kind: kind.to_owned(),
        name: name.to_owned(),
        vessel_type: vessel_type.map(str::to_owned),
        imo: imo.map(str::to_owned),
        specs: specs.cloned(),
    };
    Ok(check_vessel(&input)?)
}

/// The vessels the caller may see (vessel-scoped roles: their own).
#[utoipa::path(get, path = "/api/v1/vessels", tag = "vessels", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = VesselPage), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn list_vessels(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<VesselPage>, ApiError> {
    let page = Page { after: q.after::<Uuid>()?.map(VesselId), limit: q.limit()? };
    let (rows, next) = app.vessels.list(&actor, page).await?;
    Ok(Json(VesselPage { items: rows.iter().map(Into::into).collect(), next_cursor: next.map(encode_cursor) }))
}

/// One vessel with its departments.
#[utoipa::path(get, path = "/api/v1/vessels/{id}", tag = "vessels", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = VesselDetailView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_vessel(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<VesselDetailView>, ApiError> {
    let (v, departments) = app.vessels.get(&actor, VesselId(id)).await?;
    Ok(Json(VesselDetailView { vessel: (&v).into(), departments: departments.iter().map(Into::into).collect() }))
}

/// Register a vessel (owner, admin, manager).
#[utoipa::path(post, path = "/api/v1/vessels", tag = "vessels", security(("bearer" = [])), request_body = NewVesselBody,
    responses((status = 201, body = VesselView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_vessel(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(body): ApiJson<NewVesselBody>,
) -> Result<(StatusCode, Json<VesselView>), ApiError> {
    let v = app.mutate(&actor, CreateVessel { id: body.id.map(VesselId), fields: body.fields()? }).await?;
    Ok((StatusCode::CREATED, Json((&v).into())))
}

/// Replace a vessel's fields (owner, admin, manager).
#[utoipa::path(put, path = "/api/v1/vessels/{id}", tag = "vessels", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = VesselUpdateBody,
    responses((status = 200, body = VesselView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn update_vessel(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<VesselUpdateBody>,
) -> Result<Json<VesselView>, ApiError> {
    let update = UpdateVessel { vessel_id: VesselId(id), fields: body.fields()?, version: body.version };
    let v = app.mutate(&actor, update).await?;
    Ok(Json((&v).into()))
}

/// A rotation to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotationBody {
    /// Who joins (managers and above); the caller when absent.
    pub user_id: Option<Uuid>,
    /// Department on board.
    pub department_id: Option<Uuid>,
    /// First day (YYYY-MM-DD).
    pub rotation_start: NaiveDate,
    /// Planned last day.
    pub rotation_end: Option<NaiveDate>,
}

/// Join (or update) a rotation on a vessel: crew for themselves on their vessels, managers
/// and above for anyone.
#[utoipa::path(post, path = "/api/v1/vessels/{id}/join-rotation", tag = "vessels", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = RotationBody,
    responses((status = 200, body = RotationView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn join_rotation(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<RotationBody>,
) -> Result<Json<RotationView>, ApiError> {
    let input = JoinRotation {
        vessel_id: VesselId(id),
        user_id: body.user_id.map(Into::into),
        department_id: body.department_id.map(Into::into),
        rotation_start: body.rotation_start,
        rotation_end: body.rotation_end,
    };
    let m = app.mutate(&actor, input).await?;
    Ok(Json((&m).into()))
}

/// A department to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentBody {
    /// Name ("engine", "deck", ...), 1–60 characters.
    #[schema(
        min_length = 1,
        max_length = 60,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
}

/// Add a department to a vessel (owner, admin, manager).
#[utoipa::path(post, path = "/api/v1/vessels/{id}/departments", tag = "vessels", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = DepartmentBody,
    responses((status = 201, body = DepartmentView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json")))]
async fn add_department(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<DepartmentBody>,
) -> Result<(StatusCode, Json<DepartmentView>), ApiError> {
    let d = app.mutate(&actor, AddDepartment { vessel_id: VesselId(id), name: body.name }).await?;
    Ok((StatusCode::CREATED, Json((&d).into())))
}

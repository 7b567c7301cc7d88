//! `/users`: the company's people.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::error::{ApiError, Problem};
use super::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, encode_cursor};
use super::views::{MemberPage, MemberView};
use crate::app::AppState;
use crate::service::Actor;
use crate::service::users::{NewPerson, PersonUpdate};
use bosun_domain::UserId;
use bosun_store::Page;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_users, create_user)).routes(routes!(update_user))
}

/// A person to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    /// Login email.
    pub email: String,
    /// Name.
    pub name: String,
    /// Password for a new login (8–128 characters). A person who already has a Bosun login
    /// (say, a contractor of another company) keeps theirs and this is ignored.
    pub password: Option<String>,
    /// `owner` (owners only), `admin`, `manager`, `engineer`, `crew` or `viewer`.
    pub role: String,
    /// Trade.
    pub specialisation: Option<String>,
}

/// Changes to a person; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserBody {
    /// Name.
    pub name: Option<String>,
    /// Role (only owners grant or remove `owner`).
    pub role: Option<String>,
    /// Trade; null clears it.
    #[serde(default, deserialize_with = "super::extract::double_option")]
    #[schema(value_type = Option<String>)]
    pub specialisation: Option<Option<String>>,
    /// False disables the person and ends their sessions.
    pub active: Option<bool>,
}

/// The company's people (owner, admin, manager).
#[utoipa::path(get, path = "/users", tag = "people", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = MemberPage), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list_users(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<MemberPage>, ApiError> {
    let page = Page { after: q.after::<Uuid>()?.map(UserId), limit: q.limit()? };
    let (rows, next) = app.users.list(&actor, page).await?;
    Ok(Json(MemberPage { items: rows.iter().map(Into::into).collect(), next_cursor: next.map(encode_cursor) }))
}

/// Add a person to the company (owner, admin).
#[utoipa::path(post, path = "/users", tag = "people", security(("bearer" = [])), request_body = NewUserBody,
    responses((status = 201, body = MemberView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_user(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(body): ApiJson<NewUserBody>,
) -> Result<(StatusCode, Json<MemberView>), ApiError> {
    let input = NewPerson {
        email: body.email,
        name: body.name,
        password: body.password,
        role: body.role,
        specialisation: body.specialisation,
    };
    let (m, _existing) = app.users.create(&actor, input).await?;
    Ok((StatusCode::CREATED, Json((&m).into())))
}

/// Change a person's name, role, trade or active flag (owner, admin).
#[utoipa::path(put, path = "/users/{id}", tag = "people", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = UpdateUserBody,
    responses((status = 200, body = MemberView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn update_user(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<UpdateUserBody>,
) -> Result<Json<MemberView>, ApiError> {
    let input =
        PersonUpdate { name: body.name, role: body.role, specialisation: body.specialisation, active: body.active };
    let m = app.users.update(&actor, UserId(id), input).await?;
    Ok(Json((&m).into()))
}

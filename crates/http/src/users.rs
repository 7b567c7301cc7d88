//! `/users`: the company's people. People join by invitation (`/invitations`).

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, encode_cursor};
use crate::names::{RoleName, SpecialisationName};
use crate::state::AppState;
use crate::views::{MemberPage, MemberView};
use bosun_app::Actor;
use bosun_app::accounts::users::{PersonUpdate, UpdatePerson};
use bosun_domain::UserId;
use bosun_store::Page;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_users)).routes(routes!(update_user))
}

/// Changes to a person; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserBody {
    /// Name.
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: Option<String>,
    /// Role (only owners grant or remove `owner`).
    #[schema(value_type = Option<RoleName>)]
    pub role: Option<String>,
    /// Trade; null clears it.
    #[serde(default, deserialize_with = "crate::extract::double_option")]
    #[schema(value_type = Option<SpecialisationName>)]
    pub specialisation: Option<Option<String>>,
    /// False disables the person and ends their sessions.
    pub active: Option<bool>,
}

/// The company's people (owner, admin, manager).
#[utoipa::path(get, path = "/api/v1/users", tag = "people", security(("bearer" = [])), params(PageQuery),
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

/// Change a person's name, role, trade or active flag (owner, admin).
#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "people", security(("bearer" = [])),
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
    let m = app.mutate(&actor, UpdatePerson::parse(UserId(id), input)?).await?;
    Ok(Json((&m).into()))
}

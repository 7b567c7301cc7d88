//! `/api-keys`: the company's API keys for integrations and vessels' edge nodes.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bosun_domain::account::ApiKey;
use bosun_domain::{ApiKeyId, VesselId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath};
use crate::names::ApiKeyRoleName;
use crate::state::AppState;
use bosun_app::Actor;
use bosun_app::accounts::api_keys::{CreateApiKey, RevokeApiKey};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_keys, create_key)).routes(routes!(revoke_key))
}

/// A key to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiKeyBody {
    /// What it is for (1–120 characters).
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
    /// `admin`, `manager`, `engineer`, `crew` or `viewer` (never `owner`).
    #[schema(value_type = ApiKeyRoleName)]
    pub role: String,
    /// The vessels it may reach (at most 100); required for `engineer`, `crew` and `viewer`.
    /// Without, every vessel its role may see.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub vessel_ids: Vec<Uuid>,
    /// Days until it stops working (1 to `auth.api_key_max_days`, 365 unless configured;
    /// default 90).
    #[schema(minimum = 1)]
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub expires_in_days: Option<i64>,
}

/// An API key (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyView {
    /// Id; what it writes is recorded under this id.
    pub id: Uuid,
    /// What it is for.
    pub name: String,
    /// The role it acts with.
    #[schema(value_type = ApiKeyRoleName)]
    pub role: String,
    /// The vessels it may reach; empty for every vessel its role may see.
    pub vessel_ids: Vec<Uuid>,
    /// Who made it.
    pub created_by: Option<Uuid>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it was last used (recorded at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// The address it was last used from.
    pub last_used_ip: Option<String>,
}

impl From<&ApiKey> for ApiKeyView {
    fn from(k: &ApiKey) -> Self {
        Self {
            id: k.id.0,
            name: k.name.clone(),
            role: k.role.as_str().into(),
            vessel_ids: k.vessels.iter().map(|v| v.0).collect(),
            created_by: k.created_by.map(|u| u.0),
            created_at: k.created_at,
            expires_at: k.expires_at,
            revoked_at: k.revoked_at,
            last_used_at: k.last_used_at,
            last_used_ip: k.last_used_ip.clone(),
        }
    }
}

/// A new key with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedApiKeyView {
    /// The key.
    pub key: ApiKeyView,
    /// The key's text: send it as `Authorization: Bearer …`. Shown once; only its hash is kept.
    pub secret: String,
}

/// The company's keys.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyList {
    /// Newest first, revoked and expired ones too.
    pub items: Vec<ApiKeyView>,
}

/// Make an API key (owner, admin). Its secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/api-keys", tag = "people", security(("bearer" = [])), request_body = NewApiKeyBody,
    responses((status = 201, body = CreatedApiKeyView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn create_key(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(body): ApiJson<NewApiKeyBody>,
) -> Result<(StatusCode, Json<CreatedApiKeyView>), ApiError> {
    let input = CreateApiKey {
        name: body.name,
        role: body.role.parse().map_err(bosun_app::Error::from)?,
        vessel_ids: body.vessel_ids.into_iter().map(VesselId).collect(),
        expires_in_days: body.expires_in_days,
    };
    let (key, secret) = app.mutate(&actor, input).await?;
    Ok((StatusCode::CREATED, Json(CreatedApiKeyView { key: (&key).into(), secret })))
}

/// The company's API keys (owner, admin).
#[utoipa::path(get, path = "/api/v1/api-keys", tag = "people", security(("bearer" = [])),
    responses((status = 200, body = ApiKeyList), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list_keys(State(app): State<AppState>, actor: Actor) -> Result<Json<ApiKeyList>, ApiError> {
    let keys = app.api_keys.list(&actor).await?;
    Ok(Json(ApiKeyList { items: keys.iter().map(Into::into).collect() }))
}

/// Revoke an API key (owner, admin): it stops working with its next request.
#[utoipa::path(delete, path = "/api/v1/api-keys/{id}", tag = "people", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Revoked"), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "`already_revoked`", body = Problem, content_type = "application/problem+json")))]
async fn revoke_key(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    app.mutate(&actor, RevokeApiKey { api_key_id: ApiKeyId(id) }).await?;
    Ok(StatusCode::NO_CONTENT)
}

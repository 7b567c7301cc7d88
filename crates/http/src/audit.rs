//! `/audit`: the company's audit trail, for owners and admins.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Datelike, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiQuery, encode_cursor};
use crate::names::OutcomeName;
use crate::state::AppState;
use crate::views::{AuditEntryView, AuditPage};
use bosun_app::Actor;
use bosun_domain::fields::FieldPolicy;
use bosun_store::{AuditFilter, Page};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

/// Filters and paging for the audit trail.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this action (`vessel.create`, `auth.login`, ...).
    #[param(pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub action: Option<String>,
    /// Only this kind of entity.
    #[param(pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub entity: Option<String>,
    /// Only this entity id.
    #[param(pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub entity_id: Option<String>,
    /// Only this actor.
    pub actor: Option<Uuid>,
    /// `success` or `failure`.
    #[param(value_type = Option<OutcomeName>)]
    pub outcome: Option<String>,
    /// At or after (RFC 3339).
    pub since: Option<DateTime<Utc>>,
    /// Before (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The audit trail, newest first (owner, admin).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list_audit(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    let paging = crate::extract::PageQuery { limit: q.limit, cursor: q.cursor };
    if let Some(o) = &q.outcome
        && !matches!(o.as_str(), "success" | "failure")
    {
        return Err(ApiError::invalid("outcome", "unknown_value", "must be success or failure"));
    }
    for (field, value) in [("action", &q.action), ("entity", &q.entity), ("entity_id", &q.entity_id)] {
        if value.as_deref().is_some_and(|v| v.chars().any(char::is_control)) {
            return Err(ApiError::invalid(field, "control_characters", "must not contain control characters"));
        }
    }
    // Years 1–9999 only: PostgreSQL holds no earlier instant and SQLite compares times as text.
    for (field, value) in [("since", &q.since), ("until", &q.until)] {
        if value.is_some_and(|t| !(1..=9999).contains(&t.year())) {
            return Err(ApiError::invalid(field, "out_of_range", "must be a time in the years 1 to 9999"));
        }
    }
    let filter = AuditFilter {
        action: q.action,
        entity: q.entity,
        entity_id: q.entity_id,
        actor: q.actor.map(Into::into),
        outcome: q.outcome,
        since: q.since,
        until: q.until,
    };
    let (rows, next) =
        app.audit.list(&actor, filter, Page { after: paging.after::<i64>()?, limit: paging.limit()? }).await?;
    let policy = FieldPolicy::of(actor.role);
    let items = rows.iter().map(|e| AuditEntryView::new(e, policy)).collect();
    Ok(Json(AuditPage { items, next_cursor: next.map(encode_cursor) }))
}

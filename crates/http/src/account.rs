//! `/me/…`: a person's own login: password, sessions, second factor. These routes also serve
//! an owner or admin who must still set up the second factor their company requires.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bosun_domain::SessionFamilyId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, EnrollingActor};
use crate::state::AppState;
use bosun_app::accounts::auth::SessionListing;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(change_password))
        .routes(routes!(list_sessions))
        .routes(routes!(end_session))
        .routes(routes!(mfa_status, disable_mfa))
        .routes(routes!(begin_totp))
        .routes(routes!(confirm_totp))
        .routes(routes!(new_recovery_codes))
}

/// A password change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeBody {
    /// The password now.
    pub current_password: String,
    /// The new one (8–128 characters).
    pub new_password: String,
}

/// Change one's password. Every other session of the login ends, in every company.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "people", security(("bearer" = [])), request_body = PasswordChangeBody,
    responses((status = 204, description = "Changed"),
              (status = 401, description = "`invalid_credentials`: the current password is wrong", body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
async fn change_password(
    State(app): State<AppState>,
    EnrollingActor(actor): EnrollingActor,
    ApiJson(body): ApiJson<PasswordChangeBody>,
) -> Result<StatusCode, ApiError> {
    actor.require(bosun_domain::permissions::Action::MeUpdate)?;
    app.auth.change_password(&actor, &body.current_password, &body.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One of one's sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// Id (end it with `DELETE /me/sessions/{id}`).
    pub id: Uuid,
    /// Whether it is the session asking.
    pub current: bool,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
    /// When it was last used to sign in or refresh.
    pub last_used_at: DateTime<Utc>,
    /// When it ends at the latest.
    pub expires_at: DateTime<Utc>,
    /// The device (browser's user agent) it was opened on.
    pub user_agent: Option<String>,
    /// The address it was opened from.
    pub ip: Option<String>,
    /// The address it was last used from.
    pub last_ip: Option<String>,
    /// Whether it was opened with a second factor.
    pub mfa: bool,
}

impl From<&SessionListing> for SessionView {
    fn from(l: &SessionListing) -> Self {
        let s = &l.session;
        Self {
            id: s.id.0,
            current: l.current,
            created_at: s.created_at,
            last_used_at: s.last_used_at,
            expires_at: s.expires_at,
            user_agent: s.user_agent.clone(),
            ip: s.ip.clone(),
            last_ip: s.last_ip.clone(),
            mfa: s.mfa,
        }
    }
}

/// One's sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    /// Most recently used first.
    pub items: Vec<SessionView>,
}

/// One's live sessions in this company.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "people", security(("bearer" = [])),
    responses((status = 200, body = SessionList), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn list_sessions(
    State(app): State<AppState>,
    EnrollingActor(actor): EnrollingActor,
) -> Result<Json<SessionList>, ApiError> {
    actor.require(bosun_domain::permissions::Action::MeUpdate)?;
    let sessions = app.auth.sessions(&actor).await?;
    Ok(Json(SessionList { items: sessions.iter().map(Into::into).collect() }))
}

/// End one of one's sessions (another device's, or this one).
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "people", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Ended"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn end_session(
    State(app): State<AppState>,
    EnrollingActor(actor): EnrollingActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    actor.require(bosun_domain::permissions::Action::MeUpdate)?;
    app.auth.end_session(&actor, SessionFamilyId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where one's second factor stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct MfaStatusView {
    /// Every sign-in asks for a code.
    pub enabled: bool,
    /// A set-up waits for its first code.
    pub pending: bool,
    /// Recovery codes left.
    pub recovery_codes_left: i64,
    /// The company requires one of this person.
    pub required: bool,
}

/// One's second factor.
#[utoipa::path(get, path = "/api/v1/me/mfa", tag = "people", security(("bearer" = [])),
    responses((status = 200, body = MfaStatusView), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn mfa_status(
    State(app): State<AppState>,
    EnrollingActor(actor): EnrollingActor,
) -> Result<Json<MfaStatusView>, ApiError> {
    actor.require(bosun_domain::permissions::Action::MeUpdate)?;
    let s = app.mfa.status(&actor).await?;
    Ok(Json(MfaStatusView {
        enabled: s.enabled,
        pending: s.pending,
        recovery_codes_left: s.recovery_codes_left,
        required: s.required,
    }))
}

/// A new TOTP seed.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotpEnrolmentView {
    /// The seed in base32, to type into an authenticator app.
    pub secret: String,
    /// The `otpauth://` link, to show as a QR code.
    pub otpauth_url: String,
}

/// Start setting up a TOTP second factor: a new seed for one's authenticator app. Confirm it
/// with a first code.
#[utoipa::path(post, path = "/api/v1/me/mfa/totp", tag = "people", security(("bearer" = [])),
    responses((status = 200, body = TotpEnrolmentView),
              (status = 409, description = "`mfa_already_enabled`", body = Problem, content_type = "application/problem+json")))]
async fn begin_totp(
    State(app): State<AppState>,
    EnrollingActor(actor): EnrollingActor,
) -> Result<Json<TotpEnrolmentView>, ApiError> {
    actor.require(bosun_domain::permissions::Action::MeUpdate)?;
    let e = app.mfa.begin(&actor).await?;
    Ok(Json(TotpEnrolmentView { secret: e.secret, otpauth_url: e.otpauth_url }))
}

/// A code from the authenticator app.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaCodeBody {
    /// The six digits shown now.
    pub code: String,
}

/// Recovery codes, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodesView {
    /// Each signs in once in place of a code; keep them somewhere safe.
    pub recovery_codes: Vec<String>,
}

/// Confirm the second factor with a first code: it is on from now (this session counts as
/// signed in with it), and the recovery codes are answered once.
#[utoipa::path(post, path = "/api/v1/me/mfa/totp/confirm", tag = "people", security(("bearer" = [])), request_body = MfaCodeBody,
    responses((status = 200, body = RecoveryCodesView),
              (status = 401, description = "`invalid_mfa_code`", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "`mfa_not_enrolling`", body = Problem, content_type = "application/problem+json")))]
async fn confirm_totp(
    State(app): State<AppState>,
    EnrollingActor(actor): EnrollingActor,
    ApiJson(body): ApiJson<MfaCodeBody>,
) -> Result<Json<RecoveryCodesView>, ApiError> {
    actor.require(bosun_domain::permissions::Action::MeUpdate)?;
    let recovery_codes = app.mfa.confirm(&actor, &body.code).await?;
    Ok(Json(RecoveryCodesView { recovery_codes }))
}

/// Turning the second factor off, or asking for new recovery codes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaChangeBody {
    /// One's password.
    pub password: String,
    /// A current code or a recovery code (needed to turn it off).
    pub code: Option<String>,
}

/// Turn the second factor off (password and a code). Refused while the company requires one;
/// every other session ends.
#[utoipa::path(delete, path = "/api/v1/me/mfa", tag = "people", security(("bearer" = [])), request_body = MfaChangeBody,
    responses((status = 204, description = "Turned off"),
              (status = 401, description = "`invalid_credentials`, `invalid_mfa_code`", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "`mfa_required_by_company`, `mfa_not_enabled`", body = Problem, content_type = "application/problem+json")))]
async fn disable_mfa(
    State(app): State<AppState>,
    EnrollingActor(actor): EnrollingActor,
    ApiJson(body): ApiJson<MfaChangeBody>,
) -> Result<StatusCode, ApiError> {
    actor.require(bosun_domain::permissions::Action::MeUpdate)?;
    app.mfa.disable(&actor, &body.password, body.code.as_deref().unwrap_or_default()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// New recovery codes (the old ones stop working), after the password.
#[utoipa::path(post, path = "/api/v1/me/mfa/recovery-codes", tag = "people", security(("bearer" = [])), request_body = MfaChangeBody,
    responses((status = 200, body = RecoveryCodesView),
              (status = 401, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "`mfa_not_enabled`", body = Problem, content_type = "application/problem+json")))]
async fn new_recovery_codes(
    State(app): State<AppState>,
    EnrollingActor(actor): EnrollingActor,
    ApiJson(body): ApiJson<MfaChangeBody>,
) -> Result<Json<RecoveryCodesView>, ApiError> {
    actor.require(bosun_domain::permissions::Action::MeUpdate)?;
    let recovery_codes = app.mfa.new_recovery_codes(&actor, &body.password).await?;
    Ok(Json(RecoveryCodesView { recovery_codes }))
}

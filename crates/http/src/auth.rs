//! `/auth`: login, refresh, logout and forgotten passwords. The refresh token travels only in a
//! `__Host-` cookie (HttpOnly, Secure, SameSite=Strict); the cookie endpoints also check where
//! the request comes from (CSRF). A sign-in also leaves a device cookie, which lets the login
//! throttle tell the person's own devices from a stranger's (`bosun_app::accounts::throttle`).

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, bearer};
use crate::state::AppState;
use crate::views::UserView;
use bosun_app::RequestMeta;
use bosun_app::accounts::auth::{LoginRequest, Session};

/// The refresh cookie's name.
pub const REFRESH_COOKIE: &str = "__Host-bosun_refresh";

/// The device cookie's name.
pub const DEVICE_COOKIE: &str = "__Host-bosun_device";

/// How long a device cookie is kept: the longest a browser keeps any cookie (400 days).
const DEVICE_COOKIE_MAX_AGE: i64 = 400 * 24 * 3600;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(request_password_reset))
        .routes(routes!(reset_password))
}

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// Login email.
    pub email: String,
    /// Password.
    pub password: String,
    /// Company slug; optional when the person belongs to one company.
    pub company: Option<String>,
    /// The code from the person's authenticator app, or one of their recovery codes, when
    /// their login has a second factor (without it the answer is `401 mfa_required`).
    pub mfa_code: Option<String>,
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// Bearer token for `Authorization`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Who signed in, where.
    pub user: UserView,
    /// The company requires a second factor of this person, who has none yet: until one is
    /// set up (`POST /me/mfa/totp`), every other route answers `403 mfa_enrollment_required`.
    pub mfa_enrollment_required: bool,
}

/// The answer to a sign-in, a refresh or an accepted invitation: the session's tokens and its
/// cookies.
pub(crate) fn session_response(app: &AppState, s: Session) -> Response {
    let body = LoginResponse {
        access_token: s.access_token,
        token_type: "Bearer",
        expires_in: s.expires_in,
        user: UserView::new(&s.user, &s.membership, &s.company),
        mfa_enrollment_required: s.mfa_enrollment_required,
    };
    let secure = if app.config.cookie_secure { " Secure;" } else { "" };
    let cookie = format!(
        "{REFRESH_COOKIE}={}; Path=/; HttpOnly;{secure} SameSite=Strict; Max-Age={}",
        s.refresh_token, s.refresh_max_age
    );
    let mut res = with_cookie((StatusCode::OK, axum::Json(body)).into_response(), &cookie);
    if let Some(device) = s.device_cookie {
        let device = format!(
            "{DEVICE_COOKIE}={device}; Path=/; HttpOnly;{secure} SameSite=Strict; Max-Age={DEVICE_COOKIE_MAX_AGE}"
        );
        if let Ok(v) = HeaderValue::from_str(&device) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

fn with_cookie(mut res: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn clear_cookie(app: &AppState, res: Response) -> Response {
    let secure = if app.config.cookie_secure { " Secure;" } else { "" };
    with_cookie(res, &format!("{REFRESH_COOKIE}=; Path=/; HttpOnly;{secure} SameSite=Strict; Max-Age=0"))
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn refresh_cookie(headers: &HeaderMap) -> Option<String> {
    cookie(headers, REFRESH_COOKIE)
}

/// Refuses cross-site requests to cookie-authenticated endpoints: the browser's
/// `Sec-Fetch-Site` must be same-origin (or absent for non-browser clients), `Origin` must
/// match `Host` when sent, and the `X-Requested-With` header (which a cross-site form cannot
/// set without a CORS preflight) must be present.
fn check_same_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let forbidden = || ApiError::new(StatusCode::FORBIDDEN, "cross_site_request", "Cross-site requests are refused");
    let text = |h: &str| headers.get(h).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return Err(forbidden());
    }
    if let Some(origin) = text("origin") {
        let host = text("host").unwrap_or_default();
        let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
        if origin_host != host {
            return Err(forbidden());
        }
    }
    if text("x-requested-with").is_none() {
        return Err(forbidden());
    }
    Ok(())
}

/// Sign in.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginBody,
    responses(
        (status = 200, description = "Signed in; the refresh cookie is set", body = LoginResponse),
        (status = 401, description = "`invalid_credentials`: wrong email or password; `mfa_required`: the password was right, \
            now send `mfa_code`; `invalid_mfa_code`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Several companies: name one", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Locked after repeated failures", body = Problem, content_type = "application/problem+json"),
    ))]
async fn login(
    State(app): State<AppState>,
    meta: RequestMeta,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Response, ApiError> {
    let request = LoginRequest {
        email: body.email,
        password: body.password,
        company: body.company,
        mfa_code: body.mfa_code,
        device_cookie: cookie(&headers, DEVICE_COOKIE),
    };
    let s = app.auth.login(request, &meta).await?;
    Ok(session_response(&app, s))
}

/// Who forgot their password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequestBody {
    /// The login's email.
    pub email: String,
}

/// Ask for a password-reset link by e-mail. The answer is the same whether or not the email
/// has a login.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = PasswordResetRequestBody,
    responses((status = 202, description = "If the email has a login, a reset link is on its way")))]
async fn request_password_reset(
    State(app): State<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<PasswordResetRequestBody>,
) -> StatusCode {
    app.passwords.request(&body.email, &meta);
    StatusCode::ACCEPTED
}

/// A new password, with the token of a reset link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetBody {
    /// The token from the link (after `#`).
    pub token: String,
    /// The new password (8–128 characters).
    pub password: String,
}

/// Set a new password with a reset link. Every session of the login ends.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth", request_body = PasswordResetBody,
    responses((status = 204, description = "The password is set; sign in with it"),
              (status = 409, description = "`reset_invalid`: the link was used or expired", body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn reset_password(
    State(app): State<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<PasswordResetBody>,
) -> Result<StatusCode, ApiError> {
    app.passwords.reset(&body.token, &body.password, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Exchange the refresh cookie for a new session (the cookie rotates).
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth",
    responses(
        (status = 200, description = "A new access token; the cookie is rotated", body = LoginResponse),
        (status = 401, description = "No valid session", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Cross-site request", body = Problem, content_type = "application/problem+json"),
    ))]
async fn refresh(State(app): State<AppState>, meta: RequestMeta, headers: HeaderMap) -> Result<Response, ApiError> {
    check_same_origin(&headers)?;
    let token = refresh_cookie(&headers).ok_or(bosun_app::Error::Unauthorized {
        code: "invalid_session",
        message: "The session has ended; sign in again",
    })?;
    match app.auth.refresh(&token, &meta).await {
        Ok(s) => Ok(session_response(&app, s)),
        Err(e) => Ok(clear_cookie(&app, ApiError::from(e).into_response())),
    }
}

/// Sign out: the session ends on the server and the cookie is cleared.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "No session to end", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Cross-site request", body = Problem, content_type = "application/problem+json"),
    ))]
async fn logout(State(app): State<AppState>, meta: RequestMeta, headers: HeaderMap) -> Result<Response, ApiError> {
    check_same_origin(&headers)?;
    let actor = match bearer(&headers) {
        Some(t) => app.auth.authenticate(t, meta.clone()).await.ok(),
        None => None,
    };
    app.auth.logout(actor.as_ref(), refresh_cookie(&headers).as_deref(), &meta).await?;
    Ok(clear_cookie(&app, StatusCode::NO_CONTENT.into_response()))
}

//! `/invitations`: inviting people to the company, and accepting an invitation.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use bosun_domain::InvitationId;
use bosun_domain::account::Invitation;
use bosun_store::Page;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::{LoginResponse, session_response};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, encode_cursor};
use crate::names::{InvitationStatusName, RoleName, SpecialisationName};
use crate::state::AppState;
use crate::views::PublicCompanyView;
use bosun_app::accounts::invitations::{Acceptance, InvitePerson, RevokeInvitation};
use bosun_app::{Actor, RequestMeta};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_invitations, invite))
        .routes(routes!(revoke_invitation))
        .routes(routes!(lookup_invitation))
        .routes(routes!(accept_invitation))
}

/// A person to invite.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteBody {
    /// Their email address (at most 254 characters; kept in lower case). The pattern is what
    /// the server takes: something before one `@`, a dotted domain after it, no spaces or control
    /// characters (surrounding spaces are trimmed).
    #[schema(
        max_length = 254,
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^@ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+@[^@. \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^@ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*\.[^@ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^@. \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub email: String,
    /// The name the company knows them by (1–120 characters).
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
    /// `owner` (owners only), `admin`, `manager`, `engineer`, `crew` or `viewer`.
    #[schema(value_type = RoleName)]
    pub role: String,
    /// Trade.
    #[schema(value_type = Option<SpecialisationName>)]
    pub specialisation: Option<String>,
}

/// An invitation.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    /// Id.
    pub id: Uuid,
    /// Who is invited.
    pub email: String,
    /// The name the company gave.
    pub name: String,
    /// Their role once accepted.
    #[schema(value_type = RoleName)]
    pub role: String,
    /// Trade.
    #[schema(value_type = Option<SpecialisationName>)]
    pub specialisation: Option<String>,
    /// `pending`, `accepted`, `revoked` or `expired`.
    #[schema(value_type = InvitationStatusName)]
    pub status: String,
    /// Who invited them.
    pub invited_by: Option<Uuid>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
}

impl InvitationView {
    fn new(i: &Invitation, now: DateTime<Utc>) -> Self {
        Self {
            id: i.id.0,
            email: i.email.to_string(),
            name: i.name.clone(),
            role: i.role.as_str().into(),
            specialisation: i.specialisation.map(|s| s.as_str().into()),
            status: i.status(now).as_str().into(),
            invited_by: i.invited_by.map(|u| u.0),
            created_at: i.created_at,
            expires_at: i.expires_at,
        }
    }
}

/// A new invitation with its link, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitedView {
    /// The invitation.
    pub invitation: InvitationView,
    /// The link that accepts it (hand it over to people without e-mail on board). Shown once.
    pub accept_url: String,
    /// Whether it was also sent by e-mail (false when no mail server is configured).
    pub emailed: bool,
}

/// A page of invitations.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationPage {
    /// The rows.
    pub items: Vec<InvitationView>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

/// Invite a person (owner, admin). They get no access until they accept. The answer is the
/// same whether or not their email already has a Bosun login; inviting an email again replaces
/// its open invitation.
#[utoipa::path(post, path = "/api/v1/invitations", tag = "people", security(("bearer" = [])), request_body = InviteBody,
    responses((status = 201, body = InvitedView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "`already_member`", body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn invite(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(body): ApiJson<InviteBody>,
) -> Result<(StatusCode, Json<InvitedView>), ApiError> {
    let input = InvitePerson::parse(body.email, body.name, &body.role, body.specialisation.as_deref())?;
    let invited = app.mutate(&actor, input).await?;
    let now = app.now();
    Ok((
        StatusCode::CREATED,
        Json(InvitedView {
            invitation: InvitationView::new(&invited.invitation, now),
            accept_url: invited.accept_url,
            emailed: invited.emailed,
        }),
    ))
}

/// The company's open invitations, pending or expired (owner, admin, manager).
#[utoipa::path(get, path = "/api/v1/invitations", tag = "people", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = InvitationPage), (status = 403, body = Problem, content_type = "application/problem+json")))]
async fn list_invitations(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<InvitationPage>, ApiError> {
    let page = Page { after: q.after::<Uuid>()?.map(InvitationId), limit: q.limit()? };
    let (rows, next) = app.invitations.list(&actor, page).await?;
    let now = app.now();
    Ok(Json(InvitationPage {
        items: rows.iter().map(|i| InvitationView::new(i, now)).collect(),
        next_cursor: next.map(encode_cursor),
    }))
}

/// Withdraw an open invitation (owner, admin): its link stops working.
#[utoipa::path(delete, path = "/api/v1/invitations/{id}", tag = "people", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204, description = "Withdrawn"), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "`invitation_invalid`: already accepted or withdrawn", body = Problem, content_type = "application/problem+json")))]
async fn revoke_invitation(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    app.mutate(&actor, RevokeInvitation { invitation_id: InvitationId(id) }).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An invitation link's token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationTokenBody {
    /// The token from the link (after `#`).
    pub token: String,
}

/// What an invitation link invites to, for the page that accepts it.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationPreview {
    /// The inviting company's name and branding.
    pub company: PublicCompanyView,
    /// Who is invited.
    pub email: String,
    /// The name the company gave.
    pub name: String,
    /// The role they will have.
    #[schema(value_type = RoleName)]
    pub role: String,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
}

/// Read an invitation link (no sign-in needed: the token is the credential).
#[utoipa::path(post, path = "/api/v1/invitations/lookup", tag = "people", request_body = InvitationTokenBody,
    responses((status = 200, body = InvitationPreview),
              (status = 409, description = "`invitation_invalid`: used, withdrawn or expired", body = Problem, content_type = "application/problem+json")))]
async fn lookup_invitation(
    State(app): State<AppState>,
    ApiJson(body): ApiJson<InvitationTokenBody>,
) -> Result<Json<InvitationPreview>, ApiError> {
    let (i, c) = app.invitations.lookup(&body.token).await?;
    Ok(Json(InvitationPreview {
        company: (&c).into(),
        email: i.email.to_string(),
        name: i.name,
        role: i.role.as_str().into(),
        expires_at: i.expires_at,
    }))
}

/// Accepting an invitation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// The token from the link.
    pub token: String,
    /// The password of the email's existing Bosun login, or of a new one (8–128 characters).
    pub password: String,
    /// A new login's name (defaults to the one the company gave).
    #[schema(
        min_length = 1,
        max_length = 120,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: Option<String>,
    /// The existing login's second-factor code, when it has one.
    pub mfa_code: Option<String>,
}

/// Accept an invitation: sign in with the email's existing login, or choose the password of a
/// new one. Answers a session in the inviting company (and its refresh cookie).
#[utoipa::path(post, path = "/api/v1/invitations/accept", tag = "people", request_body = AcceptBody,
    responses((status = 200, body = LoginResponse),
              (status = 401, description = "`invalid_credentials`, `mfa_required`, `invalid_mfa_code`", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "`invitation_invalid`", body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json"),
              (status = 429, body = Problem, content_type = "application/problem+json")))]
async fn accept_invitation(
    State(app): State<AppState>,
    meta: RequestMeta,
    ApiJson(body): ApiJson<AcceptBody>,
) -> Result<Response, ApiError> {
    let input = Acceptance { token: body.token, password: body.password, name: body.name, mfa_code: body.mfa_code };
    let session = app.invitations.accept(input, &meta).await?;
    Ok(session_response(&app, session))
}

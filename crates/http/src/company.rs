//! `/me` and `/companies`: who am I, a company's public face, branding changes.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, EnrollingActor};
use crate::state::AppState;
use crate::views::{CompanyView, PublicCompanyView, UserView};
use bosun_app::Actor;
use bosun_app::accounts::companies::{BrandingInput, UpdateBranding, UpdateCompanySecurity, UpdatePurchasingSettings};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(public_company))
        .routes(routes!(update_branding))
        .routes(routes!(update_security))
        .routes(routes!(update_purchasing))
}

/// The signed-in person, their role and company.
#[utoipa::path(get, path = "/api/v1/me", tag = "people", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn me(State(app): State<AppState>, EnrollingActor(actor): EnrollingActor) -> Result<Json<UserView>, ApiError> {
    let (u, m, c) = app.companies.me(&actor).await?;
    Ok(Json(UserView::new(&u, &m, &c)))
}

/// A company's public face (name and branding) for its login page. No sign-in needed.
#[utoipa::path(get, path = "/api/v1/companies/{slug}", tag = "companies",
    params(("slug" = String, Path, description = "The company's URL name")),
    responses((status = 200, body = PublicCompanyView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn public_company(
    State(app): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<PublicCompanyView>, ApiError> {
    let c = app.companies.public_branding(&slug).await?;
    Ok(Json((&c).into()))
}

/// New branding.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandingBody {
    /// Name shown to people (1–120 characters).
    pub display_name: String,
    /// `https://` address or `/path` of the logo.
    pub logo_url: Option<String>,
    /// `#rrggbb`.
    pub primary_color: String,
}

/// Change the company's branding (owner, admin).
#[utoipa::path(put, path = "/api/v1/companies/{id}/branding", tag = "companies", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The caller's company id")), request_body = BrandingBody,
    responses((status = 200, body = CompanyView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn update_branding(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<BrandingBody>,
) -> Result<Json<CompanyView>, ApiError> {
    let input =
        BrandingInput { display_name: body.display_name, logo_url: body.logo_url, primary_color: body.primary_color };
    let c = app.mutate(&actor, UpdateBranding { company_id: id.into(), branding: input }).await?;
    Ok(Json(CompanyView::for_role(&c, actor.role)))
}

/// The company's security settings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityBody {
    /// Owners and admins must sign in with a second factor (the caller needs one to turn this
    /// on). Those without one may only set one up until they do.
    pub require_mfa: bool,
}

/// Change the company's security settings (owner, admin).
#[utoipa::path(put, path = "/api/v1/companies/{id}/security", tag = "companies", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The caller's company id")), request_body = SecurityBody,
    responses((status = 200, body = CompanyView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "`mfa_not_enabled`: the caller has no second factor", body = Problem, content_type = "application/problem+json")))]
async fn update_security(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<SecurityBody>,
) -> Result<Json<CompanyView>, ApiError> {
    let c = app.mutate(&actor, UpdateCompanySecurity { company_id: id.into(), require_mfa: body.require_mfa }).await?;
    Ok(Json(CompanyView::for_role(&c, actor.role)))
}

/// The company's purchasing settings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchasingBody {
    /// The markup on supplier prices of parts, percent, 0–1000 with at most two decimals
    /// (`20` is 20 %); what was priced before keeps its own.
    #[schema(minimum = 0, maximum = 1000, multiple_of = 0.01)]
    pub parts_markup_percent: f64,
    /// `refuse`: a stock movement that would leave a location below zero is refused
    /// (`409 insufficient_stock`); `allow`: it is recorded and the balance goes negative.
    #[schema(value_type = crate::names::NegativeStockName)]
    pub negative_stock: String,
}

/// Change the company's purchasing settings (owner, admin).
#[utoipa::path(put, path = "/api/v1/companies/{id}/purchasing", tag = "companies", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The caller's company id")), request_body = PurchasingBody,
    responses((status = 200, body = CompanyView), (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn update_purchasing(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<PurchasingBody>,
) -> Result<Json<CompanyView>, ApiError> {
    let scaled = body.parts_markup_percent * 100.0;
    let bp = scaled.round();
    if !(0.0..=100_000.0).contains(&bp) || (scaled - bp).abs() > 1e-6 {
        return Err(ApiError::invalid(
            "parts_markup_percent",
            "out_of_range",
            "must be 0 to 1000 with at most two decimals",
        ));
    }
    let negative_stock = body
        .negative_stock
        .parse()
        .map_err(|_| ApiError::invalid("negative_stock", "unknown_value", "must be refuse or allow"))?;
    // Whole and within 0..=100,000: exact as an integer.
    let m = UpdatePurchasingSettings { company_id: id.into(), parts_markup_bp: bp as i64, negative_stock };
    let c = app.mutate(&actor, m).await?;
    Ok(Json(CompanyView::for_role(&c, actor.role)))
}

//! The HTTP adapter: routes under `/api/v1`, the OpenAPI document and its browsable
//! reference, health and metrics, the embedded web app, the layers every request passes
//! (request id, logs, client address, time limit, metrics, body limit, panics, security and
//! caching headers), and the server that serves it all (`serve.rs`).

#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod account;
pub mod analytics;
pub mod api_keys;
pub mod assignments;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod client_addr;
pub mod company;
pub mod config;
mod contract;
pub mod edge;
pub mod equipment;
pub mod error;
pub mod events;
pub mod extract;
pub mod faults;
pub mod handovers;
pub mod invitations;
pub mod labels;
pub mod names;
pub mod ops;
pub mod parts;
pub mod plans;
pub mod procedures;
pub mod purchasing;
pub mod rate_limit;
pub mod schemas;
pub mod serve;
pub mod state;
pub mod stock;
pub mod sync;
mod sync_socket;
pub mod timeouts;
pub mod users;
pub mod vessels;
pub mod views;
pub mod web;
pub mod work_orders;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

pub use crate::state::{ApiState, AppState, HttpConfig};
use error::ApiError;

#[derive(OpenApi)]
#[openapi(
    info(title = "Bosun API", version = "1", description = "Maintenance management for fleets of ships and heavy equipment. \
        Errors are RFC 9457 problem documents with a stable `code`; lists are cursor-paginated (`limit`, `cursor` → `next_cursor`)."),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign in, refresh, sign out"),
        (name = "companies", description = "Companies and their branding"),
        (name = "people", description = "People, invitations, API keys; one's own password, sessions and second factor"),
        (name = "vessels", description = "Vessels, sites and projects; departments; crew rotations"),
        (name = "equipment", description = "Each vessel's equipment: hierarchy, running hours, QR labels, CSV import"),
        (name = "audit", description = "The tamper-evident audit trail"),
        (name = "attachments", description = "Photos and documents on equipment, faults and handovers"),
        (name = "analytics", description = "Dashboards, repair times (MTTR) and parts spend"),
        (name = "faults", description = "Fault reports, their lifecycle, assignment and comments"),
        (name = "parts", description = "Parts orders for faults, priced with the company's markup"),
        (name = "handovers", description = "Crew rotation handovers: prepare, complete, acknowledge"),
        (name = "sync", description = "Offline sync: push queued mutations, pull what changed"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.bearer_format = Some("JWT".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(http));
    }
}

/// The API routes and the OpenAPI document describing them.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::new()
        .merge(auth::router())
        .merge(company::router())
        .merge(vessels::router())
        .merge(equipment::router())
        .merge(users::router())
        .merge(invitations::router())
        .merge(account::router())
        .merge(api_keys::router())
        .merge(audit::router())
        .merge(attachments::router())
        .merge(analytics::router())
        .merge(faults::router())
        .merge(parts::router())
        .merge(stock::router())
        .merge(purchasing::router())
        .merge(work_orders::router())
        .merge(plans::router())
        .merge(procedures::router())
        .merge(assignments::router())
        .merge(handovers::router())
        .merge(sync::router());
    // Each route's path is written out whole (`/api/v1/...`) rather than nested: a nested
    // router strips the prefix off every request's URI and rebuilds it (BENCHMARKS.md).
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(v1).split_for_parts();
    contract::complete(&mut doc);
    schemas::add_conditions(&mut doc);
    (router, doc)
}

/// The OpenAPI document as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().1
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Something went wrong on our side").into_response()
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "This method is not allowed here")
}

/// The Content-Security-Policy of every page and answer that sets none of its own. `base-uri`
/// and `form-action` are not covered by `default-src`: without them an injected `<base>` or
/// `<form action>` could send relative URLs or a filled-in form elsewhere. `'wasm-unsafe-eval'`
/// lets the web app compile its own WebAssembly (the QR decoder, loaded from `'self'`) and
/// nothing else: JavaScript `eval` stays refused.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' https: data:; \
     style-src 'self' 'unsafe-inline'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; frame-ancestors 'none'; \
     base-uri 'none'; form-action 'self'";

/// `Strict-Transport-Security` when people reach Bosun over https (`server.public_url`): a
/// year, subdomains included. None over http, so a laptop demo on http://127.0.0.1 does not pin
/// the browser to https for that host.
fn strict_transport_security(public_url: &str) -> Option<HeaderValue> {
    public_url.starts_with("https://").then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains"))
}

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let (api, doc) = api();
    // Install the metrics recorder now: until it exists every count is silently dropped, so
    // waiting for the first scrape of `/metrics` would lose the requests before it.
    ops::prometheus();
    let max_body = state.config.server.max_body_bytes;
    let x_request_id = HeaderName::from_static("x-request-id");
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };

    let api = api.method_not_allowed_fallback(method_not_allowed);
    let hsts = strict_transport_security(&state.config.server.public_url);
    let edge = edge::Edge::of(state.clone());
    // One stack, outermost first, put on the routes with one `layer` call: each call wraps
    // every route in a boxed service of its own, which a request then clones and polls
    // through, so a dozen calls cost a read a measurable share of its time (BENCHMARKS.md).
    let stack = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(x_request_id.clone(), MakeRequestUuid))
        .layer(PropagateRequestIdLayer::new(x_request_id))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                })
                .on_response(|res: &Response, latency: Duration, _span: &tracing::Span| {
                    tracing::info!(status = res.status().as_u16(), latency_ms = latency.as_millis() as u64, "response");
                }),
        )
        .layer(SetResponseHeaderLayer::overriding(header::STRICT_TRANSPORT_SECURITY, move |_: &Response| hsts.clone()))
        .layer(header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(from_fn_with_state(edge, edge::edge))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(DefaultBodyLimit::max(max_body));
    Router::new()
        .merge(api)
        .merge(events::router())
        .merge(ops::router())
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", doc))
        .fallback(web::serve)
        .with_state(state)
        .layer(stack)
}

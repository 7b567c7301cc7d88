//! Liveness, readiness and Prometheus metrics (outside `/api/v1`).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use sha2::{Digest, Sha256};

use super::error::ApiError;
use crate::app::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz)).route("/metrics", get(metrics_text))
}

async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn readyz(State(app): State<AppState>) -> Response {
    match app.store.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ready", "database": "ok" })).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" })),
            )
                .into_response()
        }
    }
}

/// The process-wide metrics recorder (installed once, shared by every app in the process).
pub(crate) fn prometheus() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was already installed");
        }
        // Latencies pile up in the recorder until drained; a server nobody scrapes would grow
        // without bound, so they are drained every few seconds whatever the scrapes do.
        let upkeep = handle.clone();
        let spawned = std::thread::Builder::new().name("metrics-upkeep".into()).spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(5));
                upkeep.run_upkeep();
            }
        });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "could not start the metrics upkeep thread");
        }
        handle
    })
}

/// The metrics, for a scraper with the configured token or, without one, on this machine.
async fn metrics_text(State(app): State<AppState>, req: Request) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let bearer = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let token = app.config.server.metrics_token.as_ref().map(secrecy::ExposeSecret::expose_secret);
    match metrics_access(token, bearer, peer) {
        Ok(()) => {
            ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], prometheus().render()).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// Whether a request may read the metrics: with a configured token, the one that sends it;
/// without, a client on the loopback interface.
fn metrics_access(token: Option<&str>, bearer: Option<&str>, peer: Option<SocketAddr>) -> Result<(), ApiError> {
    match token {
        // Compared as digests: the time taken says nothing about how much of the token matched.
        Some(token) => {
            if bearer.is_some_and(|b| Sha256::digest(b.as_bytes()) == Sha256::digest(token.as_bytes())) {
                Ok(())
            } else {
                Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid_token", "The metrics token is missing or wrong")
                    .detail("send Authorization: Bearer <server.metrics_token>"))
            }
        }
        None if peer.is_some_and(|p| p.ip().is_loopback()) => Ok(()),
        None => Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "The metrics are for this machine only")
            .detail("set server.metrics_token to let a scraper elsewhere read them")),
    }
}

/// Counts requests and their latency by route template and status.
pub(crate) async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let res = next.run(req).await;
    let labels = [("method", method), ("route", route), ("status", res.status().as_u16().to_string())];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(start.elapsed().as_secs_f64());
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(ip: [u8; 4]) -> Option<SocketAddr> {
        Some(SocketAddr::from((ip, 40_000)))
    }

    #[test]
    fn without_a_token_only_this_machine_reads_the_metrics() {
        assert!(metrics_access(None, None, peer([127, 0, 0, 1])).is_ok());
        assert!(metrics_access(None, None, Some("[::1]:9000".parse().unwrap())).is_ok());
        assert!(metrics_access(None, None, peer([10, 0, 0, 7])).is_err());
        assert!(metrics_access(None, Some("anything"), peer([10, 0, 0, 7])).is_err());
        assert!(metrics_access(None, None, None).is_err(), "no known peer is not this machine");
    }

    #[test]
    fn with_a_token_only_its_bearer_reads_the_metrics() {
        let token = Some("scraper-token-0123456789");
        assert!(metrics_access(token, Some("scraper-token-0123456789"), peer([10, 0, 0, 7])).is_ok());
        assert!(metrics_access(token, Some("scraper-token-012345678"), peer([10, 0, 0, 7])).is_err());
        assert!(metrics_access(token, None, peer([127, 0, 0, 1])).is_err(), "loopback needs it too");
    }
}

//! Liveness, readiness and Prometheus metrics (outside `/api/v1`).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use sha2::{Digest, Sha256};

use super::client_addr::{ClientAddr, is_forwarded};
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
    let on_this_machine = is_on_this_machine(req.extensions().get::<ClientAddr>(), req.headers());
    let bearer = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let token = app.config.server.metrics_token.as_ref().map(secrecy::ExposeSecret::expose_secret);
    match metrics_access(token, bearer, on_this_machine) {
        Ok(()) => {
            ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], prometheus().render()).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// Whether a request surely comes from a client on this machine: straight from a loopback
/// peer. Behind a reverse proxy on the same machine every request comes from loopback, so a
/// request through a trusted proxy, or carrying a proxy's forwarding headers, is not.
fn is_on_this_machine(client: Option<&ClientAddr>, headers: &axum::http::HeaderMap) -> bool {
    client.is_some_and(|c| !c.via_proxy && c.ip.is_loopback()) && !is_forwarded(headers)
}

/// Whether a request may read the metrics: with a configured token, the one that sends it;
/// without, a client on this machine.
fn metrics_access(token: Option<&str>, bearer: Option<&str>, on_this_machine: bool) -> Result<(), ApiError> {
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
        None if on_this_machine => Ok(()),
        None => Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "The metrics are for this machine only")
            .detail("set server.metrics_token to let a scraper elsewhere, or behind a proxy, read them")),
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
    use axum::http::{HeaderMap, HeaderValue};

    use super::*;

    fn direct(ip: &str) -> ClientAddr {
        ClientAddr { ip: ip.parse().unwrap(), via_proxy: false }
    }

    #[test]
    fn only_a_loopback_peer_without_a_proxy_is_this_machine() {
        let none = HeaderMap::new();
        assert!(is_on_this_machine(Some(&direct("127.0.0.1")), &none));
        assert!(is_on_this_machine(Some(&direct("::1")), &none));
        assert!(!is_on_this_machine(Some(&direct("10.0.0.7")), &none));
        assert!(!is_on_this_machine(None, &none), "no known peer is not this machine");
    }

    #[test]
    fn a_request_through_a_proxy_is_not_this_machine_even_from_loopback() {
        let via_proxy = ClientAddr { ip: "127.0.0.1".parse().unwrap(), via_proxy: true };
        assert!(!is_on_this_machine(Some(&via_proxy), &HeaderMap::new()), "a trusted proxy on this machine");
        for (name, value) in
            [("x-forwarded-for", "203.0.113.9"), ("forwarded", "for=203.0.113.9"), ("x-real-ip", "203.0.113.9")]
        {
            let mut h = HeaderMap::new();
            h.insert(name, HeaderValue::from_static(value));
            assert!(!is_on_this_machine(Some(&direct("127.0.0.1")), &h), "an untrusted proxy sending {name}");
        }
    }

    #[test]
    fn without_a_token_only_this_machine_reads_the_metrics() {
        assert!(metrics_access(None, None, true).is_ok());
        assert!(metrics_access(None, None, false).is_err());
        assert!(metrics_access(None, Some("anything"), false).is_err());
    }

    #[test]
    fn with_a_token_only_its_bearer_reads_the_metrics() {
        let token = Some("scraper-token-0123456789");
        assert!(metrics_access(token, Some("scraper-token-0123456789"), false).is_ok());
        assert!(metrics_access(token, Some("scraper-token-012345678"), false).is_err());
        assert!(metrics_access(token, None, true).is_err(), "this machine needs it too");
    }
}

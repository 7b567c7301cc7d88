//! Liveness, readiness and Prometheus metrics (outside `/api/v1`).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use metrics::{Counter, Histogram};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use sha2::{Digest, Sha256};

use crate::client_addr::{ClientAddr, is_forwarded};
use crate::error::ApiError;
use crate::state::AppState;

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

/// Counts `/api/` requests and their latency by method, route template (`unmatched` when no
/// route matched) and status. The handles of each combination are kept, so counting a request
/// allocates nothing once its combination has been seen; the combinations are bounded (the
/// router's templates, the standard methods, three-digit statuses).
#[derive(Default)]
pub(crate) struct RequestMetrics {
    by_route: Mutex<HashMap<String, RouteHandles>>,
}

/// A route's handles by method and status.
type RouteHandles = HashMap<(&'static str, u16), (Counter, Histogram)>;

impl RequestMetrics {
    /// Records one answered request.
    pub(crate) fn record(&self, method: &Method, route: Option<&str>, status: StatusCode, took: Duration) {
        let route = route.unwrap_or("unmatched");
        let method = standard_method(method);
        let mut by_route = self.by_route.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let of_route = match by_route.get_mut(route) {
            Some(m) => m,
            None => by_route.entry(route.to_owned()).or_default(),
        };
        let (counter, histogram) = of_route.entry((method, status.as_u16())).or_insert_with(|| {
            let labels =
                [("method", method.to_owned()), ("route", route.to_owned()), ("status", status.as_u16().to_string())];
            (
                metrics::counter!("http_requests_total", &labels),
                metrics::histogram!("http_request_duration_seconds", &labels),
            )
        });
        counter.increment(1);
        histogram.record(took.as_secs_f64());
    }
}

/// The method's name, or `OTHER` for one a client made up (which must not grow the labels).
fn standard_method(m: &Method) -> &'static str {
    [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::HEAD,
        Method::OPTIONS,
        Method::CONNECT,
        Method::TRACE,
    ]
    .into_iter()
    .zip(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"])
    .find_map(|(known, name)| (known == m).then_some(name))
    .unwrap_or("OTHER")
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

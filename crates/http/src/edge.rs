//! The per-request work at the edge of the application, in one layer so that a request pays
//! for one boxed middleware rather than five (measured on the read path; `docs/BENCHMARKS.md`):
//!
//! 1. the client address ([`ClientAddr`], `client_addr.rs`) into the request's extensions;
//! 2. on `/api/`, the rate limit (`rate_limit.rs`): an anonymous request counted and perhaps
//!    refused before it goes on, the limit's headers on the answer;
//! 3. the request's time limit (`timeouts.rs`), 408 past it;
//! 4. on `/api/`, the request counted in the metrics by method, route template and status,
//!    with its latency (`ops.rs`);
//! 5. on `/api/`, `Cache-Control: no-store` unless the handler chose its own caching: API
//!    answers are private to the caller and current only now. Tokens answer `no-store`
//!    themselves, and attachment downloads `private, max-age=300`: their bytes never change
//!    under an id, and a photo list scrolled twice over a satellite link should not fetch them
//!    twice, while `private` keeps them out of shared caches.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::client_addr::{self, TrustedProxies};
use crate::ops::RequestMetrics;
use crate::rate_limit;
use crate::state::AppState;
use crate::timeouts::{self, RequestDeadlines};

/// What the edge layer needs, built once.
pub(crate) struct Edge {
    app: AppState,
    trusted: TrustedProxies,
    deadlines: RequestDeadlines,
    metrics: RequestMetrics,
}

impl Edge {
    /// The edge of `app`, as configured in its `[server]`.
    pub(crate) fn of(app: AppState) -> Arc<Self> {
        let trusted = app.config.server.trusted_proxies.clone().into();
        let deadlines = RequestDeadlines::of(&app.config.server);
        Arc::new(Self { app, trusted, deadlines, metrics: RequestMetrics::default() })
    }
}

/// The layer's work, in the order above.
pub(crate) async fn edge(State(edge): State<Arc<Edge>>, mut req: Request, next: Next) -> Response {
    let client = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| client_addr::client_of(peer.ip(), req.headers(), &edge.trusted));
    if let Some(client) = client {
        req.extensions_mut().insert(client);
    }
    let address = client.map(|c| c.ip);
    let start = Instant::now();
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let route = route.as_ref().map(MatchedPath::as_str);
    if !req.uri().path().starts_with("/api/") {
        return timeouts::within(edge.deadlines.for_route(&method, route), route, next.run(req)).await;
    }
    let mut res = match rate_limit::admit(&edge.app, &mut req, address) {
        Ok(slot) => {
            let limit = edge.deadlines.for_route(&method, route);
            let res = timeouts::within(limit, route, next.run(req)).await;
            rate_limit::answered(&edge.app, &slot, address, res)
        }
        Err(refused) => rate_limit::refusal(refused),
    };
    edge.metrics.record(&method, route, res.status(), start.elapsed());
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

//! Rate-limit headers on every `/api/` answer, and the limit of requests without credentials
//! (`service/rate_limits.rs` says what the limits are).
//!
//! A request with a bearer token is counted by the caller's extractor once it knows who the
//! caller is (their bucket and their company's); it leaves its decision in the request's
//! [`RateSlot`]. A request without one is counted here, against its client address, before it
//! goes on; one whose credentials fail is counted against its address afterwards.

use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::client_addr::ClientAddr;
use super::extract::bearer;
use crate::app::AppState;
use crate::service::rate_limits::Decision;

/// Where the caller's extractor leaves its decision for the answer's headers.
#[derive(Clone, Default)]
pub struct RateSlot(Arc<Mutex<Option<Decision>>>);

impl RateSlot {
    /// Keeps the decision for the answer.
    pub fn set(&self, d: Decision) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(d);
    }

    fn take(&self) -> Option<Decision> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }
}

/// Counts `/api/` requests and puts the limit's headers on their answers.
pub async fn limit(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let address = req.extensions().get::<ClientAddr>().map(|c| c.ip.to_string());
    let slot = RateSlot::default();
    req.extensions_mut().insert(slot.clone());
    if bearer(req.headers()).is_none() {
        let d = app.limits.for_address(address.as_deref());
        if !d.allowed {
            let refused = crate::service::Error::RateLimited { retry_after: d.reset_secs };
            return with_headers(super::error::ApiError::from(refused).into_response(), d);
        }
        slot.set(d);
    }
    let res = next.run(req).await;
    let d = slot.take().unwrap_or_else(|| app.limits.for_address(address.as_deref()));
    with_headers(res, d)
}

fn with_headers(mut res: Response, d: Decision) -> Response {
    let h = res.headers_mut();
    for (name, value) in
        [("x-ratelimit-limit", d.limit), ("x-ratelimit-remaining", d.remaining), ("x-ratelimit-reset", d.reset_secs)]
    {
        if let Ok(v) = HeaderValue::from_str(&value.to_string()) {
            h.insert(name, v);
        }
    }
    res
}

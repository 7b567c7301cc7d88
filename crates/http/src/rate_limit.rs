//! Rate-limit headers on every `/api/` answer, and the limit of requests without credentials
//! (`bosun_app::accounts::rate_limits` says what the limits are).
//!
//! A request with a bearer token is counted by the caller's extractor once it knows who the
//! caller is (their bucket and their company's); it leaves its decision in the request's
//! [`RateSlot`]. A request without one is counted here, against its client address, before it
//! goes on; one whose credentials fail is counted against its address afterwards.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::extract::bearer;
use crate::state::AppState;
use bosun_app::accounts::rate_limits::Decision;

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

/// Counts an `/api/` request on its way in: one without credentials against its address,
/// refused when that bucket is full (the decision, for [`refusal`]). Leaves a [`RateSlot`] in the
/// request for the caller's extractor to fill.
pub(crate) fn admit(app: &AppState, req: &mut Request, address: Option<IpAddr>) -> Result<RateSlot, Decision> {
    let slot = RateSlot::default();
    req.extensions_mut().insert(slot.clone());
    if bearer(req.headers()).is_none() {
        let d = app.limits.for_address(address);
        if !d.allowed {
            return Err(d);
        }
        slot.set(d);
    }
    Ok(slot)
}

/// The 429 of a request [`admit`] refused.
pub(crate) fn refusal(d: Decision) -> Response {
    let refused = bosun_app::Error::RateLimited { retry_after: d.reset_secs };
    with_headers(crate::error::ApiError::from(refused).into_response(), d)
}

/// Puts the limit's headers on the answer; a request whose credentials failed (nobody filled
/// its slot) is counted against its address now.
pub(crate) fn answered(app: &AppState, slot: &RateSlot, address: Option<IpAddr>, res: Response) -> Response {
    let d = slot.take().unwrap_or_else(|| app.limits.for_address(address));
    with_headers(res, d)
}

fn with_headers(mut res: Response, d: Decision) -> Response {
    let h = res.headers_mut();
    h.insert(LIMIT, HeaderValue::from(d.limit));
    h.insert(REMAINING, HeaderValue::from(d.remaining));
    h.insert(RESET, HeaderValue::from(d.reset_secs));
    res
}

const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

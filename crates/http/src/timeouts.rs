//! How long a request may take, from its head being read to its answer: `server.request_timeout_secs`
//! for every route, `server.upload_timeout_secs` for the two that take megabytes
//! ([`UPLOAD_ROUTES`]). The time covers reading the body, so a body trickled a byte at a time
//! holds its connection and its buffer no longer than that. A request out of time answers
//! 408 `request_timeout` and its connection is closed (its unread body is never read).
//!
//! Answers that stream after their head (downloads, the events WebSocket once upgraded) are
//! not timed here: the limit ends when the handler has its answer.

use std::time::Duration;

use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::config::ServerConfig;
use crate::error::ApiError;

/// The routes (method POST, by template) that take uploads and get the longer limit.
pub const UPLOAD_ROUTES: [&str; 2] = ["/api/v1/attachments", "/api/v1/vessels/{id}/equipment/import"];

/// The time limits of requests.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestDeadlines {
    ordinary: Duration,
    upload: Duration,
}

impl RequestDeadlines {
    /// The limits configured in `[server]`.
    pub(crate) fn of(config: &ServerConfig) -> Self {
        Self {
            ordinary: Duration::from_secs(config.request_timeout_secs),
            upload: Duration::from_secs(config.upload_timeout_secs),
        }
    }

    /// The limit for a request to `route` (its template; `None` when no route matched).
    pub(crate) fn for_route(&self, method: &Method, route: Option<&str>) -> Duration {
        match route {
            Some(r) if method == Method::POST && UPLOAD_ROUTES.contains(&r) => self.upload,
            _ => self.ordinary,
        }
    }
}

/// Runs `answer` within the request's limit; out of time, answers 408 `request_timeout`.
pub(crate) async fn within<F>(limit: Duration, route: Option<&str>, answer: F) -> Response
where
    F: Future<Output = Response>,
{
    match tokio::time::timeout(limit, answer).await {
        Ok(res) => res,
        Err(_) => {
            let route = route.unwrap_or("unmatched").to_owned();
            tracing::warn!(route = %route, limit_secs = limit.as_secs(), "request timed out");
            metrics::counter!("http_request_timeouts_total", "route" => route).increment(1);
            let mut res = ApiError::new(StatusCode::REQUEST_TIMEOUT, "request_timeout", "The request took too long")
                .detail(format!("a request must be sent and answered within {} s", limit.as_secs()))
                .into_response();
            // The body may still be arriving: the connection cannot carry another request.
            res.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
            res
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_two_upload_routes_get_the_upload_limit() {
        let d = RequestDeadlines { ordinary: Duration::from_secs(30), upload: Duration::from_secs(900) };
        assert_eq!(d.for_route(&Method::POST, Some("/api/v1/attachments")), d.upload);
        assert_eq!(d.for_route(&Method::POST, Some("/api/v1/vessels/{id}/equipment/import")), d.upload);
        assert_eq!(d.for_route(&Method::GET, Some("/api/v1/attachments")), d.ordinary, "listing is no upload");
        assert_eq!(d.for_route(&Method::POST, Some("/api/v1/vessels")), d.ordinary);
        assert_eq!(d.for_route(&Method::POST, Some("/api/v1/vessels/{id}/equipment")), d.ordinary);
        assert_eq!(d.for_route(&Method::POST, None), d.ordinary);
    }
}

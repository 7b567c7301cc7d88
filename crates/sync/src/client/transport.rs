//! The one thing the engine needs from the network: send a push or a pull and get its answer.

use async_trait::async_trait;

use crate::protocol::{PullRequest, PullResponse, PushRequest, PushResponse};

/// Carries push and pull bodies to the server (HTTP in the app, the router in a simulation).
#[async_trait]
pub trait Transport: Send + Sync {
    /// Sends a push and returns the server's answer.
    async fn push(&self, request: PushRequest) -> Result<PushResponse, TransportError>;

    /// Sends a pull and returns the server's answer.
    async fn pull(&self, request: PullRequest) -> Result<PullResponse, TransportError>;
}

/// Why a request got no usable answer, sorted by what the engine does next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No answer: no connection, a reset, a timeout, a body cut short or unreadable. The
    /// request may or may not have been applied; it is safe to repeat after a backoff.
    #[error("the link failed: {detail}")]
    Link {
        /// What the transport saw.
        detail: String,
    },
    /// The server cannot use the pull's cookie (`422` with field code `invalid_cookie`): pull
    /// again from the start.
    #[error("the server refused the pull's cookie")]
    InvalidCookie,
    /// The credential is missing, expired or revoked (`401`): nothing syncs until the person
    /// signs in again; the outbox is kept.
    #[error("the server asks for a new sign-in")]
    Unauthorized,
    /// Any other refusal, as a problem document's status and code (`409 client_mismatch`,
    /// `429 rate_limited`, `503 unavailable`, ...).
    #[error("the server refused the request: {status} {code}")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// The problem document's `code`.
        code: String,
    },
}

impl TransportError {
    /// The error of a refusal answered with `status` and the problem document `problem`
    /// (`application/problem+json`).
    pub fn from_problem(status: u16, problem: &serde_json::Value) -> Self {
        let invalid_cookie = problem["errors"]
            .as_array()
            .is_some_and(|errors| errors.iter().any(|e| e["code"] == crate::protocol::INVALID_COOKIE));
        match status {
            401 => Self::Unauthorized,
            422 if invalid_cookie => Self::InvalidCookie,
            _ => Self::Refused { status, code: problem["code"].as_str().unwrap_or_default().to_owned() },
        }
    }
}

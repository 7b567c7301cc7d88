//! Sync over the events socket (`docs/SYNC.md`, "Over the events socket"): a client that
//! holds `GET /api/v1/events` open may send its pushes and pulls on it instead of as HTTP
//! requests, so that a poll over a satellite link costs its body and a few bytes of framing,
//! not a bearer token and two sets of HTTP headers.
//!
//! - A request is one message `{"id": n, "pull": {...}}` or `{"id": n, "push": {...}}`, the
//!   body exactly as `POST /api/v1/sync/pull` or `/push` takes it, except that `client_id` and
//!   `schema_version` may be left out once an earlier request on the same socket gave them.
//! - The answer is `{"kind": "sync.pulled", "id": n, "pull": {...}}` (or `sync.pushed` with
//!   `push`), or `{"kind": "sync.refused", "id": n, "problem": {...}, "retry_after": s}` with
//!   the problem document the HTTP route would have answered. A message the server cannot read
//!   as a request is refused with `"id": null`.
//! - A text frame carries JSON; a binary frame one whole zstd frame of it. A socket opened with
//!   `?zstd=true` has each answer sent as a binary zstd frame when that is smaller than the
//!   JSON (a page of a first sync is); other sockets get text.
//! - Each request is authenticated again with the socket's token (session, role and
//!   disablement as they are now), counted against the caller's rate limit, and handled by the
//!   same use cases as the HTTP routes; requests on one socket are handled one at a time.

use axum::Json;
use axum::extract::ws::Message;
use axum::http::StatusCode;
use bosun_app::RequestMeta;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{ApiError, Problem};
use crate::state::AppState;
use crate::sync::{PullBody, PulledView, PushBody, PushedView, unzstd};

/// A sync request on the socket.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    /// The client's number for it, echoed in the answer.
    id: u64,
    pull: Option<Value>,
    push: Option<Value>,
}

/// An answer on the socket.
#[derive(Debug, Serialize)]
struct Answer<'a> {
    kind: &'static str,
    id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pull: Option<PulledView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    push: Option<PushedView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<&'a Problem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after: Option<i64>,
}

impl Answer<'_> {
    fn new(kind: &'static str, id: Option<u64>) -> Self {
        Self { kind, id, pull: None, push: None, problem: None, retry_after: None }
    }
}

/// What one socket remembers between its sync requests.
#[derive(Debug, Default)]
pub(crate) struct SocketSync {
    client_id: Option<Value>,
    schema_version: Option<Value>,
    zstd: bool,
}

impl SocketSync {
    /// For a socket opened with `?zstd=true` when `zstd`.
    pub(crate) fn new(zstd: bool) -> Self {
        Self { zstd, ..Self::default() }
    }

    /// Fills in what `body` leaves out from what earlier requests gave, and remembers what it
    /// gives.
    fn complete(&mut self, body: &mut Value) {
        let Some(fields) = body.as_object_mut() else { return };
        for (name, kept) in [("client_id", &mut self.client_id), ("schema_version", &mut self.schema_version)] {
            match fields.get(name) {
                Some(given) => *kept = Some(given.clone()),
                None => {
                    if let Some(v) = kept {
                        fields.insert(name.to_owned(), v.clone());
                    }
                }
            }
        }
    }
}

/// Handles one text or binary message from the client; answers the message to send back.
pub(crate) async fn handle(
    app: &AppState,
    token: &str,
    meta: &RequestMeta,
    remembered: &mut SocketSync,
    message: Message,
) -> Option<Message> {
    let plain = match message {
        Message::Text(t) => Ok(t.as_bytes().to_vec()),
        Message::Binary(b) => unzstd(&b, app.config.server.max_body_bytes),
        _ => return None,
    };
    let (id, answer) = match plain {
        Ok(plain) => match serde_json::from_slice::<Request>(&plain) {
            Ok(request) => (Some(request.id), answer(app, token, meta, remembered, request).await),
            Err(e) => (
                None,
                Err(ApiError::new(StatusCode::BAD_REQUEST, "bad_request", "The message is not a sync request")
                    .detail(e.to_string())),
            ),
        },
        Err(e) => (None, Err(e)),
    };
    let json = match &answer {
        Ok(a) => serde_json::to_vec(a),
        Err(e) => {
            let mut refused = Answer::new("sync.refused", id);
            refused.problem = Some(e.problem());
            refused.retry_after = e.retry_after();
            serde_json::to_vec(&refused)
        }
    };
    let json = match json {
        Ok(json) => json,
        Err(e) => {
            tracing::error!(error = %e, "sync answer on the socket");
            return None;
        }
    };
    if remembered.zstd
        && let Ok(packed) = zstd::bulk::compress(&json, 3)
        && packed.len() < json.len()
    {
        return Some(Message::Binary(packed.into()));
    }
    String::from_utf8(json).ok().map(|t| Message::Text(t.into()))
}

async fn answer(
    app: &AppState,
    token: &str,
    meta: &RequestMeta,
    remembered: &mut SocketSync,
    request: Request,
) -> Result<Answer<'static>, ApiError> {
    let (op, mut body) = match (request.pull, request.push) {
        (Some(body), None) => ("pull", body),
        (None, Some(body)) => ("push", body),
        _ => return Err(ApiError::invalid("pull", "one_of", "send exactly one of pull and push")),
    };
    if !body.is_object() {
        return Err(ApiError::invalid(op, "invalid_type", "must be a JSON object"));
    }
    // The checks an HTTP request passes, with the token the socket was opened with.
    let (actor, _, terms) = app.auth.authenticate_until(token, meta.clone()).await?;
    if actor.mfa_pending {
        return Err(bosun_app::Error::MfaEnrollmentRequired.into());
    }
    let decision = app.limits.for_actor(&actor, &terms);
    if !decision.allowed {
        return Err(bosun_app::Error::RateLimited { retry_after: decision.reset_secs }.into());
    }
    metrics::counter!("bosun_socket_sync_requests_total", "op" => op).increment(1);
    remembered.complete(&mut body);
    // Read exactly as the HTTP route reads its body.
    let bytes = serde_json::to_vec(&body).map_err(|e| bosun_app::Error::Internal(e.to_string()))?;
    let mut answer = Answer::new("", Some(request.id));
    if op == "pull" {
        let Json(body) = Json::<PullBody>::from_bytes(&bytes)?;
        answer.kind = "sync.pulled";
        answer.pull = Some(app.sync_pull(&actor, body.into()).await?.into());
    } else {
        let Json(body) = Json::<PushBody>::from_bytes(&bytes)?;
        answer.kind = "sync.pushed";
        answer.push = Some(app.sync_push(&actor, body.into()).await?.into());
    }
    Ok(answer)
}

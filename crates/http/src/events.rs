//! `GET /api/v1/events`: the live-event WebSocket. Not in the OpenAPI document (OpenAPI does
//! not describe WebSockets); `docs/PERMISSIONS.md` lists it separately.
//!
//! - Authentication: the access token, as `?access_token=` (browsers cannot set headers on a
//!   WebSocket) or as `Authorization: Bearer`. `?zstd=true` has sync answers compressed. A bad token answers 401 before the upgrade. The
//!   request log records the path only, never the query, so the token is not logged.
//! - Messages: text frames, one JSON object per event: `{kind, vessel_id, scope, entity_id,
//!   summary, at}`, only of the caller's company and of vessels they may see. `scope` names the
//!   sync scope with news; every write that changes a scope and publishes nothing else sends
//!   `{kind: "sync.changed", scope}` (`company:{id}` has `vessel_id: null` and reaches everyone
//!   in the company). When the server falls behind, `{kind: "resync", ...}` tells the client
//!   to re-read.
//! - Client messages: sync pushes and pulls (`crate::sync_socket`, `docs/SYNC.md` "Over the
//!   events socket"), answered on the socket in order; other messages are ignored. A message
//!   over the server's body limit (`server.max_body_bytes`) ends the connection.
//! - Connections are capped per person and per company (`[live]` in the configuration): past
//!   either, 429 `too_many_connections` before the upgrade. A connection's place is given back
//!   when it ends, however it ends.
//! - Keep-alive: a ping every [`PING_EVERY`]; a client silent for three of them is dropped.
//! - The session, role and vessel memberships are re-read every [`RECHECK_EVERY`], and before
//!   forwarding events of the caller's company when the last reading is older than
//!   [`bosun_app::live::TRUST_FOR`] (another company's events cost no read); the connection closes
//!   (1008, policy) when the session was revoked, the person disabled, or the access token
//!   expired. Clients reconnect with a fresh token.

use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade, close_code};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::{ApiQuery, bearer};
use crate::state::AppState;
use bosun_app::live::{Audience, ConnectionSlot, RECHECK_EVERY};
use bosun_app::realtime::LiveEvent;
use bosun_app::{Error, RequestMeta};

/// How often the server pings.
pub const PING_EVERY: Duration = Duration::from_secs(20);

/// The most events forwarded between two checks of the session.
const BATCH: usize = 256;

pub(crate) fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/api/v1/events", get(events))
}

/// The token, when given in the query.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsQuery {
    access_token: Option<String>,
    /// Sync answers as zstd frames where that is smaller (`crate::sync_socket`).
    zstd: Option<bool>,
}

/// One message to the client.
#[derive(Debug, Serialize)]
pub struct EventMessage<'a> {
    /// `fault.reported`, `attachment.added`, ..., or `resync`.
    pub kind: &'a str,
    /// The vessel.
    pub vessel_id: Option<Uuid>,
    /// The sync scope with news (`vessel:{id}`, or `company:{id}` for the company's people and
    /// settings): a poke to pull it (`docs/SYNC.md`); nothing depends on its delivery.
    pub scope: Option<String>,
    /// The record that changed.
    pub entity_id: Option<Uuid>,
    /// A small summary.
    pub summary: &'a serde_json::Value,
    /// When.
    pub at: DateTime<Utc>,
}

impl<'a> From<&'a LiveEvent> for EventMessage<'a> {
    fn from(e: &'a LiveEvent) -> Self {
        Self {
            kind: &e.kind,
            vessel_id: e.vessel_id.map(|v| v.0),
            scope: Some(match e.vessel_id {
                Some(v) => format!("vessel:{v}"),
                None => format!("company:{}", e.company_id),
            }),
            entity_id: Some(e.entity_id),
            summary: &e.summary,
            at: e.at,
        }
    }
}

async fn events(
    State(app): State<AppState>,
    meta: RequestMeta,
    ApiQuery(q): ApiQuery<EventsQuery>,
    headers: HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let token = bearer(&headers).map(str::to_owned).or(q.access_token).ok_or(Error::Unauthorized {
        code: "invalid_token",
        message: "The access token is missing, invalid or expired",
    })?;
    let (actor, expires, _) = app.auth.authenticate_until(&token, meta.clone()).await?;
    if actor.mfa_pending {
        return Err(Error::MfaEnrollmentRequired.into());
    }
    let audience = app.live.open(actor).await?;
    let ws =
        ws.map_err(|_| ApiError::new(StatusCode::UPGRADE_REQUIRED, "websocket_required", "Connect with a WebSocket"))?;
    // Taken before answering and moved into the connection: given back when it ends, or here
    // if the upgrade never completes.
    let slot = app.live.admit(&audience.actor)?;
    // Subscribe before answering, so nothing published after the upgrade is missed.
    let events = app.live.subscribe();
    // The largest message is a sync request's largest body: a larger one ends the connection
    // instead of being buffered (the default allows 64 MiB).
    let limit = app.config.server.max_body_bytes;
    let caller = Caller { token, meta, expires, zstd: q.zstd.unwrap_or(false) };
    Ok(ws
        .max_message_size(limit)
        .max_frame_size(limit)
        .on_upgrade(move |socket| feed(app, socket, audience, events, caller, slot)))
}

/// Who opened the socket, for its sync requests.
struct Caller {
    token: String,
    meta: RequestMeta,
    expires: DateTime<Utc>,
    zstd: bool,
}

fn close(reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame { code: close_code::POLICY, reason: Utf8Bytes::from_static(reason) }))
}

fn text(message: &EventMessage<'_>) -> Option<Message> {
    serde_json::to_string(message).ok().map(|t| Message::Text(t.into()))
}

/// Forwards events to one client until either side ends it.
async fn feed(
    app: AppState,
    mut socket: WebSocket,
    mut audience: Audience,
    mut events: tokio::sync::broadcast::Receiver<LiveEvent>,
    caller: Caller,
    slot: ConnectionSlot,
) {
    let until_expiry = (caller.expires - app.now()).to_std().unwrap_or_default();
    let mut sync = crate::sync_socket::SocketSync::new(caller.zstd);
    let expiry = tokio::time::sleep(until_expiry);
    tokio::pin!(expiry);
    let mut recheck = tokio::time::interval(RECHECK_EVERY);
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut last_heard = tokio::time::Instant::now();
    recheck.reset();
    ping.reset();

    let ending: Option<&'static str> = loop {
        tokio::select! {
            received = events.recv() => {
                let mut batch = match received {
                    Ok(e) => vec![e],
                    Err(RecvError::Lagged(missed)) => {
                        let summary = serde_json::json!({ "missed": missed });
                        let resync =
                            EventMessage {
                                kind: "resync",
                                vessel_id: None,
                                scope: None,
                                entity_id: None,
                                summary: &summary,
                                at: app.now(),
                            };
                        let Some(m) = text(&resync) else { break None };
                        if socket.send(m).await.is_err() {
                            break None;
                        }
                        continue;
                    }
                    Err(RecvError::Closed) => break Some("the server is shutting down"),
                };
                while batch.len() < BATCH {
                    match events.try_recv() {
                        Ok(e) => batch.push(e),
                        Err(_) => break,
                    }
                }
                if app.live.recheck_before_forwarding(&mut audience, &batch).await.is_err() {
                    break Some("the session has ended");
                }
                let mut sent = true;
                for event in batch.iter().filter(|e| audience.may_see(e)) {
                    if let Some(m) = text(&event.into()) {
                        sent = socket.send(m).await.is_ok();
                        if !sent {
                            break;
                        }
                    }
                }
                if !sent {
                    break None;
                }
            }
            _ = recheck.tick() => {
                if app.live.refresh(&mut audience).await.is_err() {
                    break Some("the session has ended");
                }
            }
            _ = ping.tick() => {
                if last_heard.elapsed() > PING_EVERY * 3 || socket.send(Message::Ping(Default::default())).await.is_err() {
                    break None;
                }
            }
            () = &mut expiry => break Some("the access token has expired"),
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break None,
                Some(Ok(message)) => {
                    last_heard = tokio::time::Instant::now();
                    let answer =
                        crate::sync_socket::handle(&app, &caller.token, &caller.meta, &mut sync, message).await;
                    if let Some(answer) = answer
                        && socket.send(answer).await.is_err()
                    {
                        break None;
                    }
                }
            },
        }
    };
    if let Some(reason) = ending {
        let _ = socket.send(close(reason)).await;
    }
    // The place goes back before the connection closes, so a client that saw it close may
    // connect again at once.
    drop(slot);
    drop(socket);
}

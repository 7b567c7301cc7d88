//! A [`Transport`] over the server's events socket (`docs/SYNC.md`, "Over the events socket"):
//! one WebSocket carries the server's pokes and the client's pushes and pulls, so a poll costs
//! its body and a few bytes of framing instead of a bearer token and HTTP headers each time.
//!
//! The socket is opened on the first request and again after any failure; a request whose
//! answer does not arrive is a [`TransportError::Link`], safe to repeat like any other. Each
//! request carries a number and its answer echoes it, so an answer left over from a request
//! given up on is never taken for another's. `client_id` and `schema_version` are sent on a
//! socket's first request and left out after, as long as they stay the same.
//!
//! Pokes that arrive while a request waits for its answer are kept, by scope, for
//! [`SocketTransport::take_pokes`].

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use futures_util::{SinkExt, StreamExt};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use super::transport::{Transport, TransportError};
use crate::protocol::{PullRequest, PullResponse, PushRequest, PushResponse};

/// A byte stream a socket runs on (a TCP connection, or one wrapped to count its bytes).
pub trait SocketStream: AsyncRead + AsyncWrite + Unpin + Send {}

impl<S: AsyncRead + AsyncWrite + Unpin + Send> SocketStream for S {}

/// Opens the byte stream to `host:port`.
pub type Dial =
    Box<dyn Fn(String) -> Pin<Box<dyn Future<Output = std::io::Result<Box<dyn SocketStream>>> + Send>> + Send + Sync>;

/// An open socket and what its first request told the server.
struct Conn {
    ws: WebSocketStream<Box<dyn SocketStream>>,
    client_id: Option<Value>,
    schema_version: Option<Value>,
}

/// Pushes and pulls over `GET /api/v1/events`.
pub struct SocketTransport {
    url: String,
    token: Mutex<String>,
    compress: bool,
    dial: Dial,
    conn: tokio::sync::Mutex<Option<Conn>>,
    next_id: AtomicU64,
    pokes: Mutex<BTreeSet<String>>,
    answer_within: Duration,
}

/// How long a request waits for its answer by default: a whole page at the slowest link
/// Bosun is made for (256 KB at 8 KB/s) with room to spare.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(120);

fn link(e: &dyn std::fmt::Display) -> TransportError {
    TransportError::Link { detail: e.to_string() }
}

impl SocketTransport {
    /// A transport to the events socket at `url` (`ws://host:port/api/v1/events`) with the
    /// access token or API key `token`, over TCP. With `compress`, messages go as zstd frames
    /// both ways wherever that makes them smaller.
    pub fn new(url: impl Into<String>, token: impl Into<String>, compress: bool) -> Self {
        let dial: Dial = Box::new(|address| {
            Box::pin(async move {
                let tcp = tokio::net::TcpStream::connect(address).await?;
                tcp.set_nodelay(true)?;
                Ok(Box::new(tcp) as Box<dyn SocketStream>)
            })
        });
        Self::with_dial(url, token, compress, dial)
    }

    /// Like [`SocketTransport::new`], opening its byte stream with `dial`.
    pub fn with_dial(url: impl Into<String>, token: impl Into<String>, compress: bool, dial: Dial) -> Self {
        Self {
            url: url.into(),
            token: Mutex::new(token.into()),
            compress,
            dial,
            conn: tokio::sync::Mutex::new(None),
            next_id: AtomicU64::new(1),
            pokes: Mutex::new(BTreeSet::new()),
            answer_within: ANSWER_WITHIN,
        }
    }

    /// Waits `within` for each answer (a [`TransportError::Link`] after).
    pub fn answer_within(mut self, within: Duration) -> Self {
        self.answer_within = within;
        self
    }

    /// Uses `token` from the next socket on (after a refresh; the open one ends when the old
    /// token expires).
    pub fn set_token(&self, token: impl Into<String>) {
        *self.token.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = token.into();
    }

    /// The scopes poked since the last call.
    pub fn take_pokes(&self) -> BTreeSet<String> {
        std::mem::take(&mut *self.pokes.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Closes the socket; the next request opens another.
    pub async fn disconnect(&self) {
        if let Some(mut conn) = self.conn.lock().await.take() {
            let _ = conn.ws.close(None).await;
        }
    }

    async fn open(&self) -> Result<Conn, TransportError> {
        let token = self.token.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let url = if self.compress {
            format!("{}{}zstd=true", self.url, if self.url.contains('?') { '&' } else { '?' })
        } else {
            self.url.clone()
        };
        let mut request = url.into_client_request().map_err(|e| link(&e))?;
        let bearer = format!("Bearer {token}").parse().map_err(|e| link(&e))?;
        request.headers_mut().insert("authorization", bearer);
        let uri = request.uri();
        let host = uri.host().ok_or_else(|| link(&"the socket's address names no host"))?;
        let address = format!("{host}:{}", uri.port_u16().unwrap_or(80));
        let stream = (self.dial)(address).await.map_err(|e| link(&e))?;
        match tokio_tungstenite::client_async(request, stream).await {
            Ok((ws, _)) => Ok(Conn { ws, client_id: None, schema_version: None }),
            Err(tokio_tungstenite::tungstenite::Error::Http(res)) => {
                let problem = res.body().as_deref().and_then(|b| serde_json::from_slice(b).ok()).unwrap_or(Value::Null);
                Err(TransportError::from_problem(res.status().as_u16(), &problem))
            }
            Err(e) => Err(link(&e)),
        }
    }

    async fn call<Req: Serialize, Res: DeserializeOwned>(&self, op: &str, body: &Req) -> Result<Res, TransportError> {
        let mut slot = self.conn.lock().await;
        let mut conn = match slot.take() {
            Some(conn) => conn,
            None => self.open().await?,
        };
        let answer = self.exchange(&mut conn, op, body).await;
        // A socket that failed is not used again; one that answered, even with a refusal, is.
        if !matches!(answer, Err(TransportError::Link { .. })) {
            *slot = Some(conn);
        }
        answer
    }

    async fn exchange<Req: Serialize, Res: DeserializeOwned>(
        &self,
        conn: &mut Conn,
        op: &str,
        body: &Req,
    ) -> Result<Res, TransportError> {
        let mut body = serde_json::to_value(body).map_err(|e| link(&e))?;
        if let Some(fields) = body.as_object_mut() {
            for (name, sent) in [("client_id", &mut conn.client_id), ("schema_version", &mut conn.schema_version)] {
                match fields.get(name) {
                    Some(v) if sent.as_ref() == Some(v) => {
                        fields.remove(name);
                    }
                    Some(v) => *sent = Some(v.clone()),
                    None => {}
                }
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let json = serde_json::to_vec(&json!({ "id": id, op: body })).map_err(|e| link(&e))?;
        let packed = if self.compress { zstd::bulk::compress(&json, 3).ok() } else { None };
        let message = match packed {
            Some(packed) if packed.len() < json.len() => Message::Binary(packed.into()),
            _ => Message::Text(String::from_utf8(json).map_err(|e| link(&e))?.into()),
        };
        conn.ws.send(message).await.map_err(|e| link(&e))?;
        let deadline = tokio::time::Instant::now() + self.answer_within;
        loop {
            let next = tokio::time::timeout_at(deadline, conn.ws.next()).await;
            let text = match next.map_err(|_| link(&"no answer in time"))? {
                Some(Ok(Message::Text(t))) => t.as_bytes().to_vec(),
                Some(Ok(Message::Binary(b))) => zstd::stream::decode_all(&b[..]).map_err(|e| link(&e))?,
                Some(Ok(Message::Close(_))) | None => return Err(link(&"the socket closed")),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(link(&e)),
            };
            let mut message: Value = serde_json::from_slice(&text).map_err(|e| link(&e))?;
            let kind = message["kind"].as_str().unwrap_or_default().to_owned();
            if !kind.starts_with("sync.") || kind == "sync.changed" {
                if let Some(scope) = message["scope"].as_str() {
                    self.pokes.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(scope.to_owned());
                }
                continue;
            }
            // Skipped: the answer to a request given up on. A refusal without a number is the
            // server not reading this request (one at a time per socket).
            if message["id"].as_u64() != Some(id) && !(kind == "sync.refused" && message["id"].is_null()) {
                continue;
            }
            return match kind.as_str() {
                "sync.refused" => {
                    let problem = message["problem"].take();
                    let status = problem["status"].as_u64().and_then(|s| u16::try_from(s).ok()).unwrap_or_default();
                    Err(TransportError::from_problem(status, &problem))
                }
                _ => serde_json::from_value(message[op].take()).map_err(|e| link(&e)),
            };
        }
    }
}

#[async_trait]
impl Transport for SocketTransport {
    async fn push(&self, request: PushRequest) -> Result<PushResponse, TransportError> {
        self.call("push", &request).await
    }

    async fn pull(&self, request: PullRequest) -> Result<PullResponse, TransportError> {
        self.call("pull", &request).await
    }
}

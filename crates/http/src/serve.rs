//! Serving connections: the accept loop `bosun serve` and the API tests' `TestApp` both run,
//! so tests meet the limits production has.
//!
//! - **At most `server.max_connections` at once.** A slot is taken *before* `accept`, so beyond
//!   the cap new connections wait in the kernel's accept queue (their handshake done, their
//!   request unread) until one closes, rather than being accepted and dropped: a burst, such
//!   as a vessel's devices all reconnecting when the link returns, is served late instead of
//!   failed, and a waiting connection costs no task and no buffer of ours. Past the queue's
//!   length (the listener's backlog) the kernel stops completing handshakes and clients retry.
//!   A slot belongs to the socket, so an upgraded WebSocket holds its slot until it closes.
//! - **A request head within `server.header_read_timeout_secs`**, counted from its first byte,
//!   or from connecting for a connection's first request. A client that trickles its head is
//!   disconnected (hyper's own header timer also runs, set to the longest legitimate wait).
//! - **An idle keep-alive connection closes after `server.keep_alive_secs`.** Idle means no
//!   request in hand since the last answer; an answer still being written finishes first.
//! - **HTTP/1.1 only.** TLS ends at a reverse proxy (or there is none, on board), browsers never
//!   speak HTTP/2 without TLS, and a cleartext HTTP/2 connection has no header-read timeout.
//! - **Shutdown**: stop accepting, let idle connections close and requests in hand finish, for
//!   at most `server.request_timeout_secs`; whatever is left then is cut.
//!
//! Each request's own time limit (and the 408 it ends with) is `timeouts.rs`'s.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::response::Response;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tower::ServiceExt;

use crate::config::ServerConfig;
use crate::state::AppState;

/// The limits every connection is served within.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Time to send a whole request head.
    pub header_read: Duration,
    /// Time an idle keep-alive connection is kept.
    pub keep_alive: Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// How long shutdown waits for requests in hand.
    pub drain: Duration,
}

impl ConnectionLimits {
    /// The limits configured in `[server]`.
    pub fn of(config: &ServerConfig) -> Self {
        Self {
            header_read: Duration::from_secs(config.header_read_timeout_secs),
            keep_alive: Duration::from_secs(config.keep_alive_secs),
            max_connections: config.max_connections,
            drain: Duration::from_secs(config.request_timeout_secs),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then drains (see the module text).
pub async fn serve(listener: TcpListener, app: AppState, shutdown: impl Future<Output = ()> + Send) -> io::Result<()> {
    let limits = ConnectionLimits::of(&app.config.server);
    serve_router(listener, crate::router(app), limits, shutdown).await
}

/// Serves `router` on `listener` within `limits` until `shutdown` completes.
pub async fn serve_router(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) if is_connection_error(&e) => continue,
                Err(e) => {
                    // Out of file descriptors or memory: accepting again at once would spin.
                    tracing::error!(error = %e, "cannot accept connections; retrying in a second");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        while connections.try_join_next().is_some() {}
        connections.spawn(serve_connection(stream, peer, slot, router.clone(), limits, stopping.clone()));
    }
    drop(listener);
    let _ = stop.send(true);
    let drained = tokio::time::timeout(limits.drain, async { while connections.join_next().await.is_some() {} });
    if drained.await.is_err() {
        tracing::warn!(open = connections.len(), "closing connections still busy at shutdown");
        connections.shutdown().await;
    }
    Ok(())
}

/// Errors of one connection that leave the listener fine.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    )
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    slot: OwnedSemaphorePermit,
    router: Router,
    limits: ConnectionLimits,
    mut stopping: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let pace = Arc::new(Pace::new(Instant::now()));
    let io = TokioIo::new(Watched { stream, pace: pace.clone(), _slot: slot });
    let requests = Requests { router, peer, pace: pace.clone() };
    let mut http = hyper::server::conn::http1::Builder::new();
    // hyper's own timer runs from the moment it waits for a head, idle time included, so it
    // is set to the longest a well-behaved client can take; ours (below) is the tighter one.
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_read + limits.keep_alive);
    let conn = http.serve_connection(io, requests).with_upgrades();
    tokio::pin!(conn);
    let mut closing = false;
    loop {
        let deadline = pace.deadline(&limits, closing);
        tokio::select! {
            _ = conn.as_mut() => return,
            () = sleep_until(deadline) => match pace.verdict(&limits, Instant::now()) {
                Verdict::HeadTooSlow => {
                    tracing::debug!(%peer, "dropping a connection whose request head is too slow");
                    return;
                }
                Verdict::Idle if !closing => {
                    closing = true;
                    conn.as_mut().graceful_shutdown();
                }
                Verdict::Idle | Verdict::InTime => {}
            },
            () = pace.changed.notified() => {}
            _ = stopping.changed(), if !closing => {
                closing = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Where a connection stands between requests.
#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Waiting for a request head that began (or, on a new connection, could begin) then.
    Head { since: Instant },
    /// Requests in hand, timed by `timeouts.rs`.
    Serving { requests: usize },
    /// Answered everything, nothing new since then.
    Idle { since: Instant },
}

/// What a connection's deadline found.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    HeadTooSlow,
    Idle,
    InTime,
}

/// A connection's phase, moved by its bytes and its requests, read by its task.
struct Pace {
    phase: Mutex<Phase>,
    /// Told when a phase change may bring the deadline forward.
    changed: Notify,
}

impl Pace {
    fn new(connected: Instant) -> Self {
        Self { phase: Mutex::new(Phase::Head { since: connected }), changed: Notify::new() }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Phase) -> T) -> T {
        // A phase is a plain value: a panic elsewhere cannot leave it half-changed.
        f(&mut self.phase.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Bytes arrived: after an idle spell they begin the next request head.
    fn on_bytes(&self, now: Instant) {
        let began = self.with(|p| match *p {
            Phase::Idle { .. } => {
                *p = Phase::Head { since: now };
                true
            }
            _ => false,
        });
        if began {
            self.changed.notify_one();
        }
    }

    /// A request head was read and handed to the router.
    fn on_request(&self) {
        self.with(|p| {
            *p = match *p {
                Phase::Serving { requests } => Phase::Serving { requests: requests + 1 },
                _ => Phase::Serving { requests: 1 },
            }
        });
    }

    /// A request was answered (or abandoned).
    fn on_answer(&self, now: Instant) {
        self.with(|p| {
            *p = match *p {
                Phase::Serving { requests } if requests > 1 => Phase::Serving { requests: requests - 1 },
                _ => Phase::Idle { since: now },
            }
        });
        self.changed.notify_one();
    }

    /// When the connection is next due a look (`None`: not until something changes).
    fn deadline(&self, limits: &ConnectionLimits, closing: bool) -> Option<Instant> {
        self.with(|p| match *p {
            Phase::Head { since } => Some(since + limits.header_read),
            Phase::Idle { since } if !closing => Some(since + limits.keep_alive),
            Phase::Idle { .. } | Phase::Serving { .. } => None,
        })
    }

    fn verdict(&self, limits: &ConnectionLimits, now: Instant) -> Verdict {
        self.with(|p| match *p {
            Phase::Head { since } if now >= since + limits.header_read => Verdict::HeadTooSlow,
            Phase::Idle { since } if now >= since + limits.keep_alive => Verdict::Idle,
            _ => Verdict::InTime,
        })
    }
}

/// The socket, telling its connection's [`Pace`] when bytes arrive, and holding its slot.
struct Watched {
    stream: TcpStream,
    pace: Arc<Pace>,
    _slot: OwnedSemaphorePermit,
}

impl AsyncRead for Watched {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let read = Pin::new(&mut this.stream).poll_read(cx, buf);
        if matches!(read, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.pace.on_bytes(Instant::now());
        }
        read
    }
}

impl AsyncWrite for Watched {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// The router as hyper calls it: each request learns its peer, and its connection's [`Pace`]
/// learns when it is in hand and when answered.
#[derive(Clone)]
struct Requests {
    router: Router,
    peer: SocketAddr,
    pace: Arc<Pace>,
}

/// Marks a request answered when dropped, however its future ends.
struct InHand(Arc<Pace>);

impl Drop for InHand {
    fn drop(&mut self) {
        self.0.on_answer(Instant::now());
    }
}

impl hyper::service::Service<hyper::Request<Incoming>> for Requests {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn call(&self, mut req: hyper::Request<Incoming>) -> Self::Future {
        req.extensions_mut().insert(ConnectInfo(self.peer));
        self.pace.on_request();
        let in_hand = InHand(self.pace.clone());
        let router = self.router.clone();
        Box::pin(async move {
            let res = router.oneshot(req).await;
            drop(in_hand);
            res
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: ConnectionLimits = ConnectionLimits {
        header_read: Duration::from_secs(10),
        keep_alive: Duration::from_secs(60),
        max_connections: 1,
        drain: Duration::from_secs(30),
    };

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn a_new_connection_must_send_its_head_in_time() {
        let t0 = Instant::now();
        let pace = Pace::new(t0);
        assert_eq!(pace.deadline(&LIMITS, false), Some(t0 + secs(10)));
        // Bytes of the head do not buy more time.
        pace.on_bytes(t0 + secs(9));
        assert_eq!(pace.verdict(&LIMITS, t0 + secs(9)), Verdict::InTime);
        assert_eq!(pace.verdict(&LIMITS, t0 + secs(10)), Verdict::HeadTooSlow);
    }

    #[test]
    fn a_request_in_hand_is_not_timed_here() {
        let t0 = Instant::now();
        let pace = Pace::new(t0);
        pace.on_request();
        pace.on_bytes(t0 + secs(5)); // its body
        assert_eq!(pace.deadline(&LIMITS, false), None);
        assert_eq!(pace.verdict(&LIMITS, t0 + secs(500)), Verdict::InTime);
    }

    #[test]
    fn an_idle_connection_gets_the_keep_alive_time_and_its_next_head_the_header_time() {
        let t0 = Instant::now();
        let pace = Pace::new(t0);
        pace.on_request();
        pace.on_answer(t0 + secs(1));
        assert_eq!(pace.deadline(&LIMITS, false), Some(t0 + secs(61)));
        assert_eq!(pace.verdict(&LIMITS, t0 + secs(60)), Verdict::InTime);
        assert_eq!(pace.verdict(&LIMITS, t0 + secs(61)), Verdict::Idle);
        assert_eq!(pace.deadline(&LIMITS, true), None, "once closing, only hyper is waited for");

        // The next head's first byte starts the header clock.
        pace.on_bytes(t0 + secs(30));
        assert_eq!(pace.deadline(&LIMITS, false), Some(t0 + secs(40)));
        assert_eq!(pace.verdict(&LIMITS, t0 + secs(40)), Verdict::HeadTooSlow);
    }
}

//! `--only sync`: the sync protocol's figures (issue 10 §4), measured with the Rust client
//! (`bosun-sync`) against Bosun serving the demo fleet over HTTP on this machine.
//!
//! Bytes are HTTP/1.1 as sent: request line, headers, body, both ways, bodies zstd-compressed
//! (level 3) as the protocol allows; on the events socket, every byte of the TCP stream
//! (WebSocket frames, zstd where it pays); TCP, TLS and the bearer token's length are what they are
//! here (a JWT), nothing else is added. Time on the designed link (64 kbit/s, 800 ms round
//! trip) is modelled, not slept: each request costs one round trip plus its bytes both ways
//! at 8,000 bytes a second, one request at a time as the client sends them. Server and client
//! rates are measured on this machine.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use async_trait::async_trait;
use bosun_http::AppState;
use bosun_sync::client::{
    ClientState, Dial, SocketStream, SocketTransport, SyncConfig, SyncEngine, SyncReport, Transport, TransportError,
};
use bosun_sync::protocol::{Change, Op, PullRequest, PullResponse, PushRequest, PushResponse};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Method;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use uuid::Uuid;

/// The designed link: bytes a second and seconds a round trip.
const LINK_BYTES_PER_SEC: f64 = 8_000.0;
const LINK_RTT_SECS: f64 = 0.8;

/// What crossed the wire.
#[derive(Debug, Clone, Copy, Default)]
struct Wire {
    requests: usize,
    up: usize,
    down: usize,
    /// Of `up`: the request bodies alone, as sent (compressed).
    up_bodies: usize,
    /// Of `down`: the answers' bodies alone, as sent (compressed).
    down_bodies: usize,
    /// Modelled seconds on the designed link.
    link_secs: f64,
    /// Seconds spent waiting for push answers on this machine.
    push_secs: f64,
}

impl Wire {
    fn since(self, before: Self) -> Self {
        Self {
            requests: self.requests - before.requests,
            up: self.up - before.up,
            down: self.down - before.down,
            up_bodies: self.up_bodies - before.up_bodies,
            down_bodies: self.down_bodies - before.down_bodies,
            link_secs: self.link_secs - before.link_secs,
            push_secs: self.push_secs - before.push_secs,
        }
    }

    fn bytes(self) -> usize {
        self.up + self.down
    }
}

/// The client's transport: HTTP/1.1 to Bosun, zstd both ways, every byte counted.
struct Counted {
    addr: SocketAddr,
    token: String,
    wire: Mutex<Wire>,
}

impl Counted {
    fn wire(&self) -> Wire {
        *self.wire.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: &impl serde::Serialize,
    ) -> Result<T, TransportError> {
        let link = |e: &dyn std::fmt::Display| TransportError::Link { detail: e.to_string() };
        let json = serde_json::to_vec(body).map_err(|e| link(&e))?;
        let packed = zstd::bulk::compress(&json, 3).map_err(|e| link(&e))?;
        let headers = [
            ("host", self.addr.to_string()),
            ("authorization", format!("Bearer {}", self.token)),
            ("content-type", "application/json".to_owned()),
            ("content-encoding", "zstd".to_owned()),
            ("accept-encoding", "zstd".to_owned()),
            ("content-length", packed.len().to_string()),
        ];
        let up = format!("POST {path} HTTP/1.1\r\n").len()
            + headers.iter().map(|(k, v)| k.len() + v.len() + 4).sum::<usize>()
            + 2
            + packed.len();
        let packed_len = packed.len();
        let started = Instant::now();
        let stream = tokio::net::TcpStream::connect(self.addr).await.map_err(|e| link(&e))?;
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| link(&e))?;
        tokio::spawn(conn);
        let mut req = hyper::Request::builder().method(Method::POST).uri(path);
        for (k, v) in &headers {
            req = req.header(*k, v);
        }
        let req = req.body(Full::new(Bytes::from(packed))).map_err(|e| link(&e))?;
        let res = sender.send_request(req).await.map_err(|e| link(&e))?;
        let status = res.status();
        let head = "HTTP/1.1 200 OK\r\n".len()
            + res.headers().iter().map(|(k, v)| k.as_str().len() + v.len() + 4).sum::<usize>()
            + 2;
        let zstd = res.headers().get(hyper::header::CONTENT_ENCODING).is_some_and(|v| v == "zstd");
        let body = res.into_body().collect().await.map_err(|e| link(&e))?.to_bytes();
        let elapsed = started.elapsed().as_secs_f64();
        {
            let mut w = self.wire.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            w.requests += 1;
            w.up += up;
            w.down += head + body.len();
            w.up_bodies += packed_len;
            w.down_bodies += body.len();
            #[allow(clippy::cast_precision_loss)]
            let bytes = (up + head + body.len()) as f64;
            w.link_secs += LINK_RTT_SECS + bytes / LINK_BYTES_PER_SEC;
            if path.ends_with("/push") {
                w.push_secs += elapsed;
            }
        }
        let plain = if zstd { zstd::stream::decode_all(&body[..]).map_err(|e| link(&e))? } else { body.to_vec() };
        let value: Value = serde_json::from_slice(&plain).map_err(|e| link(&e))?;
        if !status.is_success() {
            return Err(TransportError::Refused {
                status: status.as_u16(),
                code: value["code"].as_str().unwrap_or_default().to_owned(),
            });
        }
        serde_json::from_value(value).map_err(|e| link(&e))
    }
}

#[async_trait]
impl Transport for Counted {
    async fn push(&self, request: PushRequest) -> Result<PushResponse, TransportError> {
        self.post("/api/v1/sync/push", &request).await
    }

    async fn pull(&self, request: PullRequest) -> Result<PullResponse, TransportError> {
        self.post("/api/v1/sync/pull", &request).await
    }
}

/// Bytes through one socket's TCP stream, both ways.
#[derive(Debug, Default)]
struct Tally {
    up: AtomicUsize,
    down: AtomicUsize,
}

impl Tally {
    fn bytes(&self) -> usize {
        self.up.load(Ordering::Relaxed) + self.down.load(Ordering::Relaxed)
    }
}

/// A TCP stream that counts what crosses it.
struct Tallied {
    tcp: tokio::net::TcpStream,
    tally: Arc<Tally>,
}

impl AsyncRead for Tallied {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.tcp).poll_read(cx, buf);
        self.tally.down.fetch_add(buf.filled().len() - before, Ordering::Relaxed);
        polled
    }
}

impl AsyncWrite for Tallied {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.tcp).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = polled {
            self.tally.up.fetch_add(n, Ordering::Relaxed);
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }
}

/// A new client of the same person syncing over the events socket (zstd where it pays): its
/// first sync, an empty poll and a cycle with one change, counted as bytes on the TCP stream
/// (WebSocket framing included, the socket's opening handshake given apart).
async fn over_the_socket(addr: SocketAddr, token: &str, now_ms: u64) -> anyhow::Result<Vec<Figure>> {
    eprintln!("the same over the events socket…");
    let tally = Arc::new(Tally::default());
    let counted = Arc::clone(&tally);
    let dial: Dial = Box::new(move |address| {
        let tally = Arc::clone(&counted);
        Box::pin(async move {
            let tcp = tokio::net::TcpStream::connect(address).await?;
            tcp.set_nodelay(true)?;
            Ok(Box::new(Tallied { tcp, tally }) as Box<dyn SocketStream>)
        })
    });
    let transport = SocketTransport::with_dial(format!("ws://{addr}/api/v1/events"), token, true, dial);
    let engine = SyncEngine::new(transport, ClientState::new(Uuid::now_v7()), SyncConfig::new(NonZeroU32::MIN));
    let first = engine.sync_once().await.map_err(|_| anyhow!("already syncing"))?;
    checked("first sync on the socket", &first)?;
    let first_bytes = tally.bytes();
    let before = tally.bytes();
    checked("empty poll on the socket", &engine.sync_once().await.map_err(|_| anyhow!("already syncing"))?)?;
    let poll = tally.bytes() - before;

    let fault = engine.read(|s| {
        s.replica().scopes().filter(|s| s.starts_with("vessel:")).find_map(|scope| {
            s.replica().rows_in(scope).find(|(e, _, _)| *e == "fault").map(|(_, id, row)| (id, row.version))
        })
    });
    let (fault, version) = fault.context("the engineer's vessel has no fault")?;
    let before = tally.bytes();
    let args = json!({ "fault_id": fault, "body": "Checked over the socket" });
    engine.enqueue("comment_fault.v1", args, Some(version), now_ms)?;
    let cycle = engine.sync_once().await.map_err(|_| anyhow!("already syncing"))?;
    checked("one change on the socket", &cycle)?;
    let one = tally.bytes() - before;
    let trips = usize::from(cycle.pushed > 0) + cycle.pages;
    Ok(vec![
        figure(
            "empty poll over the events socket: bytes both ways",
            format!("{poll} B (WebSocket frames on the TCP stream)"),
            "≤ 300 B",
            poll <= 300,
        ),
        figure(
            "first sync over the events socket: bytes",
            format!("{} ({} pages; the socket's opening included)", kib(first_bytes), first.pages),
            "≤ 400 KB",
            first_bytes <= 400_000,
        ),
        figure(
            "a cycle with one change over the events socket: bytes both ways",
            format!("{one} B in {trips} round trips"),
            "≤ 2 round trips",
            trips <= 2,
        ),
    ])
}

/// A transport that answers every pull with the same page, for the client's own apply rate.
struct Canned(PullResponse);

#[async_trait]
impl Transport for Canned {
    async fn push(&self, _: PushRequest) -> Result<PushResponse, TransportError> {
        Err(TransportError::Link { detail: "no pushes here".into() })
    }

    async fn pull(&self, _: PullRequest) -> Result<PullResponse, TransportError> {
        Ok(self.0.clone())
    }
}

/// One figure with its target.
struct Figure {
    what: &'static str,
    value: String,
    target: &'static str,
    /// `None` for a figure shown for comparison, without a target.
    met: Option<bool>,
}

fn figure(what: &'static str, value: String, target: &'static str, met: bool) -> Figure {
    Figure { what, value, target, met: Some(met) }
}

fn checked(what: &str, report: &SyncReport) -> anyhow::Result<()> {
    if let Some(f) = &report.failure {
        bail!("{what}: the sync cycle failed: {f:?}");
    }
    Ok(())
}

/// An unresolved fault of the engineer's vessel, with its version, from the replica.
fn open_faults(engine: &SyncEngine<Counted>) -> Vec<(Uuid, i64)> {
    engine.read(|s| {
        let mut out = Vec::new();
        for scope in s.replica().scopes().filter(|s| s.starts_with("vessel:")) {
            for (entity, id, row) in s.replica().rows_in(scope) {
                let open = !matches!(row.fields["status"].as_str(), Some("resolved" | "closed"));
                if entity == "fault" && open {
                    out.push((id, row.version));
                }
            }
        }
        out
    })
}

fn kib(bytes: usize) -> String {
    #[allow(clippy::cast_precision_loss)]
    let k = bytes as f64 / 1024.0;
    format!("{k:.1} KiB")
}

/// Seeds the demo fleet, then measures the figures as its engineer. Answers whether every
/// target was met.
pub(crate) async fn run(app: &AppState, addr: SocketAddr) -> anyhow::Result<bool> {
    eprintln!("seeding the demo fleet…");
    bosun_demo::seed_if_empty(app).await.map_err(|e| anyhow!("demo seed: {e}"))?;
    let (status, login) = crate::request(
        addr,
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({ "email": "engineer@northwind.example", "password": bosun_demo::DEMO_PASSWORD, "company": "northwind" })),
    )
    .await?;
    if !status.is_success() {
        bail!("the demo engineer's login answered {status}: {login}");
    }
    let token = login["access_token"].as_str().context("no access token")?.to_owned();
    let me: Uuid =
        login["user"]["id"].as_str().and_then(|s| s.parse().ok()).context("no user id in the login answer")?;
    let transport = Counted { addr, token, wire: Mutex::new(Wire::default()) };
    let engine = SyncEngine::new(transport, ClientState::new(Uuid::now_v7()), SyncConfig::new(NonZeroU32::MIN));
    let wire = |e: &SyncEngine<Counted>| e.transport().wire();
    let now_ms = || u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or_default();
    let mut figures = Vec::new();

    eprintln!("first sync of the engineer's vessel…");
    let report = engine.sync_once().await.map_err(|_| anyhow!("already syncing"))?;
    checked("first sync", &report)?;
    let first = wire(&engine);
    let rows = engine.read(|s| s.replica().len());
    figures.push(figure(
        "first sync: bytes",
        format!("{} ({} rows, {} changes, {} requests)", kib(first.bytes()), rows, report.changes, first.requests),
        "≤ 400 KB",
        first.bytes() <= 400_000,
    ));
    figures.push(figure(
        "first sync: time at 64 kbit/s, 800 ms",
        format!("{:.1} s", first.link_secs),
        "≤ 60 s",
        first.link_secs <= 60.0,
    ));

    let before = wire(&engine);
    checked("empty poll", &engine.sync_once().await.map_err(|_| anyhow!("already syncing"))?)?;
    let poll = wire(&engine).since(before);
    // For comparison only: the target is met on the socket (below), where polls travel.
    figures.push(Figure {
        target: "— (for comparison)",
        met: None,
        ..figure(
        "empty poll over HTTP/1.1: bytes both ways",
        format!(
            "{} B in {} request(s): bodies {} B up, {} B down; request line and headers {} B (its bearer token {} B), \
             the answer's status line and headers {} B",
            poll.bytes(),
            poll.requests,
            poll.up_bodies,
            poll.down_bodies,
            poll.up - poll.up_bodies,
            engine.transport().token.len(),
            poll.down - poll.down_bodies
        ),
        "",
        true,
    )
    });

    figures.extend(over_the_socket(addr, &engine.transport().token, now_ms()).await?);

    let faults = open_faults(&engine);
    let (fault, version) = *faults.first().context("the engineer's vessel has no open fault")?;
    let before = wire(&engine);
    engine.enqueue("assign_fault.v1", json!({ "fault_id": fault, "assignee_id": me }), Some(version), now_ms())?;
    let report = engine.sync_once().await.map_err(|_| anyhow!("already syncing"))?;
    checked("one change", &report)?;
    let one = wire(&engine).since(before);
    figures.push(figure(
        "one single-field change: round trips per cycle",
        format!("{} ({} B both ways)", one.requests, one.bytes()),
        "≤ 2",
        one.requests <= 2,
    ));

    // The marginal bytes of a single-field change in a batch: 101 changes against 1.
    let batch = |n: usize, engine: &SyncEngine<Counted>| -> anyhow::Result<()> {
        for i in 0..n {
            let (f, _) = faults[i % faults.len()];
            let args = json!({ "fault_id": f, "body": format!("Checked, round {i}") });
            engine.enqueue("comment_fault.v1", args, None, now_ms())?;
        }
        Ok(())
    };
    let before = wire(&engine);
    batch(1, &engine)?;
    checked("one comment", &engine.sync_once().await.map_err(|_| anyhow!("already syncing"))?)?;
    let single = wire(&engine).since(before);
    let before = wire(&engine);
    batch(101, &engine)?;
    checked("101 comments", &engine.sync_once().await.map_err(|_| anyhow!("already syncing"))?)?;
    let hundred = wire(&engine).since(before);
    let marginal = hundred.up.saturating_sub(single.up) / 100;
    figures.push(figure(
        "one change in a batch, compressed: bytes sent",
        format!("{marginal} B each (a push of one alone: {} B)", single.up),
        "≤ 100 B",
        marginal <= 100,
    ));

    eprintln!("1,000 offline changes…");
    let before = wire(&engine);
    batch(1_000, &engine)?;
    checked("1,000 changes", &engine.sync_once().await.map_err(|_| anyhow!("already syncing"))?)?;
    let thousand = wire(&engine).since(before);
    figures.push(figure(
        "1,000 offline changes: time to converge at 64 kbit/s, 800 ms",
        format!("{:.1} s ({}, {} requests)", thousand.link_secs, kib(thousand.bytes()), thousand.requests),
        "≤ 30 s",
        thousand.link_secs <= 30.0,
    ));
    #[allow(clippy::cast_precision_loss)]
    let rate = 1_000.0 / thousand.push_secs.max(1e-9);
    figures.push(figure(
        "server push apply rate (SQLite, this machine)",
        format!("{rate:.0} mutations/s"),
        "≥ 5,000/s",
        rate >= 5_000.0,
    ));

    eprintln!("30 days offline, 10,000 changes…");
    let before = wire(&engine);
    let start = now_ms();
    let month_ms: u64 = 30 * 24 * 3600 * 1000;
    for i in 0..10_000u64 {
        let (f, _) = faults[usize::try_from(i).unwrap_or(0) % faults.len()];
        let args = json!({ "fault_id": f, "body": format!("Watch {i}: checked, no change") });
        // Made across 30 days: the device's clock moves on, the link stays down.
        engine.enqueue("comment_fault.v1", args, None, start.saturating_sub(month_ms) + i * month_ms / 10_000)?;
    }
    let report = engine.sync_once().await.map_err(|_| anyhow!("already syncing"))?;
    checked("30 days", &report)?;
    let month = wire(&engine).since(before);
    let drained = engine.read(|s| s.outbox().is_empty());
    let verify = SyncEngine::new(
        Counted { addr, token: engine.transport().token.clone(), wire: Mutex::new(Wire::default()) },
        engine.state(),
        SyncConfig { verify: true, ..SyncConfig::new(NonZeroU32::MIN) },
    );
    let verified = verify.sync_once().await.map_err(|_| anyhow!("already syncing"))?;
    checked("verify", &verified)?;
    let whole = drained && report.cookie_resets == 0 && verified.mismatched == 0;
    figures.push(figure(
        "30 days offline, 10,000 changes: converged without a reset",
        format!(
            "{} ({:.0} s at 64 kbit/s, {}, {} requests; checksums {})",
            if whole { "yes" } else { "no" },
            month.link_secs,
            kib(month.bytes()),
            month.requests,
            if verified.mismatched == 0 { "equal" } else { "differ" }
        ),
        "converges, no reset",
        whole,
    ));

    eprintln!("the client's apply rate…");
    let changes: Vec<Change> = (0..100_000i64)
        .map(|i| Change {
            seq: i + 1,
            entity: "meter_reading".into(),
            id: Uuid::from_u128(u128::try_from(i).unwrap_or(0) + 1),
            op: Op::Insert,
            fields: json!({ "hours": i, "meter_replaced": false, "read_at": "2026-12-01T00:00:00Z" }),
        })
        .collect();
    let page = PullResponse {
        cookie: "c".into(),
        changes: [("vessel:bench".to_owned(), changes)].into_iter().collect(),
        clear: vec![],
        last_mutation_ids: Default::default(),
        more: false,
        checksums: Default::default(),
        resets: Default::default(),
        repairs: Default::default(),
        hlc: None,
    };
    let canned = SyncEngine::new(Canned(page), ClientState::new(Uuid::now_v7()), SyncConfig::new(NonZeroU32::MIN));
    let started = Instant::now();
    checked("client apply", &canned.sync_once().await.map_err(|_| anyhow!("already syncing"))?)?;
    let secs = started.elapsed().max(Duration::from_nanos(1)).as_secs_f64();
    let rate = 100_000.0 / secs;
    figures.push(figure(
        "client apply rate (this machine)",
        format!("{rate:.0} changes/s"),
        "≥ 20,000/s",
        rate >= 20_000.0,
    ));

    println!("\n| Figure | Measured | Target | Met |\n|---|---|---|---|");
    for f in &figures {
        let met = match f.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "—",
        };
        println!("| {} | {} | {} | {met} |", f.what, f.value, f.target);
    }
    Ok(figures.iter().all(|f| f.met != Some(false)))
}

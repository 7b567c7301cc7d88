//! The load generator: a fixed number of keep-alive HTTP/1.1 connections to 127.0.0.1, each
//! sending one request at a time (closed loop) for a warm-up and then a measured period, on a
//! thread and runtime of its own so that it does not share the server's worker threads.
//! Latencies of requests started in the measured period are kept exactly.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// What to send: one request, made afresh for connection `conn`'s `n`th request.
pub(crate) type MakeRequest = Arc<dyn Fn(usize, u64) -> Spec + Send + Sync>;

/// One request to send.
pub(crate) struct Spec {
    /// `GET` or `POST`.
    pub method: hyper::Method,
    /// Path and query.
    pub path: String,
    /// A JSON body.
    pub json: Option<Bytes>,
    /// A bearer token.
    pub token: Option<Arc<str>>,
}

/// How hard and how long.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    /// Concurrent connections.
    pub connections: usize,
    /// Run before measuring (caches, statement caches, connection pools).
    pub warmup: Duration,
    /// The measured period.
    pub measure: Duration,
    /// Each connection keeps going past the period until it has this many measured answers
    /// (for slow requests), but never past ten times the period.
    pub at_least: u64,
}

/// What a run measured.
#[derive(Debug, Clone)]
pub(crate) struct Measured {
    /// Requests started in the measured period and answered with a 2xx.
    pub ok: u64,
    /// Requests answered otherwise, or failed.
    pub errors: u64,
    /// The first failure, for the report.
    pub first_error: Option<String>,
    /// The measured period.
    pub period: Duration,
    /// Latencies of the successful measured requests, sorted, in microseconds.
    latencies_us: Vec<u32>,
}

impl Measured {
    /// Successful requests per second.
    pub(crate) fn rate(&self) -> f64 {
        self.ok as f64 / self.period.as_secs_f64()
    }

    /// This run and `other` as one: their periods, counts and latencies together.
    pub(crate) fn merge(mut self, other: Self) -> Self {
        self.ok += other.ok;
        self.errors += other.errors;
        self.first_error = self.first_error.or(other.first_error);
        self.period += other.period;
        self.latencies_us.extend(other.latencies_us);
        self.latencies_us.sort_unstable();
        self
    }

    /// The latency below which `q` (0–1) of requests were answered.
    pub(crate) fn quantile(&self, q: f64) -> Duration {
        if self.latencies_us.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((self.latencies_us.len() as f64 * q).ceil() as usize).clamp(1, self.latencies_us.len());
        Duration::from_micros(u64::from(self.latencies_us[rank - 1]))
    }
}

/// Runs `plan` against `addr` on a thread of its own and waits for it.
pub(crate) async fn run(addr: SocketAddr, plan: Plan, make: MakeRequest) -> anyhow::Result<Measured> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("bench-load".into())
        .spawn(move || {
            let result = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(anyhow::Error::from)
                .and_then(|rt| rt.block_on(drive_all(addr, plan, make)));
            let _ = tx.send(result);
        })
        .context("the load thread starts")?;
    rx.await.map_err(|_| anyhow!("the load thread stopped without an answer"))?
}

struct PerConnection {
    ok: u64,
    errors: u64,
    first_error: Option<String>,
    latencies_us: Vec<u32>,
}

async fn drive_all(addr: SocketAddr, plan: Plan, make: MakeRequest) -> anyhow::Result<Measured> {
    let start = Instant::now();
    let measure_from = start + plan.warmup;
    let end = measure_from + plan.measure;
    let limit = measure_from + plan.measure * 10;
    let until = Until { end, at_least: plan.at_least, limit };
    let tasks: Vec<_> =
        (0..plan.connections).map(|conn| tokio::spawn(drive(addr, conn, measure_from, until, make.clone()))).collect();
    let mut all = Measured { ok: 0, errors: 0, first_error: None, period: plan.measure, latencies_us: Vec::new() };
    for t in tasks {
        let c = t.await.context("a load connection panicked")?;
        all.ok += c.ok;
        all.errors += c.errors;
        if all.first_error.is_none() {
            all.first_error = c.first_error;
        }
        all.latencies_us.extend(c.latencies_us);
    }
    all.latencies_us.sort_unstable();
    // Past the period only to collect enough slow answers: the rate counts the time taken.
    all.period = plan.measure.max(Instant::now().min(limit).saturating_duration_since(measure_from));
    Ok(all)
}

/// When a connection stops: at `end` once it has `at_least` measured answers, or at `limit`.
#[derive(Clone, Copy)]
struct Until {
    end: Instant,
    at_least: u64,
    limit: Instant,
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

async fn connect(addr: SocketAddr) -> anyhow::Result<Sender> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    Ok(sender)
}

async fn drive(addr: SocketAddr, conn: usize, measure_from: Instant, until: Until, make: MakeRequest) -> PerConnection {
    let mut out = PerConnection { ok: 0, errors: 0, first_error: None, latencies_us: Vec::new() };
    let mut sender: Option<Sender> = None;
    let mut n = 0u64;
    let host = addr.to_string();
    loop {
        let now = Instant::now();
        if now >= until.limit || (now >= until.end && out.ok >= until.at_least) {
            break;
        }
        let s = match sender.as_mut() {
            Some(s) => s,
            None => match connect(addr).await {
                Ok(s) => sender.insert(s),
                Err(e) => {
                    out.errors += 1;
                    out.first_error.get_or_insert_with(|| format!("connect: {e}"));
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let spec = make(conn, n);
        n += 1;
        let mut req = Request::builder().method(spec.method).uri(spec.path).header(HOST, &host);
        if let Some(t) = &spec.token {
            req = req.header(AUTHORIZATION, format!("Bearer {t}"));
        }
        if spec.json.is_some() {
            req = req.header(CONTENT_TYPE, "application/json");
        }
        let Ok(req) = req.body(Full::new(spec.json.unwrap_or_default())) else {
            out.errors += 1;
            out.first_error.get_or_insert_with(|| "a request could not be built".into());
            continue;
        };
        let started = Instant::now();
        let answered = async {
            s.ready().await?;
            let res = s.send_request(req).await?;
            let status = res.status();
            let body = res.into_body().collect().await?.to_bytes();
            Ok::<_, hyper::Error>((status, body))
        }
        .await;
        let took = started.elapsed();
        let measured = started >= measure_from && (started < until.end || out.ok < until.at_least);
        match answered {
            Ok((status, _)) if status.is_success() => {
                if measured {
                    out.ok += 1;
                    out.latencies_us.push(u32::try_from(took.as_micros()).unwrap_or(u32::MAX));
                }
            }
            Ok((status, body)) => {
                out.errors += 1;
                out.first_error.get_or_insert_with(|| {
                    format!("{status}: {}", String::from_utf8_lossy(&body[..body.len().min(300)]))
                });
            }
            Err(e) => {
                out.errors += 1;
                out.first_error.get_or_insert_with(|| format!("transport: {e}"));
                sender = None;
            }
        }
    }
    out
}

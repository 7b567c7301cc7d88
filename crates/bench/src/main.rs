//! `bosun-bench`: seeds a fleet, starts Bosun's real router in this process on 127.0.0.1 next
//! to a bare axum + sqlx baseline over the same SQLite file, drives both with an in-process
//! load generator, and prints the figures of `docs/BENCHMARKS.md` with their targets:
//!
//! - `GET /equipment/{id}` at 16 and 64 connections: Bosun ≥ 0.9× the baseline's requests per
//!   second, with a p99 ≤ 1.2× the baseline's;
//! - durable `POST /faults`: Bosun with group commit ≥ 10× the baseline's plain per-row commits
//!   (both `synchronous=FULL`); Bosun with group commit off is shown too, and on SQLite a floor:
//!   the rows of a report written by a bare loop (`floor.rs`), an upper bound for any
//!   implementation of those writes;
//! - `GET /analytics/dashboard` of a company with 1,000,000 faults: p99 ≤ 50 ms;
//! - `GET /vessels/{id}/stock` of 10,000 parts over a 1,000,000-entry ledger: p99 ≤ 50 ms,
//!   against the same figures summed from the ledger;
//! - the maintenance scheduler over 10,000 items with due plans: every work order generated in
//!   ≤ 2 s, exactly once, against one `INSERT … SELECT` of the same rows.
//!
//! `--quick` is a smoke run (small data, one-second runs) whose figures mean little.
//!
//! `--postgres` runs the same parts on a fresh PostgreSQL database made through the server
//! `BOSUN_TEST_DATABASE_URL` names (as the tests do; dropped at the end): Bosun logged in as the
//! runtime role under row-level security, the baseline as the database's owner. Its figures are
//! recorded; the targets above are SQLite's.

#![allow(clippy::disallowed_methods)] // a tool for tests and benchmarks: it may read the wall clock

mod baseline;
mod fleet;
mod floor;
mod load;
mod scheduler;
mod stock;
mod sync;

// The allocator the `bosun` binary ships with (its `main.rs`); the baseline, in this same
// process, gets it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use bosun_domain::SystemClock;
use bosun_http::AppState;
use bosun_server::config::{Config, LogConfig};
use bosun_testkit::db::TestDb;
use bytes::Bytes;
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::Method;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection, SqliteConnection};

use crate::load::{Measured, Plan, Spec};

/// Bosun's benchmark against a bare axum + sqlx baseline (see docs/BENCHMARKS.md).
#[derive(Debug, Parser)]
#[command(name = "bosun-bench")]
struct Args {
    /// A smoke run for CI: small data and one-second runs; the figures are not comparable.
    #[arg(long)]
    quick: bool,
    /// Seconds measured per run (default 10; 1 with --quick).
    #[arg(long)]
    seconds: Option<f64>,
    /// Seconds of warm-up before each run (default 2; 0.3 with --quick).
    #[arg(long)]
    warmup: Option<f64>,
    /// Faults in the company when the dashboard is measured (default 1000000; 20000 with --quick).
    #[arg(long)]
    faults: Option<u64>,
    /// Items of equipment on the measured vessel (default 200; 40 with --quick).
    #[arg(long)]
    items: Option<usize>,
    /// Keep the database in this folder (which must be empty or absent) instead of a temporary one.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Log every request as `bosun serve` does by default (JSON at info, on stderr).
    #[arg(long)]
    log: bool,
    /// Rounds each read measurement is split into, Bosun and the baseline taking turns (default
    /// 3; 1 with --quick), so that a drift in what else the machine does falls on both.
    #[arg(long)]
    rounds: Option<u32>,
    /// Run only these parts (default: all but sync).
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Part>,
    /// Run on PostgreSQL (a fresh database on the server `BOSUN_TEST_DATABASE_URL` names,
    /// default postgres://postgres@127.0.0.1:5432/postgres) instead of SQLite.
    #[arg(long)]
    postgres: bool,
}

/// Where the bench's data lives.
enum Db {
    /// The SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL database of its own, dropped with this value.
    Postgres(TestDb),
}

impl Db {
    /// Folds SQLite's WAL back into the database file, so each run starts from the same state;
    /// nothing on PostgreSQL, whose checkpoints are its own.
    async fn checkpoint(&self) -> anyhow::Result<()> {
        match self {
            Self::Sqlite(path) => checkpoint(path).await,
            Self::Postgres(_) => Ok(()),
        }
    }

    /// How many faults the company has.
    async fn count_faults(&self, fleet: &fleet::Fleet) -> anyhow::Result<u64> {
        let sql = "SELECT count(*) FROM faults WHERE company_id = $1";
        let n: i64 = match self {
            Self::Sqlite(path) => {
                let mut conn = SqliteConnection::connect(&format!("sqlite://{}", path.display())).await?;
                let n = sqlx::query_scalar(sql).bind(fleet.company.id.0).fetch_one(&mut conn).await?;
                conn.close().await?;
                n
            }
            Self::Postgres(db) => {
                let mut conn = PgConnection::connect(&db.owner_url()).await?;
                let n = sqlx::query_scalar(sql).bind(fleet.company.id.0).fetch_one(&mut conn).await?;
                conn.close().await?;
                n
            }
        };
        Ok(u64::try_from(n)?)
    }

    /// The database and its version, for the report's header.
    async fn describe(&self) -> anyhow::Result<String> {
        Ok(match self {
            Self::Sqlite(path) => {
                let mut conn = SqliteConnection::connect(&format!("sqlite://{}", path.display())).await?;
                let v: String = sqlx::query_scalar("SELECT sqlite_version()").fetch_one(&mut conn).await?;
                conn.close().await?;
                format!("SQLite {v}")
            }
            Self::Postgres(db) => {
                let mut conn = PgConnection::connect(&db.owner_url()).await?;
                let v: String = sqlx::query_scalar("SHOW server_version").fetch_one(&mut conn).await?;
                let commit: String = sqlx::query_scalar("SHOW synchronous_commit").fetch_one(&mut conn).await?;
                conn.close().await?;
                format!(
                    "PostgreSQL {v} on 127.0.0.1 (synchronous_commit {commit}; Bosun as the runtime role under row-level security, the baseline as the owner)"
                )
            }
        })
    }
}

/// The parts of the bench.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Part {
    /// `GET /equipment/{id}` against the baseline.
    Reads,
    /// Durable `POST /faults` against the baseline's per-row commits.
    Writes,
    /// The dashboard at a million faults.
    Dashboard,
    /// Stock on hand of 10,000 parts over a 1,000,000-entry ledger.
    Stock,
    /// The maintenance scheduler over 10,000 items with due plans.
    Scheduler,
    /// The sync protocol's figures, as the demo fleet's engineer (only when named).
    Sync,
}

/// What one run of the bench does.
struct Settings {
    warmup: Duration,
    measure: Duration,
    faults: u64,
    items: usize,
    read_connections: [usize; 2],
    rounds: u32,
    write_connections: Vec<usize>,
}

impl Settings {
    fn of(args: &Args) -> Self {
        let secs = |v: Option<f64>, full: f64, quick: f64| {
            Duration::from_secs_f64(v.unwrap_or(if args.quick { quick } else { full }).clamp(0.0, 600.0))
        };
        Self {
            warmup: secs(args.warmup, 2.0, 0.3),
            measure: secs(args.seconds, 10.0, 1.0).max(Duration::from_millis(100)),
            faults: args.faults.unwrap_or(if args.quick { 20_000 } else { 1_000_000 }),
            items: args.items.unwrap_or(if args.quick { 40 } else { 200 }).clamp(20, 5_000),
            read_connections: [16, 64],
            rounds: args.rounds.unwrap_or(if args.quick { 1 } else { 3 }).clamp(1, 20),
            write_connections: if args.quick { vec![64] } else { vec![16, 64] },
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("bosun-bench failed: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs the bench; answers whether every request succeeded (targets are reported, not enforced).
async fn run(args: Args) -> anyhow::Result<bool> {
    let s = Settings::of(&args);
    if args.log {
        bosun_server::observability::init(&LogConfig { format: "json".into(), level: "info".into() });
    }
    let started = Instant::now();
    let temp;
    let dir = match &args.dir {
        Some(d) => {
            if d.exists() && std::fs::read_dir(d)?.next().is_some() {
                bail!("{} is not empty", d.display());
            }
            d.clone()
        }
        None => {
            temp = tempfile::tempdir()?;
            temp.path().to_path_buf()
        }
    };
    let mut config = Config::default();
    config.server.data_dir = dir.clone();
    config.server.listen = SocketAddr::from(([127, 0, 0, 1], 0));
    let db_path = dir.join("bosun.db");
    let pool_size = config.database.max_connections.clamp(1, 64);
    let clock = Arc::new(SystemClock);

    // On SQLite, two Bosun instances over the one file, used one after the other: group commit
    // on (the default) and off. They share the signing key kept in the database. On PostgreSQL
    // one instance: its commits are PostgreSQL's own.
    let (db, group_store, per_row_store) = if args.postgres {
        let db = TestDb::postgres().await;
        let store = db.open_with_connections(Some(pool_size)).await;
        (Db::Postgres(db), store, None)
    } else {
        let group_store = bosun_server::cli::open_store(&config).await?;
        let mut per_row_config = config.clone();
        per_row_config.database.sqlite_group_commit = false;
        let per_row_store = bosun_server::cli::open_store(&per_row_config).await?;
        (Db::Sqlite(db_path.clone()), group_store, Some((per_row_store, per_row_config)))
    };
    let app = bosun_server::wiring::build(config.clone(), Arc::new(group_store.clone()), clock.clone())
        .await
        .map_err(|e| anyhow!("{e:?}"))?;
    let bosun = serve(app.clone()).await?;
    let bosun_per_row = match &per_row_store {
        Some((store, per_row_config)) => {
            let per_row_app = bosun_server::wiring::build(per_row_config.clone(), Arc::new(store.clone()), clock)
                .await
                .map_err(|e| anyhow!("{e:?}"))?;
            Some(serve(per_row_app).await?)
        }
        None => None,
    };

    if args.only.contains(&Part::Sync) {
        if args.only.len() > 1 {
            bail!("--only sync runs alone: it measures on the demo fleet");
        }
        return sync::run(&app, bosun).await;
    }
    eprintln!("seeding a vessel of {} items through the services…", s.items);
    let fleet = fleet::seed(&app, s.items).await?;
    let tenant = baseline::Tenant {
        company: fleet.company.id.0,
        reporter: fleet.engineer.0.0,
        public_url: &config.server.public_url,
    };
    let baseline = match &db {
        Db::Sqlite(path) => baseline::start_sqlite(path, pool_size, &tenant).await?,
        Db::Postgres(pg) => baseline::start_postgres(&pg.owner_url(), pool_size, &tenant).await?,
    };
    db.checkpoint().await?;
    let slug = fleet.company.slug.to_string();

    let mut report = Report::new(&db, &dir, &args, &s).await?;
    let mut all_ok = true;

    let runs = |part: Part| (args.only.is_empty() && part != Part::Sync) || args.only.contains(&part);

    // Reads: the engineer opens an item's page.
    let engineer: Arc<str> = login(bosun, &fleet.engineer.1, &slug).await?.into();
    let items: Arc<Vec<String>> = Arc::new(fleet.items.iter().map(|i| i.to_string()).collect());
    if runs(Part::Reads) {
        same_answers(bosun, baseline.addr, &engineer, &items).await?;
    }
    for c in s.read_connections.into_iter().filter(|_| runs(Part::Reads)) {
        let plan = Plan { connections: c, warmup: s.warmup, measure: s.measure, at_least: 0 };
        let row = measure(&mut all_ok, "baseline GET (row only)", baseline.addr, plan, get_row(&items)).await?;
        let round = Plan { measure: s.measure / s.rounds, ..plan };
        let (mut base, mut ours) = (None::<Measured>, None::<Measured>);
        for r in 0..s.rounds {
            // Turns alternate (baseline first, then Bosun first, …) so a drift falls on both.
            for bosun_turn in if r % 2 == 0 { [false, true] } else { [true, false] } {
                let (what, addr, make) = if bosun_turn {
                    ("bosun GET", bosun, get_item("/api/v1/equipment/", &items, Some(engineer.clone())))
                } else {
                    ("baseline GET", baseline.addr, get_item("/equipment/", &items, None))
                };
                let m = measure(&mut all_ok, what, addr, round, make).await?;
                let slot = if bosun_turn { &mut ours } else { &mut base };
                *slot = Some(match slot.take() {
                    Some(before) => before.merge(m),
                    None => m,
                });
            }
        }
        let (Some(base), Some(ours)) = (base, ours) else { bail!("no read rounds were run") };
        report.reads(c, &ours, &base, &row);
    }

    // The dashboard of a company with a million faults, as its owner sees it. Measured before
    // the writes, whose tens of thousands of fresh open faults on one vessel in a few minutes
    // would make a company no fleet is.
    if runs(Part::Dashboard) {
        dashboard(&mut all_ok, &mut report, (&app, bosun, &db), &fleet, &s).await?;
    }

    // Stock on hand of a vessel with 10,000 parts over a million ledger entries.
    if runs(Part::Stock) {
        let sizes = if args.quick {
            stock::Sizes { parts: 500, entries: 5_000 }
        } else {
            stock::Sizes { parts: 10_000, entries: 1_000_000 }
        };
        stock::run(&mut all_ok, &mut report, (&app, bosun, &db), &fleet, sizes, (s.warmup, s.measure)).await?;
    }

    // The maintenance scheduler over 10,000 items whose plans all fall due.
    if runs(Part::Scheduler) {
        let items = if args.quick { 500 } else { 10_000 };
        scheduler::run(&mut all_ok, &mut report, (&app, &db), &fleet, items).await?;
    }

    // Durable writes: the engineer reports faults (on top of the million when the dashboard ran).
    let engineer: Arc<str> = login(bosun, &fleet.engineer.1, &slug).await?.into();
    for &c in s.write_connections.iter().filter(|_| runs(Part::Writes)) {
        let plan = Plan { connections: c, warmup: s.warmup, measure: s.measure, at_least: 0 };
        db.checkpoint().await?;
        let base =
            measure(&mut all_ok, "baseline POST", baseline.addr, plan, post_fault("/faults", &items, None)).await?;
        db.checkpoint().await?;
        let before = group_stats(&group_store);
        let grouped = measure(
            &mut all_ok,
            "bosun POST (group commit)",
            bosun,
            plan,
            post_fault("/api/v1/faults", &items, Some(engineer.clone())),
        )
        .await?;
        let after = group_stats(&group_store);
        db.checkpoint().await?;
        let per_row = match (&per_row_store, bosun_per_row) {
            (Some((store, _)), Some(addr)) => {
                let per_row_before = group_stats(store);
                let m = measure(
                    &mut all_ok,
                    "bosun POST (per-row commits)",
                    addr,
                    plan,
                    post_fault("/api/v1/faults", &items, Some(engineer.clone())),
                )
                .await?;
                Some((m, Commits::between(per_row_before, group_stats(store))))
            }
            _ => None,
        };
        let ceiling = measure(
            &mut all_ok,
            "baseline POST, nothing stored",
            baseline.addr,
            plan,
            post_fault("/faults/unstored", &items, None),
        )
        .await?;
        let floor = match &db {
            Db::Sqlite(path) => {
                db.checkpoint().await?;
                eprintln!("  the floor: a bare loop writing reports in batches of {c}…");
                let (path, plan) = (path.clone(), (s.warmup, s.measure));
                let f = tokio::task::spawn_blocking(move || {
                    let per_row = floor::run(&path, floor::Rows::FaultOnly, 1, plan.0, plan.1)?;
                    eprintln!("    a bare per-row loop first: {:.0} writes/s", per_row.rate());
                    let with = floor::run(&path, floor::Rows::Report, c, plan.0, plan.1)?;
                    eprintln!("    {:.0} writes/s; again without secondary indexes, on a copy…", with.rate());
                    let without = floor::run_without_indexes(&path, c, plan.0, plan.1)?;
                    eprintln!("    {:.0} writes/s", without.rate());
                    anyhow::Ok(Floors { per_row, with, without })
                })
                .await??;
                Some(f)
            }
            Db::Postgres(_) => None,
        };
        let commits = Commits::between(before, after);
        report.writes(
            c,
            (&grouped, commits),
            per_row.as_ref().map(|(m, c)| (m, *c)),
            &base,
            (&ceiling, floor.as_ref()),
        );
    }
    baseline.close().await;

    report.print(started.elapsed());
    group_store_close(&group_store, per_row_store.as_ref().map(|(s, _)| s)).await;
    drop(db);
    Ok(all_ok)
}

/// The floor of the durable writes (SQLite): a bare loop of the baseline's statement, the
/// rows of a report, and those rows again without secondary indexes.
struct Floors {
    per_row: floor::Floor,
    with: floor::Floor,
    without: floor::Floor,
}

/// Grows the company to `s.faults` faults and measures its dashboard.
async fn dashboard(
    all_ok: &mut bool,
    report: &mut Report,
    (app, bosun, db): (&AppState, SocketAddr, &Db),
    fleet: &fleet::Fleet,
    s: &Settings,
) -> anyhow::Result<()> {
    let existing = db.count_faults(fleet).await?;
    let to_add = s.faults.saturating_sub(existing);
    eprintln!("adding {to_add} faults through the store ({existing} exist)…");
    let seeding = Instant::now();
    fleet::add_faults(app, fleet, to_add, 50_000).await?;
    let total = db.count_faults(fleet).await?;
    eprintln!("  {total} faults after {:.1} s", seeding.elapsed().as_secs_f64());
    db.checkpoint().await?;
    let owner: Arc<str> = login(bosun, &fleet.owner.1, fleet.company.slug.as_str()).await?.into();
    let dashboard = measure(
        all_ok,
        "bosun dashboard",
        bosun,
        Plan { connections: 1, warmup: s.warmup, measure: s.measure, at_least: 20 },
        Arc::new(move |_, _| Spec {
            method: Method::GET,
            path: "/api/v1/analytics/dashboard".into(),
            json: None,
            token: Some(owner.clone()),
        }),
    )
    .await?;
    report.dashboard(total, &dashboard);
    Ok(())
}

async fn group_store_close(a: &bosun_store_sql::SqlStore, b: Option<&bosun_store_sql::SqlStore>) {
    use bosun_store::Store;
    a.close().await;
    if let Some(b) = b {
        b.close().await;
    }
}

/// Bosun's durable commits over a run: how many writes each made durable, and how long each
/// took (writing the batch to the WAL and the fsync), from the store's own counters.
#[derive(Debug, Clone, Copy)]
struct Commits {
    writes_per_commit: f64,
    ms_per_commit: f64,
    /// How long each write held the one writer (its statements), in microseconds.
    micros_held: f64,
}

impl Commits {
    fn between(
        before: Option<bosun_store_sql::sqlite::CommitStats>,
        after: Option<bosun_store_sql::sqlite::CommitStats>,
    ) -> Option<Self> {
        let (b, a) = (before?, after?);
        let batches = a.batches.checked_sub(b.batches).filter(|n| *n > 0)? as f64;
        Some(Self {
            writes_per_commit: a.transactions.saturating_sub(b.transactions) as f64 / batches,
            ms_per_commit: a.commit_micros.saturating_sub(b.commit_micros) as f64 / 1000.0 / batches,
            micros_held: a.held_micros.saturating_sub(b.held_micros) as f64
                / (a.transactions.saturating_sub(b.transactions).max(1)) as f64,
        })
    }
}

fn group_stats(store: &bosun_store_sql::SqlStore) -> Option<bosun_store_sql::sqlite::CommitStats> {
    match store {
        bosun_store_sql::SqlStore::Sqlite(s) => Some(s.commit_stats()),
        bosun_store_sql::SqlStore::Postgres(_) => None,
    }
}

/// Serves `app`'s router on a free port of 127.0.0.1.
async fn serve(app: AppState) -> anyhow::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let router = bosun_http::router(app);
    tokio::spawn(async move {
        let _ = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    Ok(addr)
}

/// Runs one load, noting failed requests.
async fn measure(
    all_ok: &mut bool,
    what: &str,
    addr: SocketAddr,
    plan: Plan,
    make: load::MakeRequest,
) -> anyhow::Result<Measured> {
    eprintln!("  {what}: {} connection(s), {:.1} s…", plan.connections, plan.measure.as_secs_f64());
    let m = load::run(addr, plan, make).await?;
    if m.errors > 0 {
        *all_ok = false;
        eprintln!("  {what}: {} failed requests; the first: {}", m.errors, m.first_error.as_deref().unwrap_or("?"));
    }
    eprintln!("    {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms", m.rate(), ms(m.quantile(0.5)), ms(m.quantile(0.99)));
    Ok(m)
}

fn get_item(prefix: &'static str, items: &Arc<Vec<String>>, token: Option<Arc<str>>) -> load::MakeRequest {
    let items = items.clone();
    Arc::new(move |conn, n| Spec {
        method: Method::GET,
        path: format!("{prefix}{}", items[(conn * 7 + n as usize) % items.len()]),
        json: None,
        token: token.clone(),
    })
}

fn get_row(items: &Arc<Vec<String>>) -> load::MakeRequest {
    let items = items.clone();
    Arc::new(move |conn, n| Spec {
        method: Method::GET,
        path: format!("/equipment/{}/row", items[(conn * 7 + n as usize) % items.len()]),
        json: None,
        token: None,
    })
}

fn post_fault(path: &'static str, items: &Arc<Vec<String>>, token: Option<Arc<str>>) -> load::MakeRequest {
    let items = items.clone();
    Arc::new(move |conn, n| {
        let body = json!({
            "equipment_id": items[(conn * 7 + n as usize) % items.len()],
            "severity": "low",
            "title": format!("Bench report {conn}-{n}"),
            "description": "Vibration above normal at the pump bearing.",
        });
        Spec {
            method: Method::POST,
            path: path.into(),
            json: Some(Bytes::from(body.to_string())),
            token: token.clone(),
        }
    })
}

/// Signs in through the API and answers the access token.
/// One request on a fresh connection: the answer's status and JSON body.
pub(crate) async fn request(
    addr: SocketAddr,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> anyhow::Result<(hyper::StatusCode, Value)> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let mut req = hyper::Request::builder().method(method).uri(path).header(hyper::header::HOST, addr.to_string());
    if let Some(t) = token {
        req = req.header(hyper::header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if body.is_some() {
        req = req.header(hyper::header::CONTENT_TYPE, "application/json");
    }
    let req = req.body(Full::new(Bytes::from(body.map(|b| b.to_string()).unwrap_or_default())))?;
    let res = sender.send_request(req).await?;
    let status = res.status();
    let bytes = res.into_body().collect().await?.to_bytes();
    Ok((status, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
}

async fn login(addr: SocketAddr, email: &str, company: &str) -> anyhow::Result<String> {
    let body = json!({ "email": email, "password": fleet::PASSWORD, "company": company });
    let (status, body) = request(addr, Method::POST, "/api/v1/auth/login", None, Some(body)).await?;
    if !status.is_success() {
        bail!("login of {email} answered {status}: {body}");
    }
    body["access_token"].as_str().map(str::to_owned).context("a login answer without an access token")
}

/// Checks that the baseline answers `GET /equipment/{id}` with the very JSON Bosun does, for
/// every item: otherwise the two would not be doing the same work.
async fn same_answers(bosun: SocketAddr, baseline: SocketAddr, token: &str, items: &[String]) -> anyhow::Result<()> {
    for id in items {
        let (s1, ours) = request(bosun, Method::GET, &format!("/api/v1/equipment/{id}"), Some(token), None).await?;
        let (s2, theirs) = request(baseline, Method::GET, &format!("/equipment/{id}"), None, None).await?;
        if !s1.is_success() || s1 != s2 || ours != theirs {
            bail!("the baseline answers item {id} differently:\nbosun ({s1}): {ours}\nbaseline ({s2}): {theirs}");
        }
    }
    Ok(())
}

/// Folds the WAL back into the database file, so each run starts from the same state.
async fn checkpoint(path: &Path) -> anyhow::Result<()> {
    let mut conn = SqliteConnection::connect(&format!("sqlite://{}", path.display())).await?;
    sqlx::query("PRAGMA busy_timeout = 10000").execute(&mut conn).await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}

/// The median time of a 4 KiB write and fsync of a file in `dir`: what one durable commit costs
/// this disk at least.
fn fsync_latency(dir: &Path) -> anyhow::Result<Duration> {
    use std::io::{Seek, SeekFrom, Write};
    let path = dir.join("fsync-probe");
    let mut file = std::fs::File::create(&path)?;
    let block = [0x5a_u8; 4096];
    let mut took = Vec::with_capacity(200);
    for _ in 0..200 {
        let t = Instant::now();
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&block)?;
        file.sync_all()?;
        took.push(t.elapsed());
    }
    drop(file);
    std::fs::remove_file(&path)?;
    took.sort();
    Ok(took[took.len() / 2])
}

/// The 1, 5 and 15 minute load averages (other work on the machine skews every figure).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The figures, with their targets.
struct Report {
    header: Vec<String>,
    rows: Vec<[String; 6]>,
    notes: Vec<String>,
}

impl Report {
    async fn new(db: &Db, dir: &Path, args: &Args, s: &Settings) -> anyhow::Result<Self> {
        let database = db.describe().await?;
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|c| {
                c.lines()
                    .find(|l| l.starts_with("model name"))
                    .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
            })
            .unwrap_or_else(|| "unknown CPU".into());
        let memory = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| m.lines().next().map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned()))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or_else(|| "?".into(), |kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0));
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        let fsync = fsync_latency(dir)?;
        let profile = if cfg!(debug_assertions) { "debug build (figures are not comparable)" } else { "release build" };
        Ok(Self {
            header: vec![
                format!(
                    "bosun-bench{} — {} UTC",
                    if args.quick { " --quick (smoke run; figures not comparable)" } else { "" },
                    chrono::Utc::now().format("%Y-%m-%d %H:%M")
                ),
                format!("machine: {cores} cores ({cpu}), {memory} RAM; {database}; {profile}"),
                format!(
                    "disk: a 4 KiB write + fsync takes {:.0} µs (median of 200) in the data folder; load average at start {}",
                    fsync.as_secs_f64() * 1e6,
                    load_average()
                ),
                format!(
                    "runs: {:.1} s warm-up + {:.1} s measured each (reads: in {} alternating rounds); {} items on the \
                     measured vessel; request logging {}",
                    s.warmup.as_secs_f64(),
                    s.measure.as_secs_f64(),
                    s.rounds,
                    s.items,
                    if args.log { "on (JSON to stderr)" } else { "off" }
                ),
            ],
            rows: Vec::new(),
            notes: Vec::new(),
        })
    }

    fn row(&mut self, what: String, bosun: String, baseline: String, ratio: String, target: &str, pass: bool) {
        self.rows.push([what, bosun, baseline, ratio, target.into(), if pass { "PASS".into() } else { "FAIL".into() }]);
    }

    fn reads(&mut self, connections: usize, ours: &Measured, base: &Measured, row: &Measured) {
        self.notes.push(format!(
            "{connections} conn: for reference, a baseline handler that only selects the item's row by its key (no \
             faults, readings or status) answers {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms.",
            row.rate(),
            ms(row.quantile(0.5)),
            ms(row.quantile(0.99))
        ));
        let rate = ours.rate() / base.rate();
        self.row(
            format!("GET /equipment/{{id}}, {connections} conn: req/s"),
            format!("{:.0}", ours.rate()),
            format!("{:.0}", base.rate()),
            format!("{rate:.2}×"),
            "≥ 0.90×",
            rate >= 0.9,
        );
        let p99 = ms(ours.quantile(0.99)) / ms(base.quantile(0.99)).max(f64::EPSILON);
        self.row(
            format!("GET /equipment/{{id}}, {connections} conn: p50 / p99"),
            format!("{:.2} / {:.2} ms", ms(ours.quantile(0.5)), ms(ours.quantile(0.99))),
            format!("{:.2} / {:.2} ms", ms(base.quantile(0.5)), ms(base.quantile(0.99))),
            format!("{p99:.2}× (p99)"),
            "≤ 1.20×",
            p99 <= 1.2,
        );
    }

    fn writes(
        &mut self,
        connections: usize,
        (grouped, commits): (&Measured, Option<Commits>),
        per_row: Option<(&Measured, Option<Commits>)>,
        base: &Measured,
        (ceiling, floor): (&Measured, Option<&Floors>),
    ) {
        let ratio = grouped.rate() / base.rate();
        let what = format!("durable POST /faults, {connections} conn: writes/s (p99)");
        let ours = format!("{:.0} ({:.1} ms)", grouped.rate(), ms(grouped.quantile(0.99)));
        let theirs = format!("{:.0} ({:.1} ms) per-row", base.rate(), ms(base.quantile(0.99)));
        let Some((per_row, per_row_commits)) = per_row else {
            // PostgreSQL: recorded, no target of its own.
            self.rows.push([what, ours, theirs, format!("{ratio:.2}×"), "— (recorded)".into(), "—".into()]);
            self.notes.push(format!(
                "{connections} conn: ceiling — the same POST parsed and answered by the baseline storing nothing: {:.0} \
                 req/s, {:.1}× the baseline's writes.",
                ceiling.rate(),
                ceiling.rate() / base.rate()
            ));
            return;
        };
        // Issue 9: ≥ 5× per-row commits at 16 connections (where a batch can hold at most 16
        // writes), ≥ 10× at 64, and a p99 no worse than the baseline's.
        let target = if connections >= 64 { 10.0 } else { 5.0 };
        let p99_ok = grouped.quantile(0.99) <= base.quantile(0.99);
        self.row(
            what,
            ours,
            theirs,
            format!("{ratio:.1}×"),
            &format!("≥ {target:.0}×, p99 ≤ baseline"),
            ratio >= target && p99_ok,
        );
        self.notes.push(format!(
            "{connections} conn: Bosun with group commit off (per-row commits, same code path) {:.0} writes/s, p99 {:.1} ms{}; \
             group commit gives {:.1}× that{}.",
            per_row.rate(),
            ms(per_row.quantile(0.99)),
            per_row_commits.map_or_else(String::new, |c| format!(
                ", each commit {:.2} ms, each write holding the writer {:.0} µs",
                c.ms_per_commit, c.micros_held
            )),
            grouped.rate() / per_row.rate(),
            commits.map_or_else(String::new, |c| format!(
                ", {:.1} writes per durable commit, each commit {:.2} ms, each write holding the writer {:.0} µs",
                c.writes_per_commit, c.ms_per_commit, c.micros_held
            ))
        ));
        if let Some(c) = commits {
            // A closed loop of `connections` clients never has more writes in flight, so no batch
            // holds more; a fuller batch writes more pages and takes no less time to commit.
            let bound = connections as f64 / (c.ms_per_commit / 1000.0);
            let bound_ratio = bound / base.rate();
            self.notes.push(format!(
                "{connections} conn: bound — a batch holds at most {connections} writes (one per connection), so writes \
                 costing nothing but their durable commits would reach at most {connections} / {:.2} ms = {bound:.0} \
                 writes/s, {bound_ratio:.1}× per-row commits{}.",
                c.ms_per_commit,
                if bound_ratio < target { "; the target is out of reach at this concurrency on this disk" } else { "" }
            ));
        }
        if let Some(Floors { per_row: bare_row, with: f, without: bare }) = floor {
            // What any implementation of these writes could reach here (crates/bench/src/floor.rs).
            let floor_ratio = f.rate() / base.rate();
            self.notes.push(format!(
                "{connections} conn: floor — the rows of one report (the fault, its change-log number and entry, its \
                 audit entry and head) written by a bare loop on one connection, {connections} to a durable commit, no \
                 HTTP and no layers: {:.0} writes/s, {floor_ratio:.1}× per-row commits ({:.0} µs of statements a \
                 report, {:.2} ms a commit) — {:.1}× a bare loop of the baseline's one `INSERT` a commit run just \
                 before it ({:.0} writes/s); Bosun writes {:.0}% of the floor{}.",
                f.rate(),
                f.micros_per_write(),
                f.ms_per_commit(),
                f.rate() / bare_row.rate(),
                bare_row.rate(),
                100.0 * grouped.rate() / f.rate(),
                if floor_ratio < target && f.rate() / bare_row.rate() < target {
                    "; the target is beyond these writes on this machine"
                } else {
                    ""
                }
            ));
            self.notes.push(format!(
                "{connections} conn: the same floor with no secondary index on the three tables (a copy of the file; \
                 the reads they serve would scan): {:.0} writes/s, {:.1}× per-row commits ({:.0} µs a report, {:.2} ms \
                 a commit).",
                bare.rate(),
                bare.rate() / base.rate(),
                bare.micros_per_write(),
                bare.ms_per_commit()
            ));
        }
        self.notes.push(format!(
            "{connections} conn: ceiling — the same POST parsed and answered by the baseline storing nothing: {:.0} req/s, \
             {:.1}× per-row commits.",
            ceiling.rate(),
            ceiling.rate() / base.rate()
        ));
    }

    fn dashboard(&mut self, faults: u64, m: &Measured) {
        let p99 = ms(m.quantile(0.99));
        self.row(
            format!("GET /analytics/dashboard, {faults} faults: p50 / p99"),
            format!("{:.1} / {:.1} ms", ms(m.quantile(0.5)), p99),
            "—".into(),
            "—".into(),
            "p99 ≤ 50 ms",
            m.ok > 0 && p99 <= 50.0,
        );
        self.notes.push(format!(
            "dashboard: {} requests in {:.1} s, one at a time, as the owner (every vessel); the faults spread over \
             three years, about 1.5 % of them unresolved.",
            m.ok,
            m.period.as_secs_f64()
        ));
    }

    fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    fn stock(&mut self, sizes: &stock::Sizes, m: &Measured, sums: &[Duration], seeded_s: f64) {
        let p99 = ms(m.quantile(0.99));
        let at = |q: f64| {
            sums.get(((sums.len() as f64 - 1.0) * q).round() as usize).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        let (base50, base99) = (at(0.5), at(0.99));
        self.row(
            format!("GET /vessels/{{id}}/stock, {} parts, {} entries: p50 / p99", sizes.parts, sizes.entries),
            format!("{:.1} / {:.1} ms", ms(m.quantile(0.5)), p99),
            format!("{base50:.1} / {base99:.1} ms"),
            format!("{:.2}× (p50)", ms(m.quantile(0.5)) / base50.max(0.001)),
            "p99 ≤ 50 ms",
            m.ok > 0 && p99 <= 50.0,
        );
        self.notes.push(format!(
            "stock: {} answers in {:.1} s, one at a time, as the owner, each the whole vessel's stock (every part with \
             its balance, total and rule) from the balance rows; the baseline only sums the ledger in SQL on a direct \
             connection ({} runs), without parts or JSON. Seeding took {seeded_s:.0} s.",
            m.ok,
            m.period.as_secs_f64(),
            sums.len()
        ));
    }

    fn scheduler(&mut self, plans: i64, took: f64, baseline: f64, once: bool) {
        self.row(
            format!("maintenance scheduler, {plans} items with due plans: one run"),
            format!("{took:.2} s"),
            format!("{baseline:.2} s"),
            format!("{:.1}×", took / baseline.max(0.000_001)),
            "≤ 2 s, exactly once",
            once && took <= 2.0,
        );
    }

    fn print(&self, took: Duration) {
        for h in &self.header {
            println!("{h}");
        }
        println!("load average at the end {}", load_average());
        println!();
        println!("| measure | bosun | baseline | ratio | target | verdict |");
        println!("|---|---|---|---|---|---|");
        for r in &self.rows {
            println!("| {} |", r.join(" | "));
        }
        println!();
        for n in &self.notes {
            println!("- {n}");
        }
        println!("- the whole bench took {:.0} s.", took.as_secs_f64());
    }
}

//! The baseline: a bare axum + sqlx service doing what Bosun's routes do at their core, with
//! nothing around it (no authentication, authorisation, audit trail, change log, middleware
//! or request logging).
//!
//! - `GET /equipment/{id}`: the same JSON as Bosun's route (the bench checks that the two bodies
//!   are equal before it measures): the item with whether a critical fault holds it down, its
//!   fault history and its readings, read by the statements a bare implementation would write
//!   in one read transaction (one consistent snapshot, as Bosun's), on a pool with Bosun's
//!   reader settings (same file, WAL, `synchronous=FULL`, foreign keys, busy timeout, pool size,
//!   no ping before each use). The faults are read by the columns the page shows.
//! - `GET /equipment/{id}/row`: one `SELECT` of the item's row by primary key, as JSON: the
//!   floor under any handler of this route, printed for reference.
//! - `POST /faults`: one `INSERT` of the fault row, committed on its own (`synchronous=FULL`,
//!   one fsync per row): plain per-row commits. Writes go through one connection, so they queue
//!   in sqlx's pool rather than in SQLite's busy handler (which sleeps, and would make the
//!   baseline slower than it need be).
//! - `POST /faults/unstored`: the same request answered the same way without touching the
//!   database: the most any handler of a write can answer on this machine through this HTTP
//!   stack and load generator, printed as the ceiling of the write ratio.
//!
//! On PostgreSQL (`--postgres`) the same handlers run over a `PgPool` on the same database,
//! logged in as its owner (no row-level security: a bare service), writes on a pool as large as
//! the readers' (PostgreSQL commits concurrently; each `INSERT` is its own durable commit with
//! `synchronous_commit` on).

use std::net::SocketAddr;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use bosun_domain::equipment::{MeterReading, running_hours};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use uuid::Uuid;

/// What the handlers share.
struct Baseline<P> {
    readers: P,
    writer: P,
    company: Uuid,
    reporter: Uuid,
    public_url: String,
}

/// A running baseline.
pub(crate) struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    pools: Pools,
}

enum Pools {
    Sqlite(SqlitePool, SqlitePool),
    Postgres(PgPool),
}

impl Running {
    /// Closes its pools.
    pub(crate) async fn close(&self) {
        match &self.pools {
            Pools::Sqlite(readers, writer) => {
                readers.close().await;
                writer.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }
}

fn options(path: &Path) -> anyhow::Result<SqliteConnectOptions> {
    Ok(SqliteConnectOptions::from_str("sqlite://")?
        .filename(path)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10)))
}

/// Who the baseline reads and writes as, and the public address its QR links use.
pub(crate) struct Tenant<'a> {
    /// The company.
    pub company: Uuid,
    /// Who reports its faults.
    pub reporter: Uuid,
    /// `server.public_url`.
    pub public_url: &'a str,
}

/// Starts the baseline on 127.0.0.1 over the SQLite file at `path`.
pub(crate) async fn start_sqlite(path: &Path, pool_size: u32, t: &Tenant<'_>) -> anyhow::Result<Running> {
    let readers = SqlitePoolOptions::new()
        .max_connections(pool_size)
        .acquire_timeout(Duration::from_secs(10))
        .test_before_acquire(false)
        .connect_with(options(path)?)
        .await?;
    let writer = SqlitePoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .test_before_acquire(false)
        .connect_with(options(path)?)
        .await?;
    let state = Arc::new(Baseline {
        readers: readers.clone(),
        writer: writer.clone(),
        company: t.company,
        reporter: t.reporter,
        public_url: t.public_url.trim_end_matches('/').to_owned(),
    });
    let addr = listen(sqlite_handlers::router(state)).await?;
    Ok(Running { addr, pools: Pools::Sqlite(readers, writer) })
}

/// Starts the baseline on 127.0.0.1 over the PostgreSQL database at `url` (its owner's).
pub(crate) async fn start_postgres(url: &str, pool_size: u32, t: &Tenant<'_>) -> anyhow::Result<Running> {
    let pool = PgPoolOptions::new()
        .max_connections(pool_size)
        .acquire_timeout(Duration::from_secs(10))
        .test_before_acquire(false)
        .connect(url)
        .await?;
    let state = Arc::new(Baseline {
        readers: pool.clone(),
        writer: pool.clone(),
        company: t.company,
        reporter: t.reporter,
        public_url: t.public_url.trim_end_matches('/').to_owned(),
    });
    let addr = listen(postgres_handlers::router(state)).await?;
    Ok(Running { addr, pools: Pools::Postgres(pool) })
}

async fn listen(router: Router) -> anyhow::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(addr)
}

fn failed(e: sqlx::Error) -> StatusCode {
    eprintln!("baseline: {e}");
    StatusCode::INTERNAL_SERVER_ERROR
}

#[derive(serde::Deserialize)]
struct ReportBody {
    equipment_id: Uuid,
    severity: String,
    title: String,
    #[serde(default)]
    description: String,
}

/// Parses the report and answers as `report` does, storing nothing.
async fn report_unstored(Json(_report): Json<ReportBody>) -> (StatusCode, Json<Value>) {
    (StatusCode::CREATED, Json(json!({ "id": Uuid::now_v7() })))
}

/// The handlers, written once and compiled for each pool: the SQL is the same text on both.
macro_rules! handlers {
    ($module:ident, $pool:ty) => {
        mod $module {
            use super::*;

            pub(super) fn router(state: Arc<Baseline<$pool>>) -> Router {
                Router::new()
                    .route("/equipment/{id}", get(equipment))
                    .route("/equipment/{id}/row", get(equipment_row))
                    .route("/faults", post(report))
                    .route("/faults/unstored", post(report_unstored))
                    .with_state(state)
            }


        async fn equipment(State(b): State<Arc<Baseline<$pool>>>, UrlPath(id): UrlPath<Uuid>) -> Result<Json<Value>, StatusCode> {
            let mut tx = b.readers.begin().await.map_err(failed)?;
            let row = sqlx::query(
                "SELECT e.id, e.vessel_id, e.parent_id, e.level, e.area, e.name, e.equipment_type, e.maker, e.model,
                        e.serial_number, e.criticality, e.status, CAST(e.specs AS TEXT) AS specs, e.qr_code, e.version, e.created_at, e.updated_at,
                        ml.parent_id AS link_parent, ml.child_base, ml.parent_base, ml.linked_by, ml.linked_at,
                        EXISTS (SELECT 1 FROM faults f
                                 WHERE f.company_id = e.company_id AND f.severity = 'critical' AND f.vessel_id = e.vessel_id
                                   AND f.equipment_id = e.id AND f.status NOT IN ('resolved', 'closed')
                                   AND f.deleted_at IS NULL) AS down
                   FROM equipment e
                   JOIN vessels v ON v.company_id = e.company_id AND v.id = e.vessel_id AND v.deleted_at IS NULL
                   LEFT JOIN meter_links ml ON ml.company_id = e.company_id AND ml.child_id = e.id
                  WHERE e.company_id = $1 AND e.id = $2 AND e.deleted_at IS NULL",
            )
            .bind(b.company)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(failed)?
            .ok_or(StatusCode::NOT_FOUND)?;
            let vessel: Uuid = row.try_get("vessel_id").map_err(failed)?;
            let faults = sqlx::query(
                "SELECT id, severity, status, title, observed_at, resolved_at FROM faults
                  WHERE company_id = $1 AND equipment_id = $2 AND deleted_at IS NULL ORDER BY id DESC LIMIT 50",
            )
            .bind(b.company)
            .bind(id)
            .fetch_all(&mut *tx)
            .await
            .map_err(failed)?;
            let readings = sqlx::query(
                "SELECT id, equipment_id, hours, meter_replaced, read_at, recorded_by FROM meter_readings
                  WHERE company_id = $1 AND equipment_id = $2 ORDER BY read_at, id",
            )
            .bind(b.company)
            .bind(id)
            .fetch_all(&mut *tx)
            .await
            .map_err(failed)?;
            drop(tx);

            let text = |c: &str| row.try_get::<Option<String>, _>(c).map_err(failed);
            let status = text("status")?;
            let down: bool = row.try_get("down").map_err(failed)?;
            let effective =
                if down && status.as_deref() != Some("decommissioned") { Some("down".into()) } else { status.clone() };
            let specs: Value = serde_json::from_str(&text("specs")?.unwrap_or_default()).unwrap_or_else(|_| json!({}));
            let qr_code = text("qr_code")?.unwrap_or_default();
            let meter_link = match row.try_get::<Option<Uuid>, _>("link_parent").map_err(failed)? {
                None => Value::Null,
                Some(parent) => json!({
                    "equipment_id": id, "parent_id": parent,
                    "child_base": row.try_get::<f64, _>("child_base").map_err(failed)?,
                    "parent_base": row.try_get::<f64, _>("parent_base").map_err(failed)?,
                    "linked_by": row.try_get::<Uuid, _>("linked_by").map_err(failed)?,
                    "linked_at": row.try_get::<DateTime<Utc>, _>("linked_at").map_err(failed)?,
                }),
            };
            let mut meter = Vec::with_capacity(readings.len());
            let mut latest = Vec::with_capacity(readings.len().min(50));
            for r in &readings {
                meter.push(MeterReading {
                    hours: r.try_get("hours").map_err(failed)?,
                    meter_replaced: r.try_get("meter_replaced").map_err(failed)?,
                    read_at: r.try_get("read_at").map_err(failed)?,
                });
            }
            for (r, m) in readings.iter().zip(&meter).rev().take(50) {
                latest.push(json!({
                    "id": r.try_get::<Uuid, _>("id").map_err(failed)?,
                    "equipment_id": r.try_get::<Uuid, _>("equipment_id").map_err(failed)?,
                    "hours": m.hours, "meter_replaced": m.meter_replaced, "read_at": m.read_at,
                    "recorded_by": r.try_get::<Option<Uuid>, _>("recorded_by").map_err(failed)?,
                }));
            }
            let history = faults
                .iter()
                .map(|f| {
                    Ok(json!({
                        "id": f.try_get::<Uuid, _>("id").map_err(failed)?,
                        "severity": f.try_get::<String, _>("severity").map_err(failed)?,
                        "status": f.try_get::<String, _>("status").map_err(failed)?,
                        "title": f.try_get::<String, _>("title").map_err(failed)?,
                        "observed_at": f.try_get::<DateTime<Utc>, _>("observed_at").map_err(failed)?,
                        "resolved_at": f.try_get::<Option<DateTime<Utc>>, _>("resolved_at").map_err(failed)?,
                    }))
                })
                .collect::<Result<Vec<_>, StatusCode>>()?;
            Ok(Json(json!({
                "id": row.try_get::<Uuid, _>("id").map_err(failed)?,
                "vessel_id": vessel,
                "parent_id": row.try_get::<Option<Uuid>, _>("parent_id").map_err(failed)?,
                "level": text("level")?, "area": text("area")?, "name": text("name")?,
                "equipment_type": text("equipment_type")?, "maker": text("maker")?, "model": text("model")?,
                "serial_number": text("serial_number")?, "criticality": text("criticality")?, "status": status,
                "effective_status": effective,
                "running_hours": (!meter.is_empty()).then(|| running_hours(&meter)),
                "meter_link": meter_link,
                "specs": specs,
                "qr_url": format!("{}/q/{qr_code}", b.public_url),
                "qr_code": qr_code,
                "version": row.try_get::<i64, _>("version").map_err(failed)?,
                "created_at": row.try_get::<DateTime<Utc>, _>("created_at").map_err(failed)?,
                "updated_at": row.try_get::<DateTime<Utc>, _>("updated_at").map_err(failed)?,
                "faults": history,
                "readings": latest,
                "readings_total": readings.len(),
            })))
        }

        async fn equipment_row(State(b): State<Arc<Baseline<$pool>>>, UrlPath(id): UrlPath<Uuid>) -> Result<Json<Value>, StatusCode> {
            let row = sqlx::query(
                "SELECT id, vessel_id, parent_id, level, area, name, equipment_type, maker, model, serial_number,
                        criticality, status, CAST(specs AS TEXT) AS specs, qr_code, version, created_at, updated_at
                   FROM equipment WHERE company_id = $1 AND id = $2 AND deleted_at IS NULL",
            )
            .bind(b.company)
            .bind(id)
            .fetch_optional(&b.readers)
            .await
            .map_err(failed)?
            .ok_or(StatusCode::NOT_FOUND)?;
            let text = |c: &str| row.try_get::<Option<String>, _>(c).map_err(failed);
            let specs: Value = serde_json::from_str(&text("specs")?.unwrap_or_default()).unwrap_or(Value::Null);
            Ok(Json(json!({
                "id": row.try_get::<Uuid, _>("id").map_err(failed)?,
                "vessel_id": row.try_get::<Uuid, _>("vessel_id").map_err(failed)?,
                "parent_id": row.try_get::<Option<Uuid>, _>("parent_id").map_err(failed)?,
                "level": text("level")?, "area": text("area")?, "name": text("name")?,
                "equipment_type": text("equipment_type")?, "maker": text("maker")?, "model": text("model")?,
                "serial_number": text("serial_number")?, "criticality": text("criticality")?, "status": text("status")?,
                "specs": specs, "qr_code": text("qr_code")?,
                "version": row.try_get::<i64, _>("version").map_err(failed)?,
                "created_at": row.try_get::<DateTime<Utc>, _>("created_at").map_err(failed)?,
                "updated_at": row.try_get::<DateTime<Utc>, _>("updated_at").map_err(failed)?,
            })))
        }

        async fn report(
            State(b): State<Arc<Baseline<$pool>>>,
            Json(body): Json<ReportBody>,
        ) -> Result<(StatusCode, Json<Value>), StatusCode> {
            let id = Uuid::now_v7();
            let now = Utc::now();
            let inserted = sqlx::query(
                "INSERT INTO faults (company_id, id, vessel_id, equipment_id, severity, status, title, description,
                                     reported_by, observed_at, received_at, version, created_at, updated_at)
                 SELECT $1, $2, vessel_id, id, $4, 'open', $5, $6, $7, $8, $8, 1, $8, $8
                   FROM equipment WHERE company_id = $1 AND id = $3",
            )
            .bind(b.company)
            .bind(id)
            .bind(body.equipment_id)
            .bind(&body.severity)
            .bind(&body.title)
            .bind(&body.description)
            .bind(b.reporter)
            .bind(now)
            .execute(&b.writer)
            .await
            .map_err(failed)?;
            if inserted.rows_affected() == 0 {
                return Err(StatusCode::UNPROCESSABLE_ENTITY);
            }
            Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
        }
        }
    };
}

handlers!(sqlite_handlers, SqlitePool);
handlers!(postgres_handlers, PgPool);

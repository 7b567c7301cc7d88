//! The baseline: a bare axum + sqlx service doing what Bosun's routes do at their core, with
//! nothing around it (no authentication, authorisation, audit trail, change log, middleware
//! or request logging).
//!
//! - `GET /equipment/{id}`: one `SELECT` of the item's row by primary key, as JSON, on a pool
//!   with Bosun's reader settings (same file, WAL, `synchronous=FULL`, foreign keys, busy
//!   timeout, pool size, no ping before each use).
//! - `POST /faults`: one `INSERT` of the fault row, committed on its own (`synchronous=FULL`,
//!   one fsync per row): plain per-row commits. Writes go through one connection, so they queue
//!   in sqlx's pool rather than in SQLite's busy handler (which sleeps, and would make the
//!   baseline slower than it need be).

use std::net::SocketAddr;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use uuid::Uuid;

struct Baseline {
    readers: SqlitePool,
    writer: SqlitePool,
    company: Uuid,
    reporter: Uuid,
}

/// A running baseline.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    readers: SqlitePool,
    writer: SqlitePool,
}

impl Running {
    /// Closes its pools.
    pub async fn close(&self) {
        self.readers.close().await;
        self.writer.close().await;
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

/// Starts the baseline on 127.0.0.1 over the SQLite file at `path`, reading and writing as
/// `company`, reporting faults as `reporter`.
pub async fn start(path: &Path, pool_size: u32, company: Uuid, reporter: Uuid) -> anyhow::Result<Running> {
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
    let state = Arc::new(Baseline { readers: readers.clone(), writer: writer.clone(), company, reporter });
    let router =
        Router::new().route("/equipment/{id}", get(equipment)).route("/faults", post(report)).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Ok(Running { addr, readers, writer })
}

fn failed(e: sqlx::Error) -> StatusCode {
    eprintln!("baseline: {e}");
    StatusCode::INTERNAL_SERVER_ERROR
}

async fn equipment(State(b): State<Arc<Baseline>>, UrlPath(id): UrlPath<Uuid>) -> Result<Json<Value>, StatusCode> {
    let row = sqlx::query(
        "SELECT id, vessel_id, parent_id, level, area, name, equipment_type, maker, model, serial_number,
                criticality, status, specs, qr_code, version, created_at, updated_at
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

#[derive(serde::Deserialize)]
struct ReportBody {
    equipment_id: Uuid,
    severity: String,
    title: String,
    #[serde(default)]
    description: String,
}

async fn report(
    State(b): State<Arc<Baseline>>,
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

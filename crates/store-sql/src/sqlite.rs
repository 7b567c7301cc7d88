//! The embedded SQLite backend: one file, WAL, `synchronous=FULL`, checked at start.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use bosun_store::{StoreError, StoreResult};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::{SqlStore, classify};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");

/// How to open the SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteSettings {
    /// The database file (created when missing).
    pub path: PathBuf,
    /// Pool size.
    pub max_connections: u32,
}

impl SqliteSettings {
    /// Default settings for the file at `path`.
    pub fn new(path: impl AsRef<Path>) -> Self {
        Self { path: path.as_ref().to_owned(), max_connections: 8 }
    }
}

/// Opens (creating if needed) the file, runs `integrity_check` and pending migrations.
pub async fn open(settings: &SqliteSettings) -> StoreResult<SqlStore> {
    if let Some(dir) = settings.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Unavailable(format!("cannot create {}: {e}", dir.display())))?;
    }
    let options = SqliteConnectOptions::from_str("sqlite://")
        .map_err(classify)?
        .filename(&settings.path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a write acknowledged to a client survives power loss, not only a crash.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(classify)?;
    let verdict: Vec<String> =
        sqlx::query_scalar("PRAGMA integrity_check(20)").fetch_all(&pool).await.map_err(classify)?;
    if verdict != ["ok"] {
        return Err(StoreError::Other(format!(
            "integrity_check of {} failed: {}; restore from a backup",
            settings.path.display(),
            verdict.join("; ")
        )));
    }
    MIGRATOR.run(&pool).await.map_err(|e| StoreError::Other(format!("migration failed: {e}")))?;
    Ok(SqlStore::Sqlite(pool))
}

/// The names of the migrations this build carries, in order.
pub fn migration_names() -> Vec<String> {
    MIGRATOR.iter().map(|m| format!("{:04}_{}", m.version, m.description.replace(' ', "_"))).collect()
}

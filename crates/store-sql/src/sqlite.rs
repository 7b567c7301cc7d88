//! The embedded SQLite backend: one file, WAL, `synchronous=FULL`, checked at start.
//!
//! Writes go through one writer connection ([`writer`]), whose transactions commit in groups:
//! one fsync makes a batch of them durable, and whose statements run inline through `rusqlite`
//! ([`direct`]). Reads go through a pool of read-only connections ([`reader`], `rusqlite` too),
//! each transaction one WAL snapshot of committed data, so they never wait for a writer and
//! never see a write before it is durable. See `docs/adr/0002-sqlite-group-commit.md`.

mod checkpointer;
pub(crate) mod direct;
mod reader;
mod writer;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bosun_store::{StoreError, StoreResult};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection};

use crate::{SqlStore, classify};

use checkpointer::Checkpointer;
pub(crate) use reader::ReadTx;
use reader::Readers;
pub(crate) use writer::WriteTx;
use writer::Writer;
pub use writer::{CommitStats, GROUP_COMMIT_MAX_BATCH, GROUP_COMMIT_WINDOW};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");

/// How to open the SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteSettings {
    /// The database file (created when missing).
    pub path: PathBuf,
    /// Size of the pool of read-only connections (writes have one connection of their own).
    pub max_connections: u32,
    /// Commit write transactions in groups, one fsync per batch (default). Off, every write
    /// transaction is committed, and fsynced, on its own.
    pub group_commit: bool,
}

impl SqliteSettings {
    /// Default settings for the file at `path`.
    pub fn new(path: impl AsRef<Path>) -> Self {
        Self { path: path.as_ref().to_owned(), max_connections: 8, group_commit: true }
    }
}

/// The SQLite file: a pool of read-only connections and the one writer.
#[derive(Clone)]
pub struct SqliteStore {
    /// The read transactions' connections.
    direct_readers: Arc<Readers>,
    /// A sqlx pool on the same file, connected only when asked for ([`Self::readers`]).
    readers: sqlx::SqlitePool,
    writer: Arc<Writer>,
    checkpointer: Arc<Checkpointer>,
    path: PathBuf,
    /// Moves after every committed write that may change a session's standing (see
    /// `Store::standing_epoch`): this process owns the file, so it sees every such write.
    standing: Arc<AtomicU64>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("path", &self.path).finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Commits the writer's open batch now: every commit so far is durable after it.
    pub async fn flush(&self) -> StoreResult<()> {
        self.writer.flush_now().await
    }

    /// A sqlx pool of read-only connections (`query_only`) on the file, for diagnostics and tests
    /// (the store's own reads use `rusqlite` connections of their own).
    pub fn readers(&self) -> &sqlx::SqlitePool {
        &self.readers
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many write transactions committed, and in how many durable commits.
    pub fn commit_stats(&self) -> CommitStats {
        CommitStats { checkpoints: self.checkpointer.checkpoints(), ..self.writer.stats() }
    }

    /// Whether write transactions commit in groups.
    pub fn group_commit(&self) -> bool {
        self.writer.group_commit()
    }

    /// The current standing epoch.
    pub(crate) fn standing_epoch(&self) -> u64 {
        self.standing.load(Ordering::Acquire)
    }

    /// The counter write transactions move when they change a standing.
    pub(crate) fn standing_counter(&self) -> Arc<AtomicU64> {
        self.standing.clone()
    }

    pub(crate) async fn begin_write(&self) -> StoreResult<WriteTx> {
        self.writer.begin().await
    }

    pub(crate) async fn begin_read(&self) -> StoreResult<ReadTx> {
        self.direct_readers.begin().await
    }

    pub(crate) async fn ping(&self) -> StoreResult<()> {
        reader::ping(&self.direct_readers).await
    }

    pub(crate) async fn close(&self) {
        self.direct_readers.close();
        self.readers.close().await;
        self.writer.close().await;
        self.checkpointer.stop();
    }
}

/// How much of the file readers map into memory (`PRAGMA mmap_size`; SQLite caps it at its
/// compile-time maximum, 2 GiB on 64-bit Linux). A reader then reads a page straight from the
/// operating system's page cache, which every connection shares, instead of copying it into a
/// page cache of its own (2 MiB by default, per connection) with a system call: a dashboard's
/// windows over a million faults touch tens of megabytes of index pages, which one
/// connection's cache cannot hold, and a pool of sixteen would hold sixteen times. What is
/// mapped is the file's own pages, so it costs address space, not memory.
const READER_MMAP_SIZE: &str = "2147418112";

/// The connection settings every connection to the file shares.
fn connect_options(path: &Path) -> StoreResult<SqliteConnectOptions> {
    Ok(SqliteConnectOptions::from_str("sqlite://")
        .map_err(classify)?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a write acknowledged to a client survives power loss, not only a crash.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        // Once the WAL starts over after a checkpoint, its file is cut back to 64 MiB.
        .pragma("journal_size_limit", "67108864"))
}

/// Opens (creating if needed) the file, runs `integrity_check` and pending migrations.
pub async fn open(settings: &SqliteSettings) -> StoreResult<SqlStore> {
    if let Some(dir) = settings.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Unavailable(format!("cannot create {}: {e}", dir.display())))?;
    }
    let options = connect_options(&settings.path)?;
    // The writer opens first: it creates the file, switches it to WAL and migrates it.
    let mut conn = SqliteConnection::connect_with(&options).await.map_err(classify)?;
    let verdict: Vec<String> =
        sqlx::query_scalar("PRAGMA integrity_check(20)").fetch_all(&mut conn).await.map_err(classify)?;
    if verdict != ["ok"] {
        let _ = conn.close().await;
        return Err(StoreError::Other(format!(
            "integrity_check of {} failed: {}; restore from a backup",
            settings.path.display(),
            verdict.join("; ")
        )));
    }
    MIGRATOR.run(&mut conn).await.map_err(|e| StoreError::Other(format!("migration failed: {e}")))?;
    // The store reads through `direct_readers`; this pool is for tools and tests that speak
    // sqlx, and opens a connection only when one of them asks.
    let readers = SqlitePoolOptions::new()
        .max_connections(settings.max_connections.max(1))
        .acquire_timeout(Duration::from_secs(10))
        .test_before_acquire(false)
        .connect_lazy_with(options.clone().pragma("query_only", "ON").pragma("mmap_size", READER_MMAP_SIZE));
    // The writer's own connection (`direct`) replaces the one that migrated the file. Its
    // page cache is 64 MiB, against SQLite's 2 MiB default (writes to a large file touch many
    // index pages; readers keep the default, each connection having its own), and it never
    // checkpoints the WAL itself: the checkpointer does, beside it.
    conn.close().await.map_err(classify)?;
    let direct = direct::open(&settings.path)?;
    let checkpointer = Checkpointer::start(options);
    let writer = Writer::new(direct, settings.path.clone(), settings.group_commit, checkpointer.poker());
    Ok(SqlStore::Sqlite(SqliteStore {
        direct_readers: Readers::new(&settings.path, settings.max_connections, READER_MMAP_SIZE),
        readers,
        writer: Arc::new(writer),
        checkpointer: Arc::new(checkpointer),
        path: settings.path.clone(),
        standing: Arc::default(),
    }))
}

/// The names of the migrations this build carries, in order.
pub fn migration_names() -> Vec<String> {
    MIGRATOR.iter().map(|m| format!("{:04}_{}", m.version, m.description.replace(' ', "_"))).collect()
}

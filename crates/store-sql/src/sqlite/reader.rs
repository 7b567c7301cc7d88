//! SQLite's read transactions, on a pool of `rusqlite` connections.
//!
//! sqlx runs each SQLite statement on a worker thread of the connection's own and sends the
//! rows back one message at a time, copying every value with `sqlite3_value_dup`: a read of
//! 10,000 rows (a vessel's stock, a sync pull) spent more time in those hand-overs and copies
//! than SQLite spent finding the rows. Here a read transaction holds one connection of a pool,
//! and each of its statements runs on a blocking thread in one hand-over, its rows decoded into
//! owned values there ([`direct`]'s rules, shared with the writer) and returned together.
//!
//! A statement runs on a blocking thread rather than inline (as the writer's do) because reads
//! can be long (a dashboard over a million faults, an export) and several of one request run
//! side by side (`tokio::try_join!`): inline they would hold a runtime worker and run one after
//! the other.
//!
//! Each transaction is one WAL snapshot (`BEGIN` deferred: it starts at the first read and takes
//! no lock), on a `query_only` connection, so a write fails. Ending it is cheap (releasing the
//! snapshot) and runs inline; a transaction dropped unfinished, or a statement whose request
//! gave up while it ran, rolls back before its connection returns to the pool.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bosun_store::{StoreError, StoreResult};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::direct::{self, Arg, Row};

/// Statements each reader keeps prepared.
const STATEMENT_CACHE: usize = 256;

/// How long a read waits for a free connection before answering `Unavailable`.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// The pool: idle connections and a permit per connection that may be open.
pub(crate) struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
    mmap_size: &'static str,
}

impl Readers {
    /// At most `size` connections to the file at `path`, opened when first needed.
    pub(crate) fn new(path: &Path, size: u32, mmap_size: &'static str) -> Arc<Self> {
        Arc::new(Self {
            path: path.to_owned(),
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(size.max(1) as usize)),
            mmap_size,
        })
    }

    /// A read transaction (its snapshot starts at its first statement).
    pub(crate) async fn begin(self: &Arc<Self>) -> StoreResult<ReadTx> {
        let permit = tokio::time::timeout(ACQUIRE_TIMEOUT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| StoreError::Unavailable("no SQLite reader became free in time".to_owned()))?
            .map_err(|_| StoreError::Unavailable("the SQLite store is closed".to_owned()))?;
        let idle = self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner).pop();
        let conn = match idle {
            Some(conn) => Some(conn),
            // Opening reads the schema: a blocking thread's work.
            None => {
                let this = self.clone();
                Some(
                    tokio::task::spawn_blocking(move || this.open())
                        .await
                        .map_err(|e| StoreError::Unavailable(format!("opening a SQLite reader failed: {e}")))??,
                )
            }
        };
        Ok(ReadTx { conn: Some(Pooled { conn, readers: self.clone(), _permit: permit }) })
    }

    fn open(&self) -> StoreResult<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(direct::classify)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(direct::classify)?;
        // A reader that tried to write would take SQLite's write lock behind the writer's back.
        conn.execute_batch(&format!(
            "PRAGMA query_only = ON; PRAGMA foreign_keys = ON; PRAGMA mmap_size = {};",
            self.mmap_size
        ))
        .map_err(direct::classify)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(conn)
    }

    /// Closes the idle connections; later reads fail as `Unavailable`.
    pub(crate) fn close(&self) {
        self.permits.close();
        self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}

/// A connection taken from the pool; it goes back, its transaction rolled back, when dropped.
struct Pooled {
    conn: Option<Connection>,
    readers: Arc<Readers>,
    _permit: OwnedSemaphorePermit,
}

impl Pooled {
    /// The connection inside its read transaction, begun if not yet.
    fn in_transaction(&mut self) -> rusqlite::Result<&Connection> {
        let conn = self.conn.as_ref().ok_or(rusqlite::Error::InvalidQuery)?;
        if conn.is_autocommit() {
            conn.execute_batch("BEGIN")?;
        }
        Ok(conn)
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        // Ending a read snapshot releases a slot in the WAL index: no I/O.
        if !conn.is_autocommit() && conn.execute_batch("ROLLBACK").is_err() {
            return; // closed, not pooled: its state is unknown
        }
        if !self.readers.permits.is_closed() {
            self.readers.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(conn);
        }
    }
}

/// One read transaction.
pub(crate) struct ReadTx {
    /// `None` only while a statement runs (or after one was lost with its thread).
    conn: Option<Pooled>,
}

/// A statement's way of running on a connection: [`direct::fetch_all`] and its siblings.
type Runner<T> = fn(&Connection, &str, &[&dyn Arg]) -> rusqlite::Result<T>;

impl ReadTx {
    /// Runs `sql` with `args` on a blocking thread, in this transaction's snapshot.
    async fn run<T: Send + 'static>(&mut self, sql: &str, args: Vec<Value>, runner: Runner<T>) -> StoreResult<T> {
        let mut conn = self
            .conn
            .take()
            .ok_or_else(|| StoreError::Unavailable("the read transaction's connection was lost".to_owned()))?;
        let sql = sql.to_owned();
        let (conn, out) = tokio::task::spawn_blocking(move || {
            let out = conn.in_transaction().and_then(|c| {
                let args: Vec<&dyn Arg> = args.iter().map(|a| a as &dyn Arg).collect();
                runner(c, &sql, &args)
            });
            (conn, out)
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("a SQLite read failed: {e}")))?;
        self.conn = Some(conn);
        out.map_err(direct::classify)
    }

    /// Every row `sql` answers.
    pub(crate) async fn fetch_all(&mut self, sql: &str, args: Vec<Value>) -> StoreResult<Vec<Row>> {
        self.run(sql, args, direct::fetch_all).await
    }

    /// The first row `sql` answers, if any.
    pub(crate) async fn fetch_optional(&mut self, sql: &str, args: Vec<Value>) -> StoreResult<Option<Row>> {
        self.run(sql, args, direct::fetch_optional).await
    }

    /// Runs `sql` (on a `query_only` connection a write fails).
    pub(crate) async fn execute(&mut self, sql: &str, args: Vec<Value>) -> StoreResult<u64> {
        self.run(sql, args, direct::execute).await
    }

    /// Ends the snapshot.
    pub(crate) fn commit(mut self) -> StoreResult<()> {
        let Some(mut pooled) = self.conn.take() else {
            return Err(StoreError::Unavailable("the read transaction's connection was lost".to_owned()));
        };
        match pooled.conn.as_ref() {
            Some(conn) if !conn.is_autocommit() => conn.execute_batch("COMMIT").map_err(direct::classify),
            _ => Ok(()),
        }
        .inspect_err(|_| drop(pooled.conn.take()))
    }
}

/// Checks that a reader can be had and answers.
pub(crate) async fn ping(readers: &Arc<Readers>) -> StoreResult<()> {
    let mut tx = readers.begin().await?;
    tx.fetch_optional("SELECT 1", Vec::new()).await?;
    tx.commit()
}

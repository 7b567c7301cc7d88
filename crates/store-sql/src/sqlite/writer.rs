//! SQLite's one writer connection and its group commit.
//!
//! With `synchronous=FULL` every SQLite commit waits for an fsync of the WAL, so committing
//! each write transaction on its own caps writes at one per fsync. Here the writer connection
//! holds an outer transaction (`BEGIN IMMEDIATE`) open across several logical transactions.
//! Each logical transaction (a [`WriteTx`], what `Store::begin` gives) is a `SAVEPOINT` on it,
//! run while holding the writer (an async mutex, so they run one at a time, in arrival order):
//!
//! - its statements run inline on the thread that runs it, through `rusqlite` ([`direct`]),
//!   never suspending: a unit of work holds the writer only while SQLite works for it
//!   (`docs/adr/0005-sqlite-writer-runs-whole-units-of-work.md`);
//! - its commit releases the savepoint into the outer transaction and waits until the outer
//!   transaction has been committed, durably. It commits it itself when no other writer is
//!   queued, when the batch is full ([`GROUP_COMMIT_MAX_BATCH`]) or when the batch's first
//!   commit has waited [`GROUP_COMMIT_WINDOW`]; otherwise it leaves the writer to the next one
//!   and waits, taking the writer back after [`BACKSTOP`] if nobody committed the batch
//!   meanwhile (the next writer may have given up);
//! - what may wait on the disk or on another process (`BEGIN IMMEDIATE`, `COMMIT` and its
//!   fsync, reconnecting) runs on a blocking thread of its own, holding the writer, so it
//!   never stalls the runtime's workers and runs to its end even if the request that started
//!   it is cancelled; the rest (`SAVEPOINT`, `RELEASE`, `ROLLBACK TO`) has no await point
//!   between its statements, so a cancelled request cannot leave it half done;
//! - dropping it uncommitted rolls back to its savepoint, leaving the batch's other logical
//!   transactions as they were;
//! - an error in the outer `COMMIT` (or anything that loses the outer transaction) fails every
//!   logical commit waiting on it: nothing is acknowledged that is not durable;
//! - readers use other connections, and a WAL reader sees a transaction only once its `COMMIT`
//!   has returned, so nobody reads a write before it is durable.
//!
//! With group commit off every logical commit commits the outer transaction at once: the same
//! code path with batches of one.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bosun_store::{StoreError, StoreResult};
use rusqlite::Connection;
use tokio::sync::{Mutex, Notify, OwnedMutexGuard, oneshot};

use super::direct;

/// The longest a logical commit waits for others to join its batch.
pub const GROUP_COMMIT_WINDOW: Duration = Duration::from_millis(2);

/// The most logical transactions one durable commit covers.
pub const GROUP_COMMIT_MAX_BATCH: usize = 256;

/// How long a waiting commit trusts the writers queued after it to commit its batch before
/// taking the writer back to commit it itself (one of them may have given up).
const BACKSTOP: Duration = Duration::from_millis(10);

/// What a waiting logical commit is told: `Err` holds why the batch was lost.
type Outcome = Result<(), String>;

/// How many write transactions committed, and in how many durable commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CommitStats {
    /// Logical transactions committed (acknowledged as durable).
    pub transactions: u64,
    /// Outer commits (fsyncs of the WAL) that made them durable.
    pub batches: u64,
    /// WAL checkpoints run beside the writer (see `checkpointer`).
    pub checkpoints: u64,
    /// Time spent in those outer commits (writing the batch to the WAL and its fsync), in
    /// microseconds.
    pub commit_micros: u64,
    /// Time the committed logical transactions held the writer, from taking it to releasing
    /// their savepoint (their statements, and whatever else they awaited meanwhile), in
    /// microseconds.
    pub held_micros: u64,
}

/// The writer connection and the batch it holds open.
struct WriterState {
    /// `None` after a failure that left the connection in doubt; the next writer reconnects.
    conn: Option<Connection>,
    /// The outer transaction is open.
    in_batch: bool,
    /// A logical transaction was dropped without commit: its savepoint still needs undoing.
    savepoint_open: bool,
    /// When the batch's first commit started waiting.
    waiting_since: Option<Instant>,
    /// Logical commits released into the outer transaction, waiting for it to commit.
    waiters: Vec<oneshot::Sender<Outcome>>,
    /// Logical transactions in the open batch that are already released (the waiters, plus
    /// the one committing it inline).
    released: u64,
    /// Set by `close`: no more transactions.
    closed: bool,
}

type Guard = OwnedMutexGuard<WriterState>;

/// The one connection every SQLite write goes through.
pub(crate) struct Writer {
    state: Arc<Mutex<WriterState>>,
    /// Tasks waiting for the writer (a commit leaves the batch open for them).
    queued: AtomicUsize,
    group: bool,
    /// The file, to reconnect after a failure.
    path: PathBuf,
    /// Told after every durable commit: the WAL has grown.
    checkpoint: Arc<Notify>,
    transactions: AtomicU64,
    batches: AtomicU64,
    commit_micros: AtomicU64,
    held_micros: AtomicU64,
}

/// Counts a task as queued for the writer until it gets it or gives up.
struct Queued<'a>(&'a AtomicUsize);

impl<'a> Queued<'a> {
    fn enter(n: &'a AtomicUsize) -> Self {
        n.fetch_add(1, Ordering::SeqCst);
        Self(n)
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn execute(st: &mut WriterState, sql: &'static str) -> StoreResult<()> {
    let conn = st.conn.as_mut().ok_or_else(|| lost("the writer connection is closed".into()))?;
    conn.execute_batch(sql).map_err(direct::classify)
}

/// Runs `work` on a blocking thread: what may wait on the disk. It runs to its end even if the
/// caller is cancelled (a request given up), so the writer's state is never left in doubt.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> StoreResult<T> + Send + 'static) -> StoreResult<T> {
    tokio::task::spawn_blocking(work).await.map_err(|e| lost(format!("the SQLite writer's thread failed: {e}")))?
}

/// What releasing a logical transaction into its batch left to do.
enum Released {
    /// This commit must commit the batch: it still holds the writer.
    Due(Guard),
    /// Others will commit the batch; the outcome arrives here.
    Waiting(oneshot::Receiver<Outcome>),
}

impl Writer {
    /// Wraps the (migrated) connection `conn` to the file at `path`.
    pub(crate) fn new(conn: Connection, path: PathBuf, group: bool, checkpoint: Arc<Notify>) -> Self {
        Self {
            state: Arc::new(Mutex::new(WriterState {
                conn: Some(conn),
                in_batch: false,
                savepoint_open: false,
                waiting_since: None,
                waiters: Vec::new(),
                released: 0,
                closed: false,
            })),
            queued: AtomicUsize::new(0),
            group,
            path,
            checkpoint,
            transactions: AtomicU64::new(0),
            batches: AtomicU64::new(0),
            commit_micros: AtomicU64::new(0),
            held_micros: AtomicU64::new(0),
        }
    }

    pub(crate) fn group_commit(&self) -> bool {
        self.group
    }

    pub(crate) fn stats(&self) -> CommitStats {
        CommitStats {
            transactions: self.transactions.load(Ordering::Relaxed),
            batches: self.batches.load(Ordering::Relaxed),
            checkpoints: 0,
            commit_micros: self.commit_micros.load(Ordering::Relaxed),
            held_micros: self.held_micros.load(Ordering::Relaxed),
        }
    }

    /// How many tasks wait for the writer.
    #[cfg(test)]
    pub(crate) fn queued(&self) -> usize {
        self.queued.load(Ordering::SeqCst)
    }

    async fn lock(&self) -> Guard {
        let _queued = Queued::enter(&self.queued);
        self.state.clone().lock_owned().await
    }

    /// Starts a logical transaction: the writer, a savepoint inside the open batch.
    pub(crate) async fn begin(self: &Arc<Self>) -> StoreResult<WriteTx> {
        // Waiting for the writer may be cancelled (nothing has happened yet).
        let st = self.lock().await;
        let since = Instant::now();
        // Inside an open, healthy batch a savepoint is all it takes; anything else (a new
        // batch, a stale one to commit, a dropped transaction to undo, a reconnection) may
        // wait on the disk.
        let inline = st.in_batch && !st.savepoint_open && st.conn.is_some() && !Self::is_full_or_stale(&st);
        let st = if inline {
            self.open_savepoint(st)?
        } else {
            let writer = self.clone();
            blocking(move || writer.open_savepoint(st)).await?
        };
        Ok(WriteTx { writer: self.clone(), state: Some(st), since })
    }

    fn open_savepoint(&self, mut st: Guard) -> StoreResult<Guard> {
        if st.closed {
            return Err(StoreError::Unavailable("the database is closed".into()));
        }
        self.settle(&mut st);
        if st.in_batch && Self::is_full_or_stale(&st) {
            // The result reaches the batch's waiters; this transaction starts a new batch.
            let _ = self.flush(&mut st);
        }
        if st.conn.is_none() {
            st.conn = Some(direct::open(&self.path)?);
        }
        if !st.in_batch {
            // IMMEDIATE takes the write lock up front (this connection is the only writer).
            execute(&mut st, "BEGIN IMMEDIATE")?;
            st.in_batch = true;
        }
        if let Err(e) = execute(&mut st, "SAVEPOINT bosun_tx") {
            self.abort_batch(&mut st, &format!("a savepoint could not be set: {e}"));
            return Err(e);
        }
        st.savepoint_open = true;
        Ok(st)
    }

    /// Releases a logical transaction's savepoint into the batch.
    fn release(&self, mut st: Guard) -> StoreResult<Released> {
        if let Err(e) = execute(&mut st, "RELEASE bosun_tx") {
            self.abort_batch(&mut st, &format!("a transaction could not be merged into its batch: {e}"));
            return Err(e);
        }
        st.savepoint_open = false;
        st.released += 1;
        if self.is_due(&st) {
            return Ok(Released::Due(st));
        }
        let (tx, rx) = oneshot::channel();
        st.waiters.push(tx);
        st.waiting_since.get_or_insert_with(Instant::now);
        Ok(Released::Waiting(rx))
    }

    /// Whether the open batch has enough commits, or has kept its first waiting long enough.
    fn is_full_or_stale(st: &WriterState) -> bool {
        st.waiters.len() + 1 >= GROUP_COMMIT_MAX_BATCH
            || st.waiting_since.is_some_and(|t| t.elapsed() >= GROUP_COMMIT_WINDOW)
    }

    /// Whether a logical commit must commit the batch now rather than leave it open for the
    /// writers queued behind it.
    fn is_due(&self, st: &WriterState) -> bool {
        !self.group || self.queued.load(Ordering::SeqCst) == 0 || Self::is_full_or_stale(st)
    }

    /// Undoes the savepoint of a logical transaction dropped without commit. Never waits on
    /// the disk: a rollback writes nothing.
    fn settle(&self, st: &mut WriterState) {
        if !st.savepoint_open {
            return;
        }
        st.savepoint_open = false;
        let undone = execute(st, "ROLLBACK TO bosun_tx").and_then(|()| execute(st, "RELEASE bosun_tx"));
        if let Err(e) = undone {
            // The outer transaction is gone (SQLite rolls it back on some errors) or in doubt.
            self.abort_batch(st, &format!("a failed transaction could not be undone: {e}"));
        } else if st.released == 0 {
            // Nothing else is in the batch: end it rather than hold SQLite's write lock idle.
            if execute(st, "ROLLBACK").is_err() {
                st.conn = None;
            }
            st.in_batch = false;
        }
    }

    /// Commits the open batch and tells its waiters. Waits on the disk: a blocking thread's.
    fn flush(&self, st: &mut WriterState) -> StoreResult<()> {
        if !st.in_batch {
            return Ok(());
        }
        let started = Instant::now();
        let committed = execute(st, "COMMIT");
        let took = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.commit_micros.fetch_add(took, Ordering::Relaxed);
        st.in_batch = false;
        st.waiting_since = None;
        match committed {
            Ok(()) => {
                let released = std::mem::take(&mut st.released);
                self.transactions.fetch_add(released, Ordering::Relaxed);
                self.batches.fetch_add(1, Ordering::Relaxed);
                for w in st.waiters.drain(..) {
                    let _ = w.send(Ok(()));
                }
                self.checkpoint.notify_one();
                Ok(())
            }
            Err(e) => {
                let message = format!("a batch of writes failed to commit: {e}");
                self.abort_batch(st, &message);
                Err(StoreError::Unavailable(message))
            }
        }
    }

    /// Rolls the outer transaction back and fails every logical commit waiting on it.
    fn abort_batch(&self, st: &mut WriterState, why: &str) {
        tracing::error!(error = why, waiting = st.waiters.len(), "a batch of SQLite writes was lost");
        if execute(st, "ROLLBACK").is_err() {
            // No transaction was open, or the connection is in doubt: start afresh. Closing a
            // connection rolls back whatever it still held.
            st.conn = None;
        }
        st.in_batch = false;
        st.savepoint_open = false;
        st.waiting_since = None;
        st.released = 0;
        for w in st.waiters.drain(..) {
            let _ = w.send(Err(why.to_owned()));
        }
    }

    /// Commits the open batch now, if there is one, and tells its waiters.
    pub(crate) async fn flush_now(self: &Arc<Self>) -> StoreResult<()> {
        let mut st = self.lock().await;
        if !st.in_batch {
            return Ok(());
        }
        let writer = self.clone();
        blocking(move || {
            writer.settle(&mut st);
            writer.flush(&mut st)
        })
        .await
    }

    /// Commits what is pending and closes the connection.
    pub(crate) async fn close(self: &Arc<Self>) {
        let mut st = self.lock().await;
        let writer = self.clone();
        let _ = blocking(move || {
            writer.settle(&mut st);
            let _ = writer.flush(&mut st);
            st.closed = true;
            st.conn = None;
            Ok(())
        })
        .await;
    }
}

/// One logical write transaction: a savepoint on the writer, which it holds until it ends.
pub(crate) struct WriteTx {
    writer: Arc<Writer>,
    state: Option<Guard>,
    /// When it took the writer.
    since: Instant,
}

fn lost(message: String) -> StoreError {
    StoreError::Unavailable(message)
}

impl WriteTx {
    /// The writer connection, for the transaction's statements.
    pub(crate) fn connection(&mut self) -> StoreResult<&mut Connection> {
        self.state
            .as_mut()
            .and_then(|st| st.conn.as_mut())
            .ok_or_else(|| lost("the writer connection is closed".into()))
    }

    /// Releases the savepoint into the batch and returns once the batch is durable.
    pub(crate) async fn commit(mut self) -> StoreResult<()> {
        let writer = self.writer.clone();
        let Some(st) = self.state.take() else {
            return Err(lost("the transaction has already ended".into()));
        };
        let held = u64::try_from(self.since.elapsed().as_micros()).unwrap_or(u64::MAX);
        writer.held_micros.fetch_add(held, Ordering::Relaxed);
        let told = match writer.release(st)? {
            Released::Due(mut st) => {
                let flushing = writer.clone();
                return blocking(move || flushing.flush(&mut st)).await;
            }
            Released::Waiting(told) => told,
        };
        durable(writer, told).await
    }

    /// Releases the savepoint into the open batch without committing it; the answer resolves
    /// once the batch is committed, by [`Writer::flush_now`] or by a later commit (it never
    /// commits it itself, so polling it never waits for the writer: the caller flushes).
    pub(crate) fn commit_later(mut self) -> StoreResult<impl Future<Output = StoreResult<()>> + Send + 'static> {
        let writer = self.writer.clone();
        let Some(mut st) = self.state.take() else {
            return Err(lost("the transaction has already ended".into()));
        };
        let held = u64::try_from(self.since.elapsed().as_micros()).unwrap_or(u64::MAX);
        writer.held_micros.fetch_add(held, Ordering::Relaxed);
        if let Err(e) = execute(&mut st, "RELEASE bosun_tx") {
            writer.abort_batch(&mut st, &format!("a transaction could not be merged into its batch: {e}"));
            return Err(e);
        }
        st.savepoint_open = false;
        st.released += 1;
        let (tx, told) = oneshot::channel();
        st.waiters.push(tx);
        drop(st);
        Ok(async move { outcome_of(told.await) })
    }
}

/// Waits until the batch holding a released transaction is durable, committing it after
/// [`BACKSTOP`] if nobody did meanwhile.
async fn durable(writer: Arc<Writer>, mut told: oneshot::Receiver<Outcome>) -> StoreResult<()> {
    loop {
        match tokio::time::timeout(BACKSTOP, &mut told).await {
            Ok(outcome) => return outcome_of(outcome),
            Err(_) => {
                // Nobody committed the batch meanwhile (the writer queued next may have
                // given up): take the writer back and commit it, unless that happened
                // while waiting for it.
                let mut st = writer.lock().await;
                match told.try_recv() {
                    Ok(outcome) => return outcome_of::<()>(Ok(outcome)),
                    Err(oneshot::error::TryRecvError::Closed) => return outcome_of(Err(())),
                    Err(oneshot::error::TryRecvError::Empty) => {}
                }
                let flushing = writer.clone();
                blocking(move || {
                    flushing.settle(&mut st);
                    // Tells this commit too, through `told`.
                    let _ = flushing.flush(&mut st);
                    Ok(())
                })
                .await?;
            }
        }
    }
}

fn outcome_of<E>(told: Result<Outcome, E>) -> StoreResult<()> {
    match told {
        Ok(Ok(())) => Ok(()),
        Ok(Err(why)) => Err(lost(why)),
        Err(_) => Err(lost("the database closed before the write was durable".into())),
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        let Some(mut st) = self.state.take() else { return };
        // Uncommitted: undo its savepoint now, still holding the writer (a rollback writes
        // nothing), and commit the batch if nobody else will, on a blocking thread.
        self.writer.settle(&mut st);
        if !st.waiters.is_empty() && self.writer.queued.load(Ordering::SeqCst) == 0 {
            let writer = self.writer.clone();
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn_blocking(move || {
                    let _ = writer.flush(&mut st);
                });
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::SqlStore;
    use crate::sqlite::{SqliteSettings, SqliteStore, open};

    async fn store(dir: &tempfile::TempDir, group_commit: bool) -> SqliteStore {
        let settings = SqliteSettings { group_commit, ..SqliteSettings::new(dir.path().join("bosun.db")) };
        match open(&settings).await.unwrap() {
            SqlStore::Sqlite(s) => s,
            SqlStore::Postgres(_) => unreachable!("a SQLite path opens SQLite"),
        }
    }

    async fn put(tx: &mut WriteTx, key: &str) {
        tx.connection()
            .unwrap()
            .execute("INSERT INTO auth_throttle (key, failures, updated_at) VALUES (?1, 1, '2026-03-01')", [key])
            .unwrap();
    }

    /// The keys readers see, sorted.
    async fn seen(s: &SqliteStore) -> Vec<String> {
        sqlx::query_scalar("SELECT key FROM auth_throttle ORDER BY key").fetch_all(s.readers()).await.unwrap()
    }

    /// The writer never checkpoints the WAL itself; the checkpointer copies committed pages into
    /// the database file beside it (only a checkpoint makes the file grow).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_checkpointer_copies_commits_into_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir, true).await;
        let mut tx = s.begin_write().await.unwrap();
        let auto: i64 = tx.connection().unwrap().query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0)).unwrap();
        assert_eq!(auto, 0);
        drop(tx);
        let file = dir.path().join("bosun.db");
        let size = || std::fs::metadata(&file).unwrap().len();
        let before = size();
        let big = "x".repeat(4000);
        for i in 0..200 {
            let mut tx = s.begin_write().await.unwrap();
            put(&mut tx, &format!("{i}{big}")).await;
            tx.commit().await.unwrap();
        }
        // 200 keys of 4 KB: some 800 KB that reach the file only through checkpoints.
        for _ in 0..500 {
            if size() >= before + 700_000 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(size() >= before + 700_000, "the file grew from {before} to {} bytes", size());
        assert!(s.commit_stats().checkpoints > 0);
    }

    /// Waits until `n` tasks are queued for the writer.
    async fn until_queued(s: &SqliteStore, n: usize) {
        for _ in 0..2000 {
            if s.writer.queued() == n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        panic!("{n} writers never queued");
    }

    #[tokio::test]
    async fn the_writer_uses_wal_full_sync_and_enforces_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir, true).await;
        let mut tx = s.writer.begin().await.unwrap();
        let conn = tx.connection().unwrap();
        let pragma = |name: &str| {
            conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, rusqlite::types::Value>(0)).unwrap()
        };
        assert_eq!(pragma("journal_mode"), rusqlite::types::Value::Text("wal".into()));
        assert_eq!(pragma("synchronous"), rusqlite::types::Value::Integer(2));
        assert_eq!(pragma("query_only"), rusqlite::types::Value::Integer(0));
        assert_eq!(pragma("foreign_keys"), rusqlite::types::Value::Integer(1));
        assert_eq!(pragma("cache_size"), rusqlite::types::Value::Integer(-65536));
        // Savepoints' sub-journals in memory, not in temporary files (`direct::open`).
        assert_eq!(pragma("temp_store"), rusqlite::types::Value::Integer(2));
        let orphan = conn
            .execute(
                "INSERT INTO vessels (company_id, id, kind, name, version, created_at, updated_at)
                 VALUES (?1, ?2, 'vessel', 'Orphan', 1, '2026-03-01T08:00:00Z', '2026-03-01T08:00:00Z')",
                [uuid::Uuid::now_v7().as_bytes().to_vec(), uuid::Uuid::now_v7().as_bytes().to_vec()],
            )
            .expect_err("a vessel referring to no company was stored");
        assert!(orphan.to_string().contains("FOREIGN KEY constraint failed"), "{orphan}");
        drop(tx);
        s.close().await;
    }

    /// Runs `n` write transactions at once, each putting its own key, and waits for them all.
    async fn write_concurrently(s: &SqliteStore, n: usize) {
        let writes = (0..n).map(|n| {
            let s = s.clone();
            tokio::spawn(async move {
                let mut tx = s.writer.begin().await.unwrap();
                put(&mut tx, &format!("k{n:02}")).await;
                tx.commit().await
            })
        });
        for w in futures_join(writes).await {
            w.unwrap();
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_write_transactions_share_durable_commits() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir, true).await;
        write_concurrently(&s, 64).await;
        assert_eq!(seen(&s).await.len(), 64, "every acknowledged write is visible");
        let stats = s.commit_stats();
        assert_eq!(stats.transactions, 64);
        assert!(stats.batches < 64, "64 writers queued together should share commits: {stats:?}");
        s.close().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn without_group_commit_each_transaction_commits_on_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir, false).await;
        write_concurrently(&s, 16).await;
        assert_eq!(seen(&s).await.len(), 16);
        let stats = s.commit_stats();
        assert_eq!((stats.transactions, stats.batches), (16, 16));
        s.close().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn commits_made_later_share_one_durable_commit_when_flushed() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir, true).await;
        let mut later = Vec::new();
        for key in ["a", "b", "c"] {
            let mut tx = s.writer.begin().await.unwrap();
            put(&mut tx, key).await;
            later.push(tokio::spawn(tx.commit_later().unwrap()));
        }
        // Each later transaction saw the ones before it; readers see none, nothing is durable.
        assert_eq!(seen(&s).await, Vec::<String>::new());
        tokio::task::yield_now().await;
        assert!(later.iter().all(|d| !d.is_finished()), "acknowledged before the flush");
        s.flush().await.unwrap();
        for d in later {
            d.await.unwrap().unwrap();
        }
        assert_eq!(seen(&s).await, ["a", "b", "c"]);
        let stats = s.commit_stats();
        assert_eq!((stats.transactions, stats.batches), (3, 1));
        // A later commit that waits makes an earlier deferred one durable with it.
        let mut d = s.writer.begin().await.unwrap();
        put(&mut d, "d").await;
        let d = d.commit_later().unwrap();
        let mut e = s.writer.begin().await.unwrap();
        put(&mut e, "e").await;
        e.commit().await.unwrap();
        d.await.unwrap();
        assert_eq!(seen(&s).await, ["a", "b", "c", "d", "e"]);
        s.close().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn readers_see_a_commit_only_once_its_batch_is_durable() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir, true).await;
        let mut a = s.writer.begin().await.unwrap();
        put(&mut a, "a").await;
        let (began, b_began) = oneshot::channel();
        let (go, b_go) = oneshot::channel::<()>();
        let b = tokio::spawn({
            let s = s.clone();
            async move {
                let mut b = s.writer.begin().await.unwrap();
                began.send(()).unwrap();
                b_go.await.unwrap();
                put(&mut b, "b").await;
                b.commit().await
            }
        });
        until_queued(&s, 1).await;
        // B is queued, so A's commit leaves the batch open for it and waits.
        let a_commit = tokio::spawn(a.commit());
        b_began.await.unwrap();
        assert_eq!(seen(&s).await, Vec::<String>::new(), "A is released but not durable: unseen");
        assert!(!a_commit.is_finished(), "A was acknowledged before its batch committed");
        go.send(()).unwrap();
        b.await.unwrap().unwrap();
        a_commit.await.unwrap().unwrap();
        assert_eq!(seen(&s).await, ["a", "b"]);
        let stats = s.commit_stats();
        assert_eq!((stats.transactions, stats.batches), (2, 1));
        s.close().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_dropped_transaction_leaves_the_rest_of_its_batch() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir, true).await;
        let mut a = s.writer.begin().await.unwrap();
        put(&mut a, "a").await;
        let b = tokio::spawn({
            let s = s.clone();
            async move {
                let mut b = s.writer.begin().await.unwrap();
                put(&mut b, "b").await;
                drop(b);
            }
        });
        until_queued(&s, 1).await;
        a.commit().await.unwrap();
        b.await.unwrap();
        let mut c = s.writer.begin().await.unwrap();
        put(&mut c, "c").await;
        c.commit().await.unwrap();
        assert_eq!(seen(&s).await, ["a", "c"]);
        assert_eq!(s.commit_stats().transactions, 2);
        s.close().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_batch_commit_fails_every_commit_waiting_on_it() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir, true).await;
        // A leaves a foreign key violation that only COMMIT checks.
        let mut a = s.writer.begin().await.unwrap();
        let conn = a.connection().unwrap();
        conn.execute_batch("PRAGMA defer_foreign_keys = ON").unwrap();
        conn.execute(
            "INSERT INTO vessels (company_id, id, kind, name, version, created_at, updated_at)
             VALUES (?1, ?2, 'vessel', 'Orphan', 1, '2026-03-01T08:00:00Z', '2026-03-01T08:00:00Z')",
            [uuid::Uuid::now_v7().as_bytes().to_vec(), uuid::Uuid::now_v7().as_bytes().to_vec()],
        )
        .unwrap();
        put(&mut a, "a").await;
        let b = tokio::spawn({
            let s = s.clone();
            async move {
                let mut b = s.writer.begin().await.unwrap();
                put(&mut b, "b").await;
                b.commit().await
            }
        });
        until_queued(&s, 1).await;
        let a_commit = tokio::spawn(a.commit());
        let b_result = b.await.unwrap();
        let a_result = a_commit.await.unwrap();
        assert!(matches!(b_result, Err(StoreError::Unavailable(_))), "{b_result:?}");
        assert!(matches!(a_result, Err(StoreError::Unavailable(_))), "{a_result:?}");
        assert_eq!(seen(&s).await, Vec::<String>::new(), "nothing of the failed batch is kept");
        assert_eq!(s.commit_stats().transactions, 0);

        // The writer carries on.
        let mut c = s.writer.begin().await.unwrap();
        put(&mut c, "c").await;
        c.commit().await.unwrap();
        assert_eq!(seen(&s).await, ["c"]);
        s.close().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_commit_whose_next_writer_gives_up_still_becomes_durable() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir, true).await;
        let mut a = s.writer.begin().await.unwrap();
        put(&mut a, "a").await;
        let b = tokio::spawn({
            let s = s.clone();
            async move {
                // Cancelled before (or just after) it gets the writer.
                let _b = s.writer.begin().await;
                std::future::pending::<()>().await;
            }
        });
        until_queued(&s, 1).await;
        let a_commit = tokio::spawn(a.commit());
        tokio::time::sleep(Duration::from_micros(200)).await;
        b.abort();
        let done = tokio::time::timeout(Duration::from_secs(5), a_commit).await;
        done.expect("the commit finished").unwrap().unwrap();
        assert_eq!(seen(&s).await, ["a"]);
        s.close().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_transaction_cancelled_mid_way_leaves_nothing_and_blocks_nobody() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir, true).await;
        let hung = tokio::spawn({
            let s = s.clone();
            async move {
                let mut t = s.writer.begin().await.unwrap();
                put(&mut t, "cancelled").await;
                std::future::pending::<()>().await;
            }
        });
        for _ in 0..2000 {
            if s.writer.state.try_lock().is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        hung.abort();
        let _ = hung.await;
        let mut t = tokio::time::timeout(Duration::from_secs(5), s.writer.begin()).await.unwrap().unwrap();
        put(&mut t, "after").await;
        t.commit().await.unwrap();
        assert_eq!(seen(&s).await, ["after"]);
        s.close().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_idle_writer_holds_no_lock_on_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir, true).await;
        let mut dropped = s.writer.begin().await.unwrap();
        put(&mut dropped, "dropped").await;
        drop(dropped);
        let mut committed = s.writer.begin().await.unwrap();
        put(&mut committed, "committed").await;
        committed.commit().await.unwrap();
        let mut dropped = s.writer.begin().await.unwrap();
        put(&mut dropped, "dropped").await;
        drop(dropped);
        for _ in 0..2000 {
            if s.writer.state.try_lock().is_ok_and(|st| !st.in_batch) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        // Another process could write now, without waiting.
        let mut other =
            <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite://{}", s.path().display()))
                .await
                .unwrap();
        sqlx::query("PRAGMA busy_timeout = 0").execute(&mut other).await.unwrap();
        sqlx::query("INSERT INTO auth_throttle (key, failures, updated_at) VALUES ('other', 1, '2026-03-01')")
            .execute(&mut other)
            .await
            .expect("the file's write lock is free");
        assert_eq!(seen(&s).await, ["committed", "other"]);
        s.close().await;
    }

    async fn futures_join<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
        let mut out = Vec::new();
        for h in handles.collect::<Vec<_>>() {
            out.push(h.await.unwrap());
        }
        out
    }
}

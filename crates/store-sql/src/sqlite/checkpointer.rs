//! Checkpoints of the WAL, on a connection of their own.
//!
//! SQLite appends every commit to the WAL; a checkpoint copies the WAL's pages back into the
//! database file and fsyncs it, so that the WAL can start over. By default the connection whose
//! commit takes the WAL past 1,000 pages runs that checkpoint inside its `COMMIT`: a write,
//! and every write queued behind the one writer, then waits for a thousand page writes and an
//! fsync of the database file. Here the writer never checkpoints (`wal_autocheckpoint = 0`);
//! after each durable commit it pokes this task, which runs a `PASSIVE` checkpoint on its own
//! connection, beside the writer rather than in its way: a passive checkpoint takes no lock a
//! writer or reader waits for, copies what no reader still needs, and leaves the rest for the
//! next one. A crash in the middle of one is as safe as SQLite's own (the WAL stays the truth
//! until its pages are in the file and fsynced).
//!
//! Pokes are coalesced: at most one checkpoint runs at a time, and one more after it if
//! commits came meanwhile, [`PAUSE`] apart. A store that is closed checkpoints what is left
//! as its last connection closes, as SQLite always does.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// The least time between two checkpoints. Each writes the pages committed since the last and
/// fsyncs the database file, on the disk the writer's commits fsync the WAL on: checkpoints
/// every 50 ms cost the writer as much as checkpointing in its own commits did, one a second
/// halved the p99 of durable fault reports at 16 connections (`bosun-bench`). Under a full
/// write load the WAL then holds up to a second of commits (tens of megabytes) before it is
/// copied back; `journal_size_limit` trims the file once it starts over.
const PAUSE: Duration = Duration::from_secs(1);

/// The handle on the checkpointing task.
pub(crate) struct Checkpointer {
    poke: Arc<Notify>,
    done: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

impl Checkpointer {
    /// Starts the task over the file `options` opens.
    pub(crate) fn start(options: SqliteConnectOptions) -> Self {
        let poke = Arc::new(Notify::new());
        let done = Arc::new(AtomicU64::new(0));
        let task = tokio::spawn(run(options, poke.clone(), done.clone()));
        Self { poke, done, task }
    }

    /// What a commit calls to ask for a checkpoint.
    pub(crate) fn poker(&self) -> Arc<Notify> {
        self.poke.clone()
    }

    /// Checkpoints run so far.
    pub(crate) fn checkpoints(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Stops the task (its connection closes with it; the last connection to close
    /// checkpoints whatever is left).
    pub(crate) fn stop(&self) {
        self.task.abort();
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn run(options: SqliteConnectOptions, poke: Arc<Notify>, done: Arc<AtomicU64>) {
    let mut conn: Option<SqliteConnection> = None;
    loop {
        poke.notified().await;
        if conn.is_none() {
            match SqliteConnection::connect_with(&options).await {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    tracing::warn!(error = %e, "the WAL checkpointer cannot connect; retrying on the next commit");
                    tokio::time::sleep(PAUSE).await;
                    continue;
                }
            }
        }
        let Some(c) = conn.as_mut() else { continue };
        match sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&mut *c).await {
            Ok(_) => {
                done.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                tracing::warn!(error = %e, "a WAL checkpoint failed; the next commit retries it");
                if let Some(c) = conn.take() {
                    let _ = c.close().await;
                }
            }
        }
        tokio::time::sleep(PAUSE).await;
    }
}

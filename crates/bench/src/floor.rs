//! The floor of a durable fault report on SQLite: the rows one report writes, written by a bare
//! loop on one connection with nothing else around it (no HTTP, no JSON, no authentication, no
//! runtime), in batches of one durable commit each.
//!
//! It answers what the ratio targets of the write bench can be at all with this data model on
//! this machine: whatever Bosun's layers cost, a durable report cannot be cheaper than writing
//! the fault (its table and indexes), its change-log number and entry, and its audit-chain entry
//! and head, then committing them with an fsync. The loop copies the bench's own latest rows
//! (the same column values, so the same sizes) under fresh keys, mirrors the statements of
//! `crates/store-sql` (`record_change`, `insert_fault`, `append_audit`) and reads the item's row
//! first as the report does; it skips the item's reach and down-state checks, the audit hash and
//! every allocation of the real code, so what it measures is an upper bound for any
//! implementation of these writes, not an estimate of Bosun's. Its rows are copies, and its
//! audit entries carry no real chain hash: the bench's file is scratch once it has run.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

/// What the loop measured.
pub(crate) struct Floor {
    /// Reports written (and committed).
    pub(crate) writes: u64,
    /// Wall time of the whole loop.
    pub(crate) elapsed: Duration,
    /// Time in the reports' statements (savepoints included).
    pub(crate) statements: Duration,
    /// Time in the batches' durable commits.
    pub(crate) commits: Duration,
    /// Durable commits.
    pub(crate) batches: u64,
}

impl Floor {
    /// Reports per second.
    pub(crate) fn rate(&self) -> f64 {
        self.writes as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    /// Statement time of one report, in microseconds.
    pub(crate) fn micros_per_write(&self) -> f64 {
        self.statements.as_secs_f64() * 1e6 / self.writes.max(1) as f64
    }

    /// One durable commit, in milliseconds.
    pub(crate) fn ms_per_commit(&self) -> f64 {
        self.commits.as_secs_f64() * 1e3 / self.batches.max(1) as f64
    }
}

/// What the loop writes for each report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rows {
    /// Every row a report writes (the floor).
    Report,
    /// The fault's row alone, one `INSERT` a commit: the per-row baseline's statement without
    /// HTTP, measured on the same file just before the floor so that both see the disk at the
    /// same pace.
    FaultOnly,
}

/// A table's latest rows read back as values; the loop replaces their keys before writing them
/// again.
fn latest(conn: &Connection, table: &str, limit: usize) -> anyhow::Result<Vec<Vec<Value>>> {
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY rowid DESC LIMIT {limit}"))?;
    let n = stmt.column_count();
    let rows = stmt
        .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect::<Result<Vec<_>, _>>())?
        .collect::<Result<Vec<_>, _>>()?;
    if rows.is_empty() {
        bail!("no {table} rows to copy: the floor runs after Bosun's writes");
    }
    Ok(rows)
}

fn column(conn: &Connection, table: &str, name: &str) -> anyhow::Result<usize> {
    let stmt = conn.prepare(&format!("SELECT * FROM {table} LIMIT 0"))?;
    stmt.column_index(name).with_context(|| format!("{table}.{name}"))
}

fn insert_sql(table: &str, n: usize) -> String {
    let marks: Vec<String> = (1..=n).map(|i| format!("?{i}")).collect();
    format!("INSERT INTO {table} VALUES ({})", marks.join(", "))
}

/// The same loop on a copy of the bench's (checkpointed) file from which every secondary index
/// of the three tables a report writes has been dropped (the reads those indexes serve would
/// scan): what the writes could reach if the data model kept no index beyond the keys.
pub(crate) fn run_without_indexes(
    path: &Path,
    batch: usize,
    warmup: Duration,
    measure: Duration,
) -> anyhow::Result<Floor> {
    let copy = path.with_extension("floor-copy.db");
    std::fs::copy(path, &copy)?;
    let result = (|| {
        let conn = Connection::open(&copy)?;
        let names = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                   AND tbl_name IN ('faults', 'sync_changes', 'audit_log')",
            )?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        for name in names {
            conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
        }
        drop(conn);
        run(&copy, Rows::Report, batch, warmup, measure)
    })();
    for suffix in ["", "-wal", "-shm"] {
        let mut name = copy.clone().into_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
    result
}

/// Writes `rows` in batches of `batch` for `measure` (after `warmup`), with the pragmas of
/// Bosun's writer connection (`crates/store-sql/src/sqlite/direct.rs`), on the bench's file.
pub(crate) fn run(path: &Path, rows: Rows, batch: usize, warmup: Duration, measure: Duration) -> anyhow::Result<Floor> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
         PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY;",
    )?;
    let faults = latest(&conn, "faults", 400)?;
    let change = latest(&conn, "sync_changes", 1)?.remove(0);
    let audit = latest(&conn, "audit_log", 1)?.remove(0);
    let (f_id, f_company, f_equipment) = (
        column(&conn, "faults", "id")?,
        column(&conn, "faults", "company_id")?,
        column(&conn, "faults", "equipment_id")?,
    );
    let (c_company, c_scope, c_seq, c_row) = (
        column(&conn, "sync_changes", "company_id")?,
        column(&conn, "sync_changes", "scope")?,
        column(&conn, "sync_changes", "seq")?,
        column(&conn, "sync_changes", "row_id")?,
    );
    let (a_company, a_seq, a_id, a_entity_id, a_hash) = (
        column(&conn, "audit_log", "company_id")?,
        column(&conn, "audit_log", "seq")?,
        column(&conn, "audit_log", "id")?,
        column(&conn, "audit_log", "entity_id")?,
        column(&conn, "audit_log", "hash")?,
    );
    let insert_fault = insert_sql("faults", faults[0].len());
    let insert_change = insert_sql("sync_changes", change.len());
    let insert_audit = insert_sql("audit_log", audit.len());
    let (mut change_row, mut audit_row) = (change, audit);

    let one =
        |n: usize, fault: &mut Vec<Value>, change: &mut Vec<Value>, audit: &mut Vec<Value>| -> anyhow::Result<()> {
            let id = uuid::Uuid::now_v7();
            conn.execute_batch("SAVEPOINT report")?;
            conn.prepare_cached("SELECT * FROM equipment WHERE company_id = ?1 AND id = ?2 AND deleted_at IS NULL")?
                .query_row([&fault[f_company], &fault[f_equipment]], |_| Ok(()))?;
            let seq: i64 = conn
                .prepare_cached(
                    "INSERT INTO sync_scopes (company_id, scope, seq) VALUES (?1, ?2, 1)
                 ON CONFLICT (company_id, scope) DO UPDATE SET seq = sync_scopes.seq + 1 RETURNING seq",
                )?
                .query_row([&change[c_company], &change[c_scope]], |r| r.get(0))?;
            change[c_seq] = Value::Integer(seq);
            change[c_row] = Value::Blob(id.as_bytes().to_vec());
            conn.prepare_cached(&insert_change)?.execute(params_from_iter(change.iter()))?;
            fault[f_id] = Value::Blob(id.as_bytes().to_vec());
            conn.prepare_cached(&insert_fault)?.execute(params_from_iter(fault.iter()))?;
            let (seq, _head): (i64, String) = conn
                .prepare_cached("UPDATE audit_heads SET seq = seq + 1 WHERE company_id = ?1 RETURNING seq, hash")?
                .query_row([&audit[a_company]], |r| Ok((r.get(0)?, r.get(1)?)))?;
            audit[a_seq] = Value::Integer(seq);
            audit[a_id] = Value::Blob(uuid::Uuid::now_v7().as_bytes().to_vec());
            audit[a_entity_id] = Value::Text(id.to_string());
            // The real chain hashes the entry onto the head's hash; the floor writes a value of the
            // same length and skips the SHA-256 (about a microsecond).
            let next = format!("{n:064x}");
            audit[a_hash] = Value::Text(next.clone());
            conn.prepare_cached(&insert_audit)?.execute(params_from_iter(audit.iter()))?;
            conn.prepare_cached("UPDATE audit_heads SET hash = ?2 WHERE company_id = ?1")?
                .execute(rusqlite::params![&audit[a_company], next])?;
            conn.execute_batch("RELEASE report")?;
            Ok(())
        };

    let mut counted = None::<Floor>;
    let mut n = 0usize;
    let started = Instant::now();
    let mut measuring = Instant::now();
    loop {
        let now = Instant::now();
        if counted.is_none() && now.duration_since(started) >= warmup {
            counted = Some(Floor {
                writes: 0,
                elapsed: Duration::ZERO,
                statements: Duration::ZERO,
                commits: Duration::ZERO,
                batches: 0,
            });
            measuring = now;
        }
        if counted.is_some() && now.duration_since(measuring) >= measure {
            break;
        }
        let a = Instant::now();
        conn.execute_batch("BEGIN IMMEDIATE")?;
        for _ in 0..batch {
            let mut fault = faults[n % faults.len()].clone();
            if rows == Rows::FaultOnly {
                fault[f_id] = Value::Blob(uuid::Uuid::now_v7().as_bytes().to_vec());
                conn.prepare_cached(&insert_fault)?.execute(params_from_iter(fault.iter()))?;
            } else {
                one(n, &mut fault, &mut change_row, &mut audit_row)?;
            }
            n += 1;
        }
        let b = Instant::now();
        conn.execute_batch("COMMIT")?;
        let c = Instant::now();
        if let Some(f) = counted.as_mut() {
            f.writes += batch as u64;
            f.statements += b - a;
            f.commits += c - b;
            f.batches += 1;
        }
    }
    let mut floor = counted.context("the floor measured nothing")?;
    floor.elapsed = measuring.elapsed();
    Ok(floor)
}

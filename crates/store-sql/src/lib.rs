//! Bosun's SQL store: one set of repositories, written once, run over SQLite or PostgreSQL.
//!
//! The two backends share their SQL text: both accept `$n` parameters, `RETURNING` and
//! `ON CONFLICT`, and sqlx encodes the same Rust types (UUID, UTC time, JSON) natively for
//! each. Where the dialects differ a query names both forms. What is PostgreSQL's own —
//! row-level security, the runtime role check — lives in [`postgres`]. See
//! `docs/adr/0001-one-sql-store-two-drivers.md`.

#![cfg_attr(test, allow(clippy::disallowed_methods))]

mod accounts;
mod analytics;
mod assignments;
mod audit;
mod changes;
mod companies;
mod equipment;
mod faults;
mod handovers;
mod maintenance_plans;
mod plans;
pub mod postgres;
mod purchasing;
mod rows;
mod sessions;
pub mod sqlite;
mod stock;
mod users;
mod vessels;
mod work_orders;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use bosun_domain::CompanyId;
use bosun_store::{Backend, Store, StoreError, StoreResult, Tx};
use sqlx::{Postgres, Transaction};

pub use postgres::PgSettings;
pub use sqlite::{SqliteSettings, SqliteStore};

/// A connection pool on one of the two backends.
#[derive(Debug, Clone)]
pub enum SqlStore {
    /// The embedded file: read-only connections and one writer.
    Sqlite(SqliteStore),
    /// A PostgreSQL server, logged in as the runtime role.
    Postgres(sqlx::PgPool),
}

impl SqlStore {
    /// Opens the store a URL names: `sqlite://path`, running pending migrations first, or
    /// `postgres://…` as the runtime role, on a schema the owner has migrated
    /// ([`postgres::migrate`]) and refusing a role row-level security would not bind.
    pub async fn open(url: &str, pg: &PgSettings) -> StoreResult<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            postgres::open(url, pg).await
        } else {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            sqlite::open(&SqliteSettings::new(path)).await
        }
    }
}

/// A transaction on either backend.
pub struct SqlTx {
    conn: Conn,
    tenant: Option<CompanyId>,
    /// SQLite's standing epoch, moved on commit when a statement changed a standing.
    standing: Option<Arc<AtomicU64>>,
    standing_changed: bool,
    /// The sync mutation the changes this transaction records come from.
    origin: Option<bosun_store::ChangeOrigin>,
    /// The sync scopes it recorded changes in.
    scopes: std::collections::BTreeSet<String>,
}

impl SqlTx {
    /// Refuses a tenant-owned read or write for any company but the transaction's own. On
    /// PostgreSQL row-level security would hide the rows anyway; SQLite has only this check.
    pub(crate) fn scoped(&self, company: CompanyId) -> StoreResult<()> {
        if self.tenant == Some(company) { Ok(()) } else { Err(StoreError::NotFound) }
    }

    /// Notes that this transaction changes a session's standing: a membership or a session
    /// family's revocation (see `Store::standing_epoch`).
    pub(crate) fn mark_standing_changed(&mut self) {
        self.standing_changed = true;
    }
}

pub(crate) enum Conn {
    /// A read-only snapshot on one of SQLite's reader connections.
    SqliteRead(sqlite::ReadTx),
    /// A write transaction on SQLite's writer connection.
    SqliteWrite(sqlite::WriteTx),
    /// A transaction on PostgreSQL, read-only or not.
    Pg(Transaction<'static, Postgres>),
}

#[async_trait]
impl Store for SqlStore {
    async fn begin(&self, tenant: Option<CompanyId>) -> StoreResult<Box<dyn Tx>> {
        let mut standing = None;
        let conn = match self {
            Self::Sqlite(store) => {
                standing = Some(store.standing_counter());
                Conn::SqliteWrite(store.begin_write().await?)
            }
            Self::Postgres(pool) => {
                let mut tx = pool.begin().await.map_err(classify)?;
                if let Some(company) = tenant {
                    postgres::set_tenant(&mut tx, company).await?;
                }
                Conn::Pg(tx)
            }
        };
        Ok(Box::new(SqlTx {
            conn,
            tenant,
            standing,
            standing_changed: false,
            origin: None,
            scopes: Default::default(),
        }))
    }

    async fn begin_read(&self, tenant: Option<CompanyId>) -> StoreResult<Box<dyn Tx>> {
        let conn = match self {
            // Deferred: in WAL mode a reader takes no lock, and its snapshot starts at its first
            // read. The connection is `query_only`, so a write fails. PostgreSQL gets the same
            // one snapshot from REPEATABLE READ (read-only, it never fails to serialise).
            Self::Sqlite(store) => Conn::SqliteRead(store.begin_read().await?),
            Self::Postgres(pool) => {
                let mut tx =
                    pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await.map_err(classify)?;
                if let Some(company) = tenant {
                    postgres::set_tenant(&mut tx, company).await?;
                }
                Conn::Pg(tx)
            }
        };
        Ok(Box::new(SqlTx {
            conn,
            tenant,
            standing: None,
            standing_changed: false,
            origin: None,
            scopes: Default::default(),
        }))
    }

    async fn ping(&self) -> StoreResult<()> {
        match self {
            Self::Sqlite(store) => store.ping().await,
            Self::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await.map(drop).map_err(classify),
        }
    }

    async fn flush(&self) -> StoreResult<()> {
        match self {
            Self::Sqlite(store) => store.flush().await,
            // Each PostgreSQL commit is durable when it returns.
            Self::Postgres(_) => Ok(()),
        }
    }

    fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    fn standing_epoch(&self) -> Option<u64> {
        match self {
            Self::Sqlite(store) => Some(store.standing_epoch()),
            Self::Postgres(_) => None,
        }
    }

    async fn close(&self) {
        match self {
            Self::Sqlite(store) => store.close().await,
            Self::Postgres(pool) => pool.close().await,
        }
    }
}

#[async_trait]
impl Tx for SqlTx {
    async fn commit(self: Box<Self>) -> StoreResult<()> {
        let committed = match self.conn {
            Conn::SqliteRead(tx) => tx.commit(),
            Conn::SqliteWrite(tx) => tx.commit().await,
            Conn::Pg(tx) => tx.commit().await.map_err(classify),
        };
        // Moved after the commit, failed or not (a failed commit's outcome may be unknown): a
        // standing read before it was read under the old epoch, so it is not used again.
        if let (true, Some(epoch)) = (self.standing_changed, &self.standing) {
            epoch.fetch_add(1, Ordering::AcqRel);
        }
        committed
    }

    fn recorded_scopes(&self) -> Vec<String> {
        self.scopes.iter().cloned().collect()
    }

    async fn commit_later(self: Box<Self>) -> StoreResult<bosun_store::Durable> {
        let Conn::SqliteWrite(tx) = self.conn else { return Tx::commit(self).await.map(|()| ready()) };
        // The standing epoch moves once the commit is visible (durable) or failed, never before:
        // a standing read in between would be cached under the new epoch.
        let moved = StandingMove(self.standing.filter(|_| self.standing_changed));
        // On an error `moved` is dropped here, moving the epoch (the outcome is in doubt).
        let durable = tx.commit_later()?;
        Ok(Box::pin(async move {
            let outcome = durable.await;
            drop(moved);
            outcome
        }))
    }
}

/// Moves a standing epoch when dropped: after a deferred commit settled, or with it abandoned.
struct StandingMove(Option<Arc<AtomicU64>>);

impl Drop for StandingMove {
    fn drop(&mut self) {
        if let Some(epoch) = &self.0 {
            epoch.fetch_add(1, Ordering::AcqRel);
        }
    }
}

/// A commit that is durable already.
fn ready() -> bosun_store::Durable {
    Box::pin(std::future::ready(Ok(())))
}

/// Turns a driver error into a [`StoreError`], by kind, in this one place.
pub(crate) fn classify(e: sqlx::Error) -> StoreError {
    use sqlx::error::ErrorKind;
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) => match db.kind() {
            ErrorKind::UniqueViolation | ErrorKind::ForeignKeyViolation => {
                StoreError::Conflict(db.message().to_owned())
            }
            // SQLITE_BUSY / SQLITE_LOCKED, PostgreSQL serialization failure, too many
            // connections, admin shutdown, cannot connect now.
            _ if matches!(
                db.code().as_deref(),
                Some("5" | "6" | "517" | "262" | "40001" | "53300" | "57P01" | "57P03")
            ) =>
            {
                StoreError::Unavailable(db.message().to_owned())
            }
            _ => StoreError::Other(db.message().to_owned()),
        },
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Protocol(_) => StoreError::Unavailable(e.to_string()),
        _ => StoreError::Other(e.to_string()),
    }
}

/// Runs one statement on whichever backend the transaction uses, binding the same values.
/// `fetch_all`, `fetch_optional` and `execute` are the three ways of running it. On SQLite's
/// writer the statement runs inline through `rusqlite` ([`sqlite::direct`]), elsewhere through
/// sqlx.
macro_rules! run {
    ($tx:expr, fetch_all, $sql:expr $(, $arg:expr)* $(,)?) => {
        match &mut $tx.conn {
            $crate::Conn::SqliteRead(r) => {
                let sql = sqlx::SqlSafeStr::into_sql_str($sql);
                r.fetch_all(sql.as_str(), vec![$($crate::sqlite::direct::owned(&$arg)),*]).await.map(|rows| rows.into_iter().map($crate::rows::DbRow::Direct).collect::<Vec<_>>())
            }
            $crate::Conn::SqliteWrite(w) => w.connection().and_then(|c| {
                let sql = sqlx::SqlSafeStr::into_sql_str($sql);
                $crate::sqlite::direct::fetch_all(c, sql.as_str(), &[$(&$arg as &dyn $crate::sqlite::direct::Arg),*])
                    .map_err($crate::sqlite::direct::classify)
            }).map(|rows| rows.into_iter().map($crate::rows::DbRow::Direct).collect::<Vec<_>>()),
            $crate::Conn::Pg(c) => sqlx::query($sql)$(.bind($arg))*.fetch_all(&mut **c).await
                .map(|rows| rows.into_iter().map($crate::rows::DbRow::Pg).collect::<Vec<_>>())
                .map_err($crate::classify),
        }
    };
    ($tx:expr, fetch_optional, $sql:expr $(, $arg:expr)* $(,)?) => {
        match &mut $tx.conn {
            $crate::Conn::SqliteRead(r) => {
                let sql = sqlx::SqlSafeStr::into_sql_str($sql);
                r.fetch_optional(sql.as_str(), vec![$($crate::sqlite::direct::owned(&$arg)),*]).await.map(|row| row.map($crate::rows::DbRow::Direct))
            }
            $crate::Conn::SqliteWrite(w) => w.connection().and_then(|c| {
                let sql = sqlx::SqlSafeStr::into_sql_str($sql);
                $crate::sqlite::direct::fetch_optional(c, sql.as_str(), &[$(&$arg as &dyn $crate::sqlite::direct::Arg),*])
                    .map_err($crate::sqlite::direct::classify)
            }).map(|row| row.map($crate::rows::DbRow::Direct)),
            $crate::Conn::Pg(c) => sqlx::query($sql)$(.bind($arg))*.fetch_optional(&mut **c).await
                .map(|row| row.map($crate::rows::DbRow::Pg))
                .map_err($crate::classify),
        }
    };
    ($tx:expr, execute, $sql:expr $(, $arg:expr)* $(,)?) => {
        match &mut $tx.conn {
            $crate::Conn::SqliteRead(r) => {
                let sql = sqlx::SqlSafeStr::into_sql_str($sql);
                r.execute(sql.as_str(), vec![$($crate::sqlite::direct::owned(&$arg)),*]).await
            }
            $crate::Conn::SqliteWrite(w) => w.connection().and_then(|c| {
                let sql = sqlx::SqlSafeStr::into_sql_str($sql);
                $crate::sqlite::direct::execute(c, sql.as_str(), &[$(&$arg as &dyn $crate::sqlite::direct::Arg),*])
                    .map_err($crate::sqlite::direct::classify)
            }),
            $crate::Conn::Pg(c) => sqlx::query($sql)$(.bind($arg))*.execute(&mut **c).await
                .map(|r| r.rows_affected())
                .map_err($crate::classify),
        }
    };
}
pub(crate) use run;

/// The vessels a vessel-scoped caller reaches, as a subquery over the company's parameter,
/// the caller's (`Reach::principal`) and the day rotations must not have ended before
/// (`Reach::since`): a person's vessels through their rotations, an API key's through the
/// vessels it lists. One text for every query that scopes by it.
macro_rules! reachable_vessels {
    ($company:literal, $principal:literal, $since:literal) => {
        concat!(
            "SELECT vm.vessel_id FROM vessel_members vm WHERE vm.company_id = ",
            $company,
            " AND vm.user_id = ",
            $principal,
            " AND vm.deleted_at IS NULL AND (vm.rotation_end IS NULL OR vm.rotation_end >= ",
            $since,
            ") UNION ALL SELECT kv.vessel_id FROM api_key_vessels kv WHERE kv.company_id = ",
            $company,
            " AND kv.key_id = ",
            $principal
        )
    };
}
pub(crate) use reachable_vessels;

/// Whether a vessel-scoped caller reaches the vessel `$vessel` (a column or parameter), as a
/// condition: the same rule as [`reachable_vessels!`], tested for one vessel by two key
/// lookups rather than by building the caller's whole list. For queries of one row.
macro_rules! reaches_vessel {
    ($company:literal, $vessel:literal, $principal:literal, $since:literal) => {
        concat!(
            "(EXISTS (SELECT 1 FROM vessel_members vm WHERE vm.company_id = ",
            $company,
            " AND vm.vessel_id = ",
            $vessel,
            " AND vm.user_id = ",
            $principal,
            " AND vm.deleted_at IS NULL AND (vm.rotation_end IS NULL OR vm.rotation_end >= ",
            $since,
            ")) OR EXISTS (SELECT 1 FROM api_key_vessels kv WHERE kv.company_id = ",
            $company,
            " AND kv.key_id = ",
            $principal,
            " AND kv.vessel_id = ",
            $vessel,
            "))"
        )
    };
}
pub(crate) use reaches_vessel;

/// One optional filter of a query: `test` when the filter is set, else `{param} IS NULL`, which
/// holds (an unset filter binds NULL) and keeps the parameter in the statement, so the bound
/// arguments stay the same. Unlike `($n IS NULL OR test)` the statement then says only what
/// applies, and the planner can use an index for it.
pub(crate) fn filter(set: bool, param: &str, test: &str) -> String {
    if set { test.to_owned() } else { format!("{param} IS NULL") }
}

/// The rows of a PostgreSQL statement taking the company as `$1` and ids as a `uuid[]` `$2`:
/// the one round trip of a batch read (on SQLite the repositories read the ids one by one).
pub(crate) async fn pg_rows_for_ids(
    c: &mut Transaction<'static, Postgres>,
    sql: impl sqlx::SqlSafeStr,
    company: CompanyId,
    ids: impl Iterator<Item = uuid::Uuid>,
) -> StoreResult<Vec<rows::DbRow>> {
    let rows =
        sqlx::query(sql).bind(company.0).bind(ids.collect::<Vec<_>>()).fetch_all(&mut **c).await.map_err(classify)?;
    Ok(rows.into_iter().map(rows::DbRow::Pg).collect())
}

/// Fails with `NotFound` when a write touched no row.
pub(crate) fn expect_one(affected: u64) -> StoreResult<()> {
    if affected == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// The limit clause value for a page (one more row is never fetched: callers ask for
/// `limit + 1` when they need to know whether more follow).
pub(crate) fn limit(n: u32) -> i64 {
    i64::from(n.clamp(1, 1000))
}

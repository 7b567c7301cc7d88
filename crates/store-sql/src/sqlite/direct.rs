//! SQLite statements through `rusqlite`: the writer's, run inline, and the readers' ([`super::reader`]).
//!
//! sqlx runs each SQLite statement on a worker thread of the connection's own and hands the
//! result back to the task that asked: two thread wake-ups per statement, while the one writer
//! connection is held. Here the writer's statements run on the thread that runs the unit of work,
//! without suspending, so a whole unit holds the writer only for the time SQLite takes
//! (`docs/adr/0005-sqlite-writer-runs-whole-units-of-work.md`).
//!
//! The SQL text is the repositories' own (ADR 0001): `$n` parameters are bound by their number.
//! Values are written exactly as sqlx writes them (a UUID as its 16 bytes, a time as RFC 3339
//! text with `+00:00`, a flag as 0 or 1), so files written before the store moved off sqlx read
//! back the same, and text columns of times keep sorting as times. Columns are read back with sqlx's own
//! rules (the same list of time formats).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bosun_store::{StoreError, StoreResult};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Offset, SecondsFormat, TimeZone, Utc};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, ErrorCode, OpenFlags, Statement};

/// Statements the writer keeps prepared: every repository statement that writes, and the reads a
/// write makes, fit with room to spare.
const STATEMENT_CACHE: usize = 512;

/// Opens the writer's connection to the (created, migrated) file: WAL, `synchronous=FULL`,
/// foreign keys enforced, a 64 MiB page cache, no automatic checkpoints (the checkpointer runs
/// them beside the writer), temporary storage in memory, the same busy timeout as every other
/// connection.
///
/// Temporary storage in memory matters for group commit: each write is a savepoint inside the
/// batch's transaction, and before it changes a page an earlier write of the batch changed,
/// SQLite copies the page to the savepoint's sub-journal. On disk (the default) that is a
/// `pwrite` to a temporary file for every such page once a sub-journal passes 64 KiB; in memory
/// it is a copy, and the sub-journal is emptied when the savepoint is released, so it holds at
/// most one write's pages.
pub(crate) fn open(path: &Path) -> StoreResult<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(classify)?;
    conn.busy_timeout(Duration::from_secs(10)).map_err(classify)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(classify)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Other(format!("{} could not switch to WAL: {mode}", path.display())));
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA journal_size_limit = 67108864;
         PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY;",
    )
    .map_err(classify)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

/// Turns a `rusqlite` error into a [`StoreError`] by the same rules as sqlx's
/// (`crate::classify`): a unique or foreign-key violation is a conflict, a busy or locked file is
/// unavailable, the rest is other. SQLite's own message is kept, as sqlx keeps it.
pub(crate) fn classify(e: rusqlite::Error) -> StoreError {
    match &e {
        rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
        rusqlite::Error::SqliteFailure(err, message) => {
            let message = message.clone().unwrap_or_else(|| err.to_string());
            match err.code {
                // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY, _FOREIGNKEY.
                ErrorCode::ConstraintViolation if matches!(err.extended_code, 2067 | 1555 | 787) => {
                    StoreError::Conflict(message)
                }
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Unavailable(message),
                _ => StoreError::Other(message),
            }
        }
        _ => StoreError::Other(e.to_string()),
    }
}

/// A value bound to a statement's parameter, written as sqlx writes it to SQLite.
pub(crate) trait Arg {
    /// The value SQLite stores.
    fn arg(&self) -> ToSqlOutput<'_>;
}

impl<T: Arg + ?Sized> Arg for &T {
    fn arg(&self) -> ToSqlOutput<'_> {
        (**self).arg()
    }
}

impl<T: Arg> Arg for Option<T> {
    fn arg(&self) -> ToSqlOutput<'_> {
        self.as_ref().map_or(ToSqlOutput::Owned(Value::Null), Arg::arg)
    }
}

impl Arg for str {
    fn arg(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Borrowed(ValueRef::Text(self.as_bytes()))
    }
}

impl Arg for String {
    fn arg(&self) -> ToSqlOutput<'_> {
        self.as_str().arg()
    }
}

impl Arg for [u8] {
    fn arg(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Borrowed(ValueRef::Blob(self))
    }
}

impl Arg for Vec<u8> {
    fn arg(&self) -> ToSqlOutput<'_> {
        self.as_slice().arg()
    }
}

impl Arg for uuid::Uuid {
    fn arg(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Borrowed(ValueRef::Blob(self.as_bytes()))
    }
}

impl Arg for DateTime<Utc> {
    fn arg(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Text(self.to_rfc3339_opts(SecondsFormat::AutoSi, false)))
    }
}

impl Arg for NaiveDate {
    fn arg(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Text(self.format("%F").to_string()))
    }
}

impl Arg for bool {
    fn arg(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Integer(i64::from(*self)))
    }
}

macro_rules! integer_args {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn arg(&self) -> ToSqlOutput<'_> {
                ToSqlOutput::Owned(Value::Integer(i64::from(*self)))
            }
        }
    )*};
}
integer_args!(i64, i32, i16, u32, u16, u8);

impl Arg for f64 {
    fn arg(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Real(*self))
    }
}

impl Arg for serde_json::Value {
    fn arg(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Text(self.to_string()))
    }
}

impl<T: serde::Serialize> Arg for sqlx::types::Json<T> {
    fn arg(&self) -> ToSqlOutput<'_> {
        match serde_json::to_string(&self.0) {
            Ok(text) => ToSqlOutput::Owned(Value::Text(text)),
            // sqlx refuses such a value when binding it; NULL then fails the column's NOT NULL.
            Err(_) => ToSqlOutput::Owned(Value::Null),
        }
    }
}

impl Arg for Value {
    fn arg(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Borrowed(ValueRef::from(self))
    }
}

/// The value `arg` binds, owned: what a statement run on another thread carries there.
pub(crate) fn owned(arg: &dyn Arg) -> Value {
    match arg.arg() {
        ToSqlOutput::Borrowed(ValueRef::Null) => Value::Null,
        ToSqlOutput::Borrowed(ValueRef::Integer(i)) => Value::Integer(i),
        ToSqlOutput::Borrowed(ValueRef::Real(f)) => Value::Real(f),
        // Text is bound only from Rust strings: valid UTF-8.
        ToSqlOutput::Borrowed(ValueRef::Text(t)) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ToSqlOutput::Borrowed(ValueRef::Blob(b)) => Value::Blob(b.to_vec()),
        ToSqlOutput::Owned(v) => v,
        // Zero blobs and arrays are never bound by the repositories.
        _ => Value::Null,
    }
}

/// A column value read back, by sqlx's rules for SQLite.
pub(crate) trait Column: Sized {
    /// The value of one column; `Err` says why it does not fit.
    fn column(v: ValueRef<'_>) -> Result<Self, String>;
}

fn mismatch<T>(v: ValueRef<'_>) -> Result<T, String> {
    Err(format!("mismatched type: {}", v.data_type()))
}

impl<T: Column> Column for Option<T> {
    fn column(v: ValueRef<'_>) -> Result<Self, String> {
        match v {
            ValueRef::Null => Ok(None),
            v => T::column(v).map(Some),
        }
    }
}

impl Column for String {
    fn column(v: ValueRef<'_>) -> Result<Self, String> {
        match v {
            ValueRef::Text(t) => std::str::from_utf8(t).map(str::to_owned).map_err(|e| e.to_string()),
            v => mismatch(v),
        }
    }
}

impl Column for Vec<u8> {
    fn column(v: ValueRef<'_>) -> Result<Self, String> {
        match v {
            ValueRef::Blob(b) => Ok(b.to_vec()),
            v => mismatch(v),
        }
    }
}

impl Column for uuid::Uuid {
    fn column(v: ValueRef<'_>) -> Result<Self, String> {
        match v {
            ValueRef::Blob(b) => uuid::Uuid::from_slice(b).map_err(|e| e.to_string()),
            v => mismatch(v),
        }
    }
}

impl Column for i64 {
    fn column(v: ValueRef<'_>) -> Result<Self, String> {
        match v {
            ValueRef::Integer(i) => Ok(i),
            v => mismatch(v),
        }
    }
}

macro_rules! narrow_columns {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn column(v: ValueRef<'_>) -> Result<Self, String> {
                <$t>::try_from(i64::column(v)?).map_err(|e| e.to_string())
            }
        }
    )*};
}
narrow_columns!(i32, i16, u32);

impl Column for bool {
    fn column(v: ValueRef<'_>) -> Result<Self, String> {
        i64::column(v).map(|i| i != 0)
    }
}

impl Column for f64 {
    fn column(v: ValueRef<'_>) -> Result<Self, String> {
        match v {
            ValueRef::Real(f) => Ok(f),
            #[allow(clippy::cast_precision_loss)]
            ValueRef::Integer(i) => Ok(i as f64),
            v => mismatch(v),
        }
    }
}

impl Column for serde_json::Value {
    fn column(v: ValueRef<'_>) -> Result<Self, String> {
        match v {
            ValueRef::Text(t) | ValueRef::Blob(t) => serde_json::from_slice(t).map_err(|e| e.to_string()),
            v => mismatch(v),
        }
    }
}

impl<T: serde::de::DeserializeOwned> Column for sqlx::types::Json<T> {
    fn column(v: ValueRef<'_>) -> Result<Self, String> {
        match v {
            ValueRef::Text(t) | ValueRef::Blob(t) => {
                serde_json::from_slice(t).map(sqlx::types::Json).map_err(|e| e.to_string())
            }
            v => mismatch(v),
        }
    }
}

impl Column for NaiveDate {
    fn column(v: ValueRef<'_>) -> Result<Self, String> {
        let text = String::column(v)?;
        NaiveDate::parse_from_str(&text, "%F").map_err(|e| e.to_string())
    }
}

impl Column for DateTime<Utc> {
    fn column(v: ValueRef<'_>) -> Result<Self, String> {
        let at = match v {
            ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(datetime_from_text),
            ValueRef::Integer(i) => Utc.fix().timestamp_opt(i, 0).single(),
            v => return mismatch(v),
        };
        at.map(|at| at.with_timezone(&Utc)).ok_or_else(|| "invalid datetime".to_owned())
    }
}

/// sqlx's reading of a time written as text: RFC 3339, then SQLite's own formats.
fn datetime_from_text(text: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at);
    }
    const FORMATS: [&str; 12] = [
        "%F %T%.f",
        "%F %R",
        "%F %RZ",
        "%F %R%:z",
        "%F %T%.fZ",
        "%F %T%.f%:z",
        "%FT%R",
        "%FT%RZ",
        "%FT%R%:z",
        "%FT%T%.f",
        "%FT%T%.fZ",
        "%FT%T%.f%:z",
    ];
    FORMATS.iter().find_map(|format| {
        DateTime::parse_from_str(text, format)
            .ok()
            .or_else(|| NaiveDateTime::parse_from_str(text, format).ok().map(|at| Utc.fix().from_utc_datetime(&at)))
    })
}

/// A row read on the writer: its values by column.
pub(crate) struct Row {
    names: Arc<[Box<str>]>,
    values: Vec<Value>,
}

impl Row {
    /// The value of column `col`.
    pub(crate) fn get<T: Column>(&self, col: &str) -> Result<T, String> {
        let at = self.names.iter().position(|n| &**n == col).ok_or_else(|| "no such column".to_owned())?;
        T::column(ValueRef::from(&self.values[at]))
    }
}

/// The statement `sql`, prepared once per connection, with `args` bound to its `$n` parameters.
fn prepare<'c>(conn: &'c Connection, sql: &str, args: &[&dyn Arg]) -> rusqlite::Result<rusqlite::CachedStatement<'c>> {
    let mut stmt = conn.prepare_cached(sql)?;
    bind(&mut stmt, args)?;
    Ok(stmt)
}

fn bind(stmt: &mut Statement<'_>, args: &[&dyn Arg]) -> rusqlite::Result<()> {
    stmt.clear_bindings();
    for index in 1..=stmt.parameter_count() {
        let number = stmt.parameter_name(index).and_then(|name| name.strip_prefix('$')).and_then(|n| n.parse().ok());
        let arg = number.and_then(|n: usize| n.checked_sub(1)).and_then(|n| args.get(n));
        let Some(arg) = arg else {
            return Err(rusqlite::Error::InvalidParameterName(stmt.parameter_name(index).unwrap_or("?").to_owned()));
        };
        stmt.raw_bind_parameter(index, arg.arg())?;
    }
    Ok(())
}

/// The first `keep` rows the statement answers; with `drain` it is stepped to its end all the
/// same (an `INSERT … RETURNING` of several rows writes them all only then, as with sqlx).
fn rows(stmt: &mut Statement<'_>, keep: usize, drain: bool) -> rusqlite::Result<Vec<Row>> {
    let names: Arc<[Box<str>]> = stmt.column_names().into_iter().map(Box::from).collect();
    let width = names.len();
    let mut out = Vec::new();
    let mut raw = stmt.raw_query();
    while let Some(r) = raw.next()? {
        if out.len() < keep {
            let values = (0..width).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>()?;
            out.push(Row { names: names.clone(), values });
        } else if !drain {
            break;
        }
    }
    Ok(out)
}

/// Every row `sql` answers.
pub(crate) fn fetch_all(conn: &Connection, sql: &str, args: &[&dyn Arg]) -> rusqlite::Result<Vec<Row>> {
    let mut stmt = prepare(conn, sql, args)?;
    rows(&mut stmt, usize::MAX, true)
}

/// The first row `sql` answers, if any.
pub(crate) fn fetch_optional(conn: &Connection, sql: &str, args: &[&dyn Arg]) -> rusqlite::Result<Option<Row>> {
    let mut stmt = prepare(conn, sql, args)?;
    let drain = !stmt.readonly();
    Ok(rows(&mut stmt, 1, drain)?.pop())
}

/// Runs `sql` and answers how many rows it changed.
pub(crate) fn execute(conn: &Connection, sql: &str, args: &[&dyn Arg]) -> rusqlite::Result<u64> {
    let mut stmt = prepare(conn, sql, args)?;
    let mut raw = stmt.raw_query();
    while raw.next()?.is_some() {}
    drop(raw);
    Ok(conn.changes())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};
    use sqlx::Row as _;

    use super::*;
    use crate::SqlStore;
    use crate::sqlite::{SqliteSettings, open as open_store};

    /// What SQLite holds for `value` bound through the writer: its type and its text or bytes.
    fn stored_directly(conn: &Connection, value: &dyn Arg) -> (String, Option<Vec<u8>>) {
        let row = fetch_optional(conn, "SELECT typeof($1) AS t, CAST($1 AS BLOB) AS b", &[value]).unwrap().unwrap();
        (row.get("t").unwrap(), row.get("b").unwrap())
    }

    /// The same, bound through sqlx on a reader.
    async fn stored_by_sqlx<'q, T>(pool: &sqlx::SqlitePool, value: T) -> (String, Option<Vec<u8>>)
    where
        T: sqlx::Encode<'q, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite> + 'q,
    {
        let row =
            sqlx::query("SELECT typeof($1) AS t, CAST($1 AS BLOB) AS b").bind(value).fetch_one(pool).await.unwrap();
        (row.get("t"), row.get("b"))
    }

    /// The writer stores every kind of value the repositories bind exactly as sqlx does, so the
    /// readers read back what the writer wrote and times keep sorting as times.
    #[tokio::test]
    async fn values_are_written_as_sqlx_writes_them() {
        let dir = tempfile::tempdir().unwrap();
        let SqlStore::Sqlite(store) = open_store(&SqliteSettings::new(dir.path().join("bosun.db"))).await.unwrap()
        else {
            unreachable!("a SQLite path opens SQLite")
        };
        let conn = open(&dir.path().join("bosun.db")).unwrap();
        let pool = store.readers();
        let id = uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);
        let whole = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
        let fine = whole + chrono::Duration::microseconds(123_456);
        let day = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let json = serde_json::json!({"rpm": 1800, "maker": "MAN"});
        assert_eq!(stored_directly(&conn, &id), stored_by_sqlx(pool, id).await);
        assert_eq!(stored_directly(&conn, &whole), stored_by_sqlx(pool, whole).await);
        assert_eq!(stored_directly(&conn, &fine), stored_by_sqlx(pool, fine).await);
        assert_eq!(stored_directly(&conn, &day), stored_by_sqlx(pool, day).await);
        assert_eq!(stored_directly(&conn, &true), stored_by_sqlx(pool, true).await);
        assert_eq!(stored_directly(&conn, &42_i64), stored_by_sqlx(pool, 42_i64).await);
        assert_eq!(stored_directly(&conn, &7_i32), stored_by_sqlx(pool, 7_i32).await);
        assert_eq!(stored_directly(&conn, &1.5_f64), stored_by_sqlx(pool, 1.5_f64).await);
        assert_eq!(stored_directly(&conn, &"Main engine"), stored_by_sqlx(pool, "Main engine").await);
        assert_eq!(stored_directly(&conn, &vec![0_u8, 1, 255]), stored_by_sqlx(pool, vec![0_u8, 1, 255]).await);
        assert_eq!(stored_directly(&conn, &None::<String>), stored_by_sqlx(pool, None::<String>).await);
        assert_eq!(
            stored_directly(&conn, &sqlx::types::Json(&json)),
            stored_by_sqlx(pool, sqlx::types::Json(&json)).await
        );
        store.close().await;
    }

    /// Times read on the writer are read as sqlx reads them, whichever of SQLite's formats a
    /// row holds (a default of `CURRENT_TIMESTAMP`, a literal in a migration).
    #[tokio::test]
    async fn times_are_read_as_sqlx_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let SqlStore::Sqlite(store) = open_store(&SqliteSettings::new(dir.path().join("bosun.db"))).await.unwrap()
        else {
            unreachable!("a SQLite path opens SQLite")
        };
        let conn = open(&dir.path().join("bosun.db")).unwrap();
        for text in [
            "2026-03-01T08:00:00+00:00",
            "2026-03-01T08:00:00.123456+00:00",
            "2026-03-01T08:00:00Z",
            "2026-03-01T10:00:00+02:00",
            "2026-03-01 08:00:00",
            "2026-03-01 08:00",
            "2026-03-01T08:00:00.5",
        ] {
            let direct: DateTime<Utc> =
                fetch_optional(&conn, "SELECT $1 AS at", &[&text]).unwrap().unwrap().get("at").unwrap();
            let by_sqlx: DateTime<Utc> =
                sqlx::query("SELECT $1 AS at").bind(text).fetch_one(store.readers()).await.unwrap().get("at");
            assert_eq!(direct, by_sqlx, "{text}");
        }
        store.close().await;
    }

    /// Parameters are bound by their number, wherever and however often they appear.
    #[test]
    fn parameters_bind_by_number_not_by_position() {
        let conn = Connection::open_in_memory().unwrap();
        let row = fetch_optional(&conn, "SELECT $2 AS b, $1 AS a, $2 || $1 AS ba", &[&"a", &"b"]).unwrap().unwrap();
        let got: (String, String, String) = (row.get("a").unwrap(), row.get("b").unwrap(), row.get("ba").unwrap());
        assert_eq!(got, ("a".into(), "b".into(), "ba".into()));
        let missing = fetch_all(&conn, "SELECT $1, $3", &[&1_i64, &2_i64]);
        assert!(missing.is_err(), "a parameter with no value is refused, not bound to NULL");
    }

    /// A write that returns rows writes all of them even when only the first is read.
    #[test]
    fn a_returning_write_runs_to_its_end() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER)").unwrap();
        let first = fetch_optional(&conn, "INSERT INTO t (n) VALUES (1), (2), (3) RETURNING n", &[]).unwrap().unwrap();
        assert_eq!(first.get::<i64>("n").unwrap(), 1);
        let all = fetch_all(&conn, "SELECT n FROM t", &[]).unwrap();
        assert_eq!(all.len(), 3);
    }

    /// Constraint failures are classified as sqlx's are.
    #[test]
    fn errors_are_classified_as_sqlx_classifies_them() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY, u TEXT UNIQUE, c INTEGER CHECK (c > 0))").unwrap();
        execute(&conn, "INSERT INTO t (n, u, c) VALUES (1, 'x', 1)", &[]).unwrap();
        let unique = execute(&conn, "INSERT INTO t (n, u, c) VALUES (2, 'x', 1)", &[]).map_err(classify);
        assert!(
            matches!(unique, Err(StoreError::Conflict(ref m)) if m.contains("UNIQUE constraint failed")),
            "{unique:?}"
        );
        let key = execute(&conn, "INSERT INTO t (n, u, c) VALUES (1, 'y', 1)", &[]).map_err(classify);
        assert!(matches!(key, Err(StoreError::Conflict(_))), "{key:?}");
        let check = execute(&conn, "INSERT INTO t (n, u, c) VALUES (3, 'z', 0)", &[]).map_err(classify);
        assert!(matches!(check, Err(StoreError::Other(_))), "{check:?}");
    }
}

//! The embedded SQLite backend's own guarantees (SECURITY.md, "Durability and recovery" and
//! "Audit trail"): every pooled connection runs in WAL mode with `synchronous=FULL` and foreign
//! keys enforced, and is read-only (writes have their own connection; its settings and group
//! commit are tested beside it, in `src/sqlite/writer.rs`), triggers keep the audit log
//! append-only, and a file that fails `integrity_check` is refused at open.

#![allow(clippy::disallowed_methods)] // tests and tools may read the wall clock

use std::path::Path;

use bosun_domain::audit::{NewAuditEntry, Outcome};
use bosun_domain::company::{Company, CompanySlug};
use bosun_domain::{AuditId, CompanyId};
use bosun_store::{Store, StoreError};
use bosun_store_sql::{SqlStore, SqliteSettings, sqlite};
use bosun_testkit::db::TestDb;
use chrono::{DateTime, Utc};
use sqlx::{Connection, SqliteConnection, SqlitePool};

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T08:00:00Z").expect("a valid timestamp").with_timezone(&Utc)
}

fn pool(store: &SqlStore) -> &SqlitePool {
    match store {
        SqlStore::Sqlite(sqlite) => sqlite.readers(),
        SqlStore::Postgres(_) => panic!("expected a SQLite store"),
    }
}

async fn company(store: &SqlStore, slug: &str) -> Company {
    let c = Company::new(
        bosun_domain::CompanyId::new(),
        CompanySlug::parse("slug", slug).expect("a valid slug"),
        &format!("{slug} Ltd"),
        t0(),
    )
    .expect("a valid company");
    let mut tx = store.begin(Some(c.id)).await.expect("a transaction opens");
    tx.insert_company(&c).await.expect("the company is stored");
    tx.commit().await.expect("the company commits");
    c
}

async fn append_audit(store: &SqlStore, company: CompanyId, action: &str) {
    let entry = NewAuditEntry {
        id: AuditId::new(),
        at: t0(),
        actor: None,
        action: action.into(),
        entity: "vessel".into(),
        entity_id: None,
        before: None,
        after: None,
        outcome: Outcome::Success,
        ip: None,
        user_agent: None,
        request_id: None,
    };
    let mut tx = store.begin(Some(company)).await.expect("a transaction opens");
    tx.append_audit(company, &entry).await.expect("the entry is appended");
    tx.commit().await.expect("the entry commits");
}

/// A connection of the test's own to the store's file, outside the store.
async fn own_connection(store: &SqlStore) -> SqliteConnection {
    let SqlStore::Sqlite(sqlite) = store else { panic!("expected a SQLite store") };
    SqliteConnection::connect(&format!("sqlite://{}", sqlite.path().display())).await.expect("the file opens")
}

#[tokio::test]
async fn every_pooled_connection_uses_wal_full_sync_and_foreign_keys_and_cannot_write() {
    let db = TestDb::sqlite();
    let store = db.open().await;
    let pool = pool(&store);

    // Hold several connections at once so each check runs on a different one.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(pool.acquire().await.expect("a connection is free"));
    }
    for conn in &mut held {
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut **conn).await.expect("pragma");
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut **conn).await.expect("pragma");
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut **conn).await.expect("pragma");
        let query_only: i64 = sqlx::query_scalar("PRAGMA query_only").fetch_one(&mut **conn).await.expect("pragma");
        assert_eq!((journal.as_str(), synchronous, foreign_keys, query_only), ("wal", 2, 1, 1));
    }

    // A reader cannot write, so it never takes SQLite's write lock behind the writer's back.
    let refused = sqlx::query("INSERT INTO auth_throttle (key, failures, updated_at) VALUES ('k', 1, '2026-03-01')")
        .execute(&mut *held[0])
        .await
        .expect_err("a pooled reader wrote");
    assert!(refused.to_string().contains("readonly"), "{refused}");
    drop(held);
    store.close().await;
}

#[tokio::test]
async fn triggers_reject_updates_and_deletes_of_the_audit_log() {
    let db = TestDb::sqlite();
    let store = db.open().await;
    let acme = company(&store, "acme").await;
    append_audit(&store, acme.id, "vessel.create").await;
    append_audit(&store, acme.id, "vessel.update").await;
    let pool = pool(&store);
    let actions = async || -> Vec<String> {
        sqlx::query_scalar("SELECT action FROM audit_log ORDER BY seq").fetch_all(pool).await.expect("the log reads")
    };
    let before = actions().await;
    assert_eq!(before, ["vessel.create", "vessel.update"]);

    let mut conn = own_connection(&store).await;
    for statement in ["UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log WHERE seq = 1"] {
        let refused = sqlx::query(statement).execute(&mut conn).await.expect_err(statement);
        assert!(refused.to_string().contains("audit_log is append-only"), "{statement}: {refused}");
    }
    assert_eq!(actions().await, before, "the audit log changed");
    store.close().await;
}

#[tokio::test]
async fn triggers_reject_updates_and_deletes_of_ledger_facts() {
    let db = TestDb::sqlite();
    let store = db.open().await;
    let mut conn = own_connection(&store).await;
    // Facts without their parents: only the triggers are under test.
    sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut conn).await.expect("foreign keys off");
    let seed = [
        "INSERT INTO stock_entries (company_id, id, vessel_id, location_id, part_id, movement, delta, recorded_by,
                                    recorded_at, version, created_at)
         VALUES (x'01', x'02', x'03', x'04', x'05', 'receive', 1000, x'06', 't', 1, 't')",
        "INSERT INTO step_results (company_id, id, work_order_id, vessel_id, step_id, answer, outcome, recorded_by,
                                   recorded_at, version, created_at)
         VALUES (x'01', x'02', x'03', x'04', x'05', '{}', 'passed', x'06', 't', 1, 't')",
        "INSERT INTO labour_entries (company_id, id, work_order_id, vessel_id, person_id, worked_on, minutes,
                                     recorded_by, version, created_at)
         VALUES (x'01', x'02', x'03', x'04', x'05', '2026-03-01', 30, x'06', 1, 't')",
        "INSERT INTO plan_postponements (company_id, id, plan_id, vessel_id, occurrence, new_date, reason, requested_by,
                                         approved_by, approved_at, version)
         VALUES (x'01', x'02', x'03', x'04', 0, '2026-03-01', 'Dry dock', x'05', x'06', 't', 1)",
        "INSERT INTO plan_completions (company_id, plan_id, occurrence, vessel_id, outcome, work_order_id, done_on,
                                       in_window)
         VALUES (x'01', x'02', 0, x'03', 'done', x'04', '2026-03-01', 1)",
        "INSERT INTO daily_report_revisions (company_id, id, report_id, vessel_id, number, day, hours_worked, hours_idle,
                                             notes, submitted_by, submitted_at, version)
         VALUES (x'01', x'02', x'03', x'04', 1, '2026-03-01', 8, 1, '', x'05', 't', 1)",
    ];
    for statement in seed {
        sqlx::query(statement).execute(&mut conn).await.expect("a fact is inserted");
    }
    for table in [
        "stock_entries",
        "step_results",
        "labour_entries",
        "plan_postponements",
        "plan_completions",
        "daily_report_revisions",
    ] {
        for statement in [format!("UPDATE {table} SET vessel_id = vessel_id"), format!("DELETE FROM {table}")] {
            let refused =
                sqlx::query(sqlx::AssertSqlSafe(statement.clone())).execute(&mut conn).await.expect_err(&statement);
            assert!(refused.to_string().contains("insert-only"), "{statement}: {refused}");
        }
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
            .fetch_one(&mut conn)
            .await
            .expect("the table reads");
        assert_eq!(n, 1, "{table} kept its fact");
    }
    store.close().await;
}

/// Writes a migrated database with enough rows that its tables span many b-tree pages, then
/// closes it with the WAL checkpointed into the main file. Returns the page size.
async fn write_many_rows(path: &Path) -> usize {
    let store = sqlite::open(&SqliteSettings::new(path)).await.expect("sqlite opens");
    let mut conn = own_connection(&store).await;
    let mut tx = conn.begin().await.expect("a transaction opens");
    for n in 0..4000 {
        sqlx::query("INSERT INTO auth_throttle (key, failures, updated_at) VALUES ($1, $2, '2026-03-01T08:00:00Z')")
            .bind(format!("login:{n:06}:{}", "x".repeat(80)))
            .bind(n)
            .execute(&mut *tx)
            .await
            .expect("a row is stored");
    }
    tx.commit().await.expect("the rows commit");
    let page_size: i64 = sqlx::query_scalar("PRAGMA page_size").fetch_one(&mut conn).await.expect("pragma");
    store.close().await;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await.expect("the WAL checkpoints");
    conn.close().await.expect("the connection closes");
    usize::try_from(page_size).expect("a positive page size")
}

#[tokio::test]
async fn a_file_that_fails_integrity_check_is_refused_at_open() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let original = dir.path().join("original.db");
    let page_size = write_many_rows(&original).await;
    let wal = dir.path().join("original.db-wal");
    assert_eq!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0), 0, "the WAL should be checkpointed");

    let pristine = dir.path().join("pristine.db");
    let corrupt = dir.path().join("corrupt.db");
    std::fs::copy(&original, &pristine).expect("the file copies");
    std::fs::copy(&original, &corrupt).expect("the file copies");

    // Clobber the middle of a b-tree page two thirds into the file: well past the schema, inside
    // the auth_throttle table or its key index.
    let mut bytes = std::fs::read(&corrupt).expect("the copy reads");
    let pages = bytes.len() / page_size;
    assert!(pages > 60, "the database should span many pages, has {pages}");
    let page = pages * 2 / 3;
    let start = page * page_size + page_size / 4;
    bytes[start..start + page_size / 2].fill(0xA5);
    std::fs::write(&corrupt, &bytes).expect("the copy is overwritten");

    // The untouched copy opens: the refusal below is the corruption's doing.
    let ok = sqlite::open(&SqliteSettings::new(&pristine)).await.expect("the pristine copy opens");
    ok.close().await;

    match sqlite::open(&SqliteSettings::new(&corrupt)).await {
        Err(StoreError::Other(message)) => {
            assert!(message.contains("integrity_check of"), "the refusal should name integrity_check: {message}");
            assert!(message.contains("restore from a backup"), "the refusal should say what to do: {message}");
        }
        Err(other) => panic!("expected an integrity_check refusal, got {other:?}"),
        Ok(_) => panic!("a corrupted database file was opened"),
    }
}

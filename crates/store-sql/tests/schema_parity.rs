//! The two migrations folders describe one schema (STYLE.md §4): the same migration files, and
//! after migrating, the same tables with the same column names, and the same named indexes, on
//! SQLite and PostgreSQL.

#![allow(clippy::disallowed_methods)] // tests and tools may read the wall clock

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use bosun_store::Store;
use bosun_store_sql::{SqlStore, postgres, sqlite};
use bosun_testkit::db::TestDb;
use sqlx::{Connection, PgConnection};

/// Table name → its column names.
type Schema = BTreeMap<String, BTreeSet<String>>;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn schema(rows: Vec<(String, String)>) -> Schema {
    let mut schema = Schema::new();
    for (table, column) in rows {
        schema.entry(table).or_default().insert(column);
    }
    schema
}

async fn sqlite_schema() -> Schema {
    let db = TestDb::sqlite();
    let store = db.open().await;
    let SqlStore::Sqlite(sqlite) = &store else { panic!("expected a SQLite store") };
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name
           FROM sqlite_schema m JOIN pragma_table_info(m.name) p
          WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
    )
    .fetch_all(sqlite.readers())
    .await
    .expect("the SQLite catalog answers");
    store.close().await;
    schema(rows)
}

async fn postgres_schema() -> Schema {
    let db = TestDb::postgres().await;
    let store = db.open().await;
    store.close().await;
    // The admin login sees every column; the runtime role would see only those granted to it.
    let mut conn = PgConnection::connect(&db.owner_url()).await.expect("the admin login reaches the test database");
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text
           FROM information_schema.columns c
           JOIN information_schema.tables t USING (table_schema, table_name)
          WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut conn)
    .await
    .expect("the PostgreSQL catalog answers");
    let _ = conn.close().await;
    schema(rows)
}

#[tokio::test]
async fn both_backends_migrate_to_the_same_tables_and_column_names() {
    let (sqlite, postgres) = (sqlite_schema().await, postgres_schema().await);

    for (name, schema) in [("SQLite", &sqlite), ("PostgreSQL", &postgres)] {
        let vessels = schema.get("vessels").unwrap_or_else(|| panic!("{name} has no vessels table: {schema:?}"));
        assert!(vessels.contains("company_id"), "{name}'s vessels table has no company_id: {vessels:?}");
    }
    let sqlite_tables: BTreeSet<&String> = sqlite.keys().collect();
    let postgres_tables: BTreeSet<&String> = postgres.keys().collect();
    assert_eq!(
        sqlite_tables,
        postgres_tables,
        "tables only in SQLite: {:?}; only in PostgreSQL: {:?}",
        sqlite_tables.difference(&postgres_tables).collect::<Vec<_>>(),
        postgres_tables.difference(&sqlite_tables).collect::<Vec<_>>(),
    );
    for (table, columns) in &sqlite {
        let other = &postgres[table];
        assert_eq!(
            columns,
            other,
            "{table}: columns only in SQLite: {:?}; only in PostgreSQL: {:?}",
            columns.difference(other).collect::<Vec<_>>(),
            other.difference(columns).collect::<Vec<_>>(),
        );
    }
}

/// (table, index) of every index a migration created by name (not those keys make).
async fn sqlite_indexes() -> BTreeSet<(String, String)> {
    let db = TestDb::sqlite();
    let store = db.open().await;
    let SqlStore::Sqlite(sqlite) = &store else { panic!("expected a SQLite store") };
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT tbl_name, name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL")
            .fetch_all(sqlite.readers())
            .await
            .expect("the SQLite catalog answers");
    store.close().await;
    rows.into_iter().collect()
}

async fn postgres_indexes() -> BTreeSet<(String, String)> {
    let db = TestDb::postgres().await;
    let store = db.open().await;
    store.close().await;
    let mut conn = PgConnection::connect(&db.owner_url()).await.expect("the admin login reaches the test database");
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.relname::text, c.relname::text
           FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)",
    )
    .fetch_all(&mut conn)
    .await
    .expect("the PostgreSQL catalog answers");
    let _ = conn.close().await;
    rows.into_iter().collect()
}

#[tokio::test]
async fn both_backends_migrate_to_the_same_named_indexes() {
    let (sqlite, postgres) = (sqlite_indexes().await, postgres_indexes().await);
    assert!(sqlite.contains(&("faults".into(), "faults_unresolved".into())), "{sqlite:?}");
    assert_eq!(
        sqlite,
        postgres,
        "indexes only in SQLite: {:?}; only in PostgreSQL: {:?}",
        sqlite.difference(&postgres).collect::<Vec<_>>(),
        postgres.difference(&sqlite).collect::<Vec<_>>(),
    );
}

#[test]
fn both_backends_carry_the_same_migrations() {
    let names = sqlite::migration_names();
    assert!(names.first().is_some_and(|n| n == "0001_foundation"), "unexpected migrations: {names:?}");
    assert_eq!(names, postgres::migration_names());
}

fn check_migrations(root: &Path) -> std::process::Output {
    Command::new("bash")
        .arg(repo_root().join("scripts/check-migrations.sh"))
        .arg(root)
        .output()
        .expect("bash runs scripts/check-migrations.sh")
}

#[test]
fn the_migration_check_script_accepts_the_repository() {
    let out = check_migrations(&repo_root());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_migration_check_script_names_a_migration_missing_from_one_folder() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for backend in ["sqlite", "postgres"] {
        let folder = dir.path().join("migrations").join(backend);
        std::fs::create_dir_all(&folder).expect("the folder is created");
        std::fs::write(folder.join("0001_foundation.sql"), "").expect("a migration is written");
    }
    std::fs::write(dir.path().join("migrations/postgres/0002_parts.sql"), "").expect("a migration is written");

    let out = check_migrations(dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("0002_parts.sql is in migrations/postgres but not in migrations/sqlite"), "{stderr}");
    assert!(!stderr.contains("0001_foundation"), "{stderr}");
}

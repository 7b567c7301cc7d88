//! Fresh, empty, migrated databases for tests, on either backend.
//!
//! PostgreSQL is never skipped: the server named by `BOSUN_TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`, a role allowed to create databases) must
//! answer, or the test fails. Each database is created for one test and dropped after it.

use std::path::PathBuf;

use sqlx::{Connection, PgConnection};

use crate::{PgSettings, SqlStore, SqliteSettings, sqlite};

/// The admin URL tests create their PostgreSQL databases through.
pub fn admin_url() -> String {
    std::env::var("BOSUN_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A database that lives as long as this value.
pub enum TestDb {
    /// A SQLite file in a temporary directory.
    Sqlite {
        /// The directory, deleted on drop.
        dir: tempfile::TempDir,
    },
    /// A PostgreSQL database, dropped on drop.
    Postgres {
        /// Its name.
        name: String,
        /// The URL that reaches it as the admin role.
        url: String,
    },
}

impl TestDb {
    /// A new empty SQLite database (not yet migrated).
    pub fn sqlite() -> Self {
        Self::Sqlite { dir: tempfile::tempdir().expect("a temporary directory can be created") }
    }

    /// A new empty PostgreSQL database (not yet migrated). Panics when PostgreSQL is unreachable.
    pub async fn postgres() -> Self {
        let admin = admin_url();
        let name = format!("bosun_test_{}", uuid::Uuid::now_v7().simple());
        let mut conn = PgConnection::connect(&admin).await.unwrap_or_else(|e| {
            panic!("PostgreSQL for tests at {admin} is unreachable ({e}); it is required, never skipped")
        });
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("the test role can create databases");
        let _ = conn.close().await;
        let url = match admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => panic!("BOSUN_TEST_DATABASE_URL must end with a database name"),
        };
        Self::Postgres { name, url }
    }

    /// The URL `bosun` would be given for this database.
    pub fn url(&self) -> String {
        match self {
            Self::Sqlite { dir } => format!("sqlite://{}", self.sqlite_path(dir).display()),
            Self::Postgres { url, .. } => url.clone(),
        }
    }

    fn sqlite_path(&self, dir: &tempfile::TempDir) -> PathBuf {
        dir.path().join("bosun.db")
    }

    /// Opens (and migrates) the store.
    pub async fn open(&self) -> SqlStore {
        self.open_with_connections(None).await
    }

    /// Opens (and migrates) the store with a pool of `connections` (the default when `None`):
    /// readers on SQLite, every connection on PostgreSQL.
    pub async fn open_with_connections(&self, connections: Option<u32>) -> SqlStore {
        match self {
            Self::Sqlite { dir } => {
                let mut settings = SqliteSettings::new(self.sqlite_path(dir));
                settings.max_connections = connections.unwrap_or(settings.max_connections);
                sqlite::open(&settings).await.expect("sqlite opens")
            }
            Self::Postgres { url, .. } => {
                let mut settings = PgSettings::default();
                settings.max_connections = connections.unwrap_or(settings.max_connections);
                SqlStore::open(url, &settings).await.expect("postgres opens")
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Self::Postgres { name, .. } = self {
            let name = name.clone();
            // Drop runs inside the test's runtime; a separate thread with its own runtime can
            // block on the DROP DATABASE without starving it.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                rt.block_on(async {
                    let mut conn = PgConnection::connect(&admin_url()).await.ok()?;
                    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                        .execute(&mut conn)
                        .await
                        .ok()
                })
            })
            .join();
        }
    }
}

//! Fresh, empty, migrated databases for tests, on either backend.
//!
//! PostgreSQL is never skipped: the server named by `BOSUN_TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`, a role allowed to create databases and roles)
//! must answer, or the test fails. Each database is created for one test and dropped after it.
//! It is migrated as that admin role, which owns its tables as an operator's owner role would
//! ([`TestDb::owner_url`]); the store is opened as the runtime role `bosun_app`, logging in
//! with the admin URL's host and no password ([`TestDb::url`]), so the test server must trust
//! it (or the admin URL must carry what it needs, such as `?sslmode=…`).

use std::path::PathBuf;

use sqlx::{Connection, PgConnection};

use bosun_store_sql::{PgSettings, SqlStore, SqliteSettings, postgres, sqlite};

/// The admin URL tests create their PostgreSQL databases through.
pub fn admin_url() -> String {
    std::env::var("BOSUN_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// The runtime role every test server logs in as; the migrations grant it what it needs.
pub const RUNTIME_ROLE: &str = "bosun_app";

/// `url` with its user (and password) replaced by `user` and its database by `database`;
/// the host, port and parameters stay.
pub fn postgres_url_as(url: &str, user: &str, database: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or_else(|| panic!("{url} is not a postgres:// URL"));
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let query = path.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    format!("{scheme}://{user}@{host}/{database}{query}")
}

/// Makes sure the runtime role exists cluster-wide and may log in. Migration 0001 creates it
/// NOLOGIN when it is missing (a password is the operator's to give); tests log in with the
/// server's trust instead. Parallel tests serialise on an advisory lock of the admin database,
/// since two `ALTER ROLE`s of one role at once fail ("tuple concurrently updated"); a migration
/// of another database creating the role meanwhile fails this one's `CREATE ROLE`, and the next
/// attempt finds the role and alters it.
async fn ensure_runtime_login(admin: &mut PgConnection) {
    let mut failures = Vec::new();
    for _ in 0..3 {
        match try_runtime_login(admin).await {
            Ok(()) => return,
            Err(e) => failures.push(e.to_string()),
        }
    }
    panic!("the runtime role {RUNTIME_ROLE} cannot be made to log in: {failures:?}");
}

async fn try_runtime_login(admin: &mut PgConnection) -> Result<(), sqlx::Error> {
    let mut tx = admin.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('bosun_test_runtime_role'))").execute(&mut *tx).await?;
    let can_login: Option<bool> = sqlx::query_scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = $1")
        .bind(RUNTIME_ROLE)
        .fetch_optional(&mut *tx)
        .await?;
    let statement = match can_login {
        Some(true) => return tx.commit().await,
        Some(false) => format!("ALTER ROLE {RUNTIME_ROLE} LOGIN"),
        // As migration 0001 would create it, but able to log in.
        None => format!("CREATE ROLE {RUNTIME_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"),
    };
    sqlx::query(sqlx::AssertSqlSafe(statement)).execute(&mut *tx).await?;
    tx.commit().await
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
        /// The URL that reaches it as the admin role, which migrates it and so owns its tables.
        owner_url: String,
        /// The URL that reaches it as the runtime role.
        runtime_url: String,
    },
}

impl TestDb {
    /// A new empty SQLite database (not yet migrated).
    pub fn sqlite() -> Self {
        Self::Sqlite { dir: tempfile::tempdir().expect("a temporary directory can be created") }
    }

    /// A new empty PostgreSQL database (not yet migrated), and a runtime role that may log in.
    /// Panics when PostgreSQL is unreachable.
    pub async fn postgres() -> Self {
        let admin = admin_url();
        let name = format!("bosun_test_{}", uuid::Uuid::now_v7().simple());
        let mut conn = PgConnection::connect(&admin).await.unwrap_or_else(|e| {
            panic!("PostgreSQL for tests at {admin} is unreachable ({e}); it is required, never skipped")
        });
        ensure_runtime_login(&mut conn).await;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("the test role can create databases");
        let _ = conn.close().await;
        let owner_url = match admin.rsplit_once('/') {
            Some((base, _)) => format!("{base}/{name}"),
            None => panic!("BOSUN_TEST_DATABASE_URL must end with a database name"),
        };
        let runtime_url = postgres_url_as(&admin, RUNTIME_ROLE, &name);
        Self::Postgres { name, owner_url, runtime_url }
    }

    /// The URL that logs in to this PostgreSQL database as `role` (with the admin URL's host
    /// and no password). Panics on SQLite, which has no roles.
    pub fn url_as(&self, role: &str) -> String {
        match self {
            Self::Postgres { name, .. } => postgres_url_as(&admin_url(), role, name),
            Self::Sqlite { .. } => panic!("SQLite has no roles to log in as"),
        }
    }

    /// The URL `bosun` connects with (`database.url`): on PostgreSQL the runtime role's.
    pub fn url(&self) -> String {
        match self {
            Self::Sqlite { dir } => format!("sqlite://{}", self.sqlite_path(dir).display()),
            Self::Postgres { runtime_url, .. } => runtime_url.clone(),
        }
    }

    /// The URL of the role that owns the schema and migrates it (`database.migrate_url`): on
    /// PostgreSQL the admin role, a superuser, which also sees past row-level security; on
    /// SQLite the same file as [`TestDb::url`].
    pub fn owner_url(&self) -> String {
        match self {
            Self::Sqlite { .. } => self.url(),
            Self::Postgres { owner_url, .. } => owner_url.clone(),
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
    /// readers on SQLite, every connection on PostgreSQL, where it migrates as the owner and
    /// opens as the runtime role.
    pub async fn open_with_connections(&self, connections: Option<u32>) -> SqlStore {
        match self {
            Self::Sqlite { dir } => {
                let mut settings = SqliteSettings::new(self.sqlite_path(dir));
                settings.max_connections = connections.unwrap_or(settings.max_connections);
                sqlite::open(&settings).await.expect("sqlite opens")
            }
            Self::Postgres { owner_url, runtime_url, .. } => {
                postgres::migrate(owner_url).await.expect("the owner migrates postgres");
                let mut settings = PgSettings::default();
                settings.max_connections = connections.unwrap_or(settings.max_connections);
                SqlStore::open(runtime_url, &settings).await.expect("postgres opens as the runtime role")
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

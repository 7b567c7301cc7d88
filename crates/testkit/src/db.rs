//! Fresh databases for tests, on either backend: migrated ones by default, empty ones for the
//! tests of migrating itself.
//!
//! PostgreSQL is never skipped: the server named by `BOSUN_TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`, a role allowed to create databases and roles)
//! must answer, or the test fails. Each database is created for one test and dropped after it,
//! and commits without waiting for the disk (`synchronous_commit = off`): a crash of the test
//! server could lose its last commits, which no test asks of it; what a test sees is unchanged.
//!
//! [`TestDb::postgres`] clones a *template*: a database migrated once per set of migrations and
//! named after them, `bosun_template_` and the first 16 hex digits of a SHA-256 over each
//! PostgreSQL migration's name and checksum ([`template_name`]), so a changed or added
//! migration makes a new one. Each test's database is `CREATE DATABASE … TEMPLATE` of it, which
//! copies the tables, grants, row-level security policies and `_sqlx_migrations` in little more
//! than the time an empty database takes; migrating one added 0.1–0.2 s on the project's 2-core
//! machine, more when busy. [`TestDb::open`] then opens a clone without migrating it (the
//! runtime role's store still checks that its schema is current).
//!
//! Tests in parallel threads and processes serialise on an advisory lock of the admin database:
//! the first to find no template builds it under the lock held exclusively, as
//! `<template>_building`, migrated and disconnected before it is renamed, so a half-made
//! template is never cloned; it is marked `IS_TEMPLATE` and `ALLOW_CONNECTIONS false`, so no
//! session (autovacuum's included) holds it open and no stray `psql` changes it. Clones hold the
//! lock shared, so a template is never dropped under one. A new template drops the templates of
//! older migration sets, keeping the [`TEMPLATES_KEPT`] newest so that checkouts of different
//! migrations tested at once do not drop each other's in turn. `scripts/test` removes only
//! `bosun_test_%` databases.
//!
//! [`TestDb::postgres_empty`] creates an empty, unmigrated database, for tests of migrating
//! (`bosun migrate`, instances racing to migrate, the refusal of a schema that is not current).
//!
//! Either is migrated as the admin role, which owns its tables as an operator's owner role
//! would ([`TestDb::owner_url`]); the store is opened as the runtime role `bosun_app`, logging
//! in with the admin URL's host and no password ([`TestDb::url`]), so the test server must
//! trust it (or the admin URL must carry what it needs, such as `?sslmode=…`).

use std::path::PathBuf;
use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::{Connection, PgConnection};

use bosun_store_sql::{PgSettings, SqlStore, SqliteSettings, postgres, sqlite};

/// The admin URL tests create their PostgreSQL databases through.
pub fn admin_url() -> String {
    std::env::var("BOSUN_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// The runtime role every test server logs in as; the migrations grant it what it needs.
pub const RUNTIME_ROLE: &str = "bosun_app";

/// How many template databases (each of one set of migrations) may stay on the server: the one
/// just made and the newest others, which another checkout may be testing with at the moment.
pub const TEMPLATES_KEPT: usize = 3;

/// The advisory lock of the admin database that guards the templates: exclusive to make or
/// drop one, shared to clone one.
const TEMPLATE_LOCK: &str = "hashtext('bosun_test_template')";

/// The scheme, the authority (login and host) and the parameters (with their `?`, or empty)
/// of a `postgres://` URL.
fn url_parts(url: &str) -> (&str, &str, &str) {
    let (scheme, rest) = url.split_once("://").unwrap_or_else(|| panic!("{url} is not a postgres:// URL"));
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let query = path.find('?').map_or("", |at| &path[at..]);
    (scheme, authority, query)
}

/// `url` with its user (and password) replaced by `user` and its database by `database`;
/// the host, port and parameters stay.
pub fn postgres_url_as(url: &str, user: &str, database: &str) -> String {
    let (scheme, authority, query) = url_parts(url);
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    format!("{scheme}://{user}@{host}/{database}{query}")
}

/// The admin URL on `database` instead: the admin's login, host and parameters stay.
fn admin_url_to(database: &str) -> String {
    let admin = admin_url();
    let (scheme, authority, query) = url_parts(&admin);
    format!("{scheme}://{authority}/{database}{query}")
}

/// The template database of this build's PostgreSQL migrations: `bosun_template_` and the
/// first 16 hex digits of a SHA-256 over each migration's name and the checksum of its SQL.
pub fn template_name() -> String {
    let mut hash = Sha256::new();
    for (name, checksum) in postgres::migration_checksums() {
        hash.update(name.as_bytes());
        hash.update([0]);
        hash.update(&checksum);
    }
    let hex: String = hash.finalize().iter().take(8).map(|byte| format!("{byte:02x}")).collect();
    format!("bosun_template_{hex}")
}

/// Runs one statement the admin connection builds from names it made itself.
async fn execute(admin: &mut PgConnection, statement: String) -> Result<(), sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(statement)).execute(admin).await.map(|_| ())
}

async fn database_exists(admin: &mut PgConnection, name: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)").bind(name).fetch_one(admin).await
}

/// Drops a database that may be a template (which must stop being one first), if it exists.
async fn drop_database(admin: &mut PgConnection, name: &str) -> Result<(), sqlx::Error> {
    if database_exists(admin, name).await? {
        execute(admin, format!("ALTER DATABASE {name} WITH IS_TEMPLATE false")).await?;
        execute(admin, format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    }
    Ok(())
}

/// Makes sure this build's template exists and answers its name, holding the template lock
/// shared on `admin` so that no one drops the template before the caller has cloned it (and
/// released the lock with [`unlock_template`]).
async fn lock_template(admin: &mut PgConnection) -> String {
    let template = template_name();
    let mut failures = Vec::new();
    for _ in 0..3 {
        match try_lock_template(admin, &template).await {
            Ok(true) => return template,
            // Made since (here or by another test): clone it under the shared lock next turn.
            Ok(false) => {}
            Err(e) => failures.push(e),
        }
    }
    panic!("the template database {template} cannot be made: {failures:?}");
}

/// One turn of [`lock_template`]: true when the template is there and the shared lock held;
/// false when it was missing and has been made since, under the exclusive lock (released).
async fn try_lock_template(admin: &mut PgConnection, template: &str) -> Result<bool, String> {
    let text = |e: sqlx::Error| e.to_string();
    execute(admin, format!("SELECT pg_advisory_lock_shared({TEMPLATE_LOCK})")).await.map_err(text)?;
    if database_exists(admin, template).await.map_err(text)? {
        return Ok(true);
    }
    execute(admin, format!("SELECT pg_advisory_unlock_shared({TEMPLATE_LOCK})")).await.map_err(text)?;
    execute(admin, format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})")).await.map_err(text)?;
    // Another test may have made it while this one waited for the lock.
    let built = match database_exists(admin, template).await {
        Ok(true) => Ok(()),
        Ok(false) => build_template(admin, template).await,
        Err(e) => Err(e.to_string()),
    };
    execute(admin, format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})")).await.map_err(text)?;
    built.map(|()| false)
}

async fn unlock_template(admin: &mut PgConnection) {
    execute(admin, format!("SELECT pg_advisory_unlock_shared({TEMPLATE_LOCK})"))
        .await
        .expect("the template lock is released");
}

/// Makes the template under the exclusive template lock: migrated as `<template>_building`, as
/// the admin role (which so owns its tables), then marked a template no one may connect to and
/// renamed, so that a template of this name is always whole. Drops the templates of older
/// migrations beyond [`TEMPLATES_KEPT`], and whatever a build that was killed left.
async fn build_template(admin: &mut PgConnection, template: &str) -> Result<(), String> {
    let building = format!("{template}_building");
    drop_database(admin, &building).await.map_err(|e| format!("dropping a stale {building}: {e}"))?;
    execute(admin, format!("CREATE DATABASE {building}")).await.map_err(|e| format!("creating {building}: {e}"))?;
    // `migrate` closes its one connection, so none is left on the database to block its rename
    // or a clone of it.
    if let Err(e) = migrate_apart(admin_url_to(&building)).await {
        let _ = drop_database(admin, &building).await;
        return Err(format!("migrating {building}: {e}"));
    }
    for statement in [
        format!("ALTER DATABASE {building} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"),
        format!("ALTER DATABASE {building} RENAME TO {template}"),
    ] {
        execute(admin, statement.clone()).await.map_err(|e| format!("{statement}: {e}"))?;
    }
    let others: Vec<String> = sqlx::query_scalar(
        "SELECT datname::text FROM pg_database
          WHERE datname ~ '^bosun_template_[0-9a-f]{16}(_building)?$' AND datname <> $1
          ORDER BY datname ~ '_building$', oid DESC",
    )
    .bind(template)
    .fetch_all(&mut *admin)
    .await
    .map_err(|e| format!("listing the templates: {e}"))?;
    // Newest first, then what killed builds left: none is being built while this lock is held.
    // (Collected first: an iterator held across an await would make the future not `Send`.)
    let (kept, mut dropped): (Vec<String>, Vec<String>) =
        others.into_iter().partition(|name| !name.ends_with("_building"));
    dropped.extend(kept.into_iter().skip(TEMPLATES_KEPT - 1));
    for old in dropped {
        drop_database(admin, &old).await.map_err(|e| format!("dropping the old template {old}: {e}"))?;
    }
    Ok(())
}

/// Migrates the database at `owner_url` on a blocking thread with a runtime of its own: the
/// future of [`postgres::migrate`] is not `Send` (sqlx's `Migrator::run` and its `Acquire`
/// bound), and [`TestDb::postgres`]'s stays `Send` for tests that spawn it.
async fn migrate_apart(owner_url: String) -> Result<(), String> {
    tokio::task::spawn_blocking(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
        rt.block_on(postgres::migrate(&owner_url)).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| format!("the migrating thread failed: {e}"))?
}

/// `CREATE DATABASE name TEMPLATE template`, again after a pause while PostgreSQL says a session
/// is still on the template (it waits five seconds for one to leave before saying so).
async fn clone_template(admin: &mut PgConnection, name: &str, template: &str) {
    const ATTEMPTS: u32 = 5;
    for attempt in 1..=ATTEMPTS {
        match execute(admin, format!("CREATE DATABASE {name} TEMPLATE {template}")).await {
            Ok(()) => return,
            Err(e)
                if attempt < ATTEMPTS && e.as_database_error().and_then(|d| d.code()).as_deref() == Some("55006") =>
            {
                tokio::time::sleep(Duration::from_millis(200) * attempt).await;
            }
            Err(e) => panic!("the test role cannot create {name} from the template {template}: {e}"),
        }
    }
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
        /// Whether it was cloned from the migrated template, so opening it needs no migration.
        from_template: bool,
    },
}

impl TestDb {
    /// A new empty SQLite database (not yet migrated).
    pub fn sqlite() -> Self {
        Self::Sqlite { dir: tempfile::tempdir().expect("a temporary directory can be created") }
    }

    /// A new PostgreSQL database, migrated (a clone of this build's template, made first if
    /// need be), and a runtime role that may log in. Panics when PostgreSQL is unreachable.
    pub async fn postgres() -> Self {
        Self::create_postgres(true).await
    }

    /// A new empty PostgreSQL database (not yet migrated), and a runtime role that may log in:
    /// for tests of migrating. Panics when PostgreSQL is unreachable.
    pub async fn postgres_empty() -> Self {
        Self::create_postgres(false).await
    }

    async fn create_postgres(from_template: bool) -> Self {
        let admin = admin_url();
        let name = format!("bosun_test_{}", uuid::Uuid::now_v7().simple());
        let mut conn = PgConnection::connect(&admin).await.unwrap_or_else(|e| {
            panic!("PostgreSQL for tests at {admin} is unreachable ({e}); it is required, never skipped")
        });
        ensure_runtime_login(&mut conn).await;
        if from_template {
            let template = lock_template(&mut conn).await;
            clone_template(&mut conn, &name, &template).await;
            unlock_template(&mut conn).await;
        } else {
            execute(&mut conn, format!("CREATE DATABASE {name}")).await.expect("the test role can create databases");
        }
        // A test database is thrown away after its test: its commits need not wait for the
        // disk (what they see and when is unchanged; only a crash of the server could lose them).
        execute(&mut conn, format!("ALTER DATABASE {name} SET synchronous_commit = off"))
            .await
            .expect("the test role owns its database");
        let _ = conn.close().await;
        let owner_url = admin_url_to(&name);
        let runtime_url = postgres_url_as(&admin, RUNTIME_ROLE, &name);
        Self::Postgres { name, owner_url, runtime_url, from_template }
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
    /// readers on SQLite, every connection on PostgreSQL, where it migrates as the owner (but
    /// for a clone of the template, migrated already) and opens as the runtime role, which
    /// checks that the schema is current either way.
    pub async fn open_with_connections(&self, connections: Option<u32>) -> SqlStore {
        match self {
            Self::Sqlite { dir } => {
                let mut settings = SqliteSettings::new(self.sqlite_path(dir));
                settings.max_connections = connections.unwrap_or(settings.max_connections);
                sqlite::open(&settings).await.expect("sqlite opens")
            }
            Self::Postgres { owner_url, runtime_url, from_template, .. } => {
                if !from_template {
                    postgres::migrate(owner_url).await.expect("the owner migrates postgres");
                }
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

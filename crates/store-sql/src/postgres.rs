//! The PostgreSQL backend's own strengths: migrations as the owner, a server that logs in as a
//! runtime role row-level security binds (and refuses any other), and the tenant set per
//! transaction.
//!
//! Two roles, two URLs. The owner (`database.migrate_url`) creates and alters the schema and
//! owns every table; the server logs in as the runtime role (`database.url`, `bosun_app`),
//! which owns nothing and holds only the grants the migrations give it. The server never
//! switches roles: the runtime role is its *session* user, so no statement run on one of its
//! connections (`RESET ROLE`, `SET ROLE`, `SET SESSION AUTHORIZATION`) can reach the owner's
//! powers, and [`check_session_role`] refuses a session user that has them or could take them.

use std::time::Duration;

use bosun_domain::{CompanyId, UserId};
use bosun_store::{StoreError, StoreResult};
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, Executor, PgConnection, Postgres, Transaction};

use crate::{SqlStore, classify};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// How the server uses PostgreSQL.
#[derive(Debug, Clone)]
pub struct PgSettings {
    /// Pool size per process.
    pub max_connections: u32,
}

impl Default for PgSettings {
    fn default() -> Self {
        Self { max_connections: 16 }
    }
}

/// What an operator is told to do when the schema is behind this build.
const RUN_MIGRATIONS: &str = "run `bosun migrate` with the owner's URL, or set database.migrate_url";

/// Runs pending migrations over one connection to `owner_url`, the role that owns (or will
/// own) the schema. Concurrent callers wait on sqlx's advisory lock, so instances may start
/// together.
pub async fn migrate(owner_url: &str) -> StoreResult<()> {
    let mut conn = PgConnection::connect(owner_url).await.map_err(classify)?;
    let migrated = MIGRATOR.run(&mut conn).await;
    // A failed migration leaves nothing to keep the connection for: close it either way.
    let closed = conn.close().await;
    migrated.map_err(|e| {
        StoreError::Other(format!(
            "migration failed: {e}; migrations run as the role that owns the schema (database.migrate_url, \
             or the URL given to `bosun migrate`)"
        ))
    })?;
    closed.map_err(classify)
}

/// Opens the runtime pool on `url`, which must log in as the runtime role. Refuses a role that
/// row-level security would not bind ([`check_session_role`]) and a schema this build has not
/// fully migrated ([`check_schema_is_current`]); it never migrates (see [`migrate`]).
pub async fn open(url: &str, settings: &PgSettings) -> StoreResult<SqlStore> {
    // No `after_connect`: a pooled connection stays the role it logged in as.
    let pool = PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect(url)
        .await
        .map_err(classify)?;
    let checked = async {
        check_session_role(&pool).await?;
        check_schema_is_current(&pool).await
    }
    .await;
    if let Err(e) = checked {
        pool.close().await;
        return Err(e);
    }
    Ok(SqlStore::Postgres(pool))
}

/// One role the session user is or may become, and what it may do that row-level security
/// does not bind.
#[derive(sqlx::FromRow)]
struct ReachableRole {
    name: String,
    is_session_user: bool,
    superuser: bool,
    bypass_rls: bool,
    create_role: bool,
    owned_tables: i64,
}

impl ReachableRole {
    /// What the role may do, in words; empty when row-level security binds it.
    fn powers(&self) -> Vec<String> {
        let mut powers = Vec::new();
        if self.superuser {
            powers.push("is a superuser".to_owned());
        }
        if self.bypass_rls {
            powers.push("has BYPASSRLS".to_owned());
        }
        if self.create_role {
            // Before PostgreSQL 16 CREATEROLE may grant itself any role but a superuser.
            powers.push("has CREATEROLE (it may grant itself other roles)".to_owned());
        }
        if self.owned_tables > 0 {
            // An owner may disable row-level security on its tables or drop their policies.
            powers.push(format!("owns {} table(s)", self.owned_tables));
        }
        powers
    }
}

/// Refuses a session user that row-level security would not bind: one that is a superuser,
/// has BYPASSRLS or CREATEROLE, owns a table of this database, or is a member of (so may
/// `SET ROLE` to, or inherits from) a role that does. It checks `session_user`, not
/// `current_user`: a session may always return to its session user with `RESET ROLE`.
pub async fn check_session_role<'c, E>(conn: E) -> StoreResult<()>
where
    E: Executor<'c, Database = Postgres>,
{
    // `pg_has_role(…, 'MEMBER')` is true for the session user itself and for every role it
    // reaches through memberships, direct or not, inherited or not.
    let reachable: Vec<ReachableRole> = sqlx::query_as(
        "SELECT r.rolname::text AS name, r.rolname = session_user AS is_session_user,
                r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls, r.rolcreaterole AS create_role,
                (SELECT count(*) FROM pg_class c
                  WHERE c.relowner = r.oid AND c.relkind IN ('r', 'p')
                    AND c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace))
                  AS owned_tables
           FROM pg_roles r
          WHERE pg_has_role(session_user, r.oid, 'MEMBER')
          ORDER BY r.rolname = session_user DESC, r.rolname",
    )
    .fetch_all(conn)
    .await
    .map_err(classify)?;
    let (own, others): (Vec<_>, Vec<_>) = reachable.iter().partition(|r| r.is_session_user);
    let session_user = own.first().map_or("?", |r| r.name.as_str());
    let own_powers = own.first().map(|r| r.powers()).unwrap_or_default();
    // A role with powers of its own is refused for them; listing what else it reaches would
    // only add noise (a superuser is a member of every role).
    let reasons: Vec<String> = if own_powers.is_empty() {
        others
            .iter()
            .filter_map(|r| {
                let powers = r.powers();
                (!powers.is_empty())
                    .then(|| format!("it may become {:?} (SET ROLE), which {}", r.name, join_and(&powers)))
            })
            .collect()
    } else {
        vec![format!("it {}", join_and(&own_powers))]
    };
    if reasons.is_empty() {
        return Ok(());
    }
    Err(StoreError::Other(format!(
        "refusing to serve as PostgreSQL role {session_user:?}: row-level security would not bind it, because {}. \
         Log in (database.url) as a role that is no superuser, has neither BYPASSRLS nor CREATEROLE, owns no \
         table and is a member of no role that does, such as bosun_app; migrations run as the owner \
         (database.migrate_url)",
        reasons.join("; ")
    )))
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Refuses a database whose schema is not the one this build's migrations make: a migration
/// pending or failed part-way, one changed since it was applied, or one this build does not
/// know (a newer `bosun` migrated the database). The runtime role reads `_sqlx_migrations`
/// through the grant of migration 0005; a database without that grant is behind too.
pub async fn check_schema_is_current(pool: &sqlx::PgPool) -> StoreResult<()> {
    let applied: Vec<(i64, bool, Vec<u8>)> =
        match sqlx::query_as("SELECT version, success, checksum FROM _sqlx_migrations ORDER BY version")
            .fetch_all(pool)
            .await
        {
            Ok(rows) => rows,
            Err(e) => {
                let why = match e.as_database_error().and_then(|d| d.code()).as_deref() {
                    Some("42P01") => "no migration has run on it".to_owned(),
                    Some("42501") => "it predates migration 0005, which lets the runtime role read which \
                                      migrations have run"
                        .to_owned(),
                    _ => return Err(classify(e)),
                };
                return Err(schema_not_current(&why));
            }
        };
    let name = |version: i64| {
        MIGRATOR
            .iter()
            .find(|m| m.version == version)
            .map_or_else(|| format!("{version:04}"), |m| format!("{version:04}_{}", m.description.replace(' ', "_")))
    };
    let mut problems = Vec::new();
    for (version, success, checksum) in &applied {
        match MIGRATOR.iter().find(|m| m.version == *version && !m.migration_type.is_down_migration()) {
            None => {
                problems.push(format!("migration {} is unknown to this build (a newer bosun ran it)", name(*version)))
            }
            Some(_) if !success => problems.push(format!("migration {} failed part-way", name(*version))),
            Some(m) if m.checksum.as_ref() != checksum.as_slice() => {
                problems.push(format!("migration {} changed since it was applied", name(*version)));
            }
            Some(_) => {}
        }
    }
    let pending: Vec<String> = MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration() && !applied.iter().any(|(v, ..)| *v == m.version))
        .map(|m| name(m.version))
        .collect();
    if !pending.is_empty() {
        problems.push(format!("migration(s) {} pending", pending.join(", ")));
    }
    if problems.is_empty() { Ok(()) } else { Err(schema_not_current(&problems.join("; "))) }
}

fn schema_not_current(why: &str) -> StoreError {
    StoreError::Other(format!("the database schema is not current: {why}; {RUN_MIGRATIONS}"))
}

/// Scopes the transaction to one tenant; `true` makes the setting end with the transaction,
/// so a pooled connection never carries it further.
pub(crate) async fn set_tenant(tx: &mut Transaction<'static, Postgres>, company: CompanyId) -> StoreResult<()> {
    sqlx::query("SELECT set_config('app.company_id', $1, true)")
        .bind(company.0.to_string())
        .execute(&mut **tx)
        .await
        .map_err(classify)?;
    Ok(())
}

/// Lets the transaction read one person's own memberships (login, before a tenant is chosen).
pub(crate) async fn set_login_user(tx: &mut Transaction<'static, Postgres>, user: UserId) -> StoreResult<()> {
    sqlx::query("SELECT set_config('app.user_id', $1, true)")
        .bind(user.0.to_string())
        .execute(&mut **tx)
        .await
        .map_err(classify)?;
    Ok(())
}

/// The names of the migrations this build carries, in order.
pub fn migration_names() -> Vec<String> {
    MIGRATOR.iter().map(|m| format!("{:04}_{}", m.version, m.description.replace(' ', "_"))).collect()
}

/// Each migration this build carries, in order, with the checksum of its SQL (SHA-384, as
/// `_sqlx_migrations` records it): what identifies the schema they make, without reading the
/// files at run time.
pub fn migration_checksums() -> Vec<(String, Vec<u8>)> {
    MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .map(|m| (format!("{:04}_{}", m.version, m.description.replace(' ', "_")), m.checksum.to_vec()))
        .collect()
}

/// The channel live events travel on between processes sharing one database.
pub const EVENTS_CHANNEL: &str = "bosun_events";

/// The largest payload [`notify`] sends; PostgreSQL refuses 8000 bytes and more.
pub const MAX_NOTIFY_BYTES: usize = 7900;

/// Sends `payload` to every process listening on [`EVENTS_CHANNEL`] (this one included).
pub async fn notify(pool: &sqlx::PgPool, payload: &str) -> StoreResult<()> {
    if payload.len() > MAX_NOTIFY_BYTES {
        return Err(StoreError::Other(format!(
            "a notification of {} bytes exceeds the {MAX_NOTIFY_BYTES}-byte limit",
            payload.len()
        )));
    }
    sqlx::query("SELECT pg_notify('bosun_events', $1)").bind(payload).execute(pool).await.map_err(classify)?;
    Ok(())
}

/// Listens on [`EVENTS_CHANNEL`] over its own connection to `url` (the runtime role's, checked
/// as [`open`] checks the pool's), answering once listening.
/// The payloads arrive on the returned receiver. A lost connection is re-established (with
/// growing pauses up to 30 s while the server is away); notifications sent meanwhile are lost,
/// which live events tolerate. The task ends when the receiver is dropped.
pub async fn listen(url: &str) -> StoreResult<tokio::sync::mpsc::Receiver<String>> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await.map_err(classify)?;
    // The listener holds its connection for as long as the process runs: it logs in as the
    // runtime role, as the pool does, and is refused as the owner just the same.
    check_session_role(&mut listener).await?;
    listener.listen(EVENTS_CHANNEL).await.map_err(classify)?;
    let (tx, rx) = tokio::sync::mpsc::channel(1024);
    tokio::spawn(async move {
        let mut pause = Duration::from_millis(250);
        loop {
            tokio::select! {
                () = tx.closed() => return,
                received = listener.recv() => match received {
                    Ok(n) => {
                        pause = Duration::from_millis(250);
                        if tx.send(n.payload().to_owned()).await.is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        // The next recv reconnects and listens again.
                        tracing::warn!(error = %e, "lost the live-event listener's connection; reconnecting");
                        tokio::time::sleep(pause).await;
                        pause = (pause * 2).min(Duration::from_secs(30));
                    }
                },
            }
        }
    });
    Ok(rx)
}

//! The PostgreSQL backend's own strengths: migrations as the owner, the runtime role that
//! row-level security binds, and the tenant set per transaction.

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
    /// The role every runtime connection switches to (`SET ROLE`) after logging in. `None`
    /// uses the login role itself, which must then be a plain role.
    pub runtime_role: Option<String>,
    /// Pool size per process.
    pub max_connections: u32,
    /// Run pending migrations (as the login role) before serving.
    pub migrate: bool,
}

impl Default for PgSettings {
    fn default() -> Self {
        Self { runtime_role: Some("bosun_app".into()), max_connections: 16, migrate: true }
    }
}

fn check_role_name(name: &str) -> StoreResult<()> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if ok { Ok(()) } else { Err(StoreError::Other(format!("invalid runtime role name {name:?}"))) }
}

/// Migrates (as the login role) then opens the runtime pool and checks its role.
pub async fn open(url: &str, settings: &PgSettings) -> StoreResult<SqlStore> {
    if settings.migrate {
        let mut conn = PgConnection::connect(url).await.map_err(classify)?;
        MIGRATOR.run(&mut conn).await.map_err(|e| StoreError::Other(format!("migration failed: {e}")))?;
        conn.close().await.map_err(classify)?;
    }
    let role = settings.runtime_role.clone();
    if let Some(r) = &role {
        check_role_name(r)?;
    }
    let pool = PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .after_connect(move |conn, _meta| {
            let role = role.clone();
            Box::pin(async move {
                if let Some(role) = role {
                    // The name was checked above; identifiers cannot be bound as parameters.
                    conn.execute(sqlx::AssertSqlSafe(format!("SET ROLE {role}"))).await?;
                }
                Ok(())
            })
        })
        .connect(url)
        .await
        .map_err(classify)?;
    check_runtime_role(&pool).await?;
    Ok(SqlStore::Postgres(pool))
}

/// Refuses a runtime role that could bypass row-level security: a superuser, a role with
/// BYPASSRLS, or the owner of any table.
pub async fn check_runtime_role(pool: &sqlx::PgPool) -> StoreResult<()> {
    let (role, superuser, bypass, owned): (String, bool, bool, i64) = sqlx::query_as(
        "SELECT current_user::text, r.rolsuper, r.rolbypassrls,
                (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tableowner = current_user)
           FROM pg_roles r WHERE r.rolname = current_user",
    )
    .fetch_one(pool)
    .await
    .map_err(classify)?;
    if superuser || bypass || owned > 0 {
        return Err(StoreError::Other(format!(
            "refusing to serve as PostgreSQL role {role:?}: it is a superuser, has BYPASSRLS or owns tables \
             ({owned}), so row-level security would not bind it; set database.runtime_role to a plain role \
             such as bosun_app"
        )));
    }
    Ok(())
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

/// Listens on [`EVENTS_CHANNEL`] over its own connection to `url`, answering once listening.
/// The payloads arrive on the returned receiver. A lost connection is re-established (with
/// growing pauses up to 30 s while the server is away); notifications sent meanwhile are lost,
/// which live events tolerate. The task ends when the receiver is dropped.
pub async fn listen(url: &str) -> StoreResult<tokio::sync::mpsc::Receiver<String>> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await.map_err(classify)?;
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

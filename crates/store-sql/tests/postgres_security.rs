//! PostgreSQL's own guarantees behind the store (SECURITY.md, "Tenant isolation" and "Audit
//! trail"): every tenant table has row-level security enabled and forced, an unscoped runtime
//! session sees no tenant row, the tenant setting ends with its transaction, the store and the
//! live-event listener log in as the runtime role and refuse any role row-level security would
//! not bind (or that could become one), a pooled connection cannot switch to another role, the
//! store refuses a schema that is not current, and the audit log is append-only.
//!
//! Each test gets its own database from [`TestDb::postgres`], a clone of a template migrated as
//! the admin (superuser) login, which so owns the tables, and opened as the runtime role
//! `bosun_app`; the test of a schema that is not current starts from [`TestDb::postgres_empty`].
//! Rows are written through the store API and inspected through a raw connection as the admin,
//! which switches to the runtime role with `SET ROLE bosun_app` where a test needs it.

#![allow(clippy::disallowed_methods)] // tests and tools may read the wall clock

use std::collections::BTreeMap;

use bosun_domain::audit::{NewAuditEntry, Outcome};
use bosun_domain::company::{Company, CompanySlug};
use bosun_domain::person::{Email, Membership, Role, User};
use bosun_domain::vessel::{Vessel, VesselKind};
use bosun_domain::{AuditId, CompanyId, UserId, VesselId};
use bosun_store::{Change, Store, StoreError};
use bosun_store_sql::{PgSettings, SqlStore, postgres};
use bosun_testkit::db::RUNTIME_ROLE;
use bosun_testkit::db::TestDb;
use chrono::{DateTime, Utc};
use sqlx::{Connection, PgConnection};

/// Every table that carries `company_id`, as the foundation migration creates them.
const TENANT_TABLES: [&str; 10] = [
    "audit_heads",
    "audit_log",
    "departments",
    "memberships",
    "refresh_tokens",
    "sync_changes",
    "sync_clients",
    "sync_scopes",
    "vessel_members",
    "vessels",
];

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T08:00:00Z").expect("a valid timestamp").with_timezone(&Utc)
}

/// A fresh PostgreSQL database, migrated and open as the runtime role.
async fn migrated() -> (TestDb, SqlStore) {
    let db = TestDb::postgres().await;
    let store = db.open().await;
    (db, store)
}

/// A raw connection to the test database as the admin login (a superuser, the tables' owner).
async fn admin(db: &TestDb) -> PgConnection {
    PgConnection::connect(&db.owner_url()).await.expect("the admin login reaches the test database")
}

fn pool(store: &SqlStore) -> &sqlx::PgPool {
    match store {
        SqlStore::Postgres(pool) => pool,
        SqlStore::Sqlite(_) => panic!("expected a PostgreSQL store"),
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

fn vessel(company: CompanyId, name: &str) -> Vessel {
    Vessel {
        id: VesselId::new(),
        company_id: company,
        kind: VesselKind::Vessel,
        name: name.into(),
        vessel_type: None,
        imo: None,
        specs: "{}".into(),
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    }
}

fn audit_entry(action: &str) -> NewAuditEntry {
    NewAuditEntry {
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
    }
}

/// Gives company `c` a person, a vessel, two audit entries and a change-log row, all through
/// the store API; returns the vessel.
async fn populate(store: &SqlStore, c: CompanyId) -> Vessel {
    let v = vessel(c, "Northern Star");
    let user = User {
        id: UserId::new(),
        email: Email::parse("email", &format!("ana+{}@example.com", c.0.simple())).expect("a valid email"),
        name: "Ana".into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        created_at: t0(),
        updated_at: t0(),
    };
    let membership = Membership {
        company_id: c,
        user_id: user.id,
        role: Role::Owner,
        specialisation: None,
        active: true,
        version: 1,
        created_at: t0(),
        updated_at: t0(),
    };
    let mut tx = store.begin(Some(c)).await.expect("a transaction opens");
    tx.insert_user(&user).await.expect("the user is stored");
    tx.insert_membership(&membership).await.expect("the membership is stored");
    tx.insert_vessel(&v).await.expect("the vessel is stored");
    tx.append_audit(c, &audit_entry("vessel.create")).await.expect("the audit entry is appended");
    tx.append_audit(c, &audit_entry("vessel.update")).await.expect("the audit entry is appended");
    let change = Change {
        scope: format!("vessel:{}", v.id),
        entity: "vessel",
        row_id: v.id.0,
        op: "insert",
        fields: serde_json::json!({ "name": v.name }),
        at: t0(),
    };
    tx.record_change(c, &change).await.expect("the change is recorded");
    tx.commit().await.expect("the writes commit");
    v
}

async fn count(conn: &mut PgConnection, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(conn)
        .await
        .unwrap_or_else(|e| panic!("counting {table}: {e}"))
}

fn sqlstate(e: &sqlx::Error) -> Option<String> {
    e.as_database_error().and_then(|d| d.code()).map(|c| c.into_owned())
}

#[tokio::test]
async fn every_table_with_company_id_has_row_level_security_enabled_and_forced() {
    let (db, store) = migrated().await;
    store.close().await;
    let mut conn = admin(&db).await;

    let rows: Vec<(String, bool, bool)> = sqlx::query_as(
        "SELECT c.relname::text, c.relrowsecurity, c.relforcerowsecurity
           FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public'
            AND c.relkind IN ('r', 'p')
            AND EXISTS (SELECT 1 FROM pg_attribute a
                         WHERE a.attrelid = c.oid AND a.attname = 'company_id'
                           AND a.attnum > 0 AND NOT a.attisdropped)
          ORDER BY 1",
    )
    .fetch_all(&mut conn)
    .await
    .expect("the catalog answers");
    let flags: BTreeMap<String, (bool, bool)> = rows.into_iter().map(|(t, on, forced)| (t, (on, forced))).collect();

    for table in TENANT_TABLES {
        assert!(flags.contains_key(table), "{table} should be among the tables with company_id: {flags:?}");
    }
    let unprotected: Vec<&String> =
        flags.iter().filter(|(_, (on, forced))| !(*on && *forced)).map(|(t, _)| t).collect();
    assert!(
        unprotected.is_empty(),
        "tables with company_id lacking ENABLE and FORCE ROW LEVEL SECURITY: {unprotected:?}"
    );
}

#[tokio::test]
async fn an_unscoped_runtime_session_reads_no_tenant_rows() {
    let (db, store) = migrated().await;
    let acme = company(&store, "acme").await;
    populate(&store, acme.id).await;
    store.close().await;
    let populated = ["vessels", "memberships", "audit_heads", "audit_log", "sync_scopes", "sync_changes"];

    let mut conn = admin(&db).await;
    // The superuser bypasses row-level security: the rows are there.
    for table in populated {
        assert!(count(&mut conn, table).await > 0, "{table} should have rows for this test to mean anything");
    }

    sqlx::query("SET ROLE bosun_app").execute(&mut conn).await.expect("the admin can become bosun_app");
    let setting: Option<String> = sqlx::query_scalar("SELECT current_setting('app.company_id', true)")
        .fetch_one(&mut conn)
        .await
        .expect("settings can be read");
    assert!(setting.as_deref().unwrap_or("").is_empty(), "no tenant should be set, found {setting:?}");
    for table in TENANT_TABLES {
        assert_eq!(count(&mut conn, table).await, 0, "an unscoped bosun_app session read rows of {table}");
    }

    // The same session scoped to the tenant sees its rows: the policy filters, it does not deny all.
    let mut tx = conn.begin().await.expect("a transaction opens");
    sqlx::query("SELECT set_config('app.company_id', $1, true)")
        .bind(acme.id.0.to_string())
        .execute(&mut *tx)
        .await
        .expect("the tenant is set");
    assert_eq!(count(&mut tx, "vessels").await, 1);
    assert_eq!(count(&mut tx, "audit_log").await, 2);
}

#[tokio::test]
async fn the_tenant_setting_does_not_outlive_its_transaction_on_a_pooled_connection() {
    let db = TestDb::postgres().await;
    let store = db.open_with_connections(Some(1)).await;
    let acme = company(&store, "acme").await;
    let v = populate(&store, acme.id).await;
    let pool = pool(&store);

    let backend_pid = async |pool: &sqlx::PgPool| -> i32 {
        sqlx::query_scalar("SELECT pg_backend_pid()").fetch_one(pool).await.expect("the backend answers")
    };
    let before = backend_pid(pool).await;

    let mut tx = store.begin(Some(acme.id)).await.expect("a tenant transaction opens");
    let read = tx.vessel(acme.id, v.id).await.expect("the vessel reads");
    assert_eq!(read.map(|r| r.id), Some(v.id), "tenant A reads its own vessel");
    tx.commit().await.expect("the tenant transaction commits");

    assert_eq!(backend_pid(pool).await, before, "a pool of one reuses its one connection");
    let (role, setting): (String, Option<String>) =
        sqlx::query_as("SELECT current_user::text, current_setting('app.company_id', true)")
            .fetch_one(pool)
            .await
            .expect("the session answers");
    assert_eq!(role, "bosun_app");
    assert!(setting.as_deref().unwrap_or("").is_empty(), "the tenant outlived its transaction: {setting:?}");
    let vessels: i64 =
        sqlx::query_scalar("SELECT count(*) FROM vessels").fetch_one(pool).await.expect("vessels can be counted");
    assert_eq!(vessels, 0, "an unscoped query after a tenant transaction read that tenant's vessels");
    store.close().await;
}

/// Asserts `opened` is the refusal of `role`, saying why with `reason`.
fn assert_refused<T>(opened: Result<T, StoreError>, role: &str, reason: &str) {
    match opened {
        Err(StoreError::Other(message)) => {
            assert!(
                message.contains(&format!("refusing to serve as PostgreSQL role {role:?}")),
                "the refusal should name the role {role}: {message}"
            );
            assert!(message.contains("row-level security"), "the refusal should say what it guards: {message}");
            assert!(message.contains(reason), "the refusal should say {reason:?}: {message}");
        }
        Err(other) => panic!("{role}: expected a refusal, got {other:?}"),
        Ok(_) => panic!("{role} was accepted, though {reason}"),
    }
}

#[tokio::test]
async fn a_store_opened_on_the_owners_url_is_refused() {
    let (db, store) = migrated().await;
    store.close().await;
    // The admin login ran the migrations: it owns every table, and is a superuser besides.
    let refused = SqlStore::open(&db.owner_url(), &PgSettings::default()).await;
    assert_refused(refused, "postgres", "is a superuser");
}

#[tokio::test]
async fn the_store_refuses_every_login_that_row_level_security_does_not_bind_or_that_may_become_one() {
    let (db, store) = migrated().await;
    store.close().await;
    let mut conn = admin(&db).await;
    let suffix = uuid::Uuid::now_v7().simple().to_string();
    let role = |what: &str| format!("bosun_test_{what}_{suffix}");
    let (owner, bypass) = (role("owner"), role("bypass"));
    // Roles are cluster-wide: each name carries this test's suffix, and all are dropped below.
    let setup = [
        format!("CREATE ROLE {owner} NOLOGIN NOSUPERUSER NOBYPASSRLS"),
        format!("ALTER TABLE vessels OWNER TO {owner}"),
        format!("CREATE ROLE {bypass} NOLOGIN NOSUPERUSER BYPASSRLS"),
        format!("CREATE ROLE {} LOGIN SUPERUSER", role("super")),
        format!("CREATE ROLE {} LOGIN NOSUPERUSER BYPASSRLS", role("bypasser")),
        format!("CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS CREATEROLE", role("creator")),
        format!("CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS", role("tableowner")),
        format!("ALTER TABLE departments OWNER TO {}", role("tableowner")),
        // Members, with or without inheriting: each may `SET ROLE` to what it is a member of.
        format!("CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS IN ROLE {owner}", role("ownermember")),
        format!("CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT IN ROLE postgres", role("supermember")),
        format!("CREATE ROLE {} LOGIN NOSUPERUSER NOBYPASSRLS IN ROLE {bypass}", role("bypassmember")),
    ];
    for statement in &setup {
        sqlx::query(sqlx::AssertSqlSafe(statement.clone()))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    // (login, what the refusal must say about it)
    let cases = [
        (role("super"), "it is a superuser".to_owned()),
        (role("bypasser"), "it has BYPASSRLS".to_owned()),
        (role("creator"), "it has CREATEROLE".to_owned()),
        (role("tableowner"), "it owns 1 table(s)".to_owned()),
        (role("ownermember"), format!("it may become {owner:?} (SET ROLE), which owns 1 table(s)")),
        (role("supermember"), r#"it may become "postgres" (SET ROLE), which is a superuser"#.to_owned()),
        (role("bypassmember"), format!("it may become {bypass:?} (SET ROLE), which has BYPASSRLS")),
    ];

    let mut outcomes = Vec::new();
    for (login, _) in &cases {
        outcomes.push(SqlStore::open(&db.url_as(login), &PgSettings::default()).await);
    }

    let mut teardown = vec![
        "ALTER TABLE vessels OWNER TO postgres".to_owned(),
        "ALTER TABLE departments OWNER TO postgres".to_owned(),
    ];
    teardown.extend(cases.iter().map(|(login, _)| format!("DROP ROLE {login}")));
    teardown.extend([format!("DROP ROLE {owner}"), format!("DROP ROLE {bypass}")]);
    for statement in &teardown {
        sqlx::query(sqlx::AssertSqlSafe(statement.clone()))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    for ((login, reason), outcome) in cases.iter().zip(outcomes) {
        assert_refused(outcome, login, reason);
    }
}

#[tokio::test]
async fn the_store_logs_in_as_bosun_app_and_accepts_it() {
    let (_db, store) = migrated().await;
    let pool = pool(&store);
    let (session, current): (String, String) = sqlx::query_as("SELECT session_user::text, current_user::text")
        .fetch_one(pool)
        .await
        .expect("the session answers");
    assert_eq!((session.as_str(), current.as_str()), (RUNTIME_ROLE, RUNTIME_ROLE));
    postgres::check_session_role(pool).await.expect("bosun_app is a plain role that owns no table");
    store.close().await;
}

#[tokio::test]
async fn a_pooled_connection_cannot_switch_roles_to_get_past_row_level_security() {
    let (db, store) = migrated().await;
    let alpha = company(&store, "alpha").await;
    let bravo = company(&store, "bravo").await;
    populate(&store, bravo.id).await;
    let mut conn = pool(&store).acquire().await.expect("a pooled connection");
    let roles = async |conn: &mut PgConnection| -> (String, String) {
        sqlx::query_as("SELECT session_user::text, current_user::text").fetch_one(conn).await.expect("roles read")
    };
    let runtime = (RUNTIME_ROLE.to_owned(), RUNTIME_ROLE.to_owned());
    assert_eq!(roles(&mut conn).await, runtime, "the pool logs in as the runtime role");

    // What injected SQL could try on a pooled connection to become the owner again.
    for statement in ["SET ROLE postgres", "SET SESSION AUTHORIZATION postgres"] {
        let refused = sqlx::query(statement).execute(&mut *conn).await.expect_err(statement);
        assert_eq!(
            sqlstate(&refused).as_deref(),
            Some("42501"),
            "{statement}: expected permission denied, got {refused}"
        );
    }
    for statement in ["RESET ROLE", "RESET SESSION AUTHORIZATION", "SET ROLE NONE"] {
        sqlx::query(statement).execute(&mut *conn).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
        assert_eq!(roles(&mut conn).await, runtime, "{statement} leaves the runtime role");
    }
    assert_eq!(count(&mut conn, "vessels").await, 0, "an unscoped session read vessels");
    let refused = sqlx::query("ALTER TABLE vessels NO FORCE ROW LEVEL SECURITY").execute(&mut *conn).await;
    assert_eq!(sqlstate(&refused.expect_err("the runtime role altered a table")).as_deref(), Some("42501"));

    // Scoped to alpha, bravo's rows stay out of reach.
    let mut tx = conn.begin().await.expect("a transaction opens");
    sqlx::query("SELECT set_config('app.company_id', $1, true)")
        .bind(alpha.id.0.to_string())
        .execute(&mut *tx)
        .await
        .expect("the tenant is set");
    for table in ["vessels", "memberships", "audit_log", "sync_changes"] {
        assert_eq!(count(&mut tx, table).await, 0, "alpha read bravo's {table}");
    }
    // Compaction may fold and delete changes, only within the company, and only their content.
    let folded = sqlx::query("UPDATE sync_changes SET fields = '{}'").execute(&mut *tx).await.expect("an update");
    let deleted = sqlx::query("DELETE FROM sync_changes").execute(&mut *tx).await.expect("a delete");
    assert_eq!((folded.rows_affected(), deleted.rows_affected()), (0, 0), "alpha changed bravo's sync log");
    let moved = sqlx::query("UPDATE sync_changes SET scope = 'vessel:x'").execute(&mut *tx).await;
    assert_eq!(sqlstate(&moved.expect_err("the runtime role moved a change")).as_deref(), Some("42501"));
    drop(tx);
    drop(conn);
    store.close().await;

    let mut admin = admin(&db).await;
    assert_eq!(count(&mut admin, "vessels").await, 1, "bravo's vessel is there for the test to mean anything");
}

#[tokio::test]
async fn the_live_event_listener_logs_in_as_the_runtime_role_and_refuses_the_owner() {
    let (db, store) = migrated().await;
    store.close().await;
    assert_refused(postgres::listen(&db.owner_url()).await, "postgres", "is a superuser");

    let _events = postgres::listen(&db.url()).await.expect("the runtime role listens");
    let mut admin = admin(&db).await;
    let listening: Vec<String> = sqlx::query_scalar(
        "SELECT usename::text FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'",
    )
    .fetch_all(&mut admin)
    .await
    .expect("the activity view answers");
    assert_eq!(listening, [RUNTIME_ROLE], "the users of the sessions listening on this database");
}

#[tokio::test]
async fn the_store_refuses_a_schema_that_is_not_current_and_says_how_to_migrate() {
    let db = TestDb::postgres_empty().await;
    let how = "run `bosun migrate` with the owner's URL, or set database.migrate_url";
    let refusal = async |db: &TestDb| match SqlStore::open(&db.url(), &PgSettings::default()).await {
        Err(StoreError::Other(message)) => message,
        Err(other) => panic!("expected a refusal, got {other:?}"),
        Ok(_) => panic!("the runtime role opened a schema that is not current"),
    };

    let empty = refusal(&db).await;
    assert!(empty.contains("no migration has run"), "{empty}");
    assert!(empty.contains(how), "{empty}");

    postgres::migrate(&db.owner_url()).await.expect("the owner migrates");
    let newest = postgres::migration_names().pop().expect("a migration");
    let version: i64 = newest[..4].parse().expect("a numbered migration");
    let mut admin = admin(&db).await;
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1")
        .bind(version)
        .execute(&mut admin)
        .await
        .expect("the newest migration is forgotten");
    let behind = refusal(&db).await;
    assert!(behind.contains(&format!("migration(s) {newest} pending")), "{behind}");
    assert!(behind.contains(how), "{behind}");

    postgres::migrate(&db.owner_url()).await.expect("the owner migrates again");
    SqlStore::open(&db.url(), &PgSettings::default()).await.expect("a current schema opens").close().await;
}

#[tokio::test]
async fn the_runtime_role_may_not_update_delete_or_truncate_the_audit_log() {
    let (db, store) = migrated().await;
    let acme = company(&store, "acme").await;
    populate(&store, acme.id).await;
    store.close().await;
    let mut conn = admin(&db).await;

    for statement in ["UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
        let mut tx = conn.begin().await.expect("a transaction opens");
        sqlx::query("SET LOCAL ROLE bosun_app").execute(&mut *tx).await.expect("the admin can become bosun_app");
        sqlx::query("SELECT set_config('app.company_id', $1, true)")
            .bind(acme.id.0.to_string())
            .execute(&mut *tx)
            .await
            .expect("the tenant is set");
        let refused = sqlx::query(statement).execute(&mut *tx).await.expect_err(statement);
        assert_eq!(
            sqlstate(&refused).as_deref(),
            Some("42501"),
            "{statement}: expected permission denied, got {refused}"
        );
    }
    assert_eq!(count(&mut conn, "audit_log").await, 2);
}

#[tokio::test]
async fn the_runtime_role_may_not_update_or_delete_ledger_facts() {
    let (db, store) = migrated().await;
    let acme = company(&store, "acme").await;
    store.close().await;
    let mut conn = admin(&db).await;
    for table in [
        "stock_entries",
        "step_results",
        "labour_entries",
        "plan_postponements",
        "plan_completions",
        "daily_report_revisions",
    ] {
        for statement in [format!("UPDATE {table} SET vessel_id = vessel_id"), format!("DELETE FROM {table}")] {
            let mut tx = conn.begin().await.expect("a transaction opens");
            sqlx::query("SET LOCAL ROLE bosun_app").execute(&mut *tx).await.expect("the admin can become bosun_app");
            sqlx::query("SELECT set_config('app.company_id', $1, true)")
                .bind(acme.id.0.to_string())
                .execute(&mut *tx)
                .await
                .expect("the tenant is set");
            let refused =
                sqlx::query(sqlx::AssertSqlSafe(statement.clone())).execute(&mut *tx).await.expect_err(&statement);
            assert_eq!(
                sqlstate(&refused).as_deref(),
                Some("42501"),
                "{statement}: expected permission denied, got {refused}"
            );
        }
    }
}

#[tokio::test]
async fn triggers_reject_even_the_owners_update_delete_and_truncate_of_the_audit_log() {
    let (db, store) = migrated().await;
    let acme = company(&store, "acme").await;
    populate(&store, acme.id).await;
    store.close().await;
    let mut conn = admin(&db).await;
    let is_owner: bool = sqlx::query_scalar(
        "SELECT pg_get_userbyid(relowner) = current_user FROM pg_class WHERE oid = 'public.audit_log'::regclass",
    )
    .fetch_one(&mut conn)
    .await
    .expect("the catalog answers");
    assert!(is_owner, "the admin login should own audit_log (it ran the migrations)");
    let actions = async |conn: &mut PgConnection| -> Vec<String> {
        sqlx::query_scalar("SELECT action FROM audit_log ORDER BY seq").fetch_all(conn).await.expect("the log reads")
    };
    let before = actions(&mut conn).await;
    assert_eq!(before, ["vessel.create", "vessel.update"]);

    for statement in
        ["UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log WHERE seq = 1", "TRUNCATE audit_log"]
    {
        let refused = sqlx::query(statement).execute(&mut conn).await.expect_err(statement);
        assert!(refused.to_string().contains("audit_log is append-only"), "{statement}: {refused}");
    }
    assert_eq!(actions(&mut conn).await, before, "the audit log changed");
}

#[tokio::test]
async fn a_tenant_cannot_insert_a_row_carrying_another_tenants_id() {
    let (db, store) = migrated().await;
    let alpha = company(&store, "alpha").await;
    let bravo = company(&store, "bravo").await;
    store.close().await;
    let mut conn = admin(&db).await;
    const INSERT: &str = "INSERT INTO vessels (company_id, id, kind, name, version, created_at, updated_at)
                          VALUES ($1, $2, 'vessel', 'Stowaway', 1, now(), now())";

    // A bosun_app transaction scoped to bravo inserts a vessel carrying `company`'s id.
    let as_bravo = async |conn: &mut PgConnection, company: CompanyId| {
        let mut tx = conn.begin().await.expect("a transaction opens");
        sqlx::query("SET LOCAL ROLE bosun_app").execute(&mut *tx).await.expect("the admin can become bosun_app");
        sqlx::query("SELECT set_config('app.company_id', $1, true)")
            .bind(bravo.id.0.to_string())
            .execute(&mut *tx)
            .await
            .expect("the tenant is set");
        let inserted = sqlx::query(INSERT).bind(company.0).bind(VesselId::new().0).execute(&mut *tx).await;
        if inserted.is_ok() {
            tx.commit().await.expect("the insert commits");
        }
        inserted
    };

    // The statement is sound: bravo may insert its own vessel.
    as_bravo(&mut conn, bravo.id).await.expect("bravo inserts a vessel of its own");
    let refused = as_bravo(&mut conn, alpha.id).await.expect_err("bravo inserted a vessel carrying alpha's id");
    assert_eq!(sqlstate(&refused).as_deref(), Some("42501"), "{refused}");
    assert!(refused.to_string().contains("row-level security"), "{refused}");

    let alpha_vessels: i64 = sqlx::query_scalar("SELECT count(*) FROM vessels WHERE company_id = $1")
        .bind(alpha.id.0)
        .fetch_one(&mut conn)
        .await
        .expect("vessels can be counted");
    assert_eq!(alpha_vessels, 0);
}

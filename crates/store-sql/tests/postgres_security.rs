//! PostgreSQL's own guarantees behind the store (SECURITY.md, "Tenant isolation" and "Audit
//! trail"): every tenant table has row-level security enabled and forced, an unscoped runtime
//! session sees no tenant row, the tenant setting ends with its transaction, the server refuses a
//! role that row-level security would not bind, and the audit log is append-only.
//!
//! Each test gets its own database from [`TestDb::postgres`]; rows are written through the
//! store API and inspected through a raw connection as the admin (superuser) login, which
//! switches to the runtime role with `SET ROLE bosun_app` where a test needs it.

use std::collections::BTreeMap;

use bosun_domain::audit::{NewAuditEntry, Outcome};
use bosun_domain::company::{Company, CompanySlug};
use bosun_domain::person::{Email, Membership, Role, User};
use bosun_domain::vessel::{Vessel, VesselKind};
use bosun_domain::{AuditId, CompanyId, UserId, VesselId};
use bosun_store::{Change, Store, StoreError};
use bosun_store_sql::testing::TestDb;
use bosun_store_sql::{PgSettings, SqlStore, postgres};
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

/// A raw connection to the test database as the admin login (a superuser).
async fn admin(db: &TestDb) -> PgConnection {
    PgConnection::connect(&db.url()).await.expect("the admin login reaches the test database")
}

fn pool(store: &SqlStore) -> &sqlx::PgPool {
    match store {
        SqlStore::Postgres(pool) => pool,
        SqlStore::Sqlite(_) => panic!("expected a PostgreSQL store"),
    }
}

async fn company(store: &SqlStore, slug: &str) -> Company {
    let c = Company::new(CompanySlug::parse("slug", slug).expect("a valid slug"), &format!("{slug} Ltd"), t0())
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
    let store = SqlStore::open(&db.url(), &PgSettings { max_connections: 1, ..Default::default() })
        .await
        .expect("postgres opens with a pool of one");
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

#[tokio::test]
async fn the_server_refuses_to_run_as_a_superuser_login() {
    let db = TestDb::postgres().await;
    let refused = SqlStore::open(&db.url(), &PgSettings { runtime_role: None, ..Default::default() }).await;
    match refused {
        Err(StoreError::Other(message)) => {
            assert!(
                message.contains(r#"refusing to serve as PostgreSQL role "postgres""#),
                "the refusal should name the role: {message}"
            );
            assert!(message.contains("row-level security"), "the refusal should say why: {message}");
        }
        Err(other) => panic!("expected a refusal, got {other:?}"),
        Ok(_) => panic!("opened as the superuser postgres, which row-level security does not bind"),
    }
}

#[tokio::test]
async fn the_server_refuses_every_role_that_row_level_security_does_not_bind() {
    let (db, store) = migrated().await;
    store.close().await;
    let mut conn = admin(&db).await;
    let suffix = uuid::Uuid::now_v7().simple().to_string();
    // (role, attributes, what makes row-level security pass it by); none of them logs in: the
    // admin login switches to each with `SET ROLE`, as the server does with its runtime role.
    let cases = [
        (format!("bosun_test_super_{suffix}"), "SUPERUSER", "superuser"),
        (format!("bosun_test_bypass_{suffix}"), "NOSUPERUSER BYPASSRLS", "BYPASSRLS"),
        (format!("bosun_test_owner_{suffix}"), "NOSUPERUSER NOBYPASSRLS", "owner of vessels"),
    ];
    for (role, attributes, _) in &cases {
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE ROLE {role} NOLOGIN {attributes}")))
            .execute(&mut conn)
            .await
            .expect("a role can be created");
    }
    let owner = &cases[2].0;
    sqlx::query(sqlx::AssertSqlSafe(format!("ALTER TABLE vessels OWNER TO {owner}")))
        .execute(&mut conn)
        .await
        .expect("the table changes owner");

    let mut outcomes = Vec::new();
    for (role, _, why) in &cases {
        let settings = PgSettings { runtime_role: Some(role.clone()), migrate: false, ..Default::default() };
        outcomes.push((role, why, SqlStore::open(&db.url(), &settings).await));
    }

    sqlx::query("ALTER TABLE vessels OWNER TO postgres").execute(&mut conn).await.expect("ownership returns");
    for (role, _, _) in &cases {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP ROLE {role}"))).execute(&mut conn).await.expect("the role drops");
    }
    for (role, why, outcome) in outcomes {
        match outcome {
            Err(StoreError::Other(message)) => {
                assert!(message.contains(&format!("{role:?}")), "the refusal should name the role: {message}");
                assert!(message.contains("row-level security"), "the refusal should say why: {message}");
            }
            Err(other) => panic!("{why}: expected a refusal, got {other:?}"),
            Ok(_) => panic!("opened as a {why}, which row-level security does not bind"),
        }
    }
}

#[tokio::test]
async fn the_runtime_role_check_accepts_bosun_app() {
    let (_db, store) = migrated().await;
    let pool = pool(&store);
    let role: String = sqlx::query_scalar("SELECT current_user::text").fetch_one(pool).await.expect("role");
    assert_eq!(role, "bosun_app");
    postgres::check_runtime_role(pool).await.expect("bosun_app is a plain role that owns no table");
    store.close().await;
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

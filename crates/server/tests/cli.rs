//! The command line as an operator meets it: `config print-default`, `company create`,
//! `user create`, `audit verify` against a tampered trail on both backends, `serve` refusing a
//! PostgreSQL login that row-level security would not bind or a schema that is not current, and
//! `migrate` running as the owner.

#![allow(clippy::disallowed_methods)] // tests and tools may read the wall clock

mod support;

use std::str::FromStr;
use std::time::Duration;

use bosun_testkit::db::TestDb;
use figment::Figment;
use figment::providers::{Format, Toml};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, PgConnection, SqliteConnection};
use support::{Bosun, PASSWORD, assert_success, free_addr};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_printed_default_configuration_is_toml_that_loads_as_the_configuration() {
    let out = Bosun::sqlite().run(&["config", "print-default"]);
    assert_success(&out, "config print-default");
    let text = stdout(&out);
    let as_toml: serde_json::Value = Figment::from(Toml::string(&text))
        .extract()
        .unwrap_or_else(|e| panic!("print-default is not TOML: {e}\n{text}"));
    for section in ["server", "database", "auth", "log"] {
        assert!(as_toml[section].is_object(), "[{section}] is printed: {as_toml}");
    }
    assert!(as_toml["database"].get("runtime_role").is_none(), "runtime_role is gone: {as_toml}");
    assert!(text.contains("# migrate_url = \"postgres://"), "migrate_url is explained: {text}");
    let config: bosun_server::config::Config =
        Figment::from(Toml::string(&text)).extract().expect("the printed file loads as the configuration");
    config.validate().expect("the printed defaults are valid");
}

fn a_duplicate_company_slug_is_refused(bosun: &Bosun) {
    let first = bosun.run(&["company", "create", "--slug", "acme", "--name", "Acme Shipping"]);
    assert_success(&first, "company create");
    assert!(uuid::Uuid::parse_str(stdout(&first).trim()).is_ok(), "company create prints the id: {}", stdout(&first));
    let again = bosun.run(&["company", "create", "--slug", "acme", "--name", "Acme Again"]);
    assert!(!again.status.success(), "a second company with the slug acme was accepted: {}", stdout(&again));
    assert!(!stderr(&again).trim().is_empty(), "the refusal says why");
}

#[test]
fn a_companys_plan_is_set_from_the_command_line_and_checked() {
    let bosun = Bosun::sqlite();
    bosun.create_company("acme");
    let out =
        bosun.run(&["company", "plan", "--slug", "acme", "--plan", "enterprise", "--rate-limit-per-minute", "5000"]);
    assert_success(&out, "company plan");
    assert!(stdout(&out).contains("enterprise plan (5000 requests a minute"), "{}", stdout(&out));
    for bad in [&["--plan", "platinum"][..], &["--plan", "pro", "--rate-limit-per-minute", "0"][..]] {
        let mut args = vec!["company", "plan", "--slug", "acme"];
        args.extend_from_slice(bad);
        let out = bosun.run(&args);
        assert!(!out.status.success(), "{bad:?} accepted: {}", stdout(&out));
        assert!(!stderr(&out).trim().is_empty(), "the refusal says why");
    }
    let out = bosun.run(&["company", "plan", "--slug", "nobody", "--plan", "pro"]);
    assert!(!out.status.success(), "an unknown company");
}

#[test]
fn creating_a_company_with_a_taken_slug_fails_on_sqlite() {
    a_duplicate_company_slug_is_refused(&Bosun::sqlite());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_a_company_with_a_taken_slug_fails_on_postgres() {
    let db = TestDb::postgres().await;
    a_duplicate_company_slug_is_refused(&Bosun::postgres(&db));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_create_takes_the_password_from_stdin_or_the_environment_never_the_command_line() {
    let bosun = Bosun::sqlite();
    bosun.create_company("acme");
    fn create(email: &str) -> Vec<&str> {
        vec!["user", "create", "--company", "acme", "--email", email, "--role", "engineer"]
    }

    let from_stdin = bosun.run_with_stdin(&create("stdin@acme.example"), &format!("{PASSWORD}\n"));
    assert_success(&from_stdin, "user create with the password on stdin");
    let from_env = bosun.command(&create("env@acme.example")).env("BOSUN_PASSWORD", PASSWORD).output().expect("runs");
    assert_success(&from_env, "user create with BOSUN_PASSWORD");

    let short_env = bosun.command(&create("short@acme.example")).env("BOSUN_PASSWORD", "abc").output().expect("runs");
    assert!(!short_env.status.success(), "a 3-character password was accepted");
    assert!(stderr(&short_env).contains("password"), "the refusal names the password: {}", stderr(&short_env));
    let short_stdin = bosun.run_with_stdin(&create("short@acme.example"), "abc\n");
    assert!(!short_stdin.status.success(), "a 3-character password on stdin was accepted");

    let no_password = bosun.run_with_stdin(&create("nothing@acme.example"), "");
    assert!(!no_password.status.success(), "a login without a password was created");

    let mut flag = create("flag@acme.example");
    flag.extend(["--password", PASSWORD]);
    let with_flag = bosun.run_with_stdin(&flag, &format!("{PASSWORD}\n"));
    assert_eq!(with_flag.status.code(), Some(2), "--password must be a usage error: {}", stderr(&with_flag));
    assert!(stderr(&with_flag).contains("--password"), "the usage error names the flag: {}", stderr(&with_flag));

    let server = bosun.serve(&[]).await;
    server.sign_in("stdin@acme.example").await;
    server.sign_in("env@acme.example").await;
    assert_eq!(server.login("short@acme.example", "abc").await.status(), 401, "the short-password login exists");
    assert_eq!(server.login("flag@acme.example", PASSWORD).await.status(), 401, "the --password login exists");
}

/// Seeds the demo through `serve --demo`, adds a write over the API, and stops the server.
async fn seed_demo(bosun: &Bosun) {
    let server = bosun.serve(&["--demo"]).await;
    let (token, _) = server.sign_in_with("owner@northwind.example", "bosun-demo-2026").await;
    let res = server
        .client
        .post(server.url("/api/v1/vessels"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "kind": "vessel", "name": "Northwind Verity" }))
        .send()
        .await
        .expect("the vessel request is answered");
    assert_eq!(res.status(), 201, "creating a vessel");
}

fn assert_chain_holds(bosun: &Bosun) {
    let out = bosun.run(&["audit", "verify"]);
    assert_success(&out, "audit verify on an untouched trail");
    for company in ["northwind", "harbourline"] {
        assert!(
            stdout(&out).contains(&format!("{company}: the chain holds")),
            "{company} is verified: {}",
            stdout(&out)
        );
    }
}

fn assert_broken(bosun: &Bosun, company: Option<&str>, expected: &str) {
    let mut args = vec!["audit", "verify"];
    if let Some(c) = company {
        args.extend(["--company", c]);
    }
    let out = bosun.run(&args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "audit verify must exit 1 on a broken chain: {}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains(expected), "audit verify names the bad entry ({expected}): {}", stdout(&out));
}

/// The tampering below picks an entry in the middle of each chain: northwind's third entry
/// is edited, harbourline's second deleted.
const NORTHWIND_EDITED: &str = "northwind: BROKEN: entry 3 was altered";
const HARBOURLINE_GAP: &str = "harbourline: BROKEN: entry 3 follows 1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_detects_an_edited_and_a_deleted_entry_on_sqlite() {
    let bosun = Bosun::sqlite();
    seed_demo(&bosun).await;
    assert_chain_holds(&bosun);

    let options = SqliteConnectOptions::from_str("sqlite://").expect("a bare URL").filename(bosun.sqlite_file());
    let mut db = SqliteConnection::connect_with(&options).await.expect("the SQLite file opens");
    let edit = "UPDATE audit_log SET after = '{\"name\":\"forged\"}'
                 WHERE seq = 3 AND company_id = (SELECT id FROM companies WHERE slug = 'northwind')";
    let refused = sqlx::query(edit).execute(&mut db).await;
    assert!(refused.is_err(), "the append-only trigger lets an UPDATE through");
    sqlx::query("DROP TRIGGER audit_log_no_update").execute(&mut db).await.expect("the trigger drops");
    let edited = sqlx::query(edit).execute(&mut db).await.expect("the UPDATE runs without the trigger");
    assert_eq!(edited.rows_affected(), 1);

    let delete =
        "DELETE FROM audit_log WHERE seq = 2 AND company_id = (SELECT id FROM companies WHERE slug = 'harbourline')";
    assert!(sqlx::query(delete).execute(&mut db).await.is_err(), "the append-only trigger lets a DELETE through");
    sqlx::query("DROP TRIGGER audit_log_no_delete").execute(&mut db).await.expect("the trigger drops");
    let deleted = sqlx::query(delete).execute(&mut db).await.expect("the DELETE runs without the trigger");
    assert_eq!(deleted.rows_affected(), 1);
    db.close().await.expect("the connection closes");

    assert_broken(&bosun, None, NORTHWIND_EDITED);
    assert_broken(&bosun, Some("northwind"), NORTHWIND_EDITED);
    assert_broken(&bosun, Some("harbourline"), HARBOURLINE_GAP);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_detects_an_edited_and_a_deleted_entry_on_postgres() {
    let db = TestDb::postgres().await;
    let bosun = Bosun::postgres(&db);
    seed_demo(&bosun).await;
    assert_chain_holds(&bosun);

    // As the superuser who owns the tables: the only role that can switch the triggers off.
    let mut conn = PgConnection::connect(&db.owner_url()).await.expect("the superuser connects");
    let edit = "UPDATE audit_log SET after = '{\"name\":\"forged\"}'
                 WHERE seq = 3 AND company_id = (SELECT id FROM companies WHERE slug = 'northwind')";
    assert!(sqlx::query(edit).execute(&mut conn).await.is_err(), "the append-only trigger lets an UPDATE through");
    sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER USER").execute(&mut conn).await.expect("triggers disable");
    assert_eq!(sqlx::query(edit).execute(&mut conn).await.expect("the UPDATE runs").rows_affected(), 1);
    let delete =
        "DELETE FROM audit_log WHERE seq = 2 AND company_id = (SELECT id FROM companies WHERE slug = 'harbourline')";
    assert_eq!(sqlx::query(delete).execute(&mut conn).await.expect("the DELETE runs").rows_affected(), 1);
    conn.close().await.expect("the connection closes");

    assert_broken(&bosun, None, NORTHWIND_EDITED);
    assert_broken(&bosun, Some("harbourline"), HARBOURLINE_GAP);
}

/// Runs `bosun serve` expecting it to refuse to start; answers what it printed.
fn serve_refused(bosun: &Bosun, why: &str) -> String {
    let listen = free_addr().to_string();
    let (status, output) = bosun.run_with_timeout(&["serve", "--listen", &listen], Duration::from_secs(60));
    let status = status.unwrap_or_else(|| panic!("serve kept running, though {why}:\n{output}"));
    assert!(!status.success(), "serve exited successfully, though {why}:\n{output}");
    output
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_to_start_with_only_the_owners_url() {
    let db = TestDb::postgres().await;
    // The owner's URL as database.url, as before the runtime role logged in itself: the owner
    // migrates, then is refused as the login that would serve.
    let owner = Bosun::postgres_at(&db.owner_url()).with_env("BOSUN__DATABASE__MIGRATE_URL", &db.owner_url());
    let output = serve_refused(&owner, "it logs in as the owner, a superuser");
    assert!(
        output.contains(r#"refusing to serve as PostgreSQL role "postgres""#),
        "the refusal names the role:\n{output}"
    );
    assert!(output.contains("is a superuser"), "the refusal says what the role may do:\n{output}");
    assert!(output.contains("row-level security would not bind it"), "the refusal says why:\n{output}");

    // The owner's URL alone: no different.
    let output = serve_refused(&Bosun::postgres_at(&db.owner_url()), "it logs in as the owner, a superuser");
    assert!(output.contains(r#"refusing to serve as PostgreSQL role "postgres""#), "{output}");

    // A configuration from before: the role it switched to is refused with directions.
    let old = Bosun::postgres(&db).with_env("BOSUN__DATABASE__RUNTIME_ROLE", "bosun_app");
    let output = serve_refused(&old, "database.runtime_role is set");
    assert!(output.contains("database.runtime_role is no longer read"), "{output}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_holds_every_connection_including_the_listeners_as_the_runtime_role() {
    let db = TestDb::postgres().await;
    let server = Bosun::postgres(&db).serve(&[]).await;
    let res = server.client.get(server.url("/readyz")).send().await.expect("readyz is answered");
    assert_eq!(res.status(), 200);

    let mut conn = PgConnection::connect(&db.owner_url()).await.expect("the superuser connects");
    let sessions: Vec<(String, String)> = sqlx::query_as(
        "SELECT usename::text, query FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY query",
    )
    .fetch_all(&mut conn)
    .await
    .expect("the activity view answers");
    conn.close().await.expect("the connection closes");
    assert!(
        sessions.iter().any(|(user, query)| user == "bosun_app" && query.starts_with("LISTEN ")),
        "the live-event listener logs in as bosun_app: {sessions:?}"
    );
    // The owner migrated before serving, over a connection closed since.
    assert!(sessions.iter().all(|(user, _)| user == "bosun_app"), "a connection of another role: {sessions:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_migrate_url_serve_refuses_an_old_schema_until_bosun_migrate_runs_as_the_owner() {
    // Empty, not the migrated template's clone: `bosun migrate` must make the schema itself.
    let db = TestDb::postgres_empty().await;
    let runtime_only = Bosun::postgres_at(&db.url());
    let output = serve_refused(&runtime_only, "the database has no schema yet");
    assert!(output.contains("the database schema is not current"), "{output}");
    assert!(
        output.contains("run `bosun migrate` with the owner's URL, or set database.migrate_url"),
        "the refusal says what to do:\n{output}"
    );

    // The runtime role may not migrate; the refusal points at the owner.
    let refused = runtime_only.run(&["migrate"]);
    assert!(!refused.status.success(), "the runtime role migrated:\n{}", stderr(&refused));
    assert!(stderr(&refused).contains("database.migrate_url"), "{}", stderr(&refused));

    // The owner's URL given to `bosun migrate` alone (no migrate_url) is the operator's choice.
    assert_success(&Bosun::postgres_at(&db.owner_url()).run(&["migrate"]), "migrate with the owner's URL");
    let server = runtime_only.serve(&[]).await;
    let res = server.client.get(server.url("/readyz")).send().await.expect("readyz is answered");
    assert_eq!(res.status(), 200);
}

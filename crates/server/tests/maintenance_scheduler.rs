//! Two `bosun maintenance schedule` processes run at once on one PostgreSQL database, as two
//! servers' scheduler jobs would: together they generate every due plan's work order exactly
//! once. Small batches make the processes claim plans turn by turn, so each skips the plans the
//! other holds (`FOR UPDATE SKIP LOCKED`) and their batches share vessels, whose scope locks
//! they take in one order.

#![allow(clippy::disallowed_methods)] // tests and tools may read the wall clock

mod support;

use std::process::Stdio;

use bosun_testkit::db::TestDb;
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};
use support::{Bosun, Server, assert_success};
use uuid::Uuid;

const OWNER: &str = "owner@acme.example";
const VESSELS: usize = 4;
const PLANS_PER_VESSEL: usize = 60;

async fn post(server: &Server, token: &str, path: &str, body: Value) -> Value {
    let res = server.client.post(server.url(path)).bearer_auth(token).json(&body).send().await.expect("an answer");
    assert!(res.status().is_success(), "{path}: {}", res.status());
    res.json().await.expect("a JSON answer")
}

/// Plans due within their lead time today, on `VESSELS` vessels, pushed as one sync batch per
/// vessel: their ids.
async fn due_plans(server: &Server, token: &str) -> Vec<String> {
    let today = chrono::Utc::now().date_naive();
    let starts_on = today - chrono::Duration::days(25);
    let mut ids = Vec::new();
    for v in 0..VESSELS {
        let vessel =
            post(server, token, "/api/v1/vessels", json!({ "kind": "vessel", "name": format!("Acme {v}") })).await;
        let item = post(
            server,
            token,
            "/api/v1/equipment",
            json!({ "vessel_id": vessel["id"], "level": "equipment", "name": "Main engine", "area": "engine_room" }),
        )
        .await;
        let mutations: Vec<Value> = (0..PLANS_PER_VESSEL)
            .map(|n| {
                let id = Uuid::now_v7().to_string();
                ids.push(id.clone());
                json!({ "id": n + 1, "name": "create_maintenance_plan.v1", "args": {
                    "id": id, "equipment_id": item["id"], "title": format!("Task {n}"), "priority": "normal",
                    "criteria": [{ "kind": "calendar", "every": 1, "unit": "months", "basis": "from_schedule" }],
                    "starts_on": starts_on, "lead_days": 10,
                } })
            })
            .collect();
        let body = json!({ "client_id": Uuid::now_v7(), "schema_version": 1, "mutations": mutations });
        let pushed = post(server, token, "/api/v1/sync/push", body).await;
        assert_eq!(pushed["applied"].as_array().map(Vec::len), Some(PLANS_PER_VESSEL), "{pushed}");
    }
    ids
}

/// What a `bosun maintenance schedule` run printed: (plans checked, work orders generated).
fn parse_run(out: &std::process::Output) -> (usize, usize) {
    assert_success(out, "maintenance schedule");
    let text = String::from_utf8_lossy(&out.stdout);
    let numbers: Vec<usize> = text.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    match numbers[..] {
        [checked, generated] => (checked, generated),
        _ => panic!("unexpected output: {text}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_schedulers_on_one_database_generate_each_due_work_order_once() {
    let db = TestDb::postgres_empty().await;
    let bosun = Bosun::postgres(&db);
    let server = bosun.serve(&[]).await;
    bosun.create_company("acme");
    bosun.create_owner("acme", OWNER);
    let (token, _) = server.sign_in(OWNER).await;
    let plans = due_plans(&server, &token).await;

    let spawn = || {
        bosun
            .command(&["maintenance", "schedule", "--batch", "7"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("bosun maintenance schedule starts")
    };
    let (one, two) = (spawn(), spawn());
    let (one, two) = (one.wait_with_output().expect("it ends"), two.wait_with_output().expect("it ends"));
    let runs @ [(c1, g1), (c2, g2)] = [parse_run(&one), parse_run(&two)];
    eprintln!("the two processes: {runs:?}");
    assert_eq!(g1 + g2, plans.len(), "every due plan generated once between them");
    assert_eq!(c1 + c2, plans.len(), "no plan looked at by both");

    let mut conn = PgConnection::connect(&db.owner_url()).await.expect("the superuser connects");
    let (orders, distinct): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(DISTINCT (plan_id, occurrence)) FROM work_orders WHERE plan_id IS NOT NULL",
    )
    .fetch_one(&mut conn)
    .await
    .expect("the work orders count");
    assert_eq!((orders, distinct), (plans.len() as i64, plans.len() as i64));
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'workorder.generate'")
        .fetch_one(&mut conn)
        .await
        .expect("the audit log counts");
    assert_eq!(audited, plans.len() as i64, "each generation audited");

    // Running again finds nothing to do.
    let again = bosun.command(&["maintenance", "schedule"]).output().expect("it runs");
    assert_eq!(parse_run(&again), (0, 0));
    drop(server);
}

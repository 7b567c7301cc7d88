//! Sync over the events socket (`docs/SYNC.md`, "Over the events socket"): the same pushes and
//! pulls as the HTTP routes, answered in order with the request's number, checked again on
//! every request, refused with the HTTP route's problem document.

use bosun_domain::person::Role;
use futures_util::{SinkExt, StreamExt};
use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

use crate::faults::equipment_on;
use crate::harness::{Backend, TestApp};
use crate::live_events::{Socket, connect};
use crate::permissions::acme;
use crate::sync::{pull_all, push};

/// How long a test waits for an answer before calling it lost: a bound on a failure only.
const LOST_AFTER: std::time::Duration = std::time::Duration::from_secs(15);

/// Sends `message` and answers the next sync answer, skipping events.
async fn ask(ws: &mut Socket, message: Message) -> (Value, bool) {
    ws.send(message).await.expect("sent");
    loop {
        let next = tokio::time::timeout(LOST_AFTER, ws.next()).await.expect("an answer in time");
        let (text, binary) = match next {
            Some(Ok(Message::Text(t))) => (t.as_bytes().to_vec(), false),
            Some(Ok(Message::Binary(b))) => (zstd::stream::decode_all(&b[..]).expect("a zstd frame"), true),
            Some(Ok(_)) => continue,
            other => panic!("the socket ended: {other:?}"),
        };
        let v: Value = serde_json::from_slice(&text).expect("JSON");
        if v["kind"].as_str().is_some_and(|k| k.starts_with("sync.") && k != "sync.changed") {
            return (v, binary);
        }
    }
}

async fn ask_json(ws: &mut Socket, message: Value) -> Value {
    ask(ws, Message::Text(message.to_string().into())).await.0
}

fn refused(answer: &Value, id: Value, status: u16, code: &str) {
    assert_eq!(
        (&answer["kind"], &answer["id"], answer["problem"]["status"].as_u64(), answer["problem"]["code"].as_str()),
        (&json!("sync.refused"), &id, Some(u64::from(status)), Some(code)),
        "{answer}"
    );
}

async fn pushes_and_pulls_on_the_socket_are_the_http_routes_own(app: TestApp) {
    let w = acme(&app).await;
    let crew = &w.people[&Role::Crew];
    let pump = equipment_on(&app, w.fixture.company.id, w.vessel, "Fire pump").await;
    let client = Uuid::now_v7();
    let mut ws = connect(app.addr, &crew.token).await.expect("connected");

    // A first pull reads what the HTTP route reads.
    let first = ask_json(
        &mut ws,
        json!({ "id": 1, "pull": { "client_id": client, "schema_version": 1,
        "max_bytes": 262_144 } }),
    )
    .await;
    assert_eq!((&first["kind"], &first["id"]), (&json!("sync.pulled"), &json!(1)), "{first}");
    let (over_http, last) = pull_all(&app, crew, Some(client), 262_144).await;
    assert_eq!(last["more"], false, "one page over HTTP");
    let socket_changes: usize =
        first["pull"]["changes"].as_object().unwrap().values().map(|c| c.as_array().unwrap().len()).sum();
    assert_eq!(socket_changes, over_http.len());
    assert_eq!(first["pull"]["checksums"], last["checksums"]);

    // The socket remembers the client and schema of its first request.
    let fault = Uuid::now_v7();
    let report = json!({ "id": 1, "name": "report_fault.v1",
        "args": { "id": fault, "equipment_id": pump, "severity": "high", "title": "Fire pump will not prime" } });
    let pushed = ask_json(&mut ws, json!({ "id": 2, "push": { "mutations": [report] } })).await;
    assert_eq!((&pushed["kind"], &pushed["id"]), (&json!("sync.pushed"), &json!(2)), "{pushed}");
    assert_eq!(pushed["push"]["applied"], json!([1]));

    // Exactly once across both ways in: the same mutation over HTTP is skipped.
    let again = push(&app, crew, client, json!([report])).await;
    assert_eq!(again["skipped"], json!([1]));

    let next = ask_json(&mut ws, json!({ "id": 3, "pull": { "cookie": first["pull"]["cookie"] } })).await;
    assert_eq!(next["pull"]["last_mutation_ids"][client.to_string()], 1, "{next}");
    let scope = format!("vessel:{}", w.vessel);
    let faults: Vec<&Value> =
        next["pull"]["changes"][&scope].as_array().unwrap().iter().filter(|c| c["entity"] == "fault").collect();
    assert_eq!(faults.len(), 1, "{next}");
    assert_eq!(faults[0]["id"], json!(fault));
    assert!(faults[0]["fields"].get("repair_seconds").is_none(), "crew never receive repair times");

    // A binary frame is a zstd frame of the same JSON; this socket did not ask for compressed
    // answers.
    let packed = zstd::bulk::compress(
        json!({ "id": 4, "pull": { "cookie": next["pull"]["cookie"] } }).to_string().as_bytes(),
        3,
    )
    .unwrap();
    let (empty, binary) = ask(&mut ws, Message::Binary(packed.into())).await;
    assert!(!binary, "answered as text");
    assert_eq!(
        (&empty["kind"], &empty["id"], &empty["pull"]["more"]),
        (&json!("sync.pulled"), &json!(4), &json!(false))
    );

    // One that asked gets compressed answers wherever that is smaller, as a first sync's page
    // is.
    let url = format!("ws://{}/api/v1/events?access_token={}&zstd=true", app.addr, crew.token);
    let mut packed_ws = tokio_tungstenite::connect_async(url).await.expect("connected").0;
    let (whole, binary) = ask(&mut packed_ws, Message::Text(json!({ "id": 1, "pull": {} }).to_string().into())).await;
    assert!(binary, "a first sync's page is compressed");
    assert_eq!(whole["pull"]["changes"], next_whole(&mut ws).await["pull"]["changes"]);
    let poll = json!({ "id": 2, "pull": { "cookie": whole["pull"]["cookie"] } });
    let (poll, _) = ask(&mut packed_ws, Message::Text(poll.to_string().into())).await;
    assert_eq!((&poll["pull"]["changes"], &poll["pull"]["more"]), (&json!({}), &json!(false)), "{poll}");
}

/// A whole first pull on `ws`, as text.
async fn next_whole(ws: &mut Socket) -> Value {
    ask_json(ws, json!({ "id": 9, "pull": {} })).await
}

async fn refusals_on_the_socket_are_problem_documents(app: TestApp) {
    let w = acme(&app).await;
    let crew = &w.people[&Role::Crew];
    let mut ws = connect(app.addr, &crew.token).await.expect("connected");
    refused(&ask_json(&mut ws, json!("hello")).await, Value::Null, 400, "bad_request");
    refused(&ask(&mut ws, Message::Binary(vec![1, 2, 3].into())).await.0, Value::Null, 400, "bad_request");
    refused(&ask_json(&mut ws, json!({ "id": 1, "pull": {}, "push": {} })).await, json!(1), 422, "validation_failed");
    refused(&ask_json(&mut ws, json!({ "id": 2 })).await, json!(2), 422, "validation_failed");
    refused(&ask_json(&mut ws, json!({ "id": 3, "pull": [] })).await, json!(3), 422, "validation_failed");
    let bad_cookie = ask_json(&mut ws, json!({ "id": 4, "pull": { "cookie": "AAAA" } })).await;
    refused(&bad_cookie, json!(4), 422, "validation_failed");
    assert_eq!(bad_cookie["problem"]["errors"][0]["code"], "invalid_cookie", "{bad_cookie}");
    refused(
        &ask_json(&mut ws, json!({ "id": 5, "pull": { "max_bytes": 5 } })).await,
        json!(5),
        422,
        "validation_failed",
    );
    refused(&ask_json(&mut ws, json!({ "id": 6, "pull": { "nope": 1 } })).await, json!(6), 422, "validation_failed");
    let no_client = ask_json(&mut ws, json!({ "id": 7, "push": { "mutations": [] } })).await;
    refused(&no_client, json!(7), 422, "validation_failed");

    // Each request is checked again: once the session ends, nothing more is answered.
    let res =
        app.as_(crew, Method::POST, "/api/v1/auth/logout").header("x-requested-with", "bosun").send().await.unwrap();
    assert!(res.status().is_success(), "logout: {}", res.status());
    ws.send(Message::Text(json!({ "id": 8, "pull": {} }).to_string().into())).await.ok();
    loop {
        match tokio::time::timeout(LOST_AFTER, ws.next()).await.expect("an answer or the end in time") {
            Some(Ok(Message::Text(t))) => {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["kind"] == "sync.refused" {
                    assert_eq!((&v["id"], &v["problem"]["status"]), (&json!(8), &json!(401)), "{v}");
                    break;
                }
                assert_ne!(v["kind"], "sync.pulled", "answered after the session ended: {v}");
            }
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
            Some(Ok(_)) => {}
        }
    }
}

/// Requests on the socket count against the person's rate limit like HTTP requests.
async fn socket_requests_count_against_the_rate_limit(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.limits.basic_per_minute = 4;
        c.limits.company_factor = 10;
    })
    .await;
    let f = app.with_company("acme").await;
    let crew = app.person_in(&f.company, "crew@acme.example", Role::Crew).await;
    // The upgrade carries its token in the query and is counted against the address.
    let mut ws = connect(app.addr, &crew.token).await.expect("connected");
    let mut answers = Vec::new();
    for id in 1..=5 {
        answers.push(ask_json(&mut ws, json!({ "id": id, "pull": {} })).await);
    }
    let kinds: Vec<&str> = answers.iter().map(|a| a["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["sync.pulled", "sync.pulled", "sync.pulled", "sync.pulled", "sync.refused"], "{answers:?}");
    refused(&answers[4], json!(5), 429, "rate_limited");
    assert!(answers[4]["retry_after"].as_i64().is_some_and(|s| (1..=60).contains(&s)), "{}", answers[4]);
    // The HTTP routes share the same count.
    let res = app.as_(&crew, Method::GET, "/api/v1/vessels").send().await.unwrap();
    assert_eq!(res.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socket_requests_count_against_the_rate_limit_on_sqlite() {
    socket_requests_count_against_the_rate_limit(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socket_requests_count_against_the_rate_limit_on_postgres() {
    socket_requests_count_against_the_rate_limit(Backend::Postgres).await;
}

crate::on_both_backends!(
    pushes_and_pulls_on_the_socket_are_the_http_routes_own,
    refusals_on_the_socket_are_problem_documents,
);

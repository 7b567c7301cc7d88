//! `docs/SYNC.md`, "Failure cases": the server killed with SIGKILL in the middle of sync
//! pushes. Clients keep pushing whatever the server has not acknowledged (what a client does
//! when an answer is lost), the server is restarted, and in the end every queued mutation is
//! applied exactly once. Each mutation creates a vessel whose id the server makes, so a mutation
//! applied twice would leave two vessels of one name, and one never applied would leave none.

#![allow(clippy::disallowed_methods)] // tests and tools may read the wall clock

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use rand::Rng;
use serde_json::{Value, json};
use uuid::Uuid;

use support::{Bosun, Server};

const COMPANY: &str = "synccrash";
const OWNER: &str = "owner@synccrash.example";
/// Clients pushing at once, each with its own queue.
const CLIENTS: usize = 4;
/// Mutations queued on each client.
const QUEUE: i64 = 120;
/// Mutations a push carries at most.
const BATCH: i64 = 20;

/// Pushes client `n`'s queue from just after `acked` until the server acknowledges all of it or
/// stops answering; answers how far it knows the server got, and how many mutations it resent
/// that the server had applied already (skipped).
async fn drain(server_url: String, token: String, client: Uuid, n: usize, mut acked: i64) -> (i64, usize) {
    let http = support::client();
    let mut skipped = 0;
    while acked < QUEUE {
        let mutations: Vec<Value> = (acked + 1..=(acked + BATCH).min(QUEUE))
            .map(|i| {
                json!({ "id": i, "name": "create_vessel.v1",
                             "args": { "fields": { "kind": "vessel", "name": format!("Crash {n}-{i}") } } })
            })
            .collect();
        let body = json!({ "client_id": client, "schema_version": 1, "mutations": mutations });
        let Ok(res) = http.post(&server_url).bearer_auth(&token).json(&body).send().await else {
            return (acked, skipped); // the server is gone, or the answer was lost with it
        };
        assert_eq!(res.status(), 200, "a push is answered 200 while the server is up");
        let Ok(answer) = res.json::<Value>().await else { return (acked, skipped) };
        assert_eq!(answer["rejected"], json!([]), "nothing is refused: {answer}");
        assert!(answer["stopped"].is_null(), "no push stops early: {answer}");
        let last = answer["last_mutation_id"].as_i64().expect("an acknowledged id");
        assert!(last >= acked, "acknowledgements never go back: {last} after {acked}");
        skipped += answer["skipped"].as_array().map_or(0, Vec::len);
        acked = last;
    }
    (acked, skipped)
}

/// How many vessels of each name the owner can list.
async fn vessel_names(server: &Server, token: &str) -> BTreeMap<String, usize> {
    let mut names = BTreeMap::new();
    let mut cursor: Option<String> = None;
    for _ in 0..1_000 {
        let mut req = server.client.get(server.url("/api/v1/vessels")).bearer_auth(token).query(&[("limit", "200")]);
        if let Some(c) = &cursor {
            req = req.query(&[("cursor", c.as_str())]);
        }
        let page: Value = req.send().await.expect("the vessel list is answered").json().await.expect("a page");
        for item in page["items"].as_array().expect("items") {
            *names.entry(item["name"].as_str().expect("a name").to_owned()).or_default() += 1;
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return names,
        }
    }
    panic!("the vessel list did not end");
}

async fn one_trial(trial: usize) {
    let bosun = Bosun::sqlite();
    bosun.create_company(COMPANY);
    bosun.create_owner(COMPANY, OWNER);
    let mut server = bosun.serve(&[]).await;
    let (token, _) = server.sign_in(OWNER).await;
    let clients: Vec<Uuid> = (0..CLIENTS).map(|_| Uuid::now_v7()).collect();

    let url = server.url("/api/v1/sync/push");
    let pushing: Vec<_> =
        clients.iter().enumerate().map(|(n, c)| tokio::spawn(drain(url.clone(), token.clone(), *c, n, 0))).collect();
    let delay = rand::rng().random_range(100..=500);
    tokio::time::sleep(Duration::from_millis(delay)).await;
    server.kill();
    let mut acked = Vec::new();
    for p in pushing {
        let (got, _) =
            tokio::time::timeout(Duration::from_secs(30), p).await.expect("clients notice").expect("no panic");
        acked.push(got);
    }

    // Restarted, the clients carry on from what they were told, resending what they were not.
    let server = bosun.serve(&[]).await;
    let url = server.url("/api/v1/sync/push");
    let resumed: Vec<_> = clients
        .iter()
        .enumerate()
        .map(|(n, c)| tokio::spawn(drain(url.clone(), token.clone(), *c, n, acked[n])))
        .collect();
    let mut resent_applied = 0;
    for r in resumed {
        let (got, skipped) = r.await.expect("no panic");
        assert_eq!(got, QUEUE, "every queue drains after the restart");
        resent_applied += skipped;
    }

    let names = vessel_names(&server, &token).await;
    let mut wrong = Vec::new();
    for n in 0..CLIENTS {
        for i in 1..=QUEUE {
            let name = format!("Crash {n}-{i}");
            let count = names.get(&name).copied().unwrap_or(0);
            if count != 1 {
                wrong.push(format!("{name}: {count}"));
            }
        }
    }
    println!(
        "sync crash: trial {trial}: killed after {delay} ms with {acked:?} of {QUEUE} acknowledged per client; \
         {resent_applied} resent after the restart had been applied before the kill (skipped); \
         {} mutations applied exactly once each, {} wrong",
        CLIENTS * usize::try_from(QUEUE).unwrap_or(0) - wrong.len(),
        wrong.len()
    );
    assert!(wrong.is_empty(), "mutations not applied exactly once: {wrong:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_killed_mid_push_applies_every_queued_mutation_exactly_once() {
    let trials = std::env::var("BOSUN_SYNC_CRASH_TRIALS").ok().and_then(|v| v.parse().ok()).unwrap_or(2);
    for trial in 1..=trials {
        one_trial(trial).await;
    }
}

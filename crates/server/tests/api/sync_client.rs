//! The Rust sync client (`crates/sync`) against the real server, through a link that drops
//! requests, drops answers and delivers requests twice, from a seed. Three clients (two devices
//! of one engineer, and a manager) edit one vessel's faults offline and concurrently; after the
//! link heals, every outbox drains without a new write, every mutation was applied exactly once
//! or rejected, no row's version ever went back, and every replica equals what a fresh client of
//! the same person pulls. `BOSUN_SYNC_SEEDS` runs more seeds than the suite's.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::sync::Mutex;

use async_trait::async_trait;
use bosun_app::maintenance::faults::CommentFault;
use bosun_domain::Clock;
use bosun_domain::fault::FaultStatus;
use bosun_domain::person::Role;
use bosun_sync::client::{ClientState, SyncConfig, SyncEngine, Transport, TransportError};
use bosun_sync::protocol::{PullRequest, PullResponse, PushRequest, PushResponse};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::faults::{get, seeded_fault};
use crate::harness::{Session, TestApp};
use crate::permissions::{Acme, acme};

/// How the link treats the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Delivered,
    RequestLost,
    AnswerLost,
    Duplicated,
}

/// The real server over HTTP, through a link that fails as its seed says while `faulty`.
struct Link<'a> {
    app: &'a TestApp,
    who: &'a Session,
    faults: Mutex<(StdRng, bool)>,
}

impl<'a> Link<'a> {
    fn new(app: &'a TestApp, who: &'a Session, seed: u64) -> Self {
        Self { app, who, faults: Mutex::new((StdRng::seed_from_u64(seed), false)) }
    }

    fn set_faulty(&self, faulty: bool) {
        self.faults.lock().expect("the link's lock").1 = faulty;
    }

    fn fate(&self) -> Fate {
        let mut f = self.faults.lock().expect("the link's lock");
        if !f.1 {
            return Fate::Delivered;
        }
        match f.0.random_range(0..100) {
            0..20 => Fate::RequestLost,
            20..40 => Fate::AnswerLost,
            40..50 => Fate::Duplicated,
            _ => Fate::Delivered,
        }
    }

    async fn send<T: serde::de::DeserializeOwned>(&self, path: &str, body: Value) -> Result<T, TransportError> {
        let lost = || TransportError::Link { detail: "lost".into() };
        let fate = self.fate();
        if fate == Fate::RequestLost {
            return Err(lost());
        }
        let once = || async { self.app.as_(self.who, Method::POST, path).json(&body).send().await };
        if fate == Fate::Duplicated {
            once().await.map_err(|e| TransportError::Link { detail: e.to_string() })?;
        }
        let res = once().await.map_err(|e| TransportError::Link { detail: e.to_string() })?;
        if fate == Fate::AnswerLost {
            return Err(lost());
        }
        let status = res.status().as_u16();
        let body: Value = res.json().await.map_err(|e| TransportError::Link { detail: e.to_string() })?;
        match status {
            200 => serde_json::from_value(body).map_err(|e| TransportError::Link { detail: e.to_string() }),
            401 => Err(TransportError::Unauthorized),
            422 if body["errors"].as_array().is_some_and(|e| e.iter().any(|v| v["code"] == "invalid_cookie")) => {
                Err(TransportError::InvalidCookie)
            }
            _ => Err(TransportError::Refused { status, code: body["code"].as_str().unwrap_or_default().to_owned() }),
        }
    }
}

#[async_trait]
impl Transport for Link<'_> {
    async fn push(&self, request: PushRequest) -> Result<PushResponse, TransportError> {
        let body = serde_json::to_value(request).map_err(|e| TransportError::Link { detail: e.to_string() })?;
        self.send("/api/v1/sync/push", body).await
    }

    async fn pull(&self, request: PullRequest) -> Result<PullResponse, TransportError> {
        let body = serde_json::to_value(request).map_err(|e| TransportError::Link { detail: e.to_string() })?;
        self.send("/api/v1/sync/pull", body).await
    }
}

type Client<'a> = SyncEngine<Link<'a>>;

fn client<'a>(app: &'a TestApp, who: &'a Session, seed: u64) -> Client<'a> {
    resumed(app, who, seed, ClientState::new(Uuid::now_v7()))
}

/// A client resumed from a stored state; it asks every pull to verify every scope.
fn resumed<'a>(app: &'a TestApp, who: &'a Session, seed: u64, state: ClientState) -> Client<'a> {
    let config = SyncConfig { verify: true, ..SyncConfig::new(NonZeroU32::MIN) };
    SyncEngine::new(Link::new(app, who, seed), state, config)
}

/// A replica's rows of `scope`, by entity and id.
fn rows(c: &Client<'_>, scope: &str) -> BTreeMap<(String, Uuid), (i64, Value)> {
    c.read(|s| {
        s.replica().rows_in(scope).map(|(e, id, row)| ((e.to_owned(), id), (row.version, row.fields.clone()))).collect()
    })
}

/// One offline write of `c`, chosen by `rng` from what its replica holds.
fn write(c: &Client<'_>, rng: &mut StdRng, scope: &str, people: &[Uuid], now_ms: u64, bodies: &mut Vec<String>) {
    let faults: Vec<(Uuid, i64, Value)> = c.read(|s| {
        s.replica()
            .rows_in(scope)
            .filter(|(e, _, _)| *e == "fault")
            .map(|(_, id, row)| (id, row.version, row.fields.clone()))
            .collect()
    });
    let (fault, version, fields) = faults[rng.random_range(0..faults.len())].clone();
    let (name, args, base) = match rng.random_range(0..4) {
        0 => {
            let body = format!("note {}", Uuid::from_u128(rng.random()));
            bodies.push(body.clone());
            ("comment_fault.v1", json!({ "fault_id": fault, "body": body }), None)
        }
        1 => {
            let to = people[rng.random_range(0..people.len())];
            ("assign_fault.v1", json!({ "fault_id": fault, "assignee_id": to }), Some(version))
        }
        2 => {
            let to = ["in_progress", "awaiting_parts", "acknowledged"][rng.random_range(0..3)];
            ("set_fault_status.v1", json!({ "fault_id": fault, "status": to }), Some(version))
        }
        _ => {
            let id = uuid::Builder::from_unix_timestamp_millis(now_ms, &rng.random()).into_uuid();
            let report = json!({ "id": id, "equipment_id": fields["equipment_id"], "severity": "low",
                "title": format!("Found on round {}", rng.random_range(0..1000)) });
            ("report_fault.v1", report, None)
        }
    };
    c.enqueue(name, args, base, now_ms).expect("queued");
}

/// Checks no row of any replica went back to an older version since the last look.
fn versions_only_move_forward(seen: &mut BTreeMap<(usize, String, Uuid), i64>, i: usize, c: &Client<'_>, scope: &str) {
    for ((entity, id), (version, _)) in rows(c, scope) {
        let before = seen.insert((i, entity.clone(), id), version).unwrap_or(0);
        assert!(version >= before, "client {i}: {entity} {id} went back from {before} to {version}");
    }
}

/// Runs one seed; answers how many of its mutations were rejected.
async fn one_seed(app: &TestApp, w: &Acme, seed: u64) -> usize {
    let (engineer, manager) = (&w.people[&Role::Engineer], &w.people[&Role::Manager]);
    for _ in 0..3 {
        seeded_fault(app, w, FaultStatus::Acknowledged).await;
    }
    let scope = format!("vessel:{}", w.vessel);
    let people = [engineer.user_id.0, manager.user_id.0];
    let clients =
        [client(app, engineer, seed * 3), client(app, engineer, seed * 3 + 1), client(app, manager, seed * 3 + 2)];
    let mut rng = StdRng::seed_from_u64(seed);
    let mut seen = BTreeMap::new();
    let mut bodies = Vec::new();
    let now_ms = u64::try_from(app.clock.now().timestamp_millis()).unwrap_or_default();
    for c in &clients {
        assert!(!c.sync_once().await.expect("not syncing").is_failure(), "the first sync, on a good link");
        c.transport().set_faulty(true);
    }
    for _ in 0..6 {
        for (i, c) in clients.iter().enumerate() {
            for _ in 0..rng.random_range(1..=3) {
                write(c, &mut rng, &scope, &people, now_ms, &mut bodies);
            }
            if rng.random_bool(0.6) {
                let _ = c.sync_once().await.expect("not syncing");
                versions_only_move_forward(&mut seen, i, c, &scope);
            }
        }
    }
    // The link heals: each outbox drains in a bounded number of cycles, with no new write.
    for c in &clients {
        c.transport().set_faulty(false);
    }
    for (i, c) in clients.iter().enumerate() {
        for cycle in 0.. {
            assert!(cycle < 3, "seed {seed}: client {i}'s outbox is stuck: {:?}", c.read(|s| s.outbox().len()));
            let report = c.sync_once().await.expect("not syncing");
            assert!(!report.is_failure(), "seed {seed}: client {i} on a good link: {report:?}");
            if c.read(|s| s.outbox().is_empty()) {
                break;
            }
        }
    }
    // The last pushes changed what the first clients pulled: one more round settles every
    // replica, and every replica's checksum of every scope equals the server's.
    for (i, c) in clients.iter().enumerate() {
        let report = c.sync_once().await.expect("not syncing");
        assert_eq!(report.mismatched, 0, "seed {seed}: client {i} failed a checksum: {report:?}");
        versions_only_move_forward(&mut seen, i, c, &scope);
    }

    // Exactly once: every comment not rejected is stored once, a rejected one not at all.
    let rejected: Vec<String> = clients
        .iter()
        .flat_map(|c| c.read(|s| s.rejections().iter().map(|r| r.mutation.args.to_string()).collect::<Vec<_>>()))
        .collect();
    let mut stored: BTreeMap<String, usize> = BTreeMap::new();
    let everyone = client(app, &w.fixture.owner, 0);
    assert!(!everyone.sync_once().await.expect("not syncing").is_failure());
    for ((entity, fault), _) in rows(&everyone, &scope) {
        if entity != "fault" {
            continue;
        }
        let detail = get(app, &w.fixture.owner, &format!("/api/v1/faults/{fault}")).await;
        for comment in detail["comments"].as_array().into_iter().flatten() {
            *stored.entry(comment["body"].as_str().unwrap_or_default().to_owned()).or_default() += 1;
        }
    }
    for body in &bodies {
        let was_rejected = rejected.iter().any(|r| r.contains(body.as_str()));
        let expected = usize::from(!was_rejected);
        assert_eq!(stored.get(body).copied().unwrap_or(0), expected, "seed {seed}: comment {body:?}");
    }

    // Convergence: each replica is what a fresh client of the same person pulls.
    for (i, c) in clients.iter().enumerate() {
        let who = if i < 2 { engineer } else { manager };
        let fresh = client(app, who, 0);
        assert!(!fresh.sync_once().await.expect("not syncing").is_failure());
        assert_eq!(rows(c, &scope), rows(&fresh, &scope), "seed {seed}: client {i} diverged");
    }
    rejected.len()
}

async fn clients_converge_through_a_lossy_link_with_each_mutation_applied_once(app: TestApp) {
    let seeds: u64 = std::env::var("BOSUN_SYNC_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(4);
    let w = acme(&app).await;
    let mut rejected = 0;
    for seed in 1..=seeds {
        rejected += one_seed(&app, &w, seed).await;
    }
    // The runs met what they are about: concurrent edits kept as conflicts, and refusals.
    let conflicts = get(&app, &w.fixture.owner, "/api/v1/sync/conflicts?state=all&limit=200").await;
    let conflicts = conflicts["items"].as_array().map_or(0, Vec::len);
    println!("{seeds} seeds: {conflicts} conflicts (first page), {rejected} rejections");
    assert!(conflicts > 0 && rejected > 0, "{conflicts} conflicts and {rejected} rejections");
}

async fn a_damaged_replica_fails_its_checksum_and_is_repaired(app: TestApp) {
    let w = acme(&app).await;
    let (engineer, crew) = (&w.people[&Role::Engineer], &w.people[&Role::Crew]);
    for _ in 0..3 {
        seeded_fault(&app, &w, FaultStatus::Acknowledged).await;
    }
    let scope = format!("vessel:{}", w.vessel);
    for who in [engineer, crew] {
        let c = client(&app, who, 1);
        let first = c.sync_once().await.expect("not syncing");
        assert_eq!((first.failure.clone(), first.mismatched), (None, 0), "a whole replica passes: {first:?}");
        let whole = rows(&c, &scope);
        // The device's store is damaged: one row lost, another's field changed.
        let mut state: Value = serde_json::from_str(&c.state().to_json().expect("json")).expect("json");
        let faults = state["replica"][&scope]["fault"].as_object_mut().expect("faults held");
        let ids: Vec<String> = faults.keys().cloned().collect();
        faults.remove(&ids[0]);
        faults[&ids[1]]["fields"]["title"] = json!("Tampered");
        let damaged = ClientState::from_json(&state.to_string()).expect("a state");
        let c = resumed(&app, who, 1, damaged);
        assert_ne!(rows(&c, &scope), whole);
        let repair = c.sync_once().await.expect("not syncing");
        assert_eq!((repair.failure.clone(), repair.mismatched), (None, 1), "{repair:?}");
        assert_eq!(rows(&c, &scope), whole, "the scope is whole again");
        let after = c.sync_once().await.expect("not syncing");
        assert_eq!(after.mismatched, 0, "{after:?}");
        assert!(c.read(|s| s.repairing().is_empty()));
    }
}

async fn a_scope_longer_than_a_store_page_checks_out(app: TestApp) {
    let w = acme(&app).await;
    let fault = seeded_fault(&app, &w, FaultStatus::Acknowledged).await;
    let owner = app.owner_actor(&w.fixture);
    // More changes than the store answers in one page (1,000).
    for i in 0..1_020 {
        let comment = CommentFault { fault_id: fault, body: format!("Watch {i}: no change") };
        app.app.mutate(&owner, comment).await.expect("a comment");
    }
    let c = client(&app, &w.people[&Role::Engineer], 1);
    let report = c.sync_once().await.expect("not syncing");
    assert_eq!((report.failure.clone(), report.mismatched), (None, 0), "{report:?}");
    let comments = rows(&c, &format!("vessel:{}", w.vessel)).keys().filter(|(e, _)| e == "fault_comment").count();
    assert_eq!(comments, 1_020);
}

crate::on_both_backends!(
    clients_converge_through_a_lossy_link_with_each_mutation_applied_once,
    a_damaged_replica_fails_its_checksum_and_is_repaired,
    a_scope_longer_than_a_store_page_checks_out,
);

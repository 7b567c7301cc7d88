//! The Rust sync client (`crates/sync`) against the real server, through a link that drops
//! requests, drops answers, delivers requests twice and holds some behind the next, from a
//! seed. Three clients (two devices of one engineer, and a manager) edit one vessel's faults
//! offline and concurrently; after the link heals, every outbox drains without a new write,
//! every mutation was applied exactly once or rejected, no row's version ever went back, and
//! every replica equals what a fresh client of the same person pulls. `BOSUN_SYNC_SEEDS` runs
//! more seeds than the suite's.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use bosun_app::Actor;
use bosun_app::fleet::vessels::{CreateVessel, JoinRotation, RemoveVesselMember, VesselInput, check_vessel};
use bosun_app::maintenance::faults::{AcknowledgeFault, CommentFault, ReportFault};
use bosun_app::sync::{Pull, Push, QueuedMutation};
use bosun_domain::Clock;
use bosun_domain::fault::FaultStatus;
use bosun_domain::person::Role;
use bosun_sync::client::{
    ClientState, SocketTransport, SyncConfig, SyncEngine, SyncFailure, Transport, TransportError,
};
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
pub(crate) enum Fate {
    Delivered,
    /// The request never reaches the server.
    RequestLost,
    /// The server applies the request and its answer is lost: also a server that crashes
    /// between its commit and its reply, and an answer delayed past the client's patience.
    AnswerLost,
    /// The request reaches the server twice; the client reads the second answer.
    Duplicated,
    /// The request is held in the network and reaches the server after the client's next
    /// request (reordered behind it); the client hears nothing.
    Delayed,
}

/// How a client reaches the server.
pub(crate) enum Via<'a> {
    /// Over HTTP to the test server, as `who`.
    Http(&'a TestApp, &'a Session),
    /// Straight into the use cases (`App::sync_push`, `App::sync_pull`) as `actor`: the same
    /// protocol without HTTP, for runs of many seeds.
    Direct(&'a bosun_app::App, Actor),
    /// Over the events socket (`docs/SYNC.md`, "Over the events socket").
    Socket(Box<SocketTransport>),
}

/// A request held in the network.
enum Held {
    Push(PushRequest),
    Pull(PullRequest),
}

/// The network between a device and the server: it fails at random from a seed or as a script
/// says, while `faulty`, and holds delayed requests. It outlives a client that crashes.
pub(crate) struct Net {
    rng: StdRng,
    pub(crate) faulty: bool,
    pub(crate) script: Option<std::collections::VecDeque<Fate>>,
    held: Vec<Held>,
}

impl Net {
    /// Fails at random from `seed`.
    pub(crate) fn seeded(seed: u64) -> Arc<Mutex<Self>> {
        Arc::new(Mutex::new(Self { rng: StdRng::seed_from_u64(seed), faulty: false, script: None, held: Vec::new() }))
    }

    /// Fails as `fates` say, one per request, then delivers.
    pub(crate) fn scripted(fates: Vec<Fate>) -> Arc<Mutex<Self>> {
        Arc::new(Mutex::new(Self {
            rng: StdRng::seed_from_u64(0),
            faulty: false,
            script: Some(fates.into()),
            held: Vec::new(),
        }))
    }
}

/// The real server, through a network that fails as it says.
pub(crate) struct Link<'a> {
    via: Via<'a>,
    net: Arc<Mutex<Net>>,
}

impl<'a> Link<'a> {
    fn new(app: &'a TestApp, who: &'a Session, seed: u64) -> Self {
        Self::http_through(app, who, Net::seeded(seed))
    }

    /// Over HTTP as `who` through `net`.
    pub(crate) fn http_through(app: &'a TestApp, who: &'a Session, net: Arc<Mutex<Net>>) -> Self {
        Self { via: Via::Http(app, who), net }
    }

    /// Over the events socket as `who`, zstd where it pays when `zstd`.
    fn socket(app: &TestApp, who: &Session, seed: u64, zstd: bool) -> Self {
        let url = format!("ws://{}/api/v1/events", app.addr);
        Self { via: Via::Socket(Box::new(SocketTransport::new(url, who.token.clone(), zstd))), net: Net::seeded(seed) }
    }

    fn direct(app: &'a bosun_app::App, actor: Actor, seed: u64) -> Self {
        Self::through(app, actor, Net::seeded(seed))
    }

    /// Straight into the use cases through `net`.
    pub(crate) fn through(app: &'a bosun_app::App, actor: Actor, net: Arc<Mutex<Net>>) -> Self {
        Self { via: Via::Direct(app, actor), net }
    }

    fn net(&self) -> std::sync::MutexGuard<'_, Net> {
        self.net.lock().expect("the network's lock")
    }

    pub(crate) fn set_faulty(&self, faulty: bool) {
        self.net().faulty = faulty;
    }

    fn fate(&self) -> Fate {
        let mut net = self.net();
        if !net.faulty {
            return Fate::Delivered;
        }
        if let Some(script) = &mut net.script {
            return script.pop_front().unwrap_or(Fate::Delivered);
        }
        match net.rng.random_range(0..100) {
            0..20 => Fate::RequestLost,
            20..40 => Fate::AnswerLost,
            40..50 => Fate::Duplicated,
            50..55 => Fate::Delayed,
            _ => Fate::Delivered,
        }
    }

    /// Delivers the requests the network held; nobody hears their answers.
    async fn release(&self, held: Vec<Held>) {
        for h in held {
            let _ = match h {
                Held::Push(r) => self.push_once(r).await.map(drop),
                Held::Pull(r) => self.pull_once(r).await.map(drop),
            };
        }
    }

    async fn http<T: serde::de::DeserializeOwned>(
        app: &TestApp,
        who: &Session,
        path: &str,
        body: Value,
    ) -> Result<T, TransportError> {
        let link = |e: &dyn std::fmt::Display| TransportError::Link { detail: e.to_string() };
        let res = app.as_(who, Method::POST, path).json(&body).send().await.map_err(|e| link(&e))?;
        let status = res.status().as_u16();
        let body: Value = res.json().await.map_err(|e| link(&e))?;
        match status {
            200 => serde_json::from_value(body).map_err(|e| link(&e)),
            _ => Err(TransportError::from_problem(status, &body)),
        }
    }
}

/// A use case's answer read as the wire type it is sent as.
fn as_wire<T: serde::de::DeserializeOwned>(
    answer: bosun_app::Result<impl serde::Serialize>,
) -> Result<T, TransportError> {
    let link = |e: &dyn std::fmt::Display| TransportError::Link { detail: e.to_string() };
    match answer {
        Ok(a) => serde_json::to_value(a).and_then(serde_json::from_value).map_err(|e| link(&e)),
        Err(bosun_app::Error::Invalid(v)) if v.iter().any(|v| v.code == "invalid_cookie") => {
            Err(TransportError::InvalidCookie)
        }
        Err(bosun_app::Error::Unavailable(e)) => Err(link(&e)),
        Err(e) => Err(TransportError::Refused { status: 0, code: format!("{e:?}") }),
    }
}

impl Link<'_> {
    async fn push_once(&self, r: PushRequest) -> Result<PushResponse, TransportError> {
        match &self.via {
            Via::Http(app, who) => {
                let body = serde_json::to_value(r).map_err(|e| TransportError::Link { detail: e.to_string() })?;
                Self::http(app, who, "/api/v1/sync/push", body).await
            }
            Via::Socket(socket) => socket.push(r).await,
            Via::Direct(app, actor) => {
                let push = Push {
                    client_id: r.client_id,
                    schema_version: r.schema_version,
                    mutations: r
                        .mutations
                        .into_iter()
                        .map(|m| QueuedMutation {
                            id: m.id,
                            name: m.name,
                            args: m.args,
                            hlc: m.hlc.map(|h| h.to_string()),
                            base_version: m.base_version,
                        })
                        .collect(),
                };
                as_wire(app.sync_push(actor, push).await)
            }
        }
    }

    async fn pull_once(&self, r: PullRequest) -> Result<PullResponse, TransportError> {
        match &self.via {
            Via::Http(app, who) => {
                let body = serde_json::to_value(r).map_err(|e| TransportError::Link { detail: e.to_string() })?;
                Self::http(app, who, "/api/v1/sync/pull", body).await
            }
            Via::Socket(socket) => socket.pull(r).await,
            Via::Direct(app, actor) => {
                let pull = Pull {
                    client_id: r.client_id,
                    cookie: r.cookie,
                    max_bytes: r.max_bytes,
                    verify: r.verify,
                    repair: r.repair,
                    buckets: r.buckets,
                    schema_version: r.schema_version,
                };
                as_wire(app.sync_pull(actor, pull).await)
            }
        }
    }
}

/// Sends a request as the link's fate says: not at all, once with its answer lost, twice, once,
/// or later; then delivers the requests held before it.
macro_rules! deliver {
    ($link:expr, $request:expr, $once:ident, $held:ident) => {{
        let earlier = std::mem::take(&mut $link.net().held);
        let lost = || TransportError::Link { detail: "lost".into() };
        let answer = match $link.fate() {
            Fate::RequestLost => Err(lost()),
            Fate::Delayed => {
                $link.net().held.push(Held::$held($request));
                Err(lost())
            }
            Fate::AnswerLost => {
                let answer = $link.$once($request).await;
                // An answer lost on a socket takes the socket with it.
                if let Via::Socket(socket) = &$link.via {
                    socket.disconnect().await;
                }
                answer.and_then(|_| Err(lost()))
            }
            Fate::Duplicated => match $link.$once($request.clone()).await {
                Ok(_) => $link.$once($request).await,
                Err(e) => Err(e),
            },
            Fate::Delivered => $link.$once($request).await,
        };
        $link.release(earlier).await;
        answer
    }};
}

#[async_trait]
impl Transport for Link<'_> {
    async fn push(&self, request: PushRequest) -> Result<PushResponse, TransportError> {
        deliver!(self, request, push_once, Push)
    }

    async fn pull(&self, request: PullRequest) -> Result<PullResponse, TransportError> {
        deliver!(self, request, pull_once, Pull)
    }
}

pub(crate) type Client<'a> = SyncEngine<Link<'a>>;

pub(crate) fn client<'a>(app: &'a TestApp, who: &'a Session, seed: u64) -> Client<'a> {
    resumed(app, who, seed, ClientState::new(Uuid::now_v7()))
}

/// A client resumed from a stored state; it asks every pull to verify every scope.
fn resumed<'a>(app: &'a TestApp, who: &'a Session, seed: u64, state: ClientState) -> Client<'a> {
    let config = SyncConfig { verify: true, ..SyncConfig::new(NonZeroU32::MIN) };
    SyncEngine::new(Link::new(app, who, seed), state, config)
}

/// Like [`resumed`], over the events socket.
fn resumed_on_socket<'a>(app: &'a TestApp, who: &'a Session, seed: u64, state: ClientState) -> Client<'a> {
    let config = SyncConfig { verify: true, ..SyncConfig::new(NonZeroU32::MIN) };
    SyncEngine::new(Link::socket(app, who, seed, seed.is_multiple_of(2)), state, config)
}

/// A replica's rows of `scope`, by entity and id.
pub(crate) fn rows(c: &Client<'_>, scope: &str) -> BTreeMap<(String, Uuid), (i64, Value)> {
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
    if faults.is_empty() {
        return; // a scope cleared after its person left the vessel
    }
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

/// Checks that `c`, of a person in `role`, holds no field the field policy withholds from them,
/// in any scope.
fn nothing_withheld(c: &Client<'_>, role: Role, seed: u64) {
    let policy = bosun_domain::fields::FieldPolicy::of(role);
    c.read(|s| {
        for scope in s.replica().scopes() {
            for (entity, id, row) in s.replica().rows_in(scope) {
                let mut seen = row.fields.clone();
                bosun_app::policy::redact(policy, entity, &mut seen);
                assert_eq!(seen, row.fields, "seed {seed}: {role:?} holds a withheld field of {entity} {id}");
            }
        }
    });
}

/// Checks no row of any replica went back to an older version since the last look.
fn versions_only_move_forward(seen: &mut BTreeMap<(usize, String, Uuid), i64>, i: usize, c: &Client<'_>, scope: &str) {
    for ((entity, id), (version, _)) in rows(c, scope) {
        let before = seen.insert((i, entity.clone(), id), version).unwrap_or(0);
        assert!(version >= before, "client {i}: {entity} {id} went back from {before} to {version}");
    }
}

/// Runs one seed; answers how many of its mutations were rejected.
/// What a run does with its clients: `rounds` of up to `most_writes` offline writes each on the
/// faults of `scope`, syncing now and then through the lossy link; then the link heals.
struct Run<'a> {
    app: &'a TestApp,
    owner: Actor,
    scope: String,
    people: Vec<Uuid>,
    rounds: usize,
    most_writes: usize,
    /// A person whose membership of the vessel the owner toggles between rounds, now and then,
    /// while their device is offline: removed, their queued writes must be refused and their
    /// replica cleared; back on board, their replica is filled again.
    moved: Option<(bosun_domain::VesselId, bosun_domain::UserId)>,
    /// Each client's person's role, in the order of the clients.
    roles: Vec<Role>,
}

impl Run<'_> {
    /// Takes `who` off the vessel, or back on board.
    async fn toggle_membership(&self, vessel: bosun_domain::VesselId, who: bosun_domain::UserId, on_board: &mut bool) {
        let a = &self.app.app;
        if *on_board {
            a.mutate(&self.owner, RemoveVesselMember { vessel_id: vessel, user_id: who }).await.expect("ashore");
        } else {
            a.mutate(&self.owner, joining(vessel, who)).await.expect("on board");
        }
        *on_board = !*on_board;
    }
}

/// Folds `scope`'s whole log and drops its deletes.
pub(crate) async fn compact_everything(app: &TestApp, company: bosun_domain::CompanyId, scope: &str) {
    app.app.compact_scope(company, scope, i64::MAX).await.expect("compacted");
    let future = app.clock.now() + chrono::Duration::days(1);
    bosun_app::compaction::drop_tombstones(&*app.app.store, company, scope, future, i64::MAX).await.expect("dropped");
}

/// `who` joins `vessel`'s rotation.
pub(crate) fn joining(vessel: bosun_domain::VesselId, who: bosun_domain::UserId) -> JoinRotation {
    JoinRotation {
        vessel_id: vessel,
        user_id: Some(who),
        department_id: None,
        rotation_start: chrono::NaiveDate::from_ymd_opt(2026, 1, 10).expect("a date"),
        rotation_end: None,
    }
}

/// Runs `clients` (already holding the scope) through a seed and checks the invariants: every
/// outbox drains after healing without a new write, each mutation applied once or rejected,
/// versions never go back, checksums equal, and each replica equal to what `fresh(i)`, a new
/// client of the same person, pulls. Answers how many comments were written and rejected, and
/// how many walks of the scope from its start the clients began.
async fn exercise<'a>(
    run: &Run<'_>,
    mut clients: Vec<Client<'a>>,
    restart: impl Fn(usize, ClientState, u64) -> Client<'a>,
    seed: u64,
) -> (usize, usize, usize) {
    let scope = run.scope.as_str();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut seen = BTreeMap::new();
    let mut bodies = Vec::new();
    let now_ms = u64::try_from(run.app.clock.now().timestamp_millis()).unwrap_or_default();
    for c in &clients {
        assert!(!c.sync_once().await.expect("not syncing").is_failure(), "seed {seed}: the first sync, on a good link");
        c.transport().set_faulty(true);
    }
    let (mut on_board, mut walks) = (true, 0);
    for _ in 0..run.rounds {
        if let Some((vessel, who)) = run.moved
            && rng.random_bool(0.3)
        {
            run.toggle_membership(vessel, who, &mut on_board).await;
        }
        if rng.random_bool(0.25) {
            // The log's history so far folded while devices sit at every point of it, and its
            // deletes dropped: devices whose position is older walk the scope again.
            compact_everything(run.app, run.owner.company_id, scope).await;
        }
        for (i, c) in clients.iter_mut().enumerate() {
            for _ in 0..rng.random_range(1..=run.most_writes) {
                write(c, &mut rng, scope, &run.people, now_ms, &mut bodies);
            }
            if rng.random_bool(0.6) {
                // The host stores the state after every write; a crash during the cycle loses
                // what the cycle did on the device (the server keeps what it applied).
                let stored = c.state();
                walks += c.sync_once().await.expect("not syncing").scope_resets;
                if rng.random_bool(0.15) {
                    *c = restart(i, stored, rng.random());
                    c.transport().set_faulty(true);
                    seen.retain(|(client, _, _), _| *client != i);
                } else {
                    versions_only_move_forward(&mut seen, i, c, scope);
                }
                nothing_withheld(c, run.roles[i], seed);
            }
        }
    }
    for c in &clients {
        c.transport().set_faulty(false);
    }
    walks += settle(&clients, seed, &mut seen, scope).await;
    for (i, c) in clients.iter().enumerate() {
        nothing_withheld(c, run.roles[i], seed);
    }
    let rejected = rejected_args(&clients);
    let faults: Vec<Uuid> = rows(&clients[0], scope).keys().filter(|(e, _)| e == "fault").map(|(_, id)| *id).collect();
    let stored = stored_comments(run.app, &run.owner, &faults).await;
    each_once(&bodies, &rejected, &stored, seed);
    for (i, c) in clients.iter().enumerate() {
        let fresh = restart(i, ClientState::new(Uuid::now_v7()), 0);
        assert!(!fresh.sync_once().await.expect("not syncing").is_failure());
        assert_eq!(rows(c, scope), rows(&fresh, scope), "seed {seed}: client {i} diverged");
    }
    (bodies.len(), rejected.len(), walks)
}

/// One seed on "Northern Star": two devices of an engineer (one over HTTP, one over the
/// events socket) and a manager's (over HTTP).
async fn one_seed(app: &TestApp, w: &Acme, seed: u64) -> usize {
    let (engineer, manager) = (&w.people[&Role::Engineer], &w.people[&Role::Manager]);
    for _ in 0..3 {
        seeded_fault(app, w, FaultStatus::Acknowledged).await;
    }
    let run = Run {
        app,
        owner: app.owner_actor(&w.fixture),
        scope: format!("vessel:{}", w.vessel),
        people: vec![engineer.user_id.0, manager.user_id.0],
        rounds: 6,
        most_writes: 3,
        moved: None,
        roles: vec![Role::Engineer, Role::Engineer, Role::Manager],
    };
    let who = [engineer, engineer, manager];
    let device = |i: usize, state: ClientState, link_seed: u64| {
        if i == 1 { resumed_on_socket(app, who[i], link_seed, state) } else { resumed(app, who[i], link_seed, state) }
    };
    let clients: Vec<Client<'_>> =
        (0..who.len()).map(|i| device(i, ClientState::new(Uuid::now_v7()), seed * 3 + i as u64)).collect();
    exercise(&run, clients, device, seed).await.1
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
        // Only the damaged rows' buckets (at most 2 of 16) were sent again, not the scope.
        let damaged: std::collections::BTreeSet<usize> = [0, 1]
            .iter()
            .map(|i| bosun_sync::checksum::bucket("fault", Uuid::parse_str(&ids[*i]).expect("an id")))
            .collect();
        let in_them = whole.keys().filter(|(e, id)| damaged.contains(&bosun_sync::checksum::bucket(e, *id))).count();
        assert!(repair.changes < first.changes, "{} of {} changes resent", repair.changes, first.changes);
        assert!(repair.changes >= in_them, "every row of the damaged buckets came back");
        let after = c.sync_once().await.expect("not syncing");
        assert_eq!(after.mismatched, 0, "{after:?}");
        assert!(c.read(|s| s.repairing().is_empty()));
    }
}

async fn bucket_sums_are_checked_before_anything_is_read(app: TestApp) {
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let scope = format!("vessel:{}", w.vessel);
    let sums: Vec<String> = (0..16).map(|i| format!("{i:016x}")).collect();
    let pull = |body: Value| crate::faults::send(&app, engineer, Method::POST, "/api/v1/sync/pull", body);
    // Sums of a scope not being repaired are ignored.
    crate::faults::ok_json(pull(json!({ "buckets": { &scope: sums } })).await, 200).await;
    for sums in [json!(["00"]), json!(vec!["ABCDEF0123456789"; 16])] {
        let res = pull(json!({ "repair": [&scope], "buckets": { &scope: sums } })).await;
        let problem = crate::harness::assert_problem(res, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["code"], "invalid_sums", "{problem}");
    }
}

/// One sync cycle that must succeed with the replica whole.
async fn cycle(c: &Client<'_>, what: &str) {
    let report = c.sync_once().await.expect("not syncing");
    assert!(!report.is_failure() && report.mismatched == 0, "{what}: {report:?}");
}

/// A device whose person's role changes between two syncs: its next cycle sends every scope
/// again for the new view, so a demoted engineer's device drops the repair times it may no
/// longer read, and gets them back when promoted again, its checksums equal throughout.
async fn a_changed_role_sends_each_scope_again_for_the_new_view(app: TestApp) {
    let w = acme(&app).await;
    seeded_fault(&app, &w, FaultStatus::Resolved).await;
    let engineer = &w.people[&Role::Engineer];
    let scope = format!("vessel:{}", w.vessel);
    let c = client(&app, engineer, 1);
    let repair_times = |c: &Client<'_>| {
        rows(c, &scope).iter().filter(|((e, _), (_, f))| e == "fault" && f.get("repair_seconds").is_some()).count()
    };
    cycle(&c, "first").await;
    assert!(repair_times(&c) > 0, "an engineer holds repair times");
    let path = format!("/api/v1/users/{}", engineer.user_id);
    for (role, name) in [(Role::Crew, "crew"), (Role::Engineer, "engineer")] {
        let res = app.as_(&w.fixture.owner, Method::PUT, &path).json(&json!({ "role": name })).send().await.unwrap();
        assert!(res.status().is_success(), "{}", res.status());
        cycle(&c, &format!("as {role:?}")).await;
        nothing_withheld(&c, role, 0);
        assert_eq!(repair_times(&c) > 0, role == Role::Engineer, "as {role:?}");
        let fresh = client(&app, engineer, 2);
        cycle(&fresh, &format!("fresh as {role:?}")).await;
        assert_eq!(rows(&c, &scope), rows(&fresh, &scope), "as {role:?}, the replica is what a new device pulls");
    }
}

/// Runs `sql` on the test database with the scope and sequence number bound, as its owner
/// (past row-level security on PostgreSQL).
async fn raw_sql(app: &TestApp, sql: &str, scope: &str, seq: i64) -> i64 {
    use sqlx::Connection;
    match app.backend {
        bosun_testkit::Backend::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(&app.db.url()).await.expect("sqlite");
            sqlx::query("PRAGMA busy_timeout = 10000").execute(&mut conn).await.expect("busy timeout");
            let sql = sql.replace("$1", "?1").replace("$2", "?2");
            let q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)).bind(scope).bind(seq);
            q.fetch_optional(&mut conn).await.expect("sql").unwrap_or(0)
        }
        bosun_testkit::Backend::Postgres => {
            let mut conn = sqlx::PgConnection::connect(&app.db.owner_url()).await.expect("postgres");
            let q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_owned())).bind(scope).bind(seq);
            q.fetch_optional(&mut conn).await.expect("sql").unwrap_or(0)
        }
    }
}

/// The server's database goes back (restored from a copy) after a device synced past the
/// copy: the device's next cycle sends that scope again whole, and its replica is what a new
/// device pulls, with no checksum failing first.
async fn a_database_that_went_back_sends_the_scope_again(app: TestApp) {
    let w = acme(&app).await;
    let fault = seeded_fault(&app, &w, FaultStatus::Acknowledged).await;
    let engineer = &w.people[&Role::Engineer];
    let scope = format!("vessel:{}", w.vessel);
    let c = client(&app, engineer, 1);
    cycle(&c, "first").await;
    let copied_at = raw_sql(&app, "SELECT seq FROM sync_scopes WHERE scope = $1 AND seq > $2", &scope, 0).await;
    assert!(copied_at > 0);
    for n in 0..3 {
        let path = format!("/api/v1/faults/{fault}/comments");
        let res = app.as_(&w.fixture.owner, Method::POST, &path).json(&json!({ "body": format!("Round {n}") })).send();
        assert!(res.await.unwrap().status().is_success());
    }
    cycle(&c, "after the comments").await;
    let comments = |c: &Client<'_>| rows(c, &scope).keys().filter(|(e, _)| e == "fault_comment").count();
    let before = comments(&c);
    // The copy is restored: the log ends where it was copied, and numbering goes on from there.
    raw_sql(&app, "DELETE FROM sync_changes WHERE scope = $1 AND seq > $2 RETURNING seq", &scope, copied_at).await;
    raw_sql(&app, "UPDATE sync_scopes SET seq = $2 WHERE scope = $1 RETURNING seq", &scope, copied_at).await;
    cycle(&c, "after the database went back").await;
    assert_eq!(comments(&c), before - 3, "the comments the copy lacks are gone from the device");
    let fresh = client(&app, engineer, 2);
    cycle(&fresh, "fresh").await;
    assert_eq!(rows(&c, &scope), rows(&fresh, &scope));
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

/// One run of the in-process simulation: a vessel of its own with two faults; an engineer's
/// two devices and a crew member's phone edit offline through a lossy link while the crew member
/// is now and then taken off the vessel and put back; then the link heals.
/// The vessel is left with nobody on board, so later runs do not pull it.
async fn simulated(app: &TestApp, w: &Acme, seed: u64) -> (usize, usize, usize) {
    let a = &app.app;
    let company = w.fixture.company.id;
    let owner = app.owner_actor(&w.fixture);
    let fields = check_vessel(&VesselInput {
        kind: "vessel".into(),
        name: format!("Sim {seed}"),
        vessel_type: None,
        imo: None,
        specs: None,
    })
    .expect("vessel fields");
    let vessel = a.mutate(&owner, CreateVessel { id: None, fields }).await.expect("a vessel").id;
    let (engineer, crew) = (&w.people[&Role::Engineer], &w.people[&Role::Crew]);
    for who in [engineer, crew] {
        a.mutate(&owner, joining(vessel, who.user_id)).await.expect("on board");
    }
    let item = crate::faults::equipment_on(app, company, vessel.0, "Sim pump").await;
    for i in 0..2 {
        let title = format!("Sim {seed} fault {i}");
        let report = ReportFault::parse(None, bosun_domain::EquipmentId(item), "medium", title, String::new(), None)
            .expect("a report");
        let id = a.mutate(&owner, report).await.expect("reported").entry.fault.id;
        a.mutate(&owner, AcknowledgeFault { fault_id: id }).await.expect("acknowledged");
    }
    let run = Run {
        app,
        owner: owner.clone(),
        scope: format!("vessel:{vessel}"),
        people: vec![engineer.user_id.0, crew.user_id.0],
        rounds: 3,
        most_writes: 2,
        moved: Some((vessel, crew.user_id)),
        roles: vec![Role::Engineer, Role::Engineer, Role::Crew],
    };
    let direct = |who: &Session, role: Role, link_seed: u64, state: ClientState| {
        let link = Link::direct(a, crate::faults::actor(company, who, role), link_seed);
        let config = SyncConfig { verify: true, max_pull_bytes: Some(16_384), ..SyncConfig::new(NonZeroU32::MIN) };
        SyncEngine::new(link, state, config)
    };
    let who = [(engineer, Role::Engineer), (engineer, Role::Engineer), (crew, Role::Crew)];
    let clients: Vec<Client<'_>> =
        who.iter().zip(0..).map(|((s, r), n)| direct(s, *r, seed * 4 + n, ClientState::new(Uuid::now_v7()))).collect();
    let counts =
        exercise(&run, clients, |i, state, link_seed| direct(who[i].0, who[i].1, link_seed, state), seed).await;
    a.mutate(&owner, RemoveVesselMember { vessel_id: vessel, user_id: engineer.user_id }).await.expect("ashore");
    // The run may have left the crew member ashore already.
    let _ = a.mutate(&owner, RemoveVesselMember { vessel_id: vessel, user_id: crew.user_id }).await;
    counts
}

/// After the link heals: each outbox drains within 3 cycles without a new write, then one more
/// cycle settles every replica, whose checksums all equal the server's. Answers how many walks
/// of the scope from its start began.
async fn settle(
    clients: &[Client<'_>],
    seed: u64,
    seen: &mut BTreeMap<(usize, String, Uuid), i64>,
    scope: &str,
) -> usize {
    let mut walks = 0;
    for (i, c) in clients.iter().enumerate() {
        for cycle in 0.. {
            assert!(cycle < 3, "seed {seed}: client {i}'s outbox is stuck: {:?}", c.read(|s| s.outbox().len()));
            let report = c.sync_once().await.expect("not syncing");
            walks += report.scope_resets;
            assert!(!report.is_failure(), "seed {seed}: client {i} on a good link: {report:?}");
            if c.read(|s| s.outbox().is_empty()) {
                break;
            }
        }
    }
    for (i, c) in clients.iter().enumerate() {
        let report = c.sync_once().await.expect("not syncing");
        assert_eq!(report.mismatched, 0, "seed {seed}: client {i} failed a checksum: {report:?}");
        assert_eq!(c.read(|s| s.resetting().count()), 0, "seed {seed}: client {i} is still walking");
        versions_only_move_forward(seen, i, c, scope);
    }
    walks
}

/// The arguments of every mutation the server refused, as text.
fn rejected_args(clients: &[Client<'_>]) -> Vec<String> {
    clients
        .iter()
        .flat_map(|c| c.read(|s| s.rejections().iter().map(|r| r.mutation.args.to_string()).collect::<Vec<_>>()))
        .collect()
}

/// How many times each comment text is stored on these faults.
async fn stored_comments(app: &TestApp, owner: &Actor, faults: &[Uuid]) -> BTreeMap<String, usize> {
    let mut stored = BTreeMap::new();
    for fault in faults {
        let detail = app.app.faults.get(owner, bosun_domain::FaultId(*fault)).await.expect("a fault");
        for c in detail.comments {
            *stored.entry(c.body).or_default() += 1;
        }
    }
    stored
}

/// Exactly once: every comment not rejected is stored once, a rejected one not at all.
fn each_once(bodies: &[String], rejected: &[String], stored: &BTreeMap<String, usize>, seed: u64) {
    for body in bodies {
        let expected = usize::from(!rejected.iter().any(|r| r.contains(body.as_str())));
        assert_eq!(stored.get(body).copied().unwrap_or(0), expected, "seed {seed}: comment {body:?}");
    }
}

/// The in-process simulation: many seeds of concurrent offline edits through a lossy link, each
/// replayable from its seed. The suite runs [`SUITE_SEEDS`]; `BOSUN_SIM_SEEDS` runs more (the
/// long proof, `scripts/proofs.sh`, runs thousands), `BOSUN_SIM_FIRST` starts elsewhere.
/// Seeds each backend runs in the test suite: enough that devices walk scopes again, crash and
/// lose members mid-run; a fifth of what the suite once ran, to keep it within its time.
const SUITE_SEEDS: u64 = 200;

async fn seeded_simulation_runs_converge_with_each_mutation_applied_once(app: TestApp) {
    let env = |name: &str, default: u64| std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default);
    let (first, seeds) = (env("BOSUN_SIM_FIRST", 1), env("BOSUN_SIM_SEEDS", SUITE_SEEDS));
    let w = acme(&app).await;
    let (mut written, mut rejected) = (0, 0);
    let mut walks = 0;
    for seed in first..first + seeds {
        let (w_, r_, k_) = simulated(&app, &w, seed).await;
        written += w_;
        rejected += r_;
        walks += k_;
    }
    println!("{seeds} simulated seeds from {first}: {written} comments, {rejected} rejections, {walks} walks");
    assert!(seeds < 50 || walks > 0, "no run had a device walk a scope again after its deletes were dropped");
}

/// A server that no longer serves a client's schema still takes its queue, then tells it to
/// update; a retired mutator is refused for good, its arguments kept.
async fn an_outdated_client_pushes_its_queue_then_is_told_to_update(backend: bosun_testkit::Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.sync.min_schema_version = 2;
        c.sync.retired_mutators = vec!["acknowledge_fault.v1".into()];
    })
    .await;
    let w = acme(&app).await;
    let engineer = &w.people[&Role::Engineer];
    let fault = seeded_fault(&app, &w, FaultStatus::Open).await;
    // A client built for schema 1 (`SyncConfig::new(NonZeroU32::MIN)`).
    let c = client(&app, engineer, 1);
    c.enqueue("comment_fault.v1", json!({ "fault_id": fault, "body": "Seal replaced, no leak" }), None, 1)
        .expect("queued");
    c.enqueue("acknowledge_fault.v1", json!({ "fault_id": fault }), Some(1), 2).expect("queued");
    let report = c.sync_once().await.expect("not syncing");
    assert!(report.update_required, "{report:?}");
    assert_eq!((report.applied, report.rejected), (1, 1), "{report:?}");
    assert!(
        matches!(&report.failure, Some(SyncFailure::Pull(TransportError::Refused { status: 409, code })) if code == "client_outdated"),
        "{report:?}"
    );
    let rejected = c.read(|s| s.rejections().iter().map(|r| r.code.clone()).collect::<Vec<_>>());
    assert_eq!(rejected, ["mutator_retired"]);
    let detail = get(&app, engineer, &format!("/api/v1/faults/{fault}")).await;
    assert_eq!(detail["comments"].as_array().map(Vec::len), Some(1), "the queue was applied: {detail}");
    assert_eq!(detail["status"], "open", "not acknowledged by the retired mutator");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outdated_client_pushes_its_queue_then_is_told_to_update_sqlite() {
    an_outdated_client_pushes_its_queue_then_is_told_to_update(bosun_testkit::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outdated_client_pushes_its_queue_then_is_told_to_update_postgres() {
    an_outdated_client_pushes_its_queue_then_is_told_to_update(bosun_testkit::Backend::Postgres).await;
}

crate::on_both_backends!(
    seeded_simulation_runs_converge_with_each_mutation_applied_once,
    clients_converge_through_a_lossy_link_with_each_mutation_applied_once,
    a_damaged_replica_fails_its_checksum_and_is_repaired,
    a_scope_longer_than_a_store_page_checks_out,
    bucket_sums_are_checked_before_anything_is_read,
    a_changed_role_sends_each_scope_again_for_the_new_view,
    a_database_that_went_back_sends_the_scope_again,
);

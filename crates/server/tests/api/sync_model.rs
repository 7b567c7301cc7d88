//! Property tests of the sync protocol against a sequential reference model.
//!
//! A generated program of offline writes, sync cycles and device crashes runs on an engineer's
//! device through a network whose every request, as a generated script says, is delivered,
//! lost, applied with its answer lost (as when the server crashes between its commit and its
//! reply), delivered twice, or held and delivered behind the device's next request. A crash
//! during a cycle restarts the device from the state it stored before the cycle; a crash right
//! after a write loses the write before it reached the outbox; now and then the server folds the
//! scope's log (compaction) under the device. The reference is the same program
//! without the lost writes, run on a twin vessel through a perfect link one write at a time.
//! After the link heals, the device's outbox drains within three cycles without a new write; the
//! two vessels then hold the same faults with the same statuses, assignees and comments (each
//! comment exactly once), the device has the same rejections as the reference, its replica passes
//! its checksums and equals a fresh pull, and no row's version ever went back on the device.
//!
//! The cases come from a fixed seed, so a failure replays; `BOSUN_MODEL_CASES` runs more cases
//! than the suite's 64 (`scripts/proofs.sh` runs 1,000), `BOSUN_MODEL_SEED` other ones. proptest shrinks a failing case to a
//! short program before it is reported.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use bosun_app::Actor;
use bosun_app::fleet::vessels::{CreateVessel, RemoveVesselMember, VesselInput, check_vessel};
use bosun_app::maintenance::faults::{AcknowledgeFault, ReportFault};
use bosun_domain::person::Role;
use bosun_domain::{Clock, EquipmentId, VesselId};
use bosun_sync::client::{ClientState, SyncConfig, SyncEngine};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::json;
use uuid::Uuid;

use crate::harness::TestApp;
use crate::permissions::{Acme, acme};
use crate::sync_client::{Client, Fate, Link, Net, joining, rows};

/// An offline write on one of the vessel's two faults, or a new report.
#[derive(Debug, Clone)]
enum Op {
    Comment(usize),
    Assign(usize, usize),
    Status(usize, usize),
    Report,
}

/// One step of the device's life.
#[derive(Debug, Clone)]
enum Step {
    /// A write, stored on the device with its outbox record.
    Write(Op),
    /// A write lost with the device, which crashed before storing it.
    WriteLost(Op),
    /// A sync cycle.
    Sync,
    /// A sync cycle during which the device crashes; it restarts from the state stored before.
    SyncCrash,
    /// The server folds the scope's log so far and drops its deletes (`docs/SYNC.md`
    /// "Compaction").
    Compact,
}

const STATUSES: [&str; 3] = ["in_progress", "awaiting_parts", "acknowledged"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..2usize).prop_map(Op::Comment),
        (0..2usize, 0..2usize).prop_map(|(f, p)| Op::Assign(f, p)),
        (0..2usize, 0..STATUSES.len()).prop_map(|(f, s)| Op::Status(f, s)),
        Just(Op::Report),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => op().prop_map(Step::Write),
        1 => op().prop_map(Step::WriteLost),
        3 => Just(Step::Sync),
        1 => Just(Step::SyncCrash),
        1 => Just(Step::Compact),
    ]
}

fn fate() -> impl Strategy<Value = Fate> {
    prop_oneof![
        3 => Just(Fate::Delivered),
        1 => Just(Fate::RequestLost),
        1 => Just(Fate::AnswerLost),
        1 => Just(Fate::Duplicated),
        1 => Just(Fate::Delayed),
    ]
}

/// A vessel of one run: the engineer and a crew member on board, one item, two acknowledged
/// faults titled "fault 0" and "fault 1".
struct Twin {
    vessel: VesselId,
    scope: String,
    item: Uuid,
    faults: [Uuid; 2],
}

async fn twin(app: &TestApp, w: &Acme, owner: &Actor, name: String) -> Twin {
    let a = &app.app;
    let input = VesselInput { kind: "vessel".into(), name, vessel_type: None, imo: None, specs: None };
    let fields = check_vessel(&input).expect("vessel fields");
    let vessel = a.mutate(owner, CreateVessel { id: None, fields }).await.expect("a vessel").id;
    for role in [Role::Engineer, Role::Crew] {
        a.mutate(owner, joining(vessel, w.people[&role].user_id)).await.expect("on board");
    }
    let item = crate::faults::equipment_on(app, w.fixture.company.id, vessel.0, "Model pump").await;
    let mut faults = [Uuid::nil(); 2];
    for (i, fault) in faults.iter_mut().enumerate() {
        let report = ReportFault::parse(None, EquipmentId(item), "medium", format!("fault {i}"), String::new(), None)
            .expect("a report");
        let id = a.mutate(owner, report).await.expect("reported").entry.fault.id;
        a.mutate(owner, AcknowledgeFault { fault_id: id }).await.expect("acknowledged");
        *fault = id.0;
    }
    Twin { vessel, scope: format!("vessel:{vessel}"), item, faults }
}

/// The engineer's device on `net`, from `state`.
fn device<'a>(app: &'a TestApp, engineer: &Actor, net: &Arc<Mutex<Net>>, state: ClientState) -> Client<'a> {
    let link = Link::through(&app.app, engineer.clone(), Arc::clone(net));
    let config = SyncConfig { verify: true, max_pull_bytes: Some(4_096), ..SyncConfig::new(NonZeroU32::MIN) };
    SyncEngine::new(link, state, config)
}

/// The people a fault can be assigned to: the engineer and the crew member.
fn people(w: &Acme) -> [Uuid; 2] {
    [w.people[&Role::Engineer].user_id.0, w.people[&Role::Crew].user_id.0]
}

/// Queues `op`, the program's `n`th step, on the device's replica of `t`.
fn write(app: &TestApp, c: &Client<'_>, t: &Twin, people: &[Uuid; 2], op: &Op, n: usize) {
    let base = |f: usize| c.read(|s| s.replica().row(&t.scope, "fault", t.faults[f]).map(|r| r.version));
    let (name, args, base) = match *op {
        Op::Comment(f) => ("comment_fault.v1", json!({ "fault_id": t.faults[f], "body": format!("note {n}") }), None),
        Op::Assign(f, p) => ("assign_fault.v1", json!({ "fault_id": t.faults[f], "assignee_id": people[p] }), base(f)),
        Op::Status(f, s) => ("set_fault_status.v1", json!({ "fault_id": t.faults[f], "status": STATUSES[s] }), base(f)),
        Op::Report => {
            let id = Uuid::now_v7();
            let report = json!({ "id": id, "equipment_id": t.item, "severity": "low", "title": format!("report {n}") });
            ("report_fault.v1", report, None)
        }
    };
    let now_ms = u64::try_from(app.clock.now().timestamp_millis()).unwrap_or_default();
    c.enqueue(name, args, base, now_ms).expect("queued");
}

/// A fault as both twins name it: status, assignee (an index into `people`), comments sorted.
type Held = BTreeMap<String, (String, Option<usize>, Vec<String>)>;

/// What `c`'s replica holds of `t`'s faults.
fn held(c: &Client<'_>, t: &Twin, people: &[Uuid; 2]) -> Held {
    let rows = rows(c, &t.scope);
    let mut titles = BTreeMap::new();
    let mut out = Held::new();
    for ((entity, id), (_, f)) in &rows {
        if entity == "fault" {
            let title = f["title"].as_str().unwrap_or_default().to_owned();
            let assignee = people.iter().position(|p| f["assignee_id"] == json!(p));
            out.insert(title.clone(), (f["status"].as_str().unwrap_or_default().to_owned(), assignee, Vec::new()));
            titles.insert(id.to_string(), title);
        }
    }
    for ((entity, _), (_, f)) in &rows {
        if entity == "fault_comment" {
            let fault =
                out.get_mut(&titles[f["fault_id"].as_str().unwrap_or_default()]).expect("a comment's fault is held");
            fault.2.push(f["body"].as_str().unwrap_or_default().to_owned());
        }
    }
    for fault in out.values_mut() {
        fault.2.sort();
    }
    out
}

/// The device's rejections: mutation id, name and code.
fn rejections(c: &Client<'_>) -> Vec<(i64, String, String)> {
    c.read(|s| s.rejections().iter().map(|r| (r.mutation.id, r.mutation.name.clone(), r.code.clone())).collect())
}

/// Fails the case unless no row of `c`'s replica went back since `seen`.
fn moved_forward(seen: &mut BTreeMap<(String, Uuid), i64>, c: &Client<'_>, scope: &str) -> Result<(), TestCaseError> {
    for ((entity, id), (version, _)) in rows(c, scope) {
        let before = seen.insert((entity.clone(), id), version).unwrap_or(0);
        prop_assert!(version >= before, "{entity} {id} went back from {before} to {version}");
    }
    Ok(())
}

/// What one run ended with: the faults held and the rejections.
type Outcome = (Held, Vec<(i64, String, String)>);

/// Runs `steps` on the device through a network failing as `fates` say, heals it, and checks the
/// device drains, converges and passes its checksums.
async fn play(app: &TestApp, w: &Acme, t: &Twin, steps: &[Step], fates: Vec<Fate>) -> Result<Outcome, TestCaseError> {
    let engineer = crate::faults::actor(w.fixture.company.id, &w.people[&Role::Engineer], Role::Engineer);
    let people = people(w);
    let net = Net::scripted(fates);
    let mut c = device(app, &engineer, &net, ClientState::new(Uuid::now_v7()));
    prop_assert!(!c.sync_once().await.expect("not syncing").is_failure(), "the first sync, on a good link");
    c.transport().set_faulty(true);
    let mut seen = BTreeMap::new();
    for (n, step) in steps.iter().enumerate() {
        match step {
            Step::Write(op) => write(app, &c, t, &people, op, n),
            Step::WriteLost(op) => {
                let stored = c.state();
                write(app, &c, t, &people, op, n);
                c = device(app, &engineer, &net, stored);
            }
            Step::Sync => {
                let _ = c.sync_once().await.expect("not syncing");
                moved_forward(&mut seen, &c, &t.scope)?;
            }
            Step::SyncCrash => {
                let stored = c.state();
                let _ = c.sync_once().await.expect("not syncing");
                c = device(app, &engineer, &net, stored);
            }
            Step::Compact => {
                crate::sync_client::compact_everything(app, w.fixture.company.id, &t.scope).await;
            }
        }
    }
    c.transport().set_faulty(false);
    for cycle in 0.. {
        prop_assert!(cycle < 3, "the outbox is stuck: {} left", c.read(|s| s.outbox().len()));
        let report = c.sync_once().await.expect("not syncing");
        prop_assert!(!report.is_failure(), "on a good link: {report:?}");
        if c.read(|s| s.outbox().is_empty()) {
            break;
        }
    }
    let report = c.sync_once().await.expect("not syncing");
    prop_assert_eq!(report.mismatched, 0, "checksums after healing: {:?}", report);
    moved_forward(&mut seen, &c, &t.scope)?;
    let fresh = device(app, &engineer, &Net::scripted(Vec::new()), ClientState::new(Uuid::now_v7()));
    prop_assert!(!fresh.sync_once().await.expect("not syncing").is_failure());
    prop_assert_eq!(rows(&c, &t.scope), rows(&fresh, &t.scope), "the replica equals a fresh pull");
    Ok((held(&c, t, &people), rejections(&c)))
}

/// The reference: the writes the device kept, one at a time through a perfect link.
async fn reference(app: &TestApp, w: &Acme, t: &Twin, steps: &[Step]) -> Result<Outcome, TestCaseError> {
    let engineer = crate::faults::actor(w.fixture.company.id, &w.people[&Role::Engineer], Role::Engineer);
    let people = people(w);
    let c = device(app, &engineer, &Net::scripted(Vec::new()), ClientState::new(Uuid::now_v7()));
    prop_assert!(!c.sync_once().await.expect("not syncing").is_failure());
    for (n, step) in steps.iter().enumerate() {
        if let Step::Write(op) = step {
            write(app, &c, t, &people, op, n);
            prop_assert!(!c.sync_once().await.expect("not syncing").is_failure());
        }
    }
    Ok((held(&c, t, &people), rejections(&c)))
}

/// One case: the program on a twin through the failing network, and the reference on another.
async fn one_case(app: &TestApp, w: &Acme, case: usize, steps: &[Step], fates: Vec<Fate>) -> Result<(), TestCaseError> {
    let owner = app.owner_actor(&w.fixture);
    let tested = twin(app, w, &owner, format!("Model {case}")).await;
    let model = twin(app, w, &owner, format!("Model {case} reference")).await;
    let outcome = play(app, w, &tested, steps, fates).await;
    let expected = reference(app, w, &model, steps).await;
    // Ashore again, so later cases do not pull these vessels.
    for t in [&tested, &model] {
        for role in [Role::Engineer, Role::Crew] {
            let leave = RemoveVesselMember { vessel_id: t.vessel, user_id: w.people[&role].user_id };
            app.app.mutate(&owner, leave).await.expect("ashore");
        }
    }
    prop_assert_eq!(outcome?, expected?, "the device's run differs from the sequential reference");
    Ok(())
}

async fn a_device_on_a_failing_network_ends_where_the_sequential_model_does(app: TestApp) {
    let env = |name: &str, default: u64| std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default);
    let cases = u32::try_from(env("BOSUN_MODEL_CASES", 64)).unwrap_or(64);
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&env("BOSUN_MODEL_SEED", 1).to_le_bytes());
    let config = Config { cases, failure_persistence: None, max_shrink_iters: 200, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    let w = acme(&app).await;
    let handle = tokio::runtime::Handle::current();
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let program = (prop::collection::vec(step(), 1..24), prop::collection::vec(fate(), 0..48));
    let result = runner.run(&program, |(steps, fates)| {
        let case = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tokio::task::block_in_place(|| handle.block_on(one_case(&app, &w, case, &steps, fates)))
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    println!("{} cases passed from BOSUN_MODEL_SEED={}", counter.into_inner(), env("BOSUN_MODEL_SEED", 1));
}

crate::on_both_backends!(a_device_on_a_failing_network_ends_where_the_sequential_model_does);

//! The client engine against a scripted transport: each test says what the server answers, in
//! the JSON the server writes, and checks what the engine sent and kept. The simulation against
//! the real router comes later and implements the same `Transport`.

// The helpers below are test code too; the lint's test exemption covers only `#[test]` bodies.
#![allow(clippy::unwrap_used)]

use std::collections::VecDeque;
use std::future::Future;
use std::num::NonZeroU32;
use std::pin::pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use async_trait::async_trait;
use bosun_sync::client::{
    ClientState, SyncConfig, SyncEngine, SyncEvent, SyncFailure, SyncReport, Transport, TransportError,
};
use bosun_sync::hlc::Hlc;
use bosun_sync::protocol::{PullRequest, PullResponse, PushRequest, PushResponse};
use serde_json::{Value, json};
use uuid::Uuid;

const CLIENT: Uuid = Uuid::from_u128(0x0190_f3c2_a1b4_7000_8000_0000_0000_00c1);
const VESSEL: &str = "vessel:0190f3c2-a1b4-7000-8000-000000000001";
const OTHER_VESSEL: &str = "vessel:0190f3c2-a1b4-7000-8000-000000000002";
const COMPANY: &str = "company:0190f3c2-a1b4-7000-8000-0000000000c0";

/// Answers from a script, in order, and records every request.
#[derive(Default)]
struct Script {
    push_answers: Mutex<VecDeque<Result<PushResponse, TransportError>>>,
    pull_answers: Mutex<VecDeque<Result<PullResponse, TransportError>>>,
    pushes: Mutex<Vec<PushRequest>>,
    pulls: Mutex<Vec<PullRequest>>,
}

impl Script {
    fn answer_push(&self, answer: Result<Value, TransportError>) {
        let answer = answer.map(|json| serde_json::from_value(json).expect("a push answer as the server writes it"));
        self.push_answers.lock().unwrap().push_back(answer);
    }

    fn answer_pull(&self, answer: Result<Value, TransportError>) {
        let answer = answer.map(|json| serde_json::from_value(json).expect("a pull answer as the server writes it"));
        self.pull_answers.lock().unwrap().push_back(answer);
    }

    fn pushes(&self) -> Vec<PushRequest> {
        self.pushes.lock().unwrap().clone()
    }

    fn pulls(&self) -> Vec<PullRequest> {
        self.pulls.lock().unwrap().clone()
    }

    fn pushed_ids(&self) -> Vec<Vec<i64>> {
        self.pushes().iter().map(|p| p.mutations.iter().map(|m| m.id).collect()).collect()
    }

    fn pulled_cookies(&self) -> Vec<Option<String>> {
        self.pulls().into_iter().map(|p| p.cookie).collect()
    }
}

fn unscripted() -> TransportError {
    TransportError::Link { detail: "the script has no answer left".into() }
}

#[async_trait]
impl Transport for Script {
    async fn push(&self, request: PushRequest) -> Result<PushResponse, TransportError> {
        self.pushes.lock().unwrap().push(request);
        self.push_answers.lock().unwrap().pop_front().unwrap_or_else(|| Err(unscripted()))
    }

    async fn pull(&self, request: PullRequest) -> Result<PullResponse, TransportError> {
        self.pulls.lock().unwrap().push(request);
        self.pull_answers.lock().unwrap().pop_front().unwrap_or_else(|| Err(unscripted()))
    }
}

/// Runs a future that never waits: the script answers at once, so no runtime is needed.
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the scripted transport never waits"),
    }
}

fn engine() -> SyncEngine<Script> {
    engine_from(ClientState::new(CLIENT))
}

fn engine_from(state: ClientState) -> SyncEngine<Script> {
    SyncEngine::new(Script::default(), state, SyncConfig::new(NonZeroU32::MIN))
}

fn sync(engine: &SyncEngine<Script>) -> SyncReport {
    run(engine.sync_once()).expect("no other cycle runs")
}

fn report_fault(engine: &SyncEngine<Script>, title: &str) -> i64 {
    engine.enqueue("report_fault.v1", json!({ "title": title }), None, 1_720_000_000_000).unwrap()
}

fn link_down() -> TransportError {
    TransportError::Link { detail: "connection reset".into() }
}

fn applied(ids: &[i64]) -> Value {
    json!({ "last_mutation_id": ids.iter().max(), "applied": ids, "skipped": [], "rejected": [], "stopped": null })
}

fn fault(seq: i64, id: u128, title: &str) -> Value {
    json!({ "seq": seq, "entity": "fault", "id": Uuid::from_u128(id), "op": "insert", "fields": { "title": title } })
}

fn page(cookie: &str, changes: Value, more: bool) -> Value {
    json!({ "cookie": cookie, "changes": changes, "clear": [], "last_mutation_ids": {}, "more": more })
}

fn last_page(cookie: &str, changes: Value, acknowledged: i64) -> Value {
    json!({ "cookie": cookie, "changes": changes, "clear": [],
            "last_mutation_ids": { CLIENT.to_string(): acknowledged }, "more": false })
}

fn outbox_ids(engine: &SyncEngine<Script>) -> Vec<i64> {
    engine.read(|s| s.outbox().entries().iter().map(|m| m.id).collect())
}

fn titles(engine: &SyncEngine<Script>, scope: &str) -> Vec<String> {
    engine.read(|s| {
        s.replica()
            .rows_in(scope)
            .map(|(_, _, row)| row.fields["title"].as_str().unwrap_or_default().to_owned())
            .collect()
    })
}

#[test]
fn the_outbox_survives_a_failed_push_and_drains_on_the_next_cycle_without_a_new_write() {
    let engine = engine();
    report_fault(&engine, "Fire pump will not prime");
    report_fault(&engine, "Bilge alarm");
    engine.transport().answer_push(Err(link_down()));

    let failed = sync(&engine);
    assert_eq!(failed.failure, Some(SyncFailure::Push(link_down())));
    assert_eq!(failed.event(), SyncEvent::Failed);
    assert!(engine.transport().pulls().is_empty(), "no pull over a link that just failed");
    assert_eq!(outbox_ids(&engine), vec![1, 2]);

    engine.transport().answer_push(Ok(applied(&[1, 2])));
    engine.transport().answer_pull(Ok(last_page(
        "c1",
        json!({ VESSEL: [fault(1, 1, "Fire pump will not prime")] }),
        2,
    )));
    let healed = sync(&engine);
    assert_eq!((healed.pushed, healed.applied, healed.acknowledged, healed.failure), (2, 2, 2, None));
    assert_eq!(engine.transport().pushed_ids(), vec![vec![1, 2], vec![1, 2]], "the same mutations, again");
    assert!(engine.read(|s| s.outbox().is_empty()));
}

#[test]
fn applied_mutations_stay_queued_until_a_final_pull_acknowledges_them() {
    let engine = engine();
    report_fault(&engine, "Pump");
    report_fault(&engine, "Alarm");
    engine.transport().answer_push(Ok(applied(&[1, 2])));
    engine.transport().answer_pull(Err(link_down()));
    let report = sync(&engine);
    assert_eq!((report.applied, report.failure), (2, Some(SyncFailure::Pull(link_down()))));
    assert_eq!(outbox_ids(&engine), vec![1, 2], "applied is not yet in the replica");

    // Next cycle: pushed again (the server skips them), then a paged pull. The first page's
    // acknowledgement does not count; only the final page's does.
    let skipped = json!({ "last_mutation_id": 2, "applied": [], "skipped": [1, 2], "rejected": [], "stopped": null });
    engine.transport().answer_push(Ok(skipped));
    let mut first = page("c1", json!({ VESSEL: [fault(1, 1, "Pump")] }), true);
    first["last_mutation_ids"] = json!({ CLIENT.to_string(): 2 });
    engine.transport().answer_pull(Ok(first));
    engine.transport().answer_pull(Ok(last_page("c2", json!({ VESSEL: [fault(2, 2, "Alarm")] }), 1)));
    let report = sync(&engine);
    assert_eq!((report.skipped, report.pages, report.acknowledged), (2, 2, 1));
    assert_eq!(outbox_ids(&engine), vec![2], "acknowledged up to 1 only");
}

#[test]
fn rejected_mutations_leave_the_outbox_and_are_listed_once() {
    let engine = engine();
    report_fault(&engine, "Pump");
    let refused = engine.enqueue("resolve_fault.v1", json!({ "fault_id": Uuid::from_u128(9) }), Some(4), 1).unwrap();
    let answer = json!({ "last_mutation_id": 2, "applied": [1], "skipped": [],
        "rejected": [{ "id": 2, "code": "fault_resolved", "detail": "fault is already resolved" }], "stopped": null });
    engine.transport().answer_push(Ok(answer));
    engine.transport().answer_pull(Err(link_down()));
    assert_eq!(sync(&engine).rejected, 1);
    assert_eq!(outbox_ids(&engine), vec![1]);

    // A repeated push reports the rejection again; it is not listed twice.
    let again = json!({ "last_mutation_id": 2, "applied": [], "skipped": [1, 2],
        "rejected": [{ "id": 2, "code": "fault_resolved", "detail": "fault is already resolved" }], "stopped": null });
    engine.transport().answer_push(Ok(again));
    engine.transport().answer_pull(Ok(last_page("c1", json!({}), 2)));
    let report = sync(&engine);
    assert_eq!((report.rejected, report.acknowledged), (0, 1));

    let rejections = engine.read(|s| s.rejections().to_vec());
    assert_eq!(rejections.len(), 1);
    assert_eq!((rejections[0].mutation.id, rejections[0].code.as_str()), (refused, "fault_resolved"));
    assert_eq!(rejections[0].mutation.args, json!({ "fault_id": Uuid::from_u128(9) }), "arguments kept to show");
    assert_eq!(engine.dismiss_rejection(refused).map(|r| r.mutation.id), Some(refused));
    assert!(engine.read(|s| s.rejections().is_empty()));
}

#[test]
fn a_stopped_push_keeps_the_rest_queued_still_pulls_and_counts_as_a_failure() {
    let engine = engine();
    for title in ["a", "b", "c"] {
        report_fault(&engine, title);
    }
    let stopped = json!({ "last_mutation_id": 1, "applied": [1], "skipped": [], "rejected": [],
        "stopped": { "id": 2, "code": "mutator_too_new" } });
    engine.transport().answer_push(Ok(stopped));
    engine.transport().answer_pull(Ok(last_page("c1", json!({ VESSEL: [fault(1, 1, "a")] }), 1)));
    let report = sync(&engine);
    assert_eq!(report.failure, Some(SyncFailure::Stopped { id: 2, code: "mutator_too_new".into() }));
    assert_eq!(engine.transport().pushes().len(), 1, "no further batch after a stop");
    assert_eq!((report.pages, report.acknowledged), (1, 1));
    assert_eq!(outbox_ids(&engine), vec![2, 3]);
}

#[test]
fn a_large_outbox_goes_in_batches_of_at_most_500() {
    let engine = engine();
    for n in 0..1_201 {
        report_fault(&engine, &format!("fault {n}"));
    }
    engine.transport().answer_push(Ok(applied(&(1..=500).collect::<Vec<_>>())));
    engine.transport().answer_push(Ok(applied(&(501..=1_000).collect::<Vec<_>>())));
    engine.transport().answer_push(Ok(applied(&(1_001..=1_201).collect::<Vec<_>>())));
    engine.transport().answer_pull(Ok(last_page("c1", json!({}), 1_201)));
    let report = sync(&engine);
    assert_eq!((report.pushed, report.applied, report.acknowledged, report.failure), (1_201, 1_201, 1_201, None));
    let batches: Vec<(i64, i64, usize)> =
        engine.transport().pushed_ids().iter().map(|ids| (ids[0], ids[ids.len() - 1], ids.len())).collect();
    assert_eq!(batches, vec![(1, 500, 500), (501, 1_000, 500), (1_001, 1_201, 201)]);
}

#[test]
fn queued_mutations_carry_increasing_ids_and_clock_readings() {
    let engine = engine();
    let first = engine.enqueue("report_fault.v1", json!({}), None, 10_000).unwrap();
    let second = engine.enqueue("comment_fault.v1", json!({}), Some(3), 9_000).unwrap();
    assert_eq!((first, second), (1, 2));
    let hlcs: Vec<Hlc> = engine.read(|s| s.outbox().entries().iter().filter_map(|m| m.hlc).collect());
    assert_eq!(hlcs, vec![Hlc::try_new(10_000, 0).unwrap(), Hlc::try_new(10_000, 1).unwrap()]);
    assert_eq!(engine.read(|s| s.outbox().get(2).and_then(|m| m.base_version)), Some(3));
}

#[test]
fn a_page_with_more_is_followed_at_once_by_a_pull_with_its_cookie() {
    let engine = engine();
    engine.transport().answer_pull(Ok(page("c1", json!({ VESSEL: [fault(1, 1, "a")] }), true)));
    engine.transport().answer_pull(Ok(page("c2", json!({ VESSEL: [fault(2, 2, "b")] }), true)));
    engine.transport().answer_pull(Ok(page("c3", json!({ VESSEL: [fault(3, 3, "c")] }), false)));
    let report = sync(&engine);
    assert_eq!((report.pages, report.changes, report.failure), (3, 3, None));
    assert!(engine.transport().pushes().is_empty(), "an empty outbox sends no push");
    let cookies = engine.transport().pulled_cookies();
    assert_eq!(cookies, vec![None, Some("c1".into()), Some("c2".into())]);
    assert!(engine.transport().pulls().iter().all(|p| p.client_id == Some(CLIENT)));
    assert_eq!(engine.read(|s| s.cookie().map(str::to_owned)), Some("c3".into()));
    assert_eq!(titles(&engine, VESSEL).len(), 3);
    let version = engine.read(|s| s.replica().row(VESSEL, "fault", Uuid::from_u128(2)).map(|r| r.version));
    assert_eq!(version, Some(2), "a row's version is the seq it came with");
}

#[test]
fn a_pull_that_fails_midway_keeps_the_pages_already_applied() {
    let engine = engine();
    engine.transport().answer_pull(Ok(page("c1", json!({ VESSEL: [fault(1, 1, "a")] }), true)));
    engine.transport().answer_pull(Err(link_down()));
    let report = sync(&engine);
    assert_eq!((report.pages, report.failure), (1, Some(SyncFailure::Pull(link_down()))));
    assert_eq!(engine.read(|s| s.cookie().map(str::to_owned)), Some("c1".into()));
    engine.transport().answer_pull(Ok(page("c2", json!({}), false)));
    sync(&engine);
    assert_eq!(engine.transport().pulled_cookies().last(), Some(&Some("c1".into())), "resumed, not restarted");
}

#[test]
fn clear_deletes_only_the_rows_of_that_scope() {
    let engine = engine();
    let first = json!({ VESSEL: [fault(1, 1, "here")], OTHER_VESSEL: [fault(1, 2, "there")],
        COMPANY: [{ "seq": 1, "entity": "membership", "id": Uuid::from_u128(3), "op": "insert", "fields": {} }] });
    engine.transport().answer_pull(Ok(page("c1", first, false)));
    sync(&engine);
    let mut cleared = page("c2", json!({}), false);
    cleared["clear"] = json!([OTHER_VESSEL]);
    engine.transport().answer_pull(Ok(cleared));
    report_fault(&engine, "queued while reached");
    engine.transport().answer_push(Ok(applied(&[1])));
    sync(&engine);
    assert_eq!(engine.read(|s| s.replica().scopes().map(str::to_owned).collect::<Vec<_>>()), vec![COMPANY, VESSEL]);
    assert!(titles(&engine, OTHER_VESSEL).is_empty());
    assert_eq!(outbox_ids(&engine), vec![1], "the outbox is kept");
}

#[test]
fn a_refused_cookie_is_dropped_and_the_pull_replays_from_the_start() {
    let engine = engine();
    let first = json!({ VESSEL: [fault(1, 1, "kept")], OTHER_VESSEL: [fault(1, 2, "no longer reached")] });
    engine.transport().answer_pull(Ok(page("c1", first, false)));
    sync(&engine);

    engine.transport().answer_pull(Err(TransportError::InvalidCookie));
    engine.transport().answer_pull(Ok(page("r1", json!({ VESSEL: [fault(1, 1, "kept")] }), true)));
    engine.transport().answer_pull(Ok(page("r2", json!({ VESSEL: [fault(2, 3, "new")] }), false)));
    let report = sync(&engine);
    assert_eq!((report.cookie_resets, report.pages, report.failure), (1, 2, None));
    let cookies = engine.transport().pulled_cookies();
    assert_eq!(cookies[1..], [Some("c1".into()), None, Some("r1".into())]);
    assert_eq!(titles(&engine, VESSEL), vec!["kept", "new"]);
    assert!(titles(&engine, OTHER_VESSEL).is_empty(), "a scope the replay did not bring is forgotten");
}

#[test]
fn a_cookie_refused_when_there_was_none_is_a_failure_not_a_loop() {
    let engine = engine();
    engine.transport().answer_pull(Err(TransportError::InvalidCookie));
    let report = sync(&engine);
    assert_eq!(report.failure, Some(SyncFailure::Pull(TransportError::InvalidCookie)));
    assert_eq!(engine.transport().pulls().len(), 1);
}

#[test]
fn an_unauthorized_push_ends_the_cycle_and_asks_for_a_sign_in() {
    let engine = engine();
    report_fault(&engine, "Pump");
    engine.transport().answer_push(Err(TransportError::Unauthorized));
    let report = sync(&engine);
    assert!(report.failure.as_ref().is_some_and(SyncFailure::needs_sign_in));
    assert!(engine.transport().pulls().is_empty());
    assert_eq!(outbox_ids(&engine), vec![1], "the outbox survives the sign-in");
}

#[test]
fn a_refused_push_is_not_followed_by_a_pull_that_could_hide_a_rejection() {
    let engine = engine();
    report_fault(&engine, "Pump");
    engine.transport().answer_push(Err(TransportError::Refused { status: 503, code: "unavailable".into() }));
    let report = sync(&engine);
    assert_eq!(
        report.failure,
        Some(SyncFailure::Push(TransportError::Refused { status: 503, code: "unavailable".into() }))
    );
    assert!(engine.transport().pulls().is_empty());
}

#[test]
fn a_server_that_always_has_more_cannot_hold_a_cycle() {
    let mut config = SyncConfig::new(NonZeroU32::MIN);
    config.max_pull_pages = 3;
    let engine = SyncEngine::new(Script::default(), ClientState::new(CLIENT), config);
    for n in 1..=3 {
        engine.transport().answer_pull(Ok(page(&format!("c{n}"), json!({}), true)));
    }
    assert_eq!(sync(&engine).failure, Some(SyncFailure::TooManyPages { pages: 3 }));
}

#[test]
fn the_server_clock_seen_on_a_pull_orders_the_next_writes_after_it() {
    let engine = engine();
    // The server's clock is 5 s ahead of the device's when the person writes.
    let server = Hlc::try_new(1_720_000_005_000, 7).unwrap();
    let mut answer = page("c1", json!({}), false);
    answer["hlc"] = json!(server.to_string());
    engine.transport().answer_pull(Ok(answer));
    sync(&engine);
    report_fault(&engine, "after the server");
    let hlc = engine.read(|s| s.outbox().entries()[0].hlc).unwrap();
    assert_eq!(hlc, Hlc::try_new(1_720_000_005_000, 8).unwrap());
}

#[test]
fn the_whole_state_round_trips_through_json_and_the_restored_client_carries_on() {
    let engine = engine();
    report_fault(&engine, "acknowledged");
    report_fault(&engine, "refused");
    report_fault(&engine, "still queued");
    let answer = json!({ "last_mutation_id": 2, "applied": [1], "skipped": [],
        "rejected": [{ "id": 2, "code": "forbidden", "detail": "no" }], "stopped": { "id": 3, "code": "unavailable" } });
    engine.transport().answer_push(Ok(answer));
    let mut last = last_page("c1", json!({ VESSEL: [fault(1, 1, "acknowledged")] }), 2);
    last["changes"][VESSEL][0]["fields"] = json!({ "title": "acknowledged", "repairs": [1, 2], "note": null });
    engine.transport().answer_pull(Ok(last));
    sync(&engine);

    let saved = engine.state().to_json().unwrap();
    let restored = ClientState::from_json(&saved).unwrap();
    assert_eq!(restored, engine.state());
    assert_eq!((restored.cookie(), restored.rejections().len()), (Some("c1"), 1));
    assert_eq!(restored.outbox().entries().iter().map(|m| m.id).collect::<Vec<_>>(), vec![3]);

    let engine = engine_from(restored);
    assert_eq!(report_fault(&engine, "after the restart"), 4, "ids are never reused");
    engine.transport().answer_push(Ok(applied(&[3, 4])));
    engine.transport().answer_pull(Ok(last_page("c2", json!({}), 4)));
    sync(&engine);
    assert_eq!(engine.transport().pulled_cookies(), vec![Some("c1".into())]);
    assert!(engine.read(|s| s.outbox().is_empty()));
}

#[test]
fn a_corrupt_saved_state_is_refused_rather_than_half_read() {
    assert!(ClientState::from_json("{").is_err());
    let disordered = json!({ "client_id": CLIENT, "outbox": { "next_id": 2, "entries": [
        { "id": 5, "name": "a.v1", "args": {}, "hlc": null, "base_version": null } ] } });
    assert!(ClientState::from_json(&disordered.to_string()).is_err());
}

#[test]
fn a_cycle_can_run_on_another_thread() {
    fn is_send<T: Send>(_: &T) {}
    let engine = engine();
    is_send(&engine.sync_once());
}

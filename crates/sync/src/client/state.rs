//! Everything a client keeps between cycles, as one serde value: the confirmed replica, the
//! outbox, the cookie, the clock and the rejections to show.
//!
//! Each step of a cycle is one method that leaves the state whole: a local write and its
//! outbox record are one `enqueue`; a pull answer's changes, acknowledgements and new cookie are
//! one `apply_pull`. A copy taken between two steps is therefore always one the client can
//! resume from, and nothing it records is lost with a crash after the copy was saved.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::outbox::{EnqueueError, Outbox, Rejection};
use super::replica::Replica;
use crate::hlc::{Hlc, HlcClock};
use crate::protocol::{PullRequest, PullResponse, PushRequest, PushResponse};

/// A client's whole state, to persist as JSON and resume from.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ClientState {
    client_id: Uuid,
    #[serde(default)]
    clock: HlcClock,
    #[serde(default)]
    cookie: Option<String>,
    #[serde(default)]
    replica: Replica,
    #[serde(default)]
    outbox: Outbox,
    #[serde(default)]
    rejections: Vec<Rejection>,
    /// Scopes held when a replay from the start began and not yet brought by it: the ones
    /// still here when it ends are no longer reached, and are forgotten then.
    #[serde(default)]
    replaying: Option<BTreeSet<String>>,
    /// Scopes whose replica failed its checksum: the next pull sends their bucket sums, and
    /// the server resends the buckets that differ.
    #[serde(default)]
    repair: BTreeSet<String>,
    /// Scopes the server is walking again from their start (a position older than its
    /// horizon), with the rows held when the walk began that no change of it has confirmed
    /// yet: those still unconfirmed when the walk ends are gone.
    #[serde(default)]
    resetting: BTreeMap<String, BTreeSet<(String, Uuid)>>,
    /// Scopes whose bucket repair has begun (their mismatched buckets' rows dropped) and not
    /// yet reached the scope's head.
    #[serde(default)]
    repairing_buckets: BTreeSet<String>,
}

/// Why a stored client state cannot be read or written.
#[derive(Debug, thiserror::Error)]
#[error("client state is not valid JSON of its shape: {0}")]
pub struct StateError(#[from] serde_json::Error);

/// An answer to a pull whose cookie is no longer the client's: it was not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StalePull;

/// What one pull answer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct PulledPage {
    /// Changes applied to the replica.
    pub(crate) changes: usize,
    /// Outbox entries the answer acknowledged.
    pub(crate) acknowledged: usize,
    /// The server has more: pull again at once.
    pub(crate) more: bool,
    /// Scopes whose replica failed the answer's checksum (to be repaired).
    pub(crate) mismatched: usize,
    /// Scopes whose walk from their start began with this answer.
    pub(crate) resets: usize,
}

impl ClientState {
    /// A fresh client named `client_id` (a UUIDv7 made once, when the client is installed).
    pub fn new(client_id: Uuid) -> Self {
        Self {
            client_id,
            clock: HlcClock::new(),
            cookie: None,
            replica: Replica::default(),
            outbox: Outbox::default(),
            rejections: Vec::new(),
            replaying: None,
            repair: BTreeSet::new(),
            resetting: BTreeMap::new(),
            repairing_buckets: BTreeSet::new(),
        }
    }

    /// Reads a state written by [`ClientState::to_json`].
    pub fn from_json(json: &str) -> Result<Self, StateError> {
        Ok(serde_json::from_str(json)?)
    }

    /// Writes the state as JSON.
    pub fn to_json(&self) -> Result<String, StateError> {
        Ok(serde_json::to_string(self)?)
    }

    /// The client's id, sent with every push and pull.
    pub fn client_id(&self) -> Uuid {
        self.client_id
    }

    /// The last applied pull answer's cookie; `None` before the first pull or after a reset.
    pub fn cookie(&self) -> Option<&str> {
        self.cookie.as_deref()
    }

    /// The rows the server confirmed.
    pub fn replica(&self) -> &Replica {
        &self.replica
    }

    /// The mutations not yet acknowledged.
    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    /// The mutations the server refused, oldest first, until the person dismisses them.
    pub fn rejections(&self) -> &[Rejection] {
        &self.rejections
    }

    /// The clock's last reading.
    pub fn last_hlc(&self) -> Hlc {
        self.clock.last()
    }

    /// Queues a write made at wall time `now_ms` and returns its mutation id.
    pub(crate) fn enqueue(
        &mut self,
        name: &str,
        args: Value,
        base_version: Option<i64>,
        now_ms: u64,
    ) -> Result<i64, EnqueueError> {
        // Ticking a copy: a refused write leaves the clock as it was.
        let mut clock = self.clock;
        let id = self.outbox.push(name, args, base_version, clock.tick(now_ms))?;
        self.clock = clock;
        Ok(id)
    }

    /// Forgets the rejection of mutation `id`, once shown; returns it.
    pub(crate) fn dismiss_rejection(&mut self, id: i64) -> Option<Rejection> {
        let at = self.rejections.iter().position(|r| r.mutation.id == id)?;
        Some(self.rejections.remove(at))
    }

    /// The next push: the oldest queued mutations above id `after`, or `None` if none wait.
    pub(crate) fn push_request(
        &self,
        after: i64,
        schema_version: i64,
        max_count: usize,
        max_bytes: usize,
    ) -> Option<PushRequest> {
        let mutations = self.outbox.batch_after(after, max_count, max_bytes);
        (!mutations.is_empty()).then_some(PushRequest { client_id: self.client_id, schema_version, mutations })
    }

    /// Moves the mutations a push answer rejects from the outbox to the rejections; returns how
    /// many moved. Applied mutations stay queued until a final pull acknowledges them.
    pub(crate) fn record_push(&mut self, answer: &PushResponse) -> usize {
        let before = self.rejections.len();
        let moved: Vec<Rejection> = answer.rejected.iter().filter_map(|r| self.outbox.reject(r)).collect();
        self.rejections.extend(moved);
        self.rejections.len() - before
    }

    /// The next pull, from the current cookie.
    pub(crate) fn pull_request(&self, max_bytes: Option<u32>, verify: bool, schema_version: i64) -> PullRequest {
        PullRequest {
            client_id: Some(self.client_id),
            cookie: self.cookie.clone(),
            max_bytes,
            verify,
            repair: self.repair.iter().cloned().collect(),
            buckets: self.repair.iter().map(|scope| (scope.clone(), self.replica.bucket_sums(scope).hex())).collect(),
            schema_version: Some(schema_version),
        }
    }

    /// The scopes waiting to be repaired.
    pub fn repairing(&self) -> &BTreeSet<String> {
        &self.repair
    }

    /// The scopes the server is walking again from their start.
    pub fn resetting(&self) -> impl Iterator<Item = &str> {
        self.resetting.keys().map(String::as_str)
    }

    /// Applies the answer to a pull sent with cookie `asked`, together with its new cookie, if
    /// `asked` is still the client's cookie; an answer to an older cookie changes nothing.
    pub(crate) fn apply_pull(
        &mut self,
        asked: Option<&str>,
        asked_repair: &[String],
        answer: PullResponse,
    ) -> Result<PulledPage, StalePull> {
        if self.cookie.as_deref() != asked {
            return Err(StalePull);
        }
        for scope in &answer.clear {
            self.replica.clear(scope);
            self.resetting.remove(scope);
        }
        let mut page = PulledPage { more: answer.more, ..PulledPage::default() };
        // The request that carried them restarted those scopes: asking again would loop.
        for scope in asked_repair {
            self.repair.remove(scope);
            self.resetting.remove(scope);
        }
        // A walk that begins: every row held is unconfirmed until a change of the walk names it.
        for scope in answer.resets.keys() {
            if !self.resetting.contains_key(scope) {
                let held = self.replica.rows_in(scope).map(|(e, id, _)| (e.to_owned(), id)).collect();
                self.resetting.insert(scope.clone(), held);
                page.resets += 1;
            }
        }
        // A bucket repair that begins: the rows of the buckets that differ are dropped; the
        // changes that follow bring them back as the server holds them.
        for (scope, repair) in &answer.repairs {
            if self.repairing_buckets.insert(scope.clone()) {
                self.replica.drop_buckets(scope, &repair.buckets);
            }
        }
        for (scope, changes) in &answer.changes {
            if let Some(replaying) = &mut self.replaying {
                replaying.remove(scope);
            }
            let mut unconfirmed = self.resetting.get_mut(scope);
            for change in changes {
                if let Some(rows) = unconfirmed.as_mut() {
                    rows.remove(&(change.entity.clone(), change.id));
                }
                self.replica.apply(scope, change);
            }
            page.changes += changes.len();
        }
        // A walk that ended: the rows it did not confirm were deleted while the client was away.
        for (scope, reset) in &answer.resets {
            if reset.done
                && let Some(gone) = self.resetting.remove(scope)
            {
                for (entity, id) in gone {
                    self.replica.remove(scope, &entity, id);
                }
            }
        }
        for (scope, repair) in &answer.repairs {
            if repair.done {
                self.repairing_buckets.remove(scope);
            }
        }
        if !answer.more {
            self.repairing_buckets.clear();
            // Every walk has reached its scope's head with a final answer (the server reads a
            // scope being walked to its end before it says there is no more).
            for (scope, gone) in std::mem::take(&mut self.resetting) {
                for (entity, id) in gone {
                    self.replica.remove(&scope, &entity, id);
                }
            }
            // Only a final answer's acknowledgements promise that the mutations' changes came.
            if let Some(&acknowledged) = answer.last_mutation_ids.get(&self.client_id) {
                page.acknowledged = self.outbox.acknowledge(acknowledged);
            }
            self.finish_replay();
            // A scope whose replica differs from the server's view is dropped and pulled again.
            for (scope, sum) in &answer.checksums {
                if self.replica.checksum(scope).hex() != *sum {
                    // Kept until the server says which buckets differ (it resends only those).
                    self.resetting.remove(scope);
                    self.repair.insert(scope.clone());
                    page.mismatched += 1;
                }
            }
        }
        if let Some(hlc) = answer.hlc {
            self.clock.merge(hlc);
        }
        self.cookie = Some(answer.cookie);
        Ok(page)
    }

    /// Drops cookie `asked`, which the server refused, so the next pull replays from the
    /// start; rows stay shown meanwhile. Returns whether it was still the client's cookie.
    pub(crate) fn forget_cookie(&mut self, asked: &str) -> bool {
        if self.cookie.as_deref() != Some(asked) {
            return false;
        }
        self.cookie = None;
        let held: BTreeSet<String> = self.replica.scopes().map(str::to_owned).collect();
        self.replaying = Some(self.replaying.take().unwrap_or_default().union(&held).cloned().collect());
        // The replay is a walk of every scope held: rows it does not bring back (their deletes
        // may have been dropped from the server's log) are gone when it ends.
        for scope in &held {
            let rows = self.replica.rows_in(scope).map(|(e, id, _)| (e.to_owned(), id)).collect();
            self.resetting.insert(scope.clone(), rows);
        }
        true
    }

    /// Ends a replay from the start: the scopes it did not bring are no longer reached.
    fn finish_replay(&mut self) {
        for scope in self.replaying.take().unwrap_or_default() {
            self.replica.clear(&scope);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;
    use crate::protocol::{Change, Op};

    const CLIENT: Uuid = Uuid::from_u128(0xC1);

    /// An insert of fault `id` at `seq`.
    fn row(seq: i64, id: u128) -> Change {
        Change { seq, entity: "fault".into(), id: Uuid::from_u128(id), op: Op::Insert, fields: json!({ "n": id }) }
    }

    fn answer(cookie: &str, scope: &str, seq: i64, more: bool) -> PullResponse {
        let change = Change { seq, entity: "fault".into(), id: Uuid::from_u128(7), op: Op::Insert, fields: json!({}) };
        PullResponse {
            cookie: cookie.into(),
            changes: BTreeMap::from([(scope.to_owned(), vec![change])]),
            clear: vec![],
            last_mutation_ids: BTreeMap::from([(CLIENT, 1)]),
            more,
            checksums: BTreeMap::new(),
            resets: BTreeMap::new(),
            repairs: BTreeMap::new(),
            hlc: None,
        }
    }

    #[test]
    fn an_answer_to_an_older_cookie_is_not_applied() {
        let mut state = ClientState::new(CLIENT);
        let first = state.pull_request(None, false, 1);
        state.apply_pull(first.cookie.as_deref(), &[], answer("c1", "vessel:1", 1, false)).unwrap();
        // A second answer to the first request (a duplicate, or one that came late).
        let late = state.apply_pull(first.cookie.as_deref(), &[], answer("c0", "vessel:2", 1, false));
        assert_eq!(late, Err(StalePull));
        assert_eq!(state.cookie(), Some("c1"), "the cursor did not go back");
        assert_eq!(state.replica().scopes().collect::<Vec<_>>(), vec!["vessel:1"]);
    }

    #[test]
    fn acknowledgements_in_an_answer_with_more_are_not_trusted() {
        let mut state = ClientState::new(CLIENT);
        state.enqueue("a.v1", json!({}), None, 1).unwrap();
        let page = state.apply_pull(None, &[], answer("c1", "vessel:1", 1, true)).unwrap();
        assert_eq!((page.acknowledged, state.outbox().len()), (0, 1));
        let page = state.apply_pull(Some("c1"), &[], answer("c2", "vessel:1", 2, false)).unwrap();
        assert_eq!((page.acknowledged, state.outbox().len()), (1, 0));
    }

    #[test]
    fn a_refused_write_spends_neither_an_id_nor_a_tick() {
        let mut state = ClientState::new(CLIENT);
        assert!(state.enqueue("a.v1", json!("not an object"), None, 5_000).is_err());
        assert_eq!(state.last_hlc(), Hlc::ZERO);
        assert_eq!(state.enqueue("a.v1", json!({}), None, 5_000), Ok(1));
    }

    #[test]
    fn a_walk_from_the_start_keeps_rows_shown_and_removes_those_it_did_not_confirm() {
        let mut state = ClientState::new(CLIENT);
        let mut first = answer("c1", "vessel:1", 1, false);
        first.changes.insert("vessel:1".into(), vec![row(1, 1), row(2, 2), row(3, 3)]);
        state.apply_pull(None, &[], first).unwrap();
        // The walk's first page confirms row 1 (a change no newer than the row held) and
        // leaves the others shown.
        let mut walk = answer("c2", "vessel:1", 1, true);
        walk.changes.insert("vessel:1".into(), vec![row(1, 1)]);
        walk.resets.insert("vessel:1".into(), crate::protocol::ScopeReset { done: false });
        let page = state.apply_pull(Some("c1"), &[], walk).unwrap();
        assert_eq!((page.resets, state.replica().len()), (1, 3));
        assert_eq!(state.resetting().collect::<Vec<_>>(), ["vessel:1"]);
        // Its last page confirms row 3; row 2 was deleted meanwhile, its delete long dropped.
        let mut end = answer("c3", "vessel:1", 3, false);
        end.changes.insert("vessel:1".into(), vec![row(3, 3)]);
        end.resets.insert("vessel:1".into(), crate::protocol::ScopeReset { done: true });
        let page = state.apply_pull(Some("c2"), &[], end).unwrap();
        assert_eq!(page.resets, 0, "the same walk, continued");
        let ids: Vec<u128> = state.replica().rows_in("vessel:1").map(|(_, id, _)| id.as_u128()).collect();
        assert_eq!(ids, [1, 3]);
        assert_eq!(state.resetting().count(), 0);
    }

    #[test]
    fn a_replay_from_the_start_removes_the_rows_it_does_not_bring_back() {
        let mut state = ClientState::new(CLIENT);
        let mut first = answer("c1", "vessel:1", 1, false);
        first.changes.insert("vessel:1".into(), vec![row(1, 1), row(2, 2)]);
        state.apply_pull(None, &[], first).unwrap();
        // The server refused the cookie; meanwhile row 2 was deleted and its delete dropped.
        assert!(state.forget_cookie("c1"));
        let mut replay = answer("c2", "vessel:1", 1, false);
        replay.changes.insert("vessel:1".into(), vec![row(1, 1)]);
        state.apply_pull(None, &[], replay).unwrap();
        let ids: Vec<u128> = state.replica().rows_in("vessel:1").map(|(_, id, _)| id.as_u128()).collect();
        assert_eq!(ids, [1]);
        assert_eq!(state.resetting().count(), 0);
    }

    #[test]
    fn a_replay_that_ends_forgets_the_scopes_it_did_not_bring() {
        let mut state = ClientState::new(CLIENT);
        let mut first = answer("c1", "vessel:1", 1, false);
        first.changes.extend(answer("c1", "vessel:2", 1, false).changes);
        state.apply_pull(None, &[], first).unwrap();
        assert!(state.forget_cookie("c1"));
        assert!(!state.forget_cookie("c1"), "only the current cookie is dropped");
        state.apply_pull(None, &[], answer("r1", "vessel:1", 1, true)).unwrap();
        assert_eq!(state.replica().scopes().count(), 2, "rows stay shown during the replay");
        state.apply_pull(Some("r1"), &[], answer("r2", "vessel:1", 2, false)).unwrap();
        assert_eq!(state.replica().scopes().collect::<Vec<_>>(), vec!["vessel:1"]);
    }
}

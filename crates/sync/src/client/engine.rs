//! The sync cycle: push the outbox, then pull until the server has no more.
//!
//! The state sits behind a lock held only between awaits, never across one, so a person's
//! writes go into the outbox while a cycle waits on a slow link; a flag lets one cycle run at a
//! time, so there is one pull in flight. The engine sleeps nowhere and reads no clock: the host
//! runs [`SyncEngine::sync_once`] when [`super::SyncSchedule`] says, and passes the time of
//! each write.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use serde_json::Value;

use super::outbox::{EnqueueError, MAX_MUTATION_BYTES, Rejection};
use super::schedule::SyncEvent;
use super::state::{ClientState, StalePull};
use super::transport::{Transport, TransportError};
use crate::protocol::{MAX_MUTATIONS_PER_PUSH, Stopped};

/// How the engine talks to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncConfig {
    /// The schema version the client was built for.
    pub schema_version: NonZeroU32,
    /// Mutations per push, at most [`MAX_MUTATIONS_PER_PUSH`].
    pub max_push_mutations: usize,
    /// Bytes of mutations (as JSON) per push, so a push stays well under the server's body
    /// limit; a push carries at least one mutation whatever its size.
    pub max_push_bytes: usize,
    /// Bytes of changes per pull page; the server's default when `None`.
    pub max_pull_bytes: Option<u32>,
    /// Pages one cycle pulls at most, so a server that always has more cannot hold a cycle.
    pub max_pull_pages: u32,
    /// Ask every pull for the checksum of every scope held (by default the server answers the
    /// checksums of the scopes an answer changes).
    pub verify: bool,
}

impl SyncConfig {
    /// The designed limits for a client built for `schema_version`.
    pub fn new(schema_version: NonZeroU32) -> Self {
        Self {
            schema_version,
            max_push_mutations: MAX_MUTATIONS_PER_PUSH,
            max_push_bytes: MAX_MUTATION_BYTES,
            max_pull_bytes: None,
            max_pull_pages: 1_000,
            verify: false,
        }
    }
}

/// What one cycle did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncReport {
    /// Mutations sent, counting each push of a mutation.
    pub pushed: usize,
    /// Mutations the server applied.
    pub applied: usize,
    /// Mutations the server had applied before (a repeated push).
    pub skipped: usize,
    /// Mutations moved from the outbox to the rejections.
    pub rejected: usize,
    /// Pull answers applied.
    pub pages: usize,
    /// Changes applied to the replica.
    pub changes: usize,
    /// Outbox entries a final pull acknowledged, and so removed.
    pub acknowledged: usize,
    /// Pull answers dropped because they answered a cookie the client no longer had.
    pub stale_answers: usize,
    /// Times the server refused the cookie and the pull started over.
    pub cookie_resets: usize,
    /// Scopes whose replica failed the server's checksum: dropped and pulled again (once a
    /// cycle; a scope still wrong is repaired again by the next).
    pub mismatched: usize,
    /// Scopes the server began walking again from their start (the client was away longer
    /// than the server keeps deletes): rows the walk does not bring back are removed.
    pub scope_resets: usize,
    /// The server says this client is too old to sync its view; it needs an update.
    pub update_required: bool,
    /// Why the cycle did not finish, if it did not.
    pub failure: Option<SyncFailure>,
}

impl SyncReport {
    /// Whether the cycle failed.
    pub fn is_failure(&self) -> bool {
        self.failure.is_some()
    }

    /// The cycle's outcome, for [`super::SyncSchedule::next_attempt_after`].
    pub fn event(&self) -> SyncEvent {
        if self.is_failure() { SyncEvent::Failed } else { SyncEvent::Succeeded }
    }
}

/// Why a cycle did not finish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncFailure {
    /// A push got no usable answer; nothing was pulled.
    #[error("push failed: {0}")]
    Push(TransportError),
    /// A pull got no usable answer.
    #[error("pull failed: {0}")]
    Pull(TransportError),
    /// A temporary error ended the push at mutation `id`; it and the rest are pushed again later.
    #[error("the server stopped the push at mutation {id}: {code}")]
    Stopped {
        /// The first mutation not processed.
        id: i64,
        /// The temporary problem.
        code: String,
    },
    /// The server still had more after the most pages a cycle pulls.
    #[error("the pull still had more after {pages} pages")]
    TooManyPages {
        /// Pages pulled.
        pages: u32,
    },
}

impl SyncFailure {
    /// Whether nothing will sync until the person signs in again.
    pub fn needs_sign_in(&self) -> bool {
        matches!(self, Self::Push(TransportError::Unauthorized) | Self::Pull(TransportError::Unauthorized))
    }
}

/// [`SyncEngine::sync_once`] was called while a cycle was running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a sync cycle is already running")]
pub struct AlreadySyncing;

/// A client's state and the transport it syncs through.
#[derive(Debug)]
pub struct SyncEngine<T> {
    transport: T,
    config: SyncConfig,
    state: Mutex<ClientState>,
    syncing: AtomicBool,
}

/// How a cycle's pushes ended.
enum PushEnd {
    /// Every queued mutation got an answer.
    Drained,
    /// A temporary error stopped a batch; the mutations before it got an answer.
    Stopped(Stopped),
    /// A push got no answer.
    Failed(TransportError),
}

impl<T: Transport> SyncEngine<T> {
    /// An engine resuming `state` (new or restored) over `transport`.
    pub fn new(transport: T, state: ClientState, config: SyncConfig) -> Self {
        Self { transport, config, state: Mutex::new(state), syncing: AtomicBool::new(false) }
    }

    /// The transport, to inspect it.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// A copy of the whole state, consistent at this instant, to persist.
    pub fn state(&self) -> ClientState {
        self.with_state(|s| s.clone())
    }

    /// Reads the state without copying it (the replica, the outbox, the rejections).
    pub fn read<R>(&self, read: impl FnOnce(&ClientState) -> R) -> R {
        self.with_state(|s| read(s))
    }

    /// Queues a write made at wall time `now_ms` against a row at `base_version` (`None` for
    /// an insert); returns its mutation id. The write and its outbox record are one step.
    pub fn enqueue(
        &self,
        name: &str,
        args: Value,
        base_version: Option<i64>,
        now_ms: u64,
    ) -> Result<i64, EnqueueError> {
        self.with_state(|s| s.enqueue(name, args, base_version, now_ms))
    }

    /// Forgets the rejection of mutation `id` once the person has seen it; returns it.
    pub fn dismiss_rejection(&self, id: i64) -> Option<Rejection> {
        self.with_state(|s| s.dismiss_rejection(id))
    }

    /// Runs one cycle: pushes the outbox in batches, then pulls until the server has no more.
    ///
    /// A push without an answer ends the cycle (the link is down, or a rejection might be
    /// unread: a pull must not acknowledge a mutation whose refusal was never seen). After a
    /// `stopped` batch the cycle still pulls, since every mutation before it was answered.
    pub async fn sync_once(&self) -> Result<SyncReport, AlreadySyncing> {
        let _running = Running::start(&self.syncing)?;
        let mut report = SyncReport::default();
        match self.push_outbox(&mut report).await {
            PushEnd::Drained => {}
            PushEnd::Stopped(stopped) => {
                report.failure = Some(SyncFailure::Stopped { id: stopped.id, code: stopped.code });
            }
            PushEnd::Failed(error) => {
                report.failure = Some(SyncFailure::Push(error));
                return Ok(report);
            }
        }
        if let Err(failure) = self.pull_all(&mut report).await {
            report.failure = Some(failure);
        }
        Ok(report)
    }

    /// Pushes every queued mutation, oldest first, in batches within the configured limits.
    async fn push_outbox(&self, report: &mut SyncReport) -> PushEnd {
        let schema_version = i64::from(self.config.schema_version.get());
        let max_count = self.config.max_push_mutations.clamp(1, MAX_MUTATIONS_PER_PUSH);
        let mut after = 0;
        loop {
            let request =
                self.with_state(|s| s.push_request(after, schema_version, max_count, self.config.max_push_bytes));
            let Some(request) = request else { return PushEnd::Drained };
            after = request.mutations.last().map_or(after, |m| m.id);
            report.pushed += request.mutations.len();
            let answer = match self.transport.push(request).await {
                Ok(answer) => answer,
                Err(error) => return PushEnd::Failed(error),
            };
            report.rejected += self.with_state(|s| s.record_push(&answer));
            report.applied += answer.applied.len();
            report.skipped += answer.skipped.len();
            report.update_required |= answer.update_required;
            if let Some(stopped) = answer.stopped {
                return PushEnd::Stopped(stopped);
            }
        }
    }

    /// Pulls pages until an answer says there is no more; a refused cookie is dropped and the
    /// pull starts over from the beginning; a scope that fails its checksum is pulled again
    /// from its start, once a cycle.
    async fn pull_all(&self, report: &mut SyncReport) -> Result<(), SyncFailure> {
        let mut repaired = false;
        for _ in 0..self.config.max_pull_pages {
            let schema_version = i64::from(self.config.schema_version.get());
            let request =
                self.with_state(|s| s.pull_request(self.config.max_pull_bytes, self.config.verify, schema_version));
            let asked = request.cookie.clone();
            let repair = request.repair.clone();
            match self.transport.pull(request).await {
                Ok(answer) => match self.with_state(|s| s.apply_pull(asked.as_deref(), &repair, answer)) {
                    Ok(page) => {
                        report.pages += 1;
                        report.mismatched += page.mismatched;
                        report.scope_resets += page.resets;
                        report.changes += page.changes;
                        report.acknowledged += page.acknowledged;
                        if !page.more && (page.mismatched == 0 || repaired) {
                            return Ok(());
                        }
                        repaired |= !page.more;
                    }
                    Err(StalePull) => report.stale_answers += 1,
                },
                Err(TransportError::InvalidCookie) => {
                    // Refused without a cookie, starting over cannot help.
                    let Some(asked) = asked else { return Err(SyncFailure::Pull(TransportError::InvalidCookie)) };
                    self.with_state(|s| s.forget_cookie(&asked));
                    report.cookie_resets += 1;
                }
                Err(error) => {
                    // Too old to pull: the outbox was still pushed; the app must be updated.
                    report.update_required |=
                        matches!(&error, TransportError::Refused { code, .. } if code == "client_outdated");
                    return Err(SyncFailure::Pull(error));
                }
            }
        }
        Err(SyncFailure::TooManyPages { pages: self.config.max_pull_pages })
    }

    /// Runs one step on the state under its lock; no step awaits.
    fn with_state<R>(&self, step: impl FnOnce(&mut ClientState) -> R) -> R {
        // Every step leaves the state whole before it could panic, so a poisoned lock still
        // guards a usable state.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        step(&mut state)
    }
}

/// Marks a cycle as running until dropped, also when the cycle's future is dropped midway.
struct Running<'a>(&'a AtomicBool);

impl<'a> Running<'a> {
    fn start(flag: &'a AtomicBool) -> Result<Self, AlreadySyncing> {
        flag.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).map_err(|_| AlreadySyncing)?;
        Ok(Self(flag))
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_cycle_runs_at_a_time() {
        let flag = AtomicBool::new(false);
        let running = Running::start(&flag).unwrap();
        assert!(Running::start(&flag).is_err());
        drop(running);
        assert!(Running::start(&flag).is_ok(), "the flag is released when the cycle ends");
    }
}

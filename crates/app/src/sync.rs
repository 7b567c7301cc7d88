//! The sync protocol's server side (`docs/SYNC.md`): a client pushes the mutations it queued
//! offline and pulls what changed in the scopes its principal reaches.
//!
//! - **Push.** Each queued mutation is one unit of work through the mutator registry
//!   ([`Mutation::parse`], [`App::run_unit`]): the client's `last_mutation_id` moves to the
//!   mutation's id in the same transaction as its effects, its changes are stamped with the
//!   client, mutation and HLC, so a mutation is applied exactly once however often it is sent.
//!   A permanent error (validation, permission, not found, a state that forbids it) is recorded
//!   as a rejection in a transaction of its own that also advances the id, so a queue never
//!   wedges on one bad entry; a temporary one (the database unavailable) stops the batch.
//! - **Pull.** One read snapshot: for the company scope and every vessel scope the principal
//!   reaches *now*, the changes after the cookie's position, in sequence order, each row
//!   filtered by the field policy for the person pulling ([`crate::policy::redact`]), paged by
//!   a byte budget. Scopes the principal no longer reaches are listed to clear. The cookie only
//!   records positions; access is recomputed on every pull, so a forged cookie reaches nothing.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bosun_domain::fields::FieldPolicy;
use bosun_domain::{CompanyId, Violation};
use bosun_store::{ChangeOrigin, Page, SyncRejection, Tx};
use serde::Serialize;
use uuid::Uuid;

use bosun_sync::checksum::{BucketSums, bucket};
use bosun_sync::protocol::{BucketRepair, ScopeReset, merge_fields};

use crate::conflicts::{SyncWrite, clamp_hlc, conflict_visible, format_hlc};
use crate::mutators::Mutation;
use crate::work::Effects;
use crate::{Actor, App, Audit, Error, Result, Violations};

/// The protocol version cookies carry (2: the compact binary cookie).
pub const PROTOCOL_VERSION: u32 = 2;
/// The most mutations one push may carry.
pub const MAX_MUTATIONS: usize = 500;
/// The most bytes of mutations one push may carry (the client engine batches to it).
pub const MAX_PUSH_BYTES: usize = 256 * 1024;
/// The byte budget of a pull when the client names none.
pub const DEFAULT_PULL_BYTES: u32 = 131_072;
/// The smallest and largest byte budget a client may ask for.
pub const PULL_BYTES: std::ops::RangeInclusive<u32> = 1_024..=262_144;
/// Changes read from a scope at a time while filling a pull.
const CHANGES_PER_READ: u32 = 256;

/// One mutation a client queued.
#[derive(Debug, Clone)]
pub struct QueuedMutation {
    /// The client's id for it: positive, increasing within the client.
    pub id: i64,
    /// The mutator (`report_fault.v1`).
    pub name: String,
    /// Its arguments.
    pub args: serde_json::Value,
    /// The client's hybrid logical clock when it was made.
    pub hlc: Option<String>,
    /// The version of the row it was made against (kept; per-field conflicts use it).
    pub base_version: Option<i64>,
}

/// A push: a client's queued mutations, in order.
#[derive(Debug, Clone)]
pub struct Push {
    /// The client (one replica on one device), made by the client.
    pub client_id: Uuid,
    /// The schema version the client was built for.
    pub schema_version: i64,
    /// The mutations; applied in id order.
    pub mutations: Vec<QueuedMutation>,
}

/// A mutation the server refused for good.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// The mutation's id.
    pub id: i64,
    /// The problem code, as an HTTP answer would give it.
    pub code: String,
    /// Why, for people.
    pub detail: String,
}

/// Where a push stopped early, to be sent again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stopped {
    /// The first mutation not applied.
    pub id: i64,
    /// Why (`unavailable`, `rate_limited`, `mutator_too_new`).
    pub code: String,
}

/// What became of a push.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Pushed {
    /// Every mutation at or below this id is applied or rejected.
    pub last_mutation_id: i64,
    /// Applied by this push.
    pub applied: Vec<i64>,
    /// Already applied or rejected before (by an earlier push, or a concurrent one).
    pub skipped: Vec<i64>,
    /// Refused for good, by this push or an earlier one (a lost answer hides no rejection).
    pub rejected: Vec<Rejected>,
    /// Set when the batch stopped early at a temporary error.
    pub stopped: Option<Stopped>,
    /// Conflicts this push recorded (the records arrive with the next pull).
    pub conflicts: Vec<Uuid>,
    /// The client is older than the oldest schema the server serves: its queue was applied,
    /// but it must update before it can pull (`client_outdated`).
    pub update_required: bool,
}

/// A pull request.
#[derive(Debug, Clone, Default)]
pub struct Pull {
    /// The client pulling, for its acknowledgements.
    pub client_id: Option<Uuid>,
    /// The cookie of the previous answer; `None` for a first pull.
    pub cookie: Option<String>,
    /// The most bytes of changes to answer (uncompressed JSON).
    pub max_bytes: Option<u32>,
    /// Answer the checksum of every scope held, not only of those this answer changes.
    pub verify: bool,
    /// Scopes whose replica failed its checksum: sent again from their start.
    pub repair: Vec<String>,
    /// For scopes in `repair`: the replica's 16 bucket sums; only the buckets that differ are
    /// sent again (all of them without).
    pub buckets: BTreeMap<String, Vec<String>>,
    /// The schema version the client was built for, when it says.
    pub schema_version: Option<i64>,
}

/// One change as a client receives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PulledChange {
    /// Its number in the scope.
    pub seq: i64,
    /// The kind of row (`fault`, `equipment`, ...).
    pub entity: &'static str,
    /// The row.
    pub id: Uuid,
    /// `insert`, `update` or `delete`.
    pub op: &'static str,
    /// The row's fields the person may read.
    pub fields: serde_json::Value,
}

/// A pull's answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Pulled {
    /// Send it with the next pull.
    pub cookie: String,
    /// Changes by scope, each in sequence order.
    pub changes: BTreeMap<String, Vec<PulledChange>>,
    /// Scopes the principal no longer reaches: delete their rows (keep the outbox).
    pub clear: Vec<String>,
    /// The pulling client's acknowledged mutations (only in an answer with `more: false`).
    pub last_mutation_ids: BTreeMap<Uuid, i64>,
    /// More changes wait: pull again at once.
    pub more: bool,
    /// In an answer with `more: false`: the checksum of the caller's view of each scope this
    /// answer changed (of every scope held when asked to verify), as its replica holds it now
    /// ([`bosun_sync::checksum`]).
    pub checksums: BTreeMap<String, String>,
    /// Scopes walked again from their start because the caller's position was below their
    /// horizon (a delete it may have missed was dropped), each with whether the walk ended in
    /// this answer (`docs/SYNC.md` "Resets").
    pub resets: BTreeMap<String, ScopeReset>,
    /// Scopes being repaired bucket by bucket: the buckets resent, and whether the repair
    /// ended in this answer.
    pub repairs: BTreeMap<String, BucketRepair>,
}

/// What a cookie records: positions, not rights.
///
/// Sent on every pull and answered by every pull, so it is small: base64url of a version
/// byte, the first 8 bytes of SHA-256(company ‖ principal) (a cookie is its principal's own),
/// then entries: per scope a kind byte (0 the company's scope, 1 a vessel's, followed by its
/// id's 16 bytes) and the last sequence number sent as an unsigned LEB128 varint; and the kind
/// byte 2 followed by the view the rows were sent for ([`FieldPolicy::fingerprint`]; absent
/// from cookies made before it was recorded). About 40 characters for a person on one vessel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Cookie {
    /// Protocol version.
    v: u32,
    /// Company.
    c: Uuid,
    /// Principal.
    p: Uuid,
    /// The last sequence number sent, by scope.
    s: BTreeMap<String, i64>,
    /// Scopes being walked again from their start (encoded as the kind byte's high bit).
    r: BTreeSet<String>,
    /// Scopes being repaired bucket by bucket: the buckets resent (a bit each) and the
    /// position the client held before (newer changes of the other buckets are sent too).
    /// Encoded as the kind byte's next bit, then the mask (2 bytes) and the position (varint)
    /// before the scope's own position.
    m: BTreeMap<String, (u16, i64)>,
    /// The view the rows were sent for ([`FieldPolicy::fingerprint`]).
    w: Option<u8>,
}

/// The kind byte of the view entry.
const VIEW: u8 = 2;

/// The kind byte's bit that marks a scope being walked again from its start.
const WALKING: u8 = 0x80;
/// The kind byte's bit that marks a scope being repaired bucket by bucket.
const REPAIRING: u8 = 0x40;

/// Appends a non-negative position as an unsigned LEB128 varint.
fn varint(bytes: &mut Vec<u8>, value: i64) -> Result<()> {
    let mut n = u64::try_from(value).map_err(|_| Error::Internal("sync cookie: a negative position".into()))?;
    loop {
        let low = u8::try_from(n & 0x7f).unwrap_or(0);
        n >>= 7;
        bytes.push(if n == 0 { low } else { low | 0x80 });
        if n == 0 {
            return Ok(());
        }
    }
}

/// Reads a varint written by [`varint`]: the value and the bytes it took.
fn read_varint(bytes: &[u8]) -> Option<(i64, usize)> {
    let (mut value, mut shift) = (0u64, 0u32);
    for (i, byte) in bytes.iter().enumerate() {
        if shift > 56 {
            return None;
        }
        value |= u64::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            return Some((i64::try_from(value).ok()?, i + 1));
        }
    }
    None
}

impl Cookie {
    fn binding(company: Uuid, principal: Uuid) -> [u8; 8] {
        use sha2::Digest;
        let digest = sha2::Sha256::new().chain_update(company.as_bytes()).chain_update(principal.as_bytes()).finalize();
        let mut out = [0u8; 8];
        out.copy_from_slice(&digest[..8]);
        out
    }

    fn encode(&self) -> Result<String> {
        let mut bytes = vec![u8::try_from(self.v).map_err(|_| Error::Internal("sync cookie version".into()))?];
        bytes.extend(Self::binding(self.c, self.p));
        if let Some(view) = self.w {
            bytes.extend([VIEW, view]);
        }
        let company = format!("company:{}", self.c);
        for (scope, seq) in &self.s {
            let walking = if self.r.contains(scope) { WALKING } else { 0 };
            let repair = self.m.get(scope);
            let flags = walking | if repair.is_some() { REPAIRING } else { 0 };
            if *scope == company {
                bytes.push(flags);
            } else if let Some(id) = scope.strip_prefix("vessel:").and_then(|v| Uuid::parse_str(v).ok()) {
                bytes.push(1 | flags);
                bytes.extend(id.as_bytes());
            } else {
                return Err(Error::Internal(format!("sync cookie: no encoding for scope {scope}")));
            }
            if let Some((mask, held)) = repair {
                bytes.extend(mask.to_be_bytes());
                varint(&mut bytes, *held)?;
            }
            varint(&mut bytes, *seq)?;
        }
        Ok(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Reads a cookie that `actor` was given; anything else is `invalid_cookie`.
    fn decode(text: &str, actor: &Actor) -> Result<Self> {
        let invalid = || {
            Error::from(Violation::new(
                "cookie",
                "invalid_cookie",
                "is not a cookie this server gave you; pull without one",
            ))
        };
        if text.len() > 65_536 {
            return Err(invalid());
        }
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
        let (company, principal) = (actor.company_id.0, actor.user_id.0);
        let (Some(&v), Some(binding)) = (bytes.first(), bytes.get(1..9)) else { return Err(invalid()) };
        if u32::from(v) != PROTOCOL_VERSION || binding != Self::binding(company, principal) {
            return Err(invalid());
        }
        let (mut s, mut r, mut m, mut w) = (BTreeMap::new(), BTreeSet::new(), BTreeMap::new(), None);
        let mut rest = &bytes[9..];
        while let Some((&kind, after)) = rest.split_first() {
            if kind == VIEW {
                let (&view, after) = after.split_first().ok_or_else(invalid)?;
                w = Some(view);
                rest = after;
                continue;
            }
            let (scope, after) = match kind & !(WALKING | REPAIRING) {
                0 => (format!("company:{company}"), after),
                1 if after.len() >= 16 => {
                    let id = Uuid::from_slice(&after[..16]).map_err(|_| invalid())?;
                    (format!("vessel:{id}"), &after[16..])
                }
                _ => return Err(invalid()),
            };
            let mut after = after;
            if kind & REPAIRING != 0 {
                let (Some(&hi), Some(&lo)) = (after.first(), after.get(1)) else { return Err(invalid()) };
                let (held, used) = read_varint(&after[2..]).ok_or_else(invalid)?;
                m.insert(scope.clone(), (u16::from_be_bytes([hi, lo]), held));
                after = &after[2 + used..];
            }
            let (seq, used) = read_varint(after).ok_or_else(invalid)?;
            if kind & WALKING != 0 {
                r.insert(scope.clone());
            }
            s.insert(scope, seq);
            rest = &after[used..];
        }
        Ok(Self { v: PROTOCOL_VERSION, c: company, p: principal, s, r, m, w })
    }
}

/// Fails (temporarily, so the push stops) when the client is below `after`, the id this push
/// already moved it to: the batch holding that earlier work failed to become durable and was
/// rolled back, and moving the client past it now would lose it for good.
pub(crate) async fn nothing_lost_before(
    tx: &mut Box<dyn Tx>,
    company: CompanyId,
    client: Uuid,
    after: Option<i64>,
) -> Result<()> {
    let Some(after) = after else { return Ok(()) };
    let now_at = tx.sync_client(company, client).await?.map_or(0, |c| c.last_mutation_id);
    if now_at < after {
        return Err(Error::Unavailable("an earlier write of this push was not made durable; push again".into()));
    }
    Ok(())
}

/// The error of a deferred unit whose batch failed to become durable, if one did (each is
/// polled once, never waited for).
fn batch_failed(deferred: &mut [crate::work::Deferred]) -> Option<bosun_store::StoreError> {
    use futures::FutureExt;
    deferred.iter_mut().find_map(|unit| {
        let _ = (&mut unit.durable).now_or_never();
        match std::pin::Pin::new(&mut unit.durable).output_mut() {
            Some(Err(e)) => Some(bosun_store::StoreError::Unavailable(e.to_string())),
            _ => None,
        }
    })
}

/// Makes every commit durable when dropped while armed (`Some`), on a task of its own.
struct FlushOnDrop(Option<std::sync::Arc<dyn bosun_store::Store>>);

impl Drop for FlushOnDrop {
    fn drop(&mut self) {
        if let Some(store) = self.0.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                if let Err(e) = store.flush().await {
                    tracing::warn!(error = %e, "a sync push's writes could not be made durable");
                }
            });
        }
    }
}

/// The problem code and detail a refused mutation is recorded with, as its HTTP answer would
/// give them; `None` for a temporary error, which stops the batch instead.
fn rejection_of(e: &Error) -> Option<(String, String)> {
    let (code, detail) = match e {
        Error::Unavailable(_) | Error::RateLimited { .. } | Error::TooMany { .. } | Error::TooManyAttempts { .. } => {
            return None;
        }
        Error::NotFound => ("not_found".to_owned(), "the record does not exist or is out of your reach".to_owned()),
        Error::Conflict { code, message } => ((*code).to_owned(), message.clone()),
        Error::Invalid(violations) => (
            if violations.iter().any(|v| v.code == "unknown_mutator") {
                "unknown_mutator"
            } else {
                "validation_failed"
            }
            .to_owned(),
            violations
                .iter()
                .map(|v| format!("{}: {} ({})", v.field, v.message, v.code))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Error::Forbidden | Error::Refused(_) => ("forbidden".to_owned(), "your role does not allow this".to_owned()),
        Error::MfaEnrollmentRequired => {
            ("mfa_enrollment_required".to_owned(), "set up a second factor first".to_owned())
        }
        Error::Unauthorized { code, message } => ((*code).to_owned(), (*message).to_owned()),
        Error::CompanyRequired { .. } => ("company_required".to_owned(), "choose a company".to_owned()),
        Error::TooLarge { code, limit } => ((*code).to_owned(), format!("at most {limit} bytes")),
        Error::BodyUnreadable(_) => ("bad_request".to_owned(), "the arguments could not be read".to_owned()),
        Error::UnsupportedType { code, message } => ((*code).to_owned(), message.clone()),
        // A bug must not wedge a crew's queue: it is recorded (and logged) like any refusal.
        Error::Internal(m) => {
            tracing::error!(error = %m, "a queued mutation failed with an internal error");
            ("internal".to_owned(), "the server failed to apply this mutation".to_owned())
        }
    };
    Some((code, detail))
}

/// Whether `name` is a later version of a mutator this server knows (`report_fault.v9` while
/// it knows `report_fault.v1`): the client is newer than the server.
fn is_too_new(name: &str) -> bool {
    let version = |n: &str| -> Option<(String, u32)> {
        let (base, v) = n.rsplit_once(".v")?;
        Some((base.to_owned(), v.parse().ok()?))
    };
    let Some((base, wanted)) = version(name) else { return false };
    let known = crate::mutators::NAMES.iter().filter_map(|n| version(n)).filter(|(b, _)| *b == base);
    known.clone().next().is_some() && known.map(|(_, v)| v).max().is_some_and(|newest| wanted > newest)
}

/// The problem code of a temporary error.
fn temporary_code(e: &Error) -> &'static str {
    match e {
        Error::RateLimited { .. } => "rate_limited",
        Error::TooMany { code, .. } => code,
        Error::TooManyAttempts { .. } => "too_many_attempts",
        _ => "unavailable",
    }
}

/// Checks a push's schema version and size and puts its mutations in id order (a repeated id is then skipped as
/// already applied).
fn check_push(p: &mut Push) -> Result<()> {
    if !(1..=1_000_000).contains(&p.schema_version) {
        return Err(Violation::new("schema_version", "out_of_range", "must be between 1 and 1000000").into());
    }
    if p.mutations.len() > MAX_MUTATIONS {
        return Err(Violation::new("mutations", "too_many", format!("at most {MAX_MUTATIONS} a push")).into());
    }
    // A batch is at most 256 KiB of mutations (their arguments, names and clocks; what a
    // client counts, JSON punctuation included, is never less).
    let bytes: usize = p
        .mutations
        .iter()
        .map(|m| {
            serde_json::to_vec(&m.args).map_or(0, |a| a.len()) + m.name.len() + m.hlc.as_ref().map_or(0, String::len)
        })
        .sum();
    if bytes > MAX_PUSH_BYTES {
        return Err(Violation::new("mutations", "too_large", format!("at most {MAX_PUSH_BYTES} bytes a push")).into());
    }
    let mut v = Violations::default();
    for (i, m) in p.mutations.iter().enumerate() {
        let field = |name: &str| format!("mutations[{i}].{name}");
        if m.id < 1 {
            v.check::<()>(Err(Violation::new(field("id"), "out_of_range", "must be at least 1")));
        }
        if m.name.is_empty() || m.name.chars().count() > 100 {
            v.check::<()>(Err(Violation::new(field("name"), "invalid_length", "must have 1 to 100 characters")));
        }
        if !m.args.is_object() {
            v.check::<()>(Err(Violation::new(field("args"), "invalid_type", "must be an object")));
        }
        if m.hlc.as_ref().is_some_and(|h| h.chars().count() > 64) {
            v.check::<()>(Err(Violation::new(field("hlc"), "too_long", "must have at most 64 characters")));
        }
        if m.base_version.is_some_and(|b| b < 0) {
            v.check::<()>(Err(Violation::new(field("base_version"), "out_of_range", "must be at least 0")));
        }
    }
    v.finish()?;
    p.mutations.sort_by_key(|m| m.id);
    Ok(())
}

impl App {
    /// Applies a client's queued mutations, each exactly once (see the module documentation).
    pub async fn sync_push(&self, actor: &Actor, mut push: Push) -> Result<Pushed> {
        check_push(&mut push)?;
        let company = actor.company_id;
        let client = push.client_id;
        // Registered on first use; read back after registering, so that of two principals
        // registering one client id at once only the first (whose row stands) goes on.
        let mut tx = self.store.begin(Some(company)).await?;
        if tx.sync_client(company, client).await?.is_none() {
            tx.register_sync_client(company, client, actor.user_id.0, self.clock.now()).await?;
        }
        let bound = tx.sync_client(company, client).await?.map(|c| c.user_id);
        tx.commit().await?;
        if bound != Some(actor.user_id.0) {
            return Err(Error::Conflict {
                code: "client_mismatch",
                message: "this client id belongs to someone else; make a new one".into(),
            });
        }
        let mut out =
            Pushed { update_required: push.schema_version < self.sync.min_schema_version, ..Pushed::default() };
        let received = self.clock.now();
        // The units commit without waiting for durability and are made durable together
        // before the answer (one fsync a push on SQLite rather than one a mutation): nothing is
        // acknowledged, published or read back before it is durable.
        let mut deferred = Vec::new();
        // Whatever ends this push early (an error, the client hanging up and the request being
        // dropped), what it committed is made durable rather than left in an open batch.
        let mut guard = FlushOnDrop(Some(self.store.clone()));
        let mut moved_to = None;
        for m in &push.mutations {
            if is_too_new(&m.name) {
                // A newer client's mutator this server does not know yet: kept for when it does
                // (shore upgrades before vessels), never refused for good.
                out.stopped = Some(Stopped { id: m.id, code: "mutator_too_new".to_owned() });
                break;
            }
            let hlc = clamp_hlc(m.hlc.as_deref(), received);
            let write = SyncWrite {
                origin: ChangeOrigin { client_id: client, mutation_id: m.id, hlc: Some(format_hlc(hlc)) },
                hlc,
                base_version: m.base_version,
                name: m.name.clone(),
                args: m.args.clone(),
                after: moved_to,
            };
            let applied = if self.sync.retired_mutators.contains(&m.name) {
                Err(Error::Conflict {
                    code: "mutator_retired",
                    message: format!("{} is no longer accepted: update the app and make the change again", m.name),
                })
            } else {
                match Mutation::parse(&m.name, m.args.clone()) {
                    Ok(mutation) => self.run_unit(actor, &mutation, Some(&write), Some(&mut deferred)).await,
                    Err(e) => Err(e),
                }
            };
            // A batch that failed to become durable rolled back the units in it: stop before a
            // later unit moves the client past them.
            if let Some(e) = batch_failed(&mut deferred) {
                return Err(e.into());
            }
            match applied {
                Ok(Some(((), conflicts))) => {
                    out.applied.push(m.id);
                    out.conflicts.extend(conflicts);
                    moved_to = Some(m.id);
                }
                Ok(None) => out.skipped.push(m.id),
                Err(e) => match rejection_of(&e) {
                    None => {
                        out.stopped = Some(Stopped { id: m.id, code: temporary_code(&e).to_owned() });
                        break;
                    }
                    Some((code, detail)) => {
                        if self.reject(actor, client, m, (&code, &detail), moved_to, &mut deferred).await? {
                            moved_to = Some(m.id);
                            out.rejected.push(Rejected { id: m.id, code, detail });
                        } else {
                            out.skipped.push(m.id);
                        }
                    }
                },
            }
        }
        self.store.flush().await?;
        guard.0 = None;
        let mut effects = Vec::with_capacity(deferred.len());
        for mut unit in deferred {
            (&mut unit.durable).await;
            if let Some(Err(e)) = std::pin::Pin::new(&mut unit.durable).take_output() {
                return Err(e.into());
            }
            effects.push(unit.effects);
        }
        for e in effects {
            e.run(self).await;
        }
        let mut tx = self.store.begin_read(Some(company)).await?;
        out.last_mutation_id = tx.sync_client(company, client).await?.map_or(0, |c| c.last_mutation_id);
        // A rejection an earlier push recorded is told again: its answer may have been lost.
        if let (Some(first), Some(last)) = (out.skipped.first(), out.skipped.last()) {
            for r in tx.sync_rejections(company, client, *first, *last).await? {
                if out.skipped.contains(&r.mutation_id) {
                    out.skipped.retain(|id| *id != r.mutation_id);
                    out.rejected.push(Rejected { id: r.mutation_id, code: r.code, detail: r.detail });
                }
            }
            out.rejected.sort_by_key(|r| r.id);
        }
        Ok(out)
    }

    /// Records a refused mutation and moves the client past it, audited; `false` when another
    /// transaction moved the client past it first.
    async fn reject(
        &self,
        actor: &Actor,
        client: Uuid,
        m: &QueuedMutation,
        (code, detail): (&str, &str),
        after: Option<i64>,
        deferred: &mut Vec<crate::work::Deferred>,
    ) -> Result<bool> {
        let company = actor.company_id;
        let now = self.clock.now();
        let mut tx = self.store.begin(Some(company)).await?;
        nothing_lost_before(&mut tx, company, client, after).await?;
        if !tx.advance_sync_client(company, client, m.id, now).await? {
            return Ok(false);
        }
        let rejection = SyncRejection {
            client_id: client,
            mutation_id: m.id,
            name: m.name.clone(),
            args: m.args.clone(),
            code: code.to_owned(),
            detail: detail.to_owned(),
            at: now,
        };
        tx.insert_sync_rejection(company, &rejection).await?;
        let what = serde_json::json!({ "name": m.name, "code": code, "detail": detail });
        self.deps
            .audit(
                &mut tx,
                company,
                Some(actor.user_id),
                &actor.meta,
                Audit::failed("sync.reject", "sync_mutation", Some(format!("{client}/{}", m.id))).after(what),
            )
            .await?;
        let durable = futures::future::maybe_done(tx.commit_later().await?);
        deferred.push(crate::work::Deferred { durable, effects: Effects::default() });
        Ok(true)
    }

    /// What changed in the scopes `actor` reaches since the cookie (see the module
    /// documentation).
    pub async fn sync_pull(&self, actor: &Actor, pull: Pull) -> Result<Pulled> {
        let budget = pull.max_bytes.unwrap_or(DEFAULT_PULL_BYTES);
        if !PULL_BYTES.contains(&budget) {
            return Err(Violation::new(
                "max_bytes",
                "out_of_range",
                format!("must be between {} and {}", PULL_BYTES.start(), PULL_BYTES.end()),
            )
            .into());
        }
        let oldest = self.sync.min_schema_version;
        if pull.schema_version.is_some_and(|v| !(1..=1_000_000).contains(&v)) {
            return Err(Violation::new("schema_version", "out_of_range", "must be between 1 and 1000000").into());
        }
        if pull.schema_version.is_some_and(|v| v < oldest) {
            return Err(Error::Conflict {
                code: "client_outdated",
                message: format!(
                    "this app's schema is older than the oldest served ({oldest}): update it; its queued changes are still taken"
                ),
            });
        }
        if pull.repair.len() > 1_000 {
            return Err(Violation::new("repair", "too_many", "at most 1000 scopes").into());
        }
        // Scope names only; one the caller no longer holds is ignored (its access was lost).
        let scope_name = |s: &str| {
            s.split_once(':')
                .is_some_and(|(kind, id)| matches!(kind, "company" | "vessel") && Uuid::parse_str(id).is_ok())
        };
        if let Some(bad) = pull.repair.iter().position(|s| !scope_name(s)) {
            return Err(Violation::new(
                format!("repair[{bad}]"),
                "invalid_scope",
                "must be company:{id} or vessel:{id}",
            )
            .into());
        }
        if pull.buckets.len() > 1_000 {
            return Err(Violation::new("buckets", "too_many", "at most 1000 scopes").into());
        }
        let mut v = Violations::default();
        // Sums of a scope not being repaired are ignored (a hint nobody asked for).
        for (scope, sums) in pull.buckets.iter().filter(|(s, _)| pull.repair.contains(s)) {
            let hex = |t: &String| t.len() == 16 && t.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            if sums.len() != bosun_sync::checksum::BUCKETS || !sums.iter().all(hex) {
                v.check::<()>(Err(Violation::new(
                    format!("buckets.{scope}"),
                    "invalid_sums",
                    "must be 16 sums of 16 lowercase hex digits",
                )));
            }
        }
        v.finish()?;
        let cookie = match &pull.cookie {
            Some(text) => Cookie::decode(text, actor)?,
            None => Cookie { v: PROTOCOL_VERSION, c: actor.company_id.0, p: actor.user_id.0, ..Cookie::default() },
        };
        let company = actor.company_id;
        let mut tx = self.store.begin_read(Some(company)).await?;
        let scopes = self.scopes_of(&mut tx, actor).await?;
        let seen = Visibility::of(actor);
        let mut out = Pulled::default();
        // Every scope held keeps its position, also those this answer does not reach; a scope
        // to repair starts again from its beginning.
        let mut cookie = cookie;
        // Rows sent for another view (the person's role changed since): every scope held is
        // sent again whole, as a repair of all its buckets, so the device drops what it may no
        // longer read and receives what it now may (docs/SYNC.md "Scopes").
        // A position past a scope's head means this database went back (it was restored from
        // a copy): the device holds changes it no longer has, and numbers it will give again.
        // That scope is sent again whole the same way.
        let view = seen.policy.fingerprint();
        let view_changed = cookie.w.is_some_and(|w| w != view);
        let marks = tx.scope_marks(company).await?;
        let resend: Vec<(String, i64)> = cookie
            .s
            .iter()
            .filter(|(s, at)| scopes.contains(*s) && **at > 0)
            .filter_map(|(s, at)| {
                let went_back = *at > marks.get(s).map_or(0, |m| m.head);
                (view_changed || went_back).then(|| (s.clone(), if went_back { 0 } else { *at }))
            })
            .collect();
        for (scope, held) in resend {
            cookie.m.insert(scope.clone(), (u16::MAX, held));
            cookie.s.remove(&scope);
            cookie.r.remove(&scope);
        }
        for scope in &pull.repair {
            // With its bucket sums, only the buckets that differ are resent (from the scope's
            // start), with what changed after the client's position in the others.
            if let Some(sums) = pull.buckets.get(scope)
                && scopes.contains(scope)
            {
                let differ = bucket_sums(&mut tx, company, scope, &seen, actor).await?.differing(sums);
                let mask = differ.iter().fold(0u16, |m, b| m | 1 << b);
                let held = cookie.s.get(scope).copied().unwrap_or(0);
                cookie.m.insert(scope.clone(), (mask, held));
            } else {
                cookie.m.remove(scope);
            }
            cookie.s.remove(scope);
            cookie.r.remove(scope);
        }
        // A position below a scope's horizon may have missed a delete that compaction dropped:
        // that scope (only) is walked again from its start, the walk marked in the cookie so a
        // lost answer resumes it where it was.
        let mut walking = BTreeSet::new();
        for scope in &scopes {
            let at = cookie.s.get(scope).copied().unwrap_or(0);
            let horizon = marks.get(scope).map_or(0, |m| m.horizon);
            if cookie.r.contains(scope) {
                walking.insert(scope.clone());
            } else if at > 0 && at < horizon {
                cookie.s.insert(scope.clone(), 0);
                walking.insert(scope.clone());
            }
        }
        out.resets = walking.iter().map(|s| (s.clone(), ScopeReset { done: false })).collect();
        let positions = scopes.iter().map(|s| (s.clone(), cookie.s.get(s).copied().unwrap_or(0))).collect();
        let repairing: BTreeMap<String, (u16, i64)> =
            cookie.m.iter().filter(|(s, _)| scopes.contains(s)).map(|(s, m)| (s.clone(), *m)).collect();
        out.repairs = repairing
            .iter()
            .map(|(s, (mask, _))| {
                let buckets = (0u8..16).filter(|b| mask & (1 << b) != 0).collect();
                (s.clone(), BucketRepair { buckets, done: false })
            })
            .collect();
        let mut next = Cookie { s: positions, r: walking, m: repairing, w: Some(view), ..cookie.clone() };
        out.clear = cookie.s.keys().filter(|s| !scopes.contains(s)).cloned().collect();
        let mut left = usize::try_from(budget).unwrap_or(usize::MAX);
        let mut sent_any = false;
        'scopes: for scope in &scopes {
            let mut after = cookie.s.get(scope).copied().unwrap_or(0);
            loop {
                let page = tx.changes_since(company, scope, after, CHANGES_PER_READ).await?;
                let full = page.len() == usize::try_from(CHANGES_PER_READ).unwrap_or(usize::MAX);
                let repair = next.m.get(scope).copied();
                for (seq, mut c) in page {
                    // A bucket repair resends its buckets and what the client has not seen yet.
                    let skipped =
                        repair.is_some_and(|(mask, held)| seq <= held && mask & (1 << bucket(c.entity, c.row_id)) == 0);
                    if skipped {
                        after = seq;
                        next.s.insert(scope.clone(), after);
                        continue;
                    }
                    if let Some(fields) = seen.fields_of(actor, &mut c) {
                        let change = PulledChange { seq, entity: c.entity, id: c.row_id, op: c.op, fields };
                        let size = serde_json::to_vec(&change).map_or(0, |b| b.len());
                        if sent_any && size > left {
                            out.more = true;
                            break 'scopes;
                        }
                        left = left.saturating_sub(size);
                        sent_any = true;
                        out.changes.entry(scope.clone()).or_default().push(change);
                    }
                    after = seq;
                    next.s.insert(scope.clone(), after);
                }
                if !full {
                    break;
                }
            }
            // The scope was read to its head: a walk of it ends here, and the position is at
            // least the horizon (the last changes may have been deletes that were dropped),
            // so the next pull does not take it for one that missed them.
            if next.r.remove(scope) {
                out.resets.insert(scope.clone(), ScopeReset { done: true });
            }
            if next.m.remove(scope).is_some()
                && let Some(r) = out.repairs.get_mut(scope)
            {
                r.done = true;
            }
            let horizon = marks.get(scope).map_or(0, |m| m.horizon);
            if let Some(at) = next.s.get_mut(scope)
                && *at < horizon
            {
                *at = horizon;
            }
        }
        if !out.more {
            for scope in &scopes {
                if pull.verify || out.changes.contains_key(scope) || pull.repair.contains(scope) {
                    let sum = checksum(&mut tx, company, scope, &seen, actor).await?;
                    out.checksums.insert(scope.clone(), sum);
                }
            }
        }
        if !out.more
            && let Some(client) = pull.client_id
            && let Some(c) = tx.sync_client(company, client).await?
            && c.user_id == actor.user_id.0
        {
            out.last_mutation_ids.insert(client, c.last_mutation_id);
        }
        out.cookie = next.encode()?;
        Ok(out)
    }

    /// The scopes `actor` holds now: the company's, then each vessel it reaches, by name.
    async fn scopes_of(&self, tx: &mut Box<dyn Tx>, actor: &Actor) -> Result<Vec<String>> {
        let company = actor.company_id;
        let vessels = match self.deps.reach(actor) {
            Some(reach) => tx.reachable_vessel_ids(company, reach).await?,
            None => every_vessel(tx, company).await?,
        };
        let mut scopes: Vec<String> = vessels.iter().map(|v| format!("vessel:{v}")).collect();
        scopes.sort();
        scopes.insert(0, format!("company:{company}"));
        Ok(scopes)
    }
}

/// What of the change log a principal may receive: the field policy of their role, the
/// people directory only with `user.list`, handover drafts only their own, conflicts only on
/// fields they may read.
struct Visibility {
    policy: FieldPolicy,
    sees_people: bool,
}

impl Visibility {
    fn of(actor: &Actor) -> Self {
        Self { policy: FieldPolicy::of(actor.role), sees_people: FieldPolicy::of(actor.role).reads_people() }
    }

    /// The change's fields as `actor` may receive them (taken out of the change); `None` when
    /// the row is not theirs to see (its position still moves).
    fn fields_of(&self, actor: &Actor, c: &mut bosun_store::Change) -> Option<serde_json::Value> {
        let private = c.entity == "handover_draft" && c.row_id != actor.user_id.0;
        let field_of = |name: &str| c.fields.get(name).and_then(|v| v.as_str()).unwrap_or_default();
        let hidden = (c.entity == "membership" && !self.sees_people)
            || (c.entity == "sync_conflict"
                && !conflict_visible(
                    self.policy,
                    actor.user_id.0,
                    field_of("entity"),
                    field_of("row_id"),
                    field_of("field"),
                ));
        if private || hidden {
            return None;
        }
        let mut fields = std::mem::take(&mut c.fields);
        crate::policy::redact(self.policy, c.entity, &mut fields);
        Some(fields)
    }
}

/// The checksum of `scope` as `actor`'s replica holds it once it has every change up to the
/// snapshot's head: the scope's log folded the way a client applies it (an insert puts the
/// row, an update writes the fields it carries, a delete removes it), each change filtered as
/// the pull filters it. Reads the scope's whole log (about one change per row once compacted).
async fn checksum(
    tx: &mut Box<dyn Tx>,
    company: CompanyId,
    scope: &str,
    seen: &Visibility,
    actor: &Actor,
) -> Result<String> {
    Ok(bucket_sums(tx, company, scope, seen, actor).await?.total().hex())
}

/// The checksum of `scope` per bucket (their sum is the scope's [`checksum`]).
async fn bucket_sums(
    tx: &mut Box<dyn Tx>,
    company: CompanyId,
    scope: &str,
    seen: &Visibility,
    actor: &Actor,
) -> Result<BucketSums> {
    let mut sums = BucketSums::default();
    for ((entity, id), fields) in &view_of(tx, company, scope, seen, actor).await? {
        sums.add(entity, *id, fields);
    }
    Ok(sums)
}

/// The rows of `scope` as `actor`'s replica holds them once it has every change: the scope's
/// log folded through the pull's own filter.
async fn view_of(
    tx: &mut Box<dyn Tx>,
    company: CompanyId,
    scope: &str,
    seen: &Visibility,
    actor: &Actor,
) -> Result<BTreeMap<(&'static str, Uuid), serde_json::Value>> {
    const READ: u32 = 1_000;
    let mut rows: BTreeMap<(&'static str, Uuid), serde_json::Value> = BTreeMap::new();
    let mut after = 0;
    loop {
        // Read until a page comes back empty: the store may cap a page below what was asked.
        let page = tx.changes_since(company, scope, after, READ).await?;
        let done = page.is_empty();
        for (seq, mut c) in page {
            after = seq;
            let Some(fields) = seen.fields_of(actor, &mut c) else { continue };
            let key = (c.entity, c.row_id);
            match c.op {
                "delete" => {
                    rows.remove(&key);
                }
                "insert" => {
                    rows.insert(key, fields);
                }
                _ => merge_fields(rows.entry(key).or_insert(serde_json::Value::Null), &fields),
            }
        }
        if done {
            break;
        }
    }
    Ok(rows)
}

/// Every live vessel of the company.
async fn every_vessel(tx: &mut Box<dyn Tx>, company: CompanyId) -> Result<Vec<bosun_domain::VesselId>> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = tx.list_vessels(company, None, Page { after, limit: 1000 }).await?;
        let done = page.len() < 1000;
        after = page.last().map(|v| v.id);
        out.extend(page.into_iter().map(|v| v.id));
        if done {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(ids: &[i64]) -> Push {
        Push {
            client_id: Uuid::nil(),
            schema_version: 1,
            mutations: ids
                .iter()
                .map(|id| QueuedMutation {
                    id: *id,
                    name: "comment_fault.v1".into(),
                    args: serde_json::json!({}),
                    hlc: None,
                    base_version: None,
                })
                .collect(),
        }
    }

    #[test]
    fn a_cookie_is_small_round_trips_and_is_its_principals_own() {
        use bosun_domain::person::Role;
        let actor = |user: u128| {
            Actor::system(CompanyId(Uuid::from_u128(1)), bosun_domain::UserId(Uuid::from_u128(user)), Role::Engineer)
        };
        let me = actor(2);
        let vessel = format!("vessel:{}", Uuid::from_u128(3));
        let c = Cookie {
            v: PROTOCOL_VERSION,
            c: me.company_id.0,
            p: me.user_id.0,
            s: BTreeMap::from([(format!("company:{}", me.company_id.0), 7), (vessel.clone(), 300_000)]),
            r: BTreeSet::new(),
            m: BTreeMap::new(),
            w: Some(0x81),
        };
        let text = c.encode().unwrap();
        assert!(text.len() <= 52, "{} characters: {text}", text.len());
        assert_eq!(Cookie::decode(&text, &me).unwrap(), c);
        // A scope being walked again keeps that mark, in the same size.
        let walking = Cookie { r: BTreeSet::from([vessel.clone()]), ..c.clone() };
        let marked = walking.encode().unwrap();
        assert_eq!((marked.len(), Cookie::decode(&marked, &me).unwrap()), (text.len(), walking));
        let repairing = Cookie { m: BTreeMap::from([(vessel.clone(), (0b1000_0000_0000_0101, 299_999))]), ..c.clone() };
        assert_eq!(Cookie::decode(&repairing.encode().unwrap(), &me).unwrap(), repairing);
        // One made before the view was recorded still reads, without a view.
        let older = Cookie { w: None, ..c.clone() };
        assert_eq!(Cookie::decode(&older.encode().unwrap(), &me).unwrap(), older);
        assert!(Cookie::decode(&text, &actor(9)).is_err(), "another principal's");
        for bad in ["", "AA", &text[..text.len() - 1], "eyJ2IjoxfQ"] {
            assert!(Cookie::decode(bad, &me).is_err(), "{bad:?} was read");
        }
    }

    #[test]
    fn mutations_run_in_id_order_and_a_push_is_bounded() {
        let mut p = push(&[3, 1, 2, 2]);
        check_push(&mut p).unwrap();
        assert_eq!(p.mutations.iter().map(|m| m.id).collect::<Vec<_>>(), [1, 2, 2, 3]);
        let mut big = push(&(1..=501).collect::<Vec<_>>());
        let Err(Error::Invalid(v)) = check_push(&mut big) else { panic!("501 mutations were accepted") };
        assert_eq!(v[0].code, "too_many");
        let mut heavy = push(&[1, 2]);
        for m in &mut heavy.mutations {
            m.args = serde_json::json!({ "body": "x".repeat(MAX_PUSH_BYTES / 2) });
        }
        let Err(Error::Invalid(v)) = check_push(&mut heavy) else { panic!("a push over 256 KiB was accepted") };
        assert_eq!((v[0].field.as_str(), v[0].code), ("mutations", "too_large"));
        heavy.mutations.truncate(1);
        check_push(&mut heavy).expect("one half-size mutation fits");
    }

    #[test]
    fn a_later_version_of_a_known_mutator_is_too_new_an_unknown_name_is_not() {
        assert!(is_too_new("report_fault.v2"));
        assert!(!is_too_new("report_fault.v1"), "known");
        assert!(!is_too_new("sink_the_ship.v9"), "unknown: rejected, not waited for");
        assert!(!is_too_new("report_fault"), "no version");
        assert!(!is_too_new("report_fault.vx"));
    }

    #[test]
    fn temporary_errors_stop_and_the_rest_are_recorded() {
        assert_eq!(rejection_of(&Error::Unavailable("down".into())), None);
        assert_eq!(rejection_of(&Error::NotFound).map(|r| r.0), Some("not_found".into()));
        let conflict = Error::Conflict { code: "fault_resolved", message: "resolved".into() };
        assert_eq!(rejection_of(&conflict), Some(("fault_resolved".into(), "resolved".into())));
        assert_eq!(rejection_of(&Error::Forbidden).map(|r| r.0), Some("forbidden".into()));
        assert_eq!(rejection_of(&Error::Internal("bug".into())).map(|r| r.0), Some("internal".into()));
    }
}

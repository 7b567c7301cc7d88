//! Who receives which live event. A subscriber is a signed-in person; they receive the events
//! of their own company only, and, in a vessel-scoped role (engineer, crew, viewer), only those
//! of vessels they are members of. Session, role and memberships are re-read while the
//! connection lives (see [`LiveService::recheck_before_forwarding`]), so a logout, a disabled
//! person, a role change or a rotation ending applies within seconds.
//!
//! Connections are counted per person and per company in this process ([`ConnectionSlot`]);
//! past `live.max_connections_per_person` or `live.max_connections_per_company` a new one is
//! refused, so one account cannot hold an unbounded number of sockets and re-checks.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bosun_domain::permissions::Action;
use bosun_domain::{CompanyId, UserId, VesselId};
use chrono::{DateTime, Utc};
use tokio::sync::broadcast;

use crate::accounts::auth::AuthService;
use crate::config::LiveConfig;
use crate::realtime::LiveEvent;
use crate::{Actor, Deps, Error, Result};

/// How often a connection re-reads its subscriber's standing while idle.
pub const RECHECK_EVERY: Duration = Duration::from_secs(5);

/// How old the standing may be when events are about to be forwarded; older, it is read again
/// first, so an event never goes out on a standing more than this stale.
pub const TRUST_FOR: Duration = Duration::from_secs(1);

/// One subscriber and what they may see.
#[derive(Debug, Clone)]
pub struct Audience {
    /// Who, as they stood at the last check.
    pub actor: Actor,
    /// The vessels they may see; `None` for every vessel of the company.
    vessels: Option<HashSet<VesselId>>,
    /// When the standing was read (the injected clock's time).
    checked_at: DateTime<Utc>,
}

impl Audience {
    /// Whether `event` may reach this subscriber.
    pub fn may_see(&self, event: &LiveEvent) -> bool {
        self.is_of_company(event)
            && match (&self.vessels, event.vessel_id) {
                (Some(vessels), Some(v)) => vessels.contains(&v),
                // Fleet-wide roles see every vessel; the company's own scope is everyone's.
                (None, _) | (_, None) => true,
            }
    }

    /// Whether `event` belongs to the subscriber's company: the only events that could reach
    /// them, whatever their vessels are now.
    fn is_of_company(&self, event: &LiveEvent) -> bool {
        event.company_id == self.actor.company_id
    }

    /// Whether the standing was read more than `age` before `now`.
    fn is_stale(&self, now: DateTime<Utc>, age: Duration) -> bool {
        (now - self.checked_at).to_std().is_ok_and(|elapsed| elapsed > age)
    }
}

/// The live connections of this process, by person and by company.
#[derive(Debug, Default)]
struct Connections {
    by_person: HashMap<(CompanyId, UserId), usize>,
    by_company: HashMap<CompanyId, usize>,
}

/// A place among the live connections, given back when dropped, however the connection ends
/// (closed by either side, an error, or the upgrade never completing).
#[derive(Debug)]
pub struct ConnectionSlot {
    connections: Arc<Mutex<Connections>>,
    company: CompanyId,
    user: UserId,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut c = self.connections.lock().unwrap_or_else(PoisonError::into_inner);
        let person = (self.company, self.user);
        if let Some(n) = c.by_person.get_mut(&person) {
            *n -= 1;
            if *n == 0 {
                c.by_person.remove(&person);
            }
        }
        if let Some(n) = c.by_company.get_mut(&self.company) {
            *n -= 1;
            if *n == 0 {
                c.by_company.remove(&self.company);
            }
        }
    }
}

/// Live-event subscriptions.
#[derive(Clone)]
pub struct LiveService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
    pub(crate) auth: AuthService,
    pub(crate) limits: LiveConfig,
    connections: Arc<Mutex<Connections>>,
    counts: Arc<Counters>,
}

#[derive(Debug, Default)]
struct Counters {
    events_examined: AtomicU64,
    rechecks_before_forwarding: AtomicU64,
}

/// What the connections of this process did, since start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveCounts {
    /// Events taken from the hub and judged (forwarded or not), over every connection.
    pub events_examined: u64,
    /// Standings re-read before forwarding events (not counting the idle re-checks).
    pub rechecks_before_forwarding: u64,
}

impl LiveService {
    /// Subscriptions over `deps`, capped as `limits` says.
    pub fn new(deps: Deps, auth: AuthService, limits: LiveConfig) -> Self {
        Self { deps, auth, limits, connections: Arc::default(), counts: Arc::default() }
    }

    /// Opens a subscription for an authenticated caller (`events.subscribe`).
    pub async fn open(&self, actor: Actor) -> Result<Audience> {
        self.deps.authorize(&actor, Action::EventsSubscribe, "events", None).await?;
        let vessels = self.vessels_of(&actor).await?;
        Ok(Audience { actor, vessels, checked_at: self.deps.clock.now() })
    }

    /// Takes a place for one more connection of `actor`, or `TooMany` when they, or their
    /// company, hold as many as allowed.
    pub fn admit(&self, actor: &Actor) -> Result<ConnectionSlot> {
        let mut c = self.connections.lock().unwrap_or_else(PoisonError::into_inner);
        let person = (actor.company_id, actor.user_id);
        let (mine, ours) =
            (c.by_person.get(&person).copied().unwrap_or(0), c.by_company.get(&actor.company_id).copied().unwrap_or(0));
        let refused = if mine >= self.limits.max_connections_per_person {
            Some(format!("you hold {mine} live connections, the most one person may; close one first"))
        } else if ours >= self.limits.max_connections_per_company {
            Some(format!("your company holds {ours} live connections, the most it may"))
        } else {
            None
        };
        if let Some(message) = refused {
            return Err(Error::TooMany { code: "too_many_connections", message });
        }
        *c.by_person.entry(person).or_default() += 1;
        *c.by_company.entry(actor.company_id).or_default() += 1;
        Ok(ConnectionSlot { connections: self.connections.clone(), company: actor.company_id, user: actor.user_id })
    }

    /// Re-reads the subscriber's session, role and vessels; `Unauthorized` once the session
    /// ended, `Forbidden` once the role may no longer subscribe.
    pub async fn refresh(&self, audience: &mut Audience) -> Result<()> {
        let actor = self.auth.recheck(&audience.actor).await?;
        actor.require(Action::EventsSubscribe)?;
        audience.vessels = self.vessels_of(&actor).await?;
        audience.actor = actor;
        audience.checked_at = self.deps.clock.now();
        Ok(())
    }

    /// Re-reads the standing before `batch` is forwarded, when it is older than [`TRUST_FOR`]
    /// and the batch holds an event of the subscriber's company. Another company's events are
    /// never forwarded, so they cost no read: a busy company cannot make every other company's
    /// sockets query the database.
    pub async fn recheck_before_forwarding(&self, audience: &mut Audience, batch: &[LiveEvent]) -> Result<()> {
        let concerns_them = batch.iter().any(|e| audience.is_of_company(e));
        let checked = if concerns_them && audience.is_stale(self.deps.clock.now(), TRUST_FOR) {
            self.counts.rechecks_before_forwarding.fetch_add(1, Ordering::Relaxed);
            self.refresh(audience).await
        } else {
            Ok(())
        };
        self.counts.events_examined.fetch_add(batch.len() as u64, Ordering::Relaxed);
        checked
    }

    /// What this process's connections did, since start (for tests and diagnostics).
    pub fn counts(&self) -> LiveCounts {
        LiveCounts {
            events_examined: self.counts.events_examined.load(Ordering::Relaxed),
            rechecks_before_forwarding: self.counts.rechecks_before_forwarding.load(Ordering::Relaxed),
        }
    }

    /// Every event this process publishes or relays, from now on (filter with
    /// [`Audience::may_see`]).
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.deps.events.subscribe()
    }

    async fn vessels_of(&self, actor: &Actor) -> Result<Option<HashSet<VesselId>>> {
        let Some(reach) = self.deps.reach(actor) else { return Ok(None) };
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        Ok(Some(tx.reachable_vessel_ids(actor.company_id, reach).await?.into_iter().collect()))
    }
}

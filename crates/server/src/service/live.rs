//! Who receives which live event. A subscriber is a signed-in person; they receive the events
//! of their own company only, and, in a vessel-scoped role (engineer, crew, viewer), only those
//! of vessels they are members of. Session, role and memberships are re-read while the
//! connection lives (see [`Audience::is_stale`]), so a logout, a disabled person, a role
//! change or a rotation ending applies within seconds.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use bosun_domain::VesselId;
use bosun_domain::permissions::Action;
use tokio::sync::broadcast;

use super::auth::AuthService;
use super::{Actor, Deps, Result};
use crate::realtime::LiveEvent;

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
    checked_at: Instant,
}

impl Audience {
    /// Whether `event` may reach this subscriber.
    pub fn may_see(&self, event: &LiveEvent) -> bool {
        event.company_id == self.actor.company_id
            && self.vessels.as_ref().is_none_or(|vessels| vessels.contains(&event.vessel_id))
    }

    /// Whether the standing was last read more than `age` ago.
    pub fn is_stale(&self, age: Duration) -> bool {
        self.checked_at.elapsed() > age
    }
}

/// Live-event subscriptions.
#[derive(Clone)]
pub struct LiveService {
    pub(crate) deps: Deps,
    pub(crate) auth: AuthService,
}

impl LiveService {
    /// Opens a subscription for an authenticated caller (`events.subscribe`).
    pub async fn open(&self, actor: Actor) -> Result<Audience> {
        self.deps.authorize(&actor, Action::EventsSubscribe, "events", None).await?;
        let vessels = self.vessels_of(&actor).await?;
        Ok(Audience { actor, vessels, checked_at: Instant::now() })
    }

    /// Re-reads the subscriber's session, role and vessels; `Unauthorized` once the session
    /// ended, `Forbidden` once the role may no longer subscribe.
    pub async fn refresh(&self, audience: &mut Audience) -> Result<()> {
        let actor = self.auth.recheck(&audience.actor).await?;
        actor.require(Action::EventsSubscribe)?;
        audience.vessels = self.vessels_of(&actor).await?;
        audience.actor = actor;
        audience.checked_at = Instant::now();
        Ok(())
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

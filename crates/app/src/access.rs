//! Which vessels a caller reaches: the one rule every context asks.
//!
//! Owners, admins and managers reach every vessel of their company. Engineers, crew and viewers
//! reach the vessels whose rotation they are on, and an API key the vessels it lists (when it
//! lists any). A rotation that has ended no longer reaches its vessel once `auth.
//! rotation_grace_days` have passed after its end date (the day counts by the injected clock);
//! a person a manager removed from a vessel no longer reaches it at all. Anything out of reach is
//! "not found", never "forbidden".

use bosun_domain::vessel::VesselMember;
use bosun_domain::{UserId, VesselId};
use bosun_store::{Reach, Tx, VesselScope};
use chrono::Duration;

use crate::{Actor, Deps, Result};

impl Deps {
    /// What `principal` (a person or an API key) reaches today.
    pub(crate) fn reach_of(&self, principal: uuid::Uuid) -> Reach {
        Reach { principal, since: self.clock.now().date_naive() - Duration::days(self.rotation_grace_days) }
    }

    /// The reach a vessel-scoped caller's queries are limited to; `None` for fleet-wide callers.
    pub(crate) fn reach(&self, actor: &Actor) -> Option<Reach> {
        actor.is_vessel_scoped().then(|| self.reach_of(actor.user_id.0))
    }

    /// Whether `actor` reaches `vessel`.
    pub(crate) async fn sees_vessel(&self, tx: &mut Box<dyn Tx>, actor: &Actor, vessel: VesselId) -> Result<bool> {
        match self.reach(actor) {
            None => Ok(true),
            Some(reach) => Ok(tx.reaches_vessel(actor.company_id, vessel, reach).await?),
        }
    }

    /// Whether a person of a vessel-scoped role reaches `vessel` (to be assigned work there).
    pub(crate) async fn person_reaches(
        &self,
        tx: &mut Box<dyn Tx>,
        actor: &Actor,
        person: UserId,
        vessel: VesselId,
    ) -> Result<bool> {
        Ok(tx.reaches_vessel(actor.company_id, vessel, self.reach_of(person.0)).await?)
    }

    /// The vessels a list covers for `actor`: `vessel` when given, narrowed to what they reach
    /// when they are vessel-scoped.
    pub(crate) fn scope_for(&self, actor: &Actor, vessel: Option<VesselId>) -> VesselScope {
        VesselScope { vessel, member: self.reach(actor) }
    }

    /// Whether a rotation still puts its person on the vessel today (within the grace period
    /// after its end date).
    pub(crate) fn is_on_rotation(&self, m: &VesselMember) -> bool {
        let since = self.reach_of(m.user_id.0).since;
        m.rotation_end.is_none_or(|end| end >= since)
    }
}

//! The unit of work: one transaction that the caller owns, and the effects to run once it has
//! committed.
//!
//! A write use case is a [`Mutator`]: it is handed a [`UnitOfWork`], does its reads and writes
//! (the entity, its change-log row, its audit row) in the unit's transaction, and queues its
//! after-commit effects (live events) on the unit instead of firing them. It neither begins
//! nor commits. Whoever runs it owns the transaction: [`App::mutate`] runs one mutator per
//! unit of work (an HTTP request), and the sync push will run one unit per queued mutation,
//! recording the client's mutation id in the same transaction.
//!
//! What the runner does around a mutator, so that no use case repeats it:
//! - commit, then run the effects (a live event or a mail is never sent for a write that did not
//!   commit);
//! - on any error, roll back (drop the transaction) and run no effect;
//! - a refusal ([`Error::Refused`]) is recorded in the audit trail in a transaction of its own,
//!   after the rollback, and answered as `Forbidden`;
//! - a client-made id that a concurrent request stored first (an [`crate::ID_RACE`]) is run
//!   once more in a new unit, where it is a repeat or a conflict.

use async_trait::async_trait;
use bosun_domain::CompanyId;
use bosun_domain::permissions::Action;
use bosun_store::{Durable, Store, Tx};

use crate::accounts::mail::Mail;
use crate::conflicts::SyncWrite;
use crate::realtime::LiveEvent;
use crate::{Actor, App, Error, ID_RACE, Result};

/// One transaction and the effects its writes will have once it commits.
pub struct UnitOfWork {
    /// The transaction, scoped to the actor's company.
    pub tx: Box<dyn Tx>,
    effects: Effects,
    /// The pushed mutation this unit applies, if it is one (its fields are decided against
    /// concurrent writes: [`crate::conflicts`]).
    pub(crate) sync: Option<SyncWrite>,
    /// Conflicts this unit recorded.
    pub(crate) conflicts: Vec<uuid::Uuid>,
}

/// What a committed unit of work does next: the live events to publish and the mail to send.
#[derive(Debug, Default)]
#[must_use = "effects are lost unless they are run"]
pub struct Effects {
    events: Vec<LiveEvent>,
    mails: Vec<Mail>,
}

impl Effects {
    /// The live events, in the order they were queued.
    pub fn events(&self) -> &[LiveEvent] {
        &self.events
    }

    /// Publishes every event through the app's hub and posts every mail to its outbox.
    pub async fn run(self, app: &App) {
        for event in self.events {
            app.events.publish(event).await;
        }
        for mail in self.mails {
            app.outbox.post(mail);
        }
    }
}

/// Why a write was refused: recorded in the audit trail once its transaction rolled back.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// What the caller tried.
    pub action: Action,
    /// On what kind of record.
    pub entity: &'static str,
    /// On which record, when known.
    pub id: Option<String>,
}

impl UnitOfWork {
    /// Begins a unit of work for `company`.
    pub async fn begin(store: &dyn Store, company: CompanyId) -> Result<Self> {
        Ok(Self {
            tx: store.begin(Some(company)).await?,
            effects: Effects::default(),
            sync: None,
            conflicts: Vec::new(),
        })
    }

    /// Queues a poke for every sync scope this unit recorded changes in and no queued event
    /// names yet (`docs/SYNC.md`: the events WebSocket tells clients which scopes have news):
    /// `company:{id}` for the company's people and settings, a vessel's for anything else.
    pub fn poke_scopes(&mut self, company: CompanyId, at: chrono::DateTime<chrono::Utc>) {
        for scope in self.tx.recorded_scopes() {
            let vessel_id = match scope.split_once(':') {
                Some(("vessel", id)) => match uuid::Uuid::parse_str(id) {
                    Ok(id) => Some(bosun_domain::VesselId(id)),
                    Err(_) => continue,
                },
                Some(("company", _)) => None,
                _ => continue,
            };
            if vessel_id.is_some() && self.effects.events.iter().any(|e| e.vessel_id == vessel_id) {
                continue;
            }
            self.effects.events.push(LiveEvent {
                company_id: company,
                vessel_id,
                kind: "sync.changed".into(),
                entity_id: uuid::Uuid::nil(),
                summary: serde_json::json!({}),
                at,
            });
        }
    }

    /// Queues a live event, published only if this unit commits.
    pub fn publish(&mut self, event: LiveEvent) {
        self.effects.events.push(event);
    }

    /// Queues a mail, sent only if this unit commits.
    pub fn send(&mut self, mail: Mail) {
        self.effects.mails.push(mail);
    }

    /// Commits the transaction and hands back its effects to run.
    pub async fn commit(self) -> Result<Effects> {
        self.tx.commit().await?;
        Ok(self.effects)
    }

    /// Commits without waiting for durability ([`bosun_store::Tx::commit_later`]): await the
    /// answer's [`Durable`] before running its effects or telling anyone.
    pub async fn commit_later(self) -> Result<Deferred> {
        let durable = futures::future::maybe_done(self.tx.commit_later().await?);
        Ok(Deferred { durable, effects: self.effects })
    }
}

/// A unit committed with [`UnitOfWork::commit_later`]: durable once `durable` resolves, its
/// effects to run only then.
#[must_use = "a deferred commit is unconfirmed until awaited"]
pub struct Deferred {
    /// Resolves once the commit is durable (polled again after, it stays resolved).
    pub durable: futures::future::MaybeDone<Durable>,
    /// What to do once it is.
    pub effects: Effects,
}

impl Actor {
    /// Fails with a [`Refusal`] (recorded by the runner, answered as `Forbidden`) unless the
    /// caller's role allows `action`.
    pub fn permit(&self, action: Action, entity: &'static str, id: impl ToString) -> Result<()> {
        if self.role.may(action) {
            Ok(())
        } else {
            Err(Error::Refused(Refusal { action, entity, id: Some(id.to_string()) }))
        }
    }

    /// As [`Actor::permit`], for a record that may not have an id yet.
    pub fn permit_new(&self, action: Action, entity: &'static str, id: Option<impl ToString>) -> Result<()> {
        if self.role.may(action) {
            Ok(())
        } else {
            Err(Error::Refused(Refusal { action, entity, id: id.map(|i| i.to_string()) }))
        }
    }
}

/// A write a person can make, named and versioned (`report_fault.v1`), with typed, parsed
/// arguments (`Self` holds them). The HTTP routes and the sync push run the same mutators.
#[async_trait]
pub trait Mutator: Send + Sync {
    /// The name clients send (`report_fault.v1`); a changed meaning takes a new version.
    const NAME: &'static str;
    /// What the caller is answered.
    type Output: Send;

    /// Applies the write inside `uow`, as `actor`.
    async fn apply(&self, app: &App, uow: &mut UnitOfWork, actor: &Actor) -> Result<Self::Output>;

    /// The answer when the client-made id was lost to a concurrent write twice in a row.
    fn id_taken(&self) -> Error {
        Error::Conflict {
            code: "id_taken",
            message: format!("the id of this {} was taken meanwhile; send it again with a new id", Self::NAME),
        }
    }
}

/// Implements [`Mutator`] for an arguments type: its name, its answer, and the body of `apply`
/// with the app, the unit of work, the actor and the arguments bound to the names given;
/// optionally the answer to an id lost twice to racing writes.
///
/// ```text
/// mutator!(CommentFault, "comment_fault.v1", Comment, |app, uow, actor, m| {
///     app.faults.comment(uow, actor, m).await
/// });
/// ```
macro_rules! mutator {
    ($args:ty, $name:literal, $out:ty, |$app:ident, $uow:ident, $actor:ident, $m:ident| $body:block
        $(, id_taken: |$s:ident| $taken:block)?) => {
        #[async_trait::async_trait]
        impl $crate::work::Mutator for $args {
            const NAME: &'static str = $name;
            type Output = $out;
            #[allow(unused_braces)]
            async fn apply(
                &self,
                $app: &$crate::App,
                $uow: &mut $crate::work::UnitOfWork,
                $actor: &$crate::Actor,
            ) -> $crate::Result<$out> {
                let $m = self;
                $body
            }
            $(
                fn id_taken(&self) -> $crate::Error {
                    let $s = self;
                    $taken
                }
            )?
        }
    };
}
pub(crate) use mutator;

impl App {
    /// Runs `m` as `actor` in a unit of work of its own: commits it and publishes its events,
    /// or rolls it back (recording a refusal). See the module documentation.
    pub async fn mutate<M: Mutator>(&self, actor: &Actor, m: M) -> Result<M::Output> {
        self.run_unit(actor, &m, None, None)
            .await?
            .map(|(out, _)| out)
            .ok_or_else(|| Error::Internal("a unit of work without a sync origin was skipped".into()))
    }

    /// Runs `m` as one unit of work. With `sync` (a sync client's queued mutation) the unit
    /// first moves the client's `last_mutation_id` to the mutation's id and stamps every change
    /// it records with the origin, all in the same transaction; `None` answers a mutation that
    /// another transaction applied first (nothing is done). Also answers the conflicts the unit
    /// recorded. With `deferred` the unit commits without waiting for durability and leaves its
    /// [`Deferred`] there (the sync push makes its units durable together).
    pub(crate) async fn run_unit<M: Mutator>(
        &self,
        actor: &Actor,
        m: &M,
        sync: Option<&SyncWrite>,
        deferred: Option<&mut Vec<Deferred>>,
    ) -> Result<Option<(M::Output, Vec<uuid::Uuid>)>> {
        let mut raced = false;
        loop {
            let mut uow = UnitOfWork::begin(&*self.store, actor.company_id).await?;
            if let Some(w) = sync {
                let (o, now) = (&w.origin, self.clock.now());
                crate::sync::nothing_lost_before(&mut uow.tx, actor.company_id, o.client_id, w.after).await?;
                if !uow.tx.advance_sync_client(actor.company_id, o.client_id, o.mutation_id, now).await? {
                    return Ok(None);
                }
                uow.tx.set_change_origin(Some(o.clone()));
                uow.sync = Some(w.clone());
            }
            match m.apply(self, &mut uow, actor).await {
                Ok(out) => {
                    let conflicts = std::mem::take(&mut uow.conflicts);
                    uow.poke_scopes(actor.company_id, self.clock.now());
                    match deferred {
                        Some(pending) => pending.push(uow.commit_later().await?),
                        None => uow.commit().await?.run(self).await,
                    }
                    return Ok(Some((out, conflicts)));
                }
                Err(e) => {
                    drop(uow);
                    match e {
                        e @ Error::Refused(_) => return Err(self.deps.settle(actor, e).await),
                        Error::Conflict { code: ID_RACE, .. } if !raced => raced = true,
                        Error::Conflict { code: ID_RACE, .. } => return Err(m.id_taken()),
                        e => return Err(e),
                    }
                }
            }
        }
    }
}

//! Live events: what changed, pushed to the clients allowed to see it ("fault reported on
//! vessel X"). Events are pokes; correctness never depends on them (clients re-read or sync).
//!
//! A service publishes after its transaction commits. The [`Hub`] hands each event to every
//! local subscriber (WebSocket connections filter by company and vessel). With several
//! processes on one PostgreSQL database, a relay carries events between them (LISTEN/NOTIFY).

use std::sync::Arc;

use async_trait::async_trait;
use bosun_domain::{CompanyId, VesselId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// One change worth telling clients about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveEvent {
    /// Whose.
    pub company_id: CompanyId,
    /// On which vessel; `None` for news of the company's own scope (its people, its
    /// settings), which everyone in the company syncs.
    pub vessel_id: Option<VesselId>,
    /// `fault.reported`, `fault.changed`, `requisition.changed`, `handover.completed`, ...
    pub kind: String,
    /// The record that changed.
    pub entity_id: uuid::Uuid,
    /// A small summary for the client (never prices or anything role-restricted).
    pub summary: serde_json::Value,
    /// When.
    pub at: DateTime<Utc>,
}

/// Carries events to the other processes sharing the database.
#[async_trait]
pub trait Relay: Send + Sync {
    /// Sends an event to every process (this one included); the relay's listener feeds it back
    /// into each process's hub.
    async fn send(&self, event: &LiveEvent) -> Result<(), String>;
}

/// The process's event hub.
#[derive(Clone)]
pub struct Hub {
    local: broadcast::Sender<LiveEvent>,
    relay: Option<Arc<dyn Relay>>,
}

impl Default for Hub {
    fn default() -> Self {
        Self::new()
    }
}

impl Hub {
    /// A hub for one process, with no relay.
    pub fn new() -> Self {
        Self { local: broadcast::channel(1024).0, relay: None }
    }

    /// A hub whose events travel through `relay` (which must feed received events back with
    /// [`Hub::deliver`]).
    pub fn with_relay(relay: Arc<dyn Relay>) -> Self {
        Self { local: broadcast::channel(1024).0, relay: Some(relay) }
    }

    /// Publishes an event; failures are logged, never returned (events are pokes).
    pub async fn publish(&self, event: LiveEvent) {
        match &self.relay {
            Some(relay) => {
                if let Err(e) = relay.send(&event).await {
                    tracing::warn!(error = %e, "could not relay a live event; delivering locally only");
                    self.deliver(event);
                }
            }
            None => self.deliver(event),
        }
    }

    /// Hands an event to this process's subscribers.
    pub fn deliver(&self, event: LiveEvent) {
        // No subscriber is not an error.
        let _ = self.local.send(event);
    }

    /// A new subscription to every event of this process.
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.local.subscribe()
    }
}

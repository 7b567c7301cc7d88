//! The PostgreSQL relay: events travel between the `bosun` processes sharing one database as
//! `NOTIFY bosun_events` payloads (JSON), and every process's listener feeds them into its own
//! hub, where each WebSocket connection filters them for its subscriber.

use std::sync::Arc;

use async_trait::async_trait;
use bosun_store_sql::postgres::{MAX_NOTIFY_BYTES, listen, notify};

use bosun_app::realtime::{Hub, LiveEvent, Relay};

/// Sends events with `pg_notify` over the server's pool.
pub struct PgRelay {
    pool: sqlx::PgPool,
}

/// The NOTIFY payload of an event: its JSON, with the summary left out when it would not fit
/// (the event stays a poke the client can act on by re-reading).
pub fn encode(event: &LiveEvent) -> Result<String, String> {
    let text = serde_json::to_string(event).map_err(|e| e.to_string())?;
    if text.len() <= MAX_NOTIFY_BYTES {
        return Ok(text);
    }
    tracing::warn!(kind = %event.kind, bytes = text.len(), "a live event's summary is too large to relay; sent without it");
    let slim = LiveEvent { summary: serde_json::json!({}), ..event.clone() };
    serde_json::to_string(&slim).map_err(|e| e.to_string())
}

#[async_trait]
impl Relay for PgRelay {
    async fn send(&self, event: &LiveEvent) -> Result<(), String> {
        notify(&self.pool, &encode(event)?).await.map_err(|e| e.to_string())
    }
}

/// A hub whose events reach every process on the database at `url`: publishing sends a
/// notification over `pool`, and a listener on its own connection delivers every notification
/// (this process's too) to the local subscribers. Answers once the listener is listening.
pub async fn start(pool: sqlx::PgPool, url: &str) -> Result<Hub, bosun_store::StoreError> {
    let mut received = listen(url).await?;
    let hub = Hub::with_relay(Arc::new(PgRelay { pool }));
    let local = hub.clone();
    tokio::spawn(async move {
        while let Some(payload) = received.recv().await {
            match serde_json::from_str::<LiveEvent>(&payload) {
                Ok(event) => local.deliver(event),
                Err(e) => tracing::warn!(error = %e, "ignored a live-event notification that is not an event"),
            }
        }
    });
    Ok(hub)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_oversized_summary_is_dropped_to_fit_a_notification() {
        let event = LiveEvent {
            company_id: bosun_domain::CompanyId::new(),
            vessel_id: Some(bosun_domain::VesselId::new()),
            kind: "fault.reported".into(),
            entity_id: uuid::Uuid::now_v7(),
            summary: serde_json::json!({ "title": "x".repeat(10_000) }),
            at: chrono::Utc::now(),
        };
        let text = encode(&event).unwrap();
        assert!(text.len() <= MAX_NOTIFY_BYTES);
        let back: LiveEvent = serde_json::from_str(&text).unwrap();
        assert_eq!((back.kind, back.entity_id, back.summary), (event.kind, event.entity_id, serde_json::json!({})));
    }
}

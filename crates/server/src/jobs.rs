//! Background jobs: work the server does on its own schedule, each ending with the application
//! that started it.

use std::time::Duration;

use bosun_app::App;
use bosun_store::Backend;
use tokio::time::MissedTickBehavior;

use crate::config::Config;

/// Starts the jobs `app` needs under `config`.
pub fn start(app: &App, config: &Config) {
    if app.store.backend() == Backend::Postgres {
        share_rate_limit_counts(app, Duration::from_millis(config.limits.sync_millis));
    }
}

/// Several instances may share a PostgreSQL database: their rate-limit counts meet in it,
/// added every `every` (never a database write per request).
fn share_rate_limit_counts(app: &App, every: Duration) {
    let (limits, store) = (std::sync::Arc::downgrade(&app.limits), app.store.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            // Ends with the app: the task holds the limits only while it syncs them.
            let Some(limits) = limits.upgrade() else { return };
            if let Err(e) = limits.sync(&*store).await {
                tracing::warn!(error = %e, "could not share rate-limit counts");
            }
        }
    });
}

//! Background jobs: work the server does on its own schedule, each ending with the application
//! that started it.

use std::sync::Arc;
use std::time::Duration;

use bosun_app::App;
use bosun_store::{Backend, Store};
use chrono::{DateTime, Utc};
use tokio::time::MissedTickBehavior;

use crate::config::Config;

/// Starts the jobs `app` needs under `config`.
pub fn start(app: &App, config: &Config) {
    if app.store.backend() == Backend::Postgres {
        share_rate_limit_counts(app, Duration::from_millis(config.limits.sync_millis));
    }
    expire_sync_uploads(app);
    schedule_maintenance(app, Duration::from_secs(SCHEDULER_SECONDS));
    if config.sync.compact_after_days > 0 {
        compact_sync_logs(app, config.sync.compact_after_days, config.sync.tombstone_days);
    }
}

/// How often the maintenance scheduler looks for plans falling due.
const SCHEDULER_SECONDS: u64 = 600;

/// Every ten minutes (the first run ten minutes after start), generates the work orders of the maintenance plans
/// that fall due (`crates/app/src/plans/mod.rs`). Instances sharing a PostgreSQL database split
/// the plans between them (`FOR UPDATE SKIP LOCKED`), and each occurrence's work order is
/// unique, so running everywhere at once generates each one once.
fn schedule_maintenance(app: &App, every: Duration) {
    let store = Arc::downgrade(&app.store);
    let deps = app.plans.deps.clone();
    let (clock, ids, events, grace) = (deps.clock, deps.ids, deps.events, deps.rotation_grace_days);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let Some(store) = store.upgrade() else { return };
            let deps = bosun_app::Deps {
                store: store.clone(),
                clock: clock.clone(),
                ids: ids.clone(),
                events: events.clone(),
                rotation_grace_days: grace,
            };
            match (bosun_app::plans::PlanService { deps })
                .schedule_all(&*store, bosun_app::plans::SCHEDULER_BATCH)
                .await
            {
                Ok(run) if run.generated > 0 => {
                    tracing::info!(
                        checked = run.checked,
                        generated = run.generated,
                        "maintenance work orders generated"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not run the maintenance scheduler"),
            }
        }
    });
}

/// Runs `work` every hour with the store and the time, until the app is gone (the task holds
/// the store only while the work runs).
fn hourly<F, Fut>(app: &App, work: F)
where
    F: Fn(Arc<dyn Store>, DateTime<Utc>) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let (store, clock) = (Arc::downgrade(&app.store), app.clock.clone());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let Some(store) = store.upgrade() else { return };
            work(store, clock.now()).await;
        }
    });
}

/// Every hour, folds the sync change log's changes older than `days` days and drops deletes
/// older than `tombstone_days` (0: kept) (`docs/SYNC.md` "Compaction"). Instances sharing a
/// database may fold at once: each writes the same result.
fn compact_sync_logs(app: &App, days: u32, tombstone_days: u32) {
    hourly(app, move |store, now| async move {
        let before = now - chrono::Duration::days(i64::from(days));
        let tombstones = (tombstone_days > 0).then(|| now - chrono::Duration::days(i64::from(tombstone_days)));
        match bosun_app::compaction::compact_all(&*store, before, tombstones).await {
            Ok(done) => tracing::info!(
                scopes = done.scopes,
                deleted = done.deleted,
                tombstones = done.tombstones,
                "sync logs compacted"
            ),
            Err(e) => tracing::warn!(error = %e, "could not compact the sync logs"),
        }
    });
}

/// Several instances may share a PostgreSQL database: their rate-limit counts meet in it,
/// added every `every` (never a database write per request).
fn share_rate_limit_counts(app: &App, every: Duration) {
    let (limits, store) = (Arc::downgrade(&app.limits), app.store.clone());
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

/// Every hour, discards the sync uploads left unfinished for longer than
/// [`bosun_app::maintenance::uploads::UPLOAD_EXPIRY_DAYS`], with their chunks.
fn expire_sync_uploads(app: &App) {
    hourly(app, |store, now| async move {
        let before = now - chrono::Duration::days(bosun_app::maintenance::uploads::UPLOAD_EXPIRY_DAYS);
        match bosun_app::maintenance::uploads::expire_uploads(&*store, before).await {
            Ok(0) => {}
            Ok(gone) => tracing::info!(gone, "unfinished sync uploads discarded"),
            Err(e) => tracing::warn!(error = %e, "could not discard unfinished sync uploads"),
        }
    });
}

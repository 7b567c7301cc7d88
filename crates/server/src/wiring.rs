//! Wiring: the application built from the configuration over a store, with the adapters the
//! server chooses for its ports (attachments on the local disk, live events through the given
//! hub, mail over SMTP), the HTTP adapter's state around it, and the background jobs it needs
//! started.

use std::sync::Arc;

use bosun_app::accounts::mail::Mailer;
use bosun_app::app::AppConfig;
use bosun_app::files::FileStore;
use bosun_app::realtime::Hub;
use bosun_app::{App, Error, Result};
use bosun_domain::Clock;
use bosun_http::{AppState, HttpConfig};
use bosun_store::Store;

use crate::config::Config;
use crate::entropy::SystemIds;
use crate::files::LocalDisk;
use crate::jobs;
use crate::mail::SmtpMailer;

/// The use cases' part of the configuration.
pub fn app_config(config: &Config) -> AppConfig {
    AppConfig {
        auth: config.auth.clone(),
        limits: config.limits.clone(),
        attachments: config.attachments.clone(),
        live: config.live.clone(),
        sync: config.sync.clone(),
        public_url: config.server.public_url.clone(),
        data_dir: config.server.data_dir.clone(),
    }
}

/// The HTTP adapter's part of the configuration.
pub fn http_config(config: &Config) -> HttpConfig {
    HttpConfig { server: config.server.clone(), cookie_secure: config.auth.cookie_secure }
}

/// The served application over `store`, with a hub of its own for live events.
pub async fn build(config: Config, store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Result<AppState> {
    build_with_events(config, store, clock, Hub::new()).await
}

/// The served application over `store`, publishing live events through `events`; attachments
/// live under `<data_dir>/files`.
pub async fn build_with_events(
    config: Config,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    events: Hub,
) -> Result<AppState> {
    let files: Arc<dyn FileStore> = Arc::new(LocalDisk::new(config.server.data_dir.join("files")));
    build_with(config, store, clock, events, files).await
}

/// The served application over `store`, publishing through `events` and keeping attachment
/// bytes in `files`; starts the background jobs that end with it.
pub async fn build_with(
    config: Config,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    events: Hub,
    files: Arc<dyn FileStore>,
) -> Result<AppState> {
    let mailer = SmtpMailer::from_config(&config.mail).map_err(Error::Internal)?;
    let mailer = mailer.map(|m| Arc::new(m) as Arc<dyn Mailer>);
    let ids = Arc::new(SystemIds);
    let app = App::build(app_config(&config), store, clock, ids, events, files, mailer).await?;
    jobs::start(&app, &config);
    Ok(AppState::new(app, http_config(&config)))
}

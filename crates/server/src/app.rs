//! The application: configuration, store and services, shared by every request.

use std::sync::Arc;

use bosun_domain::Clock;
use bosun_store::Store;

use crate::config::Config;
use crate::files::{FileStore, LocalDisk};
use crate::realtime::Hub;
use crate::service::analytics::AnalyticsService;
use crate::service::attachments::AttachmentService;
use crate::service::audit::AuditService;
use crate::service::auth::{AuthService, PasswordHasherPool};
use crate::service::companies::CompanyService;
use crate::service::equipment::EquipmentService;
use crate::service::faults::FaultService;
use crate::service::handovers::HandoverService;
use crate::service::live::LiveService;
use crate::service::parts::PartsService;
use crate::service::users::UserService;
use crate::service::vessels::VesselService;
use crate::service::{Deps, Result};
use crate::spool::Spool;

/// Everything a request may need.
pub struct App {
    /// The configuration in force.
    pub config: Config,
    /// The database.
    pub store: Arc<dyn Store>,
    /// Sign-in and sessions.
    pub auth: AuthService,
    /// Companies.
    pub companies: CompanyService,
    /// People.
    pub users: UserService,
    /// Vessels.
    pub vessels: VesselService,
    /// Equipment registry.
    pub equipment: EquipmentService,
    /// Audit trail.
    pub audit: AuditService,
    /// Photos and documents.
    pub attachments: AttachmentService,
    /// Dashboards, MTTR and costs.
    pub analytics: AnalyticsService,
    /// Live-event subscriptions.
    pub live: LiveService,
    /// The live-event hub services publish to (after commit).
    pub events: Hub,
    /// Faults.
    pub faults: FaultService,
    /// Parts orders.
    pub parts: PartsService,
    /// Crew rotation handovers.
    pub handovers: HandoverService,
}

/// The shared application handle.
pub type AppState = Arc<App>;

impl App {
    /// Wires the services over `store`.
    pub async fn build(config: Config, store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Result<AppState> {
        Self::build_with_events(config, store, clock, Hub::new()).await
    }

    /// Wires the services over `store`, publishing live events through `events`.
    pub async fn build_with_events(
        config: Config,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        events: Hub,
    ) -> Result<AppState> {
        let files: Arc<dyn FileStore> = Arc::new(LocalDisk::new(config.server.data_dir.join("files")));
        Self::build_with(config, store, clock, events, files).await
    }

    /// Wires the services over `store`, publishing through `events` and keeping attachment
    /// bytes in `files`.
    pub async fn build_with(
        config: Config,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        events: Hub,
        files: Arc<dyn FileStore>,
    ) -> Result<AppState> {
        let deps = Deps { store: store.clone(), clock, events: events.clone() };
        // Request bodies (uploads, imports) are spooled beside the files they may become.
        let spool = Spool::new(config.server.data_dir.join("tmp"));
        let hasher = PasswordHasherPool::new(config.auth.max_concurrent_hashes).await?;
        let auth = AuthService::new(deps.clone(), config.auth.clone(), hasher.clone()).await?;
        Ok(Arc::new(Self {
            companies: CompanyService { deps: deps.clone() },
            users: UserService { deps: deps.clone(), hasher },
            vessels: VesselService { deps: deps.clone() },
            attachments: AttachmentService {
                deps: deps.clone(),
                files,
                limits: config.attachments.clone(),
                decoding: Arc::new(tokio::sync::Semaphore::new(crate::service::attachments::CONCURRENT_DECODES)),
                spool: spool.clone(),
            },
            analytics: AnalyticsService { deps: deps.clone() },
            live: LiveService::new(deps.clone(), auth.clone(), config.live.clone()),
            events,
            equipment: EquipmentService { deps: deps.clone(), spool },
            faults: FaultService { deps: deps.clone() },
            parts: PartsService { deps: deps.clone() },
            handovers: HandoverService { deps: deps.clone() },
            audit: AuditService { deps },
            auth,
            store,
            config,
        }))
    }
}

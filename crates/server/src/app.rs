//! The application: configuration, store and services, shared by every request.

use std::sync::Arc;

use bosun_domain::Clock;
use bosun_store::Store;

use crate::config::Config;
use crate::service::audit::AuditService;
use crate::service::auth::{AuthService, PasswordHasherPool};
use crate::service::companies::CompanyService;
use crate::service::faults::FaultService;
use crate::service::handovers::HandoverService;
use crate::service::parts::PartsService;
use crate::service::users::UserService;
use crate::service::vessels::VesselService;
use crate::service::{Deps, Result};

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
    /// Audit trail.
    pub audit: AuditService,
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
        Self::build_with_events(config, store, clock, crate::realtime::Hub::new()).await
    }

    /// Wires the services over `store`, publishing live events through `events`.
    pub async fn build_with_events(
        config: Config,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        events: crate::realtime::Hub,
    ) -> Result<AppState> {
        let deps = Deps { store: store.clone(), clock, events };
        let hasher = PasswordHasherPool::new(config.auth.max_concurrent_hashes).await?;
        let auth = AuthService::new(deps.clone(), config.auth.clone(), hasher.clone()).await?;
        Ok(Arc::new(Self {
            companies: CompanyService { deps: deps.clone() },
            users: UserService { deps: deps.clone(), hasher },
            vessels: VesselService { deps: deps.clone() },
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

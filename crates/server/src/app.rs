//! The application: configuration, store and services, shared by every request.

use std::sync::Arc;

use bosun_domain::Clock;
use bosun_store::Store;

use crate::config::Config;
use crate::files::{FileStore, LocalDisk};
use crate::realtime::Hub;
use crate::service::analytics::AnalyticsService;
use crate::service::api_keys::ApiKeyService;
use crate::service::attachments::AttachmentService;
use crate::service::audit::AuditService;
use crate::service::auth::{AuthService, PasswordHasherPool};
use crate::service::companies::CompanyService;
use crate::service::equipment::EquipmentService;
use crate::service::faults::FaultService;
use crate::service::handovers::HandoverService;
use crate::service::invitations::InvitationService;
use crate::service::live::LiveService;
use crate::service::mail::{Mailer, Outbox, SmtpMailer};
use crate::service::mfa::{MfaService, SecondFactor};
use crate::service::parts::PartsService;
use crate::service::passwords::PasswordService;
use crate::service::rate_limits::RateLimits;
use crate::service::secrets::ServerKeys;
use crate::service::users::UserService;
use crate::service::vessels::VesselService;
use crate::service::{Deps, Error, Result};
use crate::spool::Spool;

/// Everything a request may need.
pub struct App {
    /// The configuration in force.
    pub config: Config,
    /// The database.
    pub store: Arc<dyn Store>,
    /// The time.
    pub clock: Arc<dyn Clock>,
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
    /// Invitations to join a company.
    pub invitations: InvitationService,
    /// Forgotten passwords.
    pub passwords: PasswordService,
    /// Second factors.
    pub mfa: MfaService,
    /// API keys.
    pub api_keys: ApiKeyService,
    /// Request rate limits.
    pub limits: Arc<RateLimits>,
}

impl App {
    /// Now, by the injected clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
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
        let deps = Deps {
            store: store.clone(),
            clock: clock.clone(),
            events: events.clone(),
            rotation_grace_days: config.auth.rotation_grace_days,
        };
        // Request bodies (uploads, imports) are spooled beside the files they may become.
        let spool = Spool::new(config.server.data_dir.join("tmp"));
        let hasher = PasswordHasherPool::new(config.auth.max_concurrent_hashes).await?;
        let keys = ServerKeys::load(&deps, &config.auth).await?;
        let mailer = SmtpMailer::from_config(&config.mail).map_err(Error::Internal)?;
        let outbox = Outbox::new(mailer.map(|m| Arc::new(m) as Arc<dyn Mailer>));
        let factor = SecondFactor::new(keys.derive("mfa-seal"), &config.auth.mfa_issuer);
        let auth =
            AuthService::new(deps.clone(), config.auth.clone(), hasher.clone(), &keys, factor.clone(), outbox.clone());
        let public_url = config.server.public_url.clone();
        let limits = Arc::new(RateLimits::new(config.limits.clone(), clock.clone()));
        if store.backend() == bosun_store::Backend::Postgres {
            // Several instances may share the database: their counts meet in it.
            let (limits, store) = (Arc::downgrade(&limits), store.clone());
            let every = std::time::Duration::from_millis(config.limits.sync_millis);
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(every);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
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
        Ok(Arc::new(Self {
            limits,
            invitations: InvitationService {
                deps: deps.clone(),
                auth: auth.clone(),
                outbox: outbox.clone(),
                public_url: public_url.clone(),
                days: config.auth.invitation_days,
            },
            passwords: PasswordService::start(
                deps.clone(),
                hasher.clone(),
                outbox,
                auth.throttle().clone(),
                public_url,
                config.auth.password_reset_minutes,
            ),
            mfa: MfaService { deps: deps.clone(), factor, auth: auth.clone() },
            api_keys: ApiKeyService { deps: deps.clone(), max_days: config.auth.api_key_max_days },
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
            clock,
            config,
        }))
    }
}

//! The application: the store, the clock and every service, wired once and shared by every
//! request, command and job.

use std::sync::Arc;

use bosun_domain::{Clock, IdSource};
use bosun_store::Store;

use std::path::PathBuf;

use crate::accounts::api_keys::ApiKeyService;
use crate::accounts::auth::{AuthService, PasswordHasherPool};
use crate::accounts::companies::CompanyService;
use crate::accounts::invitations::InvitationService;
use crate::accounts::mail::{Mailer, Outbox};
use crate::accounts::mfa::{MfaService, SecondFactor};
use crate::accounts::passwords::PasswordService;
use crate::accounts::rate_limits::RateLimits;
use crate::accounts::secrets::ServerKeys;
use crate::accounts::users::UserService;
use crate::assignments::AssignmentService;
use crate::config::{AttachmentsConfig, AuthConfig, LimitsConfig, LiveConfig};
use crate::files::FileStore;
use crate::fleet::equipment::EquipmentService;
use crate::fleet::vessels::VesselService;
use crate::live::LiveService;
use crate::maintenance::attachments::AttachmentService;
use crate::maintenance::faults::FaultService;
use crate::maintenance::handovers::HandoverService;
use crate::maintenance::parts::PartsService;
use crate::plans::PlanService;
use crate::purchasing::PurchasingService;
use crate::realtime::Hub;
use crate::records::analytics::AnalyticsService;
use crate::records::audit::AuditService;
use crate::spool::Spool;
use crate::stock::StockService;
use crate::work_orders::WorkOrderService;
use crate::{Deps, Result};

/// Everything a request may need.
pub struct App {
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
    /// The parts catalogue and stock.
    pub stock: StockService,
    /// Suppliers, requisitions, purchase orders and receipts.
    pub purchasing: PurchasingService,
    /// Work orders.
    pub work_orders: WorkOrderService,
    /// Preventive maintenance plans and their scheduler.
    pub plans: PlanService,
    /// Crew rotation handovers.
    pub handovers: HandoverService,
    /// Equipment assignments and operators' daily reports.
    pub assignments: AssignmentService,
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
    /// What every service shares (the runner of units of work uses it too).
    pub(crate) deps: Deps,
    /// Where mail queued by units of work goes once they commit.
    pub(crate) outbox: Outbox,
    /// The sync protocol's settings.
    pub(crate) sync: crate::config::SyncConfig,
}

impl App {
    /// The id source every use case takes its new ids from.
    pub fn ids(&self) -> &Arc<dyn IdSource> {
        &self.deps.ids
    }

    /// Now, by the injected clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}

/// What the use cases are told: the configuration's sections they read, where the server's
/// public address and data folder are.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Logins and sessions.
    pub auth: AuthConfig,
    /// Request rate limits.
    pub limits: LimitsConfig,
    /// Uploaded photos and documents.
    pub attachments: AttachmentsConfig,
    /// The live-event WebSocket.
    pub live: LiveConfig,
    /// The sync protocol.
    pub sync: crate::config::SyncConfig,
    /// Where people reach Bosun (links in e-mails and QR codes).
    pub public_url: String,
    /// The data folder (request bodies are spooled in its `tmp`).
    pub data_dir: PathBuf,
}

impl App {
    /// Wires the services over `store`, taking time from `clock` and new ids and random bytes
    /// from `ids`, publishing live events through `events`, keeping
    /// attachment bytes in `files` and sending mail through `mailer` (none: mail is dropped,
    /// and invitation links are only shown to the admin who made them).
    pub async fn build(
        config: AppConfig,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdSource>,
        events: Hub,
        files: Arc<dyn FileStore>,
        mailer: Option<Arc<dyn Mailer>>,
    ) -> Result<Self> {
        let deps = Deps {
            store: store.clone(),
            clock: clock.clone(),
            ids,
            events: events.clone(),
            rotation_grace_days: config.auth.rotation_grace_days,
        };
        // Request bodies (uploads, imports) are spooled beside the files they may become.
        let spool = Spool::new(config.data_dir.join("tmp"));
        let hasher = PasswordHasherPool::new(config.auth.max_concurrent_hashes, config.auth.password_cost).await?;
        let keys = ServerKeys::load(&deps, &config.auth).await?;
        let outbox = Outbox::new(mailer);
        let factor = SecondFactor::new(keys.derive("mfa-seal"), &config.auth.mfa_issuer, deps.ids.clone());
        let auth =
            AuthService::new(deps.clone(), config.auth.clone(), hasher.clone(), &keys, factor.clone(), outbox.clone());
        let public_url = config.public_url.clone();
        let limits = Arc::new(RateLimits::new(config.limits.clone(), clock.clone()));
        Ok(Self {
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
                outbox.clone(),
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
                decoding: Arc::new(tokio::sync::Semaphore::new(crate::maintenance::attachments::CONCURRENT_DECODES)),
                spool: spool.clone(),
            },
            analytics: AnalyticsService { deps: deps.clone() },
            live: LiveService::new(deps.clone(), auth.clone(), config.live.clone()),
            events,
            equipment: EquipmentService { deps: deps.clone(), spool: spool.clone() },
            faults: FaultService { deps: deps.clone() },
            parts: PartsService {
                deps: deps.clone(),
                purchasing: PurchasingService {
                    deps: deps.clone(),
                    stock: StockService { deps: deps.clone(), spool: spool.clone() },
                },
            },
            stock: StockService { deps: deps.clone(), spool: spool.clone() },
            purchasing: PurchasingService {
                deps: deps.clone(),
                stock: StockService { deps: deps.clone(), spool: spool.clone() },
            },
            work_orders: WorkOrderService { deps: deps.clone() },
            plans: PlanService { deps: deps.clone() },
            handovers: HandoverService { deps: deps.clone() },
            assignments: AssignmentService { deps: deps.clone() },
            audit: AuditService { deps: deps.clone() },
            deps,
            outbox,
            sync: config.sync.clone(),
            auth,
            store,
            clock,
        })
    }
}

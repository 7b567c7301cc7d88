//! The settings the use cases read: the `[auth]`, `[limits]`, `[attachments]` and `[live]`
//! sections of the configuration, which the composition root loads and checks.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// Request rate limits, per minute.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// Requests a minute per person or API key of a company on the basic plan.
    pub basic_per_minute: i64,
    /// The same on the pro plan.
    pub pro_per_minute: i64,
    /// The same on the enterprise plan, unless the company has an agreed rate.
    pub enterprise_per_minute: i64,
    /// A whole company may make this many times a person's requests.
    pub company_factor: i64,
    /// Requests a minute from one address without credentials (sign-in pages, links).
    pub anonymous_per_minute: i64,
    /// How often an instance adds its counts to the shared ones (PostgreSQL), in milliseconds.
    pub sync_millis: u64,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            basic_per_minute: 100,
            pro_per_minute: 1_000,
            enterprise_per_minute: 10_000,
            company_factor: 10,
            anonymous_per_minute: 300,
            sync_millis: 1_000,
        }
    }
}

/// The work a password hash takes (argon2id's memory and passes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PasswordCost {
    /// 19 MiB and two passes (OWASP's recommendation): every password a person sets.
    #[default]
    Standard,
    /// argon2id's least (8 KiB, one pass), for test servers only, where hundreds of fixture
    /// people are made and sign in: about a hundredth of the work. A hash records its own
    /// cost, so a password hashed at either cost is checked at that cost.
    TestOnly,
}

/// Logins and sessions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// Lifetime of an access token, in seconds (at most 900).
    pub access_token_secs: i64,
    /// Absolute lifetime of a session (refresh-token family), in days.
    pub session_days: i64,
    /// How long the just-rotated refresh token stays usable, for replies lost on poor links.
    pub refresh_grace_secs: i64,
    /// Key for signing access tokens. When unset, a random key is made once and kept in the
    /// database, so every instance on one database shares it.
    #[serde(skip_serializing, default)]
    pub jwt_secret: Option<SecretString>,
    /// Password hashes computed at once; more wait (a login flood cannot starve the server).
    pub max_concurrent_hashes: usize,
    /// How much work hashing a password takes. Neither the configuration file nor the
    /// environment can set it: only code can, and only the test kit lowers it.
    #[serde(skip)]
    pub password_cost: PasswordCost,
    /// Failed logins of one account from one address (or from one device it signed in on
    /// before) before they lock, for 1 s at first, doubling with each further failure.
    pub lock_after_failures: i64,
    /// Longest lock, in seconds.
    pub max_lock_secs: i64,
    /// Mark the refresh cookie `Secure` (required by the `__Host-` prefix; browsers accept it
    /// on http://localhost).
    pub cookie_secure: bool,
    /// A session not refreshed for this long ends (the person signs in again), in hours.
    pub session_idle_hours: i64,
    /// Failed logins of one account from devices it never signed in on, from anywhere, before
    /// such devices are locked out of it (its owner's known devices still get in).
    pub account_failures: i64,
    /// Failed logins from one address, any account, before unknown devices there are locked
    /// out (a vessel's crew may share one satellite address: set it high).
    pub address_failures: i64,
    /// How long one failed login is remembered, in seconds.
    pub failure_decay_secs: i64,
    /// How long an invitation link works, in days.
    pub invitation_days: i64,
    /// How long a password-reset link works, in minutes.
    pub password_reset_minutes: i64,
    /// The longest lifetime of an API key, in days.
    pub api_key_max_days: i64,
    /// The name authenticator apps show next to Bosun's codes.
    pub mfa_issuer: String,
    /// Days after a rotation's end date during which its person still reaches the vessel.
    pub rotation_grace_days: i64,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            access_token_secs: 900,
            session_days: 30,
            refresh_grace_secs: 30,
            jwt_secret: None,
            max_concurrent_hashes: 2,
            password_cost: PasswordCost::Standard,
            lock_after_failures: 5,
            max_lock_secs: 900,
            cookie_secure: true,
            session_idle_hours: 14 * 24,
            account_failures: 20,
            address_failures: 100,
            failure_decay_secs: 60,
            invitation_days: 7,
            password_reset_minutes: 30,
            api_key_max_days: 365,
            mfa_issuer: "Bosun".into(),
            rotation_grace_days: 2,
        }
    }
}

/// Uploaded photos and documents.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentsConfig {
    /// Largest file accepted, in bytes; larger uploads answer 413.
    pub max_bytes: usize,
    /// Largest width or height, in pixels, of an image Bosun decodes to make a thumbnail.
    pub max_image_pixels_side: u32,
}

impl Default for AttachmentsConfig {
    fn default() -> Self {
        AttachmentsConfig { max_bytes: 20 * 1024 * 1024, max_image_pixels_side: 12_000 }
    }
}

/// The sync protocol (`docs/SYNC.md` "Schema evolution").
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncConfig {
    /// The oldest client schema version served. An older client's pushes are still applied,
    /// answered with `update_required`; its pulls answer `409 client_outdated`.
    pub min_schema_version: i64,
    /// Mutators no longer accepted (`report_fault.v1` once `.v2` has replaced it for long
    /// enough): a queued one is rejected `mutator_retired`, its arguments kept.
    pub retired_mutators: Vec<String>,
    /// Changes older than this many days are folded, each row's into its last one (0: never).
    /// Catch-up stays exact from every cookie; conflict detection is exact for mutations whose
    /// base is younger, so keep it well above the longest time a device stays offline.
    pub compact_after_days: u32,
    /// Deletes older than this many days are dropped from the change log when it is compacted
    /// (0: kept); a device whose position is older then walks that scope again.
    pub tombstone_days: u32,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig { min_schema_version: 1, retired_mutators: Vec::new(), compact_after_days: 90, tombstone_days: 180 }
    }
}

/// The live-event WebSocket (`/api/v1/events`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveConfig {
    /// Connections one person may hold at once in one process; more answer 429.
    pub max_connections_per_person: usize,
    /// Connections one company may hold at once in one process; more answer 429.
    pub max_connections_per_company: usize,
}

impl Default for LiveConfig {
    fn default() -> Self {
        LiveConfig { max_connections_per_person: 8, max_connections_per_company: 1000 }
    }
}

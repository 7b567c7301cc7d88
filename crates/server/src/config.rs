//! One configuration tree, loaded once in `main`: defaults, then an optional `bosun.toml`,
//! then `BOSUN__SECTION__KEY` environment variables, then command-line flags.

use std::path::PathBuf;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

pub use bosun_app::config::{AttachmentsConfig, AuthConfig, LimitsConfig, LiveConfig, SyncConfig};
pub use bosun_http::config::{IpRange, ServerConfig};

/// Everything `bosun` can be told.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The HTTP server.
    pub server: ServerConfig,
    /// Where data lives.
    pub database: DatabaseConfig,
    /// Logins and sessions.
    pub auth: AuthConfig,
    /// Logs.
    pub log: LogConfig,
    /// Uploaded photos and documents.
    pub attachments: AttachmentsConfig,
    /// Outgoing e-mail (invitations, password resets).
    pub mail: MailConfig,
    /// The live-event WebSocket.
    pub live: LiveConfig,
    /// Request rate limits.
    pub limits: LimitsConfig,
    /// The sync protocol.
    pub sync: SyncConfig,
}

/// Where data lives.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `postgres://…` for PostgreSQL, logging in as the runtime role (`bosun_app`), which every
    /// connection of every command but `migrate` uses; empty for the SQLite file
    /// `<data_dir>/bosun.db`.
    pub url: String,
    /// PostgreSQL: the URL of the role that owns the schema, which runs the migrations (`bosun
    /// migrate`, and `bosun serve` before it serves). Unset, `bosun migrate` uses `url` and the
    /// other commands refuse a schema that is not current.
    #[serde(skip_serializing, default)]
    pub migrate_url: Option<SecretString>,
    /// Removed: the server logged in as the owner and switched to this role with `SET ROLE`,
    /// which `RESET ROLE` undid. It now logs in as the runtime role (`url`), whose name the
    /// migrations' grants fix as `bosun_app`. Still read so that a configuration setting it is
    /// refused with directions ([`Config::validate`]) instead of a bare unknown-field error.
    #[serde(rename = "runtime_role", skip_serializing, default)]
    pub(crate) removed_runtime_role: Option<serde::de::IgnoredAny>,
    /// Connections per process.
    pub max_connections: u32,
    /// SQLite: commit write transactions in groups, one fsync making a batch durable (no write
    /// is acknowledged before it is). Off, each write transaction waits for its own fsync.
    pub sqlite_group_commit: bool,
}

/// Outgoing e-mail.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    /// The SMTP server: `smtps://host:465` (TLS), `smtp://host:587?tls=required` (STARTTLS),
    /// with `user:password@` when it needs a login; a plain `smtp://host:25` sends unencrypted,
    /// for a relay on the same machine or network only. Unset: no e-mail is sent (invitation
    /// links are still shown to the admin who made them).
    #[serde(skip_serializing, default)]
    pub smtp_url: Option<SecretString>,
    /// The sender of Bosun's e-mails.
    pub from: String,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig { smtp_url: None, from: "Bosun <bosun@localhost>".into() }
    }
}

/// Logs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    /// `json` (default) or `pretty`.
    pub format: String,
    /// A tracing filter such as `info` or `bosun=debug,info`.
    pub level: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            server: ServerConfig::default(),
            database: DatabaseConfig {
                url: String::new(),
                migrate_url: None,
                removed_runtime_role: None,
                max_connections: 16,
                sqlite_group_commit: true,
            },
            auth: AuthConfig::default(),
            log: LogConfig { format: "json".into(), level: "info".into() },
            attachments: AttachmentsConfig::default(),
            mail: MailConfig::default(),
            live: LiveConfig::default(),
            limits: LimitsConfig::default(),
            sync: SyncConfig::default(),
        }
    }
}

/// Why a configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A source could not be read or parsed.
    #[error("configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    /// A value is out of range.
    #[error("configuration: {0}")]
    Invalid(String),
}

impl Config {
    /// Loads defaults, the TOML file (when it exists) and `BOSUN__…` variables.
    pub fn load(file: Option<&std::path::Path>) -> Result<Self, ConfigError> {
        let mut f = Figment::from(Serialized::defaults(Config::default()));
        let file = file.map(PathBuf::from).unwrap_or_else(|| PathBuf::from("bosun.toml"));
        if file.exists() {
            f = f.merge(Toml::file(file));
        }
        let config: Config = f.merge(Env::prefixed("BOSUN__").split("__")).extract().map_err(Box::new)?;
        Ok(config)
    }

    /// Checks ranges before anything starts.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.validate_database()?;
        if !(1..=1_000_000).contains(&self.sync.min_schema_version) {
            return Err(ConfigError::Invalid("sync.min_schema_version must be between 1 and 1000000".into()));
        }
        if self.sync.compact_after_days > 3650 || self.sync.tombstone_days > 3650 {
            return Err(ConfigError::Invalid(
                "sync.compact_after_days and sync.tombstone_days must be between 0 and 3650".into(),
            ));
        }
        let a = &self.auth;
        if !(30..=900).contains(&a.access_token_secs) {
            return Err(ConfigError::Invalid("auth.access_token_secs must be between 30 and 900".into()));
        }
        if !(0..=60).contains(&a.refresh_grace_secs) {
            return Err(ConfigError::Invalid("auth.refresh_grace_secs must be between 0 and 60".into()));
        }
        if a.session_days < 1 || a.max_concurrent_hashes == 0 || a.lock_after_failures < 1 || a.max_lock_secs < 1 {
            return Err(ConfigError::Invalid(
                "auth.session_days, max_concurrent_hashes, lock_after_failures and max_lock_secs must be positive"
                    .into(),
            ));
        }
        let positive = [
            ("session_idle_hours", a.session_idle_hours),
            ("account_failures", a.account_failures),
            ("address_failures", a.address_failures),
            ("failure_decay_secs", a.failure_decay_secs),
            ("invitation_days", a.invitation_days),
            ("password_reset_minutes", a.password_reset_minutes),
            ("api_key_max_days", a.api_key_max_days),
        ];
        if let Some((name, _)) = positive.iter().find(|(_, v)| *v < 1) {
            return Err(ConfigError::Invalid(format!("auth.{name} must be positive")));
        }
        if !(0..=30).contains(&a.rotation_grace_days) {
            return Err(ConfigError::Invalid("auth.rotation_grace_days must be between 0 and 30".into()));
        }
        if a.password_reset_minutes > 24 * 60 || a.invitation_days > 30 {
            return Err(ConfigError::Invalid(
                "auth.password_reset_minutes may be at most a day and auth.invitation_days at most 30".into(),
            ));
        }
        if a.mfa_issuer.trim().is_empty() || a.mfa_issuer.len() > 60 || a.mfa_issuer.contains(':') {
            return Err(ConfigError::Invalid("auth.mfa_issuer must be 1–60 characters without ':'".into()));
        }
        let l = &self.limits;
        if [l.basic_per_minute, l.pro_per_minute, l.enterprise_per_minute, l.company_factor, l.anonymous_per_minute]
            .iter()
            .any(|v| *v < 1)
            || !(50..=60_000).contains(&l.sync_millis)
        {
            return Err(ConfigError::Invalid(
                "limits: every rate must be positive and limits.sync_millis between 50 and 60000".into(),
            ));
        }
        if let Some(url) = &self.mail.smtp_url {
            let url = secrecy::ExposeSecret::expose_secret(url);
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return Err(ConfigError::Invalid("mail.smtp_url must start with smtp:// or smtps://".into()));
            }
        }
        if self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::Invalid(
                "mail.from must be an address such as \"Bosun <bosun@example.com>\"".into(),
            ));
        }
        if let Some(s) = &a.jwt_secret
            && secrecy::ExposeSecret::expose_secret(s).len() < 32
        {
            return Err(ConfigError::Invalid("auth.jwt_secret must have at least 32 characters".into()));
        }
        if let Some(s) = &self.server.metrics_token
            && secrecy::ExposeSecret::expose_secret(s).len() < 16
        {
            return Err(ConfigError::Invalid("server.metrics_token must have at least 16 characters".into()));
        }
        if self.attachments.max_bytes < 1024 || self.attachments.max_bytes > 1024 * 1024 * 1024 {
            return Err(ConfigError::Invalid("attachments.max_bytes must be between 1 KiB and 1 GiB".into()));
        }
        if !(320..=50_000).contains(&self.attachments.max_image_pixels_side) {
            return Err(ConfigError::Invalid("attachments.max_image_pixels_side must be between 320 and 50000".into()));
        }
        let live = &self.live;
        if live.max_connections_per_person == 0 || live.max_connections_per_company < live.max_connections_per_person {
            return Err(ConfigError::Invalid(
                "live.max_connections_per_person must be at least 1 and at most live.max_connections_per_company"
                    .into(),
            ));
        }
        if self.server.max_body_bytes < 1024 {
            return Err(ConfigError::Invalid("server.max_body_bytes must be at least 1024".into()));
        }
        if self.server.max_import_bytes < self.server.max_body_bytes {
            return Err(ConfigError::Invalid("server.max_import_bytes must be at least server.max_body_bytes".into()));
        }
        let s = &self.server;
        if !(1..=300).contains(&s.header_read_timeout_secs) {
            return Err(ConfigError::Invalid("server.header_read_timeout_secs must be between 1 and 300".into()));
        }
        if !(1..=3600).contains(&s.keep_alive_secs) {
            return Err(ConfigError::Invalid("server.keep_alive_secs must be between 1 and 3600".into()));
        }
        if !(1..=3600).contains(&s.request_timeout_secs) {
            return Err(ConfigError::Invalid("server.request_timeout_secs must be between 1 and 3600".into()));
        }
        if !(s.request_timeout_secs..=86_400).contains(&s.upload_timeout_secs) {
            return Err(ConfigError::Invalid(
                "server.upload_timeout_secs must be between server.request_timeout_secs and 86400".into(),
            ));
        }
        if !(1..=100_000).contains(&s.max_connections) {
            return Err(ConfigError::Invalid("server.max_connections must be between 1 and 100000".into()));
        }
        let url = &self.server.public_url;
        let well_formed = (url.starts_with("http://") || url.starts_with("https://"))
            && url.len() <= 200
            && !url.ends_with('/')
            && !url.contains(['?', '#'])
            && url.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '`'));
        if !well_formed {
            return Err(ConfigError::Invalid(
                "server.public_url must be an http:// or https:// address without a trailing slash, query or spaces"
                    .into(),
            ));
        }
        Ok(())
    }

    /// The database settings: no role switching left over from older files, and a migration
    /// URL only beside a PostgreSQL one.
    fn validate_database(&self) -> Result<(), ConfigError> {
        let d = &self.database;
        if d.removed_runtime_role.is_some() {
            return Err(ConfigError::Invalid(
                "database.runtime_role is no longer read: bosun logs in as the runtime role itself. Put its \
                 login in database.url (postgres://bosun_app:…@host/bosun), the owner's in database.migrate_url, \
                 and remove database.runtime_role (README, \"Several instances on PostgreSQL\")"
                    .into(),
            ));
        }
        if let Some(migrate_url) = &d.migrate_url {
            let migrate_url = secrecy::ExposeSecret::expose_secret(migrate_url);
            if !is_postgres_url(migrate_url) {
                return Err(ConfigError::Invalid(
                    "database.migrate_url must be a postgres:// URL (the role that owns the schema)".into(),
                ));
            }
            if !is_postgres_url(&d.url) {
                return Err(ConfigError::Invalid(
                    "database.migrate_url is for PostgreSQL: set database.url to the runtime role's postgres:// URL"
                        .into(),
                ));
            }
        }
        Ok(())
    }

    /// The database URL: the configured one, or the SQLite file in the data dir.
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            format!("sqlite://{}", self.server.data_dir.join("bosun.db").display())
        } else {
            self.database.url.clone()
        }
    }
}

/// Whether `url` names a PostgreSQL database.
pub(crate) fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The commented example printed by `bosun config print-default`.
pub fn print_default() -> String {
    let c = Config::default();
    format!(
        r#"# bosun.toml — every key is optional; BOSUN__SECTION__KEY environment variables and
# command-line flags override the file (e.g. BOSUN__DATABASE__URL).

[server]
# Address and port to listen on.
listen = "{listen}"
# Folder for the SQLite file (bosun.db) and uploads.
data_dir = "{data_dir}"
# Largest request body accepted, in bytes.
max_body_bytes = {body}
# Largest CSV equipment import accepted, in bytes (POST /vessels/{{id}}/equipment/import).
max_import_bytes = {import}
# The address people open Bosun at. Equipment QR labels encode {{public_url}}/q/{{code}}, so set
# it to the address phones on board reach (no trailing slash) before printing labels.
public_url = "{public_url}"
# /metrics answers clients on this machine only, unless scrapers send this bearer token.
# Behind a reverse proxy every request comes from the proxy, so set it there.
# metrics_token = "at least 16 characters"
# Reverse proxies whose X-Forwarded-For is believed: addresses or CIDR ranges, e.g.
# ["127.0.0.1", "10.0.0.0/8"]. The client address (audit trail, login throttling) is the
# rightmost address in X-Forwarded-For that is not one of them. Empty: the TCP peer, always.
trusted_proxies = {trusted}
# A client must send a whole request head within this many seconds of its first byte (or of
# connecting); one that trickles it is disconnected.
header_read_timeout_secs = {header_read}
# An idle keep-alive connection is closed after this many seconds. Keep it longer than a
# reverse proxy's idle timeout for its upstream connections (nginx: 60 s).
keep_alive_secs = {keep_alive}
# A request, body included, must be answered within this many seconds, else 408.
request_timeout_secs = {request_timeout}
# The same for uploads (POST /attachments, POST /vessels/{{id}}/equipment/import), which may
# carry megabytes over a satellite link.
upload_timeout_secs = {upload_timeout}
# Connections served at once, WebSockets included; more wait in the kernel's accept queue
# until one closes. Each needs a file descriptor: raise `ulimit -n` (LimitNOFILE) with it.
max_connections = {max_connections}

[database]
# Empty: the embedded SQLite file <data_dir>/bosun.db.
# PostgreSQL (several bosun processes may share it): the runtime role every command but
# `bosun migrate` logs in as, e.g. postgres://bosun_app:secret@db.example:5432/bosun. bosun
# refuses it when it is a superuser, has BYPASSRLS or CREATEROLE, owns a table, or may become
# a role that does: row-level security would not bind it.
url = ""
# PostgreSQL: the role that owns the schema, which runs the migrations (`bosun migrate`, and
# `bosun serve` before serving). Unset: `bosun migrate` uses url (give it the owner's), and
# `bosun serve` refuses a schema that is not current.
# migrate_url = "postgres://bosun_owner:secret@db.example:5432/bosun"
max_connections = {conns}
# SQLite: commit concurrent writes together, one fsync per batch (each still waits until its
# batch is durable before it is acknowledged). false: one fsync per write.
sqlite_group_commit = {group_commit}

[auth]
# Access tokens live at most 15 minutes; sessions are renewed through the refresh cookie.
access_token_secs = {access}
# Absolute lifetime of a session, however often it is refreshed.
session_days = {session}
# The refresh token just rotated stays valid this long (replies lost on poor links).
refresh_grace_secs = {grace}
# jwt_secret = "at least 32 characters"   # default: generated once, kept in the database
max_concurrent_hashes = {hashes}
# Failed logins: one account from one address (or from one device it signed in on before)
# locks after lock_after_failures; devices it never signed in on are locked out of it after
# account_failures from anywhere (its owner's known devices still get in); unknown devices at
# one address after address_failures (a vessel's crew may share one satellite address). Locks
# last 1 s, doubling up to max_lock_secs; each failure is forgotten after failure_decay_secs.
lock_after_failures = {lock}
account_failures = {acct}
address_failures = {addr}
failure_decay_secs = {decay}
max_lock_secs = {max_lock}
cookie_secure = {secure}
# A session not refreshed for this long ends, in hours (a crew offline for two weeks keeps it).
session_idle_hours = {idle}
invitation_days = {invite}
password_reset_minutes = {reset}
api_key_max_days = {key_days}
# The name authenticator apps show next to Bosun's codes.
mfa_issuer = "{issuer}"
# A person whose rotation ended more than this many days ago no longer reaches the vessel.
rotation_grace_days = {grace_days}

[log]
# json or pretty
format = "{format}"
level = "{level}"

[attachments]
# Photos and documents live under <data_dir>/files/<company>/, addressed by SHA-256.
# Largest upload, in bytes (413 above it).
max_bytes = {att_max}
# Images wider or taller than this are refused (decompression bombs); thumbnails are 320 px.
max_image_pixels_side = {att_side}

[mail]
# smtps://host:465 (TLS) or smtp://host:587?tls=required (STARTTLS), with user:password@ if
# needed; plain smtp://host:25 is unencrypted (a relay on the same machine or network only).
# Unset: no e-mail is sent; invitation links are still shown to the admin who made them.
# smtp_url = "smtps://bosun:secret@mail.example.com:465"
from = "{mail_from}"

[live]
# WebSocket connections to /api/v1/events one person, and one company, may hold at once in one
# process (each tab and device is one); more answer 429 too_many_connections.
max_connections_per_person = {live_person}
max_connections_per_company = {live_company}

[limits]
# Requests a minute per person or API key, by the company's plan (set with `bosun company plan`;
# an enterprise may have its own agreed rate). A company may make company_factor times that.
# Requests without credentials count per client address. Over a limit: 429 with Retry-After.
basic_per_minute = {basic}
pro_per_minute = {pro}
enterprise_per_minute = {enterprise}
company_factor = {factor}
anonymous_per_minute = {anonymous}
# PostgreSQL: how often each instance adds its counts to the ones every instance shares.
sync_millis = {sync}

[sync]
# The oldest client schema the offline sync protocol serves: an older app's queued changes are
# still applied, then it is told to update (pulls answer 409 client_outdated).
min_schema_version = {min_schema}
# Mutators no longer accepted, e.g. ["report_fault.v1"]: a queued one is rejected
# mutator_retired, its arguments kept.
retired_mutators = []
# Changes older than this many days are folded, each row's into its last change (0: never).
# Every device still catches up exactly; keep it well above the longest time a device stays
# offline (conflicts on a write queued longer ago are judged against the folded change).
compact_after_days = {compact_days}
# Deletes older than this many days are dropped when the log is compacted (0: kept); a device
# whose last sync is older walks that vessel's (or the company's) rows again.
tombstone_days = {tombstone_days}
"#,
        listen = c.server.listen,
        data_dir = c.server.data_dir.display(),
        body = c.server.max_body_bytes,
        import = c.server.max_import_bytes,
        public_url = c.server.public_url,
        trusted = serde_json::to_string(&c.server.trusted_proxies).unwrap_or_else(|_| "[]".into()),
        header_read = c.server.header_read_timeout_secs,
        keep_alive = c.server.keep_alive_secs,
        request_timeout = c.server.request_timeout_secs,
        upload_timeout = c.server.upload_timeout_secs,
        max_connections = c.server.max_connections,
        conns = c.database.max_connections,
        group_commit = c.database.sqlite_group_commit,
        access = c.auth.access_token_secs,
        session = c.auth.session_days,
        grace = c.auth.refresh_grace_secs,
        hashes = c.auth.max_concurrent_hashes,
        lock = c.auth.lock_after_failures,
        max_lock = c.auth.max_lock_secs,
        secure = c.auth.cookie_secure,
        format = c.log.format,
        level = c.log.level,
        att_max = c.attachments.max_bytes,
        att_side = c.attachments.max_image_pixels_side,
        acct = c.auth.account_failures,
        addr = c.auth.address_failures,
        decay = c.auth.failure_decay_secs,
        idle = c.auth.session_idle_hours,
        invite = c.auth.invitation_days,
        reset = c.auth.password_reset_minutes,
        key_days = c.auth.api_key_max_days,
        issuer = c.auth.mfa_issuer,
        grace_days = c.auth.rotation_grace_days,
        mail_from = c.mail.from,
        live_person = c.live.max_connections_per_person,
        live_company = c.live.max_connections_per_company,
        basic = c.limits.basic_per_minute,
        pro = c.limits.pro_per_minute,
        enterprise = c.limits.enterprise_per_minute,
        factor = c.limits.company_factor,
        anonymous = c.limits.anonymous_per_minute,
        sync = c.limits.sync_millis,
        min_schema = c.sync.min_schema_version,
        compact_days = c.sync.compact_after_days,
        tombstone_days = c.sync.tombstone_days,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_default_parses_back_to_the_defaults() {
        let parsed: Config = Figment::from(Toml::string(&print_default())).extract().unwrap();
        assert_eq!(serde_json::to_value(parsed).unwrap(), serde_json::to_value(Config::default()).unwrap());
    }

    #[test]
    fn a_public_url_must_be_a_plain_http_address() {
        for bad in
            ["ftp://bosun.example", "https://bosun.example/", "https://bosun example", "bosun.example", "https://x/?a"]
        {
            let mut c = Config::default();
            c.server.public_url = bad.into();
            assert!(c.validate().is_err(), "{bad} accepted");
        }
        let mut c = Config::default();
        c.server.public_url = "https://bosun.northwind.example:8443/fleet".into();
        assert!(c.validate().is_ok());
    }

    #[test]
    fn trusted_proxies_are_addresses_or_ranges() {
        let toml = r#"
            [server]
            trusted_proxies = ["127.0.0.1", "10.0.0.0/8", "10.1.2.3/16", "fd00::/8", "::ffff:192.0.2.1"]
        "#;
        let c: Config =
            Figment::from(Serialized::defaults(Config::default())).merge(Toml::string(toml)).extract().unwrap();
        let shown: Vec<String> = c.server.trusted_proxies.iter().map(|r| String::from(*r)).collect();
        assert_eq!(shown, ["127.0.0.1", "10.0.0.0/8", "10.1.0.0/16", "fd00::/8", "192.0.2.1"]);
        let inside = |ip: &str| c.server.trusted_proxies.iter().any(|r| r.contains(ip.parse().unwrap()));
        assert!(inside("10.200.0.1") && inside("10.1.9.9") && inside("fd12::1") && inside("::ffff:127.0.0.1"));
        assert!(!inside("127.0.0.2") && !inside("11.0.0.1") && !inside("fe80::1"));

        for bad in [r#"["proxy.example"]"#, r#"["10.0.0.0/33"]"#, r#"["10.0.0.1:80"]"#] {
            let toml = format!("[server]\ntrusted_proxies = {bad}");
            let parsed = Figment::from(Serialized::defaults(Config::default())).merge(Toml::string(&toml)).extract();
            assert!(parsed.map(|c: Config| c.server.trusted_proxies).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn trusted_proxies_can_come_from_the_environment() {
        // `BOSUN__SERVER__TRUSTED_PROXIES=[10.0.0.1, 192.168.0.0/16]`: figment's environment
        // provider parses each value this way.
        let value: figment::value::Value = "[10.0.0.1, 192.168.0.0/16]".parse().unwrap();
        let c: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(Serialized::default("server.trusted_proxies", value))
            .extract()
            .unwrap();
        let shown: Vec<String> = c.server.trusted_proxies.iter().map(|r| String::from(*r)).collect();
        assert_eq!(shown, ["10.0.0.1", "192.168.0.0/16"]);
    }

    #[test]
    fn no_file_or_variable_can_lower_the_password_hashing_cost() {
        // `BOSUN__AUTH__PASSWORD_COST=test_only` arrives as this key; the file the same way.
        for value in ["test_only", "TestOnly"] {
            let parsed: Result<Config, _> = Figment::from(Serialized::defaults(Config::default()))
                .merge(Serialized::default("auth.password_cost", value))
                .extract();
            assert!(parsed.is_err(), "auth.password_cost = {value} accepted");
        }
        assert_eq!(Config::default().auth.password_cost, bosun_app::config::PasswordCost::Standard);
    }

    #[test]
    fn timeouts_and_the_connection_cap_are_checked() {
        let refused = |change: fn(&mut ServerConfig)| {
            let mut c = Config::default();
            change(&mut c.server);
            c.validate().is_err()
        };
        assert!(refused(|s| s.header_read_timeout_secs = 0));
        assert!(refused(|s| s.keep_alive_secs = 0));
        assert!(refused(|s| s.request_timeout_secs = 0));
        assert!(refused(|s| s.upload_timeout_secs = s.request_timeout_secs - 1), "uploads get at least as long");
        assert!(refused(|s| s.max_connections = 0));
        assert!(Config::default().validate().is_ok());
    }

    #[test]
    fn live_connection_caps_must_be_positive_and_nested() {
        let mut c = Config::default();
        c.live.max_connections_per_person = 0;
        assert!(c.validate().is_err());
        c.live.max_connections_per_person = 20;
        c.live.max_connections_per_company = 10;
        assert!(c.validate().is_err(), "a person's cap above the company's");
        c.live.max_connections_per_company = 20;
        assert!(c.validate().is_ok());
    }

    #[test]
    fn a_configuration_that_still_sets_runtime_role_is_refused_with_directions() {
        for file in ["[database]\nruntime_role = \"bosun_app\"", "[database]\nruntime_role = \"\""] {
            let config: Config = Figment::from(Serialized::defaults(Config::default()))
                .merge(Toml::string(file))
                .extract()
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            let refused = config.validate().expect_err(file).to_string();
            assert!(refused.contains("database.runtime_role is no longer read"), "{refused}");
            assert!(refused.contains("database.migrate_url"), "the refusal says where the owner goes: {refused}");
        }
    }

    #[test]
    fn a_migrate_url_goes_with_a_postgres_url_and_names_postgres() {
        let with = |url: &str, migrate_url: &str| {
            let mut c = Config::default();
            c.database.url = url.into();
            c.database.migrate_url = Some(migrate_url.into());
            c.validate()
        };
        assert!(with("postgres://bosun_app@db/bosun", "postgres://bosun_owner@db/bosun").is_ok());
        assert!(with("postgresql://bosun_app@db/bosun", "postgresql://bosun_owner@db/bosun").is_ok());
        assert!(with("", "postgres://bosun_owner@db/bosun").is_err(), "a migrate_url beside SQLite");
        assert!(with("postgres://bosun_app@db/bosun", "sqlite://bosun.db").is_err());
    }

    #[test]
    fn the_migrate_url_is_neither_debug_printed_nor_serialised() {
        let mut c = Config::default();
        c.database.url = "postgres://bosun_app@db/bosun".into();
        c.database.migrate_url = Some("postgres://bosun_owner:hunter2-owner@db/bosun".into());
        assert!(!format!("{c:?}").contains("hunter2-owner"));
        assert!(!serde_json::to_string(&c).unwrap().contains("hunter2-owner"));
    }

    #[test]
    fn an_access_token_longer_than_fifteen_minutes_is_refused() {
        let mut c = Config::default();
        c.auth.access_token_secs = 3600;
        assert!(c.validate().is_err());
    }
}

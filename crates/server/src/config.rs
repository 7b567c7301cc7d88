//! One configuration tree, loaded once in `main`: defaults, then an optional `bosun.toml`,
//! then `BOSUN__SECTION__KEY` environment variables, then command-line flags.

use std::net::SocketAddr;
use std::path::PathBuf;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

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
}

/// The HTTP server.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// Folder for the SQLite file and uploads.
    pub data_dir: PathBuf,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Largest CSV import accepted, in bytes (an equipment list is larger than a JSON body).
    pub max_import_bytes: usize,
    /// The address people open Bosun at; equipment QR codes encode `{public_url}/q/{code}`.
    pub public_url: String,
    /// Bearer token a scraper of `/metrics` must send. When unset, `/metrics` answers only
    /// clients on the loopback interface (a Prometheus agent on the same machine).
    #[serde(skip_serializing, default)]
    pub metrics_token: Option<SecretString>,
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
    /// Failed logins before an account or address is locked, doubling each time.
    pub lock_after_failures: i64,
    /// Longest lock, in seconds.
    pub max_lock_secs: i64,
    /// Mark the refresh cookie `Secure` (required by the `__Host-` prefix; browsers accept it
    /// on http://localhost).
    pub cookie_secure: bool,
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

/// Uploaded photos and documents.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentsConfig {
    /// Largest file accepted, in bytes; larger uploads answer 413.
    pub max_bytes: usize,
    /// Largest width or height, in pixels, of an image Bosun decodes to make a thumbnail.
    pub max_image_pixels_side: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            server: ServerConfig {
                listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
                data_dir: PathBuf::from("./bosun-data"),
                max_body_bytes: 1024 * 1024,
                max_import_bytes: 8 * 1024 * 1024,
                public_url: "http://127.0.0.1:8080".into(),
                metrics_token: None,
            },
            database: DatabaseConfig {
                url: String::new(),
                migrate_url: None,
                removed_runtime_role: None,
                max_connections: 16,
                sqlite_group_commit: true,
            },
            auth: AuthConfig {
                access_token_secs: 900,
                session_days: 30,
                refresh_grace_secs: 30,
                jwt_secret: None,
                max_concurrent_hashes: 2,
                lock_after_failures: 5,
                max_lock_secs: 900,
                cookie_secure: true,
            },
            log: LogConfig { format: "json".into(), level: "info".into() },
            attachments: AttachmentsConfig { max_bytes: 20 * 1024 * 1024, max_image_pixels_side: 12_000 },
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
        if self.server.max_body_bytes < 1024 {
            return Err(ConfigError::Invalid("server.max_body_bytes must be at least 1024".into()));
        }
        if self.server.max_import_bytes < self.server.max_body_bytes {
            return Err(ConfigError::Invalid("server.max_import_bytes must be at least server.max_body_bytes".into()));
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
# metrics_token = "at least 16 characters"

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
lock_after_failures = {lock}
max_lock_secs = {max_lock}
cookie_secure = {secure}

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
"#,
        listen = c.server.listen,
        data_dir = c.server.data_dir.display(),
        body = c.server.max_body_bytes,
        import = c.server.max_import_bytes,
        public_url = c.server.public_url,
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

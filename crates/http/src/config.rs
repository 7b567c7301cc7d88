//! The `[server]` section of the configuration: listening, limits on requests and
//! connections, the public address and the proxies trusted to forward a client's address.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

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
    /// clients on this machine (a Prometheus agent on the same machine): a loopback peer, not
    /// through a reverse proxy.
    #[serde(skip_serializing, default)]
    pub metrics_token: Option<SecretString>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (addresses or CIDR ranges). A request
    /// from any other peer is taken to come from that peer, whatever its headers say.
    pub trusted_proxies: Vec<IpRange>,
    /// Seconds a client has to send a whole request head, from its first byte (or from
    /// connecting); a client that trickles it is disconnected.
    pub header_read_timeout_secs: u64,
    /// Seconds an idle keep-alive connection is kept open waiting for its next request.
    pub keep_alive_secs: u64,
    /// Seconds a request may take, body included, before it is answered 408.
    pub request_timeout_secs: u64,
    /// The same for the upload routes (attachments and CSV equipment imports), which carry
    /// megabytes over slow links.
    pub upload_timeout_secs: u64,
    /// Connections served at once (WebSockets included); more wait in the accept queue.
    pub max_connections: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./bosun-data"),
            max_body_bytes: 1024 * 1024,
            max_import_bytes: 8 * 1024 * 1024,
            public_url: "http://127.0.0.1:8080".into(),
            metrics_token: None,
            trusted_proxies: Vec::new(),
            header_read_timeout_secs: 20,
            keep_alive_secs: 75,
            request_timeout_secs: 30,
            upload_timeout_secs: 15 * 60,
            max_connections: 512,
        }
    }
}

/// An IP address or a CIDR range (`10.0.0.7`, `10.0.0.0/8`, `fd00::/8`), as configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IpRange(ipnet::IpNet);

impl IpRange {
    /// Whether `ip` lies in the range (an IPv4 address written as `::ffff:a.b.c.d` counts as
    /// the IPv4 address).
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.contains(&ip.to_canonical())
    }
}

impl std::str::FromStr for IpRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let net = match s.parse::<IpAddr>() {
            Ok(ip) => ipnet::IpNet::from(ip.to_canonical()),
            Err(_) => {
                s.parse::<ipnet::IpNet>().map_err(|_| format!("{s:?} is neither an IP address nor a CIDR range"))?
            }
        };
        // Host bits set (10.0.0.7/8) mean the network they are in.
        Ok(Self(net.trunc()))
    }
}

impl TryFrom<String> for IpRange {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<IpRange> for String {
    fn from(r: IpRange) -> Self {
        // A single host reads back as the address it was written as.
        if r.0.prefix_len() == r.0.max_prefix_len() { r.0.addr().to_string() } else { r.0.to_string() }
    }
}

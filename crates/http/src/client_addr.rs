//! Who is on the other end: the client address of a request, worked out once per request and
//! kept in its extensions as a [`ClientAddr`] for the audit trail, login throttling and
//! `/metrics`.
//!
//! The rule: the client is the TCP peer, unless the peer is one of `server.trusted_proxies`.
//! Then `X-Forwarded-For` is read from the right (each proxy appends the address it was
//! reached from), skipping trusted proxies; the first untrusted address is the client. When
//! every address is trusted, the leftmost is. Everything left of the client was written by the
//! client itself and proves nothing, so an untrusted peer's header is never read at all, and a
//! malformed entry ends the walk (the client is then the last address read, at worst the peer).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::http::HeaderMap;

use crate::config::IpRange;

/// The client address of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr {
    /// The client, as far as the trusted proxies say (IPv4-mapped IPv6 written as IPv4).
    pub ip: IpAddr,
    /// Whether the request came through a trusted proxy (the TCP peer is one).
    pub via_proxy: bool,
}

/// The proxies whose `X-Forwarded-For` is believed.
pub(crate) type TrustedProxies = Arc<[IpRange]>;

/// Works out the client of a request from `peer` to this server.
pub(crate) fn client_of(peer: IpAddr, headers: &HeaderMap, trusted: &[IpRange]) -> ClientAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|r| r.contains(ip));
    let peer = peer.to_canonical();
    if !is_trusted(peer) {
        return ClientAddr { ip: peer, via_proxy: false };
    }
    let mut client = peer;
    // Several header lines count as one list, in order; walked from the end.
    for line in headers.get_all("x-forwarded-for").iter().rev() {
        let Ok(line) = line.to_str() else { break };
        for hop in line.rsplit(',') {
            let Some(ip) = parse_hop(hop) else { return ClientAddr { ip: client, via_proxy: true } };
            client = ip;
            if !is_trusted(ip) {
                return ClientAddr { ip, via_proxy: true };
            }
        }
    }
    ClientAddr { ip: client, via_proxy: true }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`192.0.2.1:4711`,
/// `[2001:db8::1]:4711`) or in brackets.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| hop.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
        .map(|ip| ip.to_canonical())
}

/// Whether a request carries headers a forwarding proxy adds.
pub(crate) fn is_forwarded(headers: &HeaderMap) -> bool {
    ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip"]
        .iter()
        .any(|name| headers.contains_key(*name))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ranges(list: &[&str]) -> Vec<IpRange> {
        list.iter().map(|r| r.parse().unwrap()).collect()
    }

    fn forwarded_for(lines: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for l in lines {
            h.append("x-forwarded-for", HeaderValue::from_str(l).unwrap());
        }
        h
    }

    fn client(peer: &str, lines: &[&str], trusted: &[&str]) -> ClientAddr {
        client_of(peer.parse().unwrap(), &forwarded_for(lines), &ranges(trusted))
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_its_headers_say() {
        let c = client("198.51.100.20", &["203.0.113.9"], &[]);
        assert_eq!(c, ClientAddr { ip: ip("198.51.100.20"), via_proxy: false });
        let c = client("198.51.100.20", &["203.0.113.9"], &["10.0.0.0/8"]);
        assert_eq!(c, ClientAddr { ip: ip("198.51.100.20"), via_proxy: false });
    }

    #[test]
    fn a_trusted_proxy_names_the_client_it_was_reached_from() {
        let c = client("10.0.0.2", &["203.0.113.9"], &["10.0.0.2"]);
        assert_eq!(c, ClientAddr { ip: ip("203.0.113.9"), via_proxy: true });
    }

    #[test]
    fn the_rightmost_untrusted_address_is_the_client_and_what_it_wrote_itself_is_ignored() {
        // The client wrote "1.2.3.4" itself; the edge proxy appended the client's address,
        // an inner proxy the edge proxy's.
        let c = client("10.0.0.2", &["1.2.3.4, 203.0.113.9, 10.0.0.5"], &["10.0.0.0/8"]);
        assert_eq!(c.ip, ip("203.0.113.9"));
        // The same list split over several header lines.
        let c = client("10.0.0.2", &["1.2.3.4", "203.0.113.9", "10.0.0.5"], &["10.0.0.0/8"]);
        assert_eq!(c.ip, ip("203.0.113.9"));
    }

    #[test]
    fn when_every_address_is_trusted_the_leftmost_is_the_client() {
        let c = client("10.0.0.2", &["10.0.0.9, 10.0.0.5"], &["10.0.0.0/8"]);
        assert_eq!(c, ClientAddr { ip: ip("10.0.0.9"), via_proxy: true });
        // Without the header, the proxy itself.
        let c = client("10.0.0.2", &[], &["10.0.0.0/8"]);
        assert_eq!(c, ClientAddr { ip: ip("10.0.0.2"), via_proxy: true });
    }

    #[test]
    fn a_malformed_entry_ends_the_walk_at_the_last_address_read() {
        let c = client("10.0.0.2", &["evil, 10.0.0.9"], &["10.0.0.0/8"]);
        assert_eq!(c.ip, ip("10.0.0.9"));
        let c = client("10.0.0.2", &["unknown"], &["10.0.0.0/8"]);
        assert_eq!(c.ip, ip("10.0.0.2"));
        // An untrusted address to its right is the client; the garbage is never reached.
        let c = client("10.0.0.2", &["evil, 203.0.113.9"], &["10.0.0.0/8"]);
        assert_eq!(c.ip, ip("203.0.113.9"));
    }

    #[test]
    fn ports_brackets_and_mapped_addresses_are_read_as_plain_addresses() {
        let trusted = ["10.0.0.0/8"];
        assert_eq!(client("10.0.0.2", &["203.0.113.9:4711"], &trusted).ip, ip("203.0.113.9"));
        assert_eq!(client("10.0.0.2", &["[2001:db8::7]:4711"], &trusted).ip, ip("2001:db8::7"));
        assert_eq!(client("10.0.0.2", &["[2001:db8::7]"], &trusted).ip, ip("2001:db8::7"));
        assert_eq!(client("10.0.0.2", &[" 2001:db8::7 "], &trusted).ip, ip("2001:db8::7"));
        // A proxy reached over IPv6 as ::ffff:10.0.0.2 is the trusted 10.0.0.2.
        let c = client("::ffff:10.0.0.2", &["::ffff:203.0.113.9"], &trusted);
        assert_eq!(c, ClientAddr { ip: ip("203.0.113.9"), via_proxy: true });
        assert_eq!(client("::ffff:127.0.0.1", &[], &[]).ip, ip("127.0.0.1"));
    }

    #[test]
    fn forwarding_headers_are_recognised() {
        assert!(!is_forwarded(&HeaderMap::new()));
        for name in ["forwarded", "x-forwarded-for", "x-real-ip", "x-forwarded-proto"] {
            let mut h = HeaderMap::new();
            h.insert(name, HeaderValue::from_static("for=192.0.2.60"));
            assert!(is_forwarded(&h), "{name}");
        }
    }
}

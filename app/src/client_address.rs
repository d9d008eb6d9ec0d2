//! Who is on the other end of a request: the address limits count and signatures record.
//!
//! Behind an HTTPS proxy (or a college's shared NAT) every request arrives from the
//! proxy's address. Only when the connection comes from a proxy we were told to trust
//! (`ESAFETY_TRUSTED_PROXIES`) is `X-Forwarded-For` read, from the right: each trusted
//! proxy appends the address it received from, so the right-most address that is not one
//! of our proxies is the client. Anything to its left was written by the client and
//! could be anything.

use ipnet::IpNet;
use std::net::IpAddr;

/// The request's client address, worked out once per request by the server's middleware.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    /// What a limit counts: one IPv4 address, or one IPv6 /64 (a household or a phone
    /// usually has a whole /64, so counting single IPv6 addresses would count nothing).
    pub fn limit_subject(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        }
    }
}

impl std::fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The proxies whose `X-Forwarded-For` we believe. Default: none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Addresses or CIDR ranges, separated by commas or spaces: `10.0.0.5, 192.168.0.0/24`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut nets = Vec::new();
        for item in text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
        {
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!("'{item}' is not an IP address or a CIDR range like 10.0.0.0/8")
                })?;
            nets.push(net);
        }
        Ok(Self(nets))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client of a connection from `peer` that carried these `X-Forwarded-For`
    /// header values (in the order they arrived).
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> ClientAddress {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return ClientAddress(peer);
        }
        let hops: Vec<&str> = forwarded_for
            .iter()
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter(|hop| !hop.is_empty())
            .collect();
        let mut nearest = peer;
        for hop in hops.iter().rev() {
            // An entry we cannot read ends the trusted chain: the proxy that wrote it
            // (the last one we trusted) is the best we know.
            let Some(ip) = parse_hop(hop) else {
                return ClientAddress(nearest);
            };
            if !self.trusts(ip) {
                return ClientAddress(ip);
            }
            nearest = ip;
        }
        ClientAddress(nearest)
    }
}

/// One `X-Forwarded-For` entry: `192.0.2.1`, `2001:db8::1`, `192.0.2.1:1234` or `[2001:db8::1]:443`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Ok(socket) = hop.parse::<std::net::SocketAddr>() {
        return Some(socket.ip().to_canonical());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("203.0.113.9"), &["198.51.100.1"]).0,
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_entry_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 192.168.1.5").unwrap();
        let peer = ip("10.1.2.3");
        // The client wrote a fake first entry; our proxies appended the real one.
        let got = proxies.client(peer, &["6.6.6.6, 198.51.100.7", "192.168.1.5"]);
        assert_eq!(got.0, ip("198.51.100.7"));
        // A connection that is not from a proxy: its own address, whatever it says.
        let direct = proxies.client(ip("198.51.100.8"), &["10.0.0.1"]);
        assert_eq!(direct.0, ip("198.51.100.8"));
        // No header, or only proxies: the nearest proxy's view.
        assert_eq!(proxies.client(peer, &[]).0, peer);
        assert_eq!(proxies.client(peer, &["10.9.9.9"]).0, ip("10.9.9.9"));
        // Garbage stops the chain at the last trusted hop.
        assert_eq!(proxies.client(peer, &["1.2.3.4, nonsense"]).0, peer);
        // Ports and brackets are read; IPv4-mapped IPv6 is IPv4.
        assert_eq!(
            proxies.client(peer, &["[2001:db8::1]:443"]).0,
            ip("2001:db8::1")
        );
        assert_eq!(
            proxies
                .client(ip("::ffff:10.0.0.1"), &["198.51.100.9:5000"])
                .0,
            ip("198.51.100.9")
        );
    }

    #[test]
    fn bad_proxy_lists_name_the_bad_entry() {
        let err = TrustedProxies::parse("10.0.0.1, proxy.local").unwrap_err();
        assert!(err.contains("'proxy.local'"), "{err}");
        assert!(TrustedProxies::parse("").unwrap().is_empty());
    }

    #[test]
    fn ipv6_clients_are_limited_by_their_64() {
        let a = ClientAddress(ip("2001:db8:1:2:aaaa::1")).limit_subject();
        let b = ClientAddress(ip("2001:db8:1:2:bbbb::9")).limit_subject();
        assert_eq!(a, b);
        assert_eq!(ClientAddress(ip("192.0.2.1")).limit_subject(), "192.0.2.1");
    }
}

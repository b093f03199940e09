//! Where collection may connect: public addresses only, unless the config allows a network
//! (`collection.allowed_networks`: the simulator in tests, an intranet careers site).
//!
//! A careers URL is whatever a user pasted, and a page may redirect anywhere: without this a
//! URL could make Jobscout read the cloud metadata service, a router's admin page or Jobscout's
//! own API and store the answer as a "job". Names are checked after DNS, on every connection
//! (a public name resolving to 127.0.0.1 is refused), and URLs holding an IP address, which
//! never reach DNS, before every request and every redirect.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// An IP network in CIDR notation (`127.0.0.0/8`, `fd00::/8`); a bare address is /32 or /128.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    addr: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text.trim(), None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{text}` is not an IP address or network such as 10.0.0.0/8"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(prefix) => prefix
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{text}`: the prefix length must be 0 to {max}"))?,
        };
        Ok(Self { addr, prefix })
    }
}

impl Network {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let bits = |ip: IpAddr| match ip {
            IpAddr::V4(v4) => u128::from(u32::from(v4)),
            IpAddr::V6(v6) => u128::from(v6),
        };
        let ip = canonical(ip);
        if ip.is_ipv4() != self.addr.is_ipv4() {
            return false;
        }
        let width = if ip.is_ipv4() { 32 } else { 128 };
        let shift = width - u32::from(self.prefix);
        // A /0 shifts by the whole width: every address matches.
        (bits(ip) ^ bits(self.addr)).checked_shr(shift).unwrap_or(0) == 0
    }
}

/// An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// What kind of non-public address `ip` is, or `None` for a public one.
pub fn restricted(ip: IpAddr) -> Option<&'static str> {
    match canonical(ip) {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            if v4.is_loopback() {
                Some("a loopback address")
            } else if v4.is_private() {
                Some("a private address")
            } else if v4.is_link_local() {
                Some("a link-local address (where cloud metadata services answer)")
            } else if a == 100 && (b & 0xc0) == 64 {
                Some("a shared (carrier-grade NAT) address")
            } else if a == 0 {
                Some("an unspecified address")
            } else if v4.is_multicast() || a >= 240 {
                Some("a reserved address")
            } else {
                None
            }
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            if v6.is_loopback() {
                Some("a loopback address")
            } else if v6.is_unspecified() {
                Some("an unspecified address")
            } else if first & 0xfe00 == 0xfc00 {
                Some("a private (unique local) address")
            } else if first & 0xffc0 == 0xfe80 {
                Some("a link-local address")
            } else if v6.is_multicast() {
                Some("a reserved address")
            } else {
                None
            }
        }
    }
}

/// Why a connection was not made.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "{host} is {why}; Jobscout only collects from public addresses unless \
     `collection.allowed_networks` includes it"
)]
pub struct Refused {
    pub host: String,
    pub why: &'static str,
}

/// The policy: public addresses, and non-public ones inside an allowed network.
#[derive(Debug, Clone, Default)]
pub struct Egress {
    allowed: Arc<Vec<Network>>,
}

impl Egress {
    pub fn new(allowed: Vec<Network>) -> Self {
        Self {
            allowed: Arc::new(allowed),
        }
    }

    /// Parses `collection.allowed_networks` (already validated with the config).
    pub fn from_config(networks: &[String]) -> Result<Self, String> {
        networks
            .iter()
            .map(|n| n.parse())
            .collect::<Result<Vec<Network>, _>>()
            .map(Self::new)
    }

    fn check(&self, host: &str, ip: IpAddr) -> Result<(), Refused> {
        match restricted(ip) {
            Some(why) if !self.allowed.iter().any(|n| n.contains(ip)) => Err(Refused {
                host: host.to_owned(),
                why,
            }),
            _ => Ok(()),
        }
    }

    /// A URL whose host is an IP address: DNS never sees it, so it is checked here.
    pub fn check_url(&self, url: &url::Url) -> Result<(), Refused> {
        let ip = match url.host() {
            Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
            _ => return Ok(()),
        };
        self.check(url.host_str().unwrap_or_default(), ip)
    }
}

impl reqwest::dns::Resolve for Egress {
    /// The system's resolver, keeping only the addresses the policy allows: a name with a
    /// public and a private address connects to the public one only.
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let egress = self.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let mut refused = None;
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|addr| match egress.check(&host, addr.ip()) {
                    Ok(()) => true,
                    Err(why) => {
                        refused.get_or_insert(why);
                        false
                    }
                })
                .collect();
            match refused {
                Some(refused) if allowed.is_empty() => Err(refused.into()),
                _ => Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn non_public_addresses_are_recognised() {
        for text in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(restricted(ip(text)).is_some(), "{text}");
        }
        for text in [
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "93.184.216.34",
            "2606:4700::1111",
        ] {
            assert_eq!(restricted(ip(text)), None, "{text}");
        }
    }

    #[test]
    fn networks_parse_and_contain() {
        let net: Network = "127.0.0.0/8".parse().unwrap();
        assert!(net.contains(ip("127.9.9.9")));
        assert!(net.contains(ip("::ffff:127.0.0.1")), "mapped IPv4");
        assert!(!net.contains(ip("128.0.0.1")));
        assert!(!net.contains(ip("::1")));
        let one: Network = "10.0.0.5".parse().unwrap();
        assert!(one.contains(ip("10.0.0.5")));
        assert!(!one.contains(ip("10.0.0.6")));
        let all: Network = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("192.168.0.1")));
        let v6: Network = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")));
        assert!(!v6.contains(ip("fe80::1")));
        for bad in ["", "localhost", "10.0.0.0/33", "::/129", "10.0.0.0/x"] {
            assert!(bad.parse::<Network>().is_err(), "{bad}");
        }
    }

    #[test]
    fn urls_with_addresses_are_checked_and_allowances_apply() {
        let strict = Egress::default();
        let url = |u: &str| url::Url::parse(u).unwrap();
        for refused in [
            "http://127.0.0.1:3000/api/v1/jobs",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/",
            // WHATWG URL parsing turns these spellings into 127.0.0.1.
            "http://2130706433/",
            "http://0x7f.1/",
        ] {
            let error = strict.check_url(&url(refused)).unwrap_err();
            assert!(
                error.to_string().contains("collection.allowed_networks"),
                "{error}"
            );
        }
        assert!(
            strict
                .check_url(&url("https://boards-api.greenhouse.io/v1/"))
                .is_ok()
        );
        assert!(strict.check_url(&url("http://93.184.216.34/")).is_ok());
        let loopback = Egress::from_config(&["127.0.0.0/8".into()]).unwrap();
        assert!(loopback.check_url(&url("http://127.0.0.1:4000/")).is_ok());
        assert!(loopback.check_url(&url("http://169.254.169.254/")).is_err());
    }
}

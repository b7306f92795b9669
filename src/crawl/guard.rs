//! Where a site may not send us: a private, loopback, link-local or cloud-metadata address,
//! reached through any name but the ones the user gave. A hostile page can name
//! `http://localhost:6379/` as its form action, or a host whose DNS answers 10.0.0.5; the CI
//! runner that audits it must not knock on its own network's doors and print the answers.
//!
//! The user's own names are trusted: the audited host, `--allow-host` names and the names
//! mapped with `--resolve` (the tests audit 127.0.0.1). Every other name is checked after DNS,
//! on every connection, so a redirect cannot slip past: the resolver hands the HTTP client
//! only the addresses that pass. Literal addresses in URLs never reach a resolver; they are
//! checked before each request and each redirect.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// The names and addresses the user gave, which may be private.
#[derive(Debug, Clone, Default)]
pub struct AddressGuard {
    trusted: Vec<String>,
}

/// The words of every refusal, for callers that only see an error's text.
pub const REFUSED: &str = "a private or local address: not requested";

/// A request the guard refused, said as the report says it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{host} is {address}, a private or local address: not requested")]
pub struct Refused {
    pub host: String,
    pub address: IpAddr,
}

impl AddressGuard {
    /// A guard that trusts these host names or addresses (any case, IPv6 with or without
    /// brackets).
    pub fn trusting<'a>(hosts: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            trusted: hosts.into_iter().map(normal_host).collect(),
        }
    }

    pub fn trusts(&self, host: &str) -> bool {
        let host = normal_host(host);
        self.trusted.contains(&host)
    }

    /// Whether `url` may be requested: its host, when an address, is public or trusted.
    /// Names are checked later, by the resolver.
    ///
    /// # Errors
    /// A literal private or local address nobody trusted.
    pub fn check(&self, url: &Url) -> Result<(), Refused> {
        let address = match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
            _ => return Ok(()),
        };
        if is_private(address) && !self.trusts(&address.to_string()) {
            return Err(Refused {
                host: address.to_string(),
                address,
            });
        }
        Ok(())
    }

    /// The resolver for an HTTP client: `inner` (or the system's), with private and local
    /// answers for untrusted names taken out.
    pub fn resolver(self, inner: Option<Arc<dyn Resolve>>) -> Arc<GuardedResolver> {
        Arc::new(GuardedResolver {
            guard: Arc::new(self),
            inner,
        })
    }
}

fn normal_host(host: &str) -> String {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// Private (10/8, 172.16/12, 192.168/16, fc00::/7), loopback (127/8, ::1), link-local and
/// metadata (169.254/16, fe80::/10), carrier-grade NAT (100.64/10), unspecified (0.0.0.0, ::)
/// and those written as IPv4 inside IPv6 (`::ffff:127.0.0.1`).
pub fn is_private(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(ip) => is_private_v4(ip),
        IpAddr::V6(ip) => {
            if let Some(v4) = ip.to_ipv4_mapped() {
                return is_private_v4(v4);
            }
            ip.is_loopback()
                || ip.is_unspecified()
                || (ip.segments()[0] & 0xfe00) == 0xfc00
                || (ip.segments()[0] & 0xffc0) == 0xfe80
                || is_private_nat64(ip)
        }
    }
}

fn is_private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
}

/// `64:ff9b::10.0.0.1`: the well-known NAT64 prefix carrying a private IPv4 address.
fn is_private_nat64(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if s[..6] != [0x64, 0xff9b, 0, 0, 0, 0] {
        return false;
    }
    let [hi, lo] = [s[6], s[7]];
    let [a, b] = hi.to_be_bytes();
    let [c, d] = lo.to_be_bytes();
    is_private_v4(Ipv4Addr::new(a, b, c, d))
}

/// A resolver that hands over only the addresses the guard allows.
pub struct GuardedResolver {
    guard: Arc<AddressGuard>,
    inner: Option<Arc<dyn Resolve>>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.guard.clone();
        let inner = self.inner.clone();
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<SocketAddr> = match inner {
                Some(inner) => inner.resolve(name).await?.collect(),
                None => tokio::net::lookup_host((host.as_str(), 0)).await?.collect(),
            };
            if guard.trusts(&host) {
                return Ok(Box::new(found.into_iter()) as Addrs);
            }
            let public: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| !is_private(a.ip()))
                .collect();
            if public.is_empty()
                && let Some(first) = found.first()
            {
                return Err(Box::new(Refused {
                    host,
                    address: first.ip(),
                })
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_local_and_metadata_addresses_are_private() {
        for private in [
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "127.0.0.1",
            "127.9.9.9",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(is_private(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.215.14",
            "172.32.0.1",
            "100.128.0.1",
            "2001:db8::1",
            "2606:4700::1111",
        ] {
            assert!(!is_private(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn a_literal_private_address_is_refused_unless_the_user_gave_it() {
        let guard = AddressGuard::trusting(["127.0.0.1", "Shop.Example"]);
        let url = |u: &str| Url::parse(u).unwrap();
        assert!(guard.check(&url("http://127.0.0.1:8080/")).is_ok());
        assert!(guard.check(&url("http://example.com/")).is_ok());
        let refused = guard.check(&url("http://169.254.169.254/latest/meta-data/"));
        assert_eq!(
            refused.unwrap_err().to_string(),
            "169.254.169.254 is 169.254.169.254, a private or local address: not requested"
        );
        assert!(guard.check(&url("http://[::1]:6379/")).is_err());
        assert!(guard.trusts("shop.example."));
    }
}

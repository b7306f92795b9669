//! How doorbell talks HTTP to a site: who it says it is, how long it waits, and where it
//! looks names up. The crawl, the form-action check and the probes each build their client
//! from this one setting, so `--resolve` and `--dns-server` reach every request.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// Give up on a request after this long (`--timeout`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// The User-Agent doorbell sends unless told otherwise (`--user-agent`).
pub fn default_user_agent() -> String {
    format!(
        "doorbell/{} (contact-surface audit; +https://example.com/doorbell)",
        env!("CARGO_PKG_VERSION")
    )
}

#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub user_agent: String,
    pub timeout: Duration,
    /// Host → address overrides, like curl's `--resolve`.
    pub resolve: Vec<(String, IpAddr)>,
    /// Look names up at this DNS server instead of the system's resolver.
    pub dns_server: Option<SocketAddr>,
    /// The names the user gave (the audited host, `--allow-host`): they, and the `resolve`
    /// names, may be private addresses; any other name or address a site leads us to may not.
    pub trusted_hosts: Vec<String>,
}

impl HttpSettings {
    /// The guard every client of these settings goes through.
    pub fn address_guard(&self) -> crate::crawl::guard::AddressGuard {
        crate::crawl::guard::AddressGuard::trusting(
            self.trusted_hosts
                .iter()
                .map(String::as_str)
                .chain(self.resolve.iter().map(|(host, _)| host.as_str())),
        )
    }
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            user_agent: default_user_agent(),
            timeout: DEFAULT_TIMEOUT,
            resolve: Vec::new(),
            dns_server: None,
            trusted_hosts: Vec::new(),
        }
    }
}

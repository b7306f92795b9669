//! What a rendered page may fetch. Every request the page makes is paused and judged before
//! it leaves: images, fonts and media are not fetched (nobody reads them, and they are most
//! of a page's bytes); nothing goes to a private, loopback, link-local or metadata address
//! unless the user named that host, as for the crawler ([`crate::crawl::guard`]). A page
//! that fetches `http://169.254.169.254/` or `http://localhost:6379/` gets an error instead.
//!
//! Chromium resolves names itself: a name is looked up here first and refused when any
//! answer is private. A name whose DNS changes between the two lookups could slip through;
//! the crawler itself, which hands its client only checked addresses, cannot be fooled so.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chromiumoxide::cdp::browser_protocol::network::ResourceType;
use url::{Host, Url};

use crate::crawl::guard::{AddressGuard, is_private};

/// What to do with one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// Not needed to read the page (an image, a font, a video): failed quietly.
    Skip,
    /// Not allowed, with why: failed and reported.
    Refuse(String),
}

/// The rules every rendered page's requests go through.
pub struct RequestPolicy {
    guard: AddressGuard,
    /// Names already looked up: a page asks for the same CDN dozens of times.
    looked_up: Mutex<HashMap<String, Result<(), String>>>,
    /// The hosts a page's request was let through to: the proxy connects to these only, so
    /// the browser's own traffic (its search engine, its update and account services) and
    /// sockets it opens before a page asks go nowhere.
    asked_for: Arc<Mutex<HashSet<String>>>,
}

impl RequestPolicy {
    pub fn new(guard: AddressGuard) -> Self {
        Self {
            guard,
            looked_up: Mutex::new(HashMap::new()),
            asked_for: Arc::default(),
        }
    }

    /// The hosts pages were let through to, shared with the proxy.
    pub fn asked_for(&self) -> Arc<Mutex<HashSet<String>>> {
        self.asked_for.clone()
    }

    /// The verdict on a request for `url` of this kind; an allowed host is noted for the proxy.
    pub async fn judge(&self, url: &str, kind: &ResourceType) -> Verdict {
        let verdict = self.judge_alone(url, kind).await;
        if verdict == Verdict::Allow
            && let Some(host) = Url::parse(url)
                .ok()
                .and_then(|u| u.host_str().map(host_key))
        {
            self.asked_for.lock().expect("not poisoned").insert(host);
        }
        verdict
    }

    async fn judge_alone(&self, url: &str, kind: &ResourceType) -> Verdict {
        if matches!(
            kind,
            ResourceType::Image | ResourceType::Font | ResourceType::Media
        ) {
            return Verdict::Skip;
        }
        let Ok(parsed) = Url::parse(url) else {
            return Verdict::Refuse("not a valid address".into());
        };
        match parsed.scheme() {
            "http" | "https" | "ws" | "wss" => {}
            "data" | "blob" | "about" => return Verdict::Allow,
            other => return Verdict::Refuse(format!("{other}: is not fetched")),
        }
        match parsed.host() {
            Some(Host::Ipv4(_) | Host::Ipv6(_)) => match self.guard.check(&parsed) {
                Ok(()) => Verdict::Allow,
                Err(refused) => Verdict::Refuse(refused.to_string()),
            },
            Some(Host::Domain(name)) if self.guard.trusts(name) => Verdict::Allow,
            Some(Host::Domain(name)) => {
                match self.look_up(name, parsed.port_or_known_default()).await {
                    Ok(()) => Verdict::Allow,
                    Err(why) => Verdict::Refuse(why),
                }
            }
            None => Verdict::Refuse("no host".into()),
        }
    }

    async fn look_up(&self, name: &str, port: Option<u16>) -> Result<(), String> {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if let Some(known) = self.looked_up.lock().expect("not poisoned").get(&name) {
            return known.clone();
        }
        let verdict = match tokio::net::lookup_host((name.as_str(), port.unwrap_or(443))).await {
            Ok(addresses) => {
                let addresses: Vec<IpAddr> = addresses.map(|a| a.ip()).collect();
                match addresses.iter().find(|a| is_private(**a)) {
                    Some(private) => Err(format!(
                        "{name} is {private}, a private or local address: not requested"
                    )),
                    None => Ok(()),
                }
            }
            // Chromium fails the same lookup on its own; nothing to guard.
            Err(_) => Ok(()),
        };
        self.looked_up
            .lock()
            .expect("not poisoned")
            .insert(name, verdict.clone());
        verdict
    }
}

/// A host as the proxy and the policy both write it: lower-case, no brackets, no final dot.
pub fn host_key(host: &str) -> String {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// Requests a probe tab's guard notes as blocked, at most.
const MAX_BLOCKED_NOTED: usize = 200;

/// A probe tab's extra rule: once armed, only the allowed hosts.
pub(super) struct ProbeGuard {
    allow_hosts: Vec<String>,
    armed: AtomicBool,
    pub(super) blocked: Mutex<Vec<String>>,
}

impl ProbeGuard {
    pub(super) fn new(allow_hosts: &[String]) -> Self {
        Self {
            allow_hosts: allow_hosts.to_vec(),
            armed: AtomicBool::new(false),
            blocked: Mutex::default(),
        }
    }

    pub(super) fn arm(&self) {
        self.armed.store(true, Ordering::SeqCst);
    }

    pub(super) fn allows(&self, host: &str) -> bool {
        crate::probe::settings::host_allowed(&self.allow_hosts, &host_key(host))
    }

    /// Refuses, and notes, a request off the allow-list once the form is being filled.
    pub(super) fn judge(&self, url: &str) -> Option<Verdict> {
        if !self.armed.load(Ordering::SeqCst) {
            return None;
        }
        let parsed = Url::parse(url).ok()?;
        if matches!(parsed.scheme(), "data" | "blob" | "about") {
            return None;
        }
        let host = parsed.host_str().unwrap_or_default();
        if self.allows(host) {
            return None;
        }
        let mut blocked = self.blocked.lock().expect("not poisoned");
        if blocked.len() < MAX_BLOCKED_NOTED {
            blocked.push(url.to_string());
        }
        Some(Verdict::Refuse(format!(
            "{host} is not in [probe] allow_hosts: not sent while probing"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn images_are_skipped_and_private_addresses_refused() {
        let policy = RequestPolicy::new(AddressGuard::trusting(["127.0.0.1"]));
        let script = ResourceType::Script;
        assert_eq!(
            policy.judge("http://127.0.0.1:8080/a.js", &script).await,
            Verdict::Allow
        );
        assert_eq!(
            policy
                .judge("http://127.0.0.1:8080/a.png", &ResourceType::Image)
                .await,
            Verdict::Skip
        );
        for hostile in [
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.5/",
            "http://127.0.0.2:6379/",
            "http://[::1]:22/",
            "http://localhost:6379/",
            "file:///etc/passwd",
        ] {
            assert!(
                matches!(policy.judge(hostile, &script).await, Verdict::Refuse(_)),
                "{hostile} let through"
            );
        }
    }
}

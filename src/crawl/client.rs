//! The HTTP clients of an audit, each with its redirect rule, all through the address guard
//! and the user's `--resolve` and `--dns-server`: pages (redirects followed by hand, in
//! `fetch`), robots.txt and sitemaps (within the site), form-action checks (anywhere public)
//! and probe submissions (the allowed hosts only).

use std::net::SocketAddr;
use std::sync::Arc;

use url::Url;

use super::DEFAULT_CONCURRENCY;
use super::dns;
use super::scope::Scope;
use crate::types::crawl::MAX_REDIRECTS;
use crate::types::http::HttpSettings;

/// The crawl could not start at all.
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    #[error("could not set up the HTTP client: {0}")]
    Client(String),
    #[error("could not start the threads that read pages: {0}")]
    Threads(String),
}

/// A client with these HTTP settings that follows redirects: for checking that form actions
/// are alive.
///
/// # Errors
/// When the HTTP client cannot be built.
pub fn aux_client(settings: &HttpSettings) -> Result<reqwest::Client, CrawlError> {
    build_client(settings, DEFAULT_CONCURRENCY, true)
}

pub(super) fn build_client(
    settings: &HttpSettings,
    connections_per_host: usize,
    follow_redirects: bool,
) -> Result<reqwest::Client, CrawlError> {
    let policy = if follow_redirects {
        guarded_policy(settings, |_| true)
    } else {
        reqwest::redirect::Policy::none()
    };
    client_with(settings, connections_per_host, policy)
}

/// A client for probe submissions: redirects are followed only to hosts probes may reach.
/// A redirect elsewhere comes back as the 3xx answer itself, so a form that answers 307 to
/// another host never makes us post the test submission there.
///
/// # Errors
/// When the HTTP client cannot be built.
pub fn probe_client(
    settings: &HttpSettings,
    may_reach: impl Fn(&str) -> bool + Send + Sync + 'static,
) -> Result<reqwest::Client, CrawlError> {
    client_with(
        settings,
        DEFAULT_CONCURRENCY,
        guarded_policy(settings, may_reach),
    )
}

/// At most [`MAX_REDIRECTS`]; a redirect to a host `may_reach` refuses comes back as the 3xx
/// answer; one to a literal private address is an error (names are checked by the resolver).
fn guarded_policy(
    settings: &HttpSettings,
    may_reach: impl Fn(&str) -> bool + Send + Sync + 'static,
) -> reqwest::redirect::Policy {
    let guard = settings.address_guard();
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS {
            return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
        }
        if !attempt.url().host_str().is_some_and(&may_reach) {
            return attempt.stop();
        }
        match guard.check(attempt.url()) {
            Ok(()) => attempt.follow(),
            Err(refused) => attempt.error(refused),
        }
    })
}

/// A client for robots.txt and sitemaps: they may redirect, but only within the site — a
/// hostile robots.txt must not send us to another host (a private address, a metadata
/// service) and show us the answer.
pub(super) fn scoped_client(
    settings: &HttpSettings,
    connections_per_host: usize,
    scope: Scope,
) -> Result<reqwest::Client, CrawlError> {
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS || !scope.contains(attempt.url()) {
            attempt.stop()
        } else {
            attempt.follow()
        }
    });
    client_with(settings, connections_per_host, policy)
}

fn client_with(
    settings: &HttpSettings,
    connections_per_host: usize,
    policy: reqwest::redirect::Policy,
) -> Result<reqwest::Client, CrawlError> {
    let mut builder = reqwest::Client::builder()
        .user_agent(settings.user_agent.clone())
        .cookie_store(true)
        .gzip(true)
        .brotli(true)
        .deflate(true)
        .connect_timeout(settings.timeout)
        .pool_max_idle_per_host(connections_per_host.max(1))
        .redirect(policy);
    let inner: Option<Arc<dyn reqwest::dns::Resolve>> = settings
        .dns_server
        .map(|server| Arc::new(dns::ServerResolver::new(server)) as _);
    builder = builder.dns_resolver(settings.address_guard().resolver(inner));
    for (host, ip) in &settings.resolve {
        let host = Url::parse(&format!("http://{host}/"))
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| host.clone());
        // The port is taken from the URL; reqwest ignores this one.
        builder = builder.resolve(&host, SocketAddr::new(*ip, 0));
    }
    builder
        .build()
        .map_err(|e| CrawlError::Client(e.to_string()))
}

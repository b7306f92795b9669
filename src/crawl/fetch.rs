//! One HTTP fetch with the crawler's limits: redirects followed by hand (each hop checked
//! against the scope, loops detected, at most ten), the body read in chunks up to a cap, a
//! deadline on the whole exchange, and every failure turned into a [`FetchError`] we can
//! report per URL.

use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, LOCATION};
use url::Url;

use super::normalize::normalize;
use super::scope::Scope;
use crate::types::crawl::{FetchError, MAX_REDIRECTS};

/// A response we read.
#[derive(Debug)]
pub struct Fetched {
    /// The URL after redirects, normalised.
    pub url: Url,
    /// Every URL we passed through on the way, normalised, the requested one first.
    pub chain: Vec<Url>,
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// The body was longer than the cap and was cut.
    pub truncated: bool,
    pub elapsed: Duration,
}

#[derive(Debug, Clone)]
pub struct FetchLimits {
    pub timeout: Duration,
    pub max_body: usize,
}

fn describe(err: &reqwest::Error, limits: &FetchLimits) -> FetchError {
    if err.is_timeout() {
        return FetchError::Timeout(limits.timeout.as_secs().max(1));
    }
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = source {
        chain.push_str(&e.to_string());
        chain.push_str(": ");
        source = e.source();
    }
    let chain = chain.trim_end_matches(": ").to_string();
    let lower = chain.to_lowercase();
    if lower.contains("dns error")
        || lower.contains("failed to lookup")
        || lower.contains("name or service not known")
    {
        FetchError::Dns(chain)
    } else if lower.contains("certificate")
        || lower.contains("tls")
        || lower.contains("handshake")
        // rustls meeting a server that does not answer in TLS (plain HTTP on the port).
        || lower.contains("corrupt message")
    {
        FetchError::Tls(chain)
    } else if err.is_connect() {
        FetchError::Connect(chain)
    } else if lower.contains(" parsed") || lower.contains("message head") {
        // hyper's parse errors: "invalid HTTP status-code parsed", "invalid content-length
        // parsed", "message head is too large": the server answered, badly.
        FetchError::Protocol(chain)
    } else if err.is_body() || err.is_decode() {
        FetchError::Body(chain)
    } else {
        FetchError::Connect(chain)
    }
}

/// Fetches `url`, following redirects inside `scope`. `may_visit` is asked for every hop
/// after the first, so a redirect to a page fetched already is not fetched twice.
pub async fn fetch(
    client: &reqwest::Client,
    url: &Url,
    scope: &Scope,
    limits: &FetchLimits,
    mut may_visit: impl FnMut(&Url) -> bool,
) -> Result<Option<Fetched>, FetchError> {
    let started = Instant::now();
    let deadline = started + limits.timeout;
    let mut chain = vec![url.clone()];
    let mut current = url.clone();
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(FetchError::Timeout(limits.timeout.as_secs().max(1)));
        }
        let response = client
            .get(current.clone())
            .timeout(remaining)
            .send()
            .await
            .map_err(|e| describe(&e, limits))?;
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(LOCATION)
                .map(|l| location_text(l.as_bytes()))
                .and_then(|l| current.join(&l).ok())
                .and_then(normalize)
                .ok_or(FetchError::BadRedirect)?;
            if chain.contains(&location) {
                return Err(FetchError::RedirectLoop(location.to_string()));
            }
            if chain.len() > MAX_REDIRECTS {
                return Err(FetchError::TooManyRedirects);
            }
            if !scope.contains(&location) {
                return Err(FetchError::RedirectOutOfScope(location.to_string()));
            }
            if !may_visit(&location) {
                return Ok(None);
            }
            chain.push(location.clone());
            current = location;
            continue;
        }
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|c| c.to_str().ok())
            .map(str::to_string);
        let mime_is_html_or_unknown = content_type.as_deref().is_none_or(|c| {
            let c = c.to_ascii_lowercase();
            c.starts_with("text/html")
                || c.starts_with("application/xhtml")
                || c.starts_with("application/octet-stream")
                || c.starts_with("text/plain")
        });
        if !mime_is_html_or_unknown {
            return Err(FetchError::NotHtml(content_type.unwrap_or_default()));
        }
        let (body, truncated) = read_capped(response, limits).await?;
        if !super::decode::is_html(content_type.as_deref(), &body) {
            return Err(FetchError::NotHtml(
                content_type.unwrap_or_else(|| "unknown".into()),
            ));
        }
        return Ok(Some(Fetched {
            url: current,
            chain,
            status: status.as_u16(),
            content_type,
            body,
            truncated,
            elapsed: started.elapsed(),
        }));
    }
}

/// A `Location` header as browsers read it: raw UTF-8 (`/контакты`) is taken as text, and
/// bytes that are not UTF-8 are percent-encoded, never a reason to stop.
fn location_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => percent_encoding::percent_encode(bytes, &NOT_ASCII).to_string(),
    }
}

/// Bytes outside printable ASCII.
const NOT_ASCII: percent_encoding::AsciiSet = percent_encoding::CONTROLS.add(b' ');

/// Reads the body up to the cap. A body past the cap is cut, not refused: contacts sit in the
/// header and footer, and the first megabytes of a huge page still carry the header.
async fn read_capped(
    mut response: reqwest::Response,
    limits: &FetchLimits,
) -> Result<(Vec<u8>, bool), FetchError> {
    let mut body = Vec::with_capacity(response.content_length().map_or(64 * 1024, |l| {
        usize::try_from(l)
            .unwrap_or(usize::MAX)
            .min(limits.max_body)
    }));
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = limits.max_body - body.len();
                if chunk.len() >= room {
                    body.extend_from_slice(&chunk[..room]);
                    return Ok((body, true));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok((body, false)),
            Err(e) => return Err(describe(&e, limits)),
        }
    }
}

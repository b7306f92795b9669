//! What the crawl did, URL by URL: the crawl writes it, the reports show it.

use serde::Serialize;

/// How a URL was found, reported per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    Start,
    Link,
    Sitemap,
}

/// How the encoding was decided, recorded per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EncodingSource {
    Bom,
    Http,
    Meta,
    Detected,
}

/// At most this many redirects per URL, as browsers do (and the issue asks).
pub const MAX_REDIRECTS: usize = 10;

/// Why a URL yielded no page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", content = "detail", rename_all = "kebab-case")]
pub enum FetchError {
    #[error("DNS lookup failed: {0}")]
    Dns(String),
    #[error("connection failed: {0}")]
    Connect(String),
    #[error("TLS failed: {0}")]
    Tls(String),
    #[error("timed out after {0} s")]
    Timeout(u64),
    #[error("HTTP status {0}")]
    Status(u16),
    #[error("redirect loop back to {0}")]
    RedirectLoop(String),
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("redirect to {0}, outside the site")]
    RedirectOutOfScope(String),
    #[error("redirect without a usable Location")]
    BadRedirect,
    #[error("not an HTML page ({0})")]
    NotHtml(String),
    #[error("reading the response failed: {0}")]
    Body(String),
}

impl FetchError {
    /// Skips are not failures: the crawler chose not to read the URL.
    pub fn is_skip(&self) -> bool {
        matches!(self, Self::NotHtml(_) | Self::RedirectOutOfScope(_))
    }
}

/// Why a URL was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Read and extracted.
    Ok,
    /// Read up to the body cap and extracted from what was read.
    Truncated,
    /// Could not be read; see `error`.
    Failed,
    /// Not read on purpose: robots.txt, not HTML, a redirect off the site or to a page
    /// already read.
    Skipped,
}

/// One URL the crawl dealt with.
#[derive(Debug, Clone, Serialize)]
pub struct PageRecord {
    pub url: String,
    pub depth: u32,
    pub via: Via,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<FetchError>,
    /// Set when the page was reached through redirects: the URL asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirected_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped_because: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding_source: Option<EncodingSource>,
    pub bytes: usize,
    pub elapsed_ms: u64,
}

/// The crawl as a whole.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CrawlSummary {
    pub start_url: String,
    pub pages_ok: usize,
    pub pages_failed: usize,
    pub pages_skipped: usize,
    /// Pages found but not visited because `--max-pages` was reached.
    pub pages_left: usize,
    /// `obeyed`, `ignored` (`--ignore-robots`) or `missing`.
    pub robots_txt: &'static str,
    pub sitemap_urls: usize,
    pub duration_ms: u64,
    pub pages: Vec<PageRecord>,
}

impl CrawlSummary {
    /// The URLs that could not be read, in crawl order.
    pub fn failed_pages(&self) -> impl Iterator<Item = &PageRecord> {
        self.pages.iter().filter(|p| p.outcome == Outcome::Failed)
    }
}

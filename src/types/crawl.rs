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
    /// The server answered, but not in HTTP: a garbled status line, conflicting lengths.
    #[error("the answer is not valid HTTP: {0}")]
    Protocol(String),
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
    /// What was left out of the page to stay within bounds.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cut: Vec<PageCut>,
}

/// Part of a page left out to bound memory and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PageCut {
    /// More links than one page's share ([`MAX_LINKS_PER_PAGE`]): the rest were not followed.
    Links { dropped: usize },
    /// Markup nested deeper than a browser builds it: these start tags were ignored.
    Nesting { tags_left_out: usize },
    /// More contact points than one page's share: the rest were not kept.
    Points { dropped: usize },
    /// More elements than a page may have: the page was read up to the last one allowed.
    Elements { bytes_left_out: usize },
}

/// Links of one page the crawl follows, at most.
pub const MAX_LINKS_PER_PAGE: usize = 10_000;

/// The bounds the crawl met: what it left out to stay within memory and time. All zero on an
/// ordinary site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Distinct links found but never queued: the queue of pages to visit was full.
    pub links_dropped: usize,
    /// More links were dropped than were counted one by one: `links_dropped` is a floor.
    pub links_dropped_at_least: bool,
    /// How many pages the queue holds.
    pub queue_capacity: usize,
    /// Pages with more than [`MAX_LINKS_PER_PAGE`] links: the rest were not followed.
    pub pages_with_links_cut: usize,
    /// Pages whose markup nests deeper than a browser builds it: the deeper tags were ignored.
    pub pages_nested_too_deep: usize,
    /// Pages of more than 50,000 elements, read up to the 50,000th.
    pub pages_with_elements_cut: usize,
    /// Contact points not kept: more on one page, or of one kind on the site, than the
    /// inventory holds.
    pub points_dropped: usize,
    /// Sitemap files listed but not read (too many, or the time ran out).
    pub sitemaps_not_read: usize,
    /// The run reached `--max-time`: pages still queued were not read.
    pub deadline_reached: bool,
}

impl Limits {
    /// Whether any bound was met.
    pub fn any(&self) -> bool {
        let Self { queue_capacity, .. } = self;
        *self
            != Self {
                queue_capacity: *queue_capacity,
                ..Self::default()
            }
    }
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
    /// What the crawl left out to stay within its bounds.
    pub limits: Limits,
    /// What `--render` did; absent when no page was to be rendered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub render: Option<crate::types::render::RenderSummary>,
    pub pages: Vec<PageRecord>,
}

impl CrawlSummary {
    /// Whether some of the site may be unread: the budget ran out, pages failed, or a bound
    /// left links or points out. An absent door may then be on what was not read.
    pub fn partial(&self) -> bool {
        self.pages_left > 0 || self.pages_failed > 0 || self.limits.any()
    }

    /// The URLs that could not be read, in crawl order.
    pub fn failed_pages(&self) -> impl Iterator<Item = &PageRecord> {
        self.pages.iter().filter(|p| p.outcome == Outcome::Failed)
    }
}

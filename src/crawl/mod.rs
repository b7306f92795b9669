//! The crawl: fetch the pages of one site within its scope and limits, decode them, and hand
//! each to a processor (extraction) that returns the links to follow. Failures are recorded
//! per URL and never stop the crawl.

pub mod client;
pub mod decode;
pub mod dns;
pub mod fetch;
pub mod frontier;
pub mod guard;
pub mod normalize;
mod page_threads;
pub use page_threads::page_thread_count;
pub mod rate;
pub mod robots;
pub mod scope;
pub mod sitemap;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::OnceCell;
use tokio::task::JoinSet;
use url::Url;

use crate::types::crawl::{
    CrawlSummary, FetchError, Limits, MAX_LINKS_PER_PAGE, Outcome, PageCut, PageRecord, Via,
};
use crate::types::http::HttpSettings;
use crate::types::link::FoundLink;
use fetch::FetchLimits;
use frontier::{ContactLikeness, ContactWords, Frontier};
use normalize::normalize;
use rate::RateLimiter;
use robots::Robots;
use scope::Scope;

/// Read at most this many pages (`--max-pages`).
pub const DEFAULT_MAX_PAGES: usize = 500;
/// Follow links at most this many clicks from the start page (`--max-depth`).
pub const DEFAULT_MAX_DEPTH: u32 = 20;
/// Pages fetched at the same time (`--concurrency`).
pub const DEFAULT_CONCURRENCY: usize = 8;
/// Requests per second to one host (`--rate`).
pub const DEFAULT_RATE: f64 = 10.0;
/// Stop the audit after this long (`--max-time`): a nightly job must end, whatever the site.
pub const DEFAULT_MAX_TIME: std::time::Duration = std::time::Duration::from_secs(30 * 60);
/// Read at most this much of one page (`--max-body`).
pub const DEFAULT_MAX_BODY: usize = 5 * 1024 * 1024;

/// What the crawl may do.
#[derive(Debug, Clone)]
pub struct CrawlSettings {
    pub start: Url,
    pub extra_hosts: Vec<String>,
    pub max_pages: usize,
    pub max_depth: u32,
    pub concurrency: usize,
    /// Requests per second per host; 0 for no limit.
    pub rate: f64,
    pub max_body: usize,
    /// The whole run's time: the crawl stops queueing pages when it is up.
    pub max_time: std::time::Duration,
    pub obey_robots: bool,
    pub http: HttpSettings,
    /// Link words that mark a contact page, fetched first.
    pub contact_words: ContactWords,
    pub progress: bool,
}

impl CrawlSettings {
    /// The documented defaults, for a start URL.
    pub fn new(start: Url) -> Self {
        let http = HttpSettings {
            trusted_hosts: start.host_str().map(str::to_string).into_iter().collect(),
            ..HttpSettings::default()
        };
        Self {
            start,
            extra_hosts: Vec::new(),
            max_pages: DEFAULT_MAX_PAGES,
            max_depth: DEFAULT_MAX_DEPTH,
            concurrency: DEFAULT_CONCURRENCY,
            rate: DEFAULT_RATE,
            max_body: DEFAULT_MAX_BODY,
            max_time: DEFAULT_MAX_TIME,
            obey_robots: true,
            http,
            contact_words: ContactWords::default(),
            progress: false,
        }
    }
}

/// What processing one page gave: the links to follow, the caller's output, and what it left
/// out of the page to stay within bounds.
pub struct Processed<T> {
    pub links: Vec<FoundLink>,
    pub output: T,
    pub cut: Vec<PageCut>,
}

/// How many pages wait in the queue at most: enough for the budget several times over, so a
/// site within `--max-pages` never loses a page, and bounded, so a spider trap's links do not
/// fill the runner's memory (the crawl counts the links it had to drop).
pub fn queue_capacity(max_pages: usize) -> usize {
    max_pages.saturating_mul(4).clamp(10_000, 4_000_000)
}

pub use client::{CrawlError, aux_client, probe_client};
use client::{build_client, scoped_client};

/// What every visit shares.
struct Shared<P> {
    client: reqwest::Client,
    aux_client: reqwest::Client,
    settings: CrawlSettings,
    scope: Scope,
    limits: FetchLimits,
    rate: RateLimiter,
    robots: Mutex<HashMap<String, Arc<OnceCell<Robots>>>>,
    /// URLs reached by redirects, shared with the frontier's own set through `claim`.
    frontier: Mutex<Frontier>,
    /// Where pages are decoded and extracted: the process's page threads.
    page_threads: &'static page_threads::PageThreads,
    /// Pages of a megabyte or more read at once, at most: one a core.
    big_pages: tokio::sync::Semaphore,
    process: P,
}

impl<P> Shared<P> {
    async fn robots_for(&self, url: &Url) -> Arc<OnceCell<Robots>> {
        let origin = url.origin().ascii_serialization();
        let cell = {
            let mut map = self.robots.lock().expect("robots lock");
            map.entry(origin).or_default().clone()
        };
        cell.get_or_init(|| async {
            let Some(robots_url) = robots::robots_url(url) else {
                return Robots::allow_all();
            };
            match self.fetch_aux(&robots_url).await {
                Some(body) => Robots::parse(&self.settings.http.user_agent, &body),
                None => Robots::allow_all(),
            }
        })
        .await;
        cell
    }

    /// Fetches robots.txt or a sitemap: small files that may redirect within the site.
    async fn fetch_aux(&self, url: &Url) -> Option<Vec<u8>> {
        if let Some(host) = url.host_str() {
            self.rate.wait(host).await;
        }
        let mut response = self
            .aux_client
            .get(url.clone())
            .timeout(self.settings.http.timeout)
            .send()
            .await
            .ok()?;
        if !response.status().is_success() {
            return None;
        }
        let mut body = Vec::new();
        while let Ok(Some(chunk)) = response.chunk().await {
            body.extend_from_slice(&chunk);
            if body.len() > self.limits.max_body * 4 {
                break;
            }
        }
        Some(body)
    }
}

struct Visit<T> {
    record: PageRecord,
    links: Vec<FoundLink>,
    output: Option<T>,
}

async fn visit<T, P>(shared: Arc<Shared<P>>, url: Url, depth: u32, via: Via) -> Visit<T>
where
    T: Send + 'static,
    P: Fn(&Url, String) -> Processed<T> + Send + Sync + 'static,
{
    let started = Instant::now();
    let mut record = PageRecord {
        url: url.to_string(),
        depth,
        via,
        outcome: Outcome::Failed,
        status: None,
        error: None,
        redirected_from: None,
        skipped_because: None,
        encoding: None,
        encoding_source: None,
        bytes: 0,
        elapsed_ms: 0,
        cut: Vec::new(),
    };
    let skipped = |mut record: PageRecord, why: &'static str| {
        record.outcome = Outcome::Skipped;
        record.skipped_because = Some(why);
        Visit {
            record,
            links: Vec::new(),
            output: None,
        }
    };
    if shared.settings.obey_robots {
        let robots = shared.robots_for(&url).await;
        if !robots.get().is_none_or(|r| r.allowed(&url)) {
            return skipped(record, "robots.txt");
        }
    }
    if let Some(host) = url.host_str() {
        shared.rate.wait(host).await;
    }
    let fetched = fetch::fetch(
        &shared.client,
        &url,
        &shared.scope,
        &shared.limits,
        |next| shared.frontier.lock().expect("frontier lock").claim(next),
    )
    .await;
    record.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match &fetched {
        Ok(Some(page)) => tracing::debug!(
            url = %url, status = page.status, bytes = page.body.len(), ms = record.elapsed_ms,
            "fetched"
        ),
        Ok(None) => tracing::debug!(url = %url, "redirect to a page already seen"),
        Err(error) => tracing::info!(url = %url, ms = record.elapsed_ms, "not read: {error}"),
    }
    let fetched = match fetched {
        Ok(Some(fetched)) => fetched,
        Ok(None) => return skipped(record, "redirect to a page already queued or visited"),
        Err(error) => {
            if let FetchError::Status(code) = error {
                record.status = Some(code);
            }
            record.outcome = if error.is_skip() {
                Outcome::Skipped
            } else {
                Outcome::Failed
            };
            record.error = Some(error);
            return Visit {
                record,
                links: Vec::new(),
                output: None,
            };
        }
    };
    record.status = Some(fetched.status);
    record.bytes = fetched.body.len();
    record.outcome = if fetched.truncated {
        Outcome::Truncated
    } else {
        Outcome::Ok
    };
    if fetched.chain.len() > 1 {
        record.redirected_from = Some(record.url.clone());
        record.url = fetched.url.to_string();
    }
    let page_url = fetched.url.clone();
    let tld = page_url
        .host_str()
        .and_then(|h| h.rsplit('.').next())
        .map(|t| t.as_bytes().to_vec());
    // A huge page's tree and records are tens of megabytes: fewer of them are read at once
    // than there are page threads, so the threads bound the time and this the memory.
    let _big_page = if fetched.body.len() >= page_threads::BIG_PAGE_BYTES {
        shared.big_pages.acquire().await.ok()
    } else {
        None
    };
    let shared_for_cpu = shared.clone();
    let result = shared
        .page_threads
        .run(move || {
            let (text, encoding, source) = decode::decode(
                fetched.body,
                fetched.content_type.as_deref(),
                tld.as_deref(),
            );
            let processed = (shared_for_cpu.process)(&page_url, text);
            (processed, encoding, source)
        })
        .await;
    match result {
        Ok((processed, encoding, source)) => {
            record.encoding = Some(encoding);
            record.encoding_source = Some(source);
            record.cut = processed.cut;
            let mut links = processed.links;
            if links.len() > MAX_LINKS_PER_PAGE {
                record.cut.push(PageCut::Links {
                    dropped: links.len() - MAX_LINKS_PER_PAGE,
                });
                links.truncate(MAX_LINKS_PER_PAGE);
            }
            let output = processed.output;
            Visit {
                record,
                links,
                output: Some(output),
            }
        }
        Err(panic) => {
            record.outcome = Outcome::Failed;
            tracing::error!(url = %url, "extraction failed: {panic:?}");
            record.error = Some(FetchError::Body(PAGE_PANICKED.to_string()));
            Visit {
                record,
                links: Vec::new(),
                output: None,
            }
        }
    }
}

/// Why a page whose reading panicked yields nothing: our failure, said as one.
const PAGE_PANICKED: &str = "doorbell failed on this page (a bug: please report it)";

/// The record of a page whose task died (a panic while reading or extracting it): failed,
/// with the reason, never lost.
fn died<T>(url: Url, depth: u32, via: Via, error: &tokio::task::JoinError) -> Visit<T> {
    let reason = if error.is_panic() {
        PAGE_PANICKED
    } else {
        "the visit was stopped"
    };
    tracing::error!(url = %url, "page task died: {error}");
    Visit {
        record: PageRecord {
            url: url.to_string(),
            depth,
            via,
            outcome: Outcome::Failed,
            status: None,
            error: Some(FetchError::Body(reason.to_string())),
            redirected_from: None,
            skipped_because: None,
            encoding: None,
            encoding_source: None,
            bytes: 0,
            elapsed_ms: 0,
            cut: Vec::new(),
        },
        links: Vec::new(),
        output: None,
    }
}

/// Crawls the site. `process` turns a decoded page into its links and an output; `sink`
/// receives each page's record and output in the order visits finish.
///
/// # Errors
/// Only when the crawl cannot start (the HTTP client cannot be built); anything that goes
/// wrong with a URL is in its [`PageRecord`].
pub async fn crawl<T, P, S>(
    settings: CrawlSettings,
    process: P,
    mut sink: S,
) -> Result<CrawlSummary, CrawlError>
where
    T: Send + 'static,
    P: Fn(&Url, String) -> Processed<T> + Send + Sync + 'static,
    S: FnMut(&PageRecord, Option<T>),
{
    let started = Instant::now();
    let client = build_client(&settings.http, settings.concurrency, false)?;
    let start = settings.start.clone();
    let aux_client = scoped_client(
        &settings.http,
        settings.concurrency,
        Scope::new(&start, &settings.extra_hosts),
    )?;
    let shared = Arc::new(Shared {
        client,
        aux_client,
        scope: Scope::new(&start, &settings.extra_hosts),
        limits: FetchLimits {
            timeout: settings.http.timeout,
            max_body: settings.max_body,
        },
        rate: RateLimiter::new(settings.rate),
        robots: Mutex::new(HashMap::new()),
        frontier: Mutex::new(Frontier::with_capacity(queue_capacity(settings.max_pages))),
        big_pages: tokio::sync::Semaphore::new(page_threads::cores()),
        page_threads: page_threads::shared(page_thread_count()).map_err(CrawlError::Threads)?,
        process,
        settings,
    });
    let settings = &shared.settings;
    shared.frontier.lock().expect("frontier lock").push(
        start.clone(),
        0,
        Via::Start,
        ContactLikeness::Yes,
    );

    let deadline = tokio::time::Instant::now() + settings.max_time;
    let robots = match tokio::time::timeout_at(deadline, shared.robots_for(&start)).await {
        Ok(robots) => robots,
        Err(_) => Arc::new(OnceCell::new()),
    };
    // The values the JSON contract documents for `crawl.robots_txt`.
    let robots_txt = if !settings.obey_robots {
        "ignored"
    } else if robots.get().is_some_and(Robots::found) {
        "obeyed"
    } else {
        "missing"
    };
    // Sitemaps only seed the queue: they get a share of the time, not the run.
    let sitemap_deadline = deadline.min(tokio::time::Instant::now() + sitemap_budget(settings));
    let sitemaps = seed_from_sitemaps(
        &shared,
        robots.get().map(Robots::sitemaps).unwrap_or_default(),
        sitemap_deadline,
    )
    .await;

    let progress = settings.progress.then(|| {
        let bar = indicatif::ProgressBar::new(1);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos}/{len} pages known (budget {prefix}) {wide_msg}",
            )
            .expect("valid template"),
        );
        bar.set_prefix(settings.max_pages.to_string());
        bar
    });

    let mut summary = CrawlSummary {
        start_url: start.to_string(),
        pages_ok: 0,
        pages_failed: 0,
        pages_skipped: 0,
        pages_left: 0,
        robots_txt,
        sitemap_urls: sitemaps.pages_added,
        duration_ms: 0,
        limits: Limits {
            queue_capacity: queue_capacity(settings.max_pages),
            sitemaps_not_read: sitemaps.not_read,
            ..Limits::default()
        },
        render: None,
        pages: Vec::new(),
    };
    let mut in_flight = JoinSet::new();
    // What each task is visiting, so a task that dies still leaves a record.
    let mut visiting: HashMap<tokio::task::Id, (Url, u32, Via)> = HashMap::new();
    let mut dispatched = 0usize;
    loop {
        while in_flight.len() < settings.concurrency.max(1)
            && dispatched < settings.max_pages
            && tokio::time::Instant::now() < deadline
        {
            let Some(entry) = shared.frontier.lock().expect("frontier lock").pop() else {
                break;
            };
            dispatched += 1;
            let task = in_flight.spawn(visit(
                shared.clone(),
                entry.url.clone(),
                entry.depth,
                entry.via,
            ));
            visiting.insert(task.id(), (entry.url, entry.depth, entry.via));
        }
        let done = match tokio::time::timeout_at(deadline, in_flight.join_next_with_id()).await {
            Ok(Some(done)) => done,
            Ok(None) => break,
            Err(_) => {
                summary.limits.deadline_reached = true;
                summary.pages_left += in_flight.len();
                in_flight.abort_all();
                break;
            }
        };
        let done = match done {
            Ok((id, visit)) => {
                visiting.remove(&id);
                visit
            }
            Err(error) => {
                let Some((url, depth, via)) = visiting.remove(&error.id()) else {
                    continue;
                };
                died(url, depth, via, &error)
            }
        };
        match done.record.outcome {
            Outcome::Ok | Outcome::Truncated => summary.pages_ok += 1,
            Outcome::Failed => summary.pages_failed += 1,
            Outcome::Skipped => {
                summary.pages_skipped += 1;
                // A skip costs no page of the budget.
                dispatched -= 1;
            }
        }
        if let Some(bar) = &progress {
            let read = summary.pages_ok + summary.pages_failed;
            let queued = shared.frontier.lock().expect("frontier lock").len();
            bar.set_length(pages_known(
                read,
                in_flight.len(),
                queued,
                settings.max_pages,
            ));
            bar.set_position(read as u64);
            bar.set_message(done.record.url.clone());
        }
        if done.record.depth < settings.max_depth {
            let mut frontier = shared.frontier.lock().expect("frontier lock");
            for link in done.links {
                let Some(url) = normalize(link.url) else {
                    continue;
                };
                if frontier.knows(&url) || !shared.scope.contains(&url) {
                    continue;
                }
                let contact = settings.contact_words.judge(&url, &link.text);
                frontier.push(url, done.record.depth + 1, Via::Link, contact);
            }
        }
        for cut in &done.record.cut {
            match cut {
                PageCut::Links { .. } => summary.limits.pages_with_links_cut += 1,
                PageCut::Nesting { .. } => summary.limits.pages_nested_too_deep += 1,
                PageCut::Points { dropped } => summary.limits.points_dropped += dropped,
                PageCut::Elements { .. } => summary.limits.pages_with_elements_cut += 1,
            }
        }
        sink(&done.record, done.output);
        summary.pages.push(done.record);
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    {
        let frontier = shared.frontier.lock().expect("frontier lock");
        summary.pages_left += frontier.len();
        (
            summary.limits.links_dropped,
            summary.limits.links_dropped_at_least,
        ) = frontier.dropped();
    }
    // Visits finish in any order; reports and baselines want the same run to read the same.
    summary.pages.sort_by(|a, b| a.url.cmp(&b.url));
    summary.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(summary)
}

/// How many sitemap files one crawl reads at most; indexes can nest and fan out.
const MAX_SITEMAP_FILES: usize = 50;

/// The time sitemaps may take: two request timeouts, at least ten seconds. Fifty sitemaps
/// that drip a byte a second must not hold the crawl for minutes.
fn sitemap_budget(settings: &CrawlSettings) -> std::time::Duration {
    (settings.http.timeout * 2).max(std::time::Duration::from_secs(10))
}

/// What reading the sitemaps gave.
struct Sitemaps {
    pages_added: usize,
    /// Listed but not read: past [`MAX_SITEMAP_FILES`], or the time ran out.
    not_read: usize,
}

/// Reads the sitemaps (those robots.txt lists and `/sitemap.xml`), `--concurrency` at a
/// time, until `deadline`, and queues their pages.
async fn seed_from_sitemaps<P>(
    shared: &Shared<P>,
    listed: Vec<String>,
    deadline: tokio::time::Instant,
) -> Sitemaps {
    use futures_util::StreamExt;

    let start = &shared.settings.start;
    let mut queue: Vec<Url> = listed.iter().filter_map(|s| Url::parse(s).ok()).collect();
    if let Ok(default) = start.join("/sitemap.xml")
        && !queue.contains(&default)
    {
        queue.push(default);
    }
    let mut seen = std::collections::HashSet::new();
    let mut read = 0;
    let mut not_read = 0;
    let mut added = 0;
    let page_cap = shared.settings.max_pages.saturating_mul(4);
    while !queue.is_empty() {
        let mut batch = Vec::new();
        for url in queue.drain(..) {
            if !shared.scope.contains(&url) || !seen.insert(url.to_string()) {
                continue;
            }
            if read + batch.len() >= MAX_SITEMAP_FILES {
                not_read += 1;
            } else {
                batch.push(url);
            }
        }
        read += batch.len();
        let mut waiting = batch.len();
        let mut fetches = futures_util::stream::iter(batch)
            .map(|url| async move { shared.fetch_aux(&url).await })
            .buffer_unordered(shared.settings.concurrency.max(1));
        loop {
            let body = match tokio::time::timeout_at(deadline, fetches.next()).await {
                Ok(Some(body)) => body,
                Ok(None) => break,
                Err(_) => {
                    not_read += waiting + queue.len();
                    return Sitemaps {
                        pages_added: added,
                        not_read,
                    };
                }
            };
            waiting -= 1;
            let Some(body) = body else {
                continue;
            };
            let listing = sitemap::parse(&body);
            queue.extend(listing.sitemaps.iter().filter_map(|s| Url::parse(s).ok()));
            let mut frontier = shared.frontier.lock().expect("frontier lock");
            for page in listing.pages {
                if added >= page_cap {
                    break;
                }
                let Some(url) = Url::parse(&page).ok().and_then(normalize) else {
                    continue;
                };
                if !shared.scope.contains(&url) {
                    continue;
                }
                let contact = shared.settings.contact_words.judge(&url, "");
                if frontier.push(url, 1, Via::Sitemap, contact) {
                    added += 1;
                }
            }
        }
    }
    Sitemaps {
        pages_added: added,
        not_read,
    }
}

/// The total a progress bar shows: the pages known so far (read, being read, queued), never
/// more than the budget — not the budget itself, which a small site never reaches.
fn pages_known(read: usize, in_flight: usize, queued: usize, budget: usize) -> u64 {
    (read + in_flight + queued).min(budget).max(read) as u64
}

#[cfg(test)]
mod tests {
    use super::pages_known;

    #[test]
    fn progress_counts_the_pages_known_not_the_budget() {
        // One page read on a site of three: 1/3, not 1/500.
        assert_eq!(pages_known(1, 1, 1, 500), 3);
        // A site bigger than the budget shows the budget.
        assert_eq!(pages_known(10, 8, 900, 500), 500);
        assert_eq!(pages_known(3, 0, 0, 500), 3);
    }
}

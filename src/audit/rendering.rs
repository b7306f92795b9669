//! The audit's share of `--render`: pages picked during the crawl wait here, with what their
//! served HTML yielded; after the crawl the browser renders them, the same extractors read
//! what it built, and each page goes into the inventory twice — served, then rendered — so
//! every point says how it was seen.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use futures_util::StreamExt;
use rlibphonenumber::Region;
use url::Url;

use super::AuditSettings;
use crate::crawl::frontier::{ContactLikeness, ContactWords};
use crate::extract::{Extractor, PageExtract};
use crate::inventory::InventoryBuilder;
use crate::render::{PhoneView, RenderSettings, Renderer, liveness, pick};
use crate::types::contact::RegionSource;
use crate::types::crawl::PageRecord;
use crate::types::link::ContactLinks;
use crate::types::render::{
    BlockedRequest, MAX_BLOCKED_LISTED, MAX_SCREENSHOTS_BYTES, RenderFailure, RenderMode,
    RenderReason, RenderSummary, Screenshot, ShotView, WidgetFailure,
};

/// A page waiting for the browser, with what its served HTML yielded.
struct Waiting {
    url: String,
    page: PageExtract,
    links: ContactLinks,
    contact_page: bool,
    reason: RenderReason,
    /// Looked at on a phone's screen too: the start page and the contact pages.
    on_phone: bool,
    /// The start page: its first screens are pictured for the report.
    start_page: bool,
}

/// Pages picked for rendering, at most `max_pages` of them.
pub struct Queue {
    mode: RenderMode,
    max_pages: usize,
    start: String,
    waiting: Vec<Waiting>,
    left: usize,
}

impl Queue {
    pub fn new(settings: &RenderSettings, start: &Url) -> Self {
        Self {
            mode: settings.mode,
            max_pages: settings.max_pages,
            start: start.to_string(),
            waiting: Vec::new(),
            left: 0,
        }
    }

    /// Keeps the page when it is to be rendered; otherwise hands it back to be added now.
    pub fn offer(
        &mut self,
        url: &str,
        page: PageExtract,
        links: ContactLinks,
        contact_page: bool,
    ) -> Option<(PageExtract, ContactLinks)> {
        let start_page = url == self.start;
        let Some(reason) = pick::reason(self.mode, &page, contact_page, start_page) else {
            return Some((page, links));
        };
        if self.waiting.len() >= self.max_pages {
            self.left += 1;
            return Some((page, links));
        }
        self.waiting.push(Waiting {
            url: url.to_string(),
            page,
            links,
            contact_page,
            reason,
            on_phone: contact_page || start_page,
            start_page,
        });
        None
    }

    /// Renders the waiting pages and adds every one of them to `builder` (as served alone
    /// when the browser failed it), then the contact pages only the rendered pages link to.
    /// `crawled`: the pages the crawl visited. `None` when rendering was not asked for.
    pub async fn render(
        self,
        settings: &AuditSettings,
        region: Option<(Region, RegionSource)>,
        builder: &mut InventoryBuilder,
        crawled: &[PageRecord],
        deadline: tokio::time::Instant,
    ) -> Option<RenderSummary> {
        if self.mode == RenderMode::Never {
            return None;
        }
        let started = Instant::now();
        let mut summary = RenderSummary {
            mode: self.mode,
            pages_left: self.left,
            ..RenderSummary::default()
        };
        if self.waiting.is_empty() {
            return Some(summary);
        }
        let renderer = match Renderer::start(&settings.render, &settings.crawl.http).await {
            Ok(renderer) => renderer,
            Err(error) => {
                tracing::warn!(%error, "no rendering: the audit goes on with the served HTML");
                summary.error = Some(error);
                for w in self.waiting {
                    builder.add_page(&w.url, w.contact_page, w.links, w.page);
                }
                return Some(summary);
            }
        };
        summary.browser = Some(renderer.version.clone());
        let batch = Batch {
            renderer: &renderer,
            settings,
            extractor: Arc::new(Extractor::new(settings.rulebook, region)),
            deadline,
        };
        let room = self.max_pages.saturating_sub(self.waiting.len());
        let linked = batch.run(self.waiting, builder, &mut summary).await;
        let followed = unvisited_contact_pages(settings, linked, crawled, room).await;
        batch.run(followed, builder, &mut summary).await;
        renderer.stop().await;
        summary.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Some(summary)
    }
}

/// Contact pages followed from rendered links, at most.
const MAX_FOLLOWED: usize = 5;

/// The contact pages rendered pages link to that the crawl never visited, on the site and
/// allowed by its robots.txt, at most [`MAX_FOLLOWED`] and `room`, as pages to render.
async fn unvisited_contact_pages(
    settings: &AuditSettings,
    linked: Vec<Url>,
    crawled: &[PageRecord],
    room: usize,
) -> Vec<Waiting> {
    if linked.is_empty() {
        return Vec::new();
    }
    let crawled: HashSet<&str> = crawled.iter().map(|p| p.url.as_str()).collect();
    let scope = crate::crawl::scope::Scope::new(&settings.crawl.start, &settings.crawl.extra_hosts);
    let mut new: Vec<Url> = Vec::new();
    for url in linked {
        if scope.contains(&url) && !crawled.contains(url.as_str()) && !new.contains(&url) {
            new.push(url);
        }
    }
    new.truncate(MAX_FOLLOWED.min(room));
    if new.is_empty() {
        return Vec::new();
    }
    let http = &settings.crawl.http;
    if settings.crawl.obey_robots
        && let Ok(client) = crate::crawl::aux_client(http)
    {
        let robots =
            crate::crawl::robots::fetch(&client, &new[0], &http.user_agent, http.timeout).await;
        new.retain(|url| robots.allowed(url));
    }
    new.into_iter()
        .map(|url| Waiting {
            url: url.to_string(),
            page: PageExtract::default(),
            links: ContactLinks::default(),
            contact_page: true,
            reason: RenderReason::RenderedLink,
            on_phone: true,
            start_page: false,
        })
        .collect()
}

/// One round of pages through the browser.
struct Batch<'a> {
    renderer: &'a Renderer,
    settings: &'a AuditSettings,
    extractor: Arc<Extractor<'static>>,
    deadline: tokio::time::Instant,
}

impl Batch<'_> {
    /// Renders `pages`, adds each to `builder` and its story to `summary`; hands back the
    /// links the rendered pages have that look like the contact page.
    async fn run(
        &self,
        pages: Vec<Waiting>,
        builder: &mut InventoryBuilder,
        summary: &mut RenderSummary,
    ) -> Vec<Url> {
        let mut contact_links = Vec::new();
        let words = self.settings.crawl_settings().contact_words;
        let mut results = futures_util::stream::iter(pages.into_iter().map(|waiting| {
            let extractor = self.extractor.clone();
            let words = &words;
            async move {
                let rendered =
                    render_one(self.renderer, &waiting, extractor, words, self.deadline).await;
                (waiting, rendered)
            }
        }))
        .buffered(self.settings.render.concurrency.max(1));
        while let Some((waiting, rendered)) = results.next().await {
            let served_phones = waiting.page.phones.clone();
            builder.add_page(
                &waiting.url,
                waiting.contact_page,
                waiting.links,
                waiting.page,
            );
            match rendered {
                Ok(Read {
                    page,
                    refused,
                    widgets_not_loading,
                    first_screen,
                    phone_screen,
                    contact_links: links,
                }) => {
                    contact_links.extend(links);
                    builder.add_rendered(&waiting.url, &served_phones, page);
                    builder.add_widget_failures(widgets_not_loading);
                    let mut shoot = |view: ShotView, door: Option<String>, png: String| {
                        keep_screenshot(&mut summary.screenshots, &waiting.url, view, door, png);
                    };
                    if let Some(png) = first_screen {
                        shoot(ShotView::Desktop, None, png);
                    }
                    match phone_screen {
                        Some(Ok(view)) => {
                            if let Some(png) = view.first_screen {
                                shoot(ShotView::Phone, None, png);
                            }
                            for (href, png) in view.small_targets {
                                shoot(ShotView::Door, Some(href), png);
                            }
                            builder.add_phone_screen(view.screen);
                        }
                        Some(Err(error)) => summary.failed.push(RenderFailure {
                            url: waiting.url.clone(),
                            error: format!("on a phone's screen: {error}"),
                        }),
                        None => {}
                    }
                    summary.pages.push((waiting.url.clone(), waiting.reason));
                    for (url, reason) in refused {
                        summary.requests_blocked += 1;
                        if summary.blocked.len() < MAX_BLOCKED_LISTED {
                            summary.blocked.push(BlockedRequest {
                                page: waiting.url.clone(),
                                url,
                                reason,
                            });
                        }
                    }
                }
                Err(error) => summary.failed.push(RenderFailure {
                    url: waiting.url,
                    error,
                }),
            }
        }
        contact_links
    }
}

/// What the browser showed of one page.
struct Read {
    page: PageExtract,
    /// Requests refused, with why.
    refused: Vec<(String, String)>,
    widgets_not_loading: Vec<WidgetFailure>,
    /// Its first screen on a desktop (the start page's only).
    first_screen: Option<String>,
    /// The page on a phone's screen, when it was looked at there.
    phone_screen: Option<Result<PhoneView, String>>,
    /// Its links that look like the contact page, for pages the crawl never visited.
    contact_links: Vec<Url>,
}

/// Adds a screenshot while the audit's pictures stay within [`MAX_SCREENSHOTS_BYTES`].
fn keep_screenshot(
    kept: &mut Vec<Screenshot>,
    page: &str,
    view: ShotView,
    door: Option<String>,
    png_base64: String,
) {
    let used: usize = kept.iter().map(|s| s.png_base64.len()).sum();
    if used + png_base64.len() <= MAX_SCREENSHOTS_BYTES {
        kept.push(Screenshot {
            page: page.to_string(),
            view,
            door,
            png_base64,
        });
    }
}

/// One page rendered and read: its points, the requests the browser refused, and the chat
/// and callback widgets of `served_widgets` that did not show up.
async fn render_one(
    renderer: &Renderer,
    waiting: &Waiting,
    extractor: Arc<Extractor<'static>>,
    words: &ContactWords,
    deadline: tokio::time::Instant,
) -> Result<Read, String> {
    let url = waiting.url.as_str();
    let served_widgets = &waiting.page.widgets;
    let parsed = Url::parse(url).map_err(|e| e.to_string())?;
    let book = extractor.book;
    let buttons = liveness::buttons_to_wait_for(served_widgets, book);
    let rendered = tokio::time::timeout_at(
        deadline,
        renderer.render(&parsed, &buttons, waiting.start_page),
    )
    .await
    .map_err(|_| "not rendered: the time ran out (--max-time)".to_string())??;
    let html = rendered.html;
    let page_url = parsed.clone();
    let (page, links) = tokio::task::spawn_blocking(move || {
        let mut page = extractor.page(&html, &page_url);
        let links = std::mem::take(&mut page.links);
        page.keep_within_bounds();
        (page, links)
    })
    .await
    .map_err(|e| format!("reading the rendered page failed: {e}"))?;
    let contact_links = links
        .into_iter()
        .filter(|l| words.judge(&l.url, &l.text) == ContactLikeness::Yes)
        .map(|l| {
            let mut url = l.url;
            url.set_fragment(None);
            url
        })
        .collect();
    let widgets_not_loading =
        liveness::not_loading(url, served_widgets, &page.widgets, &rendered.trouble, book);
    let phone_screen = if waiting.on_phone {
        let chat_buttons: Vec<String> = buttons
            .iter()
            .flat_map(|wait| wait.selectors.iter().cloned())
            .collect();
        let screen = tokio::time::timeout_at(
            deadline,
            renderer.phone_screen(&parsed, &chat_buttons, true),
        )
        .await
        .map_err(|_| "the time ran out (--max-time)".to_string())
        .and_then(|read| read);
        Some(screen)
    } else {
        None
    };
    Ok(Read {
        page,
        refused: rendered.refused,
        widgets_not_loading,
        first_screen: rendered.first_screen,
        phone_screen,
        contact_links,
    })
}

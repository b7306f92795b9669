//! The audit's share of `--render`: pages picked during the crawl wait here, with what their
//! served HTML yielded; after the crawl the browser renders them, the same extractors read
//! what it built, and each page goes into the inventory twice — served, then rendered — so
//! every point says how it was seen.

use std::sync::Arc;
use std::time::Instant;

use futures_util::StreamExt;
use rlibphonenumber::Region;
use url::Url;

use super::AuditSettings;
use crate::extract::{Extractor, PageExtract};
use crate::inventory::InventoryBuilder;
use crate::render::{PhoneView, RenderSettings, Renderer, liveness, pick};
use crate::types::contact::RegionSource;
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
    /// when the browser failed it). `None` when rendering was not asked for.
    pub async fn render(
        self,
        settings: &AuditSettings,
        region: Option<(Region, RegionSource)>,
        builder: &mut InventoryBuilder,
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
        let extractor = Arc::new(Extractor::new(settings.rulebook, region));
        let browser = &renderer;
        let mut results = futures_util::stream::iter(self.waiting.into_iter().map(|waiting| {
            let extractor = extractor.clone();
            async move {
                let rendered = render_one(browser, &waiting, extractor, deadline).await;
                (waiting, rendered)
            }
        }))
        .buffered(settings.render.concurrency.max(1));
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
                }) => {
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
        drop(results);
        renderer.stop().await;
        summary.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Some(summary)
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
    let page = tokio::task::spawn_blocking(move || {
        let mut page = extractor.page(&html, &page_url);
        page.links.clear();
        page.keep_within_bounds();
        page
    })
    .await
    .map_err(|e| format!("reading the rendered page failed: {e}"))?;
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
    })
}

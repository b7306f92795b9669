//! Looking at pages through a real browser (`--render`): headless Chromium, driven over the
//! DevTools protocol, shows a page as a visitor sees it — scripts run, widgets load, numbers
//! get swapped — and hands back the DOM it built. That DOM goes through the same extractors
//! as the served HTML; what only the browser can tell travels beside it as plain data.
//!
//! An audit never clicks or submits anything here: the browser loads the page and waits.

pub mod chromium;
pub mod form;
mod gate;
pub mod liveness;
pub mod network;
pub mod phone_screen;
pub mod pick;
pub mod shots;
mod traffic;
pub mod watch;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chromiumoxide::Page;
use chromiumoxide::browser::Browser;
use chromiumoxide::cdp::browser_protocol::fetch::{
    ContinueRequestParams, EventRequestPaused, FailRequestParams,
};
use chromiumoxide::cdp::browser_protocol::network::ErrorReason;
use futures_util::StreamExt;
use url::Url;

use crate::types::http::HttpSettings;
use crate::types::render::RenderMode;
use network::{RequestPolicy, Verdict};

/// How the audit uses the browser.
#[derive(Debug, Clone)]
pub struct RenderSettings {
    pub mode: RenderMode,
    /// `--chromium`; else found on PATH.
    pub chromium: Option<PathBuf>,
    /// Pages rendered at the same time (tabs).
    pub concurrency: usize,
    /// Pages rendered in one audit, at most.
    pub max_pages: usize,
    /// The most one page may take, from navigation to its settled DOM.
    pub page_budget: Duration,
}

pub const DEFAULT_CONCURRENCY: usize = 2;
pub const DEFAULT_MAX_PAGES: usize = 100;
pub const DEFAULT_PAGE_BUDGET: Duration = Duration::from_secs(15);

impl Default for RenderSettings {
    fn default() -> Self {
        Self {
            mode: RenderMode::Never,
            chromium: None,
            concurrency: DEFAULT_CONCURRENCY,
            max_pages: DEFAULT_MAX_PAGES,
            page_budget: DEFAULT_PAGE_BUDGET,
        }
    }
}

/// After the page's load event, how long its DOM must stay unchanged to count as built, and
/// the most to wait for that: loaders add their widgets a moment after the page loads.
const QUIET: Duration = Duration::from_millis(500);
const MAX_SETTLE: Duration = Duration::from_secs(4);
const POLL: Duration = Duration::from_millis(100);

/// Counts the page's DOM changes from its first script on, for [`settle`].
const MUTATION_COUNTER: &str = "(() => { window.__doorbellMutations = 0; \
    new MutationObserver(list => { window.__doorbellMutations += list.length; }) \
    .observe(document, { subtree: true, childList: true, attributes: true, characterData: true }); })()";

/// A page as the browser built it.
#[derive(Debug)]
pub struct RenderedPage {
    /// The DOM serialised back to HTML.
    pub html: String,
    /// Requests refused, with why.
    pub refused: Vec<(String, String)>,
    /// Requests that failed and script errors while it loaded.
    pub trouble: watch::Trouble,
    /// Its first screen, when asked for (a PNG, base64).
    pub first_screen: Option<String>,
}

/// A page on a phone's screen, with its pictures when asked for.
#[derive(Debug)]
pub struct PhoneView {
    pub screen: crate::types::render::PhoneScreen,
    /// Its first screen (a PNG, base64).
    pub first_screen: Option<String>,
    /// Close-ups of its small targets: (link, PNG base64).
    pub small_targets: Vec<(String, String)>,
}

/// Close-ups taken of one page's small targets, at most.
const CLOSE_UPS_PER_PAGE: usize = 3;

/// How long a page's known widgets get to draw their buttons after its DOM settled.
pub const WIDGET_BUDGET: Duration = Duration::from_secs(8);

/// Requests a tab refused, with why.
type Refused = Arc<Mutex<Vec<(String, String)>>>;

/// A running browser. Stop it with [`Renderer::stop`]; dropped, it is killed.
pub struct Renderer {
    browser: Browser,
    events: tokio::task::JoinHandle<()>,
    policy: Arc<RequestPolicy>,
    page_budget: Duration,
    /// `Chrome/156.0.7534.0`.
    pub version: String,
    _gate: gate::Gate,
    _profile: tempfile::TempDir,
}

impl Renderer {
    /// Starts the browser.
    ///
    /// # Errors
    /// No browser found, or it did not start; the message says which and what to do.
    pub async fn start(settings: &RenderSettings, http: &HttpSettings) -> Result<Self, String> {
        let executable = chromium::find(settings.chromium.as_deref())?;
        let profile = tempfile::Builder::new()
            .prefix("doorbell-chromium-")
            .tempdir()
            .map_err(|e| format!("cannot make a browser profile folder: {e}"))?;
        let policy = Arc::new(RequestPolicy::new(http.address_guard()));
        let gate = gate::Gate::open(
            http.address_guard(),
            http.resolve.clone(),
            policy.asked_for(),
        )
        .await
        .map_err(|e| format!("cannot open the browser's proxy on loopback: {e}"))?;
        let config = chromium::config(&executable, profile.path(), &http.resolve, gate.addr)?;
        let (browser, mut handler) = Browser::launch(config)
            .await
            .map_err(|e| format!("{} did not start: {e}", executable.display()))?;
        let events = tokio::spawn(async move { while handler.next().await.is_some() {} });
        let version = browser
            .version()
            .await
            .map(|v| v.product)
            .unwrap_or_default();
        Ok(Self {
            browser,
            events,
            policy,
            page_budget: settings.page_budget,
            version,
            _gate: gate,
            _profile: profile,
        })
    }

    /// Loads `url` in a new tab, lets its scripts build the page — waiting, at most
    /// [`WIDGET_BUDGET`], for each of `widgets` to draw its button or fail — and returns the
    /// DOM.
    ///
    /// # Errors
    /// The browser failed the page or the budget ran out before anything loaded.
    pub async fn render(
        &self,
        url: &Url,
        widgets: &[watch::WidgetWait<'_>],
        shoot: bool,
    ) -> Result<RenderedPage, String> {
        let (page, guard, refused) = self.open_tab().await?;
        let (watcher, trouble) = watch::watch(&page).await;
        let result = self.load(&page, url, widgets, &trouble).await;
        let first_screen = if shoot && result.is_ok() {
            let (width, height) = chromium::DESKTOP;
            shots::first_screen(&page, width, height, 0.4).await
        } else {
            None
        };
        guard.abort();
        watcher.abort();
        let _ = page.close().await;
        let refused = std::mem::take(&mut *refused.lock().expect("not poisoned"));
        let trouble = std::mem::take(&mut *trouble.lock().expect("not poisoned"));
        result.map(|html| RenderedPage {
            html,
            refused,
            trouble,
            first_screen,
        })
    }

    /// A new tab whose requests are judged before they leave and whose DOM changes are
    /// counted, with the judging task and the requests it refused.
    async fn open_tab(&self) -> Result<(Page, tokio::task::JoinHandle<()>, Refused), String> {
        self.open_tab_guarded(None).await
    }

    /// [`Renderer::open_tab`], with a probe's rule over its requests.
    async fn open_tab_guarded(
        &self,
        probe: Option<Arc<network::ProbeGuard>>,
    ) -> Result<(Page, tokio::task::JoinHandle<()>, Refused), String> {
        let page = self
            .browser
            .new_page("about:blank")
            .await
            .map_err(|e| format!("the browser would not open a tab: {e}"))?;
        page.evaluate_on_new_document(MUTATION_COUNTER)
            .await
            .map_err(|e| format!("the browser refused a script: {e}"))?;
        let refused = Refused::default();
        let guard = self.intercept(&page, refused.clone(), probe).await;
        Ok((page, guard, refused))
    }

    /// Goes to `url` and waits for its DOM to settle; `false` when it did not finish loading
    /// in the page's budget (it is then read as it stands: a script may hang).
    async fn visit(&self, page: &Page, url: &Url) -> Result<bool, String> {
        match tokio::time::timeout(self.page_budget, page.goto(url.as_str())).await {
            Ok(Err(e)) => Err(format!("the browser could not load the page: {e}")),
            Err(_) => {
                tracing::info!(%url, "the page did not finish loading in its budget");
                Ok(false)
            }
            Ok(Ok(_)) => {
                settle(page).await;
                Ok(true)
            }
        }
    }

    async fn load(
        &self,
        page: &Page,
        url: &Url,
        widgets: &[watch::WidgetWait<'_>],
        trouble: &Mutex<watch::Trouble>,
    ) -> Result<String, String> {
        if self.visit(page, url).await? {
            watch::widgets_drawn(page, widgets, trouble, WIDGET_BUDGET).await;
        }
        tokio::time::timeout(Duration::from_secs(10), page.content())
            .await
            .map_err(|_| "the browser did not hand over the page in time".to_string())?
            .map_err(|e| format!("the browser could not serialise the page: {e}"))
    }

    /// Loads `url` as a phone shows it (see [`phone_screen`]) and reads where its doors stand
    /// and how large they are; `widgets` are CSS selectors of chat buttons.
    ///
    /// # Errors
    /// The browser failed the page.
    pub async fn phone_screen(
        &self,
        url: &Url,
        widgets: &[String],
        shoot: bool,
    ) -> Result<PhoneView, String> {
        use chromiumoxide::cdp::browser_protocol::emulation::{
            SetDeviceMetricsOverrideParams, SetTouchEmulationEnabledParams,
            SetUserAgentOverrideParams,
        };
        let (page, guard, _) = self.open_tab().await?;
        let result = async {
            let emulate = |e: chromiumoxide::error::CdpError| format!("phone emulation: {e}");
            page.execute(SetDeviceMetricsOverrideParams::new(
                phone_screen::WIDTH,
                phone_screen::HEIGHT,
                2.0,
                true,
            ))
            .await
            .map_err(emulate)?;
            page.execute(SetUserAgentOverrideParams::new(phone_screen::USER_AGENT))
                .await
                .map_err(emulate)?;
            page.execute(SetTouchEmulationEnabledParams::new(true))
                .await
                .map_err(emulate)?;
            self.visit(&page, url).await?;
            let answer: String = page
                .evaluate(phone_screen::script(widgets))
                .await
                .map_err(|e| format!("reading the phone screen: {e}"))?
                .into_value()
                .map_err(|e| format!("reading the phone screen: {e}"))?;
            let (screen, regions) = phone_screen::read(url.as_str(), &answer)?;
            let mut view = PhoneView {
                screen,
                first_screen: None,
                small_targets: Vec::new(),
            };
            if shoot {
                view.first_screen =
                    shots::first_screen(&page, phone_screen::WIDTH, phone_screen::HEIGHT, 0.3)
                        .await;
                for (href, region) in regions.into_iter().take(CLOSE_UPS_PER_PAGE) {
                    if let Some(png) = shots::around(&page, region).await {
                        view.small_targets.push((href, png));
                    }
                }
            }
            Ok(view)
        }
        .await;
        guard.abort();
        let _ = page.close().await;
        result
    }

    /// From now on the proxy connects only to the hosts a probe may reach: a socket a page
    /// opens past the request interception (a WebSocket) cannot carry a test submission off
    /// them. Probes go one at a time, so no other tab loses its hosts.
    fn keep_proxy_to(&self, probe: &network::ProbeGuard) {
        self.policy
            .asked_for()
            .lock()
            .expect("not poisoned")
            .retain(|host| probe.allows(host));
    }

    /// Judges every request of `page` before it leaves; the task ends with the tab.
    async fn intercept(
        &self,
        page: &Page,
        refused: Refused,
        probe: Option<Arc<network::ProbeGuard>>,
    ) -> tokio::task::JoinHandle<()> {
        let Ok(mut paused) = page.event_listener::<EventRequestPaused>().await else {
            return tokio::spawn(async {});
        };
        let policy = self.policy.clone();
        let page = page.clone();
        tokio::spawn(async move {
            while let Some(event) = paused.next().await {
                let verdict = match probe.as_ref().and_then(|p| p.judge(&event.request.url)) {
                    Some(refusal) => refusal,
                    None => policy.judge(&event.request.url, &event.resource_type).await,
                };
                let id = event.request_id.clone();
                let sent = match verdict {
                    Verdict::Allow => page.execute(ContinueRequestParams::new(id)).await.map(drop),
                    Verdict::Skip => page
                        .execute(FailRequestParams::new(id, ErrorReason::BlockedByClient))
                        .await
                        .map(drop),
                    Verdict::Refuse(why) => {
                        refused
                            .lock()
                            .expect("not poisoned")
                            .push((event.request.url.clone(), why));
                        page.execute(FailRequestParams::new(id, ErrorReason::BlockedByClient))
                            .await
                            .map(drop)
                    }
                };
                if sent.is_err() {
                    break;
                }
            }
        })
    }

    /// Closes the browser and waits for it to exit.
    pub async fn stop(mut self) {
        let _ = self.browser.close().await;
        let _ = tokio::time::timeout(Duration::from_secs(5), self.browser.wait()).await;
        self.events.abort();
    }
}

/// Waits until the page's DOM has been quiet for [`QUIET`], at most [`MAX_SETTLE`].
async fn settle(page: &Page) {
    let started = tokio::time::Instant::now();
    let mut last = None;
    let mut quiet_since = started;
    while started.elapsed() < MAX_SETTLE {
        let count = mutations(page).await;
        let now = tokio::time::Instant::now();
        if count != last {
            last = count;
            quiet_since = now;
        } else if now - quiet_since >= QUIET {
            return;
        }
        tokio::time::sleep(POLL).await;
    }
}

/// The DOM changes counted since the page's first script; `None` while it navigates.
async fn mutations(page: &Page) -> Option<u64> {
    page.evaluate("window.__doorbellMutations || 0")
        .await
        .ok()
        .and_then(|r| r.into_value().ok())
}

//! What looking through a browser did (render → reports): which pages it rendered, which
//! failed, and which of their requests it refused.

use serde::{Deserialize, Serialize};

/// When pages are shown to a browser (`--render`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum RenderMode {
    /// Never: the served HTML only.
    #[default]
    Never,
    /// The pages whose HTML says a script builds their doors, and every contact page.
    Auto,
    /// Every page read.
    Always,
}

/// Why a page was rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RenderReason {
    /// `--render always`.
    Asked,
    /// It looks like the contact page.
    ContactPage,
    /// The audit's start page: the first screen most visitors see.
    StartPage,
    /// A call-tracking script is on it: the number visitors see may not be the served one.
    CallTracking,
    /// A chat or callback widget's loader is on it.
    Widget,
    /// Form controls with no `<form>`: a script sends them.
    ScriptForm,
    /// A script assembles an address or a number (an e-mail cloak).
    Cloak,
    /// Scripts and next to no text: the page is drawn by a script.
    EmptyBody,
    /// A rendered page links to it as its contact page, and the served HTML did not: found
    /// only in the browser (a site drawn by scripts shows its menu only there).
    RenderedLink,
}

/// A request a rendered page made that was not let through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockedRequest {
    /// The page that made it.
    pub page: String,
    pub url: String,
    /// Why: a private or local address, or a host outside the allowed ones.
    pub reason: String,
}

/// A chat or callback widget whose loader is on a page but which did not show up there in
/// the browser (`widget.not-loading`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WidgetFailure {
    pub page: String,
    pub id: String,
    pub name: String,
    pub kind: crate::types::contact::WidgetKind,
    /// What shows it: the request that failed, the error its script threw, or the button
    /// that never appeared.
    pub evidence: String,
}

/// A page on a phone's screen (390×844 CSS px, a mobile user agent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneScreen {
    pub page: String,
    /// Phone and messenger links, forms and chat buttons visible on the page.
    pub doors: usize,
    /// Of those, the ones a visitor sees without scrolling, or pinned to the screen.
    pub doors_in_first_screen: usize,
    /// Phone and messenger links smaller than 24×24 CSS px with another target too close
    /// (WCAG 2.2, 2.5.8), at most [`MAX_SMALL_TARGETS`].
    pub small_targets: Vec<SmallTarget>,
}

/// Small targets listed per page, at most.
pub const MAX_SMALL_TARGETS: usize = 20;

/// A link too small to tap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmallTarget {
    pub href: String,
    pub text: String,
    pub width: u32,
    pub height: u32,
}

/// Which picture a screenshot is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ShotView {
    /// The first screen on a desktop (1366×900).
    Desktop,
    /// The first screen on a phone (390×844).
    Phone,
    /// A close-up of a door on a phone.
    Door,
}

/// A screenshot for the HTML report. The JSON lists it without its picture.
#[derive(Debug, Clone, Serialize)]
pub struct Screenshot {
    pub page: String,
    pub view: ShotView,
    /// The door a close-up shows (its link), absent for a first screen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub door: Option<String>,
    /// The PNG, base64.
    #[serde(skip)]
    pub png_base64: String,
}

/// The most the screenshots of one audit may take, as base64: the report stays one file.
pub const MAX_SCREENSHOTS_BYTES: usize = 1536 * 1024;

/// A page the browser could not render, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenderFailure {
    pub url: String,
    pub error: String,
}

/// What `--render` did in one audit.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RenderSummary {
    pub mode: RenderMode,
    /// The browser that rendered (`Chrome/156.0…`), when one started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    /// Why no page was rendered: no browser found, or it would not start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Pages rendered, with why each was.
    pub pages: Vec<(String, RenderReason)>,
    pub failed: Vec<RenderFailure>,
    /// Pages that asked to be rendered beyond `max_pages`.
    pub pages_left: usize,
    /// Requests refused (at most [`MAX_BLOCKED_LISTED`]; `requests_blocked` counts all).
    pub blocked: Vec<BlockedRequest>,
    pub requests_blocked: usize,
    /// First screens of the start page and close-ups of doors too small to tap, for the HTML
    /// report, at most [`MAX_SCREENSHOTS_BYTES`] in all.
    pub screenshots: Vec<Screenshot>,
    pub duration_ms: u64,
}

/// Refused requests listed in a summary, at most: a hostile page can make thousands.
pub const MAX_BLOCKED_LISTED: usize = 50;

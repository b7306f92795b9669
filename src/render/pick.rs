//! Which pages `--render auto` shows to the browser: those whose served HTML says a script
//! builds their doors, and every contact page.

use crate::extract::PageExtract;
use crate::types::render::{RenderMode, RenderReason};

/// Why this page should be rendered, if it should. The start page is always looked at too:
/// it is the first screen most visitors see, on their phones.
pub fn reason(
    mode: RenderMode,
    page: &PageExtract,
    contact_page: bool,
    start_page: bool,
) -> Option<RenderReason> {
    match mode {
        RenderMode::Never => None,
        RenderMode::Always => Some(RenderReason::Asked),
        RenderMode::Auto if contact_page => Some(RenderReason::ContactPage),
        RenderMode::Auto => page
            .render_hint
            .or(start_page.then_some(RenderReason::StartPage)),
    }
}

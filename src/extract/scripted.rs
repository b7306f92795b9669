//! Whether a page's served HTML says a script builds its doors: then only a browser sees
//! them (`--render auto`).

use super::PageExtract;
use super::dom::Digest;
use crate::types::render::RenderReason;

/// Text a page drawn by its scripts has, at most, before they run.
const EMPTY_BODY_BYTES: usize = 200;

/// What inline scripts that assemble an address or a number write (lower-cased): Joomla's
/// cloak, `document.write`, character codes, base64, a `mailto:` or `tel:` put together.
const CLOAK_MARKS: [&str; 6] = [
    "cloak",
    "document.write(",
    "fromcharcode",
    "atob(",
    "mailto",
    "tel:",
];

/// Why the page should be rendered, judged from its served HTML.
pub fn render_hint(digest: &Digest, page: &PageExtract) -> Option<RenderReason> {
    if !page.call_tracking.is_empty() {
        return Some(RenderReason::CallTracking);
    }
    if !page.widgets.is_empty() {
        return Some(RenderReason::Widget);
    }
    if page.forms.iter().any(|f| !f.form_element) {
        return Some(RenderReason::ScriptForm);
    }
    if CLOAK_MARKS
        .iter()
        .any(|mark| digest.inline_scripts.contains(mark))
    {
        return Some(RenderReason::Cloak);
    }
    let text: usize = digest.blocks.iter().map(|b| b.text.len()).sum();
    if text < EMPTY_BODY_BYTES
        && (!digest.script_srcs.is_empty() || !digest.inline_scripts.is_empty())
    {
        return Some(RenderReason::EmptyBody);
    }
    None
}

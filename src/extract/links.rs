//! Links the crawler may follow: resolved against the page and its `<base>`, minus the ones
//! that are not pages (mail, phones, scripts, downloads).

use url::Url;

use super::dom::Anchor;
use crate::types::link::FoundLink as Link;

const NOT_PAGES: [&str; 24] = [
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".pdf", ".doc", ".docx", ".xls",
    ".xlsx", ".ppt", ".pptx", ".zip", ".rar", ".7z", ".mp3", ".mp4", ".avi", ".mov", ".css", ".js",
    ".xml",
];

/// Page links among the anchors, with their text lower-cased.
pub fn extract(anchors: &[Anchor], base: &Url) -> Vec<Link> {
    anchors
        .iter()
        .filter_map(|anchor| {
            if anchor.href.is_empty() {
                return None;
            }
            let url = base.join(&anchor.href).ok()?;
            if !matches!(url.scheme(), "http" | "https") {
                return None;
            }
            let path = url.path().as_bytes();
            if NOT_PAGES.iter().any(|ext| {
                path.len() >= ext.len()
                    && path[path.len() - ext.len()..].eq_ignore_ascii_case(ext.as_bytes())
            }) {
                return None;
            }
            Some(Link {
                url,
                text: crate::text::lowercase(&anchor.text),
            })
        })
        .collect()
}

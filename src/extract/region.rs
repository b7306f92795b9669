//! Which part of a page an element stands in: header, nav, main, aside, footer — by tag, ARIA
//! role, or the `header`/`footer` ids and classes small-business sites mark them with.

use scraper::{ElementRef, node::Element};

use crate::types::contact::PageRegion;

fn token_names(token: &str, region: &str) -> bool {
    let token = token.to_ascii_lowercase();
    token == region
        || token.starts_with(&format!("{region}-"))
        || token.starts_with(&format!("{region}_"))
        || token.ends_with(&format!("-{region}"))
        || token.ends_with(&format!("_{region}"))
}

/// The region an element opens, from its tag, ARIA role, or a conventional id/class
/// (`<div class="site-footer">` is how many small-business sites mark their footer).
pub fn region_of(el: &Element) -> Option<PageRegion> {
    match el.name() {
        "header" => return Some(PageRegion::Header),
        "footer" => return Some(PageRegion::Footer),
        "nav" => return Some(PageRegion::Nav),
        "main" => return Some(PageRegion::Main),
        "aside" => return Some(PageRegion::Aside),
        _ => {}
    }
    match el.attr("role") {
        Some("banner") => return Some(PageRegion::Header),
        Some("contentinfo") => return Some(PageRegion::Footer),
        Some("navigation") => return Some(PageRegion::Nav),
        Some("main") => return Some(PageRegion::Main),
        Some("complementary") => return Some(PageRegion::Aside),
        _ => {}
    }
    if !matches!(el.name(), "div" | "section") {
        return None;
    }
    let tokens = el.id().into_iter().chain(el.classes());
    for token in tokens {
        if token_names(token, "footer") {
            return Some(PageRegion::Footer);
        }
        if token_names(token, "header") {
            return Some(PageRegion::Header);
        }
    }
    None
}

/// The region an element stands in, from its nearest marked ancestor.
pub fn region_of_ancestors(el: ElementRef<'_>) -> PageRegion {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .find_map(|e| region_of(e.value()))
        .unwrap_or(PageRegion::Body)
}

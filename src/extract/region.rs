//! Which part of a page an element stands in: header, nav, main, aside, footer — by tag, ARIA
//! role, or the `header`/`footer` ids and classes small-business sites mark them with.

use html5ever::local_name;
use scraper::{ElementRef, node::Element};

use super::dom::attr;
use crate::types::contact::PageRegion;

/// Whether an id or class names `region` (lower case): `footer`, `Footer-top`, `site_footer`.
/// Compared in place, without a lowered copy: every `div` of every page passes here.
fn token_names(token: &str, region: &str) -> bool {
    let (token, region) = (token.as_bytes(), region.as_bytes());
    let (len, whole) = (region.len(), token.len());
    let joined = |b: u8| matches!(b, b'-' | b'_');
    if whole == len {
        return token.eq_ignore_ascii_case(region);
    }
    whole > len
        && ((token[..len].eq_ignore_ascii_case(region) && joined(token[len]))
            || (token[whole - len..].eq_ignore_ascii_case(region)
                && joined(token[whole - len - 1])))
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
    match attr(el, &local_name!("role")) {
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
    // scraper's `id()` and `classes()` make an interned atom of each name on first use.
    let tokens = attr(el, &local_name!("id")).into_iter().chain(
        attr(el, &local_name!("class"))
            .into_iter()
            .flat_map(str::split_ascii_whitespace),
    );
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

#[cfg(test)]
mod tests {
    use super::token_names;

    #[test]
    fn an_id_or_class_names_its_region_as_a_whole_part_only() {
        for named in [
            "footer",
            "Footer",
            "footer-top",
            "site_footer",
            "SITE-FOOTER",
        ] {
            assert!(token_names(named, "footer"), "{named}");
        }
        for other in [
            "footers",
            "prefooter",
            "footerlinks",
            "foot",
            "-",
            "x-footerx",
        ] {
            assert!(!token_names(other, "footer"), "{other}");
        }
    }
}

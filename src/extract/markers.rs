//! The widget and captcha markers (`id:`, `class:`, `attr:`) a page is searched for, kept
//! in sets so the DOM walk checks each element with a few hash lookups.

use std::collections::HashSet;

use html5ever::local_name;
use scraper::node::Element;

use super::dom::attr;

/// Markers the signatures ask for, split by kind for cheap lookups during the walk.
#[derive(Debug, Default)]
pub struct WantedMarkers {
    ids: HashSet<String>,
    classes: HashSet<String>,
    attrs: HashSet<String>,
    /// Every id, class and attribute name of every element passes here, and almost none is
    /// wanted: a bit per (length, first byte, last byte) of the wanted names rules most out
    /// before a hash is computed.
    maybe: Shapes,
}

/// A set of name shapes, with false positives and no false negatives.
#[derive(Debug)]
struct Shapes(Box<[u64; SHAPE_WORDS]>);

const SHAPE_WORDS: usize = 64;

impl Default for Shapes {
    fn default() -> Self {
        Self(Box::new([0; SHAPE_WORDS]))
    }
}

impl Shapes {
    fn slot(name: &str) -> usize {
        let bytes = name.as_bytes();
        let (first, last) = match (bytes.first(), bytes.last()) {
            (Some(&first), Some(&last)) => (usize::from(first), usize::from(last)),
            _ => (0, 0),
        };
        (bytes.len().wrapping_mul(31) ^ first.wrapping_mul(131) ^ last.wrapping_mul(7))
            % (SHAPE_WORDS * 64)
    }

    fn insert(&mut self, name: &str) {
        let slot = Self::slot(name);
        self.0[slot / 64] |= 1 << (slot % 64);
    }

    fn may_hold(&self, name: &str) -> bool {
        let slot = Self::slot(name);
        self.0[slot / 64] & (1 << (slot % 64)) != 0
    }
}

impl WantedMarkers {
    pub fn from_markers<'a>(markers: impl Iterator<Item = &'a str>) -> Self {
        let mut wanted = Self::default();
        for marker in markers {
            if let Some((kind, name)) = marker.split_once(':') {
                let set = match kind {
                    "id" => &mut wanted.ids,
                    "class" => &mut wanted.classes,
                    _ => &mut wanted.attrs,
                };
                set.insert(name.to_string());
                wanted.maybe.insert(name);
            }
        }
        wanted
    }

    /// Adds the markers `el` carries among those wanted.
    /// Read from the attributes (by atom, see [`attr`]): scraper's `id()` and `classes()`
    /// intern every class they meet, under a global lock for names that are not predefined.
    pub fn collect(&self, el: &Element, found: &mut HashSet<String>) {
        if let Some(id) = attr(el, &local_name!("id"))
            && self.maybe.may_hold(id)
            && self.ids.contains(id)
        {
            found.insert(format!("id:{id}"));
        }
        if !self.classes.is_empty()
            && let Some(classes) = attr(el, &local_name!("class"))
        {
            for class in classes.split_ascii_whitespace() {
                if self.maybe.may_hold(class) && self.classes.contains(class) {
                    found.insert(format!("class:{class}"));
                }
            }
        }
        for (name, _) in el.attrs() {
            if self.maybe.may_hold(name) && self.attrs.contains(name) {
                found.insert(format!("attr:{name}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wanted_name_passes_the_shape_check_and_most_others_do_not() {
        let wanted = WantedMarkers::from_markers(
            [
                "id:jivo-iframe-container",
                "class:b24-widget-button",
                "attr:data-ya-map",
                "class:x",
            ]
            .into_iter(),
        );
        for name in [
            "jivo-iframe-container",
            "b24-widget-button",
            "data-ya-map",
            "x",
        ] {
            assert!(wanted.maybe.may_hold(name), "{name}");
        }
        let ordinary = [
            "container",
            "row",
            "col-md-6",
            "href",
            "class",
            "nav-link",
            "logo",
        ];
        let passed = ordinary.iter().filter(|n| wanted.maybe.may_hold(n)).count();
        assert!(
            passed <= 1,
            "{passed} of {} ordinary names pass",
            ordinary.len()
        );
    }

    /// Each wanted marker is found on the element that carries it, attribute names in any
    /// case (HTML's are case-insensitive), and nothing else is.
    #[test]
    fn an_element_gives_the_markers_it_carries() {
        let wanted = WantedMarkers::from_markers(
            [
                "id:jivo-iframe-container",
                "class:b24-widget-button",
                "attr:data-tilda-formskey",
                "attr:data-b24-form",
                "attr:data-tilda-formskey",
            ]
            .into_iter(),
        );
        let page = scraper::Html::parse_document(
            "<div id='jivo-iframe-container'></div>\
             <a class='btn b24-widget-button'>x</a>\
             <form DATA-B24-FORM='inline/1'></form>\
             <form data-tilda-formskey='k' data-ya-map='1'></form>\
             <div class='jivo-iframe-container' data-src='b24-widget-button'></div>",
        );
        let mut found = HashSet::new();
        for node in page.tree.nodes() {
            if let scraper::Node::Element(el) = node.value() {
                wanted.collect(el, &mut found);
            }
        }
        let mut found: Vec<_> = found.into_iter().collect();
        found.sort();
        assert_eq!(
            found,
            [
                "attr:data-b24-form",
                "attr:data-tilda-formskey",
                "class:b24-widget-button",
                "id:jivo-iframe-container",
            ]
        );
    }
}

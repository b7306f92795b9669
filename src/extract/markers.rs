//! The widget and captcha markers (`id:`, `class:`, `attr:`) a page is searched for, kept
//! in sets so the DOM walk checks each element with a few hash lookups.

use std::collections::HashSet;

use scraper::node::Element;

use super::dom::attr;

/// Markers the signatures ask for, split by kind for cheap lookups during the walk.
#[derive(Debug, Default)]
pub struct WantedMarkers {
    pub ids: HashSet<String>,
    pub classes: HashSet<String>,
    pub attrs: HashSet<String>,
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
            }
        }
        wanted
    }

    /// Adds the markers `el` carries among those wanted.
    /// Read from the attributes as text: scraper's `id()` and `classes()` intern every name
    /// they meet, under a global lock for names that are not predefined.
    pub fn collect(&self, el: &Element, found: &mut HashSet<String>) {
        if let Some(id) = attr(el, "id")
            && self.ids.contains(id)
        {
            found.insert(format!("id:{id}"));
        }
        if !self.classes.is_empty()
            && let Some(classes) = attr(el, "class")
        {
            for class in classes.split_ascii_whitespace() {
                if self.classes.contains(class) {
                    found.insert(format!("class:{class}"));
                }
            }
        }
        for (name, _) in el.attrs() {
            if self.attrs.contains(name) {
                found.insert(format!("attr:{name}"));
            }
        }
    }
}

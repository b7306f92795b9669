//! Elements whose text is read apart from the page's blocks while the walk is inside them:
//! links (their text, and the hint an icon-only link gives), schema.org microdata values and
//! addresses.

use html5ever::local_name;
use scraper::node::Element;

use super::{Walker, attr, attr_named};
use crate::extract::digest::{ADDRESS_PARTS, AddressElement, Anchor, Microdata};

/// Bytes of hint kept per link: enough for an icon's classes and file name, bounded against a
/// page that puts a novel in a class attribute.
pub const HINT_CAP: usize = 256;

const MICRODATA_PROPS: [&str; 5] = [
    "telephone",
    "email",
    "address",
    "streetaddress",
    "openinghours",
];

pub(super) enum CaptureKind {
    Anchor {
        index: usize,
        block: usize,
        offset: usize,
        /// The link may be an icon that opens nothing or hides an address: only then is its
        /// hint worth collecting (most links of a page are its own pages).
        hinted: bool,
        /// A class or a background could draw an icon in an empty link.
        styled: bool,
    },
    Microdata(usize),
    Address(usize),
}

pub(super) struct Capture {
    pub(super) node: usize,
    pub(super) kind: CaptureKind,
    pub(super) text: String,
}

impl Walker<'_> {
    /// A link opens: its text and hint are read until it closes.
    pub(super) fn open_anchor(&mut self, id: usize, el: &Element) {
        let index = self.digest.anchors.len();
        let href = attr(el, &local_name!("href")).unwrap_or_default().trim();
        // A mailto: link showing only an icon is a door: its hint says it can be seen.
        let hinted = crate::extract::messenger::leads_nowhere_else(href)
            || href.contains("/cdn-cgi/l/email-protection")
            || href
                .get(..7)
                .is_some_and(|s| s.eq_ignore_ascii_case("mailto:"));
        self.digest.anchors.push(Anchor {
            href: href.to_string(),
            text: String::new(),
            hint: String::new(),
            invisible: false,
            region: self.region(),
            block: self.digest.blocks.len(),
        });
        self.captures.push(Capture {
            node: id,
            kind: CaptureKind::Anchor {
                index,
                block: self.digest.blocks.len(),
                offset: self.current.text.len(),
                hinted,
                styled: attr(el, &local_name!("class")).is_some_and(|c| !c.trim().is_empty())
                    || attr(el, &local_name!("style"))
                        .is_some_and(|s| s.to_ascii_lowercase().contains("background")),
            },
            text: String::new(),
        });
    }

    /// An `<address>` or a microformat address opens, or a part of one inside it.
    pub(super) fn open_address(&mut self, id: usize, el: &Element, tag: &str) {
        // Every element passes here: one look for «adr» rules out almost all of them before
        // their classes are split (a window test: `str::contains` builds a searcher a call).
        let class = attr(el, &local_name!("class")).unwrap_or_default();
        let microformat = class.as_bytes().windows(3).any(|w| w == b"adr")
            && class
                .split_ascii_whitespace()
                .any(|t| t == "h-adr" || t == "adr");
        if !self.digest.address_elements.is_empty()
            && let Some(index) = self.captures.iter().rev().find_map(|c| match c.kind {
                CaptureKind::Address(index) => Some(index),
                _ => None,
            })
            && class
                .split_ascii_whitespace()
                .any(|t| ADDRESS_PARTS.contains(&t))
        {
            self.digest.address_elements[index].microformat_parts = true;
        }
        if tag == "address" || microformat {
            self.captures.push(Capture {
                node: id,
                kind: CaptureKind::Address(self.digest.address_elements.len()),
                text: String::new(),
            });
            self.digest.address_elements.push(AddressElement {
                text: String::new(),
                region: self.region(),
                microformat,
                microformat_parts: false,
            });
        }
    }

    /// The link being read whose hint is worth collecting, if any.
    fn hinted_anchor(&self) -> Option<usize> {
        self.captures.iter().rev().find_map(|c| match c.kind {
            CaptureKind::Anchor {
                index,
                hinted: true,
                ..
            } => Some(index),
            _ => None,
        })
    }

    pub(super) fn add_hint_text(&mut self, text: &str) {
        let Some(index) = self.hinted_anchor() else {
            return;
        };
        let hint = &mut self.digest.anchors[index].hint;
        let text = text.trim();
        if hint.len() + text.len() < HINT_CAP {
            hint.push(' ');
            hint.extend(text.chars().flat_map(char::to_lowercase));
        }
    }

    /// Adds what `el` says of itself to the hint of the link it stands in, if any.
    pub(super) fn add_hint(&mut self, el: &Element) {
        let Some(index) = self.hinted_anchor() else {
            return;
        };
        let hint = &mut self.digest.anchors[index].hint;
        for name in [
            "class",
            "title",
            "aria-label",
            "src",
            "alt",
            "style",
            "data-icon",
            "data-cfemail",
        ] {
            let Some(value) = attr_named(el, name) else {
                continue;
            };
            if hint.len() + value.len() + 1 > HINT_CAP {
                return;
            }
            hint.push(' ');
            hint.extend(value.chars().flat_map(char::to_lowercase));
        }
    }

    pub(super) fn open_microdata(&mut self, id: usize, el: &Element, prop: &str) {
        let inside_address = self.in_address_prop > 0 && prop != "address";
        if !MICRODATA_PROPS.contains(&prop) || inside_address {
            return;
        }
        let value = attr(el, &local_name!("content")).or_else(|| {
            if el.name.local == local_name!("a") && prop != "address" {
                attr(el, &local_name!("href"))
            } else {
                None
            }
        });
        let index = self.digest.microdata.len();
        self.digest.microdata.push(Microdata {
            prop: prop.to_string(),
            value: value.unwrap_or_default().to_string(),
            region: self.region(),
        });
        if prop == "address" {
            self.in_address_prop += 1;
        }
        if value.is_none() || prop == "address" {
            self.captures.push(Capture {
                node: id,
                kind: CaptureKind::Microdata(index),
                text: String::new(),
            });
        }
    }

    pub(super) fn finish_capture(&mut self, capture: Capture, could_draw_icon: bool) {
        match capture.kind {
            CaptureKind::Anchor {
                index,
                block,
                offset,
                styled,
                ..
            } => {
                let anchor = &mut self.digest.anchors[index];
                anchor.text = capture.text.trim().to_string();
                anchor.invisible = anchor.text.is_empty() && !could_draw_icon && !styled;
                // The link's span in its block lets text extractors tell a number shown
                // inside a tel: link from one standing bare.
                if block == self.digest.blocks.len() {
                    let end = self.current.text.len();
                    self.current
                        .anchor_spans
                        .push((offset.min(end)..end, index));
                }
            }
            CaptureKind::Microdata(index) => {
                let entry = &mut self.digest.microdata[index];
                if entry.prop == "address" {
                    self.in_address_prop = self.in_address_prop.saturating_sub(1);
                }
                if entry.value.is_empty() {
                    entry.value = capture.text.trim().to_string();
                }
            }
            CaptureKind::Address(index) => {
                self.digest.address_elements[index].text = capture.text.trim().to_string();
            }
        }
    }
}

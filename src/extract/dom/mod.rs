//! One walk over the parsed page that collects everything the extractors read: visible text
//! in blocks, links, scripts, frames, images, schema.org markup and widget markers.
//!
//! Walking once and handing plain data to each extractor keeps extraction near the cost of
//! parsing; each extractor walking the tree on its own would multiply it.

mod capture;
mod elements;
mod stream;

use ego_tree::iter::Edge;
use html5ever::{LocalName, local_name};
use scraper::{Html, node::Element};

pub use super::digest::{AddressElement, Anchor, Digest, Image, Microdata, TextBlock};
pub use super::markers::WantedMarkers;
pub use super::region::{region_of, region_of_ancestors};
use crate::text::floor_char_boundary;
use crate::types::contact::PageRegion;
pub use capture::HINT_CAP;
use capture::{Capture, CaptureKind};
pub use elements::is_hidden;
use elements::{is_block, is_phone_icon, is_skipped};

/// Seams remembered per block.
pub const SEAMS_PER_BLOCK: usize = 64;

/// Phone icons remembered per block; one before each number is all that is ever read.
pub const ICONS_PER_BLOCK: usize = 16;

/// The inline scripts we keep for signature matching; widget snippets sit near the top of
/// their script, so a cap costs nothing in practice and bounds the work on huge pages.
const INLINE_SCRIPT_CAP: usize = 256 * 1024;

/// Text blocks room is made for at the start of a page, at least: the benchmark's pages have
/// ~230.
const BLOCKS_EXPECTED: usize = 256;

/// Nodes of the tree a text block takes, at least: an element and its text. Room for that
/// many blocks is made at the start, up to [`BLOCKS_RESERVED_MAX`]: two in five of the
/// benchmark's pages outgrew a fixed 256, and each regrowth copied the whole list.
const NODES_PER_BLOCK: usize = 2;

/// The room made at most, in blocks (~110 bytes each): past it the list grows as it needs.
const BLOCKS_RESERVED_MAX: usize = 8192;

/// Placeholders kept per page: a country needs a few, a hostile page may have thousands.
pub const PLACEHOLDER_CAP: usize = 8;

/// What the walk remembers of an element while it is open. The walk keys what it opens
/// (skipped parts, regions, captures) by depth, and reads a text's parent and a link's
/// surroundings from here: the same walk then reads a tree or a page's tokens as they come.
struct OpenElement {
    name: LocalName,
    /// A `<script type="application/ld+json">`.
    json_ld: bool,
    /// Has a class that could draw an icon in an empty link inside it.
    classed: bool,
    /// An element opened inside it.
    element_child: bool,
}

struct Walker<'w> {
    wanted: &'w WantedMarkers,
    digest: Digest,
    current: TextBlock,
    open_elements: Vec<OpenElement>,
    /// Open `<svg>` elements.
    svg_open: usize,
    regions: Vec<(usize, PageRegion)>,
    captures: Vec<Capture>,
    /// The depth of the skipped element the walk is inside.
    skip_until: Option<usize>,
    /// The text of the skipped `<button>` the walk is inside.
    button_text: Option<String>,
    in_address_prop: usize,
}

impl<'w> Walker<'w> {
    fn new(wanted: &'w WantedMarkers, blocks_expected: usize) -> Self {
        Walker {
            wanted,
            // A page has a few hundred blocks: grown from nothing, their list was copied eight
            // times a page.
            digest: Digest::with_blocks(Vec::with_capacity(
                blocks_expected.clamp(BLOCKS_EXPECTED, BLOCKS_RESERVED_MAX),
            )),
            current: TextBlock::default(),
            open_elements: Vec::new(),
            svg_open: 0,
            regions: Vec::new(),
            captures: Vec::new(),
            skip_until: None,
            button_text: None,
            in_address_prop: 0,
        }
    }

    /// An element opens, inside the one opened last and not yet closed.
    fn start(&mut self, el: &Element) {
        if let Some(parent) = self.open_elements.last_mut() {
            parent.element_child = true;
        }
        let name = &el.name.local;
        let json_ld = *name == local_name!("script")
            && attr(el, &local_name!("type"))
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
        if *name == local_name!("svg") {
            self.svg_open += 1;
        }
        self.open_elements.push(OpenElement {
            name: name.clone(),
            json_ld,
            classed: attr(el, &local_name!("class")).is_some_and(|c| !c.trim().is_empty()),
            element_child: false,
        });
        self.open(self.open_elements.len(), el);
    }

    /// The element opened last and not yet closed, `el`, closes.
    fn end(&mut self, el: &Element) {
        self.close(self.open_elements.len(), el);
        if self
            .open_elements
            .pop()
            .is_some_and(|closed| closed.name == local_name!("svg"))
        {
            self.svg_open -= 1;
        }
    }

    fn finish(mut self) -> Digest {
        self.flush();
        self.digest
    }

    fn region(&self) -> PageRegion {
        self.regions.last().map_or(PageRegion::Body, |r| r.1)
    }

    fn flush(&mut self) {
        let region = self.region();
        // Most flushes find nothing written since the last (a block opening inside another):
        // the block is emptied in place, its buffers kept.
        if self.current.text.trim().is_empty() {
            // Every field named: one added to blocks must be emptied here too.
            let TextBlock {
                text,
                region: block_region,
                anchor_spans,
                heading,
                phone_icons,
                seams,
                cues,
            } = &mut self.current;
            text.clear();
            anchor_spans.clear();
            phone_icons.clear();
            seams.clear();
            *heading = false;
            *cues = Default::default();
            *block_region = region;
            return;
        }
        // The block's text is written into one buffer kept across blocks; a finished block
        // gets a copy of its exact size. Growing a fresh string for each of a page's hundreds
        // of blocks cost a handful of reallocations apiece.
        let mut buffer = std::mem::take(&mut self.current.text);
        let mut block = std::mem::take(&mut self.current);
        if !buffer.trim().is_empty() {
            block.text = super::spare_texts::copy_of(&buffer);
            self.digest.blocks.push(block);
        }
        buffer.clear();
        self.current.text = buffer;
        self.current.region = region;
    }

    fn push_text(&mut self, text: &str) {
        // Written straight into the block and the open captures: this runs for every text
        // node of every page, and an intermediate string per node showed up in profiles.
        let leading_space = text.starts_with(char::is_whitespace);
        let blank = text.trim_start().is_empty();
        if (leading_space || blank)
            && !self.current.text.is_empty()
            && !self.current.text.ends_with(char::is_whitespace)
        {
            self.current.text.push(' ');
        } else if !leading_space && self.current.seams.len() < SEAMS_PER_BLOCK {
            // Only a seam between a letter and a digit can be read as glue; most seams are
            // punctuation after a tag and are not worth a record.
            let before = self.current.text.chars().next_back();
            let after = text.chars().next();
            // The digit side first: a Cyrillic letter's class is a table lookup.
            let letter_digit = |a: Option<char>, b: Option<char>| {
                b.is_some_and(|c| c.is_ascii_digit() || matches!(c, '+' | '('))
                    && a.is_some_and(char::is_alphabetic)
            };
            if letter_digit(before, after) || letter_digit(after, before) {
                let at = self.current.text.len();
                self.current.seams.push(at);
            }
        }
        // Text nodes run together as a browser renders them: `name<wbr>@site` is one word,
        // and only whitespace in the page separates words.
        let space_captures = |captures: &mut Vec<Capture>| {
            for capture in captures {
                if !capture.text.is_empty() && !capture.text.ends_with(' ') {
                    capture.text.push(' ');
                }
            }
        };
        if blank {
            space_captures(&mut self.captures);
            return;
        }
        if leading_space {
            space_captures(&mut self.captures);
        }
        let from = self.current.text.len();
        crate::text::push_words(&mut self.current.text, text);
        let words = &self.current.text[from..];
        for capture in &mut self.captures {
            capture.text.push_str(words);
        }
        if text.ends_with(char::is_whitespace) {
            self.current.text.push(' ');
            space_captures(&mut self.captures);
        }
    }

    /// Scripts, frames and widget markers count even inside hidden or skipped elements:
    /// chat widgets mount hidden containers and load from `<head>`.
    fn collect_resources(&mut self, el: &Element) {
        self.wanted.collect(el, &mut self.digest.markers);
        match el.name() {
            "script" => {
                if let Some(src) = attr(el, &local_name!("src")) {
                    self.digest
                        .script_srcs
                        .push(src.trim().to_ascii_lowercase());
                }
            }
            "iframe" => {
                if let Some(src) = attr(el, &local_name!("src")) {
                    self.digest.iframes.push(src.trim().to_ascii_lowercase());
                }
            }
            "base" if self.digest.base_href.is_none() => {
                self.digest.base_href = attr(el, &local_name!("href")).map(str::to_string);
            }
            _ => {}
        }
    }

    fn open(&mut self, depth: usize, el: &Element) {
        self.collect_resources(el);
        let tag = el.name();
        // Counted hidden or not: a pop-up's form is hidden until it opens.
        if matches!(tag, "form" | "input" | "textarea" | "select") {
            self.digest.controls += 1;
        }
        if self.skip_until.is_some() {
            return;
        }
        if self.current.phone_icons.len() < ICONS_PER_BLOCK && is_phone_icon(el) {
            let at = self.current.text.len();
            self.current.phone_icons.push(at);
        }
        if tag == "html" {
            self.digest.lang = attr(el, &local_name!("lang"))
                .or_else(|| attr(el, &local_name!("xml:lang")))
                .map(|l| l.trim().to_ascii_lowercase())
                .filter(|l| !l.is_empty());
        }
        if is_skipped(tag) || is_hidden(el) {
            self.skip_until = Some(depth);
            if el.name.local == local_name!("button") {
                self.button_text = Some(String::new());
            }
            return;
        }
        if let Some(region) = region_of(el) {
            self.flush();
            self.regions.push((depth, region));
            self.current.region = region;
        }
        if is_block(tag) {
            self.flush();
            self.current.heading = matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        }
        match tag {
            "img" => self.record_image(el),
            "br" => self.current.text.push('\n'),
            "input" => {
                if let Some(placeholder) = attr(el, &local_name!("placeholder")).map(str::trim)
                    && placeholder.starts_with('+')
                    && placeholder.len() < 40
                    && self.digest.international_placeholders.len() < PLACEHOLDER_CAP
                {
                    self.digest
                        .international_placeholders
                        .push(placeholder.to_string());
                }
                if matches!(attr(el, &local_name!("type")), Some("submit" | "button"))
                    && let Some(value) = attr(el, &local_name!("value"))
                {
                    self.digest
                        .buttons
                        .push((value.trim().to_lowercase(), self.region()));
                }
            }
            "a" => self.open_anchor(depth, el),
            _ => {}
        }
        self.open_address(depth, el, tag);
        self.add_hint(el);
        if let Some(prop) = attr(el, &local_name!("itemprop")) {
            self.open_microdata(depth, el, &prop.to_ascii_lowercase());
        }
    }

    /// A picture, with what may say it is a messenger's or a mail icon.
    fn record_image(&mut self, el: &Element) {
        let in_anchor = self
            .captures
            .iter()
            .any(|c| matches!(c.kind, CaptureKind::Anchor { .. }));
        // Lazy loaders keep the picture in a data attribute until it scrolls in.
        let src = [
            attr(el, &local_name!("src")),
            attr_named(el, "data-original"),
            attr_named(el, "data-src"),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|s| !s.is_empty() && !s.starts_with("data:"))
        .unwrap_or_default();
        let dimension = |name: LocalName| {
            attr(el, &name).and_then(|v| v.trim().trim_end_matches("px").parse::<u32>().ok())
        };
        let small = dimension(local_name!("width"))
            .or(dimension(local_name!("height")))
            .is_some_and(|d| d <= 64);
        self.digest.images.push(Image {
            src: src.to_string(),
            small,
            alt: attr(el, &local_name!("alt"))
                .unwrap_or_default()
                .to_string(),
            title: attr(el, &local_name!("title"))
                .unwrap_or_default()
                .to_string(),
            region: self.region(),
            block: self.digest.blocks.len(),
            in_anchor,
        });
    }

    fn close(&mut self, depth: usize, el: &Element) {
        if self.skip_until == Some(depth) {
            self.skip_until = None;
            if let Some(text) = self.button_text.take() {
                self.record_button(&text, el);
            }
            return;
        }
        if self.skip_until.is_some() {
            return;
        }
        if is_block(el.name()) {
            self.flush();
        }
        while self.captures.last().is_some_and(|c| c.node == depth) {
            let capture = self.captures.pop().expect("checked above");
            // An icon can be drawn by a child element or by a rule on the parent's class
            // (`.socials a { background: … }`).
            let parent_classed = depth >= 2 && self.open_elements[depth - 2].classed;
            let could_draw_icon = self.open_elements[depth - 1].element_child || parent_classed;
            self.finish_capture(capture, could_draw_icon);
        }
        if self.regions.last().is_some_and(|r| r.0 == depth) {
            self.flush();
            self.regions.pop();
            self.current.region = self.region();
        }
    }

    fn record_button(&mut self, text: &str, el: &Element) {
        let text = collapse_whitespace(text);
        let label = if text.is_empty() {
            attr(el, &local_name!("aria-label"))
                .or_else(|| attr(el, &local_name!("title")))
                .unwrap_or_default()
                .to_string()
        } else {
            text
        };
        if !label.is_empty() && !is_hidden(el) {
            self.digest
                .buttons
                .push((label.to_lowercase(), self.region()));
        }
    }

    /// Text in the element opened last and not yet closed.
    fn text(&mut self, text: &str) {
        if let Some(button) = &mut self.button_text {
            button.push_str(text);
        }
        let parent = self.open_elements.last();
        let parent_name = parent.map(|p| &p.name);
        if parent_name.is_some_and(|n| *n == local_name!("title") || *n == local_name!("desc"))
            && self.svg_open > 0
        {
            // An icon's own label (`<svg><desc>Facebook</desc>…`) names what its link is.
            self.add_hint_text(text);
        } else if parent_name.is_some_and(|n| *n == local_name!("title")) {
            let title = self.digest.title.get_or_insert_with(String::new);
            title.push_str(&collapse_whitespace(text));
        } else if parent_name.is_some_and(|n| *n == local_name!("script")) {
            if parent.is_some_and(|p| p.json_ld) {
                self.digest.json_ld.push(text.to_string());
            } else if self.digest.inline_scripts.len() < INLINE_SCRIPT_CAP {
                let room = INLINE_SCRIPT_CAP - self.digest.inline_scripts.len();
                let cut = floor_char_boundary(text, room);
                self.digest
                    .inline_scripts
                    .push_str(&text[..cut].to_lowercase());
                self.digest.inline_scripts.push('\n');
            }
        } else if self.skip_until.is_none() {
            self.push_text(text);
        }
    }
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::text::push_words(&mut out, text);
    out
}

/// Walks the document once and returns what the extractors read.
pub fn digest(html: &Html, wanted: &WantedMarkers) -> Digest {
    let mut walker = Walker::new(wanted, html.tree.values().len() / NODES_PER_BLOCK);
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if let Some(el) = node.value().as_element() {
                    walker.start(el);
                } else if let Some(text) = node.value().as_text() {
                    walker.text(text);
                }
            }
            Edge::Close(node) => {
                if let Some(el) = node.value().as_element() {
                    walker.end(el);
                }
            }
        }
    }
    walker.finish()
}

pub use stream::{digest_of_tokens, may_hold_controls};

/// An attribute's value by its name, one of html5ever's predefined atoms
/// (`&local_name!("class")`). Every element of every page is asked for its class, id, style,
/// role and more: comparing atoms is comparing two numbers, where reading each name's text
/// out of the atom table and comparing it was a tenth of the walk. (scraper's own `attr` makes
/// an atom of the name on every call: a hash.)
pub fn attr<'a>(el: &'a Element, name: &LocalName) -> Option<&'a str> {
    el.attrs
        .iter()
        .find(|(key, _)| key.local == *name)
        .map(|(_, value)| &**value)
}

/// An attribute's value by a name html5ever has no atom for (`data-src`): compared as text,
/// not made an atom, which takes a global lock for such names.
pub fn attr_named<'a>(el: &'a Element, name: &str) -> Option<&'a str> {
    el.attrs()
        .find_map(|(key, value)| (key == name).then_some(value))
}

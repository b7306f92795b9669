//! What one walk over a page yields ([`super::dom::digest`]): its text in blocks, its links,
//! images, schema.org microdata, address elements and the rest, as plain data the extractors
//! read without touching the tree.

use std::collections::HashSet;

use crate::types::contact::PageRegion;

/// A run of visible text inside one block element (paragraph, list item, cell, …).
#[derive(Debug, Default)]
pub struct TextBlock {
    pub text: String,
    pub region: PageRegion,
    /// Byte ranges of `text` that are the text of an anchor, with the anchor's index.
    pub anchor_spans: Vec<(std::ops::Range<usize>, usize)>,
    /// The block is an `<h1>`–`<h6>`: it names the section after it.
    pub heading: bool,
    /// Where in `text` a phone icon stands (`<i class="fa fa-phone">`, `icon-phone.svg`):
    /// to a reader it says "phone" as the word does. At most [`ICONS_PER_BLOCK`](super::dom::ICONS_PER_BLOCK).
    pub phone_icons: Vec<usize>,
    /// Where two elements' texts meet with no space between (`<span>Help</span>7-708-…`): a
    /// stylesheet usually sets them apart, so letters before a seam are not glued to the
    /// digits after it. At most [`SEAMS_PER_BLOCK`](super::dom::SEAMS_PER_BLOCK).
    pub seams: Vec<usize>,
    /// The words some extractors need, found for the whole page at once.
    pub cues: super::cues::Cues,
}

#[derive(Debug)]
pub struct Anchor {
    /// As written; empty for an `<a>` without `href` (an icon a script was to make a link).
    pub href: String,
    pub text: String,
    /// What the link looks like besides its text, lower-cased: its and its children's class
    /// names, its title and aria-label, its images' file names and alt texts — an icon link
    /// says what it is here. At most [`HINT_CAP`](super::dom::HINT_CAP) bytes.
    pub hint: String,
    /// The link has no text, no child element, and no class or background on it or a class
    /// on its parent that could draw an icon: a visitor cannot see it (`<a href="tel:…"> </a>`
    /// left behind by an editor).
    pub invisible: bool,
    pub region: PageRegion,
    /// Index of the text block the anchor's text went into.
    pub block: usize,
}

#[derive(Debug)]
pub struct Image {
    pub src: String,
    /// Its `width` or `height` says icon size (64 px or less).
    pub small: bool,
    pub alt: String,
    pub title: String,
    pub region: PageRegion,
    pub block: usize,
    /// Inside a link (then it is not an image-only address, the link carries it).
    pub in_anchor: bool,
}

/// An `<address>` element, or an element a microformat marks as an address (`h-adr`, `adr`).
#[derive(Debug)]
pub struct AddressElement {
    pub text: String,
    pub region: PageRegion,
    /// Marked by a microformat (`h-adr`, `adr`).
    pub microformat: bool,
    /// Holds a microformat address's parts (`locality`, `postal-code`, `street-address`):
    /// then its text is the address itself, where `<address>` is often a whole contact block,
    /// and an `adr` wrapped round a phone is no address at all.
    pub microformat_parts: bool,
}

/// The classes of a microformat address's parts, classic (`locality`) and h-adr (`p-locality`).
pub(super) const ADDRESS_PARTS: [&str; 8] = [
    "street-address",
    "locality",
    "postal-code",
    "country-name",
    "p-street-address",
    "p-locality",
    "p-postal-code",
    "p-country-name",
];

/// A schema.org microdata property with its value.
#[derive(Debug)]
pub struct Microdata {
    pub prop: String,
    pub value: String,
    pub region: PageRegion,
}

#[derive(Debug, Default)]
pub struct Digest {
    pub lang: Option<String>,
    /// The `href` of the page's first `<base href>`: what its relative links resolve against.
    pub base_href: Option<String>,
    pub title: Option<String>,
    pub blocks: Vec<TextBlock>,
    pub anchors: Vec<Anchor>,
    /// Texts of buttons, lower-cased, with their region.
    pub buttons: Vec<(String, PageRegion)>,
    /// `<script src>` values, lower-cased.
    pub script_srcs: Vec<String>,
    /// Inline script bodies, lower-cased and joined, capped in size.
    pub inline_scripts: String,
    /// `<iframe src>` values, lower-cased.
    pub iframes: Vec<String>,
    pub images: Vec<Image>,
    pub json_ld: Vec<String>,
    pub microdata: Vec<Microdata>,
    pub address_elements: Vec<AddressElement>,
    /// Placeholders of inputs that show a number with its country code (`+91 90000 00000`):
    /// the country the site expects its visitors' numbers from. At most [`PLACEHOLDER_CAP`](super::dom::PLACEHOLDER_CAP).
    pub international_placeholders: Vec<String>,
    /// Widget markers present (`id:x`, `class:x`, `attr:x`) among those asked for.
    pub markers: HashSet<String>,
    /// Forms and controls (`<form>`, `<input>`, `<textarea>`, `<select>`) on the page: with
    /// none, there is no form to read.
    pub controls: usize,
}

impl Digest {
    /// A digest with nothing in it yet but room for its blocks.
    pub fn with_blocks(blocks: Vec<TextBlock>) -> Self {
        let mut digest = Self::default();
        digest.blocks = blocks;
        digest
    }
}

impl Drop for Digest {
    /// The blocks' strings go back to this thread's spares for the next page's blocks.
    fn drop(&mut self) {
        super::spare_texts::give_back(&mut self.blocks);
    }
}

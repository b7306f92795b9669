//! The walk fed by html5ever's tokenizer, with no tree built: for pages without a form, whose
//! tree nothing else reads. The tree builder and scraper's tree were a sixth of a bench page's
//! instructions; without them a page without a form costs ~12% fewer (`extract_bench` under
//! callgrind, fresh pages).
//!
//! Which elements are open is kept here by the rules of the standard's tree construction that
//! decide where a text or an element lands, as far as the walk can tell them apart: a `<p>`
//! closed by the block that opens after it, an `<li>` by the next, an end tag with nothing to
//! close ignored, a `</span>` that cannot close past a `<div>`, the `<head>` left when the body
//! begins, raw text in `<script>` and `<style>`, SVG's own nesting, and the formatting elements
//! in force ([`formatting`]): a link left open reopens in the next cell, as a browser shows it.
//! Left out: stray text in a table stays where it stands (the parser moves it before the
//! table, into the block there), and a link whose end tag stands inside a block it opened
//! reads as one link (the parser makes two with the same address).
//!
//! The tests hold this walk to the walk over the tree, digest for digest: every fixture, forms
//! or not; `DOORBELL_WALK_PAGES=<folder>` compares any folder's pages too (on 2026-12-03 the
//! 60 pages of the real-page corpus and 1,000 of the benchmark's: all the same).

mod formatting;
mod kinds;
#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::sync::LazyLock;

use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{LocalName, QualName, local_name, ns};
use scraper::node::Element;

use super::{Digest, Walker, WantedMarkers};
use crate::extract::nesting::MAX_NESTING;
use crate::text::AnyOf;
use formatting::Formatting;
use kinds::{
    belongs_in_head, breaks_out_of_foreign_content, closes_p, holds_rows, is_button_scope_boundary,
    is_formatting, is_heading, is_html_integration_point, is_scope_boundary, is_special,
    is_table_part, is_table_scope_boundary, is_void, opens_formatting_scope, raw_kind,
    reconstructs_formatting,
};

/// Bytes of HTML a text block takes, about: the room made for a page's blocks.
const BYTES_PER_BLOCK: usize = 80;

/// Walks `html`, a page without form controls, and returns what the extractors read: the same
/// as [`super::digest`] of its tree.
pub fn digest_of_tokens(html: &str, wanted: &WantedMarkers) -> Digest {
    tokenized(html, wanted).finish()
}

/// What the walk holds once the tokenizer has read all of `html`, before the last elements
/// close.
fn tokenized<'w>(html: &str, wanted: &'w WantedMarkers) -> State<'w> {
    let sink = Stream {
        state: RefCell::new(State {
            walker: Walker::new(wanted, html.len() / BYTES_PER_BLOCK),
            open: Vec::new(),
            formatting: Vec::new(),
            next_id: 0,
            pending: String::new(),
            after_newline_eater: false,
            seen_html: false,
            seen_body: false,
            in_form: false,
        }),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(html.into());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.state.into_inner()
}

/// Whether `html` may have a form or a control (`<form>`, `<input>`, `<textarea>`, `<select>`):
/// forms are read from the tree, so such a page is parsed into one. One packed search for the
/// tags in lower and upper case: a name in a comment or a script only costs the tree, and a
/// tag in mixed case (`<Input>`) is caught by the walk's own count of controls.
pub fn may_hold_controls(html: &str) -> bool {
    static CONTROL_TAGS: LazyLock<AnyOf> = LazyLock::new(|| {
        AnyOf::new(&[
            "<form",
            "<input",
            "<textarea",
            "<select",
            "<FORM",
            "<INPUT",
            "<TEXTAREA",
            "<SELECT",
        ])
    });
    CONTROL_TAGS.is_in(html)
}

struct Stream<'w> {
    state: RefCell<State<'w>>,
}

struct OpenTag {
    element: Element,
    /// Made in SVG or MathML content, where tags nest as written.
    foreign: bool,
    /// Tells this element from its copies (see [`Formatting`]).
    id: u32,
}

struct State<'w> {
    walker: Walker<'w>,
    open: Vec<OpenTag>,
    formatting: Vec<Formatting>,
    next_id: u32,
    /// Text since the last element opened or closed: the tree joins it into one node.
    pending: String,
    /// A newline right after `<pre>` or `<listing>` is not part of its text.
    after_newline_eater: bool,
    seen_html: bool,
    seen_body: bool,
    /// A `<form>` opened and not ended by its end tag: the parser ignores a form inside it.
    in_form: bool,
}

impl TokenSink for Stream<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::CharacterTokens(text) => {
                let mut text: &str = &text;
                if std::mem::take(&mut state.after_newline_eater) {
                    text = text.strip_prefix('\n').unwrap_or(text);
                }
                state.characters(text);
            }
            Token::TagToken(tag) => {
                state.after_newline_eater = false;
                return match tag.kind {
                    TagKind::StartTag => state.start_tag(tag),
                    TagKind::EndTag => {
                        state.end_tag(&tag);
                        TokenSinkResult::Continue
                    }
                };
            }
            Token::EOFToken => state.close_all(),
            Token::CommentToken(_) | Token::DoctypeToken(_) => {
                state.after_newline_eater = false;
                // A comment is a node of its own: the texts on either side stay apart.
                state.flush_text();
            }
            Token::NullCharacterToken | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.state.borrow().in_foreign_content()
    }
}

impl<'w> State<'w> {
    fn finish(mut self) -> Digest {
        self.close_all();
        self.walker.finish()
    }

    fn in_foreign_content(&self) -> bool {
        self.open.last().is_some_and(|open| {
            open.foreign && !is_html_integration_point(&open.element.name.local)
        })
    }

    fn characters(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let blank = text.trim_ascii().is_empty();
        // Whitespace before the page's first element is not in the tree.
        if self.open.is_empty() && blank {
            return;
        }
        // Text other than whitespace ends the head: it is the body's.
        if !blank && self.top_is(&local_name!("head")) {
            self.pop();
        }
        // Whitespace between a table's rows is the table's own; other text is a cell's or the
        // body's, and the formatting in force opens again around it.
        let between_rows = self
            .open
            .last()
            .is_some_and(|open| holds_rows(&open.element.name.local));
        if !(blank && between_rows) {
            self.reconstruct_formatting();
        }
        self.pending.push_str(text);
    }

    fn flush_text(&mut self) {
        if !self.pending.is_empty() {
            self.walker.text(&self.pending);
            self.pending.clear();
        }
    }

    fn push(&mut self, element: Element, foreign: bool) -> u32 {
        self.flush_text();
        self.walker.start(&element);
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        self.open.push(OpenTag {
            element,
            foreign,
            id,
        });
        id
    }

    fn pop(&mut self) {
        self.flush_text();
        if let Some(open) = self.open.pop() {
            self.walker.end(&open.element);
            if !open.foreign && opens_formatting_scope(&open.element.name.local) {
                self.clear_formatting_to_marker();
            }
        }
    }

    /// An element with no content (`<br>`, `<img>`, a self-closed SVG shape).
    fn insert_void(&mut self, element: &Element) {
        self.flush_text();
        self.walker.start(element);
        self.walker.end(element);
    }

    fn close_all(&mut self) {
        while !self.open.is_empty() {
            self.pop();
        }
        self.flush_text();
    }

    fn top_is(&self, name: &LocalName) -> bool {
        self.open
            .last()
            .is_some_and(|open| open.element.name.local == *name)
    }

    /// Where `name` is open, looking down the stack no further than an element of `stop`.
    fn find_open(&self, name: &LocalName, stop: impl Fn(&LocalName) -> bool) -> Option<usize> {
        for (at, open) in self.open.iter().enumerate().rev().take(MAX_NESTING) {
            let local = &open.element.name.local;
            if local == name && !open.foreign {
                return Some(at);
            }
            if open.foreign || stop(local) {
                return None;
            }
        }
        None
    }

    fn pop_to(&mut self, at: usize) {
        while self.open.len() > at {
            self.pop();
        }
    }

    /// Closes the `<p>` open in button scope, as a block opening after it does.
    fn close_p(&mut self) {
        if let Some(at) = self.find_open(&local_name!("p"), is_button_scope_boundary) {
            self.pop_to(at);
        }
    }

    fn start_tag(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let mut name = tag.name.clone();
        if self.in_foreign_content() {
            if !breaks_out_of_foreign_content(&tag) {
                let element = Element::new(QualName::new(None, ns!(svg), name), tag.attrs);
                if tag.self_closing {
                    self.insert_void(&element);
                } else if self.open.len() < MAX_NESTING {
                    self.push(element, true);
                }
                return TokenSinkResult::Continue;
            }
            while self.open.last().is_some_and(|open| open.foreign) {
                self.pop();
            }
        }
        match name {
            local_name!("html") => {
                if std::mem::replace(&mut self.seen_html, true) || !self.open.is_empty() {
                    return TokenSinkResult::Continue;
                }
            }
            local_name!("head") => {
                if self.seen_body || self.open.len() > 1 {
                    return TokenSinkResult::Continue;
                }
            }
            local_name!("body") => {
                if std::mem::replace(&mut self.seen_body, true) {
                    return TokenSinkResult::Continue;
                }
                if self.top_is(&local_name!("head")) {
                    self.pop();
                }
            }
            _ => {
                if self.top_is(&local_name!("head")) && !belongs_in_head(&name) {
                    self.pop();
                }
            }
        }
        if closes_p(&name) {
            self.close_p();
        }
        match name {
            // A heading inside a heading is the parser's cue to end the first.
            _ if is_heading(&name)
                && self
                    .open
                    .last()
                    .is_some_and(|open| is_heading(&open.element.name.local)) =>
            {
                self.pop();
            }
            local_name!("li") => self.close_item(&[local_name!("li")]),
            local_name!("dd") | local_name!("dt") => {
                self.close_item(&[local_name!("dd"), local_name!("dt")]);
            }
            local_name!("a") | local_name!("nobr") => {
                if !self.close_formatting(&name)
                    && let Some(at) = self.find_open(&name, is_scope_boundary)
                {
                    self.pop_to(at);
                }
            }
            local_name!("button") => {
                if let Some(at) = self.find_open(&name, is_scope_boundary) {
                    self.pop_to(at);
                }
            }
            local_name!("td") | local_name!("th") => {
                if let Some(at) = self
                    .find_open(&local_name!("td"), is_table_scope_boundary)
                    .or_else(|| self.find_open(&local_name!("th"), is_table_scope_boundary))
                {
                    self.pop_to(at);
                }
            }
            local_name!("tr") => {
                if let Some(at) = self.find_open(&local_name!("tr"), is_table_scope_boundary) {
                    self.pop_to(at);
                }
            }
            local_name!("option") if self.top_is(&local_name!("option")) => self.pop(),
            local_name!("form") => {
                if std::mem::replace(&mut self.in_form, true) {
                    return TokenSinkResult::Continue;
                }
            }
            local_name!("image") => name = local_name!("img"),
            _ => {}
        }
        if reconstructs_formatting(&name) {
            self.reconstruct_formatting();
        }
        let raw = raw_kind(&name);
        if matches!(name, local_name!("pre") | local_name!("listing")) {
            self.after_newline_eater = true;
        }
        let foreign = matches!(name, local_name!("svg") | local_name!("math"));
        let namespace = if foreign { ns!(svg) } else { ns!(html) };
        let element = Element::new(QualName::new(None, namespace, name.clone()), tag.attrs);
        if is_void(&name) || (foreign && tag.self_closing) {
            self.insert_void(&element);
            return TokenSinkResult::Continue;
        }
        if self.open.len() >= MAX_NESTING {
            return TokenSinkResult::Continue;
        }
        if is_formatting(&name) {
            self.push_formatting(element);
            return TokenSinkResult::Continue;
        }
        self.push(element, foreign);
        if opens_formatting_scope(&name) {
            self.formatting.push(Formatting::Marker);
        }
        if name == local_name!("plaintext") {
            return TokenSinkResult::Plaintext;
        }
        raw.map_or(TokenSinkResult::Continue, TokenSinkResult::RawData)
    }

    /// Closes an open list item (or `dd`, `dt`) before the next opens, unless a block other
    /// than `div`, `p` or `address` stands between.
    fn close_item(&mut self, items: &[LocalName]) {
        for (at, open) in self.open.iter().enumerate().rev().take(MAX_NESTING) {
            let local = &open.element.name.local;
            if items.contains(local) {
                self.pop_to(at);
                return;
            }
            if is_special(local)
                && !matches!(
                    *local,
                    local_name!("address") | local_name!("div") | local_name!("p")
                )
            {
                return;
            }
        }
    }

    fn end_tag(&mut self, tag: &Tag) {
        let name = &tag.name;
        // An end tag meets SVG's rules while an SVG element is the one open, integration
        // points too: only their content is HTML.
        if self.open.last().is_some_and(|open| open.foreign) {
            let foreign_match = self
                .open
                .iter()
                .enumerate()
                .rev()
                .take_while(|(_, open)| open.foreign)
                .find(|(_, open)| open.element.name.local == *name)
                .map(|(at, _)| at);
            if let Some(at) = foreign_match {
                self.pop_to(at);
                return;
            }
        }
        match *name {
            local_name!("form") => {
                self.in_form = false;
                if let Some(at) = self.find_open(name, is_scope_boundary) {
                    self.pop_to(at);
                }
            }
            // The body and the page stay open to the end: what follows still lands in them.
            local_name!("body") | local_name!("html") => {}
            local_name!("head") => {
                if self.top_is(&local_name!("head")) {
                    self.pop();
                }
            }
            local_name!("br") => {
                let br = Element::new(QualName::new(None, ns!(html), local_name!("br")), vec![]);
                self.insert_void(&br);
            }
            local_name!("p") => match self.find_open(name, is_button_scope_boundary) {
                Some(at) => self.pop_to(at),
                // A `</p>` with no paragraph open makes an empty one.
                None => {
                    let p = Element::new(QualName::new(None, ns!(html), local_name!("p")), vec![]);
                    self.insert_void(&p);
                }
            },
            local_name!("li") => {
                if let Some(at) = self.find_open(name, |n| {
                    is_scope_boundary(n) || matches!(*n, local_name!("ol") | local_name!("ul"))
                }) {
                    self.pop_to(at);
                }
            }
            _ if is_formatting(name) => {
                if !self.close_formatting(name)
                    && let Some(at) = self.find_open(name, is_special)
                {
                    self.pop_to(at);
                }
            }
            _ if is_table_part(name) => {
                if let Some(at) = self.find_open(name, is_table_scope_boundary) {
                    self.pop_to(at);
                }
            }
            _ if is_special(name) => {
                if let Some(at) = self.find_open(name, is_scope_boundary) {
                    self.pop_to(at);
                }
            }
            // Any other end tag closes its element unless a block stands between.
            _ => {
                if let Some(at) = self.find_open(name, is_special) {
                    self.pop_to(at);
                }
            }
        }
    }
}

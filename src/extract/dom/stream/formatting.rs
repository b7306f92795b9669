//! The standard's list of active formatting elements, kept for the walk over tokens: which
//! `<a>`, `<b>` and the like are in force, opened again after a block closed them, and ended
//! by their end tags as the parser's adoption agency ends them.

use html5ever::{LocalName, QualName, ns};
use scraper::node::Element;

use super::State;
use super::kinds::{is_scope_boundary, is_special};
use crate::extract::nesting::MAX_NESTING;

/// The standard's list of active formatting elements: an `<a>` or `<b>` closed by the block
/// around it without its own end tag stays in force, and the parser opens a copy of it before
/// the next text — a link left open runs on into the next cell, as a browser shows it.
pub(super) enum Formatting {
    /// A table cell, caption or object opened: what was in force outside stays outside.
    Marker,
    Element {
        id: u32,
        name: LocalName,
        attrs: Vec<html5ever::Attribute>,
    },
}

/// Formatting elements remembered at most: what a hostile page of unclosed `<b>`s can make
/// the walk reopen before each text.
pub(super) const FORMATTING_MAX: usize = 64;

impl State<'_> {
    pub(super) fn is_open(&self, id: u32) -> bool {
        self.open.iter().rev().any(|open| open.id == id)
    }

    pub(super) fn clear_formatting_to_marker(&mut self) {
        while let Some(entry) = self.formatting.pop() {
            if matches!(entry, Formatting::Marker) {
                break;
            }
        }
    }

    /// The last formatting element named `name` in force (past the last marker), by its
    /// place in the list.
    pub(super) fn formatting_named(&self, name: &LocalName) -> Option<usize> {
        for (at, entry) in self.formatting.iter().enumerate().rev() {
            match entry {
                Formatting::Marker => return None,
                Formatting::Element { name: named, .. } if named == name => return Some(at),
                Formatting::Element { .. } => {}
            }
        }
        None
    }

    /// Opens a formatting element and keeps it in force: at most three alike (the standard's
    /// "Noah's Ark" clause), and at most [`FORMATTING_MAX`] in all.
    pub(super) fn push_formatting(&mut self, element: Element) {
        let name = element.name.local.clone();
        let attrs: Vec<html5ever::Attribute> = element
            .attrs
            .iter()
            .map(|(name, value)| html5ever::Attribute {
                name: name.clone(),
                value: value.clone(),
            })
            .collect();
        let id = self.push(element, false);
        let since_marker = self
            .formatting
            .iter()
            .rposition(|entry| matches!(entry, Formatting::Marker))
            .map_or(0, |at| at + 1);
        let alike: Vec<usize> = (since_marker..self.formatting.len())
            .filter(|&at| {
                matches!(&self.formatting[at], Formatting::Element { name: n, attrs: a, .. }
                    if *n == name && *a == attrs)
            })
            .collect();
        if alike.len() >= 3 {
            self.formatting.remove(alike[0]);
        }
        if self.formatting.len() >= FORMATTING_MAX {
            self.formatting.remove(0);
        }
        self.formatting
            .push(Formatting::Element { id, name, attrs });
    }

    /// Opens again, in order, the formatting elements in force that a block closed.
    pub(super) fn reconstruct_formatting(&mut self) {
        let reopen_from = {
            let mut from = self.formatting.len();
            while from > 0 {
                match &self.formatting[from - 1] {
                    Formatting::Marker => break,
                    Formatting::Element { id, .. } if self.is_open(*id) => break,
                    Formatting::Element { .. } => from -= 1,
                }
            }
            from
        };
        for at in reopen_from..self.formatting.len() {
            if self.open.len() >= MAX_NESTING {
                return;
            }
            let Formatting::Element { name, attrs, .. } = &self.formatting[at] else {
                continue;
            };
            let element = Element::new(QualName::new(None, ns!(html), name.clone()), attrs.clone());
            let new_id = self.push(element, false);
            if let Formatting::Element { id, .. } = &mut self.formatting[at] {
                *id = new_id;
            }
        }
    }

    /// The end of a formatting element, or a new `<a>` while one is in force: the standard's
    /// adoption agency, as far as the walk can follow it. Where a block opened inside the
    /// element is still open (`<b>x<p>y</b>z</p>`), the parser keeps the block open and moves
    /// what the element held into a copy inside it: the block stays open here too, and the
    /// element with it, no longer in force. A link so misnested reads as one link where the
    /// parser makes two with the same address.
    pub(super) fn close_formatting(&mut self, name: &LocalName) -> bool {
        let Some(entry) = self.formatting_named(name) else {
            return false;
        };
        let Formatting::Element { id, .. } = self.formatting[entry] else {
            return false;
        };
        let Some(at) = self.open.iter().rposition(|open| open.id == id) else {
            self.formatting.remove(entry);
            return true;
        };
        let above = &self.open[at + 1..];
        if above
            .iter()
            .any(|open| !open.foreign && is_scope_boundary(&open.element.name.local))
        {
            return true;
        }
        self.formatting.remove(entry);
        let block_inside = above
            .iter()
            .any(|open| !open.foreign && is_special(&open.element.name.local));
        if !block_inside {
            self.pop_to(at);
        }
        true
    }
}

//! Whether the chat and callback widgets a page loads show up: a widget whose loader is in the
//! served HTML but whose request fails, whose script throws, or whose button never appears
//! within [`super::WIDGET_BUDGET`] is a door visitors cannot open — how a chat integration
//! dies unnoticed for weeks.

use super::watch::{Trouble, WidgetWait, selector_of};
use crate::extract::WidgetSighting;
use crate::rulebook::Rulebook;
use crate::types::contact::{Evidence, WidgetKind};
use crate::types::render::WidgetFailure;

/// A widget is a door visitors open: chats, callback widgets, multi-messenger buttons.
fn is_door(kind: WidgetKind) -> bool {
    matches!(
        kind,
        WidgetKind::Chat | WidgetKind::Callback | WidgetKind::MultiMessenger
    )
}

/// A door widget loaded by a script, as its signature's index.
fn loaded_doors<'a>(
    served: &'a [WidgetSighting],
    book: &'a Rulebook,
) -> impl Iterator<Item = (usize, &'a WidgetSighting)> {
    served
        .iter()
        .filter(|w| is_door(w.kind))
        .filter(|w| {
            w.evidence
                .iter()
                .any(|e| matches!(e, Evidence::ScriptSrc | Evidence::Inline))
        })
        .filter_map(|w| {
            book.signatures
                .widgets
                .iter()
                .position(|s| s.id == w.id)
                .map(|owner| (owner, w))
        })
}

/// For each door widget the served HTML loads and whose signature knows its button: what the
/// browser waits for.
pub fn buttons_to_wait_for<'a>(
    served: &'a [WidgetSighting],
    book: &'a Rulebook,
) -> Vec<WidgetWait<'a>> {
    loaded_doors(served, book)
        .map(|(owner, _)| WidgetWait {
            selectors: book
                .signatures
                .widget_matcher
                .markers_of(owner)
                .filter_map(selector_of)
                .collect(),
            is_loader: Box::new(move |url: &str| is_loader_of(book, owner, url)),
        })
        .filter(|wait| !wait.selectors.is_empty())
        .collect()
}

/// Whether `url` is one the signature `owner` names as its script.
fn is_loader_of(book: &Rulebook, owner: usize, url: &str) -> bool {
    let mut hit = false;
    book.signatures
        .widget_matcher
        .scan(Evidence::ScriptSrc, &url.to_lowercase(), |o, _| {
            hit |= o == owner;
        });
    hit
}

/// The door widgets of `served` that did not show up in the rendered page.
pub fn not_loading(
    page: &str,
    served: &[WidgetSighting],
    rendered: &[WidgetSighting],
    trouble: &Trouble,
    book: &Rulebook,
) -> Vec<WidgetFailure> {
    let matcher = &book.signatures.widget_matcher;
    let belongs_to = |owner: usize, url: &str| is_loader_of(book, owner, url);
    loaded_doors(served, book)
        .filter_map(|(owner, widget)| {
            let failed = trouble
                .failed_requests
                .iter()
                .find(|(url, _)| belongs_to(owner, url))
                .map(|(url, what)| format!("{url}: {what}"));
            let threw = trouble
                .script_errors
                .iter()
                .find(|(url, _)| belongs_to(owner, url))
                .map(|(url, what)| format!("{url}: {what}"));
            let markers: Vec<&str> = matcher.markers_of(owner).collect();
            let drawn = rendered
                .iter()
                .any(|r| r.id == widget.id && r.evidence.contains(&Evidence::Dom));
            let missing = (!markers.is_empty() && !drawn).then(|| {
                format!(
                    "its button ({}) did not appear in {} s",
                    markers.join(", "),
                    super::WIDGET_BUDGET.as_secs()
                )
            });
            let evidence = failed.or(threw).or(missing)?;
            Some(WidgetFailure {
                page: page.to_string(),
                id: widget.id.clone(),
                name: widget.name.clone(),
                kind: widget.kind,
                evidence,
            })
        })
        .collect()
}

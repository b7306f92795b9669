//! Third-party widgets and embeds (chats, callback widgets, maps, form builders), matched
//! against the signatures in `rules/signatures.toml`, and callback buttons by their words.

use std::collections::BTreeMap;

use super::dom::Digest;
use super::types::WidgetSighting;
use crate::rulebook::Rulebook;
use crate::types::contact::{Evidence, WidgetKind};

/// Every known product on the page, once, with the kinds of evidence that gave it away.
pub fn extract(digest: &Digest, book: &Rulebook) -> Vec<WidgetSighting> {
    let signatures = &book.signatures;
    let matcher = &signatures.widget_matcher;
    let mut hits: BTreeMap<usize, Vec<Evidence>> = BTreeMap::new();
    let mut record = |owner: usize, evidence: Evidence| {
        let list = hits.entry(owner).or_default();
        if !list.contains(&evidence) {
            list.push(evidence);
        }
    };
    for src in &digest.script_srcs {
        matcher.scan(Evidence::ScriptSrc, src, &mut record);
    }
    matcher.scan(Evidence::Inline, &digest.inline_scripts, &mut record);
    for src in &digest.iframes {
        matcher.scan(Evidence::IframeSrc, src, &mut record);
    }
    for anchor in &digest.anchors {
        matcher.scan(Evidence::LinkHref, &anchor.href, &mut record);
    }
    matcher.scan_dom(|m| digest.markers.contains(m), &mut record);
    let mut found: Vec<WidgetSighting> = hits
        .into_iter()
        .map(|(owner, mut evidence)| {
            evidence.sort();
            let signature = &signatures.widgets[owner];
            WidgetSighting {
                id: signature.id.clone(),
                name: signature.name.clone(),
                kind: signature.kind,
                evidence,
            }
        })
        .collect();
    let has_callback_button = digest
        .buttons
        .iter()
        .map(|(text, _)| text.as_str())
        .chain(
            digest
                .anchors
                .iter()
                .filter(|a| !a.href.starts_with("tel:"))
                .map(|a| a.text.as_str()),
        )
        .any(|text| text.len() < 80 && book.phrases.names_callback(&crate::text::lowercase(text)));
    if has_callback_button {
        found.push(WidgetSighting {
            id: "callback-button".to_string(),
            name: "Callback button".to_string(),
            kind: WidgetKind::Callback,
            evidence: vec![Evidence::Text],
        });
    }
    found
}

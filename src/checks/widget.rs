//! Widget rules: what the browser showed of the chat and callback widgets (`--render`).

use std::collections::BTreeMap;

use super::{Hit, Site};
use crate::rulebook::Rule;
use crate::types::contact::DoorKind;

/// A chat or callback widget whose loader is on a page but which did not show up there: one
/// finding per widget, on every page it failed on, with the first page's evidence.
pub fn not_loading(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    let mut by_widget: BTreeMap<&str, Vec<&crate::types::render::WidgetFailure>> = BTreeMap::new();
    for failure in &site.inventory.widget_failures {
        by_widget.entry(&failure.id).or_default().push(failure);
    }
    by_widget
        .into_values()
        .map(|failures| {
            let first = failures[0];
            Hit::new(
                first.name.clone(),
                first.evidence.clone(),
                failures.iter().map(|f| f.page.clone()),
            )
            .at(DoorKind::Widget(first.kind))
        })
        .collect()
}

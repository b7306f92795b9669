//! Phone-screen rules: the start page and the contact pages at 390×844 (`--render`).

use std::collections::BTreeMap;

use super::{Hit, Site};
use crate::rulebook::Rule;
use crate::types::contact::DoorKind;

/// A page with doors, none of them within reach without scrolling on a phone, and none
/// pinned to the screen.
pub fn no_contact_first_screen(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    site.inventory
        .phone_screens
        .iter()
        .filter(|screen| screen.doors_in_first_screen == 0)
        .map(|screen| {
            Hit::new(
                screen.page.clone(),
                format!(
                    "0 of {} phone, messenger, form or chat doors in the first 390×844 screen, none pinned",
                    screen.doors
                ),
                [screen.page.clone()],
            )
        })
        .collect()
}

/// A phone or messenger link smaller than 24×24 CSS px with another target too close: one
/// finding per link, on every page it is small on.
pub fn tap_target_small(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    let mut by_link: BTreeMap<&str, (String, Vec<String>)> = BTreeMap::new();
    for screen in &site.inventory.phone_screens {
        for target in &screen.small_targets {
            let entry = by_link.entry(&target.href).or_insert_with(|| {
                (
                    format!("{}×{} px: {}", target.width, target.height, target.text),
                    Vec::new(),
                )
            });
            entry.1.push(screen.page.clone());
        }
    }
    by_link
        .into_iter()
        .map(|(href, (evidence, pages))| {
            let hit = Hit::new(href.to_string(), evidence, pages);
            if href
                .get(..4)
                .is_some_and(|s| s.eq_ignore_ascii_case("tel:"))
            {
                hit.at(DoorKind::Phone)
            } else {
                hit
            }
        })
        .collect()
}

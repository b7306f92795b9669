//! Site-wide rules: hours, contact page, contacts on every page, kinds of channel, address
//! and map, widgets per page (PRACTICE.md items 3, 18–21).

use std::collections::{BTreeMap, BTreeSet};

use super::{Hit, Site, Subject};
use crate::rulebook::Rule;
use crate::types::contact::{DoorKind, FormPurpose, Source, WidgetKind};

fn home(site: &Site<'_>) -> Vec<String> {
    vec![site.home.to_string()]
}

fn is_conversation_widget(kind: WidgetKind) -> bool {
    matches!(
        kind,
        WidgetKind::Chat
            | WidgetKind::Callback
            | WidgetKind::MultiMessenger
            | WidgetKind::SocialWidget
    )
}

fn has_visible_phone(site: &Site<'_>) -> bool {
    site.inventory
        .phones
        .iter()
        .any(|p| p.pages.iter().any(|o| o.source != Source::Schema))
}

pub fn hours_missing(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    if site.inventory.hours.is_empty() && has_visible_phone(site) {
        return vec![Hit::new(not_found(site), "", home(site)).at(DoorKind::Hours)];
    }
    Vec::new()
}

/// Chat, callback and messenger widgets plus callback and subscription forms: the things
/// that pop up or float over a page and ask for attention.
pub fn too_many_popups(site: &Site<'_>, rule: &Rule) -> Vec<Hit> {
    let max = rule.threshold("max_per_page");
    let mut per_page: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for widget in site
        .inventory
        .widgets
        .iter()
        .filter(|w| is_conversation_widget(w.kind))
    {
        for page in &widget.pages {
            per_page.entry(page).or_default().push(&widget.name);
        }
    }
    for form in site
        .inventory
        .forms
        .iter()
        .filter(|f| matches!(f.purpose, FormPurpose::Callback | FormPurpose::Subscribe))
    {
        for page in &form.pages {
            per_page.entry(&page.url).or_default().push(&form.action);
        }
    }
    per_page
        .into_iter()
        .filter(|(_, names)| names.len() as f64 > max)
        .map(|(page, names)| Hit::new(page, names.join(", "), [page.to_string()]))
        .collect()
}

/// How many pages were read: what an absence was looked for in.
fn not_found(site: &Site<'_>) -> Subject {
    Subject::NotFoundIn(site.inventory.pages.len())
}

pub fn contact_page_missing(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    let pages = &site.inventory.pages;
    // A link to a contact page proves one, read or not (a one-page audit of the imprint).
    if !pages.iter().any(|p| p.contact_page || p.links_to_contacts) {
        return vec![Hit::new(not_found(site), "", home(site))];
    }
    let home_page = pages.iter().find(|p| *p.url == *site.home);
    match home_page {
        Some(page) if !page.contact_page && !page.links_to_contacts => {
            vec![Hit::new(site.home, "", home(site))]
        }
        _ => Vec::new(),
    }
}

/// A contact menu item that jumps to a section the page lacks: grouped by where it jumps.
pub fn contact_anchor_dead(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    let mut by_anchor: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for page in &site.inventory.pages {
        if let Some(anchor) = &page.dead_contact_anchor {
            by_anchor.entry(anchor).or_default().push(&page.url);
        }
    }
    by_anchor
        .into_iter()
        .map(|(anchor, pages)| Hit::new(anchor, anchor, pages.into_iter().map(str::to_string)))
        .collect()
}

/// Pages a visitor can reach the company from.
fn pages_with_contacts<'a>(site: &'a Site<'_>) -> BTreeSet<&'a str> {
    let inv = site.inventory;
    let mut pages = BTreeSet::new();
    for p in &inv.phones {
        pages.extend(
            p.pages
                .iter()
                .filter(|o| o.source != Source::Schema)
                .map(|o| &*o.url),
        );
    }
    for e in &inv.emails {
        pages.extend(
            e.pages
                .iter()
                .filter(|o| o.source != Source::Schema)
                .map(|o| &*o.url),
        );
    }
    for m in &inv.messengers {
        pages.extend(m.pages.iter().map(|o| &*o.url));
    }
    for f in inv.forms.iter().filter(|f| f.purpose.reaches_company()) {
        pages.extend(f.pages.iter().map(|o| &*o.url));
    }
    for w in inv
        .widgets
        .iter()
        .filter(|w| is_conversation_widget(w.kind))
    {
        pages.extend(w.pages.iter().map(|u| &**u));
    }
    pages
}

pub fn not_on_every_page(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    let with = pages_with_contacts(site);
    if with.is_empty() {
        // No contacts anywhere is a different problem, reported as too few channels.
        return Vec::new();
    }
    let without: Vec<String> = site
        .inventory
        .pages
        .iter()
        .filter(|p| !with.contains(&*p.url))
        .map(|p| p.url.to_string())
        .collect();
    if without.is_empty() {
        return Vec::new();
    }
    let count = without.len();
    vec![Hit::new(
        format!("{count}"),
        without.first().cloned().unwrap_or_default(),
        without,
    )]
}

pub fn too_few_channels(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    let present = super::score::channels(site.inventory);
    let missing: Vec<&'static str> = ["phone", "written", "instant"]
        .into_iter()
        .filter(|kind| !present.contains(kind))
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    vec![Hit::new(Subject::MissingChannels(missing), "", home(site))]
}

pub fn address_missing(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    if site.inventory.addresses.is_empty() {
        return vec![Hit::new(not_found(site), "", home(site)).at(DoorKind::Address)];
    }
    Vec::new()
}

pub fn map_missing(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    let inv = site.inventory;
    let has_map = inv.widgets.iter().any(|w| w.kind == WidgetKind::Map);
    if has_map || inv.addresses.is_empty() {
        return Vec::new();
    }
    inv.addresses
        .iter()
        .map(|a| {
            Hit::new(
                a.text.clone(),
                a.text.clone(),
                a.pages.iter().map(|p| p.url.to_string()),
            )
            .at(DoorKind::Widget(WidgetKind::Map))
        })
        .collect()
}

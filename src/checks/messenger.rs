//! Messenger rules (PRACTICE.md items 11–14 and 20's "one messenger is no backup").

use std::collections::BTreeSet;

use super::{Hit, Site, urls_of};
use crate::inventory::Messenger;
use crate::rulebook::Rule;
use crate::types::contact::{DoorKind, MessengerKind, WidgetKind};

fn hit(m: &Messenger, evidence: String) -> Hit {
    Hit::new(
        m.href
            .clone()
            .or_else(|| m.target.clone())
            .unwrap_or_default(),
        evidence,
        urls_of(m.pages.iter().map(|o| &o.url)),
    )
    .at(DoorKind::Messenger(m.kind))
}

/// The link that opens the chat the site meant, as a pasteable `<a>`.
fn corrected(m: &Messenger) -> Option<String> {
    let href = super::corrected::messenger_link(m.kind, m.target.as_deref()?)?;
    Some(format!(r#"<a href="{href}">{}</a>"#, m.kind.label()))
}

pub fn not_clickable(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    site.inventory
        .messengers
        .iter()
        .filter(|m| !m.clickable)
        .map(|m| {
            Hit::new(
                format!(
                    "{} {}",
                    m.kind.label(),
                    m.target.as_deref().unwrap_or_default()
                ),
                m.kind.label().to_string(),
                urls_of(m.pages.iter().map(|o| &o.url)),
            )
            .at(DoorKind::Messenger(m.kind))
            .corrected(corrected(m))
        })
        .collect()
}

fn malformed(site: &Site<'_>, kind: MessengerKind) -> Vec<Hit> {
    site.inventory
        .messengers
        .iter()
        .filter(|m| m.kind == kind && m.clickable && !m.valid)
        .map(|m| {
            hit(
                m,
                format!(
                    "{} ({})",
                    m.href.as_deref().unwrap_or_default(),
                    m.problems.join(", ")
                ),
            )
            .corrected(corrected(m))
        })
        .collect()
}

pub fn whatsapp_malformed(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    malformed(site, MessengerKind::Whatsapp)
}

pub fn viber_malformed(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    malformed(site, MessengerKind::Viber)
}

pub fn telegram_malformed(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    malformed(site, MessengerKind::Telegram)
}

/// Instant messengers a customer writes to (SMS is a fallback, not an instant channel).
fn instant_kinds(site: &Site<'_>) -> BTreeSet<MessengerKind> {
    site.inventory
        .messengers
        .iter()
        .filter(|m| m.clickable && m.valid && m.kind != MessengerKind::Sms)
        .map(|m| m.kind)
        .collect()
}

pub fn no_backup(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    let kinds = instant_kinds(site);
    let has_chat = site.inventory.widgets.iter().any(|w| {
        matches!(
            w.kind,
            WidgetKind::Chat | WidgetKind::MultiMessenger | WidgetKind::SocialWidget
        )
    });
    if kinds.len() != 1 || has_chat {
        return Vec::new();
    }
    let only = *kinds.iter().next().expect("one kind");
    let pages = site
        .inventory
        .messengers
        .iter()
        .filter(|m| m.kind == only)
        .flat_map(|m| m.pages.iter().map(|o| &o.url));
    vec![Hit::new(only.label(), only.label(), urls_of(pages)).at(DoorKind::Messenger(only))]
}

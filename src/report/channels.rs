//! The channel rows of the table summary: each kind of contact point the site shows, how many,
//! a few examples and on how many pages.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

use comfy_table::{Cell, Table};

use super::Report;
use super::words::{form_summary, purpose_name, widget_kind_name};
use crate::types::contact::MessengerKind;

/// The first `limit` examples, without empty ones or a repeat in a row, and how many more.
fn examples<'a>(items: impl Iterator<Item = &'a str>, limit: usize) -> String {
    let all: Vec<&str> = items.filter(|s| !s.is_empty()).collect();
    let mut shown: Vec<&str> = all.iter().take(limit).copied().collect();
    shown.dedup();
    let mut text = shown.join(", ");
    if all.len() > limit {
        let _ = write!(text, " (+{})", all.len() - limit);
    }
    text
}

fn pages_count(pages: impl Iterator<Item = Arc<str>>) -> usize {
    let mut urls: Vec<Arc<str>> = pages.collect();
    urls.sort();
    urls.dedup();
    urls.len()
}

fn row(table: &mut Table, label: impl Into<String>, count: usize, examples: String, pages: usize) {
    table.add_row(vec![
        Cell::new(label.into()),
        Cell::new(count),
        Cell::new(examples),
        Cell::new(pages),
    ]);
}

/// The table of channels, phones first, opening hours last.
pub(super) fn table(report: &Report<'_>) -> Table {
    let lang = report.lang;
    let inv = report.inventory;
    let mut t = super::table::table([
        lang.pick("Channel", "Канал"),
        lang.pick("Count", "Кол-во"),
        lang.pick("Examples", "Примеры"),
        lang.pick("On pages", "На страницах"),
    ]);
    let phones_shown = inv.phones.iter().map(|p| {
        p.shown
            .first()
            .map_or_else(|| p.e164.as_deref().unwrap_or(""), String::as_str)
    });
    row(
        &mut t,
        lang.pick("Phones", "Телефоны"),
        inv.phones.len(),
        examples(phones_shown, 3),
        pages_count(
            inv.phones
                .iter()
                .flat_map(|p| p.pages.iter().map(|o| o.url.clone())),
        ),
    );
    row(
        &mut t,
        lang.pick("E-mails", "E-mail"),
        inv.emails.len(),
        examples(inv.emails.iter().map(|e| e.address.as_str()), 3),
        pages_count(
            inv.emails
                .iter()
                .flat_map(|e| e.pages.iter().map(|o| o.url.clone())),
        ),
    );
    if !inv.email_images.is_empty() {
        row(
            &mut t,
            lang.pick("E-mail as a picture", "E-mail картинкой"),
            inv.email_images.len(),
            examples(inv.email_images.iter().map(|e| e.src.as_str()), 2),
            pages_count(
                inv.email_images
                    .iter()
                    .flat_map(|e| e.pages.iter().map(|o| o.url.clone())),
            ),
        );
    }
    let mut by_kind: BTreeMap<MessengerKind, Vec<&crate::inventory::Messenger>> = BTreeMap::new();
    for m in &inv.messengers {
        by_kind.entry(m.kind).or_default().push(m);
    }
    for (kind, list) in by_kind {
        let invalid = list.iter().filter(|m| !m.valid).count();
        let mut label = kind.label().to_string();
        if invalid > 0 {
            let _ = write!(
                label,
                " ({invalid} {})",
                lang.pick("broken or unlinked", "с ошибкой или без ссылки")
            );
        }
        row(
            &mut t,
            label,
            list.len(),
            examples(
                list.iter()
                    .map(|m| m.href.as_deref().or(m.target.as_deref()).unwrap_or("")),
                2,
            ),
            pages_count(
                list.iter()
                    .flat_map(|m| m.pages.iter().map(|o| o.url.clone())),
            ),
        );
    }
    if !inv.social_profiles.is_empty() {
        row(
            &mut t,
            lang.pick(
                "Social profiles (not judged)",
                "Профили в соцсетях (не оцениваются)",
            ),
            inv.social_profiles.len(),
            examples(inv.social_profiles.iter().map(|p| p.href.as_str()), 2),
            pages_count(
                inv.social_profiles
                    .iter()
                    .flat_map(|p| p.pages.iter().map(|o| o.url.clone())),
            ),
        );
    }
    let mut forms: BTreeMap<&str, Vec<&crate::inventory::Form>> = BTreeMap::new();
    for f in &inv.forms {
        forms
            .entry(purpose_name(f.purpose, lang))
            .or_default()
            .push(f);
    }
    for (name, list) in forms {
        let summaries: Vec<String> = list.iter().map(|f| form_summary(f, lang)).collect();
        row(
            &mut t,
            name,
            list.len(),
            examples(summaries.iter().map(String::as_str), 2),
            pages_count(
                list.iter()
                    .flat_map(|f| f.pages.iter().map(|o| o.url.clone())),
            ),
        );
    }
    let mut widgets: BTreeMap<&str, Vec<&crate::inventory::Widget>> = BTreeMap::new();
    for w in &inv.widgets {
        widgets
            .entry(widget_kind_name(w.kind, lang))
            .or_default()
            .push(w);
    }
    for (name, list) in widgets {
        row(
            &mut t,
            name,
            list.len(),
            examples(list.iter().map(|w| super::words::widget_name(w, lang)), 3),
            pages_count(list.iter().flat_map(|w| w.pages.iter().cloned())),
        );
    }
    row(
        &mut t,
        lang.pick("Addresses", "Адреса"),
        inv.addresses.len(),
        examples(inv.addresses.iter().map(|a| a.text.as_str()), 2),
        pages_count(
            inv.addresses
                .iter()
                .flat_map(|a| a.pages.iter().map(|o| o.url.clone())),
        ),
    );
    row(
        &mut t,
        lang.pick("Opening hours", "Часы работы"),
        inv.hours.len(),
        examples(inv.hours.iter().map(|a| a.text.as_str()), 2),
        pages_count(
            inv.hours
                .iter()
                .flat_map(|a| a.pages.iter().map(|o| o.url.clone())),
        ),
    );
    t
}

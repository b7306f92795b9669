//! E-mail rules (PRACTICE.md items 7–9).

use super::{Hit, Site, urls_of};
use crate::rulebook::Rule;
use crate::types::contact::DoorKind;
use crate::types::facts::{MailStatus, domain_of};

pub fn image_only(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    site.inventory
        .email_images
        .iter()
        .map(|i| {
            Hit::new(
                i.src.clone(),
                format!("<img src=\"{}\" alt=\"{}\">", i.src, i.alt),
                urls_of(i.pages.iter().map(|p| &p.url)),
            )
            .at(DoorKind::Email)
        })
        .collect()
}

/// A `mailto:` link that shows one address and sends to another (like `phone.tel-mismatch`).
pub fn mailto_mismatch(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    site.inventory
        .emails
        .iter()
        .filter_map(|e| {
            let sends_to = e.mailto_sends_to.as_deref()?;
            Some(
                Hit::new(
                    e.address.clone(),
                    format!("{} → mailto:{sends_to}", e.address),
                    urls_of(
                        e.pages
                            .iter()
                            .filter(|o| o.mailto.is_some())
                            .map(|o| &o.url),
                    ),
                )
                .at(DoorKind::Email)
                .corrected(super::corrected::mailto_link(&e.address, "")),
            )
        })
        .collect()
}

pub fn mailto_malformed(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    let inv = site.inventory;
    inv.emails
        .iter()
        .chain(&inv.broken_mailto_links)
        .filter(|e| !e.mailto_problems.is_empty())
        .map(|e| {
            let link = e
                .pages
                .iter()
                .find_map(|o| o.mailto.as_deref())
                .unwrap_or_default();
            Hit::new(
                if e.address.is_empty() {
                    link.to_string()
                } else {
                    e.address.clone()
                },
                format!("{link} ({})", e.mailto_problems.join(", ")),
                urls_of(
                    e.pages
                        .iter()
                        .filter(|o| o.mailto.is_some())
                        .map(|o| &o.url),
                ),
            )
            .at(DoorKind::Email)
            .corrected(super::corrected::mailto_link(&e.address, link))
        })
        .collect()
}

pub fn too_long(site: &Site<'_>, rule: &Rule) -> Vec<Hit> {
    let max = rule.threshold("max_length");
    site.inventory
        .emails
        .iter()
        .filter(|e| e.address.chars().count() as f64 > max)
        .map(|e| {
            Hit::new(
                e.address.clone(),
                format!("{} > {max}", e.address.chars().count()),
                urls_of(e.pages.iter().map(|o| &o.url)),
            )
            .at(DoorKind::Email)
        })
        .collect()
}

/// Only a domain DNS said has no mail servers: a domain it could not ask about is skipped.
pub fn domain_no_mx(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    site.inventory
        .mail_domains
        .iter()
        .filter(|d| d.status == MailStatus::NoMail)
        .map(|d| {
            let pages = site
                .inventory
                .emails
                .iter()
                .filter(|e| domain_of(&e.address).as_deref() == Some(d.domain.as_str()))
                .flat_map(|e| e.pages.iter().map(|o| &o.url));
            Hit::new(
                d.domain.clone(),
                format!("{}: no MX, no A/AAAA", d.domain),
                urls_of(pages),
            )
            .at(DoorKind::Email)
        })
        .collect()
}

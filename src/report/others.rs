//! Other parties' contacts the site names (a chamber or regulator in the imprint, a partner
//! bank, the web studio): listed apart in every format, so a reader sees what was set aside
//! and why, and never mistakes them for the company's own doors.

use std::sync::Arc;

use crate::inventory::Inventory;
use crate::lang::Lang;

/// One contact of another party, as a report shows it.
pub struct OtherContact<'a> {
    pub what: &'static str,
    pub shown: &'a str,
    /// The words on the page that named the other party.
    pub named_by: &'a str,
    pub page: Option<&'a Arc<str>>,
}

pub fn heading(lang: Lang) -> &'static str {
    lang.pick(
        "Other parties' contacts (not judged, never probed)",
        "Контакты других организаций (не оцениваются и не проверяются)",
    )
}

pub fn named_by_words(lang: Lang) -> &'static str {
    lang.pick("named by", "по словам")
}

pub fn list(inv: &Inventory, lang: Lang) -> Vec<OtherContact<'_>> {
    let others = &inv.third_party;
    let phones = others.phones.iter().map(|p| OtherContact {
        what: lang.pick("phone", "телефон"),
        shown: p
            .shown
            .first()
            .map_or_else(|| p.e164.as_deref().unwrap_or_default(), String::as_str),
        named_by: party_reason(&p.party_reason),
        page: p.pages.first().map(|o| &o.url),
    });
    let emails = others.emails.iter().map(|e| OtherContact {
        what: "e-mail",
        shown: &e.address,
        named_by: party_reason(&e.party_reason),
        page: e.pages.first().map(|o| &o.url),
    });
    let messengers = others.messengers.iter().map(|m| OtherContact {
        what: m.kind.label(),
        shown: m
            .href
            .as_deref()
            .or(m.target.as_deref())
            .unwrap_or_default(),
        named_by: party_reason(&m.party_reason),
        page: m.pages.first().map(|o| &o.url),
    });
    phones.chain(emails).chain(messengers).collect()
}

fn party_reason(reason: &Option<String>) -> &str {
    reason.as_deref().unwrap_or_default()
}

//! The inventory page by page: what a visitor of each page can reach the company by.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::escape::{esc, esc_cut, link};
use crate::inventory::Inventory;
use crate::lang::Lang;
use crate::report::ReportedFinding;
use crate::report::words::{describe_error, form_summary, purpose_name, widget_kind_name};
use crate::types::crawl::CrawlSummary;

/// One contact point as shown on one page.
struct Item {
    kind: String,
    text: String,
    /// The names findings give this contact point (a number as shown, its E.164 form, a link,
    /// a form's method and action).
    names: Vec<String>,
    /// The titles of the findings on it on this page: the report's one judgement, shown here
    /// too — never a verdict of its own.
    problems: Vec<String>,
}

impl Item {
    fn new(kind: impl Into<String>, text: impl Into<String>, names: Vec<String>) -> Self {
        Self {
            kind: kind.into(),
            text: text.into(),
            names,
            problems: Vec::new(),
        }
    }
}

fn index<'a>(inv: &'a Inventory, lang: Lang) -> HashMap<&'a str, Vec<Item>> {
    let mut by_page: HashMap<&str, Vec<Item>> = HashMap::new();
    let mut add = |url: &'a str, item: Item| by_page.entry(url).or_default().push(item);
    for phone in &inv.phones {
        let mut names = phone.shown.clone();
        names.extend(phone.e164.clone());
        for seen in &phone.pages {
            add(
                &seen.url,
                Item::new(lang.pick("phone", "телефон"), &*seen.shown, names.clone()),
            );
        }
    }
    for email in &inv.emails {
        for seen in &email.pages {
            let mut names = vec![email.address.clone()];
            names.extend(seen.mailto.as_deref().map(str::to_string));
            add(&seen.url, Item::new("e-mail", email.address.clone(), names));
        }
    }
    for profile in &inv.social_profiles {
        for seen in &profile.pages {
            add(
                &seen.url,
                Item::new(profile.network, profile.href.clone(), Vec::new()),
            );
        }
    }
    for link in &inv.broken_mailto_links {
        for seen in &link.pages {
            let text = seen.mailto.as_deref().unwrap_or_default().to_string();
            add(&seen.url, Item::new("e-mail", text.clone(), vec![text]));
        }
    }
    for image in &inv.email_images {
        for seen in &image.pages {
            add(
                &seen.url,
                Item::new(
                    lang.pick("e-mail as a picture", "e-mail картинкой"),
                    image.alt.clone(),
                    vec![image.src.clone()],
                ),
            );
        }
    }
    for messenger in &inv.messengers {
        let target = messenger.target.as_deref().unwrap_or_default();
        for seen in &messenger.pages {
            let text = seen
                .href
                .as_deref()
                .or(messenger.target.as_deref())
                .unwrap_or_default()
                .to_string();
            let mut names = vec![
                text.clone(),
                target.to_string(),
                format!("{} {target}", messenger.kind.label()),
            ];
            names.extend(messenger.href.clone());
            add(&seen.url, Item::new(messenger.kind.label(), text, names));
        }
    }
    for form in &inv.forms {
        let labels: Vec<&str> = form
            .fields
            .iter()
            .filter(|f| f.shown())
            .map(|f| f.title())
            .filter(|l| !l.is_empty())
            .collect();
        let text = format!("{}: {}", form_summary(form, lang), labels.join(", "));
        for seen in &form.pages {
            add(
                &seen.url,
                Item::new(
                    purpose_name(form.purpose, lang),
                    text.clone(),
                    vec![form.subject()],
                ),
            );
        }
    }
    for widget in &inv.widgets {
        for url in &widget.pages {
            add(
                url,
                Item::new(
                    widget_kind_name(widget.kind, lang),
                    crate::report::words::widget_name(widget, lang),
                    Vec::new(),
                ),
            );
        }
    }
    for (kind, places) in [
        (lang.pick("address", "адрес"), &inv.addresses),
        (lang.pick("hours", "часы работы"), &inv.hours),
    ] {
        for place in places {
            for seen in &place.pages {
                add(&seen.url, Item::new(kind, place.text.clone(), Vec::new()));
            }
        }
    }
    by_page
}

/// Marks each contact point with the findings that name it on its page.
fn mark(by_page: &mut HashMap<&str, Vec<Item>>, findings: &[ReportedFinding]) {
    for finding in findings {
        let Some(subject) = finding.raw_subject.as_deref() else {
            continue;
        };
        for url in &finding.urls {
            let Some(items) = by_page.get_mut(url.as_str()) else {
                continue;
            };
            for item in items
                .iter_mut()
                .filter(|i| i.names.iter().any(|n| n == subject))
            {
                if !item.problems.contains(&finding.title) {
                    item.problems.push(finding.title.clone());
                }
            }
        }
    }
}

/// Appends the inventory section: pages with contacts, then the others, then the failures.
pub fn render(
    out: &mut String,
    inv: &Inventory,
    crawl: &CrawlSummary,
    findings: &[ReportedFinding],
    lang: Lang,
) {
    let mut by_page = index(inv, lang);
    mark(&mut by_page, findings);
    let _ = write!(
        out,
        r#"<section id="inventory"><h2>{}</h2><details><summary>{}</summary>"#,
        lang.pick("Contacts page by page", "Контакты по страницам"),
        esc(&format!(
            "{} — {}",
            crate::report::words::count(inv.pages.len(), crate::report::words::Counted::Page, lang),
            lang.pick(
                "show every contact, page by page",
                "показать все контакты по страницам"
            )
        ))
    );
    let mut bare = Vec::new();
    for page in &inv.pages {
        let Some(items) = by_page.get_mut(&*page.url) else {
            bare.push(page);
            continue;
        };
        // The same number in the header and the footer is one door, not two.
        let mut seen = std::collections::HashSet::new();
        items.retain(|i| seen.insert((i.kind.clone(), i.text.clone(), i.problems.clone())));
        out.push_str(r#"<article class="page"><h3>"#);
        out.push_str(&esc_cut(
            page.title
                .as_deref()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or(&page.url),
            120,
        ));
        out.push_str(r#"</h3><p class="url">"#);
        link(out, &page.url, 120);
        out.push_str("</p><ul>");
        for item in items {
            let _ = write!(
                out,
                r#"<li{}><span class="kind">{}</span><span>{}"#,
                if item.problems.is_empty() {
                    ""
                } else {
                    r#" class="problem""#
                },
                esc(&item.kind),
                esc_cut(&item.text, 160)
            );
            if !item.problems.is_empty() {
                let _ = write!(out, r#" <em>{}</em>"#, esc(&item.problems.join("; ")));
            }
            out.push_str("</span></li>");
        }
        out.push_str("</ul></article>");
    }
    if !bare.is_empty() {
        let _ = write!(
            out,
            r#"<h3>{} ({})</h3><ul class="bare">"#,
            lang.pick("Pages without contacts", "Страницы без контактов"),
            bare.len()
        );
        for page in bare {
            out.push_str("<li>");
            link(out, &page.url, 120);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    let others = crate::report::others::list(inv, lang);
    if !others.is_empty() {
        let _ = write!(
            out,
            r#"<h3 id="third-party">{} ({})</h3><ul class="third-party">"#,
            esc(crate::report::others::heading(lang)),
            others.len()
        );
        for other in &others {
            let _ = write!(
                out,
                r#"<li><span class="kind">{}</span><span>{} — {} «{}»</span>"#,
                esc(other.what),
                esc_cut(other.shown, 160),
                esc(crate::report::others::named_by_words(lang)),
                esc_cut(other.named_by, 80)
            );
            if let Some(page) = other.page {
                out.push(' ');
                link(out, page, 120);
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    let failed: Vec<_> = crawl.failed_pages().collect();
    if !failed.is_empty() {
        let _ = write!(
            out,
            r#"<h3>{} ({})</h3><ul class="failed">"#,
            lang.pick("Pages that failed", "Страницы с ошибкой"),
            failed.len()
        );
        for page in failed {
            out.push_str("<li>");
            link(out, &page.url, 120);
            if let Some(error) = &page.error {
                let _ = write!(out, " — {}", esc(&describe_error(error, lang)));
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("</details></section>");
}

//! The inventory page by page: what a visitor of each page can reach the company by.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::escape::{esc, esc_cut, link};
use crate::inventory::Inventory;
use crate::lang::Lang;
use crate::report::words::{describe_error, form_summary, purpose_name, widget_kind_name};
use crate::types::crawl::CrawlSummary;

/// One contact point as shown on one page.
struct Item {
    kind: String,
    text: String,
    /// A note on what is wrong with it, in the report's language.
    problem: Option<&'static str>,
}

fn index<'a>(inv: &'a Inventory, lang: Lang) -> HashMap<&'a str, Vec<Item>> {
    let mut by_page: HashMap<&str, Vec<Item>> = HashMap::new();
    let mut add = |url: &'a str, item: Item| by_page.entry(url).or_default().push(item);
    for phone in &inv.phones {
        for seen in &phone.pages {
            let problem = if !phone.valid {
                Some(lang.pick("not a valid number", "номер недействителен"))
            } else if seen.tel_matches_text == Some(false) {
                Some(lang.pick(
                    "the link dials another number",
                    "ссылка набирает другой номер",
                ))
            } else if !seen.clickable {
                Some(lang.pick("not a link", "не ссылка"))
            } else {
                None
            };
            add(
                &seen.url,
                Item {
                    kind: lang.pick("phone", "телефон").into(),
                    text: seen.shown.to_string(),
                    problem,
                },
            );
        }
    }
    for email in &inv.emails {
        for seen in &email.pages {
            add(
                &seen.url,
                Item {
                    kind: "e-mail".into(),
                    text: email.address.clone(),
                    problem: (!seen.clickable).then(|| lang.pick("not a link", "не ссылка")),
                },
            );
        }
    }
    for profile in &inv.social_profiles {
        for seen in &profile.pages {
            add(
                &seen.url,
                Item {
                    kind: profile.network.into(),
                    text: profile.href.clone(),
                    problem: None,
                },
            );
        }
    }
    for link in &inv.broken_mailto_links {
        for seen in &link.pages {
            add(
                &seen.url,
                Item {
                    kind: "e-mail".into(),
                    text: seen.mailto.as_deref().unwrap_or_default().to_string(),
                    problem: Some(lang.pick("link with no address", "ссылка без адреса")),
                },
            );
        }
    }
    for image in &inv.email_images {
        for seen in &image.pages {
            add(
                &seen.url,
                Item {
                    kind: lang.pick("e-mail as a picture", "e-mail картинкой").into(),
                    text: image.alt.clone(),
                    problem: Some(lang.pick("cannot be copied", "нельзя скопировать")),
                },
            );
        }
    }
    for messenger in &inv.messengers {
        for seen in &messenger.pages {
            let text = seen
                .href
                .as_deref()
                .or(messenger.target.as_deref())
                .unwrap_or_default()
                .to_string();
            let problem = if !messenger.valid {
                Some(lang.pick("broken link", "ссылка не работает"))
            } else if !seen.clickable {
                Some(lang.pick("not a link", "не ссылка"))
            } else {
                None
            };
            add(
                &seen.url,
                Item {
                    kind: messenger.kind.label().into(),
                    text,
                    problem,
                },
            );
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
                Item {
                    kind: purpose_name(form.purpose, lang).into(),
                    text: text.clone(),
                    problem: form
                        .action_check
                        .as_ref()
                        .is_some_and(|c| !c.alive && !c.unverified)
                        .then(|| {
                            lang.pick("its address does not answer", "адрес формы не отвечает")
                        }),
                },
            );
        }
    }
    for widget in &inv.widgets {
        for url in &widget.pages {
            add(
                url,
                Item {
                    kind: widget_kind_name(widget.kind, lang).into(),
                    text: widget.name.clone(),
                    problem: None,
                },
            );
        }
    }
    for (kind, places) in [
        (lang.pick("address", "адрес"), &inv.addresses),
        (lang.pick("hours", "часы работы"), &inv.hours),
    ] {
        for place in places {
            for seen in &place.pages {
                add(
                    &seen.url,
                    Item {
                        kind: kind.into(),
                        text: place.text.clone(),
                        problem: None,
                    },
                );
            }
        }
    }
    by_page
}

/// Appends the inventory section: pages with contacts, then the others, then the failures.
pub fn render(out: &mut String, inv: &Inventory, crawl: &CrawlSummary, lang: Lang) {
    let mut by_page = index(inv, lang);
    let _ = write!(
        out,
        r#"<section id="inventory"><h2>{}</h2>"#,
        lang.pick("Contacts page by page", "Контакты по страницам")
    );
    let mut bare = Vec::new();
    for page in &inv.pages {
        let Some(items) = by_page.get_mut(page.url.as_str()) else {
            bare.push(page);
            continue;
        };
        // The same number in the header and the footer is one door, not two.
        let mut seen = std::collections::HashSet::new();
        items.retain(|i| seen.insert((i.kind.clone(), i.text.clone(), i.problem)));
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
                if item.problem.is_some() {
                    r#" class="problem""#
                } else {
                    ""
                },
                esc(&item.kind),
                esc_cut(&item.text, 160)
            );
            if let Some(problem) = item.problem {
                let _ = write!(out, r#" <em>{}</em>"#, esc(problem));
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
    out.push_str("</section>");
}

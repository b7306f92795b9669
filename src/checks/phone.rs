//! Phone rules (PRACTICE.md items 1, 2, 4, 5, 6).

use std::collections::{BTreeMap, BTreeSet};

use super::{Hit, Site, urls_of};
use crate::inventory::Phone;
use crate::rulebook::Rule;
use crate::types::contact::{DoorKind, PageRegion, Party, PhoneFormat, PhoneKind, Source};

fn label(phone: &Phone) -> String {
    phone
        .shown
        .first()
        .cloned()
        .or_else(|| phone.e164.clone())
        .unwrap_or_default()
}

/// The number as a working link, when it is a valid one.
fn corrected(phone: &Phone) -> Option<String> {
    phone
        .valid
        .then(|| super::corrected::tel_link(phone.e164.as_deref()?))
        .flatten()
}

/// Numbers shown to people (schema.org markup is for machines).
fn visible(phone: &Phone) -> impl Iterator<Item = &crate::inventory::PhoneOnPage> {
    phone.pages.iter().filter(|o| o.source != Source::Schema)
}

pub fn no_country_code(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    site.inventory
        .phones
        .iter()
        // 8-800 numbers are dialled with the 8 by convention; +7 800 may be billed abroad.
        .filter(|p| p.kind != PhoneKind::TollFree)
        .filter_map(|p| {
            let bare: Vec<_> = visible(p)
                .filter(|o| o.format != PhoneFormat::International)
                .collect();
            let first = bare.first()?;
            Some(
                Hit::new(
                    first.shown.to_string(),
                    first.shown.to_string(),
                    urls_of(bare.iter().map(|o| &o.url)),
                )
                .at(DoorKind::Phone)
                .corrected(corrected(p)),
            )
        })
        .collect()
}

pub fn not_clickable(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    site.inventory
        .phones
        .iter()
        .filter(|p| p.valid)
        .filter_map(|p| {
            let bare: Vec<_> = visible(p).filter(|o| !o.clickable).collect();
            let first = bare.first()?;
            Some(
                Hit::new(
                    label(p),
                    first.shown.to_string(),
                    urls_of(bare.iter().map(|o| &o.url)),
                )
                .at(DoorKind::Phone)
                .corrected(corrected(p)),
            )
        })
        .collect()
}

pub fn tel_mismatch(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    site.inventory
        .phones
        .iter()
        .filter_map(|p| {
            let wrong: Vec<_> = p
                .pages
                .iter()
                .filter(|o| o.tel_matches_text == Some(false))
                .collect();
            let first = wrong.first()?;
            Some(
                Hit::new(
                    label(p),
                    format!(
                        "{} → {}",
                        first.shown,
                        first.tel_href.as_deref().unwrap_or_default()
                    ),
                    urls_of(wrong.iter().map(|o| &o.url)),
                )
                .at(DoorKind::Phone)
                .corrected(corrected(p)),
            )
        })
        .collect()
}

pub fn toll_free_unlabelled(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    site.inventory
        .phones
        .iter()
        .filter(|p| p.kind == PhoneKind::TollFree && !p.labelled_free)
        .map(|p| {
            Hit::new(label(p), label(p), urls_of(visible(p).map(|o| &o.url))).at(DoorKind::Phone)
        })
        .filter(|h| !h.urls.is_empty())
        .collect()
}

pub fn invalid(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    site.inventory
        .phones
        .iter()
        .filter(|p| !p.valid)
        .filter_map(|p| {
            // A bare local number is invalid only for lack of an area code: the
            // country-code rule says that better.
            let shown: Vec<_> = visible(p)
                .filter(|o| o.format != PhoneFormat::Local)
                .collect();
            let first = shown.first()?;
            Some(
                Hit::new(
                    label(p),
                    first.shown.to_string(),
                    urls_of(shown.iter().map(|o| &o.url)),
                )
                .at(DoorKind::Phone),
            )
        })
        .collect()
}

/// Pages disagree about a number: the header or footer of some pages shows numbers the same
/// place on other pages does not, or a page shows a number one typo away from another.
pub fn inconsistent(site: &Site<'_>, rule: &Rule) -> Vec<Hit> {
    let mut hits = template_drift(site, rule);
    hits.extend(typo_twins(site));
    hits
}

/// Two numbers of one kind one typo apart (a digit changed, two neighbours swapped) that no
/// page shows together. A multi-line office lists its neighbouring numbers side by side on one page;
/// a typo stands where the right number stands elsewhere.
fn typo_twins(site: &Site<'_>) -> Vec<Hit> {
    let numbers: Vec<(&str, BTreeSet<&str>, &Phone)> = site
        .inventory
        .phones
        .iter()
        .filter(|p| p.party == Party::Own && p.valid)
        .filter_map(|p| {
            let pages: BTreeSet<&str> = visible(p).map(|o| &*o.url).collect();
            Some((p.e164.as_deref()?, pages, p)).filter(|(_, pages, _)| !pages.is_empty())
        })
        .collect();
    let mut hits = Vec::new();
    for (at, (a, a_pages, a_phone)) in numbers.iter().enumerate() {
        for (b, b_pages, b_phone) in &numbers[at + 1..] {
            // A mobile one digit from a toll-free line is two lines, not a typo.
            if a_phone.kind != b_phone.kind
                || !one_typo_apart(a, b)
                || !a_pages.is_disjoint(b_pages)
            {
                continue;
            }
            // The number fewer pages show is the suspect one.
            let (odd, odd_pages, usual) = if b_pages.len() <= a_pages.len() {
                (b_phone, b_pages, a_phone)
            } else {
                (a_phone, a_pages, b_phone)
            };
            hits.push(
                Hit::new(
                    label(odd),
                    format!("{} / {}", label(odd), label(usual)),
                    odd_pages.iter().map(ToString::to_string),
                )
                .at(DoorKind::Phone),
            );
        }
    }
    hits
}

/// Same length, and either one digit differs or two neighbouring digits are swapped.
fn one_typo_apart(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match differ.as_slice() {
        [_] => true,
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

/// The header or footer of some pages shows numbers the same place on other pages does not.
fn template_drift(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    let mut hits = Vec::new();
    for region in [PageRegion::Header, PageRegion::Footer] {
        // page → numbers its header (footer) shows
        let mut by_page: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for phone in &site.inventory.phones {
            let Some(e164) = phone.e164.as_deref() else {
                continue;
            };
            for o in visible(phone).filter(|o| o.region == region) {
                by_page.entry(&o.url).or_default().insert(e164);
            }
        }
        let mut variants: BTreeMap<&BTreeSet<&str>, Vec<&str>> = BTreeMap::new();
        for (page, numbers) in &by_page {
            variants.entry(numbers).or_default().push(page);
        }
        if variants.len() < 2 {
            continue;
        }
        // The set most pages show is the template; the others are the stale copies.
        let (usual, _) = variants
            .iter()
            .max_by_key(|(_, pages)| pages.len())
            .expect("two variants");
        let usual = (*usual).clone();
        for (numbers, pages) in variants {
            if *numbers == usual {
                continue;
            }
            let odd: Vec<&str> = numbers.difference(&usual).copied().collect();
            let subject = if odd.is_empty() {
                numbers.iter().copied().collect::<Vec<_>>().join(", ")
            } else {
                odd.join(", ")
            };
            hits.push(
                Hit::new(
                    subject,
                    format!(
                        "{region:?}: {} / {}",
                        numbers.iter().copied().collect::<Vec<_>>().join(", "),
                        usual.iter().copied().collect::<Vec<_>>().join(", ")
                    )
                    .to_lowercase(),
                    pages.iter().map(ToString::to_string),
                )
                .at(DoorKind::Phone),
            );
        }
    }
    hits
}

/// A number of the served HTML that a script replaces in the page visitors see: a notice when
/// another valid number stands in its place (call tracking doing its job, worth knowing: the
/// served one is what search engines and the static audit read), an error when nothing or a
/// number that cannot exist does.
pub fn replaced_by_script(site: &Site<'_>, _: &Rule) -> Vec<Hit> {
    let mut by_pair: BTreeMap<(String, Option<String>), Vec<&crate::inventory::PhoneReplacement>> =
        BTreeMap::new();
    for r in &site.inventory.phone_replacements {
        let served = r.served_e164.clone().unwrap_or_else(|| r.served.clone());
        let shown = r.shown_e164.clone().or_else(|| r.shown.clone());
        by_pair.entry((served, shown)).or_default().push(r);
    }
    by_pair
        .into_values()
        .map(|group| {
            let first = group[0];
            let scripts: BTreeSet<&str> = group
                .iter()
                .flat_map(|r| r.scripts.iter().map(String::as_str))
                .collect();
            let by = if scripts.is_empty() {
                String::new()
            } else {
                format!(" ({})", scripts.into_iter().collect::<Vec<_>>().join(", "))
            };
            let evidence = match &first.shown {
                Some(shown) => format!("{} → {shown}{by}", first.served),
                None => format!("{} → —{by}", first.served),
            };
            let hit = Hit::new(
                first.served.clone(),
                evidence,
                urls_of(group.iter().map(|r| &r.url)),
            )
            .at(DoorKind::Phone);
            if first.shown_valid {
                hit
            } else {
                hit.escalated(crate::rulebook::Severity::Error)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::one_typo_apart;

    #[test]
    fn a_typo_is_one_changed_digit_or_one_swapped_pair() {
        assert!(one_typo_apart("+74951234567", "+74951234576"));
        assert!(one_typo_apart("+74951234567", "+74951284567"));
        assert!(!one_typo_apart("+74951234567", "+74951234599"));
        assert!(!one_typo_apart("+74951234567", "+7495123456"));
        assert!(!one_typo_apart("+74951234567", "+74951234567"));
        assert!(!one_typo_apart("+74951234567", "+74951243576"));
    }
}

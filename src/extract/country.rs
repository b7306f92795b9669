//! The country a page's text names — its towns, states and the country itself — for a page
//! whose language alone does not say where its national numbers ring (`lang="en"`: the US,
//! Britain or Australia?). Names count only for the countries that speak the page's language
//! (`rules/places.toml`), so a Russian shop that delivers to Paris stays Russian.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use rlibphonenumber::Region;
use serde::Deserialize;

use super::dom::TextBlock;

const PLACES_TOML: &str = include_str!("../../rules/places.toml");

/// Text read per page for place names: an address sits in the first screens of a contact
/// page or in its footer; a page of novels is not read to its end.
const TEXT_CAP: usize = 128 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryEntry {
    languages: Vec<String>,
    names: Vec<String>,
}

struct Name {
    country: Region,
    /// A stem that declines (`Минск` in «Минске»): any letters may follow.
    stem: bool,
}

struct Places {
    matcher: AhoCorasick,
    names: Vec<Name>,
    languages: Vec<(Region, Vec<String>)>,
}

static PLACES: LazyLock<Places> = LazyLock::new(|| {
    let table: std::collections::BTreeMap<String, CountryEntry> =
        toml::from_str(PLACES_TOML).expect("embedded rules/places.toml must load");
    let mut patterns = Vec::new();
    let mut names = Vec::new();
    let mut languages = Vec::new();
    for (code, entry) in table {
        let country = Region::from_code(&code).expect("rules/places.toml: a known country code");
        for name in entry.names {
            names.push(Name {
                country,
                stem: name.chars().last().is_some_and(is_cyrillic),
            });
            patterns.push(name);
        }
        languages.push((country, entry.languages));
    }
    let matcher = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
        .expect("place names compile");
    Places {
        matcher,
        names,
        languages,
    }
});

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

/// How many times each country is named in the blocks, counting only the countries that
/// speak `language` (a primary subtag: `en`, `ru`).
fn mentions(blocks: &[TextBlock], language: &str) -> Vec<(Region, usize)> {
    let places = &*PLACES;
    let speaks = |country: Region| {
        places
            .languages
            .iter()
            .any(|(c, langs)| *c == country && langs.iter().any(|l| l == language))
    };
    let mut counts: Vec<(Region, usize)> = Vec::new();
    let mut read = 0;
    for block in blocks {
        if read >= TEXT_CAP {
            break;
        }
        read += block.text.len();
        let text = &block.text;
        for m in places.matcher.find_iter(text) {
            let name = &places.names[m.pattern().as_usize()];
            let starts_word = !text[..m.start()]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let ends_word = name.stem
                || !text[m.end()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            if !(starts_word && ends_word && speaks(name.country)) {
                continue;
            }
            match counts.iter_mut().find(|(c, _)| *c == name.country) {
                Some((_, n)) => *n += 1,
                None => counts.push((name.country, 1)),
            }
        }
    }
    counts
}

/// The country the page names most, when its language does not settle it: `lang` without a
/// country (`en`) takes the country named in most of the mentions; `lang` with one
/// (`en-US`, a theme's default as often as a choice) gives way only to a country named at
/// least twice when its own is never named.
pub fn named_in(blocks: &[TextBlock], lang: &str) -> Option<Region> {
    let (language, stated) = super::parse_lang(lang);
    let counts = mentions(blocks, &language);
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let (top, named) = counts.iter().copied().max_by_key(|(_, n)| *n)?;
    if 2 * named <= total {
        return None;
    }
    match stated {
        None => Some(top),
        Some(stated) if stated == top => None,
        Some(stated) => {
            let stated_named = counts.iter().any(|(c, _)| *c == stated);
            (named >= 2 && !stated_named).then_some(top)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(texts: &[&str]) -> Vec<TextBlock> {
        texts
            .iter()
            .map(|t| TextBlock {
                text: (*t).to_string(),
                ..TextBlock::default()
            })
            .collect()
    }

    fn region(code: &str) -> Option<Region> {
        Region::from_code(code).ok()
    }

    #[test]
    fn towns_of_the_pages_language_name_its_country() {
        let page = blocks(&["Servicing all areas of Melbourne", "Mobile: 04 0000 0000"]);
        assert_eq!(named_in(&page, "en"), region("AU"));
        // Declined Cyrillic names count; a Russian page that names Minsk is Belarusian.
        let page = blocks(&["Офис в Минске, ул. Примерная, 1"]);
        assert_eq!(named_in(&page, "ru"), region("BY"));
        // Paris is not read on a Russian page, and a word that merely starts like a town
        // ("Essential", "Bernstein") is no town.
        let page = blocks(&["Доставка в Paris и London", "Essential Bernstein"]);
        assert_eq!(named_in(&page, "ru"), None);
        assert_eq!(named_in(&blocks(&["Bernstein"]), "de"), None);
    }

    #[test]
    fn a_stated_country_gives_way_only_to_a_country_named_twice() {
        let page = blocks(&["Corp Office, Raipur – 492007", "Regional Office, Kolkata"]);
        assert_eq!(named_in(&page, "en-US"), region("IN"));
        assert_eq!(named_in(&blocks(&["Kolkata"]), "en-US"), None);
        let page = blocks(&["Offices in Kolkata, Mumbai and New York"]);
        assert_eq!(named_in(&page, "en-US"), None);
        // Two countries named as often: no choice.
        assert_eq!(named_in(&blocks(&["London", "Dublin"]), "en"), None);
    }
}

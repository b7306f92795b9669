//! Places: postal addresses, from schema.org (JSON-LD and microdata), `<address>` elements,
//! and Russian, English and European wording in text; opening hours from schema.org (those
//! written in text are read in [`super::hours`]). Phones and e-mails found in
//! schema.org are handed back too, since they are contact points of their own.

use std::cell::RefCell;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::cues::Cues;
use super::digest::TextBlock;
use super::dom::Digest;
use super::memo;
use super::types::PlaceSighting;
use crate::text::AnyOf;
use crate::types::contact::{PageRegion, PlaceSource};

/// Values found in schema.org markup.
#[derive(Debug, Default)]
pub struct Schema {
    pub telephones: Vec<(String, PageRegion)>,
    pub emails: Vec<(String, PageRegion)>,
    pub addresses: Vec<PlaceSighting>,
    pub hours: Vec<PlaceSighting>,
    /// The `addressCountry` of its postal addresses, as ISO codes (`DE`).
    pub countries: Vec<String>,
}

static ADDRESS_RU: LazyLock<Regex> = LazyLock::new(|| {
    let street = r"(?:ул\.|улица|пр-т|проспект|пр\.|пер\.|переулок|наб\.|набережная|шоссе|ш\.|бульвар|б-р|пл\.|площадь|проезд|мкр\.?|микрорайон)";
    let house = r"(?:д\.|дом)\s*\d+[а-яa-z]?(?:/\d+)?(?:,?\s*(?:стр\.|строение|корп\.|корпус|к\.|оф\.|офис|кв\.|пом\.|помещение|этаж)\s*[\w/-]+)*";
    Regex::new(&format!(
        r"(?i)(?:\d{{6}},\s*)?(?:(?:г\.|город)\s*[А-ЯЁ][а-яё-]+,?\s*)?{street}\s*[^,\n]{{2,40}}?,\s*{house}"
    ))
    .expect("valid regex")
});

static ADDRESS_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Blvd\.|Lane|Ln\.|Drive|Dr\.|Way|Place|Square)(?:,\s*[A-Z][\w .-]{1,40})?",
    )
    .expect("valid regex")
});

/// The street words [`ADDRESS_EN`] ends with, as it spells them: a block with none of them
/// is not searched.
const ENGLISH_STREET_NAMES: [&str; 15] = [
    "Street",
    "St.",
    "Avenue",
    "Ave.",
    "Road",
    "Rd.",
    "Boulevard",
    "Blvd.",
    "Lane",
    "Ln.",
    "Drive",
    "Dr.",
    "Way",
    "Place",
    "Square",
];

static ENGLISH_STREET_WORDS: LazyLock<AnyOf> = LazyLock::new(|| AnyOf::new(&ENGLISH_STREET_NAMES));

/// «д.» or «дом» in any case: the house [`ADDRESS_RU`] needs.
fn names_house(text: &str) -> bool {
    let bytes = text.as_bytes();
    let lower_or_upper = |at: usize, lower: u8, upper: u8| {
        bytes.get(at) == Some(&0xD0)
            && matches!(bytes.get(at + 1), Some(&b) if b == lower || b == upper)
    };
    memchr::memchr_iter(0xD0, bytes).any(|at| {
        // д (D0 B4) or Д (D0 94), then a dot or о/О (D0 BE, D0 9E) and м/М (D0 BC, D0 9C).
        lower_or_upper(at, 0xB4, 0x94)
            && (bytes.get(at + 2) == Some(&b'.')
                || (lower_or_upper(at + 2, 0xBE, 0x9E) && lower_or_upper(at + 4, 0xBC, 0x9C)))
    })
}

/// A Russian (Belarusian, Kazakh, Ukrainian) street with its house number, the street's type
/// before its name («ул. Якорная 11», «ул.Мельникайте, 98», «б-р Симферопольский д.24») or
/// after it («Дербеневская ул., д. 1», «Армянский переулок, дом 7»).
static STREET_RU: LazyLock<Regex> = LazyLock::new(|| {
    let kind = r"(?:ул\.|улица|вул\.|вулиця|вуліца|пр-т|проспект|праспект|пр\.|пер\.|переулок|наб\.|набережная|шоссе|ш\.|бульвар|б-р|пл\.|площадь|проезд|мкр\.?|микрорайон|тракт|көшесі|даңғылы)";
    let number = r"(?:(?:д\.|дом|строение|стр\.|владение|вл\.)\s*)?\d{1,4}[а-яa-z]?(?:/\d{1,4})?";
    Regex::new(&format!(
        r"(?:(?:г\.|город)\s*[А-ЯЁ][а-яё-]+,?\s*)?(?:{kind}\s*(?:имени\s+|им\.\s*)?[А-ЯЁA-Z0-9][^,\n]{{1,40}}?,?\s*{number}|[А-ЯЁ][а-яё-]+\s{kind}\s*,?\s*{number})"
    ))
    .expect("valid regex")
});

/// A Russian address with no street type but an office, flat or building after the house
/// («Екатеринбург, Шейнкмана 9, офис 38»), or in a business centre («БЦ "Эдем", Туран 19/1»).
static UNMARKED_RU: LazyLock<Regex> = LazyLock::new(|| {
    let house = r"\d{1,4}[а-я]?(?:/\d{1,4})?";
    let unit = r"(?:офис|оф\.|кв\.|корпус|корп\.|строение|стр\.|этаж|пом\.)";
    Regex::new(&format!(
        r#"[А-ЯЁ][а-яё-]+,\s+[А-ЯЁ][а-яё]+(?:\s[А-ЯЁ][а-яё]+)?\s+{house},\s*(?i:{unit})\s*\d+|(?i:бц|тц|трц|бизнес[- ]центр)\s*[«"„][^»"“\n]{{1,30}}[»"“],\s*[^,\n]{{2,30}}?\s{house}"#
    ))
    .expect("valid regex")
});

/// A street and house number with its postcode and town, as German, Austrian, Swiss, Polish,
/// Czech, French, Italian and Spanish addresses are written: «Feldstraße 22, 27404 Zeven»,
/// «Frankfurter Str. 10, 97082 Würzburg», «Ul. Cyganowice 161, 33-340 Stary Sącz»,
/// «6 avenue d’Alsace, 92400 Courbevoie», «Via Cadore 253, 20831 Seregno».
static STREET_EU: LazyLock<Regex> = LazyLock::new(|| {
    let suffix = r"\p{Lu}[\p{L}.-]*\s?(?i:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|markt|berg)";
    let prefix = r"(?i:ul\.|ulica|al\.|aleja|rue|avenue|av\.|boulevard|bd|chemin|allée|impasse|quai|route|place|via|viale|piazza|corso|largo|vicolo|calle|avenida|avda\.|plaza|paseo|carrer|ulice|náměstí|třída)\s+[^,\n]{2,40}?";
    let number = r"\s?\d{1,4}(?:[ \t]?[a-zA-Z](?-u:\b))?(?:[ \t]?[-/][ \t]?\d{1,4}[a-zA-Z]?)?";
    let town =
        r",?\s+(?:[A-Z]-)?(?:\d{4,5}|\d{2}-\d{3})[ \t]+\p{Lu}[\p{L}-]+(?:[ \t]\p{Lu}[\p{L}-]+)?";
    Regex::new(&format!(
        r"(?:{suffix}{number}(?:{town})?|{prefix}{number}{town}|\d{{1,4}},?\s+(?i:rue|avenue|av\.|boulevard|bd|chemin|allée|impasse|quai|route|place)\s+[^,\n]{{2,40}}?{town})"
    ))
    .expect("valid regex")
});

/// A Czech or Slovak address: a street named without a type word, its house number (often
/// `1234/5`), and a postcode written `110 00` before the town («Příkladová 1234/5, 110 00
/// Praha 1»).
static STREET_CZ: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\p{Lu}[\p{L}.-]+(?:[ \t]\p{L}[\p{L}.-]+){0,2}[ \t]\d{1,4}(?:/\d{1,4}[a-z]?)?,[ \t]*\d{3}[ \t]\d{2}[ \t]+\p{Lu}[\p{L}-]+(?:[ \t]\d{1,2}(?-u:\b))?",
    )
    .expect("valid regex")
});

/// Whether `text` has a Czech-style postcode (three digits, a space, two digits): most blocks
/// do not, and [`STREET_CZ`] is not run on them.
fn has_spaced_postcode(text: &str) -> bool {
    text.as_bytes().windows(7).any(|w| {
        w[..3].iter().all(u8::is_ascii_digit)
            && w[3] == b' '
            && w[4..6].iter().all(u8::is_ascii_digit)
            && w[6] == b' '
    })
}

/// Words one of which every Russian-style street pattern ([`STREET_RU`]) needs: most blocks
/// with digits have none, and the patterns, with their Unicode classes, cost more than these
/// scans. Twenty-seven words: an [`AnyOf`] reads them in one pass.
static STREET_WORDS_CYRILLIC: LazyLock<AnyOf> = LazyLock::new(|| {
    AnyOf::new(&[
        // Russian, Ukrainian
        "ул.",
        "ул ",
        "Ул.",
        "УЛ.",
        "улиц",
        "Улиц",
        "вул",
        "пр-т",
        "просп",
        "пр.",
        "пер.",
        "переул",
        "наб",
        "шоссе",
        "ш.",
        "бульв",
        "б-р",
        "пл.",
        "площад",
        "проезд",
        "мкр",
        "микрорайон",
        "тракт", // Belarusian, Kazakh
        "вуліц",
        "праспект",
        "көше",
        "даңғыл",
    ])
});

/// Words one of which every European street pattern ([`STREET_EU`]) needs.
static STREET_WORDS_LATIN: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([
            // German, Polish, Czech, French, Italian, Spanish
            "stra",
            "str.",
            "weg",
            "platz",
            "allee",
            "gasse",
            "ring",
            "damm",
            "ufer",
            "markt",
            "berg",
            "ul.",
            "ulica",
            "al.",
            "aleja",
            "rue ",
            "avenue",
            "av.",
            "boulevard",
            "bd ",
            "chemin",
            "allée",
            "impasse",
            "quai",
            "route",
            "place",
            "via ",
            "viale",
            "piazza",
            "corso",
            "largo",
            "vicolo",
            "calle",
            "avenida",
            "avda",
            "plaza",
            "paseo",
            "carrer",
            "ulice",
            "náměstí",
            "třída",
        ])
        .expect("street words compile")
});

/// Whether an `<address>` element's text can be a place: a word of three letters or more
/// once its phone numbers and e-mail addresses (plain or disguised, `name[at]host[dot]com`)
/// are set aside. Sites wrap a lone phone in `<address>` (it is for contact information, not
/// only postal addresses).
pub fn reads_as_place(text: &str) -> bool {
    text.split_whitespace()
        .filter(|word| {
            !["@", "[at]", "(at)", "{at}"]
                .iter()
                .any(|at| word.contains(at))
        })
        .any(|word| word.chars().filter(|c| c.is_alphabetic()).count() >= 3)
}

/// Postal addresses written in a text.
pub fn addresses_in(text: &str, region: PageRegion) -> Vec<PlaceSighting> {
    read_if_present(text, region, Cues::default())
}

/// Postal addresses written in a block of the page.
pub fn addresses_in_block(block: &TextBlock) -> Vec<PlaceSighting> {
    read_if_present(&block.text, block.region, block.cues)
}

fn read_if_present(text: &str, region: PageRegion, cues: Cues) -> Vec<PlaceSighting> {
    // Every address has a digit, and the patterns need Unicode word boundaries, which keep
    // the regex engine off its fast path; most blocks have none. Prices and table cells
    // («93291 ₽», «46») fill shop pages: every pattern needs letters too.
    if !cues.has_digit(text) || text.chars().filter(|c| c.is_alphabetic()).nth(1).is_none() {
        return Vec::new();
    }
    thread_local! {
        static READ: memo::Memo<String, Vec<PlaceSighting>> = RefCell::default();
    }
    memo::places(&READ, text, region, || read_addresses(text, region))
}

fn read_addresses(text: &str, region: PageRegion) -> Vec<PlaceSighting> {
    let cyrillic = text.bytes().any(|b| b == 0xD0 || b == 0xD1);
    let mut found: Vec<PlaceSighting> = Vec::new();
    let mut add = |m: regex::Match<'_>| {
        // The first pattern to read an address keeps it; a later one inside it adds nothing.
        if !found.iter().any(|f| f.text.contains(m.as_str().trim())) {
            found.push(PlaceSighting {
                text: m.as_str().trim().to_string(),
                source: PlaceSource::Text,
                region,
            });
        }
    };
    if cyrillic {
        if names_house(text) {
            ADDRESS_RU.find_iter(text).for_each(&mut add);
        }
        if STREET_WORDS_CYRILLIC.is_in(text) {
            STREET_RU.find_iter(text).for_each(&mut add);
        }
        static UNITS: LazyLock<AnyOf> = LazyLock::new(|| {
            AnyOf::new(&[
                "офис",
                "Офис",
                "оф.",
                "кв.",
                "корп",
                "строен",
                "стр.",
                "этаж",
                "пом.",
                "бц",
                "БЦ",
                "центр",
                "ТЦ",
                "тц",
                "ТРЦ",
            ])
        });
        if UNITS.is_in(text) {
            UNMARKED_RU.find_iter(text).for_each(&mut add);
        }
    }
    if ENGLISH_STREET_WORDS.is_in(text) {
        ADDRESS_EN.find_iter(text).for_each(&mut add);
    }
    if STREET_WORDS_LATIN.is_match(text) {
        STREET_EU.find_iter(text).for_each(&mut add);
    }
    if has_spaced_postcode(text) {
        STREET_CZ.find_iter(text).for_each(&mut add);
    }
    for written in super::postcode::addresses(text) {
        if !found
            .iter()
            .any(|f| f.text.contains(&written) || written.contains(&f.text))
        {
            found.push(PlaceSighting {
                text: written,
                source: PlaceSource::Text,
                region,
            });
        }
    }
    found
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.trim().to_string()],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

fn postal_address(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Object(map) => {
            let parts: Vec<String> = [
                "postalCode",
                "addressCountry",
                "addressRegion",
                "addressLocality",
                "streetAddress",
            ]
            .iter()
            .filter_map(|key| map.get(*key))
            .filter_map(|v| match v {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
                _ => None,
            })
            .filter(|s| !s.is_empty())
            .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    }
}

fn hours_spec(value: &Value) -> Option<String> {
    let map = value.as_object()?;
    let days = map.get("dayOfWeek").map(strings).unwrap_or_default();
    let days: Vec<String> = days
        .iter()
        .map(|d| d.rsplit('/').next().unwrap_or(d).to_string())
        .collect();
    let opens = map.get("opens").and_then(Value::as_str)?;
    let closes = map.get("closes").and_then(Value::as_str)?;
    Some(
        format!("{} {opens}–{closes}", days.join(","))
            .trim()
            .to_string(),
    )
}

fn walk_json(value: &Value, schema: &mut Schema) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| walk_json(v, schema)),
        Value::Object(map) => {
            for (key, v) in map {
                match key.as_str() {
                    "telephone" => schema
                        .telephones
                        .extend(strings(v).into_iter().map(|t| (t, PageRegion::Body))),
                    "email" => schema.emails.extend(strings(v).into_iter().map(|e| {
                        (
                            e.trim_start_matches("mailto:").to_string(),
                            PageRegion::Body,
                        )
                    })),
                    "address" => {
                        if let Some(code) = v
                            .get("addressCountry")
                            .and_then(|c| c.as_str().or_else(|| c.get("name")?.as_str()))
                            .map(str::trim)
                            .filter(|c| c.len() == 2 && c.chars().all(|c| c.is_ascii_alphabetic()))
                        {
                            schema.countries.push(code.to_ascii_uppercase());
                        }
                        if let Some(text) = postal_address(v) {
                            schema.addresses.push(PlaceSighting {
                                text,
                                source: PlaceSource::Schema,
                                region: PageRegion::Body,
                            });
                        }
                    }
                    "openingHours" => {
                        schema
                            .hours
                            .extend(strings(v).into_iter().map(|text| PlaceSighting {
                                text,
                                source: PlaceSource::Schema,
                                region: PageRegion::Body,
                            }))
                    }
                    "openingHoursSpecification" => {
                        let specs = match v {
                            Value::Array(items) => items.iter().filter_map(hours_spec).collect(),
                            other => hours_spec(other).into_iter().collect::<Vec<_>>(),
                        };
                        schema
                            .hours
                            .extend(specs.into_iter().map(|text| PlaceSighting {
                                text,
                                source: PlaceSource::Schema,
                                region: PageRegion::Body,
                            }));
                    }
                    _ => walk_json(v, schema),
                }
            }
        }
        _ => {}
    }
}

/// schema.org values from JSON-LD blocks and microdata. Broken JSON-LD is skipped: a page
/// with a typo in its markup still has its visible contacts read.
pub fn schema(digest: &Digest) -> Schema {
    let mut schema = Schema::default();
    for block in &digest.json_ld {
        if let Ok(value) = serde_json::from_str::<Value>(block.trim()) {
            walk_json(&value, &mut schema);
        }
    }
    for item in &digest.microdata {
        let value = item.value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        match item.prop.as_str() {
            "telephone" => schema
                .telephones
                .push((value.trim_start_matches("tel:").to_string(), item.region)),
            "email" => schema
                .emails
                .push((value.trim_start_matches("mailto:").to_string(), item.region)),
            "address" | "streetaddress" => schema.addresses.push(PlaceSighting {
                text: value,
                source: PlaceSource::Schema,
                region: item.region,
            }),
            "openinghours" => schema.hours.push(PlaceSighting {
                text: value,
                source: PlaceSource::Schema,
                region: item.region,
            }),
            _ => {}
        }
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_addresses_in_text() {
        let found = addresses_in(
            "Офис: 123456, г. Москва, ул. Примерная, д. 10, стр. 2, офис 5. Звоните!",
            PageRegion::Main,
        );
        assert_eq!(
            found[0].text,
            "123456, г. Москва, ул. Примерная, д. 10, стр. 2, офис 5"
        );
        let found = addresses_in("Visit us at 221 Baker Street, London NW1", PageRegion::Main);
        assert_eq!(found[0].text, "221 Baker Street, London NW1");
        // Every street word the English pattern ends with lets it run; a lower-case one is
        // no street name's, as the pattern spells them.
        for word in ENGLISH_STREET_NAMES {
            let found = addresses_in(
                &format!("Office: 12 Elm {word}, Springfield"),
                PageRegion::Main,
            );
            assert_eq!(
                found.first().map(|f| f.text.as_str()),
                Some(format!("12 Elm {word}, Springfield").as_str()),
                "{word}"
            );
        }
        assert!(addresses_in("Office: 12 Elm street, Springfield", PageRegion::Main).is_empty());
    }

    /// A block read before (a footer on every page) gives the same places, in the region it
    /// stands in this time.
    #[test]
    fn an_address_read_again_stands_in_its_new_region() {
        let text = "Адрес: 123456, г. Москва, ул. Примерная, д. 10. Пн–Пт 9:00–18:00";
        let first = addresses_in(text, PageRegion::Footer);
        let again = addresses_in(text, PageRegion::Header);
        assert_eq!(first.len(), 1);
        assert_eq!(again[0].text, first[0].text);
        assert_eq!(
            (first[0].region, again[0].region),
            (PageRegion::Footer, PageRegion::Header)
        );
    }

    /// The cheap checks before the address patterns let through every case they read.
    #[test]
    fn the_prefilters_keep_every_case_the_patterns_read() {
        let text =
            |found: Vec<PlaceSighting>| found.into_iter().map(|f| f.text).collect::<Vec<_>>();
        assert_eq!(
            text(addresses_in("ПРОСПЕКТ МИРА, ДОМ 5", PageRegion::Main)),
            ["ПРОСПЕКТ МИРА, ДОМ 5"]
        );
        assert_eq!(
            text(addresses_in("Проспект Мира, Д. 7", PageRegion::Main)),
            ["Проспект Мира, Д. 7"]
        );
        assert!(addresses_in("93291 ₽", PageRegion::Main).is_empty());
    }
}

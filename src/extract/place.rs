//! Places: postal addresses and opening hours, from schema.org (JSON-LD and microdata),
//! `<address>` elements, and Russian and English wording in text. Phones and e-mails found in
//! schema.org are handed back too, since they are contact points of their own.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::dom::{Digest, TextBlock};
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

static HOURS: LazyLock<Regex> = LazyLock::new(|| {
    let ru_day = r"\b(?:пн|вт|ср|чт|пт|сб|вс|понедельник|вторник|сред|четверг|пятниц|суббот|воскресень)[а-я]*\.?";
    let en_day = r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?";
    // German and Italian days, whole words or their usual abbreviations with a dot.
    let de_it_day = r"\b(?:(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica|lun|mar|mer|gio|ven|sab|dom)\b\.?|(?:mo|di|mi|do|fr|sa|so)\.)";
    let dash = r"\s*(?:-|–|—|до|по|to|till|until|bis|al)\s*";
    let time = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?";
    let patterns = [
        // «Пн–Пт 9:00–18:00», «пн-пт: с 9 до 18», «Mon–Fri 9am–6pm»
        format!(
            r"(?:с\s*)?(?:{ru_day}|{en_day}|{de_it_day})(?:{dash}(?:{ru_day}|{en_day}|{de_it_day}))?[:,]?\s*(?:с|from|von|dalle)?\s*{time}{dash}{time}"
        ),
        // «с 9:00 до 18:00», «von 8:00 bis 17:00»: two times of day with minutes.
        format!(r"\b(?:с|from|von|dalle)\s*\d{{1,2}}[:.]\d{{2}}{dash}\d{{1,2}}[:.]\d{{2}}"),
        // «ежедневно с 10 до 20», «daily 10–20»
        format!(
            r"\b(?:ежедневно|без выходных|daily|every day)[:,]?\s*(?:с|from)?\s*{time}{dash}{time}"
        ),
        // «Режим работы: с 9:00 до 18:00»
        format!(
            r"\b(?:режим работы|время работы|часы работы|работаем|opening hours|open|hours)[:\s]*(?:с|from)?\s*{time}{dash}{time}"
        ),
        // Round the clock, and services that say so: "24 HOUR EMERGENCY SERVICE".
        // Written without `\b`: a Unicode word boundary here would keep the whole pattern
        // off the regex engine's fast path; the character after is matched and trimmed.
        r"круглосуточно(?:[\s.,;:!)]|$)|24\s*/\s*7|24 часа в сутки|open 24 hours|24 hours a day|24[- ]?(?:hours?|hr)\s+(?:emergency\s+)?(?:service|call[- ]?out|helpline|hotline|support)|rund um die uhr|24\s*h\s*(?:service|notdienst)".to_string(),
    ];
    Regex::new(&format!("(?i){}", patterns.join("|"))).expect("valid regex")
});

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
static ENGLISH_STREET_WORDS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::new([
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
    ])
    .expect("street words compile")
});

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
/// scans. Searched one by one: an automaton's prefilter stops at every Cyrillic lead byte.
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

/// Whether `text` has an ASCII digit, as every address and every range of hours does. The
/// patterns need Unicode word boundaries, which keep the regex engine off its fast path; most
/// blocks have no digit. Counted without an early exit, which the compiler turns into a scan
/// of 32 bytes at a time: this runs on every block of every page.
fn has_ascii_digit(text: &str) -> bool {
    text.bytes().filter(u8::is_ascii_digit).count() > 0
}

/// Whether `text` may state hours at all, cheaply: every pattern of [`HOURS`] is either a
/// range of two times (two runs of digits with a dash or «до», "to", "bis" between them) or a
/// round-the-clock claim. The regex has Unicode word boundaries, which keep it off the fast
/// engines: most blocks of a page (prices, dates, article numbers) never reach it.
fn may_state_hours(text: &str) -> bool {
    static ROUND_THE_CLOCK: LazyLock<AnyOf> =
        LazyLock::new(|| AnyOf::new(&["руглосуточн", "РУГЛОСУТОЧН"]));
    static UM_DIE_UHR: LazyLock<AnyOf> =
        LazyLock::new(|| AnyOf::new(&["um die Uhr", "UM DIE UHR", "um die uhr"]));
    // The byte scans first: most blocks with digits settle it, and a block with no "u" in
    // any case (most Cyrillic ones) says no "um die Uhr".
    (has_ascii_digit(text) && (has_range_of_numbers(text) || says_24(text)))
        || ROUND_THE_CLOCK.is_in(text)
        || (memchr::memchr2(b'u', b'U', text.as_bytes()).is_some() && UM_DIE_UHR.is_in(text))
}

/// «24» followed by something else than a digit: every round-the-clock pattern with a number
/// (`24/7`, `24 часа`, `24-hour`, `24h`) has it; article numbers and prices (`№ 2471`) do not.
fn says_24(text: &str) -> bool {
    static TWENTY_FOUR: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("24"));
    let bytes = text.as_bytes();
    TWENTY_FOUR
        .find_iter(bytes)
        .any(|at| bytes.get(at + 2).is_some_and(|b| !b.is_ascii_digit()))
}

/// Two runs of digits with a dash or a word of range between them, close together: `9:00–18:00`,
/// `с 9 до 18`, `9am to 6pm`, `8 bis 17`. The run before the dash ends a time of day, as
/// [`HOURS`] reads one: an hour or the minutes, two digits at most, never right after a
/// hyphen — so a phone's `123-45-67` and a year's `2009–2025` are no range.
fn has_range_of_numbers(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Where the last run of digits ended, if it could end a time of day.
    let mut time_end: Option<usize> = None;
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_digit() {
            at += 1;
            continue;
        }
        // ASCII digits always stand on character boundaries.
        if let Some(end) = time_end
            && at - end <= 24
            && says_range(&text[end..at])
        {
            return true;
        }
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_digit() {
            at += 1;
        }
        let after_hyphen = start > 0 && bytes[start - 1] == b'-';
        time_end = (at - start <= 2 && !after_hyphen).then_some(at);
    }
    false
}

fn says_range(gap: &str) -> bool {
    if gap.contains(['-', '–', '—']) {
        return true;
    }
    let lower = gap.to_lowercase();
    ["до", "по", "to", "till", "until", "bis", "al"]
        .iter()
        .any(|w| lower.contains(w))
}

/// Opening hours stated in a block of text.
pub fn hours_in(text: &str, region: PageRegion) -> Vec<PlaceSighting> {
    thread_local! {
        static READ: memo::Memo = memo::Memo::default();
    }
    if !may_state_hours(text) {
        return Vec::new();
    }
    memo::places(&READ, text, region, || read_hours(text, region))
}

fn read_hours(text: &str, region: PageRegion) -> Vec<PlaceSighting> {
    HOURS
        .find_iter(text)
        .map(|m| PlaceSighting {
            text: m
                .as_str()
                .trim()
                .trim_end_matches(['.', ',', ';', ':', '!', ')'])
                .to_string(),
            source: PlaceSource::Text,
            region,
        })
        .collect()
}

/// A time of day in the text: a digit, a colon or a dot, two digits (`07:00`, `9.30`). Prices
/// and article numbers, which fill short blocks on shop pages, have none.
fn shows_time_of_day(text: &str) -> bool {
    text.as_bytes().windows(4).any(|w| {
        w[0].is_ascii_digit()
            && matches!(w[1], b':' | b'.')
            && w[2].is_ascii_digit()
            && w[3].is_ascii_digit()
    })
}

/// "24 HOUR", «24 часа»: a round-the-clock claim split over two headings.
fn names_hours(text: &str) -> bool {
    // Most short blocks have no «24»: lowering them all showed in profiles.
    if !text.contains("24") {
        return false;
    }
    let lower = text.to_lowercase();
    lower.contains("hour") || lower.contains("час") || lower.contains("stunden")
}

/// Hours written over two short blocks, the days in one and the times in the next
/// (`<p>Montag bis Freitag</p><p>07:00 - 18:00 Uhr</p>`, `<h2>24 HOUR</h2><h4>EMERGENCY
/// SERVICE</h4>`).
pub fn hours_across(days: &TextBlock, times: &TextBlock) -> Vec<PlaceSighting> {
    const SHORT: usize = 48;
    if days.text.len() > SHORT * 2
        || times.text.len() > SHORT
        || !(shows_time_of_day(&times.text) || names_hours(&days.text))
    {
        return Vec::new();
    }
    hours_in(
        &format!("{} {}", days.text.trim(), times.text.trim()),
        days.region,
    )
}

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

/// Postal addresses written in a block of text.
pub fn addresses_in(text: &str, region: PageRegion) -> Vec<PlaceSighting> {
    // Prices and table cells («93291 ₽», «46») fill shop pages: every pattern needs letters.
    if !has_ascii_digit(text) || text.chars().filter(|c| c.is_alphabetic()).nth(1).is_none() {
        return Vec::new();
    }
    thread_local! {
        static READ: memo::Memo = memo::Memo::default();
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
    if ENGLISH_STREET_WORDS.is_match(text) {
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

    fn hours(text: &str) -> Vec<String> {
        hours_in(text, PageRegion::Footer)
            .into_iter()
            .map(|h| h.text)
            .collect()
    }

    #[test]
    fn opening_hours_in_german_italian_and_bare_times() {
        assert_eq!(
            hours("Mo. - Fr. 8:00 - 17:00 Uhr"),
            ["Mo. - Fr. 8:00 - 17:00"]
        );
        assert_eq!(
            hours("Lun - Ven: 09:00 - 12:30"),
            ["Lun - Ven: 09:00 - 12:30"]
        );
        assert_eq!(hours("Мы на связи с 9:00 до 18:00"), ["с 9:00 до 18:00"]);
        // Years and prices are not hours.
        assert!(hours("с 2010 до 2020 года").is_empty());
        assert!(hours("Preise von 10 bis 20 Euro").is_empty());
    }

    #[test]
    fn opening_hours_in_russian_and_english() {
        assert_eq!(
            hours("Режим работы: Пн–Пт 9:00–18:00, Сб 10:00-15:00"),
            ["Пн–Пт 9:00–18:00", "Сб 10:00-15:00"]
        );
        assert_eq!(
            hours("Работаем ежедневно с 10 до 20"),
            ["ежедневно с 10 до 20"]
        );
        assert_eq!(hours("Мы на связи круглосуточно"), ["круглосуточно"]);
        assert_eq!(hours("Support 24/7"), ["24/7"]);
        assert_eq!(hours("Open Mon–Fri 9am–6pm"), ["Mon–Fri 9am–6pm"]);
        assert!(hours("Цена 9 000 – 18 000 руб., артикул 12-34").is_empty());
        assert!(hours("Сроки доставки 3–5 дней").is_empty());
    }

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
    }

    /// A block read before (a footer on every page) gives the same places, in the region it
    /// stands in this time.
    #[test]
    fn a_block_read_again_gives_the_same_places_in_its_new_region() {
        let text = "Адрес: 123456, г. Москва, ул. Примерная, д. 10. Пн–Пт 9:00–18:00";
        let first = addresses_in(text, PageRegion::Footer);
        let again = addresses_in(text, PageRegion::Header);
        assert_eq!(first.len(), 1);
        assert_eq!(again[0].text, first[0].text);
        assert_eq!(
            (first[0].region, again[0].region),
            (PageRegion::Footer, PageRegion::Header)
        );
        let hours_first = hours_in(text, PageRegion::Main);
        let hours_again = hours_in(text, PageRegion::Aside);
        assert_eq!(hours_again[0].text, hours_first[0].text);
        assert_eq!(hours_again[0].region, PageRegion::Aside);
    }

    /// The cheap checks before the patterns let through every case the patterns read.
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
        assert_eq!(hours("Hotline 24h Service"), ["24h Service"]);
        assert_eq!(hours("Мы работаем 24 часа в сутки"), ["24 часа в сутки"]);
        assert_eq!(hours("КРУГЛОСУТОЧНО!"), ["КРУГЛОСУТОЧНО"]);
        assert_eq!(hours("Notdienst rund um die Uhr"), ["rund um die Uhr"]);
        assert!(hours("Товар № 2471, артикул 5524").is_empty());
        assert!(!may_state_hours("+7 (495) 123-45-67"));
        assert!(!may_state_hours("+7 800 555-35-35, © 2009–2025"));
        assert!(may_state_hours("Пн-Пт 10-00 до 19-00"));
        assert_eq!(hours("Сб: с 10.00 - 16.00"), ["Сб: с 10.00 - 16.00"]);
        assert_eq!(hours("Mon-Fri 8-17"), ["Mon-Fri 8-17"]);
    }
}

//! Opening hours written in text: «Пн–Пт 9:00–18:00», "Mon–Fri 9am–6pm", «круглосуточно»,
//! "Mo. - Fr. 8:00 - 17:00", in one block or over two short ones. Hours in schema.org markup
//! are read with the rest of the markup, in [`super::place`].

use std::cell::RefCell;
use std::sync::LazyLock;

use regex::Regex;

use super::cues::{Cue, Cues};
use super::dom::TextBlock;
use super::memo;
use super::types::PlaceSighting;
use crate::text::AnyOf;
use crate::types::contact::{PageRegion, PlaceSource};

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

/// Whether `text` may state hours at all, cheaply: every pattern of [`HOURS`] is either a
/// range of two times (two runs of digits with a dash or «до», "to", "bis" between them) or a
/// round-the-clock claim. The regex has Unicode word boundaries, which keep it off the fast
/// engines: most blocks of a page (prices, dates, article numbers) never reach it.
fn may_state_hours(text: &str, cues: Cues) -> bool {
    static UM_DIE_UHR: LazyLock<AnyOf> =
        LazyLock::new(|| AnyOf::new(&["um die Uhr", "UM DIE UHR", "um die uhr"]));
    // The byte scans first: most blocks with digits settle it, and a block with no "u" in
    // any case (most Cyrillic ones) says no "um die Uhr".
    (cues.has_digit(text) && (has_range_of_numbers(text) || says_24(text)))
        || cues.has(Cue::RoundTheClock, text)
        || (memchr::memchr2(b'u', b'U', text.as_bytes()).is_some() && UM_DIE_UHR.is_in(text))
}

/// «24», found with a searcher built once: `str::contains` builds one a call, and short
/// blocks are asked by the thousand.
static TWENTY_FOUR: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("24"));

/// «24» followed by something else than a digit: every round-the-clock pattern with a number
/// (`24/7`, `24 часа`, `24-hour`, `24h`) has it; article numbers and prices (`№ 2471`) do not.
fn says_24(text: &str) -> bool {
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

/// Opening hours stated in a text.
pub fn hours_in(text: &str, region: PageRegion) -> Vec<PlaceSighting> {
    read_if_stated(text, region, Cues::default())
}

/// Opening hours stated in a block of the page.
pub fn hours_in_block(block: &TextBlock) -> Vec<PlaceSighting> {
    read_if_stated(&block.text, block.region, block.cues)
}

fn read_if_stated(text: &str, region: PageRegion, cues: Cues) -> Vec<PlaceSighting> {
    thread_local! {
        static READ: memo::Memo<String, Vec<PlaceSighting>> = RefCell::default();
    }
    if !may_state_hours(text, cues) {
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
    if TWENTY_FOUR.find(text.as_bytes()).is_none() {
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

    /// Hours in a footer read before, on another page, keep the region they stand in now.
    #[test]
    fn hours_read_again_stand_in_their_new_region() {
        let text = "Адрес: 123456, г. Москва, ул. Примерная, д. 10. Пн–Пт 9:00–18:00";
        let first = hours_in(text, PageRegion::Main);
        let again = hours_in(text, PageRegion::Aside);
        assert_eq!(again[0].text, first[0].text);
        assert_eq!(again[0].region, PageRegion::Aside);
    }

    /// The cheap checks before the pattern let through every case the pattern reads.
    #[test]
    fn the_prefilters_keep_every_case_the_pattern_reads() {
        assert_eq!(hours("Hotline 24h Service"), ["24h Service"]);
        assert_eq!(hours("Мы работаем 24 часа в сутки"), ["24 часа в сутки"]);
        assert_eq!(hours("КРУГЛОСУТОЧНО!"), ["КРУГЛОСУТОЧНО"]);
        assert_eq!(hours("Notdienst rund um die Uhr"), ["rund um die Uhr"]);
        assert!(hours("Товар № 2471, артикул 5524").is_empty());
        assert!(!may_state_hours("+7 (495) 123-45-67", Cues::default()));
        assert!(!may_state_hours(
            "+7 800 555-35-35, © 2009–2025",
            Cues::default()
        ));
        assert!(may_state_hours("Пн-Пт 10-00 до 19-00", Cues::default()));
        assert_eq!(hours("Сб: с 10.00 - 16.00"), ["Сб: с 10.00 - 16.00"]);
        assert_eq!(hours("Mon-Fri 8-17"), ["Mon-Fri 8-17"]);
    }

    #[test]
    fn hours_over_two_short_blocks() {
        let block = |text: &str| TextBlock {
            text: text.to_string(),
            region: PageRegion::Footer,
            ..TextBlock::default()
        };
        let found = hours_across(&block("Montag bis Freitag"), &block("07:00 - 18:00 Uhr"));
        assert_eq!(found[0].text, "Montag bis Freitag 07:00 - 18:00");
        let found = hours_across(&block("24 HOUR"), &block("EMERGENCY SERVICE"));
        assert_eq!(found[0].text, "24 HOUR EMERGENCY SERVICE");
        assert!(hours_across(&block("Наши цены"), &block("от 1 500 до 3 000 ₽")).is_empty());
    }
}

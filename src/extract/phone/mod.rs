//! Phone numbers: `tel:` links and numbers in visible text, read with libphonenumber.
//!
//! libphonenumber's matcher at "possible" leniency finds every digit run that could dial,
//! including tax ids, prices, years and order numbers. A number in text is kept only when a
//! person would read it as a phone: a phone word or icon just before it (Телефон, Tel., Fon,
//! ☎), a `+`, or grouping people use only for phones — whether or not libphonenumber calls it
//! valid (a VAT id or `2019-2021` is a valid German number). Then anything glued to letters
//! (`DE814324878`), anything that reads as a date or a span of years, and anything the words
//! around say is something else (ИНН 7701234567, 1 500 000 руб) is dropped.

mod read;

use std::cell::LazyCell;

use rlibphonenumber::Region;

use super::dom::{Anchor, TextBlock};
use super::types::PhoneSighting;
use crate::rulebook::Phrases;
use crate::rulebook::phrases::WordList;
use crate::rulebook::phrases::contains_any;
use crate::text::floor_char_boundary;
use crate::types::contact::Source;
pub use read::{ReadNumber, country_of_international, format_of, international, read_number};
use read::{candidates, describe};

/// What libphonenumber's matcher calls phones but the words around say are not.
fn vetoed_by_context(before: &str, after: &str, phrases: &Phrases) -> bool {
    // A currency sign just before (`$650-…`, `US$ 650 …`, `€ 1.234`) makes it an amount.
    if before
        .trim_end()
        .ends_with(['$', '€', '£', '¥', '₽', '₴', '₸', '₹'])
    {
        return true;
    }
    let before = before.to_lowercase();
    let after = after.trim_start().to_lowercase();
    // `… x 1234 x 5678`, `120 × 60`: sizes multiplied, not an extension.
    if after
        .strip_prefix(['x', '×', '*'])
        .is_some_and(|rest| rest.trim_start().starts_with(|c: char| c.is_ascii_digit()))
    {
        return true;
    }
    if phrases
        .not_phone_after
        .iter()
        .any(|w| after.starts_with(w.as_str()))
    {
        return true;
    }
    // The nearest labelling word wins: «Заказ звонка: +7…» says phone after it said order.
    let last_veto = phrases
        .last_of(WordList::NotPhoneBefore, &before)
        .map(|(end, _)| end);
    let last_phone = phrases
        .last_of(WordList::PhoneContext, &before)
        .map(|(end, _)| end);
    match (last_veto, last_phone) {
        (Some(veto), Some(phone)) => veto > phone,
        (Some(_), None) => true,
        _ => false,
    }
}

fn says_phone(before: &str, phrases: &Phrases) -> bool {
    phrases
        .last_of(WordList::PhoneContext, &before.to_lowercase())
        .is_some()
}

/// Grouping people use only for phones: `(495)`, `+…`, trailing `xx-xx`, or a full number
/// of ten digits or more in three groups or more (`7-708-866-3947`, `8 9044 730-690`) — but
/// not groups split by slashes, which is how tax and register numbers are written.
fn looks_like_phone(raw: &str) -> bool {
    if raw.contains('(') || raw.trim_start().starts_with('+') {
        return true;
    }
    let groups: Vec<&str> = raw
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let digits: usize = groups.iter().map(|g| g.len()).sum();
    (groups.len() >= 3 && groups.iter().rev().take(2).all(|g| g.len() == 2))
        || (groups.len() >= 3 && digits >= 10 && !raw.contains('/'))
}

/// `0871 23001 oder 25311`, `0771 - 2443238 / 28`: a second number written as the tail of
/// the first, to be read with the first one's head. The tail and the first number's digits
/// with the tail put in place of their end, when the tail is no longer than the first
/// number's last group.
fn shorthand_after<'t>(text: &'t str, end: usize, first: &str) -> Option<(&'t str, String)> {
    static TAIL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^\s*(?:oder|or|или|або|ou|bzw\.?|/|,)\s*(\d{2,6})\b")
            .expect("valid pattern")
    });
    let caps = TAIL.captures(&text[end..])?;
    let tail = caps.get(1)?;
    if text[end + tail.end()..].starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        return None;
    }
    let last_group = first
        .split(|c: char| !c.is_ascii_digit())
        .rfind(|g| !g.is_empty())?;
    if tail.len() > last_group.len() {
        return None;
    }
    let digits: String = first.chars().filter(char::is_ascii_digit).collect();
    let head = &digits[..digits.len() - tail.len()];
    let prefix = if first.trim_start().starts_with('+') {
        "+"
    } else {
        ""
    };
    Some((
        &text[end + tail.start()..end + tail.end()],
        format!("{prefix}{head}{}", tail.as_str()),
    ))
}

/// `0771 - 2443238 / 28` read as one number is no number: when the whole is invalid, the
/// part before the slash is valid and the part after is a short tail, the number ends at the
/// slash (the tail is then read as a shorthand second number).
fn split_slashed_tail(raw: &str, read: ReadNumber, region: Option<Region>) -> (&str, ReadNumber) {
    if read.valid {
        return (raw, read);
    }
    let Some((head, tail)) = raw.rsplit_once('/') else {
        return (raw, read);
    };
    let tail_digits = tail.chars().filter(char::is_ascii_digit).count();
    let head = head.trim_end();
    match read_number(head, region).filter(|r| r.valid) {
        Some(head_read) if (1..=4).contains(&tail_digits) => (head, head_read),
        _ => (raw, read),
    }
}

/// `DE814324878`, `ATU80445314`, `abc415-666-7777def`: digits that are part of a word are an
/// identifier, not a number to dial.
/// Letters and digits of two elements that meet (`<span>Help</span>7-708-…`) are not glued:
/// they are two texts a stylesheet sets apart.
fn glued_to_letters(text: &str, start: usize, end: usize, seams: &[usize]) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    (before.is_some_and(char::is_alphabetic) && !seams.contains(&start))
        || (after.is_some_and(char::is_alphabetic) && !seams.contains(&end))
}

/// `50.0222135`, `3.14159265`: a decimal fraction (a coordinate, a measure), not a number
/// to dial — no one writes a phone as a short group, a dot and a long one.
fn reads_as_decimal(raw: &str) -> bool {
    let first = raw.trim().split([',', ' ']).next().unwrap_or_default();
    first.split_once('.').is_some_and(|(whole, fraction)| {
        (1..=3).contains(&whole.len())
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.len() >= 5
            && fraction.bytes().all(|b| b.is_ascii_digit())
    })
}

/// `21.06.1984`, `06/21`, `2019-2021`: a date or a span of years.
fn reads_as_date_or_years(raw: &str) -> bool {
    let groups: Vec<&str> = raw
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let separators: String = raw
        .trim()
        .chars()
        .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
        .collect();
    let year = |g: &str| g.len() == 4 && (g.starts_with("19") || g.starts_with("20"));
    let day_or_month = |g: &str| g.len() <= 2;
    match groups.as_slice() {
        [a, b] if year(a) && year(b) => separators.chars().all(|c| "-–—/".contains(c)),
        [d, m] => day_or_month(d) && day_or_month(m) && matches!(separators.as_str(), "." | "/"),
        [d, m, y] => {
            day_or_month(d)
                && day_or_month(m)
                && (y.len() == 2 || year(y))
                && separators.chars().all(|c| ".-/".contains(c))
        }
        _ => false,
    }
}

fn window_before(text: &str, start: usize, bytes: usize) -> &str {
    let from = floor_char_boundary(text, start.saturating_sub(bytes));
    // floor_char_boundary moves left, which can only widen the window; that is harmless.
    &text[from..start]
}

fn window_after(text: &str, end: usize, bytes: usize) -> &str {
    let to = floor_char_boundary(text, (end + bytes).min(text.len()));
    &text[end..to]
}

/// Numbers standing in visible text. Numbers inside `tel:` links are left to
/// [`from_tel_link`], which knows what they dial.
pub fn from_block(
    block: &TextBlock,
    anchors: &[Anchor],
    region: Option<Region>,
    phrases: &Phrases,
    third_party_at: &dyn Fn(usize) -> Option<String>,
) -> Vec<PhoneSighting> {
    let text = &block.text;
    // Full-width digits (`４１５６６６７７７７`) are read like ASCII ones by the matcher.
    // ASCII digits, and whether any full-width form (`０`, U+FF10, starts with the byte 0xEF)
    // is there at all; most blocks have neither.
    let ascii_digits = block.cues.digits(text);
    if ascii_digits < 7
        && (memchr::memchr(0xEF, text.as_bytes()).is_none()
            || ascii_digits + text.chars().filter(|c| ('０'..='９').contains(c)).count() < 7)
    {
        return Vec::new();
    }
    // Most blocks with digits hold no phone: the toll-free words are looked for once one is.
    let labelled_free =
        LazyCell::new(|| contains_any(&text.to_lowercase(), &phrases.toll_free_words));
    let mut found = Vec::new();
    // The end of a shorthand tail already read with the number before it.
    let mut consumed = 0;
    for candidate in candidates(text, region).iter() {
        let start = candidate.start;
        let matched = &text[start..start + candidate.len];
        // Reading a number costs; only a slashed one is read before the checks below.
        let (raw, read_early) = if matched.contains('/') {
            let (raw, read) = split_slashed_tail(matched, describe(&candidate.number), region);
            (raw, Some(read))
        } else {
            (matched, None)
        };
        let end = start + raw.len();
        let in_tel_link = block.anchor_spans.iter().any(|(span, index)| {
            span.start <= start
                && end <= span.end
                && anchors[*index]
                    .href
                    .to_ascii_lowercase()
                    .starts_with("tel:")
        });
        if in_tel_link {
            continue;
        }
        let before = window_before(text, start, 40);
        let after = window_after(text, end, 12);
        if vetoed_by_context(before, after, phrases) {
            continue;
        }
        if glued_to_letters(text, start, end, &block.seams)
            || reads_as_date_or_years(raw)
            || reads_as_decimal(raw)
        {
            continue;
        }
        let digits = raw.chars().filter(char::is_ascii_digit).count();
        // An icon just before the number says "phone" as the word does.
        let icon_before = block
            .phone_icons
            .iter()
            .any(|&at| at <= start && start - at <= 40);
        let labelled = icon_before || says_phone(before, phrases);
        let plausible = labelled || (digits > 7 && looks_like_phone(raw));
        if !plausible || start < consumed {
            continue;
        }
        let read = read_early.unwrap_or_else(|| describe(&candidate.number));
        // `1-877-345-6789` on a Kazakh page: written with its country code but no `+`.
        let read = if read.valid || raw.trim_start().starts_with(['+', '0']) {
            read
        } else {
            read_number(&format!("+{raw}"), None)
                .filter(|r| r.valid)
                .unwrap_or(read)
        };
        let third_party = third_party_at(start);
        let sighting = |shown: &str, read: ReadNumber| PhoneSighting {
            shown: shown.trim().to_string(),
            format: format_of(shown, &read),
            e164: Some(read.e164),
            valid: read.valid,
            kind: read.kind,
            source: Source::Text,
            clickable: false,
            tel_href: None,
            tel_matches_text: None,
            labelled_free: *labelled_free,
            region: block.region,
            third_party: third_party.clone(),
        };
        found.push(sighting(raw, read));
        if let Some((tail, whole)) = shorthand_after(text, end, raw)
            && let Some(read) = read_number(&whole, region).filter(|r| r.valid)
        {
            consumed = tail.as_ptr() as usize - text.as_ptr() as usize + tail.len();
            found.push(sighting(tail, read));
        }
    }
    found
}

/// A `tel:` link: what it shows, and whether it dials that. When it dials another number,
/// both are the company's — the one visitors read and the one their phones ring — so the
/// dialled one is a second sighting (the mismatch is reported once, on the shown one).
pub fn from_tel_link(
    anchor: &Anchor,
    block_text: &str,
    region: Option<Region>,
    phrases: &Phrases,
) -> Vec<PhoneSighting> {
    if anchor.invisible {
        // Nothing to see and nothing to tap: not a door, whatever it dials.
        return Vec::new();
    }
    let Some(shown) = shown_by_tel_link(anchor, block_text, region, phrases) else {
        return Vec::new();
    };
    let dialled = (shown.tel_matches_text == Some(false))
        .then(|| {
            let target = tel_target(&anchor.href)?;
            let read = read_number(&target, region)?;
            Some(PhoneSighting {
                format: format_of(&target, &read),
                shown: target,
                e164: Some(read.e164),
                valid: read.valid,
                kind: read.kind,
                source: Source::Link,
                clickable: true,
                tel_href: Some(anchor.href.clone()),
                tel_matches_text: None,
                labelled_free: shown.labelled_free,
                region: anchor.region,
                third_party: None,
            })
        })
        .flatten();
    std::iter::once(shown).chain(dialled).collect()
}

/// The number a `tel:` link dials, as written in it.
fn tel_target(href: &str) -> Option<String> {
    let target = href.get(4..)?;
    let target = percent_encoding::percent_decode_str(target).decode_utf8_lossy();
    Some(
        target
            .split([';', '?'])
            .next()
            .unwrap_or_default()
            .to_string(),
    )
}

fn shown_by_tel_link(
    anchor: &Anchor,
    block_text: &str,
    region: Option<Region>,
    phrases: &Phrases,
) -> Option<PhoneSighting> {
    let target = anchor.href.get(4..)?;
    let target = percent_encoding::percent_decode_str(target).decode_utf8_lossy();
    let target = target.split([';', '?']).next().unwrap_or_default();
    let dialled = read_number(target, region);
    let shown_read = read_number(&anchor.text, region);
    // German switchboard notation: «069 87 00 17 43-0» shows the line's «-0» (the
    // operator) after the number the link dials.
    let switchboard = anchor.text.trim_end().ends_with("-0");
    let tel_matches_text = shown_read.as_ref().map(|shown| {
        dialled.as_ref().is_some_and(|dialled| {
            dialled.e164 == shown.e164
                || (switchboard && shown.e164 == format!("{}0", dialled.e164))
        })
    });
    // The number a visitor sees is what the page promises; fall back to the target when
    // the link shows an icon or a word.
    let (shown, read) = match shown_read {
        // The switchboard's «-0» is no digit of the number.
        Some(read) if switchboard && tel_matches_text == Some(true) => {
            (anchor.text.clone(), dialled.clone().unwrap_or(read))
        }
        Some(read) => (anchor.text.clone(), read),
        None => (target.to_string(), dialled.clone()?),
    };
    Some(PhoneSighting {
        format: format_of(&shown, &read),
        shown,
        e164: Some(read.e164),
        valid: read.valid,
        kind: read.kind,
        source: Source::Link,
        clickable: dialled.is_some(),
        tel_href: Some(anchor.href.clone()),
        tel_matches_text,
        labelled_free: contains_any(&block_text.to_lowercase(), &phrases.toll_free_words),
        region: anchor.region,
        third_party: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rulebook::BUILTIN;
    use crate::types::contact::PageRegion;
    use crate::types::contact::{PhoneFormat, PhoneKind};

    /// A number read before is remembered with the region it was read in: the same digits
    /// read for another country, or for none, are read afresh.
    #[test]
    fn a_number_read_again_in_another_region_is_read_for_that_region() {
        let written = "8 (495) 123-45-67";
        let russian = read_number(written, Region::from_code("RU").ok()).unwrap();
        assert_eq!(russian.e164, "+74951234567");
        assert!(russian.valid);
        let again = read_number(written, Region::from_code("RU").ok()).unwrap();
        assert_eq!(again.e164, russian.e164);
        let elsewhere = read_number(written, Region::from_code("DE").ok());
        assert_ne!(elsewhere.map(|n| n.e164), Some(russian.e164.clone()));
        assert!(read_number(written, None).is_none());
        assert!(read_number("12-34", Region::from_code("RU").ok()).is_none());
    }

    /// A block read before (a footer on every page) is read again for another region: the
    /// same national digits dial another country there.
    #[test]
    fn a_block_read_again_in_another_region_is_read_for_that_region() {
        let footer = block("Телефон: 8 (495) 123-45-67, пишите");
        let read_in = |code: &str| -> Vec<String> {
            from_block(
                &footer,
                &[],
                Region::from_code(code).ok(),
                &BUILTIN.phrases,
                &|_| None,
            )
            .into_iter()
            .filter_map(|p| p.e164)
            .collect()
        };
        assert_eq!(read_in("RU"), ["+74951234567"]);
        assert_eq!(read_in("RU"), ["+74951234567"]);
        assert!(!read_in("DE").contains(&"+74951234567".to_string()));
        assert_eq!(read_in("RU"), ["+74951234567"]);
    }

    fn block(text: &str) -> TextBlock {
        TextBlock {
            text: text.to_string(),
            region: PageRegion::Footer,
            ..TextBlock::default()
        }
    }

    fn numbers(text: &str) -> Vec<String> {
        from_block(
            &block(text),
            &[],
            Region::from_code("RU").ok(),
            &BUILTIN.phrases,
            &|_| None,
        )
        .into_iter()
        .map(|p| p.e164.unwrap())
        .collect()
    }

    #[test]
    fn a_word_or_icon_before_the_plus_keeps_the_number_international() {
        let read = read_number("+353 52 7443258", None).unwrap();
        for shown in [
            "Phone +353 52 7443258",
            "📞+353 52 7443258",
            "Тел.: +353 52 7443258",
        ] {
            assert_eq!(
                format_of(shown, &read),
                PhoneFormat::International,
                "{shown}"
            );
        }
        let national = read_number("052 7443258", Region::from_code("IE").ok()).unwrap();
        assert_eq!(
            format_of("Tel. 052 7443258", &national),
            PhoneFormat::National
        );
    }

    #[test]
    fn russian_numbers_in_every_common_spelling() {
        assert_eq!(
            numbers("Звоните: 8 (800) 555-35-35, +7 495 123-45-67 или 8-912-345-67-89"),
            ["+78005553535", "+74951234567", "+79123456789"]
        );
    }

    #[test]
    fn toll_free_is_typed_and_label_noticed() {
        let found = from_block(
            &block("8 800 555-35-35 — звонок бесплатный"),
            &[],
            Region::from_code("RU").ok(),
            &BUILTIN.phrases,
            &|_| None,
        );
        assert_eq!(found[0].kind, PhoneKind::TollFree);
        assert!(found[0].labelled_free);
        assert_eq!(found[0].format, PhoneFormat::National);
    }

    #[test]
    fn requisites_prices_dates_and_orders_are_not_phones() {
        let text = "ИНН 7701234567, ОГРН 1027700132195, КПП 770101001, БИК 044525225, \
                    р/с 40702810900000012345, к/с 30101810400000000225. \
                    Заказ № 2024031512345 от 15.03.2024. Цена 1 500 000 руб. \
                    Артикул 4607001234567. Индекс 123456.";
        assert_eq!(numbers(text), Vec::<String>::new());
    }

    #[test]
    fn a_bare_local_number_is_found_when_labelled_and_marked_local() {
        let found = from_block(
            &block("Тел.: 555-35-35"),
            &[],
            Region::from_code("RU").ok(),
            &BUILTIN.phrases,
            &|_| None,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].format, PhoneFormat::Local);
        assert!(!found[0].valid);
    }

    #[test]
    fn tel_link_that_dials_another_number_is_a_mismatch() {
        let anchor = Anchor {
            href: "tel:+74951234500".into(),
            hint: String::new(),
            invisible: false,
            text: "+7 (495) 123-45-67".into(),
            region: PageRegion::Header,
            block: 0,
        };
        let found = from_tel_link(&anchor, "", Region::from_code("RU").ok(), &BUILTIN.phrases);
        let p = &found[0];
        assert_eq!(p.tel_matches_text, Some(false));
        assert_eq!(p.e164.as_deref(), Some("+74951234567"));
        assert!(p.clickable);
        // The number the link rings is the company's too, listed once, without a second
        // mismatch.
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].e164.as_deref(), Some("+74951234500"));
        assert_eq!(found[1].tel_matches_text, None);
        assert!(found[1].clickable);
    }

    #[test]
    fn tel_link_with_trunk_prefix_text_matches_its_target() {
        let anchor = Anchor {
            href: "tel:+78005553535".into(),
            hint: String::new(),
            invisible: false,
            text: "8 (800) 555-35-35".into(),
            region: PageRegion::Header,
            block: 0,
        };
        let found = from_tel_link(&anchor, "", Region::from_code("RU").ok(), &BUILTIN.phrases);
        assert_eq!(found.len(), 1);
        let p = &found[0];
        assert_eq!(p.tel_matches_text, Some(true));
        assert_eq!(p.format, PhoneFormat::National);
    }
}

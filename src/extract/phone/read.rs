//! What libphonenumber reads in a text, remembered per thread: a site's header, footer and
//! `tel:` links are the same on every page, and the library's matcher and parser were the cost
//! of reading phones.

use std::cell::RefCell;
use std::rc::Rc;

use rlibphonenumber::phonenumber_matcher::{Leniency, PHONE_MATCHER_FACTORY};
use rlibphonenumber::{PHONE_NUMBER_UTIL, PhoneNumber, PhoneNumberFormat, PhoneNumberType, Region};

use crate::extract::memo;
use crate::types::contact::{PhoneFormat, PhoneKind};

/// A number read from a string, with what libphonenumber says of it.
#[derive(Debug, Clone)]
pub struct ReadNumber {
    pub e164: String,
    pub valid: bool,
    pub kind: PhoneKind,
}

fn kind_of(number: &PhoneNumber) -> PhoneKind {
    match number.get_type() {
        PhoneNumberType::Mobile => PhoneKind::Mobile,
        PhoneNumberType::FixedLine => PhoneKind::FixedLine,
        PhoneNumberType::FixedLineOrMobile => PhoneKind::FixedLineOrMobile,
        PhoneNumberType::TollFree => PhoneKind::TollFree,
        PhoneNumberType::PremiumRate => PhoneKind::PremiumRate,
        PhoneNumberType::SharedCost => PhoneKind::SharedCost,
        PhoneNumberType::VoIP => PhoneKind::Voip,
        PhoneNumberType::PersonalNumber => PhoneKind::PersonalNumber,
        PhoneNumberType::Pager => PhoneKind::Pager,
        PhoneNumberType::UAN => PhoneKind::Uan,
        PhoneNumberType::VoiceMail => PhoneKind::Voicemail,
        _ => PhoneKind::Unknown,
    }
}

pub(super) fn describe(number: &PhoneNumber) -> ReadNumber {
    ReadNumber {
        e164: number.format_as(PhoneNumberFormat::E164).into_owned(),
        valid: number.is_valid(),
        kind: kind_of(number),
    }
}

/// A text and the region its numbers are read in: what a reading is remembered by.
type TextInRegion = (Box<str>, Option<Region>);

/// Longer texts are not numbers anyone writes twice: read each time, never remembered, so a
/// hostile page's long strings stay out of memory.
const NUMBER_TEXT_MAX: usize = 64;

/// Single numbers remembered per thread, for each reading of them: a site has a few.
const NUMBERS_KEPT: usize = 256;

/// Reads one number (a `tel:` target, a schema.org value) in the given default region.
///
/// Remembered per thread: a site's `tel:` links and schema.org numbers are the same few on
/// every page, and libphonenumber's parse was 2% of a crawl. A pure function of its inputs.
pub fn read_number(text: &str, region: Option<Region>) -> Option<ReadNumber> {
    thread_local! {
        static KNOWN: memo::Memo<TextInRegion, Option<ReadNumber>> = RefCell::default();
    }
    if text.len() > NUMBER_TEXT_MAX {
        return parse_number(text, region);
    }
    memo::recall(&KNOWN, &(text.into(), region), NUMBERS_KEPT, || {
        parse_number(text, region)
    })
}

fn parse_number(text: &str, region: Option<Region>) -> Option<ReadNumber> {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    if digits < 5 {
        return None;
    }
    PHONE_NUMBER_UTIL
        .parse(text, region)
        .ok()
        .map(|n| describe(&n))
}

/// The country of a number written with its `+` code: where libphonenumber places it when
/// `must_be_valid` (a `tel:` link, a number in the text), else the country its code belongs to
/// (a placeholder such as `+91 90000000` is a pattern, rarely a valid number).
///
/// Remembered per thread: every page asks this of the header's and the footer's numbers, and
/// the parse was 2.5% of a crawl's CPU. A pure function of its inputs.
pub fn country_of_international(number: &str, must_be_valid: bool) -> Option<Region> {
    thread_local! {
        static KNOWN: memo::Memo<(Box<str>, bool), Option<Region>> = RefCell::default();
    }
    let find = || {
        let parsed = PHONE_NUMBER_UTIL.parse(number, None).ok()?;
        if must_be_valid {
            Some(&parsed)
                .filter(|n| n.is_valid())
                .and_then(|n| n.get_region_code())
        } else {
            PHONE_NUMBER_UTIL.get_region_for_country_code(parsed.country_code)
        }
    };
    if number.len() > NUMBER_TEXT_MAX {
        return find();
    }
    memo::recall(&KNOWN, &(number.into(), must_be_valid), NUMBERS_KEPT, find)
}

/// An E.164 number as people write it across borders (`+7 495 765-43-21`).
pub fn international(e164: &str) -> Option<String> {
    let number = PHONE_NUMBER_UTIL.parse(e164, None).ok()?;
    Some(
        number
            .format_as(PhoneNumberFormat::International)
            .into_owned(),
    )
}

/// How a shown number is written: with country code, with area code, or bare local.
pub fn format_of(shown: &str, read: &ReadNumber) -> PhoneFormat {
    // A word or an icon before the number (`Phone +353…`, `📞+375…`, `Тел.: 8 …`) is not part
    // of how the number is written.
    let trimmed =
        shown.trim_start_matches(|c: char| !c.is_ascii_digit() && !matches!(c, '+' | '('));
    let digits = trimmed.chars().filter(char::is_ascii_digit).count();
    // `00 7 495 …` and `8 10 7 495 …` dial abroad too, but only a full number written so
    // counts: a local `000-00-07` merely starts with zeros.
    let dialled_abroad =
        (trimmed.starts_with("00") || trimmed.starts_with("810")) && read.valid && digits >= 12;
    if trimmed.starts_with('+') || dialled_abroad {
        PhoneFormat::International
    } else if read.valid {
        PhoneFormat::National
    } else {
        PhoneFormat::Local
    }
}

/// A run of text libphonenumber's matcher reads as a number: where it starts, how long it is
/// and the number read.
pub(super) struct Candidate {
    pub(super) start: usize,
    pub(super) len: usize,
    pub(super) number: PhoneNumber,
}

/// What libphonenumber's matcher finds in a block's text, in the page's region. Remembered per
/// thread: the header and footer that hold a site's numbers repeat on every page, and the
/// matcher was most of the cost of reading phones. A pure function of its inputs.
pub(super) fn candidates(text: &str, region: Option<Region>) -> Rc<[Candidate]> {
    thread_local! {
        static KNOWN: memo::Memo<TextInRegion, Rc<[Candidate]>> = RefCell::default();
    }
    let find = || {
        PHONE_MATCHER_FACTORY
            .matcher_builder(text)
            .leniency(Leniency::Possible)
            .preferred_region(region)
            .build()
            .map(|m| {
                debug_assert!(text[m.start..].starts_with(m.raw_string));
                Candidate {
                    start: m.start,
                    len: m.raw_string.len(),
                    number: m.number,
                }
            })
            .collect()
    };
    if text.len() > memo::TEXT_MAX {
        return find();
    }
    // A footer holds a few numbers; a block of dozens is no template's, and each is a
    // hundred bytes or so to keep.
    memo::recall_if(
        &KNOWN,
        &(text.into(), region),
        memo::ENTRIES_MAX,
        find,
        |found| found.len() <= CANDIDATES_KEPT,
    )
}

/// Candidates a remembered block may hold: 512 blocks of them stay under 2 MB a thread.
const CANDIDATES_KEPT: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    fn region(code: &str) -> Option<Region> {
        Some(Region::from_code(code).expect("a known country"))
    }

    /// A placeholder's country is its code's, valid or not; a number on the page counts only
    /// when valid. The same text asked both ways gets both answers, however often it is asked.
    #[test]
    fn a_number_names_its_country_only_as_strictly_as_asked() {
        for _ in 0..2 {
            assert_eq!(
                country_of_international("+7 495 123-45-67", true),
                region("RU")
            );
            assert_eq!(
                country_of_international("+91 90000000", false),
                region("IN")
            );
            assert_eq!(country_of_international("+91 90000000", true), None);
            assert_eq!(
                country_of_international("+44 20 7946 0000", true),
                region("GB")
            );
            assert_eq!(country_of_international("+", false), None);
        }
    }
}

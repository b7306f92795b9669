//! Small helpers on text that several stages share (extraction, probe answers, mail bodies).

/// The largest index not above `at` that falls on a character boundary.
pub fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let mut i = at;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// What a byte may start: 1 an ASCII blank, 2 possibly another Unicode space (the lead bytes
/// of U+0085, U+00A0, U+1680, U+2000–U+205F and U+3000), 0 nothing of the kind.
static BLANK_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    table[b' ' as usize] = 1;
    table[b'\t' as usize] = 1;
    table[b'\n' as usize] = 1;
    table[0x0B] = 1;
    table[0x0C] = 1;
    table[b'\r' as usize] = 1;
    table[0xC2] = 2;
    table[0xE1] = 2;
    table[0xE2] = 2;
    table[0xE3] = 2;
    table
};

/// The length of the whitespace character starting at `at`, or 0.
#[inline(always)]
fn whitespace_at(text: &str, at: usize) -> usize {
    match BLANK_CLASS[usize::from(text.as_bytes()[at])] {
        0 => 0,
        1 => 1,
        // A lead byte, so `at` is a character boundary.
        _ => text[at..]
            .chars()
            .next()
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
    }
}

/// Where the whitespace starting at `at` ends.
#[inline]
fn skip_whitespace(text: &str, mut at: usize) -> usize {
    while at < text.len() {
        match whitespace_at(text, at) {
            0 => break,
            len => at += len,
        }
    }
    at
}

/// Whether `byte` may start whitespace other than a lone space: an ASCII control (the blanks
/// among them), or a lead byte of U+0085, U+00A0 (`C2`) or of U+1680, U+2000–U+3000 (`E1`–`E3`;
/// `E0` is let through with them for a cheaper test).
#[inline(always)]
fn may_start_blank(byte: u8) -> bool {
    (byte < 0x20) | (byte == 0xC2) | (byte & 0xFC == 0xE0)
}

/// Whether `byte`, followed by `next`, may end a run of words one space apart.
#[inline(always)]
fn may_end_run(byte: u8, next: u8) -> bool {
    may_start_blank(byte) | ((byte == b' ') & ((next == b' ') | may_start_blank(next)))
}

/// Bytes [`next_run_break`] looks at in one step where it has a vector scan.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
const RUN_STEP: usize = 16;

/// Where the first byte at or after `at` is that may end a run of words one space apart, or
/// the end: a blank other than a space, a lead byte of another space, or a space before
/// another blank ([`may_end_run`]). Most text is words one space apart, and every text node
/// of every page passes here.
#[inline]
fn next_run_break(bytes: &[u8], at: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::next_run_break(bytes, at)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        next_run_break_bytewise(bytes, at)
    }
}

/// [`next_run_break`] a byte at a time.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn next_run_break_bytewise(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() {
        let next = bytes.get(at + 1).copied().unwrap_or(b' ');
        if may_end_run(bytes[at], next) {
            return at;
        }
        at += 1;
    }
    bytes.len()
}

/// [`next_run_break`] sixteen bytes a step, with SSE2, which every x86-64 processor has: a
/// mask of the bytes that may end a run, whose first set bit is the answer. The eight-byte
/// word tricks it replaced went a byte at a time through every chunk that held a break, and
/// nearly every text node ends in one: a line break and the indentation after it.
#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };

    use super::RUN_STEP as STEP;

    /// What [`super::may_start_blank`] says of each byte, as a byte mask.
    #[target_feature(enable = "sse2")]
    fn may_start_blank(v: __m128i) -> __m128i {
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
        let c2 = _mm_cmpeq_epi8(v, _mm_set1_epi8(0xC2_u8 as i8));
        let e0 = _mm_cmpeq_epi8(
            _mm_and_si128(v, _mm_set1_epi8(0xFC_u8 as i8)),
            _mm_set1_epi8(0xE0_u8 as i8),
        );
        _mm_or_si128(control, _mm_or_si128(c2, e0))
    }

    /// Bit i set: byte i of `window` may end a run, byte i + 1 being its neighbour.
    #[target_feature(enable = "sse2")]
    fn breaks_in(window: &[u8; STEP + 1]) -> u32 {
        // SAFETY: both loads read 16 bytes inside the 17 of `window`.
        let (here, next) = unsafe {
            (
                _mm_loadu_si128(window.as_ptr().cast()),
                _mm_loadu_si128(window.as_ptr().add(1).cast()),
            )
        };
        let space = _mm_set1_epi8(b' ' as i8);
        let blank_next = _mm_or_si128(_mm_cmpeq_epi8(next, space), may_start_blank(next));
        let space_before_blank = _mm_and_si128(_mm_cmpeq_epi8(here, space), blank_next);
        let breaks = _mm_or_si128(may_start_blank(here), space_before_blank);
        u32::from(_mm_movemask_epi8(breaks) as u16)
    }

    pub fn next_run_break(bytes: &[u8], mut at: usize) -> usize {
        while let Some(window) = bytes.get(at..at + STEP + 1) {
            let window = window.try_into().expect("a step and its neighbour");
            // SAFETY: every x86-64 processor has SSE2.
            let breaks = unsafe { breaks_in(window) };
            if breaks != 0 {
                return at + breaks.trailing_zeros() as usize;
            }
            at += STEP;
        }
        let rest = &bytes[at.min(bytes.len())..];
        if rest.is_empty() {
            return bytes.len();
        }
        // Most text nodes are shorter than a step. Letters follow the rest, but a space right
        // after it: a space that ends the text is a space before another blank.
        let mut last = [b'a'; STEP + 1];
        last[..rest.len()].copy_from_slice(rest);
        last[rest.len()] = b' ';
        // SAFETY: every x86-64 processor has SSE2.
        let breaks = unsafe { breaks_in(&last) } & ((1_u32 << rest.len()) - 1);
        if breaks != 0 {
            at + breaks.trailing_zeros() as usize
        } else {
            bytes.len()
        }
    }
}

/// Appends the words of `text` to `out` with one space between them — what
/// [`str::split_whitespace`] gives, joined by spaces — copying runs of words already one space
/// apart at once rather than a word at a time: most text on a page is written so. Every text
/// node of every page passes here: decoding each character to ask whether it is whitespace was
/// the largest single cost of reading a page's text, so only ASCII blanks and the lead bytes of
/// the few other Unicode spaces (U+0085, U+00A0, U+1680, U+2000–U+3000) get a closer look.
pub fn push_words(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut at = skip_whitespace(text, 0);
    let mut first = true;
    while at < bytes.len() {
        let start = at;
        loop {
            at = next_run_break(bytes, at);
            if at >= bytes.len() {
                break;
            }
            let blank = whitespace_at(text, at);
            let lone_space =
                bytes[at] == b' ' && at + 1 < bytes.len() && whitespace_at(text, at + 1) == 0;
            if blank == 0 || lone_space {
                at += 1;
                continue;
            }
            break;
        }
        if !first {
            out.push(' ');
        }
        out.push_str(&text[start..at]);
        first = false;
        at = skip_whitespace(text, at);
    }
}

/// How many ASCII digits `text` has. Every extractor asks of every block of every page; a
/// count per 32-byte chunk fits in a byte, so the compiler counts a chunk in a few vector
/// instructions instead of widening each byte to a 64-bit sum.
pub fn ascii_digits(text: &str) -> usize {
    let digits_in = |chunk: &[u8; 32]| -> usize {
        let in_chunk: u8 = chunk.iter().map(|b| u8::from(b.is_ascii_digit())).sum();
        usize::from(in_chunk)
    };
    let mut chunks = text.as_bytes().chunks_exact(32);
    let mut count = 0;
    for chunk in &mut chunks {
        count += digits_in(chunk.try_into().expect("32 bytes"));
    }
    // Most blocks are a sentence or two: the rest, counted a byte at a time, cost more than
    // their chunks. Copied into a chunk padded with non-digits, it is counted as they are.
    let rest = chunks.remainder();
    let mut last = [0u8; 32];
    last[..rest.len()].copy_from_slice(rest);
    count + digits_in(&last)
}

/// `text.to_lowercase()`, with the Latin and Russian letters most link texts are made of
/// changed byte by byte, without the Unicode tables: every link of every page is lower-cased,
/// and the table lookup for each Cyrillic letter was 1.5% of a crawl (decoding and encoding
/// each letter as a `char` was another 1%). Any other letter hands the whole text to the
/// standard library, which knows them all (and Greek's final sigma).
pub fn lowercase(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&lead) = bytes.get(at) {
        if lead.is_ascii() {
            out.push(lead.to_ascii_lowercase());
            at += 1;
            continue;
        }
        let next = bytes.get(at + 1).copied().unwrap_or_default();
        match (lead, next) {
            // А–П (D0 90–9F) are а–п (D0 B0–BF); Р–Я (D0 A0–AF) are р–я (D1 80–8F).
            (0xD0, 0x90..=0x9F) => out.extend_from_slice(&[0xD0, next + 0x20]),
            (0xD0, 0xA0..=0xAF) => out.extend_from_slice(&[0xD1, next - 0x20]),
            // Ё, ё.
            (0xD0, 0x81) => out.extend_from_slice(&[0xD1, 0x91]),
            (0xD0, 0xB0..=0xBF) | (0xD1, 0x80..=0x8F | 0x91) => {
                out.extend_from_slice(&[lead, next]);
            }
            // U+0080–U+00BF (a no-break space, «», ©, °) hold no letter but ª, µ and º.
            (0xC2, _) if !matches!(next, 0xAA | 0xB5 | 0xBA) => {
                out.extend_from_slice(&[lead, next]);
            }
            // U+2000–U+203F (spaces, dashes, quotes, bullets, ‰) hold no letter.
            (0xE2, 0x80) => {
                out.extend_from_slice(&bytes[at..at + 3]);
                at += 3;
                continue;
            }
            _ => {
                let Some(c) = text[at..].chars().next() else {
                    break;
                };
                if c.is_alphabetic() {
                    return text.to_lowercase();
                }
                out.extend_from_slice(&bytes[at..at + c.len_utf8()]);
                at += c.len_utf8();
                continue;
            }
        }
        at += 2;
    }
    debug_assert!(std::str::from_utf8(&out).is_ok());
    // SAFETY: `out` is `text`, valid UTF-8, with whole characters copied or swapped for whole
    // characters; checking it again took a third of the time here, on Cyrillic text.
    unsafe { String::from_utf8_unchecked(out) }
}

/// Whether `text` has an ASCII digit: 32 bytes at a time, stopping at the first chunk with one.
pub fn has_ascii_digit(text: &str) -> bool {
    let mut chunks = text.as_bytes().chunks_exact(32);
    chunks.any(|chunk| chunk.iter().fold(false, |any, b| any | b.is_ascii_digit()))
        || chunks.remainder().iter().any(u8::is_ascii_digit)
}

/// Whether any of a few fixed words is in a text. A few short words: one prebuilt SIMD
/// substring searcher per word, faster than `str::contains` (no searcher built per call) and
/// than an Aho-Corasick automaton on Cyrillic text, where every other byte is a lead byte its
/// prefilter stops at (and its byte-by-byte search costs tens of instructions a byte). Many
/// words, or long ones: aho-corasick's packed (Teddy) searcher, all the words in one pass —
/// 27 street words searched one by one cost ~10,000 instructions a block of a sentence.
pub enum AnyOf {
    Each(Vec<memchr::memmem::Finder<'static>>),
    /// The words of [`FINGERPRINT`] bytes or more in one pass, and each shorter one by itself.
    AllAtOnce {
        long: aho_corasick::packed::Searcher,
        short: Vec<memchr::memmem::Finder<'static>>,
    },
}

/// The packed searcher picks candidates by the first bytes of every word, as many as the
/// shortest word has, up to four. One three-byte word («ш.», «Rd.») made those three bytes
/// — a Cyrillic letter and half the next — and nearly every position of a Russian text a
/// candidate to verify; such a word is searched by itself.
const FINGERPRINT: usize = 4;

/// More words than this, or none shorter than [`LONG_WORD`] bytes, are searched in one pass.
/// Measured on the benchmark's pages: four to five words of three to five bytes were faster
/// one by one.
const FEW_WORDS: usize = 4;
const LONG_WORD: usize = 8;

impl AnyOf {
    pub fn new(words: &[&'static str]) -> Self {
        let finders = |words: &[&'static str]| -> Vec<memchr::memmem::Finder<'static>> {
            words
                .iter()
                .map(|&word| memchr::memmem::Finder::new(word))
                .collect()
        };
        let shortest = words.iter().map(|w| w.len()).min().unwrap_or(0);
        let (long, short): (Vec<&'static str>, Vec<&'static str>) =
            words.iter().partition(|w| w.len() >= FINGERPRINT);
        let all_at_once = (words.len() > FEW_WORDS || shortest >= LONG_WORD)
            .then(|| {
                aho_corasick::packed::Config::new()
                    .builder()
                    .extend(&long)
                    .build()
            })
            .flatten();
        match all_at_once {
            Some(long) => Self::AllAtOnce {
                long,
                short: finders(&short),
            },
            None => Self::Each(finders(words)),
        }
    }

    pub fn is_in(&self, text: &str) -> bool {
        let any_of = |finders: &[memchr::memmem::Finder<'static>]| {
            finders.iter().any(|f| f.find(text.as_bytes()).is_some())
        };
        match self {
            Self::AllAtOnce { long, short } => long.find(text).is_some() || any_of(short),
            Self::Each(finders) => any_of(finders),
        }
    }
}

/// Text safe to print on a terminal: a site's control characters (ESC sequences that clear
/// the screen, set the title or write the clipboard, BEL, carriage returns that overwrite a
/// line, bidirectional overrides) are dropped. Line breaks, tabs and colour (SGR, `ESC [ … m`,
/// what our tables paint severities with) stay.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' {
            let sgr_len = rest[1..].strip_prefix('[').and_then(|params| {
                let end = params.find(|p: char| !(p.is_ascii_digit() || p == ';'))?;
                (params[end..].starts_with('m')).then_some(end + 3)
            });
            if let Some(len) = sgr_len {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        } else if !unsafe_char(c) {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod terminal_tests {
    use super::terminal_safe;

    #[test]
    fn a_sites_control_characters_never_reach_the_terminal() {
        let hostile = "info@example.com\u{1b}]52;c;ZXZpbA==\u{7}\r+7 \u{1b}[2J495\u{202e}moc";
        assert_eq!(
            terminal_safe(hostile),
            "info@example.com]52;c;ZXZpbA==+7 [2J495moc"
        );
        // Our own colours and layout stay.
        assert_eq!(
            terminal_safe("\u{1b}[31merror\u{1b}[0m\tx\n"),
            "\u{1b}[31merror\u{1b}[0m\tx\n"
        );
    }
}

#[cfg(test)]
mod digit_tests {
    use super::{ascii_digits, has_ascii_digit};

    #[test]
    fn digits_are_counted_in_and_across_chunks() {
        let long = format!("{}7{}", "ж".repeat(40), "x".repeat(33));
        for (text, count) in [
            ("", 0),
            ("no digits here, только буквы", 0),
            ("+7 (495) 123-45-67", 11),
            ("４１５ full-width are not ASCII", 0),
            (long.as_str(), 1),
        ] {
            assert_eq!(ascii_digits(text), count, "{text:?}");
            assert_eq!(has_ascii_digit(text), count > 0, "{text:?}");
        }
        let every_place: String = "0123456789".repeat(30);
        assert_eq!(ascii_digits(&every_place), 300);
        // Every length of a last, partial chunk, all of it digits.
        for length in 0..100 {
            assert_eq!(ascii_digits(&every_place[..length]), length, "{length}");
        }
        for at in 0..100 {
            let text = format!("{}5{}", "a".repeat(at), "b".repeat(99 - at));
            assert_eq!(ascii_digits(&text), 1, "{at}");
            assert!(has_ascii_digit(&text), "{at}");
        }
    }
}

#[cfg(test)]
mod lowercase_tests {
    use super::lowercase;

    #[test]
    fn lowercase_is_the_standard_one_for_every_code_point() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("Ab{c}Яё");
            assert_eq!(
                lowercase(&text),
                text.to_lowercase(),
                "U+{:04X}",
                u32::from(c)
            );
        }
        for text in ["ΟΔΟΣ", "Контакты — «Связь» №1", "STRAẞE", "İstanbul", ""]
        {
            assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
        }
    }
}

#[cfg(test)]
mod words_tests {
    use super::{RUN_STEP as STEP, next_run_break, next_run_break_bytewise, push_words};

    fn pushed(text: &str) -> String {
        let mut out = String::new();
        push_words(&mut out, text);
        out
    }

    #[test]
    fn words_are_joined_as_the_standard_library_splits_them() {
        let samples = [
            "",
            " ",
            "one",
            "  two  words  ",
            "\tтел.:\u{a0}+7\u{a0}495\u{2009}000-00-00\n",
            "a\u{85}b\u{1680}c\u{2000}d\u{200a}e\u{2028}f\u{2029}g\u{202f}h\u{205f}i\u{3000}j",
            // Not whitespace, with the same lead bytes: zero-width space, an en dash, «©».
            "a\u{200b}b\u{2013}c\u{a9}d\u{3001}e",
            "\u{b}\u{c}\r\u{1c}\u{1f}x",
            "Straße 5, 27404 Zeven ☎ 📞",
        ];
        for sample in samples {
            let standard: Vec<&str> = sample.split_whitespace().collect();
            assert_eq!(pushed(sample), standard.join(" "), "{sample:?}");
        }
        // Every blank a run of words can end at, at every place in a chunk and past it.
        for width in 0..2 * STEP + 2 {
            for blank in [
                " ",
                "  ",
                " \n",
                "\n ",
                "\t",
                "\u{a0}",
                " \u{a0} ",
                "\u{3000} ",
            ] {
                let sample = format!("{}слово{blank}word{blank}", "a".repeat(width));
                let standard: Vec<&str> = sample.split_whitespace().collect();
                assert_eq!(pushed(&sample), standard.join(" "), "{sample:?}");
            }
        }
        // Each code point at every place in a chunk, alone and doubled, and beside a space:
        // the chunked scan must stop where a byte at a time would.
        let letters = "a".repeat(STEP + 1);
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let prefix = &letters[..c as usize % (STEP + 2)];
            let sample = format!("{prefix}{c}Съешь же ещё{c}{c}этих мягких {c} булок{c}");
            let standard: Vec<&str> = sample.split_whitespace().collect();
            assert_eq!(pushed(&sample), standard.join(" "), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn the_vector_scan_stops_where_a_byte_at_a_time_does() {
        let bytes_tried = [
            b'a', b' ', b'\n', b'\t', 0x01, 0x1F, 0x7F, 0xC2, 0xD0, 0xE0, 0xE3, 0xE4,
        ];
        // Every pair of those bytes at every place of texts up to three steps long.
        for length in 0..3 * STEP + 2 {
            for &first in &bytes_tried {
                for &second in &bytes_tried {
                    for place in 0..length.saturating_sub(1).max(1) {
                        let mut text = vec![b'x'; length];
                        if let Some(b) = text.get_mut(place) {
                            *b = first;
                        }
                        if let Some(b) = text.get_mut(place + 1) {
                            *b = second;
                        }
                        for from in [0, place, place + 1] {
                            assert_eq!(
                                next_run_break(&text, from.min(length)),
                                next_run_break_bytewise(&text, from.min(length)),
                                "{text:?} from {from}"
                            );
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod any_of_tests {
    use super::AnyOf;

    /// Both ways of searching — one pass for many or long words (those shorter than the
    /// fingerprint beside it), one word at a time for a few short ones — answer what
    /// `str::contains` answers, at the start, the end, inside Cyrillic text, in texts shorter
    /// than a vector and in texts longer than several.
    #[test]
    fn every_word_set_finds_what_contains_finds() {
        let sets: [&[&'static str]; 4] = [
            &["ул.", "пр-т", "ш.", "наб", "проезд", "мкр", "Street"],
            &["um die Uhr", "UM DIE UHR"],
            &["dot", "точка", "at"],
            &["ш.", "St.", "Rd.", "Ln.", "Dr."],
        ];
        let long_text = "Доставка по городу, ".repeat(40);
        let texts = [
            String::new(),
            "ул.".to_string(),
            "г. Москва, Тверское ш. 5".to_string(),
            "мкр".to_string(),
            "Geöffnet um die Uhr".to_string(),
            "info dot example".to_string(),
            "12 Main St., Springfield".to_string(),
            "Ванная ремонт надежно цена № 1640".to_string(),
            format!("{long_text}проезд 3"),
            format!("{long_text}um die Uhr"),
            long_text.clone(),
        ];
        for words in sets {
            let any_of = AnyOf::new(words);
            for text in &texts {
                let expected = words.iter().any(|w| text.contains(w));
                assert_eq!(any_of.is_in(text), expected, "{words:?} in {text:?}");
            }
        }
    }
}

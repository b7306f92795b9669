//! Whether a block may hold an e-mail address written out to fool harvesters («info собака
//! example.ru», "info [at] example [dot] com"): the cheap look every block of every page gets
//! before the e-mail reader's costly disguise pattern runs.

use std::sync::LazyLock;

use super::cues::{Cue, Cues};

/// Whether a disguised address could be in `text`: «собака», or "at" with "dot", «точка» or a
/// bracket. The disguise pattern is costly and every block of every page passes here: SIMD
/// scans for the cues, with no lower-cased copy of the block.
pub(super) fn may_be_disguised(text: &str, cues: Cues) -> bool {
    let bytes = text.as_bytes();
    // No "a" in any case, no "at": most Cyrillic blocks end there.
    cues.has(Cue::DisguisedAt, text)
        || (says_at(bytes)
            && (memchr::memchr3(b'[', b'(', b'{', bytes).is_some()
                || memchr::memchr(b'<', bytes).is_some()
                || says_dot(bytes)))
}

/// Whether `bytes` hold "at", "At" or "AT". Every block of every page with an "a" is asked:
/// a look at the byte after each "a" costs a few instructions where a substring searcher per
/// word cost a hundred or more a block.
fn says_at(bytes: &[u8]) -> bool {
    memchr::memchr2_iter(b'a', b'A', bytes).any(|at| {
        matches!(
            (bytes[at], bytes.get(at + 1)),
            (b'a', Some(b't')) | (b'A', Some(b't' | b'T'))
        )
    })
}

/// Whether `bytes` hold "dot", "Dot", "DOT" or «точка», the same way.
fn says_dot(bytes: &[u8]) -> bool {
    static TOCHKA: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("точка"));
    memchr::memchr2_iter(b'd', b'D', bytes).any(|at| {
        matches!(
            (bytes[at], bytes.get(at + 1..at + 3)),
            (b'd', Some(b"ot")) | (b'D', Some(b"ot" | b"OT"))
        )
    }) || TOCHKA.find(bytes).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte looks for "at" and "dot" answer what a search for each spelling answers.
    #[test]
    fn at_and_dot_are_found_as_their_spellings_are() {
        let at = ["at", "At", "AT"];
        let dot = ["dot", "Dot", "DOT", "точка"];
        for text in [
            "",
            "a",
            "at",
            "aT",
            "At",
            "AT",
            "cat",
            "A",
            "d",
            "do",
            "dot",
            "dOt",
            "Dot",
            "DOT",
            "DoT",
            "точк",
            "точка",
            "info [at] example [dot] com",
            "Data Analyst",
            "Доставка по городу",
            "DA",
            "aaat",
            "ddot",
        ] {
            let bytes = text.as_bytes();
            assert_eq!(
                says_at(bytes),
                at.iter().any(|w| text.contains(w)),
                "{text}"
            );
            assert_eq!(
                says_dot(bytes),
                dot.iter().any(|w| text.contains(w)),
                "{text}"
            );
        }
    }
}

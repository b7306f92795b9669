//! Words a few extractors look for in every block before their patterns run, found with one
//! search over the whole page's text instead of one per block: a page has a few hundred
//! blocks, and a substring search's setup cost more than its scan on a block of a sentence.

use std::sync::LazyLock;

use super::digest::TextBlock;
use crate::text::AnyOf;

/// A word family an extractor needs before its pattern can match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    /// «собака»: an address with `@` written out in Russian.
    DisguisedAt,
    /// «круглосуточно»: hours stated without numbers.
    RoundTheClock,
    /// «Скайп»: a Skype name written out.
    SkypeCyrillic,
}

/// The words of each cue, by the cue's number.
const WORDS: [&[&str]; 3] = [
    &["собак", "Собак", "СОБАК"],
    &["руглосуточн", "РУГЛОСУТОЧН"],
    &["кайп", "КАЙП"],
];

/// A cue's words, searched in a block alone.
fn words(cue: Cue) -> &'static AnyOf {
    static EACH: LazyLock<[AnyOf; 3]> = LazyLock::new(|| WORDS.map(AnyOf::new));
    &EACH[cue as usize]
}

/// How the page-wide search finds a cue word: by its end, `part`, with the letters `before`
/// it checked where the part is found. The packed searcher picks its
/// candidates by a pattern's first four bytes, its first two Cyrillic letters; «ка», which
/// «кайп» starts with, is among the commonest pairs of Russian (~300 a page of the benchmark,
/// against ~20 for «со» and «ру»), and each candidate was verified in full. «йп» is rare.
struct Anchor {
    cue: Cue,
    /// What the searcher looks for.
    part: &'static str,
    /// The letters the word has before `part`.
    before: &'static str,
}

const fn anchor(cue: Cue, before: &'static str, part: &'static str) -> Anchor {
    Anchor { cue, part, before }
}

/// Every word of [`WORDS`], split where the page search anchors it.
const ANCHORS: [Anchor; 7] = [
    anchor(Cue::DisguisedAt, "", "собак"),
    anchor(Cue::DisguisedAt, "", "Собак"),
    anchor(Cue::DisguisedAt, "", "СОБАК"),
    anchor(Cue::RoundTheClock, "", "руглосуточн"),
    anchor(Cue::RoundTheClock, "", "РУГЛОСУТОЧН"),
    anchor(Cue::SkypeCyrillic, "ка", "йп"),
    anchor(Cue::SkypeCyrillic, "КА", "ЙП"),
];

/// Every cue word in one searcher, for the page-wide search: aho-corasick's packed (Teddy)
/// searcher reads the page once, where a SIMD searcher per word read it seven times, each
/// stopping at the Cyrillic lead bytes it took for rare.
fn page_search() -> &'static aho_corasick::packed::Searcher {
    static SEARCH: LazyLock<aho_corasick::packed::Searcher> = LazyLock::new(|| {
        let mut builder = aho_corasick::packed::Config::new().builder();
        for anchor in &ANCHORS {
            builder.add(anchor.part);
        }
        builder.build().expect("seven short words")
    });
    &SEARCH
}

/// Which cues a block's text holds, when the page's search has been made; a block built
/// elsewhere (a test, two blocks read as one) is searched when asked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cues {
    known: bool,
    found: u8,
    /// ASCII digits in the block, at most `u16::MAX`: the phone, address and hours
    /// extractors each ask first.
    digits: u16,
}

impl Cues {
    /// Whether `text`, the text these cues belong to, holds a word of `cue`.
    pub fn has(self, cue: Cue, text: &str) -> bool {
        if self.known {
            self.found & bit(cue) != 0
        } else {
            words(cue).is_in(text)
        }
    }

    /// How many ASCII digits `text` has (at most `u16::MAX` when counted for the page).
    pub fn digits(self, text: &str) -> usize {
        if self.known {
            usize::from(self.digits)
        } else {
            crate::text::ascii_digits(text)
        }
    }

    /// Whether `text` has an ASCII digit.
    pub fn has_digit(self, text: &str) -> bool {
        if self.known {
            self.digits > 0
        } else {
            crate::text::has_ascii_digit(text)
        }
    }

    /// Marks every block with the cues its text holds: one search of the page's text, the
    /// blocks joined, per word.
    pub fn mark(blocks: &mut [TextBlock]) {
        let total = blocks.iter().map(|b| b.text.len() + 1).sum();
        let mut joined = String::with_capacity(total);
        let mut starts = Vec::with_capacity(blocks.len());
        for block in blocks.iter_mut() {
            starts.push(joined.len());
            joined.push_str(&block.text);
            // No cue word holds a line break: none is found across two blocks.
            joined.push('\n');
            block.cues = Cues {
                known: true,
                found: 0,
                digits: u16::try_from(crate::text::ascii_digits(&block.text)).unwrap_or(u16::MAX),
            };
        }
        let mut from = 0;
        while let Some(found) =
            page_search().find_in(&joined, aho_corasick::Span::from(from..joined.len()))
        {
            let at = found.start();
            let anchor = &ANCHORS[found.pattern().as_usize()];
            // The letters before the part, in the same block: a line break joins the blocks.
            if joined.as_bytes()[..at].ends_with(anchor.before.as_bytes()) {
                let index = starts.partition_point(|&start| start <= at) - 1;
                blocks[index].cues.found |= bit(anchor.cue);
            }
            // From the next byte, not the match's end: a word starting inside this one counts.
            from = at + 1;
        }
    }
}

fn bit(cue: Cue) -> u8 {
    1 << cue as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Cue; 3] = [Cue::DisguisedAt, Cue::RoundTheClock, Cue::SkypeCyrillic];

    fn block(text: &str) -> TextBlock {
        TextBlock {
            text: text.to_string(),
            ..TextBlock::default()
        }
    }

    #[test]
    fn the_page_search_finds_what_a_search_of_each_block_finds() {
        let texts = [
            "Пишите: info (собака) example.ru",
            "Работаем КРУГЛОСУТОЧНО",
            "Скайп: example.shop, круглосуточно",
            "Нет ничего",
            "",
            "СОБАКА",
            // Two words sharing a letter: the second starts inside the first.
            "собакайп",
            // The anchor without its letters before it, and after a block that ends in them.
            "Хайп и ЙП",
            "Ска",
            "йп",
        ];
        let long = format!("{}Скайп", "Доставка по городу. ".repeat(30));
        let texts: Vec<&str> = texts.into_iter().chain([long.as_str()]).collect();
        let mut blocks: Vec<TextBlock> = texts.iter().map(|t| block(t)).collect();
        Cues::mark(&mut blocks);
        for (block, text) in blocks.iter().zip(&texts) {
            for cue in ALL {
                assert_eq!(
                    block.cues.has(cue, text),
                    Cues::default().has(cue, text),
                    "{cue:?} in {text:?}"
                );
            }
        }
        assert!(blocks[2].cues.has(Cue::SkypeCyrillic, texts[2]));
        assert!(blocks[2].cues.has(Cue::RoundTheClock, texts[2]));
        assert!(!blocks[3].cues.has(Cue::DisguisedAt, texts[3]));
        assert!(blocks[6].cues.has(Cue::DisguisedAt, texts[6]));
        assert!(blocks[6].cues.has(Cue::SkypeCyrillic, texts[6]));
        assert!(blocks[10].cues.has(Cue::SkypeCyrillic, texts[10]));
        for hype in 7..10 {
            assert!(!blocks[hype].cues.has(Cue::SkypeCyrillic, texts[hype]));
        }
        let numbers = ["+7 495 000-00-00", "no digits", "12"];
        let mut blocks: Vec<TextBlock> = numbers.iter().map(|t| block(t)).collect();
        Cues::mark(&mut blocks);
        for (block, text) in blocks.iter().zip(numbers) {
            assert_eq!(
                block.cues.digits(text),
                Cues::default().digits(text),
                "{text}"
            );
            assert_eq!(
                block.cues.has_digit(text),
                Cues::default().has_digit(text),
                "{text}"
            );
        }
        assert_eq!(blocks[0].cues.digits(numbers[0]), 11);
    }

    /// The page search's anchors spell the cue words, each word once: a word added to
    /// [`WORDS`] and not here would be found in a block searched alone and missed on a page.
    #[test]
    fn the_anchors_spell_every_cue_word() {
        let mut spelt: Vec<(Cue, String)> = ANCHORS
            .iter()
            .map(|a| (a.cue, format!("{}{}", a.before, a.part)))
            .collect();
        let mut words: Vec<(Cue, String)> = ALL
            .iter()
            .flat_map(|&cue| {
                WORDS[cue as usize]
                    .iter()
                    .map(move |w| (cue, w.to_string()))
            })
            .collect();
        let order = |pair: &(Cue, String)| (pair.0 as u8, pair.1.clone());
        spelt.sort_by_key(order);
        words.sort_by_key(order);
        assert_eq!(spelt, words);
    }
}

//! Phrases in Russian and English that the extractors and the crawler look for.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

/// Lower-cased words and phrases, as in `rules/phrases.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phrases {
    pub contact_link_words: Vec<String>,
    pub contact_link_weak_words: Vec<String>,
    pub callback_words: Vec<String>,
    pub phone_context_words: Vec<String>,
    pub not_phone_before: Vec<String>,
    pub not_phone_after: Vec<String>,
    pub messenger_words: MessengerWords,
    pub email_image_words: Vec<String>,
    pub toll_free_words: Vec<String>,
    pub auto_reply_phrases: Vec<String>,
    pub confirmation_phrases: Vec<String>,
    pub error_phrases: Vec<String>,
    pub captcha_challenge_phrases: Vec<String>,
    /// Words before a contact point, or over its section, that make it another party's.
    pub third_party_words: Vec<String>,
    /// Words that give the points after them back to the company.
    pub own_party_words: Vec<String>,
    /// Matchers for the lists searched for their last occurrence in a window of text, built on
    /// first use: a page has many numbers, and a list of a hundred words searched one by one
    /// before each showed in profiles.
    #[serde(skip)]
    matchers: WordMatchers,
}

#[derive(Debug, Default)]
struct WordMatchers {
    not_phone_before: OnceLock<AhoCorasick>,
    phone_context: OnceLock<AhoCorasick>,
    third_party: OnceLock<AhoCorasick>,
    own_party: OnceLock<AhoCorasick>,
}

/// A list of [`Phrases`] searched by [`Phrases::last_of`].
#[derive(Debug, Clone, Copy)]
pub enum WordList {
    NotPhoneBefore,
    PhoneContext,
    ThirdParty,
    OwnParty,
}

/// Names of messengers as people write them in text, and as icons name them in class names
/// and file names (`fa-facebook`, `icons/vk.svg`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessengerWords {
    pub whatsapp: Vec<String>,
    pub viber: Vec<String>,
    pub telegram: Vec<String>,
    pub skype: Vec<String>,
    #[serde(default)]
    pub vk: Vec<String>,
    #[serde(default)]
    pub ok: Vec<String>,
    #[serde(default)]
    pub facebook: Vec<String>,
    #[serde(default)]
    pub instagram: Vec<String>,
    /// Whole words of an icon's class or file name, per kind: `whatsapp`, `vk`, `facebook`…
    #[serde(default)]
    pub icons: std::collections::BTreeMap<String, Vec<String>>,
    /// Whole words of the file name of an icon's picture, per kind: `ok`, `tg`, `wa`…
    #[serde(default)]
    pub icon_files: std::collections::BTreeMap<String, Vec<String>>,
}

impl Phrases {
    /// The last word of `list` in `lower` (already lower-cased), as where it ends and the
    /// word; of words ending at the same place, the longest ("website by", not "site by").
    pub fn last_of(&self, list: WordList, lower: &str) -> Option<(usize, &str)> {
        let (words, cell) = match list {
            WordList::NotPhoneBefore => (&self.not_phone_before, &self.matchers.not_phone_before),
            WordList::PhoneContext => (&self.phone_context_words, &self.matchers.phone_context),
            WordList::ThirdParty => (&self.third_party_words, &self.matchers.third_party),
            WordList::OwnParty => (&self.own_party_words, &self.matchers.own_party),
        };
        let matcher = cell.get_or_init(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(words)
                .expect("phrases compile")
        });
        matcher
            .find_overlapping_iter(lower)
            .map(|m| (m.end(), words[m.pattern().as_usize()].as_str()))
            .max_by_key(|(end, word)| (*end, word.len()))
    }

    pub(super) fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }
}

/// True when `haystack` (already lower-cased) contains any of `words`.
pub fn contains_any(haystack: &str, words: &[String]) -> bool {
    words.iter().any(|w| haystack.contains(w.as_str()))
}

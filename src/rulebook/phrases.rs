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
    /// What a form is for, read from its title, button and text.
    pub form_words: FormWords,
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
    callback: OnceLock<AhoCorasick>,
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
    /// Every name of `icons` and `icon_files`, searched for at once, built on first use.
    #[serde(skip)]
    icon_names: OnceLock<Option<aho_corasick::packed::Searcher>>,
}

impl MessengerWords {
    /// Whether an icon's hint (its classes, its picture's address) holds one of the icon names
    /// anywhere: only then can a whole word of it be one. Links that lead nowhere else (a
    /// logo, «Главная») are asked, and splitting their hints into words, decoding each
    /// character, cost thousands of instructions a link for nothing.
    pub fn may_name_an_icon(&self, hint: &str) -> bool {
        self.icon_names
            .get_or_init(|| {
                let names = self
                    .icons
                    .values()
                    .chain(self.icon_files.values())
                    .flatten();
                aho_corasick::packed::Config::new()
                    .builder()
                    .extend(names)
                    .build()
            })
            .as_ref()
            // No names, or no searcher for them on this machine: every hint is read whole.
            .is_none_or(|names| names.find(hint).is_some())
    }
}

/// Words that say what a form is for; see `[form_words]` in `rules/phrases.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormWords {
    pub login: Vec<String>,
    pub comment: Vec<String>,
    pub booking: Vec<String>,
    pub callback: Vec<String>,
    pub other: Vec<String>,
    pub order: Vec<String>,
    pub subscribe: Vec<String>,
    pub callback_soft: Vec<String>,
    pub contact: Vec<String>,
    pub marks: FormMarks,
    pub fields: FieldWords,
}

/// Whole words of a form's id, classes and action.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormMarks {
    pub callback: Vec<String>,
    pub search: Vec<String>,
    pub subscribe: Vec<String>,
    pub login: Vec<String>,
    pub comment: Vec<String>,
    pub quiz: Vec<String>,
    pub booking: Vec<String>,
}

/// What a field asks for, from its name and label.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldWords {
    pub message: Vec<String>,
    pub date: Vec<String>,
    pub birth: Vec<String>,
    pub service: Vec<String>,
    pub payment: Vec<String>,
    pub next_step: Vec<String>,
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

    /// Whether `lower` (already lower-cased) names a callback: the text of every link and
    /// button of every page is asked. One automaton, without a prefilter: the texts are short,
    /// where a prefilter's set-up costs more than it skips, and a search a word (ten words)
    /// built a substring searcher for each.
    pub fn names_callback(&self, lower: &str) -> bool {
        self.matchers
            .callback
            .get_or_init(|| {
                AhoCorasick::builder()
                    .prefilter(false)
                    .build(&self.callback_words)
                    .expect("phrases compile")
            })
            .is_match(lower)
    }

    pub(super) fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }
}

/// True when `haystack` (already lower-cased) contains any of `words`.
pub fn contains_any(haystack: &str, words: &[String]) -> bool {
    words.iter().any(|w| haystack.contains(w.as_str()))
}

/// True when one of `words` stands as a whole word in `haystack` (already lower-cased):
/// "date" in «Event date», not in «Datenschutz».
pub fn whole_word_any(haystack: &str, words: &[String]) -> bool {
    words.iter().any(|w| {
        haystack.match_indices(w.as_str()).any(|(at, _)| {
            let before = haystack[..at].chars().next_back();
            let after = haystack[at + w.len()..].chars().next();
            before.is_none_or(|c| !c.is_alphanumeric())
                && after.is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

/// True when one of `words` starts a word of `haystack` (already lower-cased): at its start or
/// after a character that is not a letter or digit, so stems match ("записаться на") but not
/// the inside of another word ("termin" in "determine").
pub fn starts_word_any<W: AsRef<str>>(haystack: &str, words: &[W]) -> bool {
    words.iter().map(AsRef::as_ref).any(|w| {
        haystack.match_indices(w).any(|(at, _)| {
            haystack[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::contains_any;
    use crate::rulebook::BUILTIN;

    #[test]
    fn a_callback_is_named_where_any_callback_word_stands() {
        let phrases = &BUILTIN.phrases;
        for text in [
            "заказать обратный звонок",
            "перезвоните мне",
            "request a callback",
            "",
            "каталог",
            "call us",
        ] {
            assert_eq!(
                phrases.names_callback(text),
                contains_any(text, &phrases.callback_words),
                "{text}"
            );
        }
        assert!(phrases.names_callback("нажмите: перезвоните!"));
        assert!(!phrases.names_callback("позвоните нам"));
    }

    /// A hint that holds an icon name somewhere passes; one that holds none is ruled out
    /// before it is split into words. Every name of both tables passes.
    #[test]
    fn only_a_hint_with_an_icon_name_in_it_is_read() {
        let words = &BUILTIN.phrases.messenger_words;
        let names = words
            .icons
            .values()
            .chain(words.icon_files.values())
            .flatten();
        for name in names {
            assert!(
                words.may_name_an_icon(&format!("btn icon-{name} /img/x.png")),
                "{name}"
            );
        }
        for hint in [
            "fa fa-whatsapp",
            "/static/icons/tg.svg",
            "social-link vkontakte",
        ] {
            assert!(words.may_name_an_icon(hint), "{hint}");
        }
        for hint in ["logo /static/logo.svg", "ООО «Пример» главная", ""] {
            assert!(!words.may_name_an_icon(hint), "{hint}");
        }
    }
}

//! The data in `rules/`, embedded in the binary and compiled once at start.
//!
//! Extractors take what they need from here instead of hard-coding vendor names and phrases,
//! so supporting a new chat widget or a new Russian wording is a data change.

pub mod catalogue;
pub mod phrases;
mod signatures;

pub use catalogue::{Catalogue, Rule, Severity, Text};
pub use phrases::{MessengerWords, Phrases};
pub use signatures::{CaptchaSignature, Evidence, Signatures, WidgetKind, WidgetSignature};

use std::sync::LazyLock;

/// Everything the extractors know, compiled.
#[derive(Debug)]
pub struct Rulebook {
    pub phrases: Phrases,
    pub signatures: Signatures,
}

const PHRASES_TOML: &str = include_str!("../../rules/phrases.toml");
const SIGNATURES_TOML: &str = include_str!("../../rules/signatures.toml");

/// The embedded rulebook. The files are part of the binary and covered by tests, so a parse
/// failure here is a build defect, not a user error.
pub static BUILTIN: LazyLock<Rulebook> = LazyLock::new(|| {
    Rulebook::from_toml(PHRASES_TOML, SIGNATURES_TOML).expect("embedded rules/ must load")
});

/// A rules file that could not be read as expected.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct RulebookError {
    pub file: String,
    pub message: String,
}

impl Rulebook {
    /// Compiles the rulebook from the text of `phrases.toml` and `signatures.toml`.
    ///
    /// # Errors
    /// A file that does not parse, or has a key this version does not know, names the file
    /// and the key.
    pub fn from_toml(phrases: &str, signatures: &str) -> Result<Self, RulebookError> {
        let phrases = Phrases::from_toml(phrases).map_err(|message| RulebookError {
            file: "rules/phrases.toml".into(),
            message,
        })?;
        let signatures = Signatures::from_toml(signatures).map_err(|message| RulebookError {
            file: "rules/signatures.toml".into(),
            message,
        })?;
        Ok(Self {
            phrases,
            signatures,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rules_load_and_cover_twenty_chat_and_callback_products() {
        let book = &*BUILTIN;
        let contact_products = book
            .signatures
            .widgets
            .iter()
            .filter(|w| {
                matches!(
                    w.kind,
                    WidgetKind::Chat
                        | WidgetKind::Callback
                        | WidgetKind::MultiMessenger
                        | WidgetKind::SocialWidget
                )
            })
            .count();
        assert!(contact_products >= 20, "only {contact_products} products");
        assert!(!book.phrases.contact_link_words.is_empty());
    }

    #[test]
    fn unknown_key_is_an_error_naming_the_key() {
        let err = Rulebook::from_toml("contact_link_wordz = []", SIGNATURES_TOML).unwrap_err();
        assert!(err.to_string().contains("contact_link_wordz"), "{err}");
        assert!(err.to_string().contains("phrases.toml"), "{err}");
    }
}

//! The data in `rules/`, embedded in the binary and compiled once at start.
//!
//! Extractors take what they need from here instead of hard-coding vendor names and phrases,
//! so supporting a new chat widget or a new Russian wording is a data change.

pub mod catalogue;
pub mod phrases;
pub mod promise;
mod signatures;

pub use catalogue::{Catalogue, DEFAULT_FAIL_ON, FailOn, Rule, Severity, Text};
pub use phrases::{MessengerWords, Phrases};
pub use signatures::{CallTracking, CaptchaSignature, FormBackend, Signatures, WidgetSignature};

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

impl Rulebook {
    /// Ours with `dir/phrases.toml` and `dir/signatures.toml` laid over, each when present: a
    /// phrases key given replaces our list; a widget or captcha with one of our ids replaces
    /// ours, a new id is added.
    ///
    /// # Errors
    /// A file that cannot be read or parsed, or that breaks the rulebook, named.
    pub fn with_overrides(dir: &std::path::Path) -> Result<Self, RulebookError> {
        let phrases_file = dir.join("phrases.toml");
        let signatures_file = dir.join("signatures.toml");
        let phrases = overlay(PHRASES_TOML, &phrases_file)?;
        let signatures = overlay(SIGNATURES_TOML, &signatures_file)?;
        let named = |file: &std::path::Path, message: String| RulebookError {
            file: file.display().to_string(),
            message,
        };
        Ok(Self {
            phrases: Phrases::from_toml(&phrases).map_err(|m| named(&phrases_file, m))?,
            signatures: Signatures::from_toml(&signatures)
                .map_err(|m| named(&signatures_file, m))?,
        })
    }
}

/// Our TOML text with the file's tables laid over it (see `with_overrides`); ours alone when
/// there is no such file.
fn overlay(ours: &str, file: &std::path::Path) -> Result<String, RulebookError> {
    let error = |message: String| RulebookError {
        file: file.display().to_string(),
        message,
    };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ours.to_string()),
        Err(e) => return Err(error(e.to_string())),
    };
    let mut base: toml::Table = toml::from_str(ours).map_err(|e| error(e.to_string()))?;
    let theirs: toml::Table = toml::from_str(&text).map_err(|e| error(e.to_string()))?;
    let id_of = |v: &toml::Value| {
        v.get("id")
            .and_then(toml::Value::as_str)
            .map(str::to_string)
    };
    for (key, value) in theirs {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Array(list)), toml::Value::Array(extra))
                if list.iter().all(|v| id_of(v).is_some()) =>
            {
                for entry in extra {
                    match list
                        .iter()
                        .position(|v| id_of(v).is_some() && id_of(v) == id_of(&entry))
                    {
                        Some(i) => list[i] = entry,
                        None => list.push(entry),
                    }
                }
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
    toml::to_string(&base).map_err(|e| error(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::contact::WidgetKind;

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

//! The rule catalogue in `rules/catalogue.toml`: ids, severities, texts in two languages,
//! thresholds and examples. Loaded strictly: an unknown key is an error that names the file
//! and the key, and a rule no check implements is an error too.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::RulebookError;
use crate::lang::Lang;

/// How bad a finding is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Notice,
    Warning,
    Error,
}

/// The least severe finding that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Notice,
    Never,
}

impl FailOn {
    /// As `--fail-on` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Notice => "notice",
            Self::Never => "never",
        }
    }

    /// Whether a finding of this severity fails the run.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            Self::Error => severity >= Severity::Error,
            Self::Warning => severity >= Severity::Warning,
            Self::Notice => true,
            Self::Never => false,
        }
    }
}

/// The severity that fails a run unless told otherwise (`--fail-on`).
pub const DEFAULT_FAIL_ON: FailOn = FailOn::Error;

/// A text in both languages.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub ru: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ru => &self.ru,
        }
    }

    /// The text with its `{form}` placeholder (a title that names the form's purpose) filled
    /// with `form`'s name, or with the word for any form when there is none.
    pub fn with_form(&self, lang: Lang, form: Option<&str>) -> String {
        let text = self.get(lang);
        if !text.contains("{form}") {
            return text.to_string();
        }
        text.replace("{form}", form.unwrap_or(lang.pick("form", "форма")))
    }
}

/// One page of an example site.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamplePage {
    pub path: String,
    pub html: String,
    /// The page as a browser builds it (`--render`), for rules that compare the two.
    #[serde(default)]
    pub rendered: Option<String>,
}

/// HTML where the rule must fire, or must stay silent.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub fires: bool,
    #[serde(default)]
    pub html: Option<String>,
    #[serde(default)]
    pub pages: Vec<ExamplePage>,
    /// The lone `html` page as a browser builds it (`--render`).
    #[serde(default)]
    pub rendered: Option<String>,
    /// For the rendered home page: requests that failed while it loaded, `[url, what]`.
    #[serde(default)]
    pub failed_requests: Vec<(String, String)>,
    /// For the rendered home page: errors its scripts threw, `[script url, message]`.
    #[serde(default)]
    pub script_errors: Vec<(String, String)>,
    /// What the home page showed on a phone's screen (its `page` is filled in).
    #[serde(default)]
    pub phone_screen: Option<crate::types::render::PhoneScreen>,
    /// What URLs answer when asked, for rules that judge answers (path → HTTP status);
    /// the real asking is tested against real servers, the examples state the outcome.
    #[serde(default)]
    pub http: BTreeMap<String, u16>,
    /// Paths that do not answer at all (connection refused, DNS failure).
    #[serde(default)]
    pub http_unreachable: Vec<String>,
    /// What DNS says of e-mail domains: `accepts-mail`, `no-mail` or `unknown` (no answer).
    #[serde(default)]
    pub mail_domains: BTreeMap<String, crate::types::facts::MailStatus>,
    /// For live rules: what a probe showed (its answer, the messages that came back, how
    /// long we waited).
    #[serde(default)]
    pub probe: Option<crate::types::probe::ProbeFacts>,
    /// For baseline rules: the lock file's lines the example's site and probe are compared
    /// with.
    #[serde(default)]
    pub baseline: Option<String>,
}

impl Example {
    /// The example as pages: a lone `html` is the home page.
    pub fn pages(&self) -> Vec<ExamplePage> {
        let mut pages = self.pages.clone();
        if let Some(html) = &self.html {
            pages.insert(
                0,
                ExamplePage {
                    path: "/".into(),
                    html: html.clone(),
                    rendered: self.rendered.clone(),
                },
            );
        }
        pages
    }
}

/// A rule as the catalogue describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub severity: Severity,
    pub category: String,
    pub title: Text,
    pub why: Text,
    pub fix: Text,
    /// A finding of this rule means its contact point does not work (the door is broken),
    /// not merely that it could work better.
    #[serde(default)]
    pub breaks: bool,
    #[serde(default)]
    pub thresholds: BTreeMap<String, f64>,
    #[serde(default, rename = "example")]
    pub examples: Vec<Example>,
}

impl Rule {
    /// A threshold by name; the catalogue guarantees the ones a check reads exist.
    pub fn threshold(&self, name: &str) -> f64 {
        self.thresholds.get(name).copied().unwrap_or(f64::INFINITY)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    #[serde(default)]
    rule: Vec<Rule>,
}

/// The rules, in catalogue order.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub rules: Vec<Rule>,
}

const CATALOGUE_TOML: &str = include_str!("../../rules/catalogue.toml");

fn is_valid_id(id: &str) -> bool {
    id.contains('.')
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

impl Catalogue {
    /// The catalogue embedded in the binary.
    pub fn builtin() -> Self {
        Self::parse(CATALOGUE_TOML, "rules/catalogue.toml", &|_| true)
            .expect("the embedded catalogue loads")
    }

    /// Parses a catalogue file. `has_check` says whether code implements a rule id.
    ///
    /// # Errors
    /// Unknown keys, malformed ids, duplicate ids, rules no check implements.
    pub fn parse(
        text: &str,
        file: &str,
        has_check: &dyn Fn(&str) -> bool,
    ) -> Result<Self, RulebookError> {
        let error = |message: String| RulebookError {
            file: file.to_string(),
            message,
        };
        let raw: RawCatalogue = toml::from_str(text).map_err(|e| error(e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for rule in &raw.rule {
            if !is_valid_id(&rule.id) {
                return Err(error(format!(
                    "rule id {:?} must be dotted lower-case, like phone.no-country-code",
                    rule.id
                )));
            }
            if !seen.insert(rule.id.clone()) {
                return Err(error(format!("rule {} appears twice", rule.id)));
            }
            if !has_check(&rule.id) {
                return Err(error(format!(
                    "rule {}: no check implements it (a catalogue may change texts, severities and thresholds of known rules)",
                    rule.id
                )));
            }
        }
        Ok(Self { rules: raw.rule })
    }

    /// This catalogue with the rules of `dir/catalogue.toml` added or replacing ours by id.
    ///
    /// # Errors
    /// The file cannot be read or does not load.
    pub fn with_overrides(
        mut self,
        dir: &Path,
        has_check: &dyn Fn(&str) -> bool,
    ) -> Result<Self, RulebookError> {
        let path = dir.join("catalogue.toml");
        if !dir.is_dir() {
            return Err(RulebookError {
                file: dir.display().to_string(),
                message: "not a folder".into(),
            });
        }
        // A folder may hold only phrases.toml or signatures.toml: then our catalogue stands.
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(self),
            Err(e) => {
                return Err(RulebookError {
                    file: path.display().to_string(),
                    message: e.to_string(),
                });
            }
        };
        let extra = Self::parse(&text, &path.display().to_string(), has_check)?;
        for rule in extra.rules {
            match self.rules.iter_mut().find(|r| r.id == rule.id) {
                Some(existing) => *existing = rule,
                None => self.rules.push(rule),
            }
        }
        Ok(self)
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

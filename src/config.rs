//! `doorbell.toml`: the settings a team commits next to its site. Every table is read
//! strictly — an unknown key is an error that names it — and a flag on the command line wins
//! over the file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::checks::RuleChoices;
use crate::cli::{CrawlArgs, DEFAULT_CONFIG_FILE};
use crate::error::UsageError;
use crate::lang::Lang;
use crate::report::Format;
use crate::rulebook::FailOn;
use crate::rulebook::{Catalogue, Severity};

/// The starter file `doorbell init` writes; also `examples/doorbell.toml`.
pub const STARTER: &str = include_str!("../examples/doorbell.toml");

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The site to audit when no URL is given on the command line.
    pub site: Option<String>,
    #[serde(default)]
    pub crawl: CrawlArgs,
    #[serde(default)]
    pub render: crate::cli::RenderArgs,
    #[serde(default)]
    pub report: ReportConfig,
    #[serde(default)]
    pub rules: RulesConfig,
    #[serde(default)]
    pub probe: crate::probe::settings::ProbeConfig,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    pub format: Option<Format>,
    pub lang: Option<Lang>,
    pub fail_on: Option<FailOn>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// A folder with a catalogue.toml that adds or overrides rules.
    pub dir: Option<PathBuf>,
    /// The lock file to compare each run with (`--baseline`).
    pub baseline: Option<PathBuf>,
    /// Rule ids that do not run.
    #[serde(default)]
    pub disabled: Vec<String>,
    /// Rule id → severity.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Rule id → threshold name → value.
    #[serde(default)]
    pub thresholds: BTreeMap<String, BTreeMap<String, f64>>,
}

impl ConfigFile {
    /// The language of reports and messages: the flag, else `[report] lang`, else the
    /// locale. Every command asks here, so each honours the same setting.
    pub fn lang(&self, flag: Option<Lang>) -> Lang {
        flag.or(self.report.lang).unwrap_or_else(Lang::from_env)
    }
}

/// Reads a config file.
///
/// # Errors
/// The file cannot be read, is not TOML, or has a key we do not know; the message names the
/// file and the key.
pub fn load(path: &Path) -> Result<ConfigFile, UsageError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| UsageError(format!("cannot read {}: {e}", path.display())))?;
    parse(&text, &path.display().to_string())
}

/// Parses the text of a config file; `name` is used in errors.
///
/// # Errors
/// Not TOML, or a key we do not know.
pub fn parse(text: &str, name: &str) -> Result<ConfigFile, UsageError> {
    toml::from_str(text).map_err(|e| UsageError(format!("{name}: {e}")))
}

/// The config file to use: the one named, else `./doorbell.toml` when it exists.
///
/// # Errors
/// A named file that cannot be read or parsed.
pub fn find(named: Option<&Path>) -> Result<ConfigFile, UsageError> {
    match named {
        Some(path) => load(path),
        None => {
            let default = Path::new(DEFAULT_CONFIG_FILE);
            if default.exists() {
                load(default)
            } else {
                Ok(ConfigFile::default())
            }
        }
    }
}

impl RulesConfig {
    /// Applies the thresholds to the catalogue and returns which rules run at which
    /// severity.
    ///
    /// # Errors
    /// A rule id or threshold name the catalogue does not have: a typo would otherwise
    /// silently change nothing.
    pub fn apply(&self, catalogue: &mut Catalogue) -> Result<RuleChoices, UsageError> {
        let known = |id: &str| catalogue.get(id).is_some();
        let ids = self
            .disabled
            .iter()
            .chain(self.severity.keys())
            .chain(self.thresholds.keys());
        for id in ids {
            if !known(id) {
                return Err(UsageError(format!(
                    "[rules]: no rule {id:?}; `doorbell rules` lists them"
                )));
            }
        }
        for (id, values) in &self.thresholds {
            let rule = catalogue
                .rules
                .iter_mut()
                .find(|r| &r.id == id)
                .expect("checked above");
            for (name, value) in values {
                if !rule.thresholds.contains_key(name) {
                    let names: Vec<&String> = rule.thresholds.keys().collect();
                    return Err(UsageError(format!(
                        "[rules.thresholds.{id:?}]: no threshold {name:?}; it has {names:?}"
                    )));
                }
                rule.thresholds.insert(name.clone(), *value);
            }
        }
        Ok(RuleChoices {
            disabled: self.disabled.iter().cloned().collect::<BTreeSet<_>>(),
            severities: self.severity.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_file_loads_and_means_the_defaults() {
        let config = parse(STARTER, "examples/doorbell.toml").unwrap();
        let mut catalogue = Catalogue::builtin();
        let choices = config.rules.apply(&mut catalogue).unwrap();
        assert!(choices.disabled.is_empty());
        assert!(config.crawl.max_pages.is_none());
    }

    #[test]
    fn the_starter_files_commented_probe_values_are_the_defaults() {
        // What a user gets by uncommenting the values the starter shows must be what they
        // get by leaving them out.
        let shown = ["forms", "max_messages", "delay", "poll", "deadlines"];
        let mut in_probe = false;
        let mut uncommented = String::new();
        for line in STARTER.lines() {
            if line.starts_with('[') {
                in_probe = line == "[probe]";
            }
            let value = line
                .strip_prefix("# ")
                .filter(|l| in_probe && shown.iter().any(|k| l.starts_with(&format!("{k} ="))));
            uncommented.push_str(value.unwrap_or(line));
            uncommented.push('\n');
        }
        let needed = "mailbox = \"maildir:/tmp/m\"\npersona = { phone = \"+7 900 000-00-00\", email = \"t@example.org\" }\n";
        let with_values = parse(
            &uncommented.replace("[probe]\n", &format!("[probe]\n{needed}")),
            "starter",
        )
        .unwrap()
        .probe
        .resolve("shop.example.com")
        .unwrap();
        let bare = parse(&format!("[probe]\n{needed}"), "bare")
            .unwrap()
            .probe
            .resolve("shop.example.com")
            .unwrap();
        assert_eq!(with_values.forms, bare.forms);
        assert_eq!(with_values.max_messages, bare.max_messages);
        assert_eq!(with_values.delay, bare.delay);
        assert_eq!(with_values.poll, bare.poll);
        assert_eq!(with_values.form_deadlines, bare.form_deadlines);
        assert_eq!(with_values.email_deadlines, bare.email_deadlines);
        assert_eq!(
            bare.max_messages,
            crate::probe::settings::DEFAULT_MAX_MESSAGES
        );
        assert_eq!(bare.poll, crate::probe::settings::DEFAULT_POLL);
    }

    #[test]
    fn unknown_keys_and_rules_are_named() {
        let err = parse("[crawl]\nmax_pagez = 3\n", "doorbell.toml").unwrap_err();
        assert!(
            err.0.contains("max_pagez") && err.0.contains("doorbell.toml"),
            "{}",
            err.0
        );
        let config = parse("[rules]\ndisabled = [\"phone.no-such\"]\n", "doorbell.toml").unwrap();
        let err = config.rules.apply(&mut Catalogue::builtin()).unwrap_err();
        assert!(err.0.contains("phone.no-such"));
        let config = parse(
            "[rules.thresholds.\"form.too-many-fields\"]\nmax_fieldz = 2\n",
            "doorbell.toml",
        )
        .unwrap();
        let err = config.rules.apply(&mut Catalogue::builtin()).unwrap_err();
        assert!(
            err.0.contains("max_fieldz") && err.0.contains("max_callback_fields"),
            "{}",
            err.0
        );
    }

    #[test]
    fn thresholds_severities_and_crawl_settings_are_read() {
        let config = parse(
            r#"site = "https://shop.example.com"
[crawl]
max_pages = 50
max_body = "1MB"
allow_hosts = ["shop2.example.com"]
[report]
lang = "ru"
fail_on = "warning"
[rules]
disabled = ["email.too-long"]
severity = { "form.captcha" = "notice" }
thresholds = { "form.too-many-fields" = { max_callback_fields = 4 } }
"#,
            "doorbell.toml",
        )
        .unwrap();
        assert_eq!(config.crawl.max_pages, Some(50));
        assert_eq!(config.crawl.max_body, Some(1024 * 1024));
        assert_eq!(config.report.fail_on, Some(FailOn::Warning));
        let mut catalogue = Catalogue::builtin();
        let choices = config.rules.apply(&mut catalogue).unwrap();
        assert!(choices.disabled.contains("email.too-long"));
        assert_eq!(choices.severities["form.captcha"], Severity::Notice);
        let rule = catalogue.get("form.too-many-fields").unwrap();
        assert!((rule.threshold("max_callback_fields") - 4.0).abs() < f64::EPSILON);
        // A flag wins over the file.
        let cli = CrawlArgs {
            max_pages: Some(7),
            ..CrawlArgs::default()
        };
        let merged = cli.over(&config.crawl);
        assert_eq!(merged.max_pages, Some(7));
        assert_eq!(merged.max_body, Some(1024 * 1024));
    }

    #[test]
    fn the_render_table_is_read_strictly_and_flags_win() {
        use crate::types::render::RenderMode;
        let config = parse(
            "[render]\nmode = \"auto\"\nconcurrency = 3\nbudget = 20\n",
            "doorbell.toml",
        )
        .unwrap();
        let settings = config.render.clone().settings().unwrap();
        assert_eq!(settings.mode, RenderMode::Auto);
        assert_eq!(settings.concurrency, 3);
        assert_eq!(settings.page_budget.as_secs(), 20);
        let flag = crate::cli::RenderArgs {
            mode: Some(RenderMode::Always),
            ..crate::cli::RenderArgs::default()
        };
        let merged = flag.over(&config.render).settings().unwrap();
        assert_eq!((merged.mode, merged.concurrency), (RenderMode::Always, 3));
        let err = parse("[render]\nmodes = \"auto\"\n", "doorbell.toml").unwrap_err();
        assert!(err.0.contains("modes"), "{}", err.0);
        let zero = parse("[render]\nconcurrency = 0\n", "doorbell.toml").unwrap();
        assert!(zero.render.settings().is_err());
    }
}

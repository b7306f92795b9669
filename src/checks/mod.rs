//! Checks: the static rules of the catalogue applied to the inventory. Pure functions of the
//! inventory — no I/O, no HTML — each returning hits that become findings. A finding carries
//! data and the rule's texts in both languages; the report picks the language.

pub mod baseline;
mod corrected;
mod coverage;
mod email;
mod form;
pub mod live;
mod messenger;
mod mobile;
mod phone;
pub mod score;
mod widget;

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::inventory::Inventory;
use crate::rulebook::{Catalogue, Rule, Severity, Text};
use crate::types::contact::DoorKind;
use crate::types::probe::ProbeFacts;

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A contact point as the site shows it: a number, an address, a link, a form's action,
    /// a probe's target. Never translated.
    Site(String),
    /// The kinds of channel the site lacks, as the score names them (`phone`, `written`,
    /// `instant`); the report words them in its language.
    MissingChannels(Vec<&'static str>),
    /// Something looked for and not found in the pages read — said with how many were read,
    /// since a page outside the budget may hold it.
    NotFoundIn(usize),
}

impl Subject {
    /// The contact point, when the subject is one.
    pub fn site(&self) -> Option<&str> {
        match self {
            Self::Site(text) => Some(text),
            Self::MissingChannels(_) | Self::NotFoundIn(_) => None,
        }
    }
}

impl From<String> for Subject {
    fn from(text: String) -> Self {
        Self::Site(text)
    }
}

impl From<&str> for Subject {
    fn from(text: &str) -> Self {
        Self::Site(text.to_string())
    }
}

/// One thing a rule found wrong: what, shown how, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub subject: Subject,
    /// The kind of door the subject is, when it is one (a site-wide finding is about none).
    pub door: Option<DoorKind>,
    /// The text, href or a short excerpt that shows the problem.
    pub evidence: String,
    pub urls: Vec<String>,
    /// The contact point corrected, from the site's own values (`<a href="tel:+7…">…</a>`).
    pub corrected: Option<String>,
    /// More severe than the rule's default for this case (a replacement that shows nothing):
    /// used unless the user chose the rule's severity.
    pub escalated: Option<Severity>,
}

impl Hit {
    /// The same hit, with the corrected form of its contact point when one could be built.
    #[must_use]
    pub fn corrected(mut self, corrected: Option<String>) -> Self {
        self.corrected = corrected;
        self
    }

    /// The same hit, at least this severe unless the user chose the rule's severity.
    #[must_use]
    pub fn escalated(mut self, severity: Severity) -> Self {
        self.escalated = Some(severity);
        self
    }

    /// The same hit, about a contact point behind `door`.
    #[must_use]
    pub fn at(mut self, door: DoorKind) -> Self {
        self.door = Some(door);
        self
    }

    pub fn new(
        subject: impl Into<Subject>,
        evidence: impl Into<String>,
        urls: impl IntoIterator<Item = String>,
    ) -> Self {
        let mut urls: Vec<String> = urls
            .into_iter()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        urls.truncate(MAX_URLS);
        Self {
            subject: subject.into(),
            door: None,
            evidence: evidence.into(),
            urls,
            corrected: None,
            escalated: None,
        }
    }
}

/// A finding lists at most this many pages; the inventory has them all.
pub const MAX_URLS: usize = 50;

/// What the inventory says of the site, for the checks.
pub struct Site<'a> {
    pub inventory: &'a Inventory,
    /// The start page's URL.
    pub home: &'a str,
}

fn urls_of<'a>(urls: impl IntoIterator<Item = &'a Arc<str>>) -> Vec<String> {
    urls.into_iter().map(ToString::to_string).collect()
}

type Check = fn(&Site<'_>, &Rule) -> Vec<Hit>;

/// The check that implements a rule id.
fn check_for(id: &str) -> Option<Check> {
    Some(match id {
        "phone.no-country-code" => phone::no_country_code,
        "phone.not-clickable" => phone::not_clickable,
        "phone.tel-mismatch" => phone::tel_mismatch,
        "phone.toll-free-unlabelled" => phone::toll_free_unlabelled,
        "phone.invalid" => phone::invalid,
        "phone.inconsistent" => phone::inconsistent,
        "phone.replaced-by-script" => phone::replaced_by_script,
        "hours.missing" => coverage::hours_missing,
        "email.image-only" => email::image_only,
        "email.mailto-malformed" => email::mailto_malformed,
        "email.mailto-mismatch" => email::mailto_mismatch,
        "email.too-long" => email::too_long,
        "email.domain-no-mx" => email::domain_no_mx,
        "messenger.not-clickable" => messenger::not_clickable,
        "whatsapp.link-malformed" => messenger::whatsapp_malformed,
        "viber.link-malformed" => messenger::viber_malformed,
        "telegram.link-malformed" => messenger::telegram_malformed,
        "messenger.no-backup" => messenger::no_backup,
        "form.too-many-fields" => form::too_many_fields,
        "form.captcha" => form::captcha,
        "form.insecure-action" => form::insecure_action,
        "form.action-broken" => form::action_broken,
        "form.action-unverified" => form::action_unverified,
        "page.too-many-popups" => coverage::too_many_popups,
        "widget.not-loading" => widget::not_loading,
        "mobile.no-contact-first-screen" => mobile::no_contact_first_screen,
        "mobile.tap-target-small" => mobile::tap_target_small,
        "contacts.page-missing" => coverage::contact_page_missing,
        "contacts.anchor-dead" => coverage::contact_anchor_dead,
        "contacts.not-on-every-page" => coverage::not_on_every_page,
        "channels.too-few" => coverage::too_few_channels,
        "place.address-missing" => coverage::address_missing,
        "place.map-missing" => coverage::map_missing,
        _ => return None,
    })
}

/// The thresholds a rule's check reads; the catalogue must give each.
fn thresholds_read_by(id: &str) -> &'static [&'static str] {
    match id {
        "email.too-long" => &["max_length"],
        "form.too-many-fields" => &["max_callback_fields", "max_contact_fields"],
        "page.too-many-popups" => &["max_per_page"],
        _ => &[],
    }
}

/// Whether code implements a rule id: a catalogue may only describe rules we can check.
pub fn has_check(id: &str) -> bool {
    check_for(id).is_some() || live::check_for(id).is_some() || baseline::check_for(id).is_some()
}

/// The catalogue's rules give every threshold their checks read.
///
/// # Errors
/// Names the rule and the missing threshold.
pub fn validate(catalogue: &Catalogue) -> Result<(), String> {
    for rule in &catalogue.rules {
        for name in thresholds_read_by(&rule.id) {
            if !rule.thresholds.contains_key(*name) {
                return Err(format!("rule {}: threshold {name} is missing", rule.id));
            }
        }
    }
    Ok(())
}

/// A finding: which rule, how severe, about what, shown by what, on which pages — and the
/// rule's texts from the catalogue in both languages, for the report to pick from.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub category: String,
    pub subject: Subject,
    /// The kind of door the subject is: the row of the channel matrix the finding counts on.
    pub door: Option<DoorKind>,
    /// The rule means the subject does not work at all (`breaks` in the catalogue).
    pub breaks: bool,
    pub evidence: String,
    /// The pages it stands on, at most [`MAX_URLS`].
    pub urls: Vec<String>,
    pub title: Text,
    /// Why the rule matters.
    pub why: Text,
    pub fix: Text,
    /// The contact point corrected, from the site's own values; `None` when the fix is not
    /// one string to paste.
    pub corrected: Option<String>,
}

/// Which rules run and how severe they are, after the config has had its say.
#[derive(Debug, Clone, Default)]
pub struct RuleChoices {
    pub disabled: BTreeSet<String>,
    pub severities: std::collections::BTreeMap<String, Severity>,
}

/// Runs every enabled rule of the catalogue over the site.
pub fn run(site: &Site<'_>, catalogue: &Catalogue, choices: &RuleChoices) -> Vec<Finding> {
    judge(catalogue, choices, |rule| {
        check_for(&rule.id).map(|check| check(site, rule))
    })
}

/// Runs every enabled live rule over the probes of a run.
pub fn run_live(
    probes: &[ProbeFacts],
    catalogue: &Catalogue,
    choices: &RuleChoices,
) -> Vec<Finding> {
    judge(catalogue, choices, |rule| {
        live::check_for(&rule.id)
            .map(|check| probes.iter().flat_map(|probe| check(probe, rule)).collect())
    })
}

/// Runs every enabled baseline rule over what changed since the baseline.
pub fn run_baseline(
    changes: &[crate::baseline::Change],
    catalogue: &Catalogue,
    choices: &RuleChoices,
) -> Vec<Finding> {
    judge(catalogue, choices, |rule| {
        baseline::check_for(&rule.id).map(|check| check(changes, rule))
    })
}

/// The findings of every enabled rule that `hits` has a check for, at the severity the
/// choices give it, in report order.
fn judge(
    catalogue: &Catalogue,
    choices: &RuleChoices,
    hits: impl Fn(&Rule) -> Option<Vec<Hit>>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in &catalogue.rules {
        if choices.disabled.contains(&rule.id) {
            continue;
        }
        let Some(found) = hits(rule) else {
            continue;
        };
        let chosen = choices.severities.get(&rule.id).copied();
        findings.extend(found.into_iter().map(|hit| {
            let severity = match (chosen, hit.escalated) {
                (Some(chosen), _) => chosen,
                (None, Some(escalated)) => escalated.max(rule.severity),
                (None, None) => rule.severity,
            };
            finding(rule, severity, hit)
        }));
    }
    sort(&mut findings);
    findings
}

/// Most severe first, then by rule: a stable order for reports and baselines.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule.cmp(&b.rule))
    });
}

fn finding(rule: &Rule, severity: Severity, hit: Hit) -> Finding {
    Finding {
        rule: rule.id.clone(),
        severity,
        category: rule.category.clone(),
        subject: hit.subject,
        door: hit.door,
        breaks: rule.breaks,
        evidence: hit.evidence,
        urls: hit.urls,
        title: rule.title.clone(),
        why: rule.why.clone(),
        fix: rule.fix.clone(),
        corrected: hit.corrected,
    }
}

/// Runs one rule, whatever the choices: the examples test asks each rule alone.
pub fn run_rule(site: &Site<'_>, rule: &Rule) -> Vec<Hit> {
    check_for(&rule.id)
        .map(|check| check(site, rule))
        .unwrap_or_default()
}

/// Runs one live rule on one probe's facts.
pub fn run_live_rule(probe: &ProbeFacts, rule: &Rule) -> Vec<Hit> {
    live::check_for(&rule.id)
        .map(|check| check(probe, rule))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_kind_of_channel_is_data_not_words() {
        let inventory = Inventory::default();
        let site = Site {
            inventory: &inventory,
            home: "https://shop.example.com/",
        };
        let finding = run(&site, &Catalogue::builtin(), &RuleChoices::default())
            .into_iter()
            .find(|f| f.rule == "channels.too-few")
            .unwrap();
        assert_eq!(
            finding.subject,
            Subject::MissingChannels(vec!["phone", "written", "instant"])
        );
    }

    #[test]
    fn every_rule_has_a_check_and_every_check_a_rule() {
        let catalogue = Catalogue::builtin();
        for rule in &catalogue.rules {
            assert!(has_check(&rule.id), "{} has no check", rule.id);
            assert!(
                rule.examples.iter().any(|e| e.fires),
                "{} has no firing example",
                rule.id
            );
            assert!(
                rule.examples.iter().any(|e| !e.fires),
                "{} has no silent example",
                rule.id
            );
        }
        let ids: Vec<&str> = catalogue.rules.iter().map(|r| r.id.as_str()).collect();
        for id in [
            "phone.no-country-code",
            "phone.not-clickable",
            "phone.tel-mismatch",
            "phone.toll-free-unlabelled",
            "phone.invalid",
            "phone.inconsistent",
            "hours.missing",
            "email.image-only",
            "email.mailto-malformed",
            "email.too-long",
            "messenger.not-clickable",
            "whatsapp.link-malformed",
            "viber.link-malformed",
            "telegram.link-malformed",
            "messenger.no-backup",
            "form.too-many-fields",
            "form.captcha",
            "form.insecure-action",
            "page.too-many-popups",
            "contacts.page-missing",
            "contacts.anchor-dead",
            "contacts.not-on-every-page",
            "channels.too-few",
            "place.address-missing",
            "place.map-missing",
        ] {
            assert!(ids.contains(&id), "{id} missing from the catalogue");
        }
    }

    #[test]
    fn the_builtin_catalogue_gives_every_threshold_its_checks_read() {
        validate(&Catalogue::builtin()).unwrap();
        let mut catalogue = Catalogue::builtin();
        let rule = catalogue
            .rules
            .iter_mut()
            .find(|r| r.id == "email.too-long")
            .unwrap();
        rule.thresholds.clear();
        assert!(validate(&catalogue).unwrap_err().contains("max_length"));
    }

    #[test]
    fn a_catalogue_rule_without_a_check_is_refused() {
        let text = r#"[[rule]]
id = "phone.made-up"
severity = "error"
category = "phone"
title = { en = "x", ru = "x" }
why = { en = "x", ru = "x" }
fix = { en = "x", ru = "x" }
"#;
        let err = Catalogue::parse(text, "mine/catalogue.toml", &has_check).unwrap_err();
        assert!(
            err.to_string().contains("phone.made-up")
                && err.to_string().contains("mine/catalogue.toml")
        );
        let err =
            Catalogue::parse("[[rule]]\nidd = 1", "mine/catalogue.toml", &has_check).unwrap_err();
        assert!(err.to_string().contains("idd"), "{err}");
    }
}

//! The reachability score: 0–100 per site, in two bounded parts.
//!
//! **Doors, 30 points**: 10 for each kind of channel the site offers — a phone, a written
//! channel (e-mail or a form that reaches the company), an instant one (a messenger or a chat).
//!
//! **Findings, 70 points**: `70 × 50 / (50 + P)`, rounded, where `P` adds up the problems:
//! 10 for an error, 4 for a warning, 1 for a notice. Findings on one subject (the same form's
//! 404 as `form.action-broken` and `form.submit-failed`) are one problem at their worst
//! severity; one rule counts at most [`PER_RULE`] problems; the missing channels are counted by
//! the doors, not again by `channels.too-few`. Every fixed problem lowers `P`, so the score
//! moves, and no single rule can take more than its share.
//!
//! A site that could not be read has no score: `value` is `null` and `not_scored` says why.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{Finding, Subject};
use crate::inventory::Inventory;
use crate::rulebook::Severity;
use crate::types::contact::{Source, WidgetKind};

#[derive(Debug, Clone, Serialize)]
pub struct Score {
    /// 0–100; `None` when the site could not be read.
    pub value: Option<u32>,
    /// Why there is no score: the site could not be read, and what stopped it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_scored: Option<String>,
    /// Kinds of channel present: phone, written, instant.
    pub channels: Vec<&'static str>,
    /// The points the doors gave (0–30).
    pub door_points: u32,
    /// The points the findings left (0–70).
    pub finding_points: u32,
    /// Problems counted, after findings on one subject were taken together.
    pub problems: usize,
    pub errors: usize,
    pub warnings: usize,
    pub notices: usize,
}

pub const DOOR_POINTS: u32 = 10;
pub const FINDING_POINTS: f64 = 70.0;
/// The problem points that halve the findings' part.
pub const HALF: f64 = 50.0;
/// How many problems one rule may count.
pub const PER_RULE: usize = 3;

fn weight(severity: Severity) -> u32 {
    match severity {
        Severity::Error => 10,
        Severity::Warning => 4,
        Severity::Notice => 1,
    }
}

/// The kinds of channel a site offers.
pub fn channels(inv: &Inventory) -> Vec<&'static str> {
    let phone = inv
        .phones
        .iter()
        .any(|p| p.pages.iter().any(|o| o.source != Source::Schema));
    let written = !inv.emails.is_empty() || inv.forms.iter().any(|f| f.purpose.reaches_company());
    let instant = inv.messengers.iter().any(|m| m.clickable && m.valid)
        || inv.widgets.iter().any(|w| {
            matches!(
                w.kind,
                WidgetKind::Chat | WidgetKind::MultiMessenger | WidgetKind::SocialWidget
            )
        });
    [(phone, "phone"), (written, "written"), (instant, "instant")]
        .into_iter()
        .filter(|(present, _)| *present)
        .map(|(_, name)| name)
        .collect()
}

/// What a finding is about, for taking findings on one subject together: the first URL in
/// its subject (a form's action, with or without its method), else its letters and digits
/// (a phone as shown).
pub fn problem_key(finding: &Finding) -> Option<String> {
    match &finding.subject {
        Subject::Site(text) => Some(subject_key(text)),
        // One absence per rule: the rule is the problem.
        Subject::NotFoundIn(_) => Some(format!("absent:{}", finding.rule)),
        Subject::MissingChannels(_) => None,
    }
}

/// What a contact point shown as `text` is, for taking findings on it together: the first URL
/// in it (a form's action, with or without its method), else its letters and digits (a phone
/// as shown).
fn subject_key(text: &str) -> String {
    let url = text
        .split_whitespace()
        .find(|w| w.contains("://"))
        .map(|w| w.trim_end_matches([',', ')']).to_string());
    url.unwrap_or_else(|| {
        text.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    })
}

/// The problems among the findings, each at its worst severity, at most [`PER_RULE`] a rule.
fn problems(findings: &[Finding]) -> Vec<Severity> {
    let mut per_rule: HashMap<&str, usize> = HashMap::new();
    let mut worst: BTreeMap<String, Severity> = BTreeMap::new();
    for (index, finding) in findings.iter().enumerate() {
        let Some(key) = problem_key(finding) else {
            continue;
        };
        let counted = per_rule.entry(finding.rule.as_str()).or_default();
        if *counted >= PER_RULE {
            continue;
        }
        *counted += 1;
        // A subject-less rule over the whole site is a problem of its own.
        let key = if key.is_empty() {
            format!("#{index}")
        } else {
            key
        };
        worst
            .entry(key)
            .and_modify(|s| *s = (*s).max(finding.severity))
            .or_insert(finding.severity);
    }
    worst.into_values().collect()
}

/// The two parts of the score: the doors' points for `kinds` kinds of channel, the findings'
/// points, and the problems counted.
fn points(kinds: usize, findings: &[Finding]) -> (u32, u32, usize) {
    let door_points = DOOR_POINTS * u32::try_from(kinds.min(3)).unwrap_or(3);
    let problems = problems(findings);
    let penalty: u32 = problems.iter().map(|s| weight(*s)).sum();
    let finding_points = (FINDING_POINTS * HALF / (HALF + f64::from(penalty))).round() as u32;
    (door_points, finding_points, problems.len())
}

pub fn score(inv: &Inventory, findings: &[Finding]) -> Score {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let channels = channels(inv);
    let (door_points, finding_points, problems) = points(channels.len(), findings);
    Score {
        value: Some(door_points + finding_points),
        not_scored: None,
        channels,
        door_points,
        finding_points,
        problems,
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        notices: count(Severity::Notice),
    }
}

impl Score {
    /// No score: the site could not be read, for `reason`.
    pub fn not_scored(reason: impl Into<String>) -> Self {
        Self {
            value: None,
            not_scored: Some(reason.into()),
            channels: Vec::new(),
            door_points: 0,
            finding_points: 0,
            problems: 0,
            errors: 0,
            warnings: 0,
            notices: 0,
        }
    }

    /// The score as people read it: `72/100`, or `—` when there is none.
    pub fn shown(&self) -> String {
        self.value
            .map_or_else(|| "—".to_string(), |v| format!("{v}/100"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, severity: Severity, subject: Subject) -> Finding {
        let text = |t: &str| crate::rulebook::Text {
            en: t.into(),
            ru: t.into(),
        };
        Finding {
            rule: rule.into(),
            severity,
            category: rule.split('.').next().unwrap_or_default().into(),
            subject,
            door: None,
            breaks: false,
            evidence: String::new(),
            urls: Vec::new(),
            title: text("t"),
            why: text("w"),
            fix: text("f"),
            corrected: None,
        }
    }

    fn on(rule: &str, severity: Severity, subject: &str) -> Finding {
        finding(rule, severity, Subject::Site(subject.into()))
    }

    /// The worked example of the README.
    fn example() -> Vec<Finding> {
        vec![
            // One dead form, seen twice: one problem, an error.
            on(
                "form.action-broken",
                Severity::Error,
                "POST https://shop.example.com/send",
            ),
            on(
                "form.submit-failed",
                Severity::Error,
                "https://shop.example.com/send (https://shop.example.com/contacts)",
            ),
            // Two numbers without a country code: two warnings.
            on(
                "phone.no-country-code",
                Severity::Warning,
                "8 (495) 000-00-01",
            ),
            on(
                "phone.no-country-code",
                Severity::Warning,
                "8 (495) 000-00-02",
            ),
            // Five pages without contacts: a notice counted three times at most.
            on(
                "contacts.not-on-every-page",
                Severity::Notice,
                "https://shop.example.com/a",
            ),
            on(
                "contacts.not-on-every-page",
                Severity::Notice,
                "https://shop.example.com/b",
            ),
            on(
                "contacts.not-on-every-page",
                Severity::Notice,
                "https://shop.example.com/c",
            ),
            on(
                "contacts.not-on-every-page",
                Severity::Notice,
                "https://shop.example.com/d",
            ),
            on(
                "contacts.not-on-every-page",
                Severity::Notice,
                "https://shop.example.com/e",
            ),
            // The missing messenger is counted by the doors, not again here.
            finding(
                "channels.too-few",
                Severity::Warning,
                Subject::MissingChannels(vec!["instant"]),
            ),
        ]
    }

    #[test]
    fn a_site_with_every_kind_of_door_and_no_finding_scores_100() {
        assert_eq!(points(3, &[]), (30, 70, 0));
    }

    #[test]
    fn the_worked_example_adds_up() {
        // Doors: a phone and a written channel, 2 × 10 = 20. Problems: 10 + 4 + 4 + 3 × 1 =
        // 21; findings: 70 × 50 / 71 = 49.3 → 49. Score 69.
        assert_eq!(points(2, &example()), (20, 49, 6));
    }

    #[test]
    fn fixing_one_problem_moves_the_score_and_no_rule_takes_more_than_its_share() {
        let mut fixed = example();
        fixed.retain(|f| f.subject.site() != Some("8 (495) 000-00-02"));
        // P = 17: 70 × 50 / 67 = 52.2 → 52.
        assert_eq!(points(2, &fixed), (20, 52, 5));
        let mut many = example();
        for n in 0..50 {
            many.push(on(
                "contacts.not-on-every-page",
                Severity::Notice,
                &format!("https://shop.example.com/p{n}"),
            ));
        }
        assert_eq!(
            points(2, &many),
            points(2, &example()),
            "at most three per rule"
        );
    }

    #[test]
    fn a_site_that_could_not_be_read_has_no_score() {
        let none = Score::not_scored("the site could not be read: connection refused");
        assert_eq!(none.value, None);
        assert_eq!(none.shown(), "—");
        let json = serde_json::to_value(&none).unwrap();
        assert!(json["value"].is_null());
        assert!(
            json["not_scored"]
                .as_str()
                .unwrap()
                .contains("connection refused")
        );
    }
}

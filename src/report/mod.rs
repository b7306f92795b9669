//! Reports: one serialisable summary of the audit, rendered per format, one file per format.

pub mod browser;
mod channels;
pub mod doors;
pub mod history;
pub mod html;
pub mod iri;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod others;
pub mod plan;
pub mod portfolio;
pub mod probes;
pub mod rules;
pub mod table;
pub mod words;

use serde::Serialize;

use crate::checks::Finding;
use crate::lang::Lang;
use crate::rulebook::Severity;

/// The version of the JSON contract; bumped only when a documented field changes meaning or
/// goes away. New fields may appear within a version.
pub const SCHEMA_VERSION: u32 = 1;

/// What every format renders.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub schema: u32,
    pub tool: Tool,
    /// When the report was made, UTC (`2026-11-22T20:00:00Z`).
    pub generated_at: String,
    pub start_url: &'a str,
    pub region: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_source: Option<crate::types::contact::RegionSource>,
    pub score: &'a crate::checks::score::Score,
    pub findings: Vec<ReportedFinding>,
    pub crawl: &'a crate::types::crawl::CrawlSummary,
    pub inventory: &'a crate::inventory::Inventory,
    /// What the probes of this run showed; empty when nothing was probed.
    pub probes: &'a [crate::types::probe::ProbeRow],
    /// The channel matrix: each kind of door, offered or not, working or broken.
    pub doors: Vec<doors::Door>,
    /// Each probed door over the journal's last runs (empty without a journal).
    pub history: &'a [crate::journal::history::DoorHistory],
    /// The run was compared with a baseline: its rules ran.
    #[serde(skip)]
    pub baseline_compared: bool,
    /// Only the probes were judged (`doorbell verify`): no crawl to show.
    #[serde(skip)]
    pub probes_only: bool,
    /// The language every text of the report is in, chosen once when it was built.
    #[serde(skip)]
    pub lang: Lang,
    /// The rules' verdicts as data, which the channel matrix is read from.
    #[serde(skip)]
    judged: &'a [Finding],
}

/// A finding as the report shows it: the rule's texts and the subject in the report's
/// language.
#[derive(Debug, Clone, Serialize)]
pub struct ReportedFinding {
    pub rule: String,
    pub severity: Severity,
    pub category: String,
    pub title: String,
    pub message: String,
    /// The contact point it concerns, as a person reads it (a number, an address, a form's
    /// action, a probe's target).
    pub subject: String,
    /// The subject as the site shows it, untranslated and undecoded: how the page-by-page
    /// view finds the contact point a finding names.
    #[serde(skip)]
    pub raw_subject: Option<String>,
    /// The same for every finding on one subject (a form's action, a number): reports show
    /// them as one problem, and the score counts them once.
    pub problem: String,
    pub evidence: String,
    /// The first page it stands on (all of them in `urls`).
    pub url: Option<String>,
    pub urls: Vec<String>,
    /// The rule means the contact point does not work at all (`breaks` in the catalogue).
    pub breaks: bool,
    /// Why the rule matters, from the catalogue.
    pub why: String,
    pub fix: String,
    /// The contact point corrected, from the site's own number, address or link
    /// (`<a href="tel:+74957654321">+7 495 765-43-21</a>`), when the fix is one string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected: Option<String>,
}

/// How many problems "fix these first" lists.
pub const FIRST_FIXES: usize = 5;

/// The few problems that lose the most customers, for the top of a report: a door that does
/// not work before one that merely could be better, then the worse severity, then the one on
/// more pages. Preferences (a missing kind of channel) never outrank a broken door.
pub fn first_fixes(findings: &[ReportedFinding]) -> Vec<Vec<&ReportedFinding>> {
    let mut groups = problems(findings);
    groups.retain(|g| g.iter().any(|f| f.severity != Severity::Notice));
    let rank = |g: &Vec<&ReportedFinding>| {
        let breaks = g.iter().any(|f| f.breaks);
        let worst = g.iter().map(|f| f.severity).max();
        let pages = g.iter().map(|f| f.urls.len()).max().unwrap_or(0);
        (
            std::cmp::Reverse(breaks),
            std::cmp::Reverse(worst),
            std::cmp::Reverse(pages),
        )
    };
    // Stable: equal ranks keep the report's order.
    groups.sort_by_key(rank);
    groups.truncate(FIRST_FIXES);
    groups
}

/// The findings taken together by subject, in the report's order (worst first): one problem
/// each, with every rule's evidence.
pub fn problems(findings: &[ReportedFinding]) -> Vec<Vec<&ReportedFinding>> {
    let mut groups: Vec<Vec<&ReportedFinding>> = Vec::new();
    for finding in findings {
        match groups
            .iter_mut()
            .find(|g| !finding.problem.is_empty() && g[0].problem == finding.problem)
        {
            Some(group) => group.push(finding),
            None => groups.push(vec![finding]),
        }
    }
    groups
}

impl ReportedFinding {
    /// `finding` in `lang`.
    pub fn new(finding: &Finding, lang: Lang) -> Self {
        let subject = iri::readable(&words::subject(&finding.subject, lang)).into_owned();
        let problem =
            crate::checks::score::problem_key(finding).unwrap_or_else(|| "channels".to_string());
        let form = match finding.door {
            Some(crate::types::contact::DoorKind::Form(purpose)) => {
                Some(words::purpose_name(purpose, lang))
            }
            _ => None,
        };
        let title = finding.title.with_form(lang, form);
        Self {
            rule: finding.rule.clone(),
            severity: finding.severity,
            category: finding.category.clone(),
            message: format!(
                "{title}: {subject}{}",
                words::pages_suffix(finding.urls.len(), lang)
            ),
            title,
            subject,
            raw_subject: finding.subject.site().map(str::to_string),
            problem,
            evidence: words::evidence(&finding.evidence, lang),
            url: finding.urls.first().cloned(),
            urls: finding.urls.clone(),
            breaks: finding.breaks,
            why: finding.why.get(lang).to_string(),
            fix: finding.fix.get(lang).to_string(),
            corrected: finding.corrected.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// What was read of the site, the subject of a report.
#[derive(Debug, Clone, Copy)]
pub struct SiteRead<'a> {
    pub start_url: &'a str,
    /// The region phone numbers were read in, when one applied to the whole site.
    pub region: Option<&'a str>,
    /// What chose it (`setting`, `domain`); each page records its own in the inventory.
    pub region_source: Option<crate::types::contact::RegionSource>,
    pub crawl: &'a crate::types::crawl::CrawlSummary,
    pub inventory: &'a crate::inventory::Inventory,
}

impl<'a> Report<'a> {
    /// The report of `site` in `lang`: the one place a report's language is applied.
    pub fn new(
        site: SiteRead<'a>,
        findings: &'a [Finding],
        score: &'a crate::checks::score::Score,
        lang: Lang,
    ) -> Self {
        Self {
            schema: SCHEMA_VERSION,
            tool: Tool {
                name: "doorbell",
                version: env!("CARGO_PKG_VERSION"),
            },
            generated_at: crate::clock::iso_datetime(crate::clock::now()),
            start_url: site.start_url,
            region: site.region,
            region_source: site.region_source,
            score,
            findings: findings
                .iter()
                .map(|f| ReportedFinding::new(f, lang))
                .collect(),
            crawl: site.crawl,
            inventory: site.inventory,
            probes: &[],
            doors: doors::matrix(site.inventory, findings, &[]),
            history: &[],
            baseline_compared: false,
            probes_only: false,
            lang,
            judged: findings,
        }
    }

    /// The same report with the probed doors' history.
    #[must_use]
    pub fn with_history(mut self, history: &'a [crate::journal::history::DoorHistory]) -> Self {
        self.history = history;
        self
    }

    /// The same report with the probes of the run.
    #[must_use]
    pub fn with_probes(mut self, probes: &'a [crate::types::probe::ProbeRow]) -> Self {
        self.probes = probes;
        self.doors = doors::matrix(self.inventory, self.judged, probes);
        self
    }
}

/// The format of the report unless told otherwise (`--format`, or an `--output` extension).
pub const DEFAULT_FORMAT: Format = Format::Table;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A summary table for people at a terminal.
    Table,
    /// The versioned JSON contract, for machines.
    Json,
    /// Markdown, for tickets and pull-request comments.
    Markdown,
    /// One self-contained HTML page, for people to read, forward and print.
    Html,
    /// JUnit XML, for CI dashboards.
    Junit,
}

impl Format {
    /// The format a file name asks for: `.json`, `.md`, `.html`, `.xml`, `.txt`.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "json" => Self::Json,
            "md" | "markdown" => Self::Markdown,
            "html" | "htm" => Self::Html,
            "xml" => Self::Junit,
            "txt" => Self::Table,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{RuleChoices, Site};
    use crate::inventory::Inventory;
    use crate::rulebook::Catalogue;

    #[test]
    fn words_of_ours_in_a_subject_are_translated_the_sites_data_is_not() {
        let inventory = Inventory::default();
        let site = Site {
            inventory: &inventory,
            home: "https://shop.example.com/",
        };
        let findings = crate::checks::run(&site, &Catalogue::builtin(), &RuleChoices::default());
        let message = |rule: &str, lang| {
            let finding = findings.iter().find(|f| f.rule == rule).unwrap();
            ReportedFinding::new(finding, lang).message
        };
        assert!(
            message("channels.too-few", Lang::Ru).contains("телефон, e-mail/форма, мессенджер/чат")
        );
        assert!(
            message("channels.too-few", Lang::En).contains("phone, e-mail/form, messenger/chat")
        );
        // The site's own words stay as written, whatever the report's language.
        let home = message("place.address-missing", Lang::Ru);
        assert!(home.contains("(1 страница)"), "{home}");
    }
}

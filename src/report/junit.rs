//! `--format junit`: JUnit XML for CI dashboards (Jenkins, GitLab, GitHub test reporters).
//! One test suite per site, one test case per rule that ran and per probe, one `<failure>` per
//! finding at or above `--fail-on`; findings below it are listed in the case's
//! `<system-out>` and do not fail it.

use std::fmt::Write as _;

use super::Report;
use crate::checks::RuleChoices;
use crate::lang::Lang;
use crate::rulebook::Catalogue;
use crate::rulebook::FailOn;

/// Text made safe for XML 1.0 attributes and content: markup escaped, characters XML cannot
/// carry dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c as u32, 0xFFFE | 0xFFFF) => {}
            c => out.push(c),
        }
    }
    out
}

struct Case {
    class: String,
    name: String,
    failures: Vec<(String, String, String)>,
    notes: Vec<String>,
}

/// Renders the report as JUnit XML; `catalogue` names the rules that ran.
pub fn render(
    report: &Report<'_>,
    catalogue: &Catalogue,
    choices: &RuleChoices,
    fail_on: FailOn,
) -> String {
    let lang = report.lang;
    let mut cases: Vec<Case> = Vec::new();
    for rule in catalogue
        .rules
        .iter()
        .filter(|r| !choices.disabled.contains(&r.id))
    {
        // Live rules ran only when something was probed; `verify` judges nothing else;
        // baseline rules ran when there was a baseline to compare with.
        let ran = if crate::checks::live::check_for(&rule.id).is_some() {
            !report.probes.is_empty()
        } else if crate::checks::baseline::check_for(&rule.id).is_some() {
            report.baseline_compared
        } else {
            !report.probes_only
        };
        if !ran {
            continue;
        }
        let mut case = Case {
            class: format!("doorbell.{}", rule.category),
            name: format!("{}: {}", rule.id, rule.title.with_form(lang, None)),
            failures: Vec::new(),
            notes: Vec::new(),
        };
        for f in report.findings.iter().filter(|f| f.rule == rule.id) {
            let mut detail = format!(
                "{}\n{}: {}\n{}: {}\n{}",
                f.message,
                lang.pick("Evidence", "Доказательство"),
                f.evidence,
                lang.pick("Pages", "Страницы"),
                f.urls.join(" "),
                f.fix
            );
            if let Some(corrected) = &f.corrected {
                detail.push_str(&format!(
                    "\n{}: {corrected}",
                    crate::report::words::corrected_label(lang)
                ));
            }
            if fail_on.fails(f.severity) {
                case.failures.push((
                    f.message.clone(),
                    crate::report::words::severity_name(f.severity, Lang::En).to_string(),
                    detail,
                ));
            } else {
                case.notes.push(detail);
            }
        }
        cases.push(case);
    }
    for row in report.probes {
        let f = &row.facts;
        let mut case = Case {
            class: format!("doorbell.probe.{}", f.channel),
            name: format!("{}: {}", f.channel, f.target),
            failures: Vec::new(),
            notes: vec![format!("status: {}", row.status)],
        };
        // The findings themselves are failures of their rules' cases; the probe's case fails
        // once, naming them, so that a dashboard shows which door did not answer.
        let failing: Vec<&str> = report
            .findings
            .iter()
            .filter(|x| crate::checks::live::check_for(&x.rule).is_some())
            .filter(|x| x.message.contains(&f.target) && fail_on.fails(x.severity))
            .map(|x| x.rule.as_str())
            .collect();
        if !failing.is_empty() {
            case.failures.push((
                format!("{}: {}", row.status, failing.join(", ")),
                "probe".into(),
                failing.join("\n"),
            ));
        }
        cases.push(case);
    }
    let failures: usize = cases.iter().filter(|c| !c.failures.is_empty()).count();
    let seconds = report.crawl.duration_ms as f64 / 1000.0;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let suite = escape(&format!("doorbell {}", report.start_url));
    let _ = writeln!(
        out,
        "<testsuites name=\"doorbell\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" time=\"{seconds:.3}\">",
        cases.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{suite}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"{seconds:.3}\">",
        cases.len()
    );
    let _ = writeln!(
        out,
        "    <properties>\n      <property name=\"score\" value=\"{}\"/>\n      <property name=\"fail-on\" value=\"{}\"/>\n    </properties>",
        report
            .score
            .value
            .map_or_else(String::new, |v| v.to_string()),
        format!("{fail_on:?}").to_lowercase()
    );
    for case in &cases {
        let _ = write!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
            escape(&case.class),
            escape(&case.name)
        );
        if case.failures.is_empty() && case.notes.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        for (message, kind, detail) in &case.failures {
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                escape(message),
                escape(kind),
                escape(detail)
            );
        }
        if !case.notes.is_empty() {
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                escape(&case.notes.join("\n\n"))
            );
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_impossible_characters_are_escaped() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>\u{1}"),
            "&lt;script&gt;&quot;a&quot; &amp; &apos;b&apos;&lt;/script&gt;"
        );
    }
}

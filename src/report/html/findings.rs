//! The findings of the HTML report: one card per problem, worst first, each rule's finding on
//! it with its evidence, pages, why it matters, how to fix it and the corrected contact point.

use std::fmt::Write as _;

use super::escape::{self, esc};
use super::severity_id;
use crate::lang::Lang;
use crate::report::ReportedFinding as Finding;
use crate::rulebook::Severity;

/// Pages listed under a finding; the inventory has the rest.
const URLS_PER_FINDING: usize = 5;

pub(super) fn render(out: &mut String, findings: &[Finding], lang: Lang) {
    let problems = crate::report::problems(findings);
    let _ = write!(
        out,
        r#"<section id="findings"><h2>{} ({})</h2>"#,
        lang.pick("Findings", "Замечания"),
        problems.len()
    );
    if findings.is_empty() {
        let _ = write!(
            out,
            "<p>{}</p>",
            lang.pick("No findings.", "Замечаний нет.")
        );
    }
    // A problem sits under its worst rule's severity: the findings come worst first.
    for (severity, heading) in [
        (Severity::Error, lang.pick("Errors", "Ошибки")),
        (Severity::Warning, lang.pick("Warnings", "Предупреждения")),
        (Severity::Notice, lang.pick("Notices", "Замечания")),
    ] {
        let of_severity: Vec<&Vec<&Finding>> = problems
            .iter()
            .filter(|group| group[0].severity == severity)
            .collect();
        if of_severity.is_empty() {
            continue;
        }
        let _ = write!(out, "<h3>{heading} ({})</h3>", of_severity.len());
        for group in of_severity {
            problem(out, group, lang);
        }
    }
    out.push_str("</section>");
}

/// One card per problem: the subject once, then what each rule found on it, why it matters
/// and how to fix it.
fn problem(out: &mut String, group: &[&Finding], lang: Lang) {
    let first = group[0];
    let id = severity_id(first.severity);
    let rules: Vec<&str> = group.iter().map(|f| f.rule.as_str()).collect();
    let _ = write!(
        out,
        r#"<article class="finding {id}" data-rules="{}"><header><span class="pill sev-{id}">{}</span><h4>{}</h4>"#,
        esc(&rules.join(" ")),
        crate::report::words::severity_name(first.severity, lang),
        esc(if first.subject.is_empty() {
            &first.title
        } else {
            &first.subject
        }),
    );
    for rule in &rules {
        let _ = write!(out, r#"<code class="rule">{}</code>"#, esc(rule));
    }
    out.push_str("</header>");
    for f in group {
        finding(out, f, lang);
    }
    out.push_str("</article>");
}

fn finding(out: &mut String, f: &Finding, lang: Lang) {
    let _ = write!(
        out,
        r#"<div class="facet" data-rule="{}"><p class="message"><strong>{}</strong>{}</p><dl>"#,
        esc(&f.rule),
        esc(&f.title),
        crate::report::words::pages_suffix(f.urls.len(), lang),
    );
    if !f.evidence.is_empty() {
        let _ = write!(
            out,
            "<dt>{}</dt><dd><code>{}</code></dd>",
            lang.pick("Evidence", "Где видно"),
            escape::esc_cut(&f.evidence, 300)
        );
    }
    if !f.urls.is_empty() {
        let _ = write!(out, "<dt>{}</dt><dd><ul>", lang.pick("Where", "Где"));
        for url in f.urls.iter().take(URLS_PER_FINDING) {
            out.push_str("<li>");
            escape::link(out, url, 120);
            out.push_str("</li>");
        }
        if f.urls.len() > URLS_PER_FINDING {
            let _ = write!(
                out,
                "<li>+{} {}</li>",
                f.urls.len() - URLS_PER_FINDING,
                lang.pick("more pages", "стр. ещё")
            );
        }
        out.push_str("</ul></dd>");
    }
    let _ = write!(
        out,
        "<dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>",
        lang.pick("Why it matters", "Почему это важно"),
        esc(&f.why),
        lang.pick("How to fix", "Как исправить"),
        esc(&f.fix)
    );
    if let Some(corrected) = &f.corrected {
        let _ = write!(
            out,
            r#"<dt>{}</dt><dd><code class="corrected">{}</code></dd>"#,
            crate::report::words::corrected_label(lang),
            escape::esc_cut(corrected, 300)
        );
    }
    out.push_str("</dl></div>");
}

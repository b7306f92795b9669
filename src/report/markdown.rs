//! `--format markdown`: for tickets and pull-request comments — the score, the findings as a
//! table, the probe results. Everything from the site is escaped so that a page's text cannot
//! break the table or inject links and HTML.

use std::fmt::Write as _;

use super::Report;
use super::words::{Counted, count, not_scored_line};

/// An invisible word joiner: put after `@` and inside `://` and `www.`, it keeps GitHub and
/// GitLab from turning a site's text into a mention that pings someone or a live link.
const JOINER: char = '\u{2060}';

/// Text from a web page, made inert in Markdown: table pipes, emphasis, links, HTML and line
/// breaks are escaped, mentions and bare URLs are kept from coming alive; long texts are cut.
pub fn inert(text: &str, max_chars: usize) -> String {
    let escaped = escape(text, max_chars);
    if !escaped.contains(['@', ':', '.']) {
        return escaped;
    }
    escaped
        .replace('@', &format!("@{JOINER}"))
        .replace("://", &format!(":{JOINER}//"))
        .replace("www.", &format!("www{JOINER}."))
        .replace("WWW.", &format!("WWW{JOINER}."))
}

fn escape(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max_chars {
            out.push('…');
            break;
        }
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            // HTML is written as entities, which Markdown shows as the characters.
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '!' | '(' | ')' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Renders the report as GitHub-flavoured Markdown.
pub fn render(report: &Report<'_>) -> String {
    let lang = report.lang;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## doorbell: {} {}\n",
        lang.pick("contact surface of", "контакты сайта"),
        inert(&super::iri::readable(report.start_url), 200)
    );
    let not_scored = report.score.value.is_none() && !report.probes_only;
    if !report.probes_only
        && let Some(line) = super::words::limits_line(report.crawl, lang)
    {
        let _ = writeln!(out, "{}\n", inert(&line, 600));
    }
    if !report.probes_only
        && let Some(line) = super::browser::render_line(report.crawl, report.inventory, lang)
    {
        let _ = writeln!(out, "{}\n", inert(&line, 600));
    }
    if not_scored {
        let _ = writeln!(
            out,
            "**{}** — {}\n",
            lang.pick("Not scored", "Без оценки"),
            inert(&not_scored_line(report.crawl, lang), 400)
        );
    } else if !report.probes_only {
        let s = report.score;
        let _ = writeln!(
            out,
            "**{}: {}** — {}, {}, {}\n",
            lang.pick("Reachability score", "Оценка доступности"),
            s.shown(),
            count(s.errors, Counted::Error, lang),
            count(s.warnings, Counted::Warning, lang),
            count(s.notices, Counted::Notice, lang),
        );
        let first = super::first_fixes(&report.findings);
        if !first.is_empty() {
            let _ = writeln!(
                out,
                "**{}**\n",
                lang.pick("Fix these first", "Исправить в первую очередь")
            );
            for (at, group) in first.iter().enumerate() {
                let titles: Vec<&str> = group.iter().map(|f| f.title.as_str()).collect();
                let _ = writeln!(
                    out,
                    "{}. {}: {}{}",
                    at + 1,
                    inert(&titles.join("; "), 200),
                    inert(&group[0].subject, 120),
                    group[0]
                        .url
                        .as_deref()
                        .map(|u| format!(" — {}", inert(&super::iri::readable(u), 120)))
                        .unwrap_or_default()
                );
            }
            out.push('\n');
        }
    }
    if report.findings.is_empty() {
        if !not_scored {
            let _ = writeln!(out, "{}\n", lang.pick("No findings.", "Замечаний нет."));
        }
    } else {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |\n|---|---|---|---|",
            lang.pick("Severity", "Важность"),
            lang.pick("Rule", "Правило"),
            lang.pick("Finding", "Замечание"),
            lang.pick("Page", "Страница"),
        );
        // One row per problem: the rules that found it on one subject side by side.
        for group in crate::report::problems(&report.findings) {
            let f = group[0];
            let rules: Vec<String> = group.iter().map(|g| format!("`{}`", g.rule)).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                crate::report::words::severity_name(f.severity, lang),
                rules.join(", "),
                inert(&f.message, 160),
                f.url
                    .as_deref()
                    .map(|u| inert(&super::iri::readable(u), 120))
                    .unwrap_or_default(),
            );
        }
        out.push('\n');
    }
    let others = crate::report::others::list(report.inventory, lang);
    if !report.probes_only && !others.is_empty() {
        let _ = writeln!(out, "### {}\n", crate::report::others::heading(lang));
        for other in &others {
            let _ = writeln!(
                out,
                "- {} {} — {} «{}»{}",
                other.what,
                inert(other.shown, 120),
                crate::report::others::named_by_words(lang),
                inert(other.named_by, 60),
                other
                    .page
                    .map(|p| format!(" ({})", inert(p, 120)))
                    .unwrap_or_default()
            );
        }
        out.push('\n');
    }
    if !report.probes.is_empty() {
        let _ = writeln!(
            out,
            "### {}\n\n| {} | {} | {} | {} |\n|---|---|---|---|",
            lang.pick("Probes", "Проверки"),
            lang.pick("Probe", "Проверка"),
            lang.pick("Status", "Статус"),
            lang.pick("Confirmation / deadline", "Подтверждение / срок"),
            lang.pick("Human reply / deadline", "Ответ человека / срок"),
        );
        for row in report.probes {
            let f = &row.facts;
            let _ = writeln!(
                out,
                "| {}: {} | {} | {} | {} |",
                super::words::probe_channel_name(&f.channel, lang),
                inert(&super::iri::readable(&f.target), 120),
                super::probes::status_name(row.status, lang),
                super::probes::confirmation_cell(row, lang),
                super::probes::reply_cell(row, lang),
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "<sub>doorbell {} · `doorbell explain RULE` {}</sub>",
        report.tool.version,
        lang.pick(
            "tells why a rule matters and how to fix it",
            "объясняет правило и как исправить"
        )
    );
    out
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn page_text_cannot_break_out_of_a_table_cell() {
        let hostile = "a | b [click](javascript:alert(1)) <script>x</script>\n# heading";
        let safe = inert(hostile, 500);
        assert!(!safe.contains(" | "));
        assert!(!safe.contains("](") && !safe.contains("<script"));
        assert!(!safe.contains('\n'));
        assert_eq!(inert("абвгд", 3), "абв…");
    }

    #[test]
    fn mentions_and_bare_links_from_a_site_stay_dead() {
        let safe = inert(
            "cc @security-team, see https://evil.example/x or www.evil.example",
            500,
        );
        for live in ["@security", "https://", "www.evil"] {
            assert!(!safe.contains(live), "{live} in {safe}");
        }
        // What a reader sees is the text: the joiner is invisible.
        assert_eq!(
            safe.replace('\u{2060}', ""),
            "cc @security-team, see https://evil.example/x or www.evil.example"
        );
    }
}

//! `--format table`: the contact surface at a glance, for a terminal.

use std::fmt::Write;

use comfy_table::{
    Cell, Color, ColumnConstraint, ContentArrangement, Table, Width, presets::UTF8_FULL_CONDENSED,
};

use super::Report;
use super::words::{Counted, count, describe_error, not_scored_line, seconds};
use crate::lang::Lang;
use crate::rulebook::Severity;

pub(super) fn table(header: [&str; 4]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.map(Cell::new));
    fit(&mut t);
    t
}

/// The width the tables fit: `COLUMNS` when set (a pipe has no terminal to measure), else the
/// terminal's own, which comfy-table measures.
pub(crate) fn fit(table: &mut Table) {
    if let Some(width) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|w| *w >= 40)
    {
        table.set_width(width);
    }
}

/// A page as the table shows it: its path and query (the site is in the report's title).
fn page_path(url: &str) -> String {
    let readable = super::iri::readable(url);
    match url::Url::parse(url) {
        Ok(parsed) if parsed.has_host() => {
            let origin_len = readable
                .find("://")
                .and_then(|at| readable[at + 3..].find('/').map(|p| at + 3 + p))
                .unwrap_or(readable.len());
            let path = &readable[origin_len..];
            if path.is_empty() {
                "/".to_string()
            } else {
                path.to_string()
            }
        }
        _ => readable.into_owned(),
    }
}

fn severity_colour(severity: Severity) -> Color {
    match severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Notice => Color::Cyan,
    }
}

fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// Findings grouped by severity, worst first, with the score above them.
fn render_findings(out: &mut String, report: &Report<'_>, lang: Lang, colour: bool) {
    // A site that could not be read has no score and no findings to speak of: the reason
    // stands first in the report.
    if report.score.value.is_none() && !report.probes_only {
        return;
    }
    let score = report.score;
    // Probes alone say nothing of the site's channels: no score for them.
    let _ = (!report.probes_only).then(|| {
        writeln!(
            out,
            "\n{}: {} ({}, {}, {})",
            lang.pick("Reachability score", "Оценка доступности"),
            score.shown(),
            count(score.errors, Counted::Error, lang),
            count(score.warnings, Counted::Warning, lang),
            count(score.notices, Counted::Notice, lang),
        )
    });
    if report.findings.is_empty() {
        let _ = writeln!(out, "{}", lang.pick("No findings.", "Замечаний нет."));
        return;
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec![
            lang.pick("Severity", "Важность"),
            lang.pick(
                "Finding · rule: evidence",
                "Что не так · правило: где видно",
            ),
            lang.pick("Page", "Страница"),
        ]);
    // One row per problem: findings on one subject together, each rule with its evidence.
    let groups = crate::report::problems(&report.findings);
    for group in &groups {
        let worst = group[0];
        let mut severity = Cell::new(crate::report::words::severity_name(worst.severity, lang));
        if colour {
            severity = severity.fg(severity_colour(worst.severity));
        }
        // The page column says where: the message's "(1 page)" would say it twice.
        let mut finding = if worst.subject.is_empty() {
            worst.title.clone()
        } else {
            short(&format!("{}: {}", worst.title, worst.subject), 120)
        };
        for f in group {
            finding.push_str("\n· ");
            finding.push_str(&f.rule);
            if !f.evidence.is_empty() {
                finding.push_str(": ");
                finding.push_str(&short(&f.evidence, 70));
            }
        }
        let page = worst.url.as_deref().map_or_else(String::new, |url| {
            let shown = page_path(url);
            match worst.urls.len() {
                0 | 1 => shown,
                n => format!("{shown} (+{})", n - 1),
            }
        });
        t.add_row(vec![
            severity,
            Cell::new(finding),
            Cell::new(short(&page, 60)),
        ]);
    }
    // Severities and rule ids are never broken mid-word, however narrow the terminal: the
    // finding column is at least as wide as the longest rule id with its bullet, and the
    // evidence wraps instead.
    let severity_width = groups
        .iter()
        .map(|g| {
            crate::report::words::severity_name(g[0].severity, lang)
                .chars()
                .count()
        })
        .max()
        .unwrap_or(0)
        .max(lang.pick("Severity", "Важность").chars().count());
    let rule_width = report
        .findings
        .iter()
        .map(|f| f.rule.chars().count() + 3)
        .max()
        .unwrap_or(0);
    t.set_constraints([
        ColumnConstraint::LowerBoundary(Width::Fixed(severity_width as u16)),
        ColumnConstraint::LowerBoundary(Width::Fixed(rule_width as u16)),
        ColumnConstraint::UpperBoundary(Width::Fixed(22)),
    ]);
    fit(&mut t);
    if colour {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    let _ = writeln!(out, "{t}");
    let _ = writeln!(
        out,
        "{}",
        lang.pick(
            "`doorbell explain RULE` tells why each matters and how to fix it.",
            "`doorbell explain ПРАВИЛО` объясняет, почему это важно и как исправить."
        )
    );
}

/// Renders the summary: crawl figures, channels by kind, findings, URLs that failed.
/// `colour` paints severities (only for a terminal, and never under NO_COLOR).
pub fn render(report: &Report<'_>, colour: bool) -> String {
    let lang = report.lang;
    let inv = report.inventory;
    let crawl = report.crawl;
    let mut out = String::new();
    if report.probes_only {
        let _ = writeln!(
            out,
            "{} {}",
            lang.pick("Probes of", "Проверки сайта"),
            report.start_url
        );
        super::probes::render(&mut out, report.probes, lang);
        render_findings(&mut out, report, lang, colour);
        return out;
    }
    if report.score.value.is_none() {
        // The reason first: nothing below it was seen on the site.
        let _ = writeln!(
            out,
            "{}: {}\n",
            lang.pick("Not scored", "Без оценки"),
            not_scored_line(report.crawl, lang)
        );
    }
    let _ = writeln!(
        out,
        "{} {}\n{}: {} {}, {} {}, {} {}, {}\n",
        lang.pick("Contact surface of", "Контакты сайта"),
        super::iri::readable(report.start_url),
        lang.pick("Pages", "Страницы"),
        crawl.pages_ok,
        lang.pick("read", "прочитано"),
        crawl.pages_failed,
        lang.pick("failed", "с ошибкой"),
        crawl.pages_skipped,
        lang.pick("skipped", "пропущено"),
        seconds(crawl.duration_ms, lang),
    );
    if let Some(line) = super::words::limits_line(crawl, lang) {
        let _ = writeln!(out, "{line}\n");
    }
    if let Some(line) = super::browser::render_line(crawl, inv, lang) {
        let _ = writeln!(out, "{line}\n");
    }

    let t = super::channels::table(report);
    let _ = writeln!(out, "{t}");
    let others = super::others::list(inv, lang);
    if !others.is_empty() {
        let _ = writeln!(out, "{}:", super::others::heading(lang));
        for other in &others {
            let _ = writeln!(
                out,
                "  {} {} — {} «{}»{}",
                other.what,
                other.shown,
                super::others::named_by_words(lang),
                other.named_by,
                other.page.map(|p| format!(" ({p})")).unwrap_or_default()
            );
        }
        out.push('\n');
    }
    if let Some(line) = super::words::mail_unchecked_line(inv, lang) {
        let _ = writeln!(out, "{line}");
    }
    render_findings(&mut out, report, lang, colour);
    super::probes::render(&mut out, report.probes, lang);

    let failed: Vec<_> = crawl.failed_pages().collect();
    if !failed.is_empty() {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(vec![
                lang.pick("URL that failed", "Адрес с ошибкой"),
                lang.pick("Why", "Причина"),
            ]);
        fit(&mut t);
        for page in failed.iter().take(15) {
            let why = page
                .error
                .as_ref()
                .map(|e| describe_error(e, lang))
                .unwrap_or_default();
            t.add_row(vec![super::iri::readable(&page.url).into_owned(), why]);
        }
        let _ = writeln!(out, "\n{t}");
        if failed.len() > 15 {
            let _ = writeln!(
                out,
                "… {} {}",
                failed.len() - 15,
                lang.pick("more in --format json", "ещё — в --format json")
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Finding;
    use crate::checks::score::Score;

    fn text(en: &str) -> crate::rulebook::Text {
        crate::rulebook::Text {
            en: en.into(),
            ru: en.into(),
        }
    }

    fn render_one(colour: bool) -> String {
        let crawl = crate::types::crawl::CrawlSummary {
            start_url: "https://shop.example.com/".into(),
            pages_ok: 1,
            pages_failed: 0,
            pages_skipped: 0,
            pages_left: 0,
            robots_txt: "missing",
            sitemap_urls: 0,
            duration_ms: 1,
            limits: crate::types::crawl::Limits::default(),
            render: None,
            pages: Vec::new(),
        };
        let inventory = crate::inventory::Inventory::default();
        let site = crate::report::SiteRead {
            start_url: "https://shop.example.com/",
            region: None,
            region_source: None,
            crawl: &crawl,
            inventory: &inventory,
        };
        let findings = vec![Finding {
            rule: "phone.tel-mismatch".into(),
            severity: Severity::Error,
            category: "phone".into(),
            subject: "+7 495 000-00-00".into(),
            door: Some(crate::types::contact::DoorKind::Phone),
            breaks: true,
            evidence: "e".into(),
            urls: Vec::new(),
            title: text("Phone link dials another number"),
            why: text("w"),
            fix: text("f"),
            corrected: None,
        }];
        let score = Score {
            value: Some(90),
            not_scored: None,
            channels: Vec::new(),
            door_points: 60,
            finding_points: 30,
            problems: 1,
            errors: 1,
            warnings: 0,
            notices: 0,
        };
        render(&Report::new(site, &findings, &score, Lang::En), colour)
    }

    #[test]
    fn severities_are_coloured_only_when_asked() {
        assert!(render_one(true).contains("\u{1b}["));
        let plain = render_one(false);
        assert!(!plain.contains('\u{1b}'));
        assert!(
            plain.contains("Reachability score: 90/100") && plain.contains("phone.tel-mismatch")
        );
    }
}

//! The portfolio summary as a terminal table, JSON, Markdown or an HTML page that links each
//! site's own report.

use std::fmt::Write as _;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use crate::lang::Lang;
use crate::portfolio::{SiteRow, Summary};
use crate::report::html::esc;
use crate::report::markdown::inert;

fn score(row: &SiteRow) -> String {
    row.score.map_or_else(|| "—".into(), |s| s.to_string())
}

fn headline(summary: &Summary, lang: Lang) -> String {
    let mut text = format!(
        "{} {}, {} {}, {} {}",
        summary.sites.len(),
        lang.pick("sites", "сайтов"),
        summary.failing(),
        lang.pick("failing", "не прошли"),
        summary.unreadable(),
        lang.pick("unreadable", "не прочитаны"),
    );
    if !summary.shards.is_empty() {
        let _ = write!(
            text,
            " ({} {})",
            lang.pick("shards", "части"),
            summary.shards.join(", ")
        );
    }
    text
}

/// The columns every format shows, one row per site.
fn columns(lang: Lang) -> [&'static str; 5] {
    [
        lang.pick("Site", "Сайт"),
        lang.pick("Score", "Оценка"),
        lang.pick("Errors", "Ошибки"),
        lang.pick("Warnings", "Предупреждения"),
        lang.pick("Broken doors", "Сломанные каналы"),
    ]
}

pub fn table(summary: &Summary, lang: Lang) -> String {
    let mut header = columns(lang).to_vec();
    header.extend([lang.pick("Pages", "Стр."), lang.pick("Report", "Отчёт")]);
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    for row in &summary.sites {
        let site = match &row.error {
            Some(error) => format!("{} ({error})", row.url),
            None => row.url.clone(),
        };
        t.add_row(vec![
            site,
            score(row),
            row.errors.to_string(),
            row.warnings.to_string(),
            row.broken_doors.to_string(),
            row.pages_ok.to_string(),
            if row.report.is_empty() {
                String::new()
            } else {
                format!("{}.html", row.report)
            },
        ]);
    }
    format!("{t}\n{}\n", headline(summary, lang))
}

pub fn json(summary: &Summary) -> String {
    let mut text = serde_json::to_string_pretty(summary).unwrap_or_default();
    text.push('\n');
    text
}

pub fn markdown(summary: &Summary, lang: Lang) -> String {
    let mut out = format!(
        "## doorbell: {}\n\n{}\n\n| {} |\n|---|---|---|---|---|\n",
        lang.pick("portfolio", "портфель сайтов"),
        headline(summary, lang),
        columns(lang).join(" | "),
    );
    for row in &summary.sites {
        let _ = writeln!(
            out,
            "| {}{} | {} | {} | {} | {} |",
            inert(&row.url, 120),
            row.error
                .as_deref()
                .map(|e| format!(" ({})", inert(e, 80)))
                .unwrap_or_default(),
            score(row),
            row.errors,
            row.warnings,
            row.broken_doors
        );
    }
    out
}

/// A self-contained page; each site's name links its own HTML report next to it.
pub fn html(summary: &Summary, lang: Lang) -> String {
    let mut out = format!(
        r#"<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>doorbell: {}</title><style>body{{font:15px/1.5 system-ui,sans-serif;margin:20px auto;max-width:980px;padding:0 16px;color:#1d2330}}table{{border-collapse:collapse;width:100%}}th,td{{text-align:left;padding:6px 8px;border-bottom:1px solid #dde1e8}}td.num{{text-align:right}}tr.fails td:first-child{{border-left:4px solid #c62828}}.scroll{{overflow-x:auto}}</style></head><body><h1>doorbell: {}</h1><p>{}</p><div class="scroll"><table><thead><tr>{}</tr></thead><tbody>"#,
        lang.pick("en", "ru"),
        lang.pick("portfolio", "портфель сайтов"),
        lang.pick("portfolio", "портфель сайтов"),
        esc(&headline(summary, lang)),
        columns(lang).map(|c| format!("<th>{c}</th>")).concat(),
    );
    for row in &summary.sites {
        // Report names are ours (letters, digits, dots, dashes): a relative link is safe.
        let stem_is_ours = !row.report.is_empty()
            && row
                .report
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        let site = if stem_is_ours {
            format!(
                r#"<a href="{}.html">{}</a>"#,
                esc(&row.report),
                esc(&row.url)
            )
        } else {
            esc(&row.url)
        };
        let _ = write!(
            out,
            r#"<tr{}><td>{site}{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
            if row.fails { r#" class="fails""# } else { "" },
            row.error
                .as_deref()
                .map(|e| format!(" — {}", esc(e)))
                .unwrap_or_default(),
            score(row),
            row.errors,
            row.warnings,
            row.broken_doors
        );
    }
    let _ = writeln!(
        out,
        "</tbody></table></div><p>doorbell {} · {}</p></body></html>",
        env!("CARGO_PKG_VERSION"),
        esc(&summary.generated_at)
    );
    out
}

/// JUnit for CI dashboards: one suite for the portfolio, one case per site, failing when the
/// site fails (findings at or above --fail-on, or unreadable).
pub fn junit(summary: &Summary, lang: Lang) -> String {
    use crate::report::junit::escape;
    let failures = summary.failing();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"doorbell\" tests=\"{n}\" failures=\"{failures}\" errors=\"0\">\n  <testsuite name=\"doorbell portfolio\" tests=\"{n}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n",
        n = summary.sites.len()
    );
    for row in &summary.sites {
        let _ = write!(
            out,
            "    <testcase classname=\"doorbell.site\" name=\"{}\" time=\"{:.3}\"",
            escape(&row.url),
            row.duration_ms as f64 / 1000.0
        );
        if row.fails {
            let why = row.error.clone().unwrap_or_else(|| {
                format!(
                    "{}: {}, {}, {}",
                    lang.pick("score", "оценка"),
                    score(row),
                    crate::report::words::count(
                        row.errors,
                        crate::report::words::Counted::Error,
                        lang
                    ),
                    crate::report::words::count(
                        row.warnings,
                        crate::report::words::Counted::Warning,
                        lang
                    )
                )
            });
            let _ = writeln!(
                out,
                ">\n      <failure message=\"{0}\" type=\"site\">{0}</failure>\n    </testcase>",
                escape(&why)
            );
        } else {
            out.push_str("/>\n");
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

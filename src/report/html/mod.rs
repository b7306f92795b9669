//! `--format html`: one self-contained page to read, forward and print — the score, the channel
//! matrix, the findings with why and how to fix, the probe timelines, the contacts page by
//! page. Inline CSS and SVG only; a Content-Security-Policy forbids every script and every
//! request, so even a bug in escaping could not make the page run or fetch anything.

mod escape;
mod findings;
mod inventory;
mod shots;
mod timeline;
mod trend;

use std::fmt::Write as _;

pub use escape::{esc, safe_href};

use super::Report;
use super::doors::Door;
use super::probes::{page_said, status_name};
use super::words::not_scored_line;
use crate::lang::Lang;
use crate::rulebook::Severity;

const STYLE: &str = include_str!("style.css");

/// No script, no fetch, no frame, no form submission: only the page's own styles and pictures.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
                      base-uri 'none'; form-action 'none'";

pub(super) fn severity_id(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice => "notice",
    }
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(crate::report::iri::readable_host))
        .unwrap_or_else(|| url.to_string())
}

/// Renders the whole page.
pub fn render(report: &Report<'_>) -> String {
    let lang = report.lang;
    let mut out = String::with_capacity(64 * 1024);
    let title = format!(
        "doorbell: {} {}",
        lang.pick("contact surface of", "контакты сайта"),
        host_of(report.start_url)
    );
    let _ = write!(
        out,
        r#"<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="Content-Security-Policy" content="{POLICY}"><meta name="referrer" content="no-referrer"><meta name="generator" content="doorbell {}"><title>{}</title><style>{STYLE}</style></head><body>"#,
        lang.pick("en", "ru"),
        esc(report.tool.version),
        esc(&title)
    );
    header(&mut out, report, lang);
    out.push_str("<main>");
    if !report.probes_only && report.score.value.is_some() {
        first_fixes(&mut out, report, lang);
    }
    if !report.probes_only {
        matrix(&mut out, &report.doors, report.crawl.partial(), lang);
        if let Some(line) = crate::report::words::mail_unchecked_line(report.inventory, lang) {
            let _ = write!(out, r#"<p class="unchecked">{}</p>"#, esc(&line));
        }
    }
    findings::render(&mut out, &report.findings, lang);
    probes(&mut out, report, lang);
    history(&mut out, report, lang);
    if !report.probes_only {
        shots::render(&mut out, report, lang);
    }
    if !report.probes_only {
        inventory::render(
            &mut out,
            report.inventory,
            report.crawl,
            &report.findings,
            lang,
        );
    }
    let _ = writeln!(
        out,
        "</main><footer>doorbell {} · {} · {}</footer></body></html>",
        esc(report.tool.version),
        esc(&report.generated_at),
        lang.pick(
            "Everything here was read from the site and is shown as text: nothing in this page runs or loads from elsewhere.",
            "Всё здесь прочитано с сайта и показано как текст: страница ничего не запускает и ничего не загружает."
        )
    );
    out
}

fn header(out: &mut String, report: &Report<'_>, lang: Lang) {
    let crawl = report.crawl;
    let _ = write!(
        out,
        r#"<header class="top"><p class="brand">doorbell</p><h1>{} <span class="site">{}</span></h1><p class="meta">"#,
        if report.probes_only {
            lang.pick("Probes of", "Проверки сайта")
        } else {
            lang.pick("Contact surface of", "Контакты сайта")
        },
        esc(&host_of(report.start_url))
    );
    escape::link(out, report.start_url, 200);
    let _ = write!(
        out,
        r#" · <time datetime="{0}">{0}</time>"#,
        esc(&report.generated_at)
    );
    if !report.probes_only {
        let _ = write!(
            out,
            " · {} {}, {} {}, {} {}",
            crawl.pages_ok,
            lang.pick("pages read", "стр. прочитано"),
            crawl.pages_failed,
            lang.pick("failed", "с ошибкой"),
            crawl.pages_skipped,
            lang.pick("skipped", "пропущено"),
        );
    }
    out.push_str("</p>");
    if !report.probes_only
        && let Some(line) = crate::report::words::limits_line(crawl, lang)
    {
        let _ = write!(out, r#"<p class="limits">{}</p>"#, esc(&line));
    }
    if !report.probes_only
        && let Some(line) = crate::report::browser::render_line(crawl, report.inventory, lang)
    {
        let _ = write!(out, r#"<p class="limits">{}</p>"#, esc(&line));
    }
    out.push_str(r#"<div class="summary">"#);
    let s = report.score;
    if !report.probes_only {
        match s.value {
            Some(value) => {
                let grade = match value {
                    80.. => "good",
                    50.. => "fair",
                    _ => "poor",
                };
                let _ = write!(
                    out,
                    r#"<div id="score" class="score {grade}" data-score="{0}" title="{1}"><b>{0}</b><span>/100</span></div>"#,
                    value,
                    lang.pick("Reachability score", "Оценка доступности")
                );
            }
            None => {
                let _ = write!(
                    out,
                    r#"<div id="score" class="score none" data-score=""><b>—</b><span>{}</span></div><p class="not-scored">{}</p>"#,
                    lang.pick("not scored", "без оценки"),
                    esc(&not_scored_line(report.crawl, lang))
                );
            }
        }
    }
    // The score counted the findings by severity already.
    out.push_str(r#"<ul class="counts">"#);
    for (severity, count, en, ru) in [
        (Severity::Error, s.errors, "errors", "ошибки"),
        (Severity::Warning, s.warnings, "warnings", "предупреждения"),
        (Severity::Notice, s.notices, "notices", "замечания"),
    ] {
        let _ = write!(
            out,
            r#"<li class="sev-{}">{}: {count}</li>"#,
            severity_id(severity),
            lang.pick(en, ru),
        );
    }
    out.push_str("</ul></div>");
    // No banner of missing channels over a site that could not be read: nothing was seen.
    out.push_str("</header><nav>");
    let mut sections = Vec::new();
    if !report.probes_only {
        sections.push(("channels", lang.pick("Channels", "Каналы")));
    }
    sections.push(("findings", lang.pick("Findings", "Замечания")));
    if !report.probes.is_empty() {
        sections.push(("probes", lang.pick("Probes", "Проверки")));
    }
    if !report.history.is_empty() {
        sections.push(("history", lang.pick("History", "История")));
    }
    if !report.probes_only {
        sections.push(("inventory", lang.pick("Page by page", "По страницам")));
    }
    for (id, name) in sections {
        let _ = write!(out, "<a href=\"#{id}\">{name}</a>");
    }
    out.push_str("</nav>");
}

/// The few problems to fix first, one line each with its page, then the kinds of channel the
/// site lacks: a preference, after the doors that do not work.
fn first_fixes(out: &mut String, report: &Report<'_>, lang: Lang) {
    let first = crate::report::first_fixes(&report.findings);
    let missing: Vec<&str> = [
        ("phone", lang.pick("a phone", "телефона")),
        ("written", lang.pick("e-mail or a form", "e-mail или формы")),
        (
            "instant",
            lang.pick("a messenger or a chat", "мессенджера или чата"),
        ),
    ]
    .into_iter()
    .filter(|(id, _)| !report.score.channels.contains(id))
    .map(|(_, name)| name)
    .collect();
    if first.is_empty() && missing.is_empty() {
        return;
    }
    let _ = write!(
        out,
        r#"<section id="first"><h2>{}</h2>"#,
        lang.pick("Fix these first", "Исправить в первую очередь")
    );
    if !first.is_empty() {
        out.push_str("<ol>");
        for group in first {
            let worst = group[0];
            let titles: Vec<&str> = group.iter().map(|f| f.title.as_str()).collect();
            let _ = write!(
                out,
                r#"<li class="{}"><strong>{}</strong>: {}"#,
                severity_id(worst.severity),
                esc(&titles.join("; ")),
                escape::esc_cut(&worst.subject, 120),
            );
            if let Some(url) = &worst.url {
                out.push_str(" — ");
                escape::link(out, url, 100);
            }
            out.push_str("</li>");
        }
        out.push_str("</ol>");
    }
    if !missing.is_empty() {
        let _ = write!(
            out,
            r#"<p class="missing">{}: {}</p>"#,
            lang.pick("No way to reach you by", "Нет способа связаться: нет"),
            esc(&missing.join(", "))
        );
    }
    out.push_str("</section>");
}

fn matrix(out: &mut String, doors: &[Door], partial: bool, lang: Lang) {
    let _ = write!(
        out,
        r#"<section id="channels"><h2>{}</h2><div class="scroll"><table class="matrix"><thead><tr><th>{}</th><th>{}</th><th class="num">{}</th><th class="num">{}</th><th>{}</th><th class="num">{}</th><th class="num">{}</th></tr></thead><tbody>"#,
        lang.pick("Channels", "Каналы связи"),
        lang.pick("Door", "Канал"),
        lang.pick("State", "Состояние"),
        lang.pick("Count", "Кол-во"),
        lang.pick("Pages", "Страниц"),
        lang.pick("Findings", "Замечания"),
        lang.pick("Broken", "Не работают"),
        lang.pick("Probes", "Проверки"),
    );
    for door in doors {
        let findings = [
            (door.errors, "error"),
            (door.warnings, "warning"),
            (door.notices, "notice"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, class)| format!(r#"<span class="pill sev-{class}">{n}</span>"#))
        .collect::<Vec<_>>()
        .join(" ");
        // The labels let a phone's narrow screen stack each row's cells under their names.
        let _ = write!(
            out,
            r#"<tr class="{0}" data-state="{0}"><td class="door">{1}</td><td><span class="state {0}">{2}</span></td><td class="num" data-label="{count}">{3}</td><td class="num" data-label="{pages}">{4}</td><td data-label="{findings_label}">{findings}</td><td class="num" data-label="{broken}">{5}</td><td class="num" data-label="{probes}">{6}</td></tr>"#,
            door.state.id(),
            esc(crate::report::words::door_name(door.kind, lang)),
            crate::report::words::door_state_name(door.state, partial, lang),
            door.count,
            door.pages,
            door.broken,
            door.probes,
            count = lang.pick("Count", "Кол-во"),
            pages = lang.pick("Pages", "Страниц"),
            findings_label = lang.pick("Findings", "Замечания"),
            broken = lang.pick("Broken", "Не работают"),
            probes = lang.pick("Probes", "Проверки"),
        );
    }
    out.push_str("</tbody></table></div></section>");
}

fn probes(out: &mut String, report: &Report<'_>, lang: Lang) {
    if report.probes.is_empty() {
        return;
    }
    let _ = write!(
        out,
        r#"<section id="probes"><h2>{} ({})</h2><p class="legend">"#,
        lang.pick("Probes", "Проверки"),
        report.probes.len()
    );
    for (class, name) in [
        ("sent", lang.pick("sent", "отправлено")),
        ("confirmation", lang.pick("confirmation", "подтверждение")),
        ("human", lang.pick("human reply", "ответ человека")),
        ("notification", lang.pick("company inbox", "почта компании")),
        (
            "late",
            lang.pick("late or failed", "с опозданием или ошибка"),
        ),
    ] {
        let _ = write!(out, r#"<span><i class="{class}"></i>{name}</span>"#);
    }
    let _ = write!(
        out,
        "<span>{}</span></p>",
        lang.pick(
            "dashed: deadlines for the confirmation and the reply; grey: how long we watched",
            "пунктир — сроки подтверждения и ответа; серым — сколько мы ждали"
        )
    );
    for row in report.probes {
        let f = &row.facts;
        let _ = write!(
            out,
            r#"<article class="probe" data-status="{}"><h3>{}: {}</h3><p>{}"#,
            esc(row.status),
            esc(crate::report::words::probe_channel_name(&f.channel, lang)),
            escape::esc_cut(&crate::report::iri::readable(&f.target), 160),
            esc(status_name(row.status, lang)),
        );
        let said = page_said(row, lang);
        if !said.is_empty() {
            let _ = write!(
                out,
                " · {}: {}",
                lang.pick("page said", "ответ страницы"),
                escape::esc_cut(&said, 200)
            );
        }
        let _ = write!(
            out,
            " · {}: {} · {}: {}</p>",
            lang.pick("confirmation", "подтверждение"),
            esc(&crate::report::probes::confirmation_cell(row, lang)),
            lang.pick("human reply", "ответ человека"),
            esc(&crate::report::probes::reply_cell(row, lang)),
        );
        timeline::render(out, row, lang);
        out.push_str("</article>");
    }
    out.push_str("</section>");
}

fn history(out: &mut String, report: &Report<'_>, lang: Lang) {
    if report.history.is_empty() {
        return;
    }
    let _ = write!(
        out,
        r#"<section id="history"><h2>{}</h2><p class="legend"><span><i class="confirmation"></i>{}</span><span><i class="human"></i>{}</span><span><i class="late"></i>{}</span></p>"#,
        lang.pick(
            "Answer times over the last runs",
            "Время ответа за последние запуски"
        ),
        lang.pick("confirmation", "подтверждение"),
        lang.pick("human reply", "ответ человека"),
        lang.pick("failed or no reply", "ошибка или нет ответа"),
    );
    for door in report.history {
        let _ = write!(
            out,
            r#"<article class="probe"><h3>{}: {}</h3><p>{}</p>"#,
            esc(crate::report::words::probe_channel_name(
                &door.channel,
                lang
            )),
            escape::esc_cut(&crate::report::iri::readable(&door.target), 160),
            door.points
                .iter()
                .map(|p| crate::journal::history::mark(&p.status))
                .collect::<String>()
        );
        // A trend needs two points; one run draws an empty chart.
        if door.points.len() < 2 {
            let _ = write!(
                out,
                r#"<p class="one-run">{}</p>"#,
                lang.pick(
                    "One run so far: the chart starts with the next one.",
                    "Пока один запуск: график появится со следующим."
                )
            );
        } else {
            trend::render(out, door, lang);
        }
        out.push_str("</article>");
    }
    out.push_str("</section>");
}

//! The probe table: what was sent where, what came back and when, against the deadlines.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use crate::lang::Lang;
use crate::types::probe::ProbeRow;

pub(crate) fn status_name(status: &str, lang: Lang) -> &'static str {
    match status {
        "failed" => lang.pick("failed", "не отправлено"),
        "in-doubt" => lang.pick("in doubt (run stopped)", "неизвестно (запуск прерван)"),
        "planned" => lang.pick("planned", "запланировано"),
        "answered" => lang.pick("answered", "ответили"),
        "confirmed" => lang.pick("confirmed, no answer yet", "подтвердили, ответа нет"),
        "waiting" => lang.pick("waiting", "ждём"),
        "no-reply" => lang.pick("no reply", "нет ответа"),
        _ => lang.pick("sent", "отправлено"),
    }
}

/// `42 s`, `12 min`, `2.5 h`; `—` for nothing.
pub fn duration(seconds: Option<i64>, lang: Lang) -> String {
    match seconds {
        None => "—".into(),
        Some(s) if s < 120 => format!("{s} {}", lang.pick("s", "с")),
        Some(s) if s < 2 * 3600 => format!("{} {}", s / 60, lang.pick("min", "мин")),
        Some(s) => format!("{:.1} {}", s as f64 / 3600.0, lang.pick("h", "ч")),
    }
}

/// What the form's page answered (status and words), or why sending failed.
pub(crate) fn page_said(row: &ProbeRow, lang: Lang) -> String {
    let f = &row.facts;
    match (&f.answer, &f.failure) {
        (Some(a), _) => {
            let status = match (a.browser, a.status) {
                (true, 0) => lang.pick("in a browser", "в браузере").to_string(),
                (true, status) => format!(
                    "{} HTTP {status}",
                    lang.pick("in a browser,", "в браузере,")
                ),
                (false, status) => format!("HTTP {status}"),
            };
            let said = match a.error.as_deref().or(a.confirmation.as_deref()) {
                Some(words) => format!("{status}: {words}"),
                None if a.failed() => status,
                None => format!("{status}: {}", lang.pick("(nothing)", "(ничего)")),
            };
            if a.blocked.is_empty() {
                said
            } else {
                format!(
                    "{said}; {} {}",
                    lang.pick(
                        "blocked, outside allow_hosts:",
                        "заблокировано, не из allow_hosts:"
                    ),
                    a.blocked.join(", ")
                )
            }
        }
        (None, Some(why)) => why.clone(),
        (None, None) => String::new(),
    }
}

/// Appends the probe table to `out`; nothing when nothing was probed.
pub fn render(out: &mut String, probes: &[ProbeRow], lang: Lang) {
    if probes.is_empty() {
        return;
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec![
            lang.pick("Probe", "Проверка"),
            lang.pick("Status", "Статус"),
            lang.pick("Page said", "Ответ страницы"),
            lang.pick("Confirmation", "Подтверждение"),
            lang.pick("Human reply", "Ответ человека"),
            lang.pick("Company inbox", "Почта компании"),
        ]);
    super::table::fit(&mut t);
    for row in probes {
        let f = &row.facts;
        let said = page_said(row, lang);
        let inbox = match &f.notifications {
            None => "—".to_string(),
            Some(list) => match list.first() {
                Some(n) if n.junk => format!("{} ({})", duration(Some(n.after_s), lang), n.folder),
                Some(n) => duration(Some(n.after_s), lang),
                None => lang.pick("nothing", "ничего").to_string(),
            },
        };
        t.add_row(vec![
            format!(
                "{}: {}",
                super::words::probe_channel_name(&f.channel, lang),
                super::iri::readable(&f.target)
            ),
            status_name(row.status, lang).to_string(),
            said,
            confirmation_cell(row, lang),
            reply_cell(row, lang),
            inbox,
        ]);
    }
    let _ = writeln!(
        out,
        "\n{}\n{t}",
        lang.pick(
            "Probes (time to answer / deadline)",
            "Проверки (время ответа / срок)"
        )
    );
}

/// The confirmation against its deadline, or why none is awaited (a form that took no e-mail
/// has nowhere to send one).
pub fn confirmation_cell(row: &ProbeRow, lang: Lang) -> String {
    let f = &row.facts;
    if f.submitted() && !f.expects_confirmation() {
        return lang
            .pick("— (no e-mail given)", "— (e-mail не спрашивали)")
            .to_string();
    }
    format!(
        "{} / {}",
        duration(row.confirmation_after_s, lang),
        duration(Some(f.deadlines.confirmation_s), lang)
    )
}

/// The human reply against its deadline, or why none is awaited: a callback is answered by a
/// phone call, which doorbell cannot hear.
pub fn reply_cell(row: &ProbeRow, lang: Lang) -> String {
    let f = &row.facts;
    if f.submitted() && !f.expects_human_reply() {
        return if f.purpose.as_deref() == Some("callback") {
            lang.pick("— (by phone)", "— (звонком)")
        } else {
            lang.pick("— (no e-mail given)", "— (e-mail не спрашивали)")
        }
        .to_string();
    }
    format!(
        "{} / {}",
        duration(row.human_reply_after_s, lang),
        duration(Some(f.deadlines.reply_s), lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::probe::{FormAnswer, ProbeFacts};

    fn row(answer: FormAnswer) -> ProbeRow {
        ProbeRow::from(ProbeFacts {
            channel: "form".into(),
            state: "sent".into(),
            answer: Some(answer),
            ..ProbeFacts::default()
        })
    }

    #[test]
    fn a_browser_probe_says_so_and_names_what_was_blocked() {
        let sent = row(FormAnswer {
            status: 200,
            confirmation: Some("Спасибо!".into()),
            browser: true,
            blocked: vec!["https://stats.example.net/collect".into()],
            ..FormAnswer::default()
        });
        assert_eq!(
            page_said(&sent, Lang::En),
            "in a browser, HTTP 200: Спасибо!; blocked, outside allow_hosts: https://stats.example.net/collect"
        );
        assert!(
            page_said(&sent, Lang::Ru).starts_with("в браузере, HTTP 200: Спасибо!; заблокировано")
        );
        let silent = row(FormAnswer {
            error: Some("nothing left the page when «Отправить» was clicked".into()),
            browser: true,
            ..FormAnswer::default()
        });
        assert_eq!(
            page_said(&silent, Lang::En),
            "in a browser: nothing left the page when «Отправить» was clicked"
        );
        let plain = row(FormAnswer {
            status: 500,
            ..FormAnswer::default()
        });
        assert_eq!(page_said(&plain, Lang::En), "HTTP 500");
    }
}

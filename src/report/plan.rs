//! `--plan`: exactly what would be sent where, and what is left alone and why. Nothing is
//! sent to print it.

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use crate::journal::Channel;
use crate::lang::Lang;
use crate::probe::plan::ProbePlan;
use crate::probe::settings::ProbeSettings;

fn channel_name(channel: Channel, lang: Lang) -> &'static str {
    match channel {
        Channel::Form => lang.pick("form", "форма"),
        Channel::Email => lang.pick("e-mail", "e-mail"),
    }
}

/// The plan as a table for people.
/// `probe_asked`: `--probe` was given with `--plan`, so the last line does not tell to add it.
pub fn render(plan: &ProbePlan, settings: &ProbeSettings, lang: Lang, probe_asked: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}:",
        lang.pick(
            "doorbell would send these messages; replies read from",
            "doorbell отправит эти сообщения; ответы будут читаться из"
        ),
        settings.mailbox.describe(),
    );
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec![
            lang.pick("Channel", "Канал"),
            lang.pick("To", "Куда"),
            lang.pick("From page", "Со страницы"),
            lang.pick("As", "От имени"),
            lang.pick("Awaited within", "Ждём за"),
        ]);
    for target in &plan.targets {
        t.add_row(vec![
            format!(
                "{}{}{}",
                channel_name(target.channel, lang),
                target
                    .purpose
                    .as_deref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default(),
                if target.browser {
                    lang.pick(", in a browser", ", в браузере")
                } else {
                    ""
                }
            ),
            target.target.clone(),
            target.page.clone().unwrap_or_default(),
            format!(
                "{} <{}>, {}",
                settings.persona.name, settings.persona.email, settings.persona.phone
            ),
            awaited(target, settings, lang),
        ]);
    }
    if plan.targets.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            lang.pick("Nothing to send.", "Отправлять нечего.")
        );
    } else {
        let _ = writeln!(out, "{t}");
    }
    if !plan.skipped.is_empty() {
        let mut s = Table::new();
        s.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(vec![
                lang.pick("Left alone", "Не трогаем"),
                lang.pick("Why", "Почему"),
            ]);
        for skipped in &plan.skipped {
            s.add_row(vec![
                format!(
                    "{}: {}",
                    channel_name(skipped.channel, lang),
                    skipped.target
                ),
                super::words::skip_reason(&skipped.reason, lang),
            ]);
        }
        let _ = writeln!(out, "\n{s}");
    }
    let _ = writeln!(
        out,
        "\n{}",
        if probe_asked {
            lang.pick(
                "Nothing was sent: --plan only shows the plan. Run without --plan to send.",
                "Ничего не отправлено: --plan только показывает план. Чтобы отправить, запустите без --plan.",
            )
        } else {
            lang.pick(
                "Nothing was sent. Run with --probe to send.",
                "Ничего не отправлено. Чтобы отправить, запустите с --probe.",
            )
        }
    );
    out
}

/// The deadlines that apply to one target: a callback form is answered by a phone call, so
/// only its confirmation is awaited by mail.
fn awaited(target: &crate::probe::plan::Target, settings: &ProbeSettings, lang: Lang) -> String {
    let deadlines = match target.channel {
        Channel::Form => settings.form_deadlines,
        Channel::Email => settings.email_deadlines,
    };
    let confirmation = format!(
        "{} {}",
        lang.pick("confirmation", "подтверждение"),
        super::probes::duration(Some(deadlines.confirmation_s), lang)
    );
    if target.purpose.as_deref() == Some("callback") {
        return format!(
            "{confirmation}; {}",
            lang.pick("the call itself is not heard", "сам звонок не слышен")
        );
    }
    format!(
        "{confirmation}, {} {}",
        lang.pick("reply", "ответ"),
        super::probes::duration(Some(deadlines.reply_s), lang)
    )
}

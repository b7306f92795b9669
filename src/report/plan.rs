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
pub fn render(plan: &ProbePlan, settings: &ProbeSettings, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({} {}, {} {}):",
        lang.pick(
            "doorbell would send these messages; replies read from",
            "doorbell отправит эти сообщения; ответы будут читаться из"
        ),
        settings.mailbox.describe(),
        lang.pick("confirmation within", "подтверждение за"),
        super::probes::duration(Some(settings.form_deadlines.confirmation_s), lang),
        lang.pick("reply within", "ответ за"),
        super::probes::duration(Some(settings.form_deadlines.reply_s), lang),
    );
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec![
            lang.pick("Channel", "Канал"),
            lang.pick("To", "Куда"),
            lang.pick("From page", "Со страницы"),
            lang.pick("As", "От имени"),
        ]);
    for target in &plan.targets {
        t.add_row(vec![
            format!(
                "{}{}",
                channel_name(target.channel, lang),
                target
                    .purpose
                    .as_deref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default()
            ),
            target.target.clone(),
            target.page.clone().unwrap_or_default(),
            format!(
                "{} <{}>, {}",
                settings.persona.name, settings.persona.email, settings.persona.phone
            ),
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
        lang.pick(
            "Nothing was sent. Run with --probe to send.",
            "Ничего не отправлено. Чтобы отправить, запустите с --probe."
        )
    );
    out
}

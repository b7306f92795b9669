//! `doorbell history`: how each probed door answered over the last runs, for a terminal.

use std::fmt::Write as _;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::probes::duration;
use crate::journal::history::{DoorHistory, mark, median};
use crate::lang::Lang;

/// The probes of a site over its last runs, one row per door, as a terminal table.
pub fn table(site: &str, doors: &[DoorHistory], lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {site}",
        lang.pick(
            "Probes over the last runs of",
            "Проверки за последние запуски:"
        )
    );
    if doors.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            lang.pick(
                "Nothing probed yet for this site.",
                "Этот сайт ещё не проверяли."
            )
        );
        return out;
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec![
            lang.pick("Probe", "Проверка"),
            lang.pick("Runs, oldest → newest", "Запуски, от старых к новым"),
            lang.pick("Last", "Последний"),
            lang.pick(
                "Confirmation: median / last",
                "Подтверждение: медиана / последнее",
            ),
            lang.pick(
                "Human reply: median / last",
                "Ответ человека: медиана / последний",
            ),
        ]);
    super::table::fit(&mut t);
    for door in doors {
        let last = door.points.last();
        t.add_row(vec![
            format!("{}: {}", door.channel, door.target),
            door.points.iter().map(|p| mark(&p.status)).collect(),
            last.map(|p| p.status.clone()).unwrap_or_default(),
            format!(
                "{} / {}",
                duration(
                    median(door.points.iter().map(|p| p.confirmation_after_s)),
                    lang
                ),
                duration(last.and_then(|p| p.confirmation_after_s), lang)
            ),
            format!(
                "{} / {}",
                duration(
                    median(door.points.iter().map(|p| p.human_reply_after_s)),
                    lang
                ),
                duration(last.and_then(|p| p.human_reply_after_s), lang)
            ),
        ]);
    }
    let _ = writeln!(
        out,
        "{t}\n{}",
        lang.pick(
            "✓ answered  ○ confirmed  · sent  ✗ failed or no reply  … not judged yet",
            "✓ ответили  ○ подтвердили  · отправлено  ✗ ошибка или нет ответа  … ещё не оценено"
        )
    );
    out
}

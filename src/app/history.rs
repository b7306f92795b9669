//! `doorbell history`: each door's probes over the last runs, from the journal.

use std::fmt::Write as _;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use super::Exit;
use super::probing::journal_path;
use crate::cli::{HistoryArgs, HistoryFormat};
use crate::config;
use crate::crawl::normalize::parse_start;
use crate::history::{self, DoorHistory, mark, median};
use crate::journal::Journal;
use crate::lang::Lang;
use crate::report::probes::duration;

pub(crate) fn history_command(args: &HistoryArgs) -> Exit {
    let file = match config::find(args.config.as_deref()) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let Some(url) = args.url.clone().or(file.site.clone()) else {
        eprintln!(
            "doorbell: give the site: doorbell history https://shop.example.com (or `site` in doorbell.toml)"
        );
        return Exit::Usage;
    };
    let site = match parse_start(&url) {
        Ok(start) => start.to_string(),
        Err(e) => {
            eprintln!("doorbell: {url:?} is not a web address: {e}");
            return Exit::Usage;
        }
    };
    let path = journal_path(args.journal.clone());
    if !path.exists() {
        eprintln!(
            "doorbell: no journal at {}: nothing was probed yet (doorbell run --probe or doorbell probe --probe)",
            path.display()
        );
        return Exit::Usage;
    }
    let doors = match Journal::open(&path).and_then(|j| history::load(&j, &site, args.runs)) {
        Ok(doors) => doors,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::RunFailed;
        }
    };
    let lang = args
        .lang
        .or(file.report.lang)
        .unwrap_or_else(Lang::from_env);
    let text = match args.format {
        HistoryFormat::Json => {
            let mut text = serde_json::to_string_pretty(&serde_json::json!({
                "site": site,
                "doors": doors,
            }))
            .unwrap_or_default();
            text.push('\n');
            text
        }
        HistoryFormat::Table => render(&site, &doors, lang),
    };
    super::print_or_ignore_pipe(&text)
}

fn render(site: &str, doors: &[DoorHistory], lang: Lang) -> String {
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

//! `doorbell history`: each door's probes over the last runs, from the journal.

use super::Exit;
use super::probing::journal_path;
use crate::cli::{HistoryArgs, HistoryFormat};
use crate::config;
use crate::crawl::normalize::parse_start;
use crate::journal::Journal;
use crate::journal::history::{self};

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
    let lang = file.lang(args.lang);
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
        HistoryFormat::Table => crate::report::history::table(&site, &doors, lang),
    };
    super::print_or_ignore_pipe(&text)
}

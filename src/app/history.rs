//! `doorbell history`: each door's probes over the last runs, from the journal.

use super::probing::journal_path;
use super::{Failure, Outcome};
use crate::cli::{HistoryArgs, HistoryFormat};
use crate::config;
use crate::crawl::normalize::parse_start;
use crate::journal::Journal;
use crate::journal::history::{self};

pub(crate) fn history_command(args: &HistoryArgs) -> Outcome {
    let file = config::find(args.config.as_deref())?;
    let url = args.url.clone().or(file.site.clone()).ok_or_else(|| {
        Failure::usage(
            "give the site: doorbell history https://shop.example.com (or `site` in doorbell.toml)",
        )
    })?;
    let site = parse_start(&url)
        .map_err(|e| Failure::usage(format!("{url:?} is not a web address: {e}")))?
        .to_string();
    let path = journal_path(args.journal.clone());
    if !path.exists() {
        return Err(Failure::usage(format!(
            "no journal at {}: nothing was probed yet (doorbell run --probe or doorbell probe --probe)",
            path.display()
        )));
    }
    let doors = Journal::open(&path)
        .and_then(|j| history::load(&j, &site, args.runs))
        .map_err(Failure::run)?;
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

//! `init`, `rules`, `explain`: the commands that tell rather than audit.

use super::{Exit, Failure, Outcome, catalogue, print_or_ignore_pipe};
use crate::cli::{ExplainArgs, InitArgs, RulesArgs};
use crate::config;

pub(crate) fn init(args: &InitArgs) -> Outcome {
    if args.path.exists() && !args.force {
        return Err(Failure::usage(format!(
            "{} exists; --force replaces it",
            args.path.display()
        )));
    }
    std::fs::write(&args.path, config::STARTER)
        .map_err(|e| Failure::run(format!("cannot write {}: {e}", args.path.display())))?;
    eprintln!("doorbell: wrote {}", args.path.display());
    Ok(Exit::Ok)
}

pub(crate) fn list_rules(args: &RulesArgs) -> Outcome {
    let catalogue = catalogue(args.rules.as_deref())?;
    let lang = config::find(None)?.lang(args.lang);
    let mut table = comfy_table::Table::new();
    table
        .load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_header(vec![
            lang.pick("Rule", "Правило"),
            lang.pick("Severity", "Важность"),
            lang.pick("Title", "Название"),
        ]);
    for rule in &catalogue.rules {
        table.add_row(vec![
            rule.id.as_str(),
            crate::report::words::severity_name(rule.severity, lang),
            rule.title.get(lang),
        ]);
    }
    print_or_ignore_pipe(&format!("{table}\n"))
}

pub(crate) fn explain(args: &ExplainArgs) -> Outcome {
    let catalogue = catalogue(args.common.rules.as_deref())?;
    let lang = config::find(None)?.lang(args.common.lang);
    let rule = catalogue.get(&args.id).ok_or_else(|| {
        Failure::usage(format!(
            "{} {:?}; `doorbell rules` {}",
            lang.pick("no rule", "нет правила"),
            args.id,
            lang.pick("lists them", "покажет список")
        ))
    })?;
    let mut text = format!(
        "{} ({}, {})\n\n{}\n  {}\n\n{}\n  {}\n",
        rule.title.get(lang),
        rule.id,
        crate::report::words::severity_name(rule.severity, lang),
        lang.pick("Why it matters:", "Почему это важно:"),
        rule.why.get(lang),
        lang.pick("How to fix:", "Как исправить:"),
        rule.fix.get(lang),
    );
    if !rule.thresholds.is_empty() {
        text.push_str(&format!("\n{}\n", lang.pick("Thresholds:", "Пороги:")));
        for (name, value) in &rule.thresholds {
            text.push_str(&format!("  {name} = {value}\n"));
        }
    }
    print_or_ignore_pipe(&text)
}

/// A completion script for `shell`, from the command line's own definition.
pub(crate) fn completions(shell: clap_complete::Shell) -> Outcome {
    let mut command = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "doorbell", &mut script);
    super::print_or_ignore_pipe(&String::from_utf8_lossy(&script))
}

/// The manual page, from the command line's own definition.
pub(crate) fn man_page() -> Outcome {
    let command = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .map_err(|e| Failure::run(format!("cannot render the manual page: {e}")))?;
    super::print_or_ignore_pipe(&String::from_utf8_lossy(&page))
}

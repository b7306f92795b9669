//! `init`, `rules`, `explain`: the commands that tell rather than audit.

use super::{Exit, catalogue, print_or_ignore_pipe};
use crate::cli::{ExplainArgs, InitArgs, RulesArgs};
use crate::config;

pub(crate) fn init(args: &InitArgs) -> Exit {
    if args.path.exists() && !args.force {
        eprintln!(
            "doorbell: {} exists; --force replaces it",
            args.path.display()
        );
        return Exit::Usage;
    }
    match std::fs::write(&args.path, config::STARTER) {
        Ok(()) => {
            eprintln!("doorbell: wrote {}", args.path.display());
            Exit::Ok
        }
        Err(e) => {
            eprintln!("doorbell: cannot write {}: {e}", args.path.display());
            Exit::RunFailed
        }
    }
}

pub(crate) fn list_rules(args: &RulesArgs) -> Exit {
    let catalogue = match catalogue(args.rules.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let lang = match config::find(None) {
        Ok(file) => file.lang(args.lang),
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
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

pub(crate) fn explain(args: &ExplainArgs) -> Exit {
    let catalogue = match catalogue(args.common.rules.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let lang = match config::find(None) {
        Ok(file) => file.lang(args.common.lang),
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let Some(rule) = catalogue.get(&args.id) else {
        eprintln!(
            "doorbell: {} {:?}; `doorbell rules` {}",
            lang.pick("no rule", "нет правила"),
            args.id,
            lang.pick("lists them", "покажет список")
        );
        return Exit::Usage;
    };
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
pub(crate) fn completions(shell: clap_complete::Shell) -> Exit {
    let mut command = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "doorbell", &mut script);
    super::print_or_ignore_pipe(&String::from_utf8_lossy(&script))
}

/// The manual page, from the command line's own definition.
pub(crate) fn man_page() -> Exit {
    let command = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut page = Vec::new();
    if let Err(e) = clap_mangen::Man::new(command).render(&mut page) {
        eprintln!("doorbell: cannot render the manual page: {e}");
        return Exit::RunFailed;
    }
    super::print_or_ignore_pipe(&String::from_utf8_lossy(&page))
}

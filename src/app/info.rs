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
    print_or_ignore_pipe(&crate::report::rules::table(&catalogue, lang))
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
    print_or_ignore_pipe(&crate::report::rules::explanation(rule, lang))
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

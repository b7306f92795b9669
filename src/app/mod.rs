//! The commands behind the command line: each turns parsed arguments into work and an exit
//! code. `main.rs` only parses, starts the runtime and exits with what these return.

mod baseline;
mod demo;
mod history;
mod info;
mod merge;
mod portfolio;
mod probing;

use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::audit::{self, Audit, AuditSettings};
use crate::checks::{self, RuleChoices, Site, score};
use crate::cli::{AuditArgs, Cli, Command};
use crate::config;
use crate::lang::Lang;
use crate::report::{self, Format, Report};
use crate::rulebook::Catalogue;
use crate::rulebook::FailOn;
use crate::types::crawl::Outcome;
use crate::types::probe::ProbeRow;

/// Exit codes, as DESIGN.md fixes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Findings = 1,
    Usage = 2,
    RunFailed = 3,
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Audit(command) => {
            let crate::cli::AuditCommand { audit, portfolio } = *command;
            if portfolio.sites.is_some() {
                return portfolio::portfolio_command(audit, portfolio).await;
            }
            match Job::from_args(audit) {
                Ok(mut job) => audit_and_report(&mut job).await,
                Err(e) => {
                    eprintln!("doorbell: {e}");
                    Exit::Usage
                }
            }
        }
        Command::Merge(args) => merge::merge_command(args),
        Command::Completions(args) => info::completions(args.shell),
        Command::Man => info::man_page(),
        Command::Demo(args) => demo::demo(args).await,
        Command::History(args) => history::history_command(&args),
        Command::Run(args) => probing::probe_command(*args, true).await,
        Command::Probe(args) => probing::probe_command(*args, false).await,
        Command::Verify(args) => probing::verify_command(*args).await,
        Command::Rules(args) => info::list_rules(&args),
        Command::Explain(args) => info::explain(&args),
        Command::Init(args) => info::init(&args),
    }
}

pub(crate) fn catalogue(dir: Option<&Path>) -> Result<Catalogue, Box<dyn std::error::Error>> {
    let builtin = Catalogue::builtin();
    let catalogue = match dir {
        Some(dir) => builtin.with_overrides(dir, &checks::has_check)?,
        None => builtin,
    };
    checks::validate(&catalogue).map_err(|e| {
        format!(
            "{}: {e}",
            dir.map_or_else(
                || "rules".into(),
                |d| d.join("catalogue.toml").display().to_string()
            )
        )
    })?;
    Ok(catalogue)
}

/// Everything one audit needs, from the flags and the config file.
pub(crate) struct Job {
    settings: AuditSettings,
    catalogue: Catalogue,
    choices: RuleChoices,
    fail_on: FailOn,
    format: Format,
    lang: Lang,
    output: Vec<std::path::PathBuf>,
    /// Print the report on stdout (in `format`): when no `--output` was given, and in the demo.
    print: bool,
    /// The lock file to compare with (`--baseline`), and whether to rewrite it instead.
    baseline: Option<std::path::PathBuf>,
    update_baseline: bool,
    /// The probe journal, when the command probed: the report then shows each door's history.
    journal: Option<std::path::PathBuf>,
    quiet: bool,
}

impl Job {
    /// The same job for another site of a portfolio: one report per site, none printed.
    pub(crate) fn for_site(&self, mut settings: AuditSettings) -> Self {
        settings.crawl.progress = false;
        Self {
            settings,
            catalogue: self.catalogue.clone(),
            choices: self.choices.clone(),
            fail_on: self.fail_on,
            format: self.format,
            lang: self.lang,
            output: Vec::new(),
            print: false,
            baseline: None,
            update_baseline: false,
            journal: None,
            quiet: true,
        }
    }

    pub(crate) fn from_args(args: AuditArgs) -> Result<Self, Box<dyn std::error::Error>> {
        let file = config::find(args.config.as_deref())?;
        Self::from_parts(args, &file)
    }

    pub(crate) fn from_parts(
        args: AuditArgs,
        file: &config::ConfigFile,
    ) -> Result<Self, Box<dyn std::error::Error>> {
        let url = args.url.or(file.site.clone()).ok_or(
            "give the site to audit: doorbell audit https://shop.example.com (or `site` in doorbell.toml)",
        )?;
        let mut settings = args.crawl.over(&file.crawl).settings(&url)?;
        let rules_dir = args.judge.rules.or(file.rules.dir.clone());
        let mut catalogue = catalogue(rules_dir.as_deref())?;
        if let Some(dir) = &rules_dir {
            // Loaded once per process and kept for its whole life: leaking it is the lifetime.
            settings.rulebook =
                Box::leak(Box::new(crate::rulebook::Rulebook::with_overrides(dir)?));
        }
        let choices = file.rules.apply(&mut catalogue)?;
        Ok(Self {
            settings,
            catalogue,
            choices,
            fail_on: args
                .judge
                .fail_on
                .or(file.report.fail_on)
                .unwrap_or(FailOn::Error),
            format: args
                .output
                .format
                .or(file.report.format)
                .unwrap_or(Format::Table),
            lang: file.lang(args.output.lang),
            print: args.output.output.is_empty(),
            baseline: args
                .judge
                .baseline
                .or(file.rules.baseline.clone())
                .or_else(|| args.judge.update_baseline.then(|| "doorbell.lock".into())),
            update_baseline: args.judge.update_baseline,
            journal: None,
            output: args.output.output,
            quiet: args.output.quiet,
        })
    }
}

pub(crate) fn print_or_ignore_pipe(text: &str) -> Exit {
    match write_report(text, None) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            eprintln!("doorbell: {e}");
            Exit::RunFailed
        }
    }
}

pub(crate) async fn audit_and_report(job: &mut Job) -> Exit {
    let (audit, findings) = match audit_site(job).await {
        Ok(done) => done,
        Err(exit) => return exit,
    };
    emit(job, &audit, findings, &[], false)
}

/// Crawls and judges the site; on failure the error is printed and the exit code returned.
pub(crate) async fn audit_site(job: &mut Job) -> Result<(Audit, Vec<checks::Finding>), Exit> {
    job.settings.crawl.progress = !job.quiet && std::io::stderr().is_terminal();
    let audit = match audit::run(job.settings.clone()).await {
        Ok(audit) => audit,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Err(Exit::RunFailed);
        }
    };
    if nothing_read(&audit) {
        // A site we could not read has no contacts to judge: findings would all be false.
        let _ = emit(job, &audit, Vec::new(), &[], false);
        let why = audit
            .crawl
            .pages
            .first()
            .and_then(|p| p.error.as_ref())
            .map_or_else(|| "no page could be read".to_string(), ToString::to_string);
        eprintln!(
            "doorbell: the site could not be read: {} — {why}",
            audit.start_url
        );
        return Err(Exit::RunFailed);
    }
    let site = Site {
        inventory: &audit.inventory,
        home: &audit.start_url,
    };
    let findings = checks::run(&site, &job.catalogue, &job.choices);
    Ok((audit, findings))
}

/// Writes the report and maps the findings to the exit code.
pub(crate) fn emit(
    job: &Job,
    audit: &Audit,
    findings: Vec<checks::Finding>,
    probes: &[ProbeRow],
    probes_only: bool,
) -> Exit {
    let _lang = job.lang;
    let mut findings = findings;
    let applied = match baseline::apply(job, audit, probes, probes_only, &mut findings) {
        Ok(applied) => applied,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let score = score::score(&audit.inventory, &findings);
    let history = job
        .journal
        .as_deref()
        .map(|path| history_of(path, &audit.start_url))
        .unwrap_or_default();
    let mut report = Report::new(audit.site_read(), &findings, &score, job.lang)
        .with_probes(probes)
        .with_history(&history);
    report.probes_only = probes_only;
    report.baseline_compared = applied.compared;
    let render = |format: Format, colour: bool| match format {
        Format::Table => report::table::render(&report, colour),
        Format::Json => report::json::render(&report),
        Format::Markdown => report::markdown::render(&report),
        Format::Html => report::html::render(&report),
        Format::Junit => report::junit::render(&report, &job.catalogue, &job.choices, job.fail_on),
    };
    if job.print {
        let colour = std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        if let Err(e) = write_report(&render(job.format, colour), None) {
            eprintln!("doorbell: cannot write the report: {e}");
            return Exit::RunFailed;
        }
    }
    for path in &job.output {
        let format = Format::from_path(path).unwrap_or(job.format);
        if let Err(e) = write_report(&render(format, false), Some(path)) {
            eprintln!("doorbell: cannot write {}: {e}", path.display());
            return Exit::RunFailed;
        }
    }
    if let Some(accepted) = applied.accepted
        && let Err(e) = accepted.write()
    {
        eprintln!("doorbell: {e}");
        return Exit::RunFailed;
    }
    if findings.iter().any(|f| job.fail_on.fails(f.severity)) {
        return Exit::Findings;
    }
    Exit::Ok
}

/// How many runs the report's history charts show.
const HISTORY_RUNS: usize = 14;

/// The site's probed doors over the last runs; a journal that cannot be read costs the chart,
/// not the report.
fn history_of(journal: &Path, site: &str) -> Vec<crate::journal::history::DoorHistory> {
    crate::journal::Journal::open(journal)
        .and_then(|j| crate::journal::history::load(&j, site, HISTORY_RUNS))
        .unwrap_or_else(|e| {
            eprintln!("doorbell: the report goes without history: {e}");
            Vec::new()
        })
}

/// The run failed when not even the start page could be read.
pub(crate) fn nothing_read(audit: &Audit) -> bool {
    !audit
        .crawl
        .pages
        .iter()
        .any(|p| matches!(p.outcome, Outcome::Ok | Outcome::Truncated))
}

pub(crate) fn write_report(text: &str, path: Option<&Path>) -> std::io::Result<()> {
    match path {
        Some(path) => std::fs::write(path, text),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // A closed pipe (`doorbell … | head`) is the reader's choice, not our failure.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            }
        }
    }
}

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
use crate::baseline::DEFAULT_LOCK as DEFAULT_BASELINE;
use crate::checks::{self, RuleChoices, Site, score};
use crate::cli::{AuditArgs, Cli, Command, JudgeArgs, OutputArgs};
use crate::config;
use crate::error::UsageError;
use crate::lang::Lang;
use crate::report::{self, DEFAULT_FORMAT, Format, Report};
use crate::rulebook::{Catalogue, DEFAULT_FAIL_ON, FailOn};
use crate::types::crawl::Outcome as PageOutcome;
use crate::types::probe::ProbeRow;

/// Exit codes, as DESIGN.md fixes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Findings = 1,
    Usage = 2,
    RunFailed = 3,
}

/// Why a command stopped before doing its job. Commands return it with `?`; `main` prints it
/// and exits with its code, in one place.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// What the user asked for cannot work: a bad flag, address or config file (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The run itself failed: the site, a mailbox, the journal, a file that cannot be
    /// written (exit 3).
    #[error("{0}")]
    Run(String),
}

impl Failure {
    pub fn usage(message: impl std::fmt::Display) -> Self {
        Self::Usage(message.to_string())
    }

    pub fn run(message: impl std::fmt::Display) -> Self {
        Self::Run(message.to_string())
    }

    /// The exit code this failure ends the process with.
    pub fn exit(&self) -> Exit {
        match self {
            Self::Usage(_) => Exit::Usage,
            Self::Run(_) => Exit::RunFailed,
        }
    }
}

impl From<UsageError> for Failure {
    fn from(e: UsageError) -> Self {
        Self::Usage(e.0)
    }
}

/// What a command ends with: an exit code for what it found, or why it could not finish.
pub type Outcome = Result<Exit, Failure>;

/// Runs a parsed command line.
///
/// # Errors
/// The command could not do its job; the failure says why and with which exit code.
pub async fn run(cli: Cli) -> Outcome {
    match cli.command {
        Command::Audit(command) => {
            let crate::cli::AuditCommand { audit, portfolio } = *command;
            if portfolio.sites.is_some() {
                return portfolio::portfolio_command(audit, portfolio).await;
            }
            let mut job = Job::from_args(audit)?;
            audit_and_report(&mut job).await
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

pub(crate) fn catalogue(dir: Option<&Path>) -> Result<Catalogue, Failure> {
    let builtin = Catalogue::builtin();
    let catalogue = match dir {
        Some(dir) => builtin
            .with_overrides(dir, &checks::has_check)
            .map_err(Failure::usage)?,
        None => builtin,
    };
    checks::validate(&catalogue).map_err(|e| {
        Failure::usage(format!(
            "{}: {e}",
            dir.map_or_else(
                || "rules".into(),
                |d| d.join("catalogue.toml").display().to_string()
            )
        ))
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
    /// The one way a job is made: the site's settings, how to judge, how to report — each
    /// flag over its `doorbell.toml` key over the default.
    pub(crate) fn build(
        mut settings: AuditSettings,
        judge: JudgeArgs,
        output: OutputArgs,
        file: &config::ConfigFile,
    ) -> Result<Self, Failure> {
        let rules_dir = judge.rules.or(file.rules.dir.clone());
        let mut catalogue = catalogue(rules_dir.as_deref())?;
        if let Some(dir) = &rules_dir {
            // Loaded once per process and kept for its whole life: leaking it is the lifetime.
            settings.rulebook = Box::leak(Box::new(
                crate::rulebook::Rulebook::with_overrides(dir).map_err(Failure::usage)?,
            ));
        }
        let choices = file.rules.apply(&mut catalogue)?;
        // A report that cannot be written is known now, not after the whole crawl.
        for path in &output.output {
            let folder = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            if !folder.is_dir() {
                return Err(Failure::usage(format!(
                    "cannot write {}: the folder {} does not exist",
                    path.display(),
                    folder.display()
                )));
            }
        }
        Ok(Self {
            settings,
            catalogue,
            choices,
            fail_on: judge
                .fail_on
                .or(file.report.fail_on)
                .unwrap_or(DEFAULT_FAIL_ON),
            format: output
                .format
                .or(file.report.format)
                .unwrap_or(DEFAULT_FORMAT),
            lang: file.lang(output.lang),
            print: output.output.is_empty(),
            baseline: judge
                .baseline
                .or(file.rules.baseline.clone())
                .or_else(|| judge.update_baseline.then(|| DEFAULT_BASELINE.into())),
            update_baseline: judge.update_baseline,
            journal: None,
            output: output.output,
            quiet: output.quiet,
        })
    }

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

    pub(crate) fn from_args(args: AuditArgs) -> Result<Self, Failure> {
        let file = config::find(args.config.as_deref())?;
        Self::from_parts(args, &file)
    }

    /// A job for the site the arguments (or the file's `site`) name.
    pub(crate) fn from_parts(args: AuditArgs, file: &config::ConfigFile) -> Result<Self, Failure> {
        let url = site_of(args.url, file)?;
        let mut settings = args.crawl.over(&file.crawl).settings(&url)?;
        settings.render = args.render.over(&file.render).settings()?;
        Self::build(settings, args.judge, args.output, file)
    }
}

/// The site a command is about: the one given, else `site` in the config file.
pub(crate) fn site_of(given: Option<String>, file: &config::ConfigFile) -> Result<String, Failure> {
    given.or(file.site.clone()).ok_or_else(|| {
        Failure::usage(
            "give the site to audit: doorbell audit https://shop.example.com (or `site` in doorbell.toml)",
        )
    })
}

pub(crate) fn print_or_ignore_pipe(text: &str) -> Outcome {
    write_report(text, None).map_err(Failure::run)?;
    Ok(Exit::Ok)
}

pub(crate) async fn audit_and_report(job: &mut Job) -> Outcome {
    let (audit, findings) = audit_site(job).await?;
    emit(job, &audit, findings, &[], false)
}

/// Crawls and judges the site. A site that could not be read at all gets its report (it
/// says why) and fails the run.
pub(crate) async fn audit_site(job: &mut Job) -> Result<(Audit, Vec<checks::Finding>), Failure> {
    job.settings.crawl.progress = !job.quiet && std::io::stderr().is_terminal();
    let audit = audit::run(job.settings.clone())
        .await
        .map_err(Failure::run)?;
    if nothing_read(&audit) {
        // A site we could not read has no contacts to judge: findings would all be false.
        let _ = emit(job, &audit, Vec::new(), &[], false);
        let mut why = crate::report::words::not_scored_line(&audit.crawl, job.lang);
        if let Some(plain) = plain_http_instead(&job.settings, &audit).await {
            why = format!("{why}\nthis server speaks plain HTTP: use {plain}");
        }
        return Err(Failure::run(why));
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
) -> Outcome {
    let mut findings = findings;
    let applied =
        baseline::apply(job, audit, probes, probes_only, &mut findings).map_err(Failure::usage)?;
    let score = if nothing_read(audit) {
        score::Score::not_scored(crate::report::words::not_scored_line(
            &audit.crawl,
            crate::lang::Lang::En,
        ))
    } else {
        score::score(&audit.inventory, &findings)
    };
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
    // JSON goes out as it is serialised: never the whole report in one string.
    let emit = |format: Format, colour: bool, path: Option<&Path>| {
        let text = match format {
            Format::Json => return write_json(&report, path),
            Format::Table => report::table::render(&report, colour),
            Format::Markdown => report::markdown::render(&report),
            Format::Html => report::html::render(&report),
            Format::Junit => {
                report::junit::render(&report, &job.catalogue, &job.choices, job.fail_on)
            }
        };
        write_report(&text, path)
    };
    if job.print {
        let colour = std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        emit(job.format, colour, None)
            .map_err(|e| Failure::run(format!("cannot write the report: {e}")))?;
    }
    for path in &job.output {
        let format = Format::from_path(path).unwrap_or(job.format);
        emit(format, false, Some(path))
            .map_err(|e| Failure::run(format!("cannot write {}: {e}", path.display())))?;
        if !job.quiet {
            let shown = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            let name = format!("{format:?}").to_lowercase();
            eprintln!("doorbell: wrote {} ({name})", shown.display());
        }
    }
    if let Some(accepted) = applied.accepted {
        accepted.write().map_err(Failure::run)?;
    }
    // A report in a file or in JSON does not show the terminal that the run stopped short.
    if !job.quiet
        && !probes_only
        && (job.format != Format::Table || !job.print)
        && let Some(line) = report::words::limits_line(&audit.crawl, Lang::En)
    {
        eprintln!("doorbell: {line}");
    }
    // Reports went to files only: the terminal still gets the verdict in a line.
    if !job.print && !job.quiet && !probes_only && score.value.is_some() {
        eprintln!("doorbell: {}", summary_line(&score));
    }
    let failing = findings
        .iter()
        .filter(|f| job.fail_on.fails(f.severity))
        .count();
    if failing > 0 {
        if !job.quiet {
            eprintln!(
                "doorbell: exit code 1: {failing} finding{} at or above --fail-on {}",
                if failing == 1 { "" } else { "s" },
                job.fail_on.name()
            );
        }
        return Ok(Exit::Findings);
    }
    Ok(Exit::Ok)
}

/// "score 55/100: 8 errors, 7 warnings, 1 notice".
fn summary_line(score: &score::Score) -> String {
    use crate::report::words::{Counted, count};
    let lang = crate::lang::Lang::En;
    format!(
        "score {}: {}, {}, {}",
        score.shown(),
        count(score.errors, Counted::Error, lang),
        count(score.warnings, Counted::Warning, lang),
        count(score.notices, Counted::Notice, lang)
    )
}

/// When https was only assumed and the start page could not be read over it: the same
/// address over plain HTTP, if a web server answers there.
async fn plain_http_instead(settings: &audit::AuditSettings, audit: &Audit) -> Option<String> {
    let start = &settings.crawl.start;
    // A TLS failure, not a certificate one: the server did not answer in TLS at all.
    let not_tls = audit
        .crawl
        .pages
        .first()
        .is_some_and(|page| match &page.error {
            Some(crate::types::crawl::FetchError::Tls(detail)) => {
                let detail = detail.to_ascii_lowercase();
                [
                    "corrupt message",
                    "invalidcontenttype",
                    "wrong version number",
                ]
                .iter()
                .any(|sign| detail.contains(sign))
            }
            _ => false,
        });
    if !settings.scheme_assumed || start.scheme() != "https" || !not_tls {
        return None;
    }
    let mut plain = start.clone();
    plain.set_scheme("http").ok()?;
    if start.port().is_none() {
        // `https://host/` had port 443; plain HTTP is asked where the user would type it.
        plain.set_port(None).ok()?;
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(5))
        .user_agent(settings.crawl.http.user_agent.clone())
        .build()
        .ok()?;
    // Any HTTP answer, even an error status, shows the server speaks HTTP there.
    client.head(plain.as_str()).send().await.ok()?;
    Some(plain.to_string())
}

/// The site's probed doors over the last runs; a journal that cannot be read costs the chart,
/// not the report.
fn history_of(journal: &Path, site: &str) -> Vec<crate::journal::history::DoorHistory> {
    crate::journal::Journal::open(journal)
        .and_then(|j| {
            crate::journal::history::load(&j, site, crate::journal::history::DEFAULT_RUNS)
        })
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
        .any(|p| matches!(p.outcome, PageOutcome::Ok | PageOutcome::Truncated))
}

/// Streams the JSON report to `path`, or to stdout; its strings are escaped, so nothing in it
/// can drive a terminal.
fn write_json(report: &Report<'_>, path: Option<&Path>) -> std::io::Result<()> {
    match path {
        Some(path) => report::json::write(report, std::fs::File::create(path)?),
        None => match report::json::write(report, std::io::stdout().lock()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other,
        },
    }
}

pub(crate) fn write_report(text: &str, path: Option<&Path>) -> std::io::Result<()> {
    // Everything printed comes partly from a site: nothing in it may drive the terminal.
    let text = &*crate::text::terminal_safe(text);
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

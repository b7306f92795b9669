//! The `doorbell` binary: parse, run, map the outcome to an exit code. Everything else is in
//! the library.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use doorbell::audit::{self, Audit, AuditSettings};
use doorbell::checks::live::ProbeRow;
use doorbell::checks::{self, RuleChoices, Site, score};
use doorbell::cli::{
    AuditArgs, Cli, Command, ExplainArgs, FailOn, InitArgs, RulesArgs, RunArgs, VerifyArgs,
};
use doorbell::config;
use doorbell::crawl::Outcome;
use doorbell::lang::Lang;
use doorbell::probe::{self, settings::parse_duration};
use doorbell::report::{self, Format, Report};
use doorbell::rulebook::Catalogue;

/// Exit codes, as DESIGN.md fixes them.
#[derive(Debug, Clone, Copy)]
enum Exit {
    Ok = 0,
    Findings = 1,
    Usage = 2,
    RunFailed = 3,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("DOORBELL_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("doorbell: cannot start: {e}");
            return Exit::RunFailed.into();
        }
    };
    runtime.block_on(run(cli)).into()
}

fn catalogue(dir: Option<&Path>) -> Result<Catalogue, Box<dyn std::error::Error>> {
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

async fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Audit(args) => match Plan::from_args(*args) {
            Ok(mut plan) => audit_and_report(&mut plan).await,
            Err(e) => {
                eprintln!("doorbell: {e}");
                Exit::Usage
            }
        },
        Command::Demo(args) => demo(args).await,
        Command::Run(args) => probe_command(*args, true).await,
        Command::Probe(args) => probe_command(*args, false).await,
        Command::Verify(args) => verify_command(*args).await,
        Command::Rules(args) => list_rules(&args),
        Command::Explain(args) => explain(&args),
        Command::Init(args) => init(&args),
    }
}

/// The demo: the example site audited, its forms probed, its replies read from a Maildir —
/// all on this machine, in seconds.
async fn demo(args: doorbell::cli::DemoArgs) -> Exit {
    let scratch = std::env::temp_dir().join(format!(
        "doorbell-demo-{}-{}",
        std::process::id(),
        doorbell::journal::new_token()
    ));
    let maildir = scratch.join("Maildir");
    if let Err(e) = doorbell::demo::create_maildir(&maildir) {
        eprintln!(
            "doorbell: cannot create the demo mailbox in {}: {e}",
            scratch.display()
        );
        return Exit::RunFailed;
    }
    let exit = demo_in(args, &scratch, &maildir).await;
    let _ = std::fs::remove_dir_all(&scratch);
    exit
}

async fn demo_in(args: doorbell::cli::DemoArgs, scratch: &Path, maildir: &Path) -> Exit {
    let addr = match doorbell::demo::serve(Some(maildir.to_path_buf())).await {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("doorbell: cannot serve the example site on 127.0.0.1: {e}");
            return Exit::RunFailed;
        }
    };
    let start = url::Url::parse(&format!("http://{addr}/")).expect("a loopback URL parses");
    eprintln!("doorbell: serving the example site at {start}");
    let mut settings = AuditSettings::new(start);
    settings.rate = 0.0;
    settings.region = rlibphonenumber::Region::from_code("RU").ok();
    // The demo promises no network: its order form names a host that is not ours, and
    // its addresses are at example.com.
    settings.check_foreign_actions = false;
    settings.check_mail_dns = false;
    let mut plan = Plan {
        settings,
        catalogue: Catalogue::builtin(),
        choices: RuleChoices::default(),
        fail_on: args.fail_on,
        format: args.output.format.unwrap_or(Format::Table),
        lang: args.output.lang.unwrap_or_else(Lang::from_env),
        output: args.output.output,
        quiet: args.output.quiet,
    };
    let (audit, mut findings) = match audit_site(&mut plan).await {
        Ok(done) => done,
        Err(exit) => return exit,
    };
    let deadlines = probe::settings::Deadlines {
        confirmation_s: 5,
        reply_s: 10,
    };
    let probe_settings = probe::settings::ProbeSettings {
        allow_hosts: vec!["127.0.0.1".into()],
        mailbox: probe::settings::MailboxSpec::Maildir(maildir.to_path_buf()),
        notification_mailbox: None,
        smtp: None,
        persona: probe::settings::Persona {
            name: "Демо Тестов".into(),
            phone: "+7 900 000-00-00".into(),
            email: "tester@example.org".into(),
            plus_addressing: true,
        },
        forms: true,
        emails: false,
        max_messages: 10,
        delay: Duration::ZERO,
        poll: Duration::from_millis(250),
        form_deadlines: deadlines,
        email_deadlines: deadlines,
    };
    if !plan.quiet {
        eprintln!(
            "doorbell: probing the example site's forms; its replies land in {}",
            maildir.display()
        );
    }
    let http = plan.settings.crawl_settings();
    let journal = scratch.join("journal.db");
    let run = probe::run::Run {
        site: &audit.start_url,
        journal: &journal,
        settings: &probe_settings,
        http: &http,
        phrases: &doorbell::rulebook::BUILTIN.phrases,
    };
    let outcome = match run
        .probe(&audit.inventory, Duration::from_secs(15), |_| {})
        .await
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::RunFailed;
        }
    };
    let (live, rows) = judge_probes(&plan, outcome.facts, &journal);
    findings.extend(live);
    checks::sort(&mut findings);
    emit(&plan, &audit, findings, &rows, false)
}

/// Everything one audit needs, from the flags and the config file.
struct Plan {
    settings: AuditSettings,
    catalogue: Catalogue,
    choices: RuleChoices,
    fail_on: FailOn,
    format: Format,
    lang: Lang,
    output: Option<std::path::PathBuf>,
    quiet: bool,
}

impl Plan {
    fn from_args(args: AuditArgs) -> Result<Self, Box<dyn std::error::Error>> {
        let file = config::find(args.config.as_deref())?;
        Self::from_parts(args, &file)
    }

    fn from_parts(
        args: AuditArgs,
        file: &config::ConfigFile,
    ) -> Result<Self, Box<dyn std::error::Error>> {
        let url = args.url.or(file.site.clone()).ok_or(
            "give the site to audit: doorbell audit https://shop.example.com (or `site` in doorbell.toml)",
        )?;
        let settings = args.crawl.over(&file.crawl).settings(&url)?;
        let rules_dir = args.judge.rules.or(file.rules.dir.clone());
        let mut catalogue = catalogue(rules_dir.as_deref())?;
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
            lang: args
                .output
                .lang
                .or(file.report.lang)
                .unwrap_or_else(Lang::from_env),
            output: args.output.output,
            quiet: args.output.quiet,
        })
    }
}

fn init(args: &InitArgs) -> Exit {
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

fn list_rules(args: &RulesArgs) -> Exit {
    let catalogue = match catalogue(args.rules.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let lang = args.lang.unwrap_or_else(Lang::from_env);
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
            rule.severity.label(lang),
            rule.title.get(lang),
        ]);
    }
    print_or_ignore_pipe(&format!("{table}\n"))
}

fn explain(args: &ExplainArgs) -> Exit {
    let catalogue = match catalogue(args.common.rules.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let lang = args.common.lang.unwrap_or_else(Lang::from_env);
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
        rule.severity.label(lang),
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

fn print_or_ignore_pipe(text: &str) -> Exit {
    match write_report(text, None) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            eprintln!("doorbell: {e}");
            Exit::RunFailed
        }
    }
}

async fn audit_and_report(plan: &mut Plan) -> Exit {
    let (audit, findings) = match audit_site(plan).await {
        Ok(done) => done,
        Err(exit) => return exit,
    };
    emit(plan, &audit, findings, &[], false)
}

/// Crawls and judges the site; on failure the error is printed and the exit code returned.
async fn audit_site(plan: &mut Plan) -> Result<(Audit, Vec<checks::Finding>), Exit> {
    plan.settings.progress = !plan.quiet && std::io::stderr().is_terminal();
    let audit = match audit::run(plan.settings.clone()).await {
        Ok(audit) => audit,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Err(Exit::RunFailed);
        }
    };
    if nothing_read(&audit) {
        // A site we could not read has no contacts to judge: findings would all be false.
        let _ = emit(plan, &audit, Vec::new(), &[], false);
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
    let findings = checks::run(&site, &plan.catalogue, &plan.choices, plan.lang);
    Ok((audit, findings))
}

/// Writes the report and maps the findings to the exit code.
fn emit(
    plan: &Plan,
    audit: &Audit,
    findings: Vec<checks::Finding>,
    probes: &[ProbeRow],
    probes_only: bool,
) -> Exit {
    let lang = plan.lang;
    let score = score::score(&audit.inventory, &findings);
    let mut report = Report::new(audit, &findings, &score).with_probes(probes);
    report.probes_only = probes_only;
    let colour = plan.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = match plan.format {
        Format::Table => report::table::render(&report, lang, colour),
        Format::Json => report::json::render(&report),
    };
    if let Err(e) = write_report(&text, plan.output.as_deref()) {
        eprintln!("doorbell: cannot write the report: {e}");
        return Exit::RunFailed;
    }
    if findings.iter().any(|f| plan.fail_on.fails(f.severity)) {
        return Exit::Findings;
    }
    Exit::Ok
}

/// The journal's default place, next to the config a team commits.
fn journal_path(given: Option<std::path::PathBuf>) -> std::path::PathBuf {
    given.unwrap_or_else(|| std::path::PathBuf::from(".doorbell/journal.db"))
}

fn wait_of(text: Option<&str>, default: Duration) -> Result<Duration, String> {
    text.map_or(Ok(default), |t| {
        parse_duration(t).map_err(|e| format!("--wait: {e}"))
    })
}

async fn probe_command(args: RunArgs, watch: bool) -> Exit {
    let file = match config::find(args.audit.config.as_deref()) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let probing = args.probing;
    let wait_flag = args.wait;
    let mut plan = match Plan::from_parts(args.audit, &file) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    if !probing.plan && !probing.probe && !file.probe.enabled {
        eprintln!(
            "doorbell: nothing is sent without --probe (or enabled = true under [probe]); --plan shows what would be sent"
        );
        return Exit::Usage;
    }
    let host = plan
        .settings
        .start
        .host_str()
        .unwrap_or_default()
        .to_string();
    let resolved = if probing.plan {
        file.probe.resolve_for_plan(&host)
    } else {
        file.probe.resolve(&host)
    };
    let settings = match resolved {
        Ok(s) => s,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let longest = [settings.form_deadlines, settings.email_deadlines]
        .iter()
        .map(|d| d.reply_s.max(d.confirmation_s))
        .max()
        .unwrap_or(0);
    let default_wait = if watch {
        Duration::from_secs(u64::try_from(longest).unwrap_or(0))
    } else {
        Duration::ZERO
    };
    let wait = match wait_of(wait_flag.as_deref(), default_wait) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let (audit, mut findings) = match audit_site(&mut plan).await {
        Ok(done) => done,
        Err(exit) => return exit,
    };
    let probe_plan = probe::plan::plan(&audit.inventory, &settings);
    if probing.plan {
        let text = match plan.format {
            Format::Json => format!(
                "{}\n",
                serde_json::to_string_pretty(&probe_plan).expect("a plan serialises")
            ),
            Format::Table => report::plan::render(&probe_plan, &settings, plan.lang),
        };
        return match write_report(&text, plan.output.as_deref()) {
            Ok(()) => Exit::Ok,
            Err(e) => {
                eprintln!("doorbell: cannot write the plan: {e}");
                Exit::RunFailed
            }
        };
    }
    let http = plan.settings.crawl_settings();
    let journal = journal_path(probing.journal);
    let quiet = plan.quiet;
    let run = probe::run::Run {
        site: &audit.start_url,
        journal: &journal,
        settings: &settings,
        http: &http,
        phrases: &doorbell::rulebook::BUILTIN.phrases,
    };
    if !quiet && watch && !wait.is_zero() {
        eprintln!(
            "doorbell: watching {} for up to {} after sending",
            settings.mailbox.describe(),
            report::probes::duration(i64::try_from(wait.as_secs()).ok(), Lang::En)
        );
    }
    let outcome = match run
        .probe(&audit.inventory, wait, |p| {
            if !quiet {
                eprintln!(
                    "doorbell: {} {} — {}",
                    serde_json::to_value(p.channel)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    p.target,
                    p.detail.as_deref().unwrap_or(match p.state {
                        doorbell::journal::ProbeState::Sent => "sent",
                        _ => "not sent",
                    })
                );
            }
        })
        .await
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::RunFailed;
        }
    };
    let (live, rows) = judge_probes(&plan, outcome.facts, &journal);
    findings.extend(live);
    checks::sort(&mut findings);
    emit(&plan, &audit, findings, &rows, false)
}

/// The live findings of a run, with each probe's verdict appended to the journal.
fn judge_probes(
    plan: &Plan,
    facts: Vec<doorbell::checks::live::ProbeFacts>,
    journal: &Path,
) -> (Vec<checks::Finding>, Vec<ProbeRow>) {
    let mut findings = Vec::new();
    let mut verdicts = Vec::new();
    for fact in &facts {
        let mine = checks::run_live(
            std::slice::from_ref(fact),
            &plan.catalogue,
            &plan.choices,
            plan.lang,
        );
        if let Some(id) = fact.id {
            verdicts.push((
                id,
                fact.status(),
                mine.iter().map(|f| f.rule.clone()).collect(),
            ));
        }
        findings.extend(mine);
    }
    if let Err(e) = probe::run::record_verdicts(journal, &verdicts) {
        eprintln!("doorbell: the verdicts could not be written to the journal: {e}");
    }
    let rows = facts.into_iter().map(ProbeRow::from).collect();
    (findings, rows)
}

async fn verify_command(args: VerifyArgs) -> Exit {
    let file = match config::find(args.config.as_deref()) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let audit_args = AuditArgs {
        url: args.url,
        config: args.config,
        crawl: doorbell::cli::CrawlArgs::default(),
        judge: args.judge,
        output: args.output,
    };
    let plan = match Plan::from_parts(audit_args, &file) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let host = plan
        .settings
        .start
        .host_str()
        .unwrap_or_default()
        .to_string();
    let settings = match file.probe.resolve(&host) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let wait = match wait_of(args.wait.as_deref(), Duration::ZERO) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::Usage;
        }
    };
    let site = plan.settings.start.to_string();
    let http = plan.settings.crawl_settings();
    let journal = journal_path(args.journal);
    let run = probe::run::Run {
        site: &site,
        journal: &journal,
        settings: &settings,
        http: &http,
        phrases: &doorbell::rulebook::BUILTIN.phrases,
    };
    let outcome = match run.verify(wait).await {
        Ok(o) => o,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::RunFailed;
        }
    };
    let (mut findings, rows) = judge_probes(&plan, outcome.facts, &journal);
    checks::sort(&mut findings);
    let audit = Audit {
        start_url: site.clone(),
        region: None,
        crawl: doorbell::crawl::CrawlSummary {
            start_url: site,
            ..Default::default()
        },
        inventory: doorbell::inventory::Inventory::default(),
    };
    emit(&plan, &audit, findings, &rows, true)
}

/// The run failed when not even the start page could be read.
fn nothing_read(audit: &Audit) -> bool {
    !audit
        .crawl
        .pages
        .iter()
        .any(|p| matches!(p.outcome, Outcome::Ok | Outcome::Truncated))
}

fn write_report(text: &str, path: Option<&Path>) -> std::io::Result<()> {
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

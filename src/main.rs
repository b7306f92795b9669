//! The `doorbell` binary: parse, run, map the outcome to an exit code. Everything else is in
//! the library.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use doorbell::audit::{self, Audit, AuditSettings};
use doorbell::checks::{self, RuleChoices, Site, score};
use doorbell::cli::{AuditArgs, Cli, Command, ExplainArgs, FailOn, InitArgs, RulesArgs};
use doorbell::config;
use doorbell::crawl::Outcome;
use doorbell::lang::Lang;
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
        Command::Demo(args) => {
            let addr = match doorbell::demo::serve().await {
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
            audit_and_report(&mut plan).await
        }
        Command::Rules(args) => list_rules(&args),
        Command::Explain(args) => explain(&args),
        Command::Init(args) => init(&args),
    }
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
    plan.settings.progress = !plan.quiet && std::io::stderr().is_terminal();
    let audit = match audit::run(plan.settings.clone()).await {
        Ok(audit) => audit,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::RunFailed;
        }
    };
    let lang = plan.lang;
    let unreadable = nothing_read(&audit);
    // A site we could not read has no contacts to judge: findings would all be false.
    let findings = if unreadable {
        Vec::new()
    } else {
        let site = Site {
            inventory: &audit.inventory,
            home: &audit.start_url,
        };
        checks::run(&site, &plan.catalogue, &plan.choices, lang)
    };
    let score = score::score(&audit.inventory, &findings);
    let report = Report::new(&audit, &findings, &score);
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
    if unreadable {
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
        return Exit::RunFailed;
    }
    if findings.iter().any(|f| plan.fail_on.fails(f.severity)) {
        return Exit::Findings;
    }
    Exit::Ok
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

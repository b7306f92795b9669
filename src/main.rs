//! The `doorbell` binary: parse, run, map the outcome to an exit code. Everything else is in
//! the library.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use doorbell::audit::{self, Audit, AuditSettings};
use doorbell::cli::{Cli, Command, OutputArgs};
use doorbell::crawl::Outcome;
use doorbell::lang::Lang;
use doorbell::report::{self, Format, Report};

/// Exit codes, as DESIGN.md fixes them.
#[derive(Debug, Clone, Copy)]
enum Exit {
    Ok = 0,
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

async fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Audit(args) => {
            let mut settings = match args.crawl.settings(&args.url) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("doorbell: {e}");
                    return Exit::Usage;
                }
            };
            audit_and_report(&mut settings, &args.output).await
        }
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
            audit_and_report(&mut settings, &args.output).await
        }
    }
}

async fn audit_and_report(settings: &mut AuditSettings, output: &OutputArgs) -> Exit {
    settings.progress = !output.quiet && std::io::stderr().is_terminal();
    let audit = match audit::run(settings.clone()).await {
        Ok(audit) => audit,
        Err(e) => {
            eprintln!("doorbell: {e}");
            return Exit::RunFailed;
        }
    };
    let lang = output.lang.unwrap_or_else(Lang::from_env);
    let report = Report::new(&audit);
    let text = match output.format {
        Format::Table => report::table::render(&report, lang),
        Format::Json => report::json::render(&report),
    };
    if let Err(e) = write_report(&text, output) {
        eprintln!("doorbell: cannot write the report: {e}");
        return Exit::RunFailed;
    }
    if nothing_read(&audit) {
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

fn write_report(text: &str, output: &OutputArgs) -> std::io::Result<()> {
    match &output.output {
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

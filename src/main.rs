//! The `doorbell` binary: parse, start the runtime, run, exit with the code the command
//! returned. Everything else is in the library (`doorbell::app` for the commands).

use std::process::ExitCode;

use clap::Parser;

use doorbell::app::{self, Exit};
use doorbell::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // -v wins over DOORBELL_LOG; without either, only warnings.
    let filter = match cli.verbose {
        0 => std::env::var("DOORBELL_LOG").unwrap_or_else(|_| "warn".into()),
        1 => "warn,doorbell=info".into(),
        2 => "warn,doorbell=debug".into(),
        _ => "debug,doorbell=trace".into(),
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("doorbell: cannot start: {e}");
            return ExitCode::from(Exit::RunFailed as u8);
        }
    };
    ExitCode::from(runtime.block_on(app::run(cli)) as u8)
}

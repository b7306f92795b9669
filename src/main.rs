//! The `doorbell` binary: parse, start the runtime, run, and turn what the command returned
//! into an exit code — the one place a failure is printed. Everything else is in the library
//! (`doorbell::app` for the commands).

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

use doorbell::app::{self, Failure};
use doorbell::cli::Cli;

fn main() -> ExitCode {
    doorbell::allocator::tune();
    let cli = Cli::parse();
    // -v wins over DOORBELL_LOG; without either, only warnings. chromiumoxide warns of every
    // DevTools message its schema does not know (newer Chromium sends many): noise to a user.
    let filter = match cli.verbose {
        0 => std::env::var("DOORBELL_LOG").unwrap_or_else(|_| "warn,chromiumoxide=error".into()),
        1 => "warn,chromiumoxide=error,doorbell=info".into(),
        2 => "warn,chromiumoxide=error,doorbell=debug".into(),
        _ => "debug,doorbell=trace".into(),
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    let outcome = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::run(format!("cannot start: {e}")))
        .and_then(|runtime| runtime.block_on(app::run(cli)));
    match outcome {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(failure) => {
            // A closed stderr (`doorbell … 2>&1 | head`) must not turn a clean failure into
            // a panic: the exit code still says what happened.
            let message = failure.to_string();
            let _ = writeln!(
                std::io::stderr(),
                "doorbell: {}",
                doorbell::text::terminal_safe(&message)
            );
            ExitCode::from(failure.exit() as u8)
        }
    }
}

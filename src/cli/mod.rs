//! Stage 7: the command line. Parses arguments, runs a command, maps the outcome to the
//! contract's exit codes (0 clean, 1 findings, 2 usage/config/I/O error).

mod args;
mod baseline;
mod cdk;
mod check;
pub mod config;
mod explain;
pub mod fix;
mod init;
mod lsp;
mod scenario;
mod simulate;
mod var_files;
mod walk;

use clap::Parser;

pub use args::{Cli, Command};
pub use check::DEFAULT_MAX_FILE_SIZE;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Clean = 0,
    Findings = 1,
    Error = 2,
}

/// Why a command could not do its job; always exit code 2.
#[derive(Debug)]
pub enum Failure {
    Usage(String),
    Config(config::ConfigError),
    Io(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(message) | Failure::Io(message) => f.write_str(message),
            Failure::Config(error) => write!(f, "{error}"),
        }
    }
}

/// Runs iamlint with the process's arguments and returns the exit code.
pub fn main() -> i32 {
    let args = args::with_default_subcommand(std::env::args().collect());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::Error as i32
            } else {
                ExitCode::Clean as i32
            };
        }
    };
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => {
            eprintln!("iamlint: error: cannot read the current directory: {e}");
            return ExitCode::Error as i32;
        }
    };
    let outcome = match cli.command {
        Command::Check(args) => check::run(args, &cwd),
        Command::Rules { format, config } => explain::rules(format, &config, &cwd),
        Command::Explain { rule, config } => explain::explain(&rule, &config, &cwd),
        Command::Simulate(args) => simulate::run(args, &cwd),
        Command::Init(args) => init::run(args, &cwd),
        Command::Lsp => lsp::run(),
    };
    match outcome {
        Ok(code) => code as i32,
        Err(failure) => {
            eprintln!("iamlint: error: {failure}");
            ExitCode::Error as i32
        }
    }
}

/// Writes a command's whole output to stdout; a closed pipe (`| head`) is not an error.
fn print(text: &str) -> Result<ExitCode, Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::Io(e.to_string())),
        _ => Ok(ExitCode::Clean),
    }
}

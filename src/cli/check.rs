//! `iamlint check`: settings from flags over config, the walk, parallel checking, output, exit.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use glob::Pattern;
use rayon::prelude::*;

use super::args::{CheckArgs, FailOn, FormatArg, KindArg};
use super::baseline::Baseline;
use super::config::{self, ConfigError, LoadedConfig};
use super::fix;
use super::scenario;
use super::walk::{self, Exclude, Input, PathMatcher};
use super::{ExitCode, Failure};
use crate::policy::{Kind, KindOrigin};
use crate::report::{self, Format, Report, Style};
use crate::rules::pack::model::SlotKind;
use crate::rules::pack::scenario as pack_scenario;
use crate::rules::{
    self, registry, CheckOptions, Diagnostic, Discovery, Rule, RuleMeta, RuleSelection, Severity,
    Stacks,
};
use crate::source::{Files, Syntax};

pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Everything a run needs, flags taking precedence over the config file.
pub(super) struct Settings {
    format: Format,
    fail_on: FailOn,
    quiet: bool,
    rules: Vec<&'static Rule>,
    kind: Option<Kind>,
    max_file_size: u64,
    matcher: PathMatcher,
    exclude: Vec<Pattern>,
    include: Vec<Pattern>,
    force_exclude: bool,
    verbose: bool,
    per_file_ignores: Vec<(Pattern, RuleSelection)>,
    file_kinds: Vec<(Vec<Pattern>, Kind)>,
    packs: crate::rules::pack::Packs,
    pack_files: Vec<PathBuf>,
    selection: RuleSelection,
    fix: fix::Mode,
    baseline: Option<Baseline>,
    update_baseline: bool,
    var_files: Vec<crate::template::terraform::VarFile>,
}

impl Settings {
    /// Whether a `[[per-file-ignores]]` entry switches this finding off for its file.
    fn ignored(&self, input: &Input, d: &Diagnostic) -> bool {
        let path = input.path.as_deref().unwrap_or(Path::new(&input.display));
        self.per_file_ignores.iter().any(|(files, rules)| {
            self.matcher.matches(files, path) && !rules.enabled(d.rule.code, d.rule.name)
        })
    }

    /// Whether a finding is shown, and so fixed: neither ignored for its file nor recorded in
    /// the baseline.
    fn reported(&self, input: &Input, d: &Diagnostic) -> bool {
        let baselined = !self.update_baseline
            && self
                .baseline
                .as_ref()
                .is_some_and(|b| b.knows(&input.display, d));
        !self.ignored(input, d) && !baselined
    }
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
        include: settings.include.clone(),
        matcher: settings.matcher.clone(),
        force: settings.force_exclude,
    };
    let mut walked = walk::walk(&paths, args.stdin_filename.as_deref(), &exclude, cwd);
    scenario::skip_packs(&mut walked.inputs, &settings.pack_files, cwd);
    // The baseline is JSON too, but not a policy.
    if let Some(baseline) = &settings.baseline {
        walked.inputs.retain(|i| {
            i.path
                .as_ref()
                .is_none_or(|p| walk::absolute(p, cwd) != baseline.path())
        });
    }
    for error in &walked.errors {
        eprintln!("iamlint: error: {error}");
    }
    let mut io_failed = !walked.errors.is_empty();
    if walked.inputs.is_empty() && io_failed {
        // Every PATH failed: a report of zero files would read as "no problems".
        return Ok(ExitCode::Error);
    }
    // Files that discovery skipped as not policies are an answer (pre-commit staging only a
    // package.json); nothing at all to check is a usage error.
    if walked.inputs.is_empty() && walked.excluded.is_empty() {
        hint_piped_stdin(&args);
        return Err(Failure::Usage(format!(
            "no policy files (*.json), CloudFormation templates (*.yaml, *.yml, *.template) or Terraform files (*.tf) found in {}",
            paths
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }

    let absolute: Vec<Option<PathBuf>> = walked
        .inputs
        .iter()
        .map(|i| i.path.as_deref().map(|p| walk::absolute(p, cwd)))
        .collect();
    let plan = pack_scenario::plan(&bound, &absolute);
    walked.inputs.extend(plan.added.iter().map(|path| Input {
        display: walk::display(path, cwd),
        path: Some(path.clone()),
        discovered: false,
    }));
    let modules = Modules::for_run();
    let checked: Vec<Checked> = map_inputs(&walked.inputs, |i, input| {
        let bound = Bound {
            slot: plan.kinds.get(&i).copied(),
            keep_text: plan.texts.contains(&i),
            in_scenario: plan.templates.contains(&i),
        };
        check_one(i, input, &settings, bound, &modules)
    });
    // After the check, so that a `cat policy.json |` started with iamlint has written by now.
    hint_piped_stdin(&args);
    let texts: Vec<Option<String>> = checked.iter().map(|c| c.raw.clone()).collect();
    let config_file = crate::source::FileId(walked.inputs.len() as u32);
    let selection = &settings.selection;
    let scenario_diagnostics = pack_scenario::evaluate(&bound, &plan, &texts, config_file, &|m| {
        selection.enabled(m.code, m.name)
    });

    let mut files = Files::default();
    let mut diagnostics = Vec::new();
    let mut fixes = Vec::new();
    let mut documents = Vec::new();
    let mut skipped = walked.excluded.len();
    if settings.verbose {
        for path in &walked.excluded {
            eprintln!("iamlint: skipped `{path}`: excluded by the config");
        }
    }
    for (input, outcome) in walked.inputs.iter().zip(checked) {
        if let Some(reason) = outcome.skipped {
            skipped += 1;
            if settings.verbose {
                eprintln!(
                    "iamlint: skipped `{}`: not a policy ({reason})",
                    input.display
                );
            }
        }
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
                .filter(|d| !settings.ignored(input, d)),
        );
        fixes.extend(outcome.fixed.map(|f| (input, f)));
        documents.extend(outcome.documents);
    }
    if let Some(loaded) = &config {
        files.add(walk::display(&loaded.path, cwd), loaded.text.clone());
    }
    if !scenario_diagnostics.is_empty() {
        let packs = settings.packs.get();
        crate::rules::pack::drop_superseded(packs, &scenario_diagnostics, &mut diagnostics);
    }
    diagnostics.extend(scenario_diagnostics.into_iter().filter(|d| {
        walked
            .inputs
            .get(d.file.0 as usize)
            .is_none_or(|input| !settings.ignored(input, d))
    }));
    diagnostics.sort_by(|a, b| {
        let path = |d: &Diagnostic| files.get(d.file).path.as_str();
        path(a)
            .cmp(path(b))
            .then_with(|| a.sort_key().cmp(&b.sort_key()))
    });
    if settings.fix == fix::Mode::Diff {
        return Ok(fix::print_diffs(&fixes, settings.quiet, io_failed));
    }
    let reported = |d: &Diagnostic| files.get(d.file).path.as_str();
    if let Some(baseline) = &settings.baseline {
        if settings.update_baseline {
            let count = baseline.save(&diagnostics, reported).map_err(Failure::Io)?;
            eprintln!(
                "iamlint: recorded {count} finding{} in `{}`",
                if count == 1 { "" } else { "s" },
                walk::display(baseline.path(), cwd)
            );
            return Ok(if io_failed {
                ExitCode::Error
            } else {
                ExitCode::Clean
            });
        }
        baseline.filter(&mut diagnostics, reported);
    }
    // With `--fix`, standard input's fixed document goes to stdout, so the report goes to stderr.
    let stdin_fixed = fix::print_fixed(&fixes, settings.quiet)?;

    let report = Report {
        files: &files,
        diagnostics: &diagnostics,
        files_checked: walked.inputs.len() + walked.excluded.len() - skipped,
        files_skipped: skipped,
        documents: &documents,
        uri_base: Some(&report::UriBase::discover(cwd)),
    };
    let style = Style {
        color: use_color(settings.format),
        quiet: settings.quiet,
    };
    let mut out: Box<dyn Write> = if stdin_fixed {
        Box::new(std::io::stderr().lock())
    } else {
        Box::new(std::io::BufWriter::new(std::io::stdout().lock()))
    };
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

/// With no PATH, `.` is checked and standard input is not read: when data is waiting there, the
/// user most likely meant `-`.
fn hint_piped_stdin(args: &CheckArgs) {
    if args.paths.is_empty() && stdin_has_data() {
        eprintln!(
            "iamlint: hint: standard input is read only with `-` (`... | iamlint check -`); checked `.`"
        );
    }
}

/// Standard input is a non-empty file or a pipe with data waiting: not a terminal,
/// `/dev/null` or an empty pipe a harness attached and closed. Nothing is read.
fn stdin_has_data() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::{AsFd, AsRawFd};
        use std::os::unix::fs::FileTypeExt;
        let stdin = std::io::stdin();
        let Ok(fd) = stdin.as_fd().try_clone_to_owned() else {
            return false;
        };
        let Ok(meta) = std::fs::File::from(fd).metadata() else {
            return false;
        };
        if meta.is_file() {
            return meta.len() > 0;
        }
        if !meta.file_type().is_fifo() {
            return false;
        }
        let mut poll = libc::pollfd {
            fd: stdin.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, a zero timeout.
        let ready = unsafe { libc::poll(&mut poll, 1, 0) };
        ready == 1 && poll.revents & libc::POLLIN != 0
    }
    #[cfg(not(unix))]
    {
        false
    }
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

/// The kind a scenario's slot gives an input, else the one the config or the flags declare.
fn slot_kind(
    slot: Option<SlotKind>,
    input: &Input,
    settings: &Settings,
) -> Option<(Kind, KindOrigin)> {
    match slot.map(SlotKind::policy_kind) {
        Some(Some(kind)) => Some((kind, KindOrigin::Scenario)),
        _ => declared_kind(input, settings),
    }
}

/// The rules an input is linted with: a request is validated by its pack, never linted as a
/// policy, so only its JSON is checked.
fn slot_rules(slot: Option<SlotKind>, settings: &Settings) -> Cow<'_, [&'static Rule]> {
    if slot.is_some_and(|s| s.policy_kind().is_none()) {
        let json_only = |r: &&&'static Rule| {
            matches!(
                r.meta.name,
                "invalid-json" | "duplicate-key" | "file-too-large"
            )
        };
        Cow::Owned(settings.rules.iter().filter(json_only).copied().collect())
    } else {
        Cow::Borrowed(&settings.rules)
    }
}

/// `check` over every input, in parallel when there is more than one. A single file (a
/// pre-commit hook on one change, an editor's save) is checked on this thread: starting rayon's
/// pool — two threads, reading the cgroup's CPU limits — costs more than checking the file.
fn map_inputs<T: Send>(inputs: &[Input], check: impl Fn(usize, &Input) -> T + Sync) -> Vec<T> {
    if inputs.len() < 2 {
        return inputs
            .iter()
            .enumerate()
            .map(|(i, input)| check(i, input))
            .collect();
    }
    inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| check(i, input))
        .collect()
}

/// One input's findings, and its text when a report will need to show it.
struct Checked {
    diagnostics: Vec<Diagnostic>,
    text: String,
    io_error: Option<String>,
    /// The text of a scenario document, for the pack's rules.
    raw: Option<String>,
    fixed: Option<fix::Outcome>,
    /// The documents checked in it, for the report's `documents`.
    documents: Vec<report::Document>,
    /// Why a walked file was not checked: it is neither a policy nor a template.
    skipped: Option<&'static str>,
}

/// What a `[[scenario]]` makes of an input.
struct Bound {
    /// The slot a file bound whole fills.
    slot: Option<SlotKind>,
    /// Its text is needed by the pack (a file bound whole, or a template one of whose policies is).
    keep_text: bool,
    /// A template one of whose policies is bound: the stack binder does not look at it.
    in_scenario: bool,
}

fn check_one(
    index: usize,
    input: &Input,
    settings: &Settings,
    bound: Bound,
    modules: &Modules,
) -> Checked {
    let slot = bound.slot;
    let file = crate::source::FileId(index as u32);
    let rules = slot_rules(slot, settings);
    let options = CheckOptions {
        rules: &rules,
        kind: slot_kind(slot, input, settings),
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
                fixed: None,
                documents: vec![report::Document {
                    file,
                    line: 1,
                    column: 1,
                    found: rules::DocumentInfo {
                        span: crate::source::Span::empty(0),
                        kind: options.kind,
                        logical_path: None,
                    },
                }],
                skipped: None,
            }
        }
        Err(e) => {
            return Checked {
                diagnostics: Vec::new(),
                text: String::new(),
                io_error: Some(e),
                raw: None,
                fixed: None,
                documents: Vec::new(),
                skipped: None,
            }
        }
    };
    // A scenario's documents are read whatever they look like; the pack needs them.
    let discovery = if slot.is_none() && (input.discovered || settings.force_exclude) {
        Discovery::Walked
    } else {
        Discovery::Named
    };
    let syntax = Syntax::of(&input.display, &bytes);
    // A stack that sets up a pack's scenario is checked against it, with no config.
    let enabled = |m: &RuleMeta| settings.selection.enabled(m.code, m.name);
    let stacks = Stacks {
        packs: &settings.packs,
        enabled: &enabled,
    };
    let stacks = (!bound.in_scenario).then_some(&stacks);
    let outcome = lint(
        file,
        &bytes,
        syntax,
        input.path.as_deref(),
        &options,
        discovery,
        Around {
            stacks,
            modules,
            var_files: &settings.var_files,
        },
    );
    if let Some(reason) = outcome.skipped {
        return Checked {
            diagnostics: Vec::new(),
            text: String::new(),
            io_error: None,
            raw: None,
            fixed: None,
            documents: Vec::new(),
            skipped: Some(reason),
        };
    }
    let (bytes, fixed, io_error) = match settings.fix {
        fix::Mode::Off => (bytes, None, None),
        mode => fix::fix_input(input, bytes, mode, |text| {
            // Pack findings have no fix: the stack's scenarios need not be checked here.
            let mut found = lint(
                file,
                text.as_bytes(),
                syntax,
                input.path.as_deref(),
                &options,
                discovery,
                Around {
                    stacks: None,
                    modules,
                    var_files: &settings.var_files,
                },
            )
            .diagnostics;
            found.retain(|d| settings.reported(input, d));
            found
        }),
    };
    // Fixing changed the text: check what is left.
    let outcome = if fixed.is_some() {
        lint(
            file,
            &bytes,
            syntax,
            input.path.as_deref(),
            &options,
            discovery,
            Around {
                stacks,
                modules,
                var_files: &settings.var_files,
            },
        )
    } else {
        outcome
    };
    // A request bound to a pack's slot is not a policy document.
    let is_request = slot.is_some_and(|s| s.policy_kind().is_none());
    let documents = if is_request {
        Vec::new()
    } else {
        documents(file, &bytes, outcome.documents)
    };
    let diagnostics = outcome.diagnostics;
    let raw = bound
        .keep_text
        .then(|| String::from_utf8_lossy(&bytes).into_owned());
    let text = if diagnostics.is_empty() {
        String::new()
    } else {
        // Valid UTF-8 (nearly every file) is moved, not copied through the lossy decoder.
        String::from_utf8(bytes)
            .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned())
    };
    Checked {
        diagnostics,
        text,
        io_error,
        raw,
        fixed,
        documents,
        skipped: None,
    }
}

/// Checks one input; a Terraform file with the other files of its directory (its module),
/// whose declarations and `.tfvars` values its references may name.
fn lint(
    file: crate::source::FileId,
    bytes: &[u8],
    syntax: Syntax,
    path: Option<&Path>,
    options: &CheckOptions,
    discovery: Discovery,
    around: Around,
) -> rules::Checked {
    match (syntax, path) {
        (Syntax::Hcl, Some(path)) => {
            let module = around.modules.beside(path, options.max_file_size);
            let name = path.file_name();
            // The run read and parsed this very text with its module: the module's index
            // serves. Otherwise (an editor's unsaved text, a file changed since) the module is
            // indexed again around the text given.
            let read = module
                .tf
                .iter()
                .find(|(n, own)| Some(n.as_os_str()) == name && own.text.as_bytes() == bytes)
                .and_then(|(_, own)| module.index.member(own));
            let edited;
            let (index, member) = match read {
                Some(member) => (&module.index, member),
                None => match module.around(name, bytes, options.max_file_size) {
                    Some(index) => {
                        edited = index;
                        (&edited, 0)
                    }
                    // Too large, or not HCL: that is the one finding.
                    None => {
                        return rules::check_terraform(
                            file,
                            bytes,
                            &[],
                            &[],
                            around.var_files,
                            options,
                        )
                    }
                },
            };
            let mut checked =
                rules::check_module_file(file, index, member, around.var_files, options);
            // A module that sets up a pack's scenario is checked against it, with no config.
            if let Some(stacks) = around.stacks {
                let scenarios = || {
                    rules::pack::module::findings(
                        stacks.packs.get(),
                        index,
                        around.var_files,
                        stacks.enabled,
                    )
                };
                let all = match (read, around.modules.one_run) {
                    // Worked out once for all the files of the module a run checks.
                    (Some(_), true) => Cow::Borrowed(module.scenarios.get_or_init(scenarios)),
                    _ => Cow::Owned(scenarios()),
                };
                checked
                    .diagnostics
                    .extend(rules::pack::module::in_file(&all, member, file));
            }
            checked
        }
        _ => rules::check_with(file, bytes, syntax, options, discovery, around.stacks),
    }
}

/// What checking one input draws on beyond its own bytes: the packs whose scenarios a stack may
/// set up, and the Terraform modules the run has read.
#[derive(Clone, Copy)]
struct Around<'a> {
    stacks: Option<&'a Stacks<'a>>,
    modules: &'a Modules,
    /// `--var-file`s (or the config's `var-files`), read after a module's own `.tfvars`.
    var_files: &'a [crate::template::terraform::VarFile],
}

/// A Terraform module's directory as read: each `.tf` file by name (unreadable or oversized
/// ones left out: each is reported when it is checked itself), the `.tfvars` texts, and the
/// index of what its files declare, built once for every file of it that is checked.
struct ModuleDir {
    /// What the directory held when it was read: a changed stamp means it must be read again.
    stamp: DirStamp,
    tf: Vec<(std::ffi::OsString, Arc<rules::ModuleFile>)>,
    /// `terraform.tfvars`, then `*.auto.tfvars` by name: Terraform's order, a later value winning.
    tfvars: Vec<String>,
    index: rules::ModuleIndex,
    /// The findings of the packs on the scenarios the module sets up, for a `check` run.
    scenarios: std::sync::OnceLock<Vec<Diagnostic>>,
}

/// The name, size and modification time of each `.tf` and `.tfvars` file of a directory.
#[derive(PartialEq, Eq)]
struct DirStamp(Vec<(std::ffi::OsString, u64, Option<std::time::SystemTime>)>);

impl DirStamp {
    fn of(dir: &Path) -> DirStamp {
        let module_file = |name: &std::ffi::OsStr| {
            let name = name.to_string_lossy().to_lowercase();
            name.ends_with(".tf") || name.ends_with(".tfvars")
        };
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|entry| module_file(&entry.file_name()))
                    .filter_map(|entry| {
                        let metadata = std::fs::metadata(entry.path()).ok()?;
                        Some((entry.file_name(), metadata.len(), metadata.modified().ok()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        DirStamp(files)
    }
}

/// The Terraform modules a run has read, by directory: checking a module's n files read its
/// directory n times, and the language server again on every edit.
#[derive(Default)]
pub(super) struct Modules {
    read: Mutex<HashMap<PathBuf, Arc<ModuleDir>>>,
    /// Whether every file is checked with the same packs, rules and `--var-file`s (a `check`
    /// run), so that a module's scenarios are worked out once; the language server reads each
    /// document's config afresh.
    one_run: bool,
}

impl Modules {
    /// The modules of one `check` run.
    fn for_run() -> Self {
        Modules {
            one_run: true,
            ..Modules::default()
        }
    }

    /// The module of the `.tf` file at `path`. The language server also reads it again when a
    /// file of the directory changed on disk (a checkout, `terraform fmt`): clients need not
    /// send `workspace/didChangeWatchedFiles`, and a listing and a `stat` per file cost little
    /// beside parsing the module.
    fn beside(&self, path: &Path, limit: u64) -> Arc<ModuleDir> {
        let dir = module_dir(path);
        let cached = self.lock().get(dir).cloned();
        let cached = cached.filter(|m| self.one_run || m.stamp == DirStamp::of(dir));
        cached.unwrap_or_else(|| {
            // Read outside the lock: two threads may read one directory, never wait on each other.
            let module = Arc::new(ModuleDir::read(dir, limit));
            self.lock().insert(dir.to_path_buf(), Arc::clone(&module));
            module
        })
    }

    /// Forgets the module of the file at `path`: a file of its directory changed.
    pub(super) fn forget(&self, path: &Path) {
        self.lock().remove(module_dir(path));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Arc<ModuleDir>>> {
        self.read.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn module_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

impl ModuleDir {
    fn read(dir: &Path, limit: u64) -> ModuleDir {
        let stamp = DirStamp::of(dir);
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.path())
                    .filter(|p| p.metadata().is_ok_and(|m| m.is_file() && m.len() <= limit))
                    .collect()
            })
            .unwrap_or_default();
        paths.sort();
        let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().to_lowercase());
        let read = |p: &PathBuf| std::fs::read_to_string(p).ok();
        let tf: Vec<(std::ffi::OsString, Arc<rules::ModuleFile>)> = paths
            .iter()
            .filter(|p| name(p).is_some_and(|n| n.ends_with(".tf")))
            // Parsed here, once for every file of the module that is checked.
            .filter_map(|p| {
                let file = rules::ModuleFile::new(read(p)?);
                Some((p.file_name()?.to_os_string(), Arc::new(file)))
            })
            .collect();
        let mut tfvars: Vec<&PathBuf> = paths
            .iter()
            .filter(|p| {
                name(p).is_some_and(|n| n == "terraform.tfvars" || n.ends_with(".auto.tfvars"))
            })
            .collect();
        tfvars.sort_by_key(|p| name(p).is_some_and(|n| n != "terraform.tfvars"));
        let tfvars: Vec<String> = tfvars.into_iter().filter_map(read).collect();
        let index = rules::ModuleIndex::new(tf.iter().map(|(_, file)| Arc::clone(file)), &tfvars);
        ModuleDir {
            stamp,
            tf,
            tfvars,
            index,
            scenarios: std::sync::OnceLock::new(),
        }
    }

    /// The module indexed with `bytes` as the text of its file `name` (an editor's unsaved
    /// text), placed first; `None` when that text is too large or does not parse.
    fn around(
        &self,
        name: Option<&std::ffi::OsStr>,
        bytes: &[u8],
        limit: u64,
    ) -> Option<rules::ModuleIndex> {
        if bytes.len() as u64 > limit {
            return None;
        }
        let own = rules::ModuleFile::new(crate::source::decode(bytes).ok()?.to_string());
        own.body.as_ref()?;
        let others = self
            .tf
            .iter()
            .filter(|(n, _)| Some(n.as_os_str()) != name)
            .map(|(_, file)| Arc::clone(file));
        Some(rules::ModuleIndex::new(
            std::iter::once(Arc::new(own)).chain(others),
            &self.tfvars,
        ))
    }
}

/// The documents found in one input, with their line and column (worked out here, where the
/// text is at hand: the report keeps the text only of files with findings).
fn documents(
    file: crate::source::FileId,
    bytes: &[u8],
    found: Vec<rules::DocumentInfo>,
) -> Vec<report::Document> {
    let text = String::from_utf8_lossy(bytes);
    let index = crate::source::LineIndex::new(&text);
    found
        .into_iter()
        .map(|found| {
            let at = index.line_col(&text, found.span.start);
            report::Document {
                file,
                line: at.line,
                column: at.column,
                found,
            }
        })
        .collect()
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
            // Room for the whole file and the one-byte read that finds its end: two reads in
            // all, where growing from empty took eight for a typical policy.
            bytes.reserve_exact(size as usize + 1);
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
    load_config_from(args.config.as_deref(), args.no_config, cwd)
}

/// The config named by `--config`, or found upward from `cwd`; none with `--no-config`.
pub(super) fn load_config_from(
    named: Option<&Path>,
    no_config: bool,
    cwd: &Path,
) -> Result<Option<LoadedConfig>, Failure> {
    if no_config {
        return Ok(None);
    }
    let path: Option<PathBuf> = match named {
        Some(path) => Some(path.to_path_buf()),
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
    // Called only for a selector to check, so a run without one never loads the packs.
    let known = || {
        let pack_rules = packs.get().iter().flat_map(|p| &p.rules);
        registry::BUILTIN
            .iter()
            .map(|r| &r.meta)
            .chain(pack_rules.map(|r| r.meta))
            .map(|m| (m.code, m.name))
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
    let flags = RuleSelection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    if !flags.select.is_empty() || !flags.ignore.is_empty() {
        flags
            .validate(known())
            .map_err(|e| Failure::Usage(e.to_string()))?;
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
    let include = config
        .include
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
    let baseline_path = match (&args.baseline, &config.baseline) {
        (Some(path), _) => Some(cwd.join(path)),
        (None, Some(path)) => Some(base.join(path.get_ref())),
        (None, None) => None,
    };
    let baseline = match &baseline_path {
        None if args.update_baseline => {
            return Err(Failure::Usage(
                "--update-baseline needs a baseline file: `--baseline FILE` or `baseline = \"...\"` in iamlint.toml".into(),
            ))
        }
        None => None,
        Some(path) if args.update_baseline && !path.exists() => Some(Baseline::empty(path, cwd)),
        Some(path) => Some(Baseline::load(path, cwd).map_err(Failure::Usage)?),
    };
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
        include,
        force_exclude: args.force_exclude || config.force_exclude.unwrap_or(false),
        verbose: args.verbose,
        per_file_ignores,
        file_kinds,
        fix: if args.diff {
            fix::Mode::Diff
        } else if args.fix {
            fix::Mode::Apply
        } else {
            fix::Mode::Off
        },
        baseline,
        update_baseline: args.update_baseline,
        var_files: super::var_files::load(&args.var_files, loaded, cwd)?,
    })
}

pub fn kind(arg: KindArg) -> Kind {
    match arg {
        KindArg::Identity => Kind::Identity,
        KindArg::Trust => Kind::Trust,
        KindArg::Resource => Kind::Resource,
        KindArg::Key => Kind::Key,
        KindArg::Scp => Kind::Scp,
        KindArg::Rcp => Kind::Rcp,
        KindArg::Endpoint => Kind::Endpoint,
        KindArg::Boundary => Kind::Boundary,
        KindArg::Session => Kind::Session,
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

/// Settings for a document an editor opened, with the config's `[[scenario]]`s bound: the
/// config found upward from its directory, read afresh each time (it is small, and the user may
/// have just edited it).
pub(super) fn settings_for(dir: &Path) -> Result<(Settings, Vec<pack_scenario::Bound>), Failure> {
    let args = CheckArgs::default();
    let config = load_config(&args, dir)?;
    let settings = settings(&args, config.as_ref(), dir)?;
    // A scenario that cannot be bound (a document not written yet, a resource just renamed) is a
    // config error to `check`; in the editor it must not stop every document being checked.
    let bound = scenario::bind(config.as_ref(), &settings.packs, dir).unwrap_or_default();
    Ok((settings, bound))
}

/// Lints an in-memory document as `check` would lint a file its walk met at `path`, with the
/// kind it was checked as; `None` when the config's `exclude` skips that file (and no scenario
/// binds it) or it is not a policy (an editor opens every JSON file).
pub(super) fn lint_text(
    settings: &Settings,
    scenarios: &[pack_scenario::Bound],
    path: &Path,
    text: &str,
    modules: &Modules,
) -> Option<rules::Checked> {
    // The document is the scenarios' first input; their other documents are read from disk.
    let cwd = path.parent().unwrap_or(Path::new("/"));
    let plan = pack_scenario::plan(scenarios, &[Some(walk::absolute(path, cwd))]);
    // As in `check`, a scenario's document is checked even where `exclude` skips the walk.
    if plan.texts.is_empty()
        && settings
            .exclude
            .iter()
            .any(|p| settings.matcher.matches(p, path))
    {
        return None;
    }
    let input = Input {
        display: path.to_string_lossy().into_owned(),
        path: Some(path.to_path_buf()),
        discovered: true,
    };
    let slot = plan.kinds.get(&0).copied();
    let rules = slot_rules(slot, settings);
    let options = CheckOptions {
        rules: &rules,
        kind: slot_kind(slot, &input, settings),
        max_file_size: settings.max_file_size,
    };
    let syntax = Syntax::of(&input.display, text.as_bytes());
    let enabled = |m: &RuleMeta| settings.selection.enabled(m.code, m.name);
    let stacks = Stacks {
        packs: &settings.packs,
        enabled: &enabled,
    };
    let mut outcome = lint(
        crate::source::FileId(0),
        text.as_bytes(),
        syntax,
        Some(path),
        &options,
        if slot.is_some() {
            Discovery::Named
        } else {
            Discovery::Walked
        },
        Around {
            stacks: (!plan.templates.contains(&0)).then_some(&stacks),
            modules,
            var_files: &settings.var_files,
        },
    );
    if outcome.skipped.is_some() {
        return None;
    }
    if !plan.texts.is_empty() {
        let texts: Vec<Option<String>> = std::iter::once(Some(text.to_string()))
            .chain(plan.added.iter().map(|path| {
                // Read as `check` reads them: up to the size limit, invalid UTF-8 replaced.
                let input = Input {
                    display: path.to_string_lossy().into_owned(),
                    path: Some(path.clone()),
                    discovered: false,
                };
                match read(&input, settings.max_file_size) {
                    Ok(Loaded::Bytes(bytes)) => Some(String::from_utf8_lossy(&bytes).into_owned()),
                    _ => None,
                }
            }))
            .collect();
        let config_file = crate::source::FileId(texts.len() as u32);
        let mut found = pack_scenario::evaluate(scenarios, &plan, &texts, config_file, &enabled);
        // The editor shows this document's findings; the others' are theirs to show.
        found.retain(|d| d.file == crate::source::FileId(0));
        if !found.is_empty() {
            let packs = settings.packs.get();
            crate::rules::pack::drop_superseded(packs, &found, &mut outcome.diagnostics);
        }
        outcome.diagnostics.extend(found);
    }
    outcome.diagnostics.retain(|d| settings.reported(&input, d));
    Some(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_module_directory_is_read_once_until_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let main = dir.path().join("main.tf");
        let other = dir.path().join("other.tf");
        std::fs::write(&main, "# main\n").unwrap();
        std::fs::write(&other, "# first\n").unwrap();
        std::fs::write(dir.path().join("terraform.tfvars"), "a = 1\n").unwrap();
        let modules = Modules::for_run();
        // The texts of the other `.tf` files, as the module's index holds them.
        let siblings = |module: Arc<ModuleDir>, of: &str| -> Vec<String> {
            module
                .tf
                .iter()
                .filter(|(name, _)| name != of)
                .map(|(_, f)| f.text.clone())
                .collect()
        };
        let module = modules.beside(&main, DEFAULT_MAX_FILE_SIZE);
        assert_eq!(module.tfvars, ["a = 1\n"]);
        assert_eq!(module.index.files().count(), 2);
        assert_eq!(
            siblings(module, "main.tf"),
            ["# first\n"],
            "the file itself is not its sibling"
        );
        assert_eq!(
            siblings(modules.beside(&other, DEFAULT_MAX_FILE_SIZE), "other.tf"),
            ["# main\n"]
        );
        std::fs::write(&other, "# second\n").unwrap();
        assert_eq!(
            siblings(modules.beside(&main, DEFAULT_MAX_FILE_SIZE), "main.tf"),
            ["# first\n"],
            "read once per run"
        );
        modules.forget(&other);
        assert_eq!(
            siblings(modules.beside(&main, DEFAULT_MAX_FILE_SIZE), "main.tf"),
            ["# second\n"]
        );
        // The language server's: read again once a file of the directory changed on disk.
        let editor = Modules::default();
        assert_eq!(
            siblings(editor.beside(&main, DEFAULT_MAX_FILE_SIZE), "main.tf"),
            ["# second\n"]
        );
        std::fs::write(&other, "# third, longer\n").unwrap();
        assert_eq!(
            siblings(editor.beside(&main, DEFAULT_MAX_FILE_SIZE), "main.tf"),
            ["# third, longer\n"]
        );
    }
}

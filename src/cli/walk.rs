//! Turns the PATH arguments into the list of inputs: files as given, directories walked for
//! `*.json`, `*.yaml`, `*.yml`, `*.template` and `*.tf` (honouring `.gitignore` and the config's `exclude`), globs expanded, `-` for stdin.

use std::path::{Path, PathBuf};

use glob::{MatchOptions, Pattern};

/// One document to check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    /// The path as reported: as given or found, relative to the current directory when below it.
    pub display: String,
    /// Where to read it from; `None` for standard input.
    pub path: Option<PathBuf>,
    /// Found by a directory walk or a glob rather than named: skipped if it is not a policy.
    pub discovered: bool,
}

pub const MATCH: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: false,
};

/// Paths in the config are relative to its directory; so is what they are matched against.
#[derive(Debug, Clone)]
pub struct PathMatcher {
    base: PathBuf,
    cwd: PathBuf,
}

impl PathMatcher {
    pub fn new(base: &Path, cwd: &Path) -> Self {
        PathMatcher {
            base: absolute(base, cwd),
            cwd: cwd.to_path_buf(),
        }
    }

    /// The path relative to the base, with `/` separators; `None` when it is outside the base.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let absolute = absolute(path, &self.cwd);
        let relative = absolute.strip_prefix(&self.base).ok()?;
        Some(relative.to_string_lossy().replace('\\', "/"))
    }

    pub fn matches(&self, pattern: &Pattern, path: &Path) -> bool {
        self.relative(path)
            .is_some_and(|p| pattern.matches_with(&p, MATCH))
    }
}

/// Lexically absolute (no symlink resolution, `.` and `..` folded), so that paths compare.
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// What the walk found, and what it could not read.
#[derive(Debug, Default)]
pub struct Walk {
    pub inputs: Vec<Input>,
    pub errors: Vec<String>,
    /// Files named explicitly that `--force-exclude` left out.
    pub excluded: Vec<String>,
}

/// The config's `include` and `exclude` patterns, shareable with the walker's threads.
#[derive(Debug, Clone)]
pub struct Exclude {
    pub patterns: Vec<Pattern>,
    /// When not empty, the walk keeps only the files matching one of these (instead of
    /// every `*.json`, `*.yaml`, `*.yml` and `*.template`).
    pub include: Vec<Pattern>,
    pub matcher: PathMatcher,
    /// Apply `exclude` to files named explicitly too (pre-commit names every staged file).
    pub force: bool,
}

impl Exclude {
    fn excludes(&self, path: &Path) -> bool {
        self.patterns.iter().any(|p| self.matcher.matches(p, path))
    }

    /// Whether a file met by the walk is one to check. By default: JSON, and the YAML and
    /// `.template` files CloudFormation templates are written in (the check skips those that
    /// are not templates).
    fn includes(&self, path: &Path) -> bool {
        if self.include.is_empty() {
            path.extension().is_some_and(|e| {
                ["json", "yaml", "yml", "template", "tf"]
                    .iter()
                    .any(|known| e.eq_ignore_ascii_case(known))
            })
        } else {
            self.include.iter().any(|p| self.matcher.matches(p, path))
        }
    }
}

pub fn walk(paths: &[String], stdin_name: Option<&str>, exclude: &Exclude, cwd: &Path) -> Walk {
    let mut walk = Walk::default();
    let excluded = |path: &Path| exclude.excludes(path);
    for arg in paths {
        if arg == "-" {
            walk.inputs.push(Input {
                display: stdin_name.unwrap_or("-").to_string(),
                path: None,
                discovered: false,
            });
            continue;
        }
        let path = Path::new(arg);
        if path.is_file() && exclude.force && excluded(path) {
            walk.excluded.push(display(path, cwd));
        } else if path.is_file() {
            walk.inputs.push(Input {
                display: display(path, cwd),
                path: Some(path.to_path_buf()),
                discovered: false,
            });
        } else if path.is_dir() {
            walk_dir(path, exclude, cwd, &mut walk);
        } else if arg.contains(['*', '?', '[']) {
            match glob::glob_with(arg, MATCH) {
                Ok(entries) => {
                    let before = walk.inputs.len();
                    for entry in entries {
                        match entry {
                            Ok(found) if found.is_file() && !excluded(&found) => {
                                walk.inputs.push(Input {
                                    display: display(&found, cwd),
                                    path: Some(found),
                                    discovered: true,
                                })
                            }
                            Ok(found) if found.is_dir() => {
                                walk_dir(&found, exclude, cwd, &mut walk)
                            }
                            Ok(_) => {}
                            Err(e) => walk.errors.push(format!(
                                "cannot read `{}`: {}",
                                e.path().display(),
                                e.error()
                            )),
                        }
                    }
                    if walk.inputs.len() == before {
                        walk.errors
                            .push(format!("the pattern `{arg}` matches no file"));
                    }
                }
                Err(e) => walk
                    .errors
                    .push(format!("`{arg}` is not a valid glob pattern: {}", e.msg)),
            }
        } else if path.is_symlink() {
            walk.errors
                .push(format!("`{arg}` is a symbolic link to a missing file"));
        } else if path.exists() {
            // A FIFO, socket or device: never opened, as reading one could block forever.
            walk.errors
                .push(format!("`{arg}` is not a regular file or directory"));
        } else {
            walk.errors.push(format!("`{arg}` does not exist"));
        }
    }
    // A file both named and walked sorts named first, and is kept as named.
    walk.inputs.sort();
    walk.inputs
        .dedup_by(|a, b| a.path.is_some() && a.path == b.path);
    walk
}

fn walk_dir(dir: &Path, exclude: &Exclude, cwd: &Path, walk: &mut Walk) {
    // A CDK cloud assembly (`cdk.out`) is read through its manifest: its stack templates only.
    let assemblies = std::sync::Arc::new(std::sync::Mutex::new(
        super::cdk::assembly_templates(dir).unwrap_or_default(),
    ));
    if !assemblies.lock().expect("not shared yet").is_empty() {
        return walk_templates(assemblies, exclude, cwd, walk);
    }
    let found = assemblies.clone();
    let skip = exclude.clone();
    let walker = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .follow_links(true)
        .filter_entry(move |entry| {
            // `.terraform/` holds downloaded modules and providers, not the module's own code.
            if entry.file_name() == ".terraform" || skip.excludes(entry.path()) {
                return false;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if is_dir {
                if let Some(templates) = super::cdk::assembly_templates(entry.path()) {
                    found.lock().expect("no panic holds it").extend(templates);
                    return false;
                }
            }
            true
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                if entry.file_type().is_some_and(|t| t.is_file()) && exclude.includes(path) {
                    walk.inputs.push(Input {
                        display: display(path, cwd),
                        path: Some(path.to_path_buf()),
                        discovered: true,
                    });
                }
            }
            Err(error) => walk.errors.push(describe_walk_error(&error)),
        }
    }
    walk_templates(assemblies, exclude, cwd, walk);
}

fn walk_templates(
    assemblies: std::sync::Arc<std::sync::Mutex<Vec<PathBuf>>>,
    exclude: &Exclude,
    cwd: &Path,
    walk: &mut Walk,
) {
    let templates = std::mem::take(&mut *assemblies.lock().expect("no panic holds it"));
    for template in templates {
        if template.is_file() && !exclude.excludes(&template) {
            walk.inputs.push(Input {
                display: display(&template, cwd),
                path: Some(template),
                discovered: true,
            });
        }
    }
}

fn describe_walk_error(error: &ignore::Error) -> String {
    let text = error.to_string();
    if text.contains("File system loop") {
        format!("skipped a directory symlink loop: {text}")
    } else {
        format!("cannot read: {text}")
    }
}

/// As given, without a leading `./`, and relative to the current directory when below it.
pub fn display(path: &Path, cwd: &Path) -> String {
    let shown = if path.is_absolute() {
        path.strip_prefix(cwd).unwrap_or(path)
    } else {
        path
    };
    let text = shown.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

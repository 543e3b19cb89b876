//! `iamlint.toml`: discovery upward from the current directory, strict parsing (an unknown key
//! is an error with its line and column), paths relative to the config file's directory.

use crate::source::LineIndex;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::args::{FailOn, FormatArg, KindArg};

pub const FILE_NAMES: [&str; 2] = ["iamlint.toml", ".iamlint.toml"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub fail_on: Option<FailOn>,
    pub format: Option<FormatArg>,
    pub kind: Option<KindArg>,
    pub quiet: Option<bool>,
    #[serde(default)]
    pub select: Vec<Spanned<String>>,
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    /// The files a directory walk checks (default: every `*.json`).
    #[serde(default)]
    pub include: Vec<Spanned<String>>,
    pub force_exclude: Option<bool>,
    #[serde(default)]
    pub packs: Vec<Spanned<String>>,
    pub max_file_size: Option<u64>,
    /// Findings recorded here are not reported (`--baseline`); relative to the config file.
    pub baseline: Option<Spanned<String>>,
    #[serde(default)]
    pub per_file_ignores: Vec<PerFileIgnore>,
    #[serde(default)]
    pub files: Vec<FileKind>,
    #[serde(default)]
    pub scenario: Vec<crate::rules::pack::scenario::Declared>,
    /// Terraform variable files for every module (`--var-file`); relative to the config file.
    #[serde(default)]
    pub var_files: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerFileIgnore {
    pub files: Spanned<String>,
    pub rules: Vec<Spanned<String>>,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileKind {
    pub paths: Vec<Spanned<String>>,
    pub kind: KindArg,
}

/// A config file as loaded, with what is needed to report positions in it.
#[derive(Debug)]
pub struct LoadedConfig {
    pub path: PathBuf,
    pub dir: PathBuf,
    pub text: String,
    pub config: Config,
}

/// An error in a config file, with its position when there is one.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some((line, column)) => write!(
                f,
                "{}:{line}:{column}: {}",
                self.path.display(),
                self.message
            ),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl LoadedConfig {
    pub fn error_at(
        &self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> ConfigError {
        ConfigError {
            path: self.path.clone(),
            position: Some(line_column(&self.text, span.start)),
            message: message.into(),
        }
    }
}

/// The nearest `iamlint.toml` or `.iamlint.toml` from `start` upward, stopping at the root.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .flat_map(|dir| FILE_NAMES.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

pub fn load(path: &Path) -> Result<LoadedConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        position: None,
        message: format!("cannot read the config file: {e}"),
    })?;
    let config: Config = toml::from_str(&text).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        position: e.span().map(|span| line_column(&text, span.start)),
        message: e.message().trim().to_string(),
    })?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    Ok(LoadedConfig {
        path: path.to_path_buf(),
        dir,
        text,
        config,
    })
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let at = LineIndex::new(text).line_col(text, offset.min(text.len()) as u32);
    (at.line as usize, at.column as usize)
}

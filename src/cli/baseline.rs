//! `--baseline FILE` and `--update-baseline`: adopt iamlint on an existing repository and fail
//! only on new findings. A finding is known by its file, rule code and JSON Pointer (the message
//! when it has no pointer), never by its line, so moving lines keeps it suppressed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::walk::absolute;
use crate::rules::Diagnostic;

pub const VERSION: u32 = 1;

/// The file as written: sorted entries, one per distinct key, so diffs of it stay readable.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    /// Relative to the baseline file's directory, `/`-separated.
    file: String,
    code: String,
    /// For people reading the file; not part of the key (names are as stable as codes).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pointer: Option<String>,
    /// Only for findings without a pointer (invalid JSON, a whole-document finding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    /// How many findings share this key; the extra ones beyond it are new.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    count: usize,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Key {
    file: String,
    code: String,
    anchor: Anchor,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Anchor {
    Pointer(String),
    Message(String),
}

/// A loaded baseline, ready to filter one run's findings.
#[derive(Debug, Clone)]
pub struct Baseline {
    path: PathBuf,
    /// The baseline's directory, absolute: file keys are relative to it.
    dir: PathBuf,
    cwd: PathBuf,
    known: BTreeMap<Key, usize>,
}

impl Baseline {
    /// An empty baseline that `save` will write to `path`.
    pub fn empty(path: &Path, cwd: &Path) -> Self {
        let absolute = absolute(path, cwd);
        Baseline {
            dir: absolute.parent().unwrap_or(&absolute).to_path_buf(),
            path: absolute,
            cwd: cwd.to_path_buf(),
            known: BTreeMap::new(),
        }
    }

    pub fn load(path: &Path, cwd: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the baseline `{}`: {e}", path.display()))?;
        let file: BaselineFile = serde_json::from_str(&text)
            .map_err(|e| format!("`{}` is not an iamlint baseline: {e}", path.display()))?;
        if file.version != VERSION {
            return Err(format!(
                "`{}` is a version {} baseline; this iamlint reads version {VERSION}",
                path.display(),
                file.version
            ));
        }
        let mut baseline = Baseline::empty(path, cwd);
        for entry in file.findings {
            let anchor = match (entry.pointer, entry.message) {
                (Some(pointer), _) => Anchor::Pointer(pointer),
                (None, Some(message)) => Anchor::Message(message),
                (None, None) => continue,
            };
            let key = Key {
                file: entry.file,
                code: entry.code,
                anchor,
            };
            *baseline.known.entry(key).or_insert(0) += entry.count;
        }
        Ok(baseline)
    }

    /// The baseline's absolute path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn key(&self, reported: &str, d: &Diagnostic) -> Key {
        let file = relative(&self.dir, &absolute(Path::new(reported), &self.cwd));
        let anchor = match &d.pointer {
            Some(pointer) => Anchor::Pointer(pointer.clone()),
            None => Anchor::Message(d.message.clone()),
        };
        Key {
            file,
            code: d.rule.code.to_string(),
            anchor,
        }
    }

    /// Whether any finding with this key is recorded (for `--fix`, which leaves them alone).
    pub fn knows(&self, reported: &str, d: &Diagnostic) -> bool {
        self.known.contains_key(&self.key(reported, d))
    }

    /// Removes the recorded findings, in order, up to each key's count; returns how many.
    pub fn filter<'d>(
        &self,
        diagnostics: &mut Vec<Diagnostic>,
        reported: impl Fn(&Diagnostic) -> &'d str,
    ) -> usize {
        let mut left = self.known.clone();
        let before = diagnostics.len();
        diagnostics.retain(|d| match left.get_mut(&self.key(reported(d), d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        });
        before - diagnostics.len()
    }

    /// Writes these findings as the new baseline (sorted, so the file is stable), atomically.
    pub fn save<'d>(
        &self,
        diagnostics: &[Diagnostic],
        reported: impl Fn(&Diagnostic) -> &'d str,
    ) -> Result<usize, String> {
        let mut counted: BTreeMap<Key, (usize, &'static str)> = BTreeMap::new();
        for d in diagnostics {
            counted
                .entry(self.key(reported(d), d))
                .or_insert((0, d.rule.name))
                .0 += 1;
        }
        let findings: Vec<Entry> = counted
            .into_iter()
            .map(|(key, (count, name))| {
                let (pointer, message) = match key.anchor {
                    Anchor::Pointer(p) => (Some(p), None),
                    Anchor::Message(m) => (None, Some(m)),
                };
                Entry {
                    file: key.file,
                    code: key.code,
                    name: name.to_string(),
                    pointer,
                    message,
                    count,
                }
            })
            .collect();
        let total = findings.iter().map(|e| e.count).sum();
        let file = BaselineFile {
            version: VERSION,
            findings,
        };
        let mut text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
        text.push('\n');
        let describe =
            |e: std::io::Error| format!("cannot write the baseline `{}`: {e}", self.path.display());
        if self.path.exists() {
            super::fix::write_atomic(&self.path, text.as_bytes()).map_err(describe)?;
        } else {
            std::fs::write(&self.path, text).map_err(describe)?;
        }
        Ok(total)
    }
}

/// `path` relative to `base` (both absolute), with `..` where it lies outside, `/`-separated:
/// file keys stay the same from whatever directory iamlint runs.
fn relative(base: &Path, path: &Path) -> String {
    let base: Vec<_> = base.components().collect();
    let path: Vec<_> = path.components().collect();
    let common = base.iter().zip(&path).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); base.len() - common];
    parts.extend(
        path[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn relative_paths_climb_with_dot_dot() {
        assert_eq!(
            relative(Path::new("/r"), Path::new("/r/iam/a.json")),
            "iam/a.json"
        );
        assert_eq!(
            relative(Path::new("/r/lint"), Path::new("/r/iam/a.json")),
            "../iam/a.json"
        );
    }
}

//! `check --fix` and `check --diff`: the diagnostics' fixes as span edits, so everything outside
//! an edit stays byte for byte; applied pass after pass until nothing changes (bounded), written
//! atomically. A fix is only ever one a rule marks as not changing what the policy grants.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::walk::Input;
use super::{ExitCode, Failure};
use crate::rules::{Diagnostic, Edit};
use crate::source::Span;

/// Whether and how `check` applies fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Off,
    /// Write fixed files (stdin: print the fixed document) and report what remains.
    Apply,
    /// Print a unified diff of what `Apply` would change; write nothing.
    Diff,
}

/// Fixes can enable one another (a pass may expose a new finding with a fix), but a loop that
/// does not settle within this many passes is a bug in a rule, not a reason to hang.
pub const MAX_PASSES: usize = 10;

/// A document after fixing: its new text and how many fixes went in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    pub applied: usize,
}

/// Runs `check` and applies its fixes until no fix applies. A pass whose result no longer parses
/// is dropped (and fixing stops), so a faulty fix can never corrupt a file.
pub fn fix_until_stable(text: &str, check: impl Fn(&str) -> Vec<Diagnostic>) -> Fixed {
    let mut current = text.to_string();
    let mut applied = 0;
    for _ in 0..MAX_PASSES {
        let diagnostics = check(&current);
        let (next, count) = apply(&current, &diagnostics);
        if count == 0 || next == current || crate::source::parse(&next).is_err() {
            break;
        }
        current = next;
        applied += count;
    }
    Fixed {
        text: current,
        applied,
    }
}

/// Applies every fix whose edits touch none of an earlier-accepted fix's edits; a fix goes in
/// whole or not at all. Returns the new text and the number of fixes applied.
pub fn apply(text: &str, diagnostics: &[Diagnostic]) -> (String, usize) {
    let mut fixes: Vec<&[Edit]> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .map(|f| f.edits.as_slice())
        .filter(|edits| !edits.is_empty())
        .collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| e.span).min());
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut count = 0;
    for edits in fixes {
        let valid = edits.iter().all(|e| in_bounds(text, e.span));
        let clashes = edits.iter().enumerate().any(|(i, e)| {
            accepted.iter().any(|a| overlaps(a.span, e.span))
                || edits[..i].iter().any(|o| overlaps(o.span, e.span))
        });
        if valid && !clashes {
            accepted.extend(edits);
            count += 1;
        }
    }
    accepted.sort_by_key(|e| e.span);
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for edit in accepted {
        out.push_str(&text[at..edit.span.start as usize]);
        out.push_str(&edit.replacement);
        at = edit.span.end as usize;
    }
    out.push_str(&text[at..]);
    (out, count)
}

/// What fixing one input did: its text before and after.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub original: String,
    pub fixed: String,
    pub applied: usize,
}

/// Fixes one input's text with `check` (which returns only the findings that are reported)
/// and, in `Apply` mode, writes a changed file back. Returns the bytes to report on (the fixed
/// text), the outcome, and a write error if any. Input that is not UTF-8 is left alone.
pub fn fix_input(
    input: &Input,
    bytes: Vec<u8>,
    mode: Mode,
    check: impl Fn(&str) -> Vec<Diagnostic>,
) -> (Vec<u8>, Option<Outcome>, Option<String>) {
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return (bytes, None, None);
    };
    let fixed = fix_until_stable(text, check);
    let mut error = None;
    if let (Mode::Apply, Some(path), true) = (mode, &input.path, fixed.applied > 0) {
        if let Err(e) = write_atomic(path, fixed.text.as_bytes()) {
            error = Some(format!(
                "cannot write the fixes to `{}`: {e}",
                input.display
            ));
        }
    }
    let outcome = Outcome {
        original: text.to_string(),
        fixed: fixed.text,
        applied: fixed.applied,
    };
    let bytes = if error.is_some() {
        bytes
    } else {
        outcome.fixed.clone().into_bytes()
    };
    (bytes, Some(outcome), error)
}

/// `--diff`, as ruff does it: the diffs on stdout, a count on stderr, exit 1 when there is
/// something to fix (so CI can require a fixed tree), 0 when not, 2 after an I/O error.
pub fn print_diffs(fixes: &[(&Input, Outcome)], quiet: bool, io_failed: bool) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let (mut findings, mut files) = (0, 0);
    for (input, outcome) in fixes.iter().filter(|(_, o)| o.applied > 0) {
        let diff = unified_diff(&input.display, &outcome.original, &outcome.fixed);
        if let Err(e) = out.write_all(diff.as_bytes()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                break;
            }
            eprintln!("iamlint: error: cannot write the diff: {e}");
            return ExitCode::Error;
        }
        findings += outcome.applied;
        files += 1;
    }
    let _ = out.flush();
    if !quiet {
        if findings == 0 {
            eprintln!("No fixes available.");
        } else {
            eprintln!(
                "Would fix {} in {}.",
                plural(findings, "finding"),
                plural(files, "file")
            );
        }
    }
    if io_failed {
        ExitCode::Error
    } else if findings > 0 {
        ExitCode::Findings
    } else {
        ExitCode::Clean
    }
}

/// `--fix`: prints standard input's document, fixed or not, as ruff does, and a count of the
/// fixes on stderr. Returns whether a document went to stdout (then the report goes to stderr).
pub fn print_fixed(fixes: &[(&Input, Outcome)], quiet: bool) -> Result<bool, Failure> {
    let mut printed = false;
    let mut out = std::io::stdout().lock();
    for (_, outcome) in fixes.iter().filter(|(input, _)| input.path.is_none()) {
        match out
            .write_all(outcome.fixed.as_bytes())
            .and_then(|()| out.flush())
        {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(Failure::Io(format!("cannot write the fixed document: {e}")))
            }
            _ => printed = true,
        }
    }
    let fixed: Vec<&Outcome> = fixes
        .iter()
        .map(|(_, o)| o)
        .filter(|o| o.applied > 0)
        .collect();
    if !quiet && !fixed.is_empty() {
        let count = fixed.iter().map(|o| o.applied).sum();
        eprintln!(
            "Fixed {} in {}.",
            plural(count, "finding"),
            plural(fixed.len(), "file")
        );
    }
    Ok(printed)
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Two edits clash when their ranges intersect, or when both start at the same place (the order
/// of two insertions there would be a guess).
fn overlaps(a: Span, b: Span) -> bool {
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

fn in_bounds(text: &str, span: Span) -> bool {
    span.start <= span.end
        && text.is_char_boundary(span.start as usize)
        && text.is_char_boundary(span.end as usize)
}

/// A unified diff (three lines of context) from `old` to `new`, both labelled `name`.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, name)
        .to_string()
}

/// Replaces `path` with `bytes` so that a reader sees the old or the new file, never half of
/// one: a temporary file in the same directory (same file system), synced, then renamed over.
/// The file's permissions are kept; on any error the temporary file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let permissions = std::fs::metadata(path)?.permissions();
    let mut attempt = 0u32;
    let (temp, mut file) = loop {
        let temp = dir.join(format!(
            ".{name}.iamlint-{}-{attempt}.tmp",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => break (temp, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1
            }
            Err(e) => return Err(e),
        }
    };
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::set_permissions(&temp, permissions))
        .and_then(|()| {
            drop(file);
            std::fs::rename(&temp, path)
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{CheckOptions, RuleMeta, Severity};
    use crate::source::FileId;

    static META: RuleMeta = RuleMeta {
        code: "T001",
        name: "test",
        severity: Severity::Error,
        summary: "",
        doc: "",
        pack: None,
    };

    fn fixing(span: (u32, u32), replacement: &str) -> Diagnostic {
        let span = Span::new(span.0, span.1);
        Diagnostic::new(&META, FileId(0), span, "m").fix(
            "f",
            vec![Edit {
                span,
                replacement: replacement.into(),
            }],
        )
    }

    #[test]
    fn edits_keep_everything_else_and_never_overlap() {
        let text = "abcdef";
        let (out, n) = apply(
            text,
            &[
                fixing((4, 6), "XY"),
                fixing((0, 1), "A"),
                fixing((0, 2), "clash"),
                fixing((3, 3), "+"),
                fixing((5, 9), "out of bounds"),
            ],
        );
        assert_eq!((out.as_str(), n), ("Abc+dXY", 3));
    }

    #[test]
    fn a_fix_is_applied_whole_or_not_at_all() {
        let both = Diagnostic::new(&META, FileId(0), Span::new(0, 1), "m").fix(
            "f",
            vec![
                Edit {
                    span: Span::new(0, 1),
                    replacement: "A".into(),
                },
                Edit {
                    span: Span::new(2, 3),
                    replacement: "C".into(),
                },
            ],
        );
        // Fixes are taken in the order of their first edit: `both` goes in, and the lone `Z`
        // clashes with its second edit.
        let (out, n) = apply("abc", &[fixing((2, 3), "Z"), both]);
        assert_eq!((out.as_str(), n), ("AbC", 1));
    }

    fn check_all(text: &str) -> Vec<Diagnostic> {
        let rules: Vec<_> = crate::rules::registry::BUILTIN.to_vec();
        let options = CheckOptions {
            rules: &rules,
            kind: None,
            max_file_size: u64::MAX,
        };
        crate::rules::check_document(FileId(0), text.as_bytes(), &options)
    }

    #[test]
    fn real_fixes_settle_and_are_idempotent() {
        let text = "{\n  \"Statement\": [\n    {\"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n    {\"Effect\": \"DENY\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]\n}\n";
        let fixed = fix_until_stable(text, check_all);
        assert_eq!(fixed.applied, 3);
        assert_eq!(
            fixed.text,
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n    {\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]\n}\n"
        );
        let again = fix_until_stable(&fixed.text, check_all);
        assert_eq!(
            (again.text.as_str(), again.applied),
            (fixed.text.as_str(), 0)
        );
    }

    #[test]
    fn a_fix_that_would_break_the_json_is_dropped() {
        let broken = |_: &str| vec![fixing((0, 1), "[")];
        let fixed = fix_until_stable("{}", broken);
        assert_eq!((fixed.text.as_str(), fixed.applied), ("{}", 0));
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.json");
        std::fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}

//! Stage 6: diagnostics → human (miette), concise, json, sarif and github output. Every format
//! renders the same finding from the same [`Location`], so they always agree.

mod concise;
mod github;
mod human;
mod json;
mod location;
mod sarif;
mod uri;

use std::io::{self, Write};

pub use location::{Location, Locator, Position};
pub use uri::{file_uri, UriBase};

use crate::policy::{Kind, KindOrigin};
use crate::rules::{kind_at, Diagnostic, DocumentInfo, Severity};
use crate::source::{FileId, Files};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
}

/// The result of one `check` run, ready to print.
pub struct Report<'a> {
    pub files: &'a Files,
    /// Sorted as the contract orders them.
    pub diagnostics: &'a [Diagnostic],
    /// How many documents were checked (not how many had findings).
    pub files_checked: usize,
    /// How many files a walk met but skipped: not policies, or excluded by `--force-exclude`.
    pub files_skipped: usize,
    /// Every document checked, in file order: each policy file, and each policy a template
    /// holds.
    pub documents: &'a [Document],
    /// Where SARIF's URIs are relative to; `None`: the reported paths as they are.
    pub uri_base: Option<&'a UriBase>,
}

impl Report<'_> {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// One document checked, with the line and column it starts at (worked out where its text was
/// at hand: a report keeps only the text of files with findings).
#[derive(Debug, Clone)]
pub struct Document {
    pub file: FileId,
    pub line: u32,
    pub column: u32,
    pub found: DocumentInfo,
}

/// Where a kind came from, as the outputs name it: `declared` on the command line, `config`
/// (a `[[files]]` entry or a scenario binding), `template` (the resource property holding the
/// policy) or `inferred` from the statements.
pub fn kind_source(origin: KindOrigin) -> &'static str {
    match origin {
        KindOrigin::Flag => "declared",
        KindOrigin::Config | KindOrigin::Scenario => "config",
        KindOrigin::Template => "template",
        KindOrigin::Inferred => "inferred",
    }
}

impl Report<'_> {
    /// The kind the document holding a finding was checked as, if it is a policy.
    pub fn kind_of(&self, d: &Diagnostic) -> Option<(Kind, KindOrigin)> {
        kind_at(
            self.documents
                .iter()
                .filter(|doc| doc.file == d.file)
                .map(|doc| &doc.found),
            d.span,
        )
    }
}

pub struct Style {
    pub color: bool,
    pub quiet: bool,
}

pub fn write(
    report: &Report,
    format: Format,
    style: &Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    let locator = Locator::new(report.files);
    match format {
        Format::Human => human::write(report, &locator, style, out)?,
        Format::Concise => concise::write(report, &locator, out)?,
        Format::Json => json::write(report, &locator, out)?,
        Format::Sarif => sarif::write(report, &locator, out)?,
        Format::Github => github::write(report, &locator, out)?,
    }
    if !style.quiet && matches!(format, Format::Human | Format::Concise) {
        writeln!(out, "{}", summary(report))?;
    }
    Ok(())
}

/// `Found 3 problems (1 error, 2 warnings) in 2 files.` / `No problems found in 2 files.`, with
/// ` (3 skipped: not policies)` before the period when a walk skipped files.
pub fn summary(report: &Report) -> String {
    let mut files = plural(report.files_checked, "file", "files");
    if report.files_skipped > 0 {
        files.push_str(&format!(
            " ({} skipped: {})",
            report.files_skipped,
            if report.files_skipped == 1 {
                "not a policy"
            } else {
                "not policies"
            }
        ));
    }
    if report.diagnostics.is_empty() {
        return format!("No problems found in {files}.");
    }
    let parts: Vec<String> = Severity::ALL
        .into_iter()
        .map(|s| (s, report.count(s)))
        .filter(|&(_, n)| n > 0)
        .map(|(s, n)| match s {
            Severity::Error => plural(n, "error", "errors"),
            Severity::Security => format!("{n} security"),
            Severity::Warning => plural(n, "warning", "warnings"),
            Severity::Suggestion => plural(n, "suggestion", "suggestions"),
        })
        .collect();
    format!(
        "Found {} ({}) in {files}.",
        plural(report.diagnostics.len(), "problem", "problems"),
        parts.join(", ")
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A finding's title as every format shows it: the message, and the scenario a pack rule
/// judged it in (one document can be judged in several).
pub fn headline(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    // In a template, the line alone does not say which resource's policy it is.
    match (&d.logical_path, &d.construct_path) {
        (Some(path), Some(construct)) => text.push_str(&format!(" [in {path} ({construct})]")),
        (Some(path), None) => text.push_str(&format!(" [in {path}]")),
        _ => {}
    }
    if let Some(scenario) = &d.scenario {
        text.push_str(&format!(" [scenario {scenario}]"));
    }
    text
}

/// [`headline`] with the help under it, for formats with a single text field.
pub fn headline_with_help(d: &Diagnostic) -> String {
    let mut text = headline(d);
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    text
}

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

use crate::rules::{Diagnostic, Severity};
use crate::source::Files;

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
    /// Where SARIF's URIs are relative to; `None`: the reported paths as they are.
    pub uri_base: Option<&'a UriBase>,
    /// Every policy document found, for the JSON output's `documents` list.
    pub documents: &'a [DocumentEntry],
}

/// A policy document found in a file (the file itself, or one a template holds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentEntry {
    pub file: crate::source::FileId,
    pub line: u32,
    pub column: u32,
    pub kind: &'static str,
    /// How the kind was decided: `scenario`, `config`, `flag`, `template` or `inferred`.
    pub kind_source: &'static str,
    pub logical_path: Option<String>,
    /// False for a kind this version lists but does not check yet.
    pub checked: bool,
}

impl Report<'_> {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
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

/// `Found 3 problems (1 error, 2 warnings) in 2 files.` / `No problems found in 2 files.`
pub fn summary(report: &Report) -> String {
    let files = plural(report.files_checked, "file", "files");
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

use std::io::{self, Write};

use serde::Serialize;

use super::{Location, Locator, Report};
use crate::rules::{Diagnostic, Severity};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    documents: Vec<JsonDocument<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// A document checked, and the kind it was checked as (`null` when it is not a policy).
#[derive(Serialize)]
struct JsonDocument<'a> {
    file: &'a str,
    kind: Option<&'static str>,
    kind_source: Option<&'static str>,
    line: u32,
    column: u32,
    /// Only for a policy inside a template.
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_path: Option<&'a str>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    skipped: usize,
    error: usize,
    security: usize,
    warning: usize,
    suggestion: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: Severity,
    message: &'a str,
    file: &'a str,
    span: Location,
    pointer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    construct_path: Option<&'a str>,
    sid: Option<&'a str>,
    help: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
    scenario: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    span: Location,
    message: &'a str,
}

pub fn write(report: &Report, locator: &Locator, out: &mut dyn Write) -> io::Result<()> {
    let output = Output {
        version: 1,
        tool: Tool {
            name: "iamlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            files: report.files_checked,
            skipped: report.files_skipped,
            error: report.count(Severity::Error),
            security: report.count(Severity::Security),
            warning: report.count(Severity::Warning),
            suggestion: report.count(Severity::Suggestion),
        },
        documents: report
            .documents
            .iter()
            .map(|d| JsonDocument {
                file: locator.path(d.file),
                kind: d.found.kind.map(|(kind, _)| kind.as_str()),
                kind_source: d.found.kind.map(|(_, origin)| super::kind_source(origin)),
                line: d.line,
                column: d.column,
                logical_path: d.found.logical_path.as_deref(),
            })
            .collect(),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| diagnostic(d, locator))
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    writeln!(out)
}

fn diagnostic<'a>(d: &'a Diagnostic, locator: &Locator<'a>) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
        code: d.rule.code,
        name: d.rule.name,
        severity: d.severity,
        message: &d.message,
        file: locator.path(d.file),
        span: locator.locate(d.file, d.span),
        pointer: d.pointer.as_deref(),
        logical_path: d.logical_path.as_deref(),
        construct_path: d.construct_path.as_deref(),
        sid: d.sid.as_deref(),
        help: d.help.as_deref(),
        related: d
            .related
            .iter()
            .map(|r| JsonRelated {
                file: locator.path(r.file),
                span: locator.locate(r.file, r.span),
                message: &r.message,
            })
            .collect(),
        scenario: d.scenario.as_deref(),
    }
}

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{Locator, Report};
use crate::rules::{Diagnostic, RuleMeta, Severity};

/// GitHub code scanning reads `security-severity` to rank alerts; above 7.0 is "high".
const SECURITY_SEVERITY: &str = "7.5";

/// SARIF 2.1.0 as GitHub code scanning accepts it.
pub fn write(report: &Report, locator: &Locator, out: &mut dyn Write) -> io::Result<()> {
    let mut fired: Vec<&'static RuleMeta> = Vec::new();
    for d in report.diagnostics {
        if !fired.iter().any(|r| std::ptr::eq(*r, d.rule)) {
            fired.push(d.rule);
        }
    }
    fired.sort_by_key(|r| r.code);
    let rules: Vec<Value> = fired.iter().map(|r| rule(r)).collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            result(
                d,
                fired
                    .iter()
                    .position(|r| std::ptr::eq(*r, d.rule))
                    .unwrap_or(0),
                locator,
            )
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "iamlint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/iamlint/iamlint",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root"}}},
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error | Severity::Security => "error",
        Severity::Warning => "warning",
        Severity::Suggestion => "note",
    }
}

fn rule(meta: &RuleMeta) -> Value {
    let mut properties = json!({"tags": ["iam", meta.severity.as_str()]});
    if meta.severity == Severity::Security {
        properties["tags"] = json!(["iam", "security"]);
        properties["security-severity"] = json!(SECURITY_SEVERITY);
    }
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.summary},
        "help": {"text": meta.doc, "markdown": meta.doc},
        "defaultConfiguration": {"level": level(meta.severity)},
        "properties": properties,
    })
}

fn result(d: &Diagnostic, rule_index: usize, locator: &Locator) -> Value {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<Value> = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut location = location(locator, r.file, r.span);
            location["id"] = json!(i);
            location["message"] = json!({"text": r.message});
            location
        })
        .collect();
    let mut result = json!({
        "ruleId": d.rule.code,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": {"text": message},
        "locations": [location(locator, d.file, d.span)],
        "partialFingerprints": {"iamlint/v1": fingerprint(d, locator)},
    });
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    if d.severity == Severity::Security {
        result["properties"] =
            json!({"tags": ["security"], "security-severity": SECURITY_SEVERITY});
    }
    result
}

fn location(locator: &Locator, file: crate::source::FileId, span: crate::source::Span) -> Value {
    let at = locator.locate(file, span);
    json!({"physicalLocation": {
        "artifactLocation": {"uri": uri(locator.path(file)), "uriBaseId": "%SRCROOT%"},
        "region": {
            "startLine": at.start.line,
            "startColumn": at.start.column,
            "endLine": at.end.line,
            "endColumn": at.end.column,
            "charOffset": at.offset,
            "charLength": at.length,
        },
    }})
}

fn uri(path: &str) -> String {
    path.trim_start_matches("./").replace('\\', "/")
}

/// Stable across line moves: the file, the rule and the JSON Pointer (or, without one, the
/// message), hashed with FNV-1a so the value never depends on the platform.
fn fingerprint(d: &Diagnostic, locator: &Locator) -> String {
    let anchor = d.pointer.as_deref().unwrap_or(&d.message);
    let mut hash: u64 = 0xcbf29ce484222325;
    for part in [uri(locator.path(d.file)).as_str(), d.rule.code, anchor] {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x100000001b3);
        }
    }
    format!("{hash:016x}")
}

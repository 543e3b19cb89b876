use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{json, Value};

use super::uri::{self, UriBase};
use super::{Locator, Report};
use crate::policy::{Kind, KindOrigin};
use crate::rules::{Diagnostic, RuleMeta, Severity};
use crate::source::{FileId, Span};

/// GitHub code scanning reads `security-severity` to rank alerts; 7.0 to 8.9 is "high".
const SECURITY_SEVERITY: &str = "7.5";

/// The base every result's URI is relative to; `originalUriBaseIds` says where it is.
const SRCROOT: &str = "%SRCROOT%";

/// SARIF 2.1.0 as GitHub code scanning accepts it: every rule that fired with its `explain`
/// text, results with a region, a root-relative URI and a fingerprint that survives line moves.
pub fn write(report: &Report, locator: &Locator, out: &mut dyn Write) -> io::Result<()> {
    let mut fired: Vec<&'static RuleMeta> = Vec::new();
    for d in report.diagnostics {
        if !fired.iter().any(|r| std::ptr::eq(*r, d.rule)) {
            fired.push(d.rule);
        }
    }
    fired.sort_by_key(|r| r.code);
    let paths = Paths {
        locator,
        base: report.uri_base,
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let index = fired
                .iter()
                .position(|r| std::ptr::eq(*r, d.rule))
                .unwrap_or(0);
            // Two findings with the same anchor (the same message twice in one file) must still
            // be two alerts, so later ones carry their rank among equals.
            let anchor = fingerprint(d, &paths);
            let count = seen.entry(anchor.clone()).or_insert(0);
            *count += 1;
            let fingerprint = match *count {
                1 => anchor,
                n => format!("{anchor}:{n}"),
            };
            result(d, index, &fingerprint, &paths, report.kind_of(d))
        })
        .collect();
    let mut base = json!({"description": {"text": "The repository root"}});
    if let Some(uri_base) = report.uri_base {
        base["uri"] = json!(uri_base.root_uri());
    }
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "iamlint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/iamlint/iamlint",
                "rules": fired.iter().map(|r| rule(r)).collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {SRCROOT: base},
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

struct Paths<'a, 'f> {
    locator: &'a Locator<'f>,
    base: Option<&'a UriBase>,
}

impl Paths<'_, '_> {
    fn uri(&self, file: FileId) -> String {
        let reported = self.locator.path(file);
        match self.base {
            Some(base) => base.uri(reported),
            None => uri::encode(reported.trim_start_matches("./")),
        }
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error | Severity::Security => "error",
        Severity::Warning => "warning",
        Severity::Suggestion => "note",
    }
}

fn rule(meta: &RuleMeta) -> Value {
    let mut properties = json!({
        "tags": ["iam", meta.severity.as_str()],
        // Findings come from the policy's text, not from heuristics over data flow.
        "precision": "very-high",
    });
    if meta.severity == Severity::Security {
        properties["security-severity"] = json!(SECURITY_SEVERITY);
    }
    let explain = meta.explain();
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.description()},
        "help": {"text": explain, "markdown": explain},
        "defaultConfiguration": {"level": level(meta.severity)},
        "properties": properties,
    })
}

fn result(
    d: &Diagnostic,
    rule_index: usize,
    fingerprint: &str,
    paths: &Paths,
    kind: Option<(Kind, KindOrigin)>,
) -> Value {
    let message = super::headline_with_help(d);
    let related: Vec<Value> = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut location = location(paths, r.file, r.span);
            location["id"] = json!(i);
            location["message"] = json!({"text": r.message});
            location
        })
        .collect();
    let mut primary = location(paths, d.file, d.span);
    if let Some(path) = &d.logical_path {
        primary["logicalLocations"] = json!([{"fullyQualifiedName": path, "kind": "member"}]);
    }
    let mut result = json!({
        "ruleId": d.rule.code,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": {"text": message},
        "locations": [primary],
        "partialFingerprints": {"iamlint/v1": fingerprint},
    });
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    let mut properties = serde_json::Map::new();
    if let Some(pointer) = &d.pointer {
        properties.insert("pointer".into(), json!(pointer));
    }
    if let Some(scenario) = &d.scenario {
        properties.insert("scenario".into(), json!(scenario));
    }
    if let Some((kind, origin)) = kind {
        properties.insert("kind".into(), json!(kind.as_str()));
        properties.insert("kindSource".into(), json!(super::kind_source(origin)));
    }
    if d.severity == Severity::Security {
        properties.insert("tags".into(), json!(["security"]));
        properties.insert("security-severity".into(), json!(SECURITY_SEVERITY));
    }
    if !properties.is_empty() {
        result["properties"] = Value::Object(properties);
    }
    result
}

/// Lines and columns only: SARIF's `charOffset` counts characters, and a byte offset there
/// would be wrong for any file with non-ASCII text before the finding.
fn location(paths: &Paths, file: FileId, span: Span) -> Value {
    let at = paths.locator.locate(file, span);
    json!({"physicalLocation": {
        "artifactLocation": {"uri": paths.uri(file), "uriBaseId": SRCROOT},
        "region": {
            "startLine": at.start.line,
            "startColumn": at.start.column,
            "endLine": at.end.line,
            "endColumn": at.end.column,
        },
    }})
}

/// Stable across line moves: the root-relative URI, the rule and the JSON Pointer (or, without
/// one, the message), hashed with FNV-1a so the value never depends on the platform.
fn fingerprint(d: &Diagnostic, paths: &Paths) -> String {
    let anchor = d.pointer.as_deref().unwrap_or(&d.message);
    let uri = paths.uri(d.file);
    let mut hash: u64 = 0xcbf29ce484222325;
    for part in [uri.as_str(), d.rule.code, anchor] {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x100000001b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Files;

    static SECURITY: RuleMeta = RuleMeta {
        code: "IAM900",
        name: "test-security",
        severity: Severity::Security,
        summary: "A security rule for the test",
        doc: "## What it does\nGrants too much.\n\n## Why is this bad?\nx\n\n## Example\nx\n\n## Fix\nx\n",
        pack: None,
    };

    #[test]
    fn security_findings_carry_tag_and_severity_and_stay_valid() {
        let mut files = Files::default();
        let text = "{\"Action\": \"*\"}";
        let file = files.add("p.json", text);
        let diagnostics = vec![Diagnostic::new(
            &SECURITY,
            file,
            Span::new(11, 14),
            "grants `*`",
        )];
        let report = Report {
            files: &files,
            diagnostics: &diagnostics,
            files_checked: 1,
            files_skipped: 0,
            documents: &[],
            uri_base: None,
        };
        let mut out = Vec::new();
        write(&report, &Locator::new(&files), &mut out).unwrap();
        let log: Value = serde_json::from_slice(&out).unwrap();
        let rule = &log["runs"][0]["tool"]["driver"]["rules"][0];
        assert_eq!(rule["properties"]["security-severity"], SECURITY_SEVERITY);
        assert_eq!(rule["properties"]["tags"], json!(["iam", "security"]));
        assert_eq!(rule["fullDescription"]["text"], "Grants too much.");
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["level"], "error");
        assert_eq!(result["properties"]["tags"], json!(["security"]));
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            (region["startColumn"].as_u64(), region["endColumn"].as_u64()),
            (Some(12), Some(15))
        );

        let schema: Value =
            serde_json::from_str(include_str!("../../tests/data/sarif-schema-2.1.0.json")).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        assert!(validator.is_valid(&log), "{log:#}");
    }
}

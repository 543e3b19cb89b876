//! The `cloudwatch-logs-import` pack run on the scenarios a CloudFormation stack declares (see
//! [`bind`]): each bound policy is checked in the template's own offsets, each finding is named by
//! its logical path and says which resources it bound.
//!
//! The store's, the role's and the key's ARNs are computed by CloudFormation, so they enter as
//! ARNs of placeholders (`arn:\u{FDD0}:cloudtrail:\u{FDD0}:\u{FDD0}:eventdatastore/\u{FDD0}`):
//! the engine proves only what holds for every value they could take. A requirement that
//! depends on them is *not proven*: a suggestion, never an error.

use std::collections::BTreeMap;

use super::bind::{self, Given, StackScenario};
use super::eval::{evaluate_parsed, ScenarioInput};
use super::template::Values;
use super::Pack;
use crate::rules::check::{dotted, shown_placeholders};
use crate::rules::{Diagnostic, RuleMeta, Severity};
use crate::source::{FileId, Node, PART};
use crate::template::{self, Found};

/// The pack whose slots [`bind`] knows how to fill.
pub const PACK: &str = "cloudwatch-logs-import";

/// Every finding of `pack` on the scenarios of the template `text` (parsed as `root`).
pub fn check(
    pack: &Pack,
    file: FileId,
    text: &str,
    root: &Node,
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    if pack.name != PACK {
        return Vec::new();
    }
    let scenarios = bind::cloudwatch_logs_import(text, root);
    if scenarios.is_empty() {
        return Vec::new();
    }
    let found = template::find(text, root);
    let mut out = Vec::new();
    for scenario in &scenarios {
        // Each bound document with the `Found` it comes from; a document only known at deploy
        // time has nothing to check.
        let bound: Vec<(&str, &Found)> = scenario
            .documents
            .iter()
            .filter_map(|(slot, pointer)| {
                Some((*slot, found.iter().find(|f| &f.pointer == pointer)?))
            })
            .collect();
        // `Fn::If` in a bound policy: its first branch (see the README's known gaps).
        let nodes: Vec<Option<Node>> = bound
            .iter()
            .map(|(_, f)| f.body(&f.readings()[0]).and_then(Result::ok))
            .collect();
        let Ok(values) = pack.resolve(&given(pack, scenario), None) else {
            continue;
        };
        let input = ScenarioInput {
            name: scenario.describe(),
            values: values_shown(values),
            documents: bound
                .iter()
                .map(|(slot, _)| (slot.to_string(), file, text))
                .collect(),
            parameter_spans: BTreeMap::new(),
        };
        for mut d in evaluate_parsed(pack, &[input], std::slice::from_ref(&nodes), enabled) {
            name_place(&mut d, &bound, &nodes, root);
            if !d.certain {
                d.severity = Severity::Suggestion;
            }
            shown_placeholders(&mut d.message);
            if let Some(help) = &mut d.help {
                shown_placeholders(help);
            }
            d.fix = None;
            out.push(d);
        }
    }
    out
}

/// The pack's parameters as the stack gives them: a computed ARN is an ARN of placeholders of
/// the service and resource type the pack expects.
fn given(pack: &Pack, scenario: &StackScenario) -> BTreeMap<String, String> {
    let mut given = BTreeMap::new();
    for spec in &pack.file.parameters {
        let value = match scenario.parameters.get(spec.name.as_str()) {
            Some(Given::Literal(text)) => text.clone(),
            Some(Given::Computed) => computed_arn(spec),
            // A required ARN the stack does not bind (a partial stack) is still some ARN.
            None if spec.required => computed_arn(spec),
            None => continue,
        };
        given.insert(spec.name.clone(), value);
    }
    given
}

fn computed_arn(spec: &super::model::ParameterSpec) -> String {
    let service = spec.service.as_deref().unwrap_or("");
    let region = if service == "iam" {
        String::new()
    } else {
        PART.to_string()
    };
    format!(
        "arn:{PART}:{service}:{region}:{PART}:{}{PART}",
        spec.resource_prefix.as_deref().unwrap_or("")
    )
}

/// Derived values that came out empty stay out (a template never computes an empty region).
fn values_shown(values: Values) -> Values {
    values.into_iter().filter(|(_, v)| !v.is_empty()).collect()
}

/// Pointer, logical path, construct and Sid from the bound document the finding is in.
fn name_place(d: &mut Diagnostic, bound: &[(&str, &Found)], nodes: &[Option<Node>], root: &Node) {
    let at = bound
        .iter()
        .zip(nodes)
        .find(|((_, f), _)| f.span.contains(d.span));
    let Some(((_, found), node)) = at else {
        d.pointer = root.pointer_to(d.span);
        d.logical_path = d.pointer.as_deref().map(|p| dotted(p)[1..].to_string());
        return;
    };
    let inner = node
        .as_ref()
        .and_then(|n| n.pointer_to(d.span))
        .unwrap_or_default();
    d.pointer = Some(format!("{}{inner}", found.pointer));
    d.logical_path = Some(format!("{}{}", found.logical_path, dotted(&inner)));
    d.construct_path = found.construct.map(str::to_string);
    d.sid = node
        .as_ref()
        .and_then(|n| crate::policy::build(n).0)
        .and_then(|policy| {
            policy
                .statements
                .iter()
                .find(|s| s.span.contains(d.span))
                .and_then(|s| s.sid)
                .map(|sid| sid.value.to_string())
        });
}

/// [`check`] for every pack, on a file's bytes (`path` tells YAML from JSON); nothing for a file
/// that is not a template.
pub fn check_file(
    packs: &[&Pack],
    file: FileId,
    path: &str,
    bytes: &[u8],
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    let Ok(text) = crate::source::decode(bytes) else {
        return Vec::new();
    };
    let parsed = match crate::source::Syntax::of(path, bytes) {
        crate::source::Syntax::Json => crate::source::parse(text),
        crate::source::Syntax::Yaml => crate::source::parse_yaml(text),
        // The binder reads CloudFormation resources; a Terraform module is not bound (yet).
        crate::source::Syntax::Hcl | crate::source::Syntax::TerraformJson => return Vec::new(),
    };
    match parsed {
        Ok(root) if template::is_template(&root) => packs
            .iter()
            .flat_map(|pack| check(pack, file, text, &root, enabled))
            .collect(),
        _ => Vec::new(),
    }
}

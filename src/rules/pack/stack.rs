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
use crate::source::tree::escape_pointer_token;
use crate::source::{FileId, Node, Span, Value, PLACEHOLDER};
use crate::template::{self, Branch, Found};

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
        // Each bound document with the `Found` it comes from.
        let bound: Vec<Bound> = scenario
            .documents
            .iter()
            .filter_map(|(slot, pointer)| {
                Some(Bound {
                    slot,
                    file,
                    text,
                    found: found.iter().find(|f| &f.pointer == pointer)?,
                })
            })
            .collect();
        out.extend(evaluate(pack, scenario, &bound, Some(root), enabled));
    }
    out
}

/// A policy document a scenario binds to one of the pack's slots, in the file it was found in.
pub(super) struct Bound<'a, 't> {
    pub slot: &'static str,
    pub file: FileId,
    /// The whole file's text: the document's spans are the file's.
    pub text: &'a str,
    pub found: &'a Found<'t>,
}

/// Every finding of `pack` on one scenario whose documents are `bound`; `root`, the template's
/// tree, names a finding outside every bound document.
pub(super) fn evaluate(
    pack: &Pack,
    scenario: &StackScenario,
    bound: &[Bound],
    root: Option<&Node>,
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    // `Fn::If` in a bound policy: its first branch (see the README's known gaps).
    let nodes: Vec<Option<Node>> = bound
        .iter()
        .map(|b| b.found.body(Branch::Then).and_then(Result::ok))
        .collect();
    let Ok(values) = pack.resolve(&given(pack, scenario), None) else {
        return Vec::new();
    };
    let input = ScenarioInput {
        name: scenario.describe(),
        values: values_shown(values),
        documents: bound
            .iter()
            .map(|b| (b.slot.to_string(), b.file, b.text))
            .collect(),
        parameter_spans: BTreeMap::new(),
    };
    let mut out = Vec::new();
    for mut d in evaluate_parsed(pack, &[input], std::slice::from_ref(&nodes), enabled) {
        name_place(&mut d, bound, &nodes, root);
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
        PLACEHOLDER.to_string()
    };
    format!(
        "arn:{PLACEHOLDER}:{service}:{region}:{PLACEHOLDER}:{}{PLACEHOLDER}",
        spec.resource_prefix.as_deref().unwrap_or("")
    )
}

/// Derived values that came out empty stay out (a template never computes an empty region).
fn values_shown(values: Values) -> Values {
    values.into_iter().filter(|(_, v)| !v.is_empty()).collect()
}

/// Pointer, logical path, construct and Sid from the bound document the finding is in.
fn name_place(d: &mut Diagnostic, bound: &[Bound], nodes: &[Option<Node>], root: Option<&Node>) {
    // A Terraform policy-document data source is found at the attribute naming it, with the
    // spans of its block: the document holds the finding where the attribute does not.
    let at = bound.iter().zip(nodes).find(|(b, node)| {
        b.file == d.file
            && (b.found.span.contains(d.span)
                || node.as_ref().is_some_and(|n| n.span.contains(d.span)))
    });
    let Some((Bound { found, .. }, node)) = at else {
        d.pointer = root.and_then(|root| root.pointer_to(d.span));
        d.logical_path = d.pointer.as_deref().map(|p| dotted(p)[1..].to_string());
        return;
    };
    let inner = node
        .as_ref()
        .map(|n| n.pointer_to(d.span).unwrap_or_else(|| holding(n, d.span)))
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

/// The pointer to the deepest node whose span holds `span`, for a span that is no node's nor
/// member's (a Terraform condition's operator and key: two attributes of one block).
fn holding(root: &Node, span: Span) -> String {
    let mut pointer = String::new();
    let mut node = root;
    loop {
        let next = match &node.value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find(|(_, item)| item.span.contains(span))
                .map(|(i, item)| (i.to_string(), item)),
            Value::Object(members) => members
                .iter()
                .find(|m| m.value.span.contains(span))
                .map(|m| (escape_pointer_token(&m.key.name).into_owned(), &m.value)),
            _ => None,
        };
        let Some((token, child)) = next else {
            return pointer;
        };
        pointer.push('/');
        pointer.push_str(&token);
        node = child;
    }
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

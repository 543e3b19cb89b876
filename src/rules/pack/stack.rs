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
use super::readings::Readings;
use super::template::Values;
use super::Pack;
use crate::rules::check::{dotted, shown_placeholders};
use crate::rules::{Diagnostic, RuleMeta, Severity};
use crate::source::{FileId, Node, PLACEHOLDER};
use crate::template::Found;

/// The pack whose slots [`bind`] knows how to fill.
pub const PACK: &str = "cloudwatch-logs-import";

/// Every finding of the packs on the scenarios a template declares: `root` is its tree (parsed
/// from `text`) and `found` the policies in it, as the policy check found them.
pub fn check_template(
    packs: &[&Pack],
    file: FileId,
    text: &str,
    root: &Node,
    found: &[Found],
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    packs
        .iter()
        .flat_map(|pack| check(pack, file, text, root, found, enabled))
        .collect()
}

/// Every finding of `pack` on the scenarios of the template.
fn check(
    pack: &Pack,
    file: FileId,
    text: &str,
    root: &Node,
    found: &[Found],
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    if pack.name != PACK {
        return Vec::new();
    }
    let scenarios = bind::cloudwatch_logs_import(root, found);
    let mut out = Vec::new();
    for scenario in &scenarios {
        // A document only known at deploy time has nothing to check.
        let bound: Vec<(&str, &Found)> = scenario
            .documents
            .iter()
            .filter_map(|(slot, pointer)| {
                Some((*slot, found.iter().find(|f| &f.pointer == pointer)?))
            })
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
        let parts: Vec<Part> = bound
            .iter()
            .map(|(_, found)| Part::Template(found))
            .collect();
        // One scenario at a time: a rule across scenarios counts those of a config, not a stack's.
        out.extend(run(pack, &[input], &[parts], &[(file, root)], enabled));
    }
    out
}

/// Where a bound document is.
#[derive(Clone, Copy)]
pub enum Part<'a> {
    /// The whole file.
    File,
    /// One policy of a template: its findings are in the template's offsets, named by logical
    /// path.
    Template(&'a Found<'a>),
    /// A policy that is no longer where the config said: nothing to check.
    Missing,
}

/// Runs `pack` on scenarios whose documents are whole files or template policies
/// (`parts[scenario][document]`), the templates' trees being `templates`. A finding in a template
/// is named by its logical path, and one that rests on values the template computes (not proven)
/// is a suggestion, never an error.
pub fn run(
    pack: &Pack,
    inputs: &[ScenarioInput],
    parts: &[Vec<Part>],
    templates: &[(FileId, &Node)],
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    // A bound policy with `Fn::If` is checked under each reading of its conditions, the same
    // condition taking the same branch in every document.
    let mut names: Vec<&str> = Vec::new();
    for part in parts.iter().flatten() {
        if let Part::Template(found) = part {
            for name in found.conditions() {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    }
    let readings = Readings::of(names);
    let files: Vec<Vec<Option<Node>>> = inputs
        .iter()
        .map(|input| {
            input
                .documents
                .iter()
                .map(|(_, _, text)| crate::source::parse(text).ok())
                .collect()
        })
        .collect();
    // Each finding once, with the readings it holds in.
    let mut found: Vec<(Diagnostic, Vec<usize>)> = Vec::new();
    for r in 0..readings.readings.len() {
        let holds = |name: &str| readings.holds(r, name);
        let nodes: Vec<Vec<Option<Node>>> = parts
            .iter()
            .zip(&files)
            .map(|(parts, files)| {
                parts
                    .iter()
                    .zip(files)
                    .map(|(part, file)| match part {
                        Part::File => file.clone(),
                        Part::Template(found) => found.body_when(&holds).and_then(Result::ok),
                        Part::Missing => None,
                    })
                    .collect()
            })
            .collect();
        for mut d in evaluate_parsed(pack, inputs, &nodes, enabled) {
            if let Some(&(_, root)) = templates.iter().find(|(file, _)| *file == d.file) {
                let at = inputs
                    .iter()
                    .zip(parts)
                    .zip(&nodes)
                    .flat_map(|((input, parts), nodes)| {
                        input.documents.iter().zip(parts).zip(nodes)
                    })
                    .find_map(|(((_, file, _), part), node)| match part {
                        Part::Template(found) if *file == d.file && found.span.contains(d.span) => {
                            Some((*found, node.as_ref()))
                        }
                        _ => None,
                    });
                name_place(&mut d, at, root);
            }
            // Two findings are one when they say the same thing at the same place; a finding
            // repeated within a reading is reported once.
            let same = |(seen, _): &&mut (Diagnostic, Vec<usize>)| {
                (
                    seen.rule.code,
                    seen.file,
                    seen.span,
                    &seen.scenario,
                    &seen.message,
                ) == (d.rule.code, d.file, d.span, &d.scenario, &d.message)
            };
            match found.iter_mut().find(same) {
                Some((_, held)) if held.last() == Some(&r) => {}
                Some((_, held)) => held.push(r),
                None => found.push((d, vec![r])),
            }
        }
    }
    let mut out = Vec::new();
    for (mut d, held) in found {
        if held.len() < readings.readings.len() {
            d.message = format!("{} (when {})", d.message, readings.describe(&held));
            d.certain = false;
        }
        if templates.iter().any(|(file, _)| *file == d.file) {
            if !d.certain {
                d.severity = Severity::Suggestion;
            }
            shown_placeholders(&mut d.message);
            if let Some(help) = &mut d.help {
                shown_placeholders(help);
            }
            d.fix = None;
        }
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

/// Pointer, logical path, construct and Sid from the template policy the finding is in (`at`),
/// else from the template's own tree.
fn name_place(d: &mut Diagnostic, at: Option<(&Found, Option<&Node>)>, root: &Node) {
    let Some((found, node)) = at else {
        d.pointer = root.pointer_to(d.span);
        d.logical_path = d.pointer.as_deref().map(|p| dotted(p)[1..].to_string());
        return;
    };
    let inner = node.and_then(|n| n.pointer_to(d.span)).unwrap_or_default();
    d.pointer = Some(format!("{}{inner}", found.pointer));
    d.logical_path = Some(format!("{}{}", found.logical_path, dotted(&inner)));
    d.construct_path = found.construct.map(str::to_string);
    d.sid = node
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

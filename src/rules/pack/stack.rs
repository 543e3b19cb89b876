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
use super::eval::ScenarioInput;
use super::scenario::{run, Part};
use super::template::Values;
use super::{Pack, Packs};
use crate::rules::{Diagnostic, RuleMeta};
use crate::source::{FileId, Node, PART};
use crate::template::Found;

/// The pack whose slots [`bind`] knows how to fill.
pub const PACK: &str = "cloudwatch-logs-import";

/// Every finding of the packs on the scenarios a template declares: `root` is its tree (parsed
/// from `text`) and `found` the policies in it, as the policy check found them.
pub fn check_template(
    packs: &Packs,
    file: FileId,
    text: &str,
    root: &Node,
    found: &[Found],
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    let scenarios = bind::cloudwatch_logs_import(root, found);
    if scenarios.is_empty() {
        return Vec::new();
    }
    packs
        .get()
        .iter()
        .flat_map(|pack| check(pack, &scenarios, file, text, root, found, enabled))
        .collect()
}

/// Every finding of `pack` on the scenarios of the template.
fn check(
    pack: &Pack,
    scenarios: &[StackScenario],
    file: FileId,
    text: &str,
    root: &Node,
    found: &[Found],
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
    if pack.name != PACK {
        return Vec::new();
    }
    let mut out = Vec::new();
    for scenario in scenarios {
        // A document only known at deploy time has nothing to check.
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
        out.extend(evaluate(
            pack,
            scenario,
            &bound,
            &[(file, Some(root))],
            enabled,
        ));
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

/// Every finding of `pack` on one scenario whose documents are `bound`, in the `files` they come
/// from (with a template's tree, which names a finding outside every bound document).
pub(super) fn evaluate(
    pack: &Pack,
    scenario: &StackScenario,
    bound: &[Bound],
    files: &[(FileId, Option<&Node>)],
    enabled: &dyn Fn(&RuleMeta) -> bool,
) -> Vec<Diagnostic> {
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
    let parts: Vec<Part> = bound.iter().map(|b| Part::Template(b.found)).collect();
    // One scenario at a time: a rule across scenarios counts those of a config, not a stack's.
    run(pack, &[input], &[parts], files, enabled)
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

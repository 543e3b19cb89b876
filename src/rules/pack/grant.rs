//! `grant`: do the policies of a slot allow a principal each required action on each required
//! resource, in the request context the pack describes? Exact, via `engine::cover`, called once
//! per action so every missing action gets its own diagnostic.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::eval::{not_granted, Env, Target};
use super::model::{ContextSpec, Hint, Need, PrincipalSpec};
use super::template;
use crate::engine::{cover_layers, Cover, Decision, Layers, Requirement, ResourceSet};
use crate::rules::{Diagnostic, RuleMeta};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Grant {
    pub slot: String,
    #[serde(default)]
    pub when: Option<String>,
    pub principal: PrincipalSpec,
    pub requirements: Vec<Need>,
    #[serde(default)]
    pub context: BTreeMap<String, ContextSpec>,
    /// The account owning the resources (template); by default each ARN's own account.
    #[serde(default)]
    pub resource_account: Option<String>,
    /// A failure only on a condition of these keys is left to another rule.
    #[serde(default)]
    pub defer_condition_keys: Vec<String>,
    #[serde(default)]
    pub hints: Vec<Hint>,
}

/// One action of a requirement that is not granted, with the decision on a concrete request.
pub struct Failure {
    pub action: String,
    pub resource: String,
    pub counterexample: Option<String>,
    pub note: String,
    pub decision: Option<Decision>,
    pub statement: Option<String>,
    pub resource_hint: Option<String>,
}

impl Grant {
    /// Every action that is not granted (the first failing context alternative of each).
    pub fn failures(&self, env: &Env) -> Vec<Failure> {
        let mut out = Vec::new();
        if !env.when(&self.when) || env.docs(&self.slot).is_empty() {
            return out;
        }
        let (Some(principal), Some(contexts)) =
            (env.principal(&self.principal), env.contexts(&self.context))
        else {
            return out;
        };
        let resource_account = self.resource_account.as_ref().and_then(|t| env.expand(t));
        let inputs = env.inputs(&self.slot);
        let layers = Layers {
            resource_side: env.resource_side(&self.slot),
            ..Layers::of(&inputs)
        };
        for need in &self.requirements {
            if !env.when(&need.when) {
                continue;
            }
            let Some(resource) = env.expand(&need.resource) else {
                continue;
            };
            let resources = if resource == "*" {
                ResourceSet::Exact("*")
            } else {
                ResourceSet::Matching(&resource)
            };
            let statement = need
                .statement
                .as_ref()
                .and_then(|s| template::render(s, env.values, false));
            for action in &need.actions {
                for (context, note) in &contexts {
                    let requirement = Requirement {
                        principal: principal.clone(),
                        actions: vec![action.as_str()],
                        resources,
                        resource_account: resource_account.clone(),
                        context: context.clone(),
                    };
                    if let Cover::NotCovered(gap) = cover_layers(&layers, &requirement) {
                        out.push(Failure {
                            action: action.clone(),
                            resource: resource.clone(),
                            counterexample: gap.counterexample.clone(),
                            note: note.clone(),
                            decision: gap.decision,
                            statement: statement.clone(),
                            resource_hint: need.resource_hint.as_ref().and_then(|h| env.expand(h)),
                        });
                        break;
                    }
                }
            }
        }
        out
    }

    pub fn run(&self, env: &Env, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        for failure in self.failures(env) {
            if let Some(decision) = &failure.decision {
                if env
                    .condition_only(&self.slot, decision, &self.defer_condition_keys)
                    .is_some()
                {
                    continue;
                }
            }
            let target = Target {
                slot: &self.slot,
                action: &failure.action,
                resource: &failure.resource,
                counterexample: failure.counterexample.as_deref(),
                note: &failure.note,
                statement: failure.statement.clone(),
                hints: &self.hints,
                resource_hint: failure.resource_hint.as_deref(),
            };
            out.extend(not_granted(env, rule, &target, failure.decision.as_ref()));
        }
    }
}

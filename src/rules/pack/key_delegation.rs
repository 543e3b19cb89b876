//! `key-delegation`: does the key policy let a principal's own IAM permissions count, by naming
//! it or delegating to its account? Decided by the engine on the key policy alone: the key layer
//! must not be among the decision's unmet layers.

use serde::Deserialize;

use super::eval::{not_granted, Env, Target};
use super::model::PrincipalSpec;
use super::template;
use crate::engine::{decide, Context, Layer, Outcome, Request};
use crate::rules::{Diagnostic, RuleMeta};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct KeyDelegation {
    pub slot: String,
    #[serde(default)]
    pub when: Option<String>,
    pub principal: PrincipalSpec,
    pub actions: Vec<String>,
    pub resource: String,
    #[serde(default)]
    pub resource_account: Option<String>,
    #[serde(default)]
    pub statement: Option<serde_json::Value>,
}

impl KeyDelegation {
    pub fn run(&self, env: &Env, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        if !env.when(&self.when) || env.docs(&self.slot).is_empty() {
            return;
        }
        let (Some(principal), Some(resource)) =
            (env.principal(&self.principal), env.expand(&self.resource))
        else {
            return;
        };
        let resource_account = self.resource_account.as_ref().and_then(|t| env.expand(t));
        let inputs = env.inputs(&self.slot);
        let statement = self
            .statement
            .as_ref()
            .and_then(|s| template::render(s, env.values, false));
        for action in &self.actions {
            let decision = decide(
                &inputs,
                &Request {
                    principal: principal.clone(),
                    action: action.clone(),
                    resource: resource.clone(),
                    resource_account: resource_account.clone(),
                    context: Context::open(),
                },
            );
            let excluded = match decision.outcome {
                Outcome::ExplicitDeny | Outcome::MayDeny => true,
                Outcome::ImplicitDeny => decision.unmet.contains(&Layer::Key),
                Outcome::Allowed => false,
            };
            if !excluded {
                continue;
            }
            let target = Target {
                slot: &self.slot,
                action,
                resource: &resource,
                counterexample: None,
                note: "",
                statement: statement.clone(),
                hints: &[],
                resource_hint: None,
            };
            if let Some(mut d) = not_granted(env, rule, &target, Some(&decision)) {
                // A statement that might name the principal (one only known at deploy time)
                // leaves the exclusion unproven: `not_granted` already says so.
                let unproven = decision.nearest.iter().any(|n| {
                    !n.mismatches.is_empty()
                        && n.mismatches
                            .iter()
                            .all(|m| m.result == crate::engine::Tri::Unknown)
                });
                if decision.outcome == Outcome::ImplicitDeny && !unproven {
                    d.message = format!(
                        "`{}` neither names `{}` nor delegates to its account for `{action}`, so its IAM permissions on the key do nothing",
                        self.slot,
                        match &principal { crate::engine::Caller::Aws(a) => a.as_str(), _ => "" }
                    );
                }
                out.push(d);
            }
        }
    }
}

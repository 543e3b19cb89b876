//! `condition-required`: every Allow statement that lets the principal perform the actions must
//! carry a condition on at least one of the keys (confused-deputy protection for a service
//! principal in a trust policy).

use serde::Deserialize;

use super::eval::{matches_any_action, names_directly, Env};
use super::model::PrincipalSpec;
use super::template;
use crate::policy::Effect;
use crate::rules::{Diagnostic, RuleMeta};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConditionRequired {
    pub slot: String,
    pub principal: PrincipalSpec,
    pub actions: Vec<String>,
    pub keys: Vec<String>,
    /// A statement with the condition, printed in the help.
    #[serde(default)]
    pub statement: Option<serde_json::Value>,
}

impl ConditionRequired {
    pub fn run(&self, env: &Env, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        let Some(caller) = env.principal(&self.principal) else {
            return;
        };
        let example = self
            .statement
            .as_ref()
            .and_then(|s| template::render(s, env.values, false));
        let keys = self
            .keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(" or ");
        for doc in env.docs(&self.slot) {
            for statement in doc.policy.map_or(&[][..], |p| &p.statements) {
                if statement.effect() != Some(Effect::Allow)
                    || !names_directly(statement, &caller)
                    || !matches_any_action(statement, &self.actions)
                {
                    continue;
                }
                let restricted = statement.condition.as_ref().is_some_and(|c| {
                    c.blocks.iter().flat_map(|b| &b.entries).any(|e| {
                        self.keys
                            .iter()
                            .any(|k| k.eq_ignore_ascii_case(e.key.value))
                    })
                });
                if restricted {
                    continue;
                }
                let span = statement
                    .principals()
                    .map_or(statement.span, |(p, _)| p.span);
                let mut help = format!("restrict it with a condition on {keys}");
                if let Some(s) = &example {
                    help.push_str(&format!(", as in {s}"));
                }
                out.push(
                    Diagnostic::new(
                        rule,
                        doc.file,
                        span,
                        format!("this statement lets the principal call {} without a condition on {keys}", self.actions.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")),
                    )
                    .help(help),
                );
            }
        }
    }
}

//! `unsupported-condition`: conditions on keys the service does not send for this principal and
//! these actions (CloudTrail in an event data store's key policy and `aws:Source*`).

use serde::Deserialize;

use super::eval::{matches_any_action, names_directly, Env};
use super::model::PrincipalSpec;
use crate::policy::Effect;
use crate::rules::{Diagnostic, RuleMeta};
use crate::source::Span;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UnsupportedCondition {
    pub slot: String,
    #[serde(default)]
    pub when: Option<String>,
    pub principal: PrincipalSpec,
    pub actions: Vec<String>,
    pub keys: Vec<String>,
}

impl UnsupportedCondition {
    pub fn run(&self, env: &Env, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        if !env.when(&self.when) {
            return;
        }
        let Some(caller) = env.principal(&self.principal) else {
            return;
        };
        for doc in env.docs(&self.slot) {
            for statement in doc.policy.map_or(&[][..], |p| &p.statements) {
                if statement.effect() != Some(Effect::Allow)
                    || !names_directly(statement, &caller)
                    || !matches_any_action(statement, &self.actions)
                {
                    continue;
                }
                let Some(condition) = &statement.condition else {
                    continue;
                };
                for entry in condition.blocks.iter().flat_map(|b| &b.entries) {
                    if !self
                        .keys
                        .iter()
                        .any(|k| k.eq_ignore_ascii_case(entry.key.value))
                    {
                        continue;
                    }
                    out.push(
                        Diagnostic::new(
                            rule,
                            doc.file,
                            Span::new(entry.key.span.start, entry.span.end),
                            format!(
                                "`{}` is not supported on this statement: the service does not send it here, so the statement may never apply",
                                entry.key.value
                            ),
                        )
                        .help(format!("remove the `{}` condition from this statement", entry.key.value)),
                    );
                }
            }
        }
    }
}

//! `unneeded-actions`: actions of a service the scenario does not need (unless a parameter says
//! it does), each reported where it is written.

use serde::Deserialize;

use super::eval::Env;
use crate::policy::Effect;
use crate::rules::{Diagnostic, RuleMeta};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UnneededActions {
    pub slot: String,
    /// The check is off when this parameter is set.
    pub unless: String,
    /// The service prefix whose actions are not needed.
    pub service: String,
}

impl UnneededActions {
    pub fn run(&self, env: &Env, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        if env.has(&self.unless) {
            return;
        }
        for doc in env.docs(&self.slot) {
            for statement in doc.policy.map_or(&[][..], |p| &p.statements) {
                if statement.effect() != Some(Effect::Allow) {
                    continue;
                }
                let Some(list) = &statement.action else {
                    continue;
                };
                for item in &list.items {
                    let prefix = item.value.split(':').next().unwrap_or("");
                    if item.value.contains(':') && prefix.eq_ignore_ascii_case(&self.service) {
                        out.push(
                            Diagnostic::new(
                                rule,
                                doc.file,
                                item.span,
                                format!(
                                    "`{}` is not needed: the scenario sets no `{}`",
                                    item.value, self.unless
                                ),
                            )
                            .help(format!(
                                "remove it, or set `{}` in the scenario if one is used",
                                self.unless
                            )),
                        );
                    }
                }
            }
        }
    }
}

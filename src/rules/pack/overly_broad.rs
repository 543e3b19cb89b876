//! `overly-broad`: in statements that grant what the scenario needs, a whole-service or `*`
//! action, or a `*` resource for an action that takes an ARN. The help prints the
//! least-privilege statements.

use serde::Deserialize;

use super::eval::Env;
use super::model::Need;
use super::template;
use crate::engine::action::action_matches;
use crate::policy::Effect;
use crate::rules::{Diagnostic, RuleMeta};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OverlyBroad {
    pub slot: String,
    /// What is needed: actions and the resource they need (`*` for none).
    pub needs: Vec<Need>,
    /// The least-privilege statements, for the help.
    pub statements: Vec<serde_json::Value>,
}

impl OverlyBroad {
    pub fn run(&self, env: &Env, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        let needs: Vec<(&str, String)> = self
            .needs
            .iter()
            .filter(|n| env.when(&n.when))
            .filter_map(|n| Some((n, env.expand(&n.resource)?)))
            .flat_map(|(n, r)| n.actions.iter().map(move |a| (a.as_str(), r.clone())))
            .collect();
        let least: Vec<String> = self
            .statements
            .iter()
            .filter(|s| template::applies(s, env.values))
            .filter_map(|s| template::render(s, env.values, false))
            .collect();
        let help = format!("the import needs only: {}", least.join(", "));
        for doc in env.docs(&self.slot) {
            for statement in doc.policy.map_or(&[][..], |p| &p.statements) {
                if statement.effect() != Some(Effect::Allow) {
                    continue;
                }
                let Some((list, negated)) = statement.actions() else {
                    continue;
                };
                let granted: Vec<&(&str, String)> = needs
                    .iter()
                    .filter(|(a, _)| {
                        crate::engine::action::list_matches(
                            list.items.iter().map(|t| t.value),
                            negated,
                            a,
                        )
                    })
                    .collect();
                if granted.is_empty() {
                    continue;
                }
                if negated {
                    out.push(
                        Diagnostic::new(
                            rule,
                            doc.file,
                            list.span,
                            "`NotAction` in an Allow grants every other action of every service",
                        )
                        .help(help.clone()),
                    );
                } else {
                    for item in &list.items {
                        let whole = item.value == "*"
                            || item.value.ends_with(":*")
                                && !item.value[..item.value.len() - 2].contains(['*', '?']);
                        if whole && granted.iter().any(|(a, _)| action_matches(item.value, a)) {
                            out.push(
                                Diagnostic::new(
                                    rule,
                                    doc.file,
                                    item.span,
                                    format!("`{}` grants every action of {}, far more than the import needs", item.value, if item.value == "*" { "every service".to_string() } else { format!("`{}`", &item.value[..item.value.len() - 2]) }),
                                )
                                .help(help.clone()),
                            );
                        }
                    }
                }
                let Some((resources, false)) = statement.resources() else {
                    continue;
                };
                for item in resources.items.iter().filter(|i| i.value == "*") {
                    let scoped: Vec<&(&str, String)> =
                        granted.iter().copied().filter(|(_, r)| r != "*").collect();
                    if let Some((action, resource)) = scoped.first() {
                        out.push(
                            Diagnostic::new(
                                rule,
                                doc.file,
                                item.span,
                                format!("`*` grants `{action}` on every resource; the import needs it only on `{resource}`"),
                            )
                            .help(help.clone()),
                        );
                    }
                }
            }
        }
    }
}

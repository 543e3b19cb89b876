//! `condition-mismatch`: a statement would grant the requirement but one of its conditions on
//! the listed keys cannot match this request (PassRole's `iam:AssociatedResourceArn` and
//! `iam:PassedToService`). The complement of a `grant` check that defers those keys.

use serde::Deserialize;

use super::eval::{hints, Env};
use super::grant::Grant;
use crate::rules::{Diagnostic, RuleMeta};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConditionMismatch {
    pub keys: Vec<String>,
    /// The requirement, as a `grant` check states it.
    pub grant: Grant,
}

impl ConditionMismatch {
    pub fn run(&self, env: &Env, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        for failure in self.grant.failures(env) {
            let Some(decision) = &failure.decision else {
                continue;
            };
            let Some((statement, span, key)) =
                env.condition_only(&self.grant.slot, decision, &self.keys)
            else {
                continue;
            };
            let file = env.file_of(&self.grant.slot, &statement);
            let text = env
                .doc(file)
                .and_then(|d| d.text.get(span.range()))
                .unwrap_or("");
            let value = if failure.note.is_empty() {
                String::new()
            } else {
                format!(" (when {})", failure.note)
            };
            let mut help = hints(env, &self.grant.hints, text);
            if let Some(s) = &failure.statement {
                if !help.is_empty() {
                    help.push_str("; ");
                }
                help.push_str(&format!("this statement grants it: {s}"));
            }
            out.push(
                Diagnostic::new(
                    rule,
                    file,
                    span,
                    format!(
                        "this statement allows `{}` on `{}`, but its `{key}` condition cannot match this import{value}",
                        failure.action, failure.resource
                    ),
                )
                .help(help),
            );
        }
    }
}

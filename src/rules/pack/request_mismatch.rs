//! `request-mismatch`: a request's ARNs must be the scenario's parameters, and the resources must
//! share one account (and region, where they have one).

use serde::Deserialize;

use super::eval::{node_at, Env};
use crate::engine::split_arn;
use crate::rules::{Diagnostic, RuleMeta};
use crate::source::{has_placeholder, FileId, Span};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequestMismatch {
    pub slot: String,
    pub fields: Vec<FieldParameter>,
    #[serde(default)]
    pub same_account: Vec<String>,
    #[serde(default)]
    pub same_region: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FieldParameter {
    pub pointer: String,
    pub parameter: String,
}

impl RequestMismatch {
    pub fn run(&self, env: &Env, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        let docs = env.docs(&self.slot);
        // Where a parameter's value is written: the config, else the request field it came from.
        let place = |parameter: &str| -> Option<(FileId, Span)> {
            if let Some(at) = env.parameter_spans.get(parameter) {
                return Some(*at);
            }
            let field = self.fields.iter().find(|f| f.parameter == parameter)?;
            docs.iter().find_map(|d| {
                let node = node_at(d.root?, &field.pointer)?;
                Some((d.file, node.span))
            })
        };
        for doc in docs {
            let Some(root) = doc.root else { continue };
            for field in &self.fields {
                let (Some(node), Some(expected), Some(at)) = (
                    node_at(root, &field.pointer),
                    env.values.get(&field.parameter),
                    env.parameter_spans.get(&field.parameter),
                ) else {
                    continue;
                };
                // A value that is not an ARN at all is `request-arns`' finding, not a mismatch.
                let Some(value) = node.as_str().filter(|v| split_arn(v).is_some()) else {
                    continue;
                };
                if value != expected {
                    let name = field.pointer.rsplit('/').next().unwrap_or(&field.pointer);
                    out.push(
                        Diagnostic::new(
                            rule,
                            doc.file,
                            node.span,
                            format!("`{name}` is `{value}`, but the scenario's `{}` is `{expected}`", field.parameter),
                        )
                        .help("the policies were checked against the scenario's parameters: make the request use the same ARN")
                        .related(at.0, at.1, format!("`{}`", field.parameter)),
                    );
                }
            }
        }
        for (parts, index, what) in [
            (&self.same_account, 4, "account"),
            (&self.same_region, 3, "region"),
        ] {
            let set: Vec<(&String, &str)> = parts
                .iter()
                .filter_map(|p| {
                    let value = env.values.get(p)?;
                    Some((p, split_arn(value)?[index]))
                })
                .collect();
            let Some((first, expected)) = set.first().copied() else {
                continue;
            };
            for (parameter, got) in set.iter().skip(1).copied() {
                // A computed account or region may be the literal one: not a proven mismatch.
                if got == expected || has_placeholder(got) || has_placeholder(expected) {
                    continue;
                }
                let Some((file, span)) = place(parameter) else {
                    continue;
                };
                let mut d = Diagnostic::new(
                    rule,
                    file,
                    span,
                    format!("`{parameter}` is in {what} `{got}`, but `{first}` is in {what} `{expected}`"),
                )
                .help(format!("the import needs the event data store, the role and the key in one {what}"));
                if let Some((f, s)) = place(first) {
                    d = d.related(f, s, format!("`{first}`"));
                }
                out.push(d);
            }
        }
    }
}

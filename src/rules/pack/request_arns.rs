//! `request-arns`: the ARNs of a request have the shape the API needs (service, region or none,
//! a 12-digit account, the resource type).

use serde::Deserialize;

use super::eval::{node_at, Env};
use crate::engine::principal::is_account_id;
use crate::engine::split_arn;
use crate::rules::{Diagnostic, RuleMeta};
use crate::source::Span;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RequestArns {
    pub slot: String,
    pub fields: Vec<ArnField>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ArnField {
    pub pointer: String,
    pub service: String,
    /// Whether the ARN has a region (IAM's have none).
    pub region: bool,
    pub resource_prefix: String,
    /// "an event data store ARN".
    pub describe: String,
}

/// Why `value` is not an ARN of this shape, or `None` when it is.
pub fn arn_problem(
    value: &str,
    service: &str,
    region: bool,
    resource_prefix: &str,
) -> Option<String> {
    let Some([arn, partition, s, r, account, resource]) = split_arn(value) else {
        return Some("it is not an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`)".into());
    };
    if arn != "arn" || partition.is_empty() {
        return Some("it does not start with `arn:PARTITION:`".into());
    }
    if s != service {
        return Some(format!("its service is `{s}`, not `{service}`"));
    }
    if region == r.is_empty() {
        return Some(if region {
            "it has no region".into()
        } else {
            format!("it has a region (`{r}`); `{service}` ARNs have none")
        });
    }
    if !is_account_id(account) {
        return Some(format!("its account `{account}` is not 12 digits"));
    }
    match resource.strip_prefix(resource_prefix) {
        Some(rest) if !rest.is_empty() && !rest.contains(['*', '?']) => None,
        _ => Some(format!(
            "its resource `{resource}` is not `{resource_prefix}NAME`"
        )),
    }
}

impl RequestArns {
    pub fn run(&self, env: &Env, rule: &'static RuleMeta, out: &mut Vec<Diagnostic>) {
        for doc in env.docs(&self.slot) {
            let Some(root) = doc.root else { continue };
            for field in &self.fields {
                let name = field.pointer.rsplit('/').next().unwrap_or(&field.pointer);
                let (span, problem) = match node_at(root, &field.pointer) {
                    None => (
                        Span::empty(root.span.start),
                        Some(format!("`{name}` is missing")),
                    ),
                    Some(node) => match node.as_str() {
                        None => (node.span, Some(format!("`{name}` is not a string"))),
                        Some(value) => (
                            node.span,
                            arn_problem(
                                value,
                                &field.service,
                                field.region,
                                &field.resource_prefix,
                            )
                            .map(|why| format!("`{name}` is not {}: {why}", field.describe)),
                        ),
                    },
                };
                if let Some(message) = problem {
                    let shape = if field.region {
                        format!(
                            "arn:aws:{}:REGION:ACCOUNT:{}NAME",
                            field.service, field.resource_prefix
                        )
                    } else {
                        format!(
                            "arn:aws:{}::ACCOUNT:{}NAME",
                            field.service, field.resource_prefix
                        )
                    };
                    out.push(
                        Diagnostic::new(rule, doc.file, span, message)
                            .help(format!("expected {}: `{shape}`", field.describe)),
                    );
                }
            }
        }
    }
}

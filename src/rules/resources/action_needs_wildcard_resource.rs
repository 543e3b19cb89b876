use crate::catalog::{self, AccessLevel, Service};
use crate::engine::arn::ArnPattern;
use crate::engine::{intersects, split_arn, Context, Tri};
use crate::rules::actions::{resolution, Resolution};
use crate::rules::prelude::*;

use super::literal_head;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM203",
        name: "action-needs-wildcard-resource",
        severity: Severity::Error,
        summary: "An action that supports no resource type, allowed only on specific ARNs",
        doc: r#"## What it does
Reports an action named explicitly in an `Allow` statement when the action supports no resource
type (the Service Authorization Reference lists none, so IAM evaluates it against the resource
`*`) and no `Resource` value of the statement matches `*`.

## Why is this bad?
IAM checks such an action against the literal resource `*`, which a specific ARN never matches:
the statement grants nothing for that action, and the call fails with AccessDenied although the
policy seems to allow it. AWS's own example for `logs:CreateImportTask` scopes it to a log-group
ARN and has exactly this bug.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Allow",
    "Action": ["logs:CreateLogStream", "logs:CreateImportTask"],
    "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:imports:*"
  }
}
```

Where AWS's own managed policies scope such an action to ARNs (the reference lags behind the
service), the case is listed in `src/catalog/lag.tsv` with the evidence and reported as a
warning that says so.

## Fix
Move the action to a statement with `"Resource": "*"`, narrowed with conditions where the
action supports condition keys.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let variables = doc.policy.is_some_and(|p| p.supports_variables());
    for statement in doc.statements() {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let (Some(actions), Some(resources)) = (&statement.action, &statement.resource) else {
            continue;
        };
        // A value that may match `*` (or cannot be judged) lets the action through.
        let reaches_star = resources.items.iter().any(|item| {
            ArnPattern::compile(item.value, variables, &Context::open()).matches("*") != Tri::False
        });
        if reaches_star {
            continue;
        }
        for item in &actions.items {
            let Resolution::Action(action) = resolution(doc, item) else {
                continue;
            };
            if action.supports_resource_types()
                || matches!(action.access_level(), AccessLevel::List | AccessLevel::Read)
                || resources
                    .items
                    .iter()
                    .any(|r| service_wide(action.service(), r.value))
            {
                continue;
            }
            let mut diagnostic = out
                .at(
                    item.span,
                    format!(
                        "`{}` supports no resource type, so allowing it only on specific ARNs grants nothing",
                        item.value
                    ),
                )
                .help(format!(
                    "move `{}` to a statement with `\"Resource\": \"*\"`; IAM checks it against the resource `*`",
                    item.value
                ))
                .related(out.file(), resources.span, "no value here matches `*`");
            let qualified = format!("{}:{}", action.service().prefix(), action.name());
            let lag = catalog::resource_lag(&qualified).find(|lag| {
                let arn = lag.arn.unwrap_or_default();
                resources.items.iter().any(|r| intersects(r.value, arn))
            });
            if let Some(lag) = lag {
                // AWS's own policies scope it this way: the reference, not the policy, may be wrong.
                diagnostic.severity = Severity::Warning;
                diagnostic.message.push_str(&format!(
                    ", per the reference; but it may lag here: {}",
                    lag.reason
                ));
            }
            out.emit(diagnostic);
        }
    }
}

/// Whether `value` is an ARN of the action's own service that covers every resource of one of
/// its resource types (`arn:aws:s3:::*`, `arn:aws:logs:*:*:log-group:*`, `arn:aws:iam::*:role/*`).
/// Several services authorise their list actions against such a service-wide ARN rather than
/// the literal `*` (`s3:ListAllMyBuckets` on `arn:aws:s3:::*`, `logs:DescribeLogGroups` on
/// `log-group:*`), which the catalog does not record; AWS's managed policies rely on it hundreds
/// of times. An ARN narrowed to particular resources (`log-group:imports*`) is still reported.
fn service_wide(service: Service, value: &str) -> bool {
    let Some(parts) = split_arn(value) else {
        return false;
    };
    if parts[2] != service.prefix() {
        return false;
    }
    let head = literal_head(parts[5]);
    if head.len() == parts[5].len() {
        return false; // no wildcard: one resource
    }
    head.is_empty()
        || service.resource_types().any(|t| {
            split_arn(t.arn_template()).is_some_and(|template| {
                let template_head = literal_head(template[5]);
                template_head.starts_with(head)
            })
        })
}

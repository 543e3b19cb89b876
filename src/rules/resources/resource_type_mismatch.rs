use std::collections::HashSet;

use super::{arn_problem, literal_head};
use crate::catalog::ResourceType;
use crate::engine::{intersects, split_arn, template_to_glob};
use crate::policy::List;
use crate::rules::actions::{resolution, Resolution};
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM202",
        name: "resource-type-mismatch",
        severity: Severity::Warning,
        summary: "A `Resource` ARN that none of the statement's actions can act on",
        doc: r#"## What it does
Reports a `Resource` ARN that matches none of the resource types of the statement's actions, as
the AWS catalog lists them with their ARN templates: `s3:GetObject` on a bucket ARN (objects are
`bucket/key`), or `logs:PutLogEvents` on an S3 ARN. It only judges statements whose actions are
all known, and stays silent for `NotAction`, for `*` and for actions that support no resource
type (see `action-needs-wildcard-resource`).

## Why is this bad?
IAM matches a request's resource ARN against the statement's `Resource` patterns. An ARN of the
wrong type never matches, so the Allow grants nothing for it: usually a forgotten `/*` on an S3
bucket, or an ARN copied from another statement.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket"}
}
```

## Fix
Use the ARN of the resource type the actions act on (`arn:aws:s3:::my-bucket/*`), or move the ARN
to a statement with the actions that act on it.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for statement in doc.statements() {
        let (Some(actions), Some(resources)) = (&statement.action, &statement.resource) else {
            continue;
        };
        let judged = |item: &&Text| item.value != "*" && arn_problem(item.value).is_none();
        if !resources.items.iter().any(|item| judged(&item)) {
            continue;
        }
        let prefixes: Vec<&str> = actions
            .items
            .iter()
            .filter_map(|item| item.value.split_once(':').map(|(prefix, _)| prefix))
            .collect();
        // Expanding the actions' resource types is the costly part: done only for a resource
        // the cheap test (its service is one of the actions' services) does not settle.
        let mut expanded: Option<Option<Vec<ResourceType>>> = None;
        for item in resources.items.iter().filter(judged) {
            let Some((service, head)) =
                split_arn(item.value).map(|parts| (parts[2], literal_head(parts[5])))
            else {
                continue;
            };
            let precise = PRECISE.contains(&service);
            if !precise && prefixes.iter().any(|prefix| same(prefix, service)) {
                continue;
            }
            let Some(types) = expanded.get_or_insert_with(|| resource_types(doc, actions)) else {
                break;
            };
            if types.is_empty() {
                break;
            }
            let template_service =
                |t: &ResourceType| split_arn(t.arn_template()).map_or("", |parts| parts[2]);
            let fits = if precise {
                // Cheap necessary conditions before the exact test: the service part is literal
                // in both (a wildcard there is `invalid-arn`), and two patterns can only share a
                // string if one's literal start is a prefix of the other's.
                types.iter().any(|t| {
                    let template_head =
                        split_arn(t.arn_template()).map_or("", |parts| literal_head(parts[5]));
                    template_service(t) == service
                        && (head.starts_with(template_head) || template_head.starts_with(head))
                        && intersects(item.value, &loosen(t.arn_template()))
                })
            } else {
                types.iter().any(|t| same(template_service(t), service))
            };
            if fits {
                continue;
            }
            let mut keys: Vec<&str> = types.iter().map(|t| t.key()).collect();
            keys.sort_unstable();
            keys.dedup();
            let shown = keys.len().min(5);
            let mut list = keys[..shown]
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            if keys.len() > shown {
                list.push_str(&format!(" and {} more", keys.len() - shown));
            }
            let example = types
                .iter()
                .find(|t| split_arn(t.arn_template()).is_some_and(|parts| parts[2] == service))
                .unwrap_or(&types[0])
                .arn_template();
            out.emit(
                out.at(
                    item.span,
                    format!(
                        "no action of this statement acts on `{}`: it matches none of their resource types ({list})",
                        item.value
                    ),
                )
                .help(format!(
                    "use an ARN of the form `{example}`, or move this ARN to a statement whose actions act on it"
                ))
                .related(out.file(), actions.span, "the statement's actions"),
            );
        }
    }
}

/// Services whose catalog ARN templates cover every ARN their actions are authorised on, so
/// that an ARN of the service matching none of them is a real mistake (an S3 bucket ARN for
/// `s3:GetObject`, a log-group ARN without `log-group:`). For other services the templates lag
/// behind (collection ARNs such as API Gateway's `/apis`, resource types the data does not list
/// for an action), so only an ARN of a service none of the actions works with is reported: on
/// AWS's 1,594 managed policies the exact test reports about 200 such ARNs, most of them valid.
const PRECISE: [&str; 2] = ["s3", "logs"];

/// Service prefixes that name the same service: CodeStar Connections was renamed CodeConnections
/// and its actions accept both ARN forms.
fn same(a: &str, b: &str) -> bool {
    const ALIASES: [[&str; 2]; 1] = [["codestar-connections", "codeconnections"]];
    a.eq_ignore_ascii_case(b)
        || ALIASES.iter().any(|pair| {
            pair.iter().any(|p| p.eq_ignore_ascii_case(a))
                && pair.iter().any(|p| p.eq_ignore_ascii_case(b))
        })
}

/// The template as a glob in which each `${Var}` may also be empty. The catalog's templates
/// assume every variable is filled, but real ARNs leave parts empty that the templates name:
/// AWS-owned SSM documents and public parameters (`arn:aws:ssm:*::document/AWS-RunShellScript`)
/// have no account, and a warning on AWS's own policies for that would be noise.
fn loosen(template: &str) -> String {
    template_to_glob(template).replace("?*", "*")
}

/// The resource types of every action the list names, or `None` when the list has `*` or an
/// entry the catalog cannot resolve (those statements are not judged).
fn resource_types<'a>(doc: &Document<'a>, actions: &List<'a>) -> Option<Vec<ResourceType>> {
    let mut seen = HashSet::new();
    let mut types = Vec::new();
    let mut add = |action: crate::catalog::Action| {
        for r in action.resource_types() {
            if seen.insert(r.resource_type()) {
                types.push(r.resource_type());
            }
        }
    };
    for item in &actions.items {
        match resolution(doc, item) {
            Resolution::Action(action) => add(action),
            Resolution::Pattern { service, pattern } => {
                service.matching_actions(pattern).for_each(&mut add)
            }
            _ => return None,
        }
    }
    Some(types)
}

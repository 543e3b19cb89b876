use std::borrow::Cow;
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
`bucket/key`), `s3:ListBucket` on `bucket/*`, `iam:GetUser` on `role/*`, DynamoDB `tables/x`
for `table/x`, or `logs:PutLogEvents` on an S3 ARN. Each template's `${...}` parts match
anything, and may be empty (AWS-owned SSM documents have no account). It only judges
statements whose actions are all known, and stays silent for `NotAction`, for `*`, for ARNs
with policy variables (unknown until the request) and for actions that support no resource type
(see `action-needs-wildcard-resource`). In a template, a part only known at deploy time (the
ARN shape of Terraform's `aws_kms_key.k.arn`, `arn:${…}:kms:${…}:${…}:key/${…}`) may be
anything: only a mismatch that holds whatever it is gets reported.

For the services whose templates lag behind the ARNs AWS authorises (API Gateway's resource
paths, CloudFormation transforms, ... listed with their evidence in
`src/rules/resources/template-lag.tsv`), only an ARN of a service none of the actions belongs to
is reported.

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
        // A variable's value is unknown until the request (and its colon would shift the ARN's
        // parts): such ARNs are not judged.
        // A value only known at deploy time (a template's placeholder, as in the ARN shape of
        // `aws_kms_key.k.arn`) may be anything: read as `*`, a mismatch that remains holds
        // whatever it is. A placeholder between two colons is taken as one part of the ARN.
        let values: Vec<(&Text, Cow<str>)> = resources
            .items
            .iter()
            .map(|item| (item, as_wildcards(item.value)))
            .collect();
        let judged = |(_, value): &&(&Text, Cow<str>)| {
            value != "*" && !value.contains("${") && arn_problem(value).is_none()
        };
        if !values.iter().any(|v| judged(&v)) {
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
        for (item, value) in values.iter().filter(judged) {
            let value: &str = value;
            let Some((service, head)) =
                split_arn(value).map(|parts| (parts[2], literal_head(parts[5])))
            else {
                continue;
            };
            if prefixes.iter().any(|prefix| lags_onto(prefix, service)) {
                continue;
            }
            let precise = !lags(service);
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
                    same(template_service(t), service)
                        && (head.starts_with(template_head) || template_head.starts_with(head))
                        && intersects(value, &loosen(&as_service(t.arn_template(), service)))
                        && !slash_in_name(t.arn_template(), value)
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

fn as_wildcards(value: &str) -> Cow<'_, str> {
    if crate::source::has_placeholder(value) {
        Cow::Owned(value.replace(crate::source::PLACEHOLDER, "*"))
    } else {
        Cow::Borrowed(value)
    }
}

/// Whether the catalog's ARN templates are known to lag behind the ARNs AWS authorises for this
/// service (`template-lag.tsv`, each with its evidence). For those services only an ARN of a
/// service none of the actions works with is reported; for every other service the ARN must fit
/// a resource type of the statement's actions.
fn lags(service: &str) -> bool {
    template_lag().any(|(lagging, _, _)| lagging == service)
}

/// Whether `template-lag.tsv` shows the actions of `prefix` acting on resources of `service`
/// that the reference does not list for them (zonal shift on an EKS cluster): its evidence is
/// an ARN of that service.
fn lags_onto(prefix: &str, service: &str) -> bool {
    template_lag().any(|(lagging, arn, _)| {
        same(lagging, prefix) && split_arn(arn).is_some_and(|parts| same(parts[2], service))
    })
}

/// The rows of `template-lag.tsv`: service prefix, an ARN AWS's own policies use that the
/// templates do not cover, and the reason.
pub(crate) fn template_lag() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    crate::catalog::tsv_rows(include_str!("template-lag.tsv"))
        .filter_map(|mut fields| Some((fields.next()?, fields.next()?, fields.next()?)))
}

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

/// Template variables whose values never hold a `/`: S3 bucket names and DynamoDB table names
/// (their naming rules allow only letters, digits, `.`, `-` and `_`). Every other `${...}` may,
/// as log group names, IAM paths and object keys do.
const NO_SLASH: [&str; 2] = ["${BucketName}", "${TableName}"];

/// Whether the template's resource part ends in a slash-free variable after a literal start,
/// and the ARN has a literal `/` after that start: `arn:aws:s3:::my-bucket/*` is not a bucket.
fn slash_in_name(template: &str, value: &str) -> bool {
    let (Some(t), Some(v)) = (split_arn(template), split_arn(value)) else {
        return false;
    };
    NO_SLASH.iter().any(|var| {
        t[5].strip_suffix(var).is_some_and(|start| {
            !start.contains("${")
                && v[5]
                    .strip_prefix(start)
                    .is_some_and(|rest| literal_head(rest).contains('/'))
        })
    })
}

/// The template with its service part spelt `service` (one of its aliases), so that a
/// CodeConnections ARN can match a CodeStar Connections template.
fn as_service(template: &str, service: &str) -> String {
    match split_arn(template) {
        Some(parts) if parts[2] != service => {
            let mut parts = parts.map(str::to_string);
            parts[2] = service.to_string();
            parts.join(":")
        }
        _ => template.to_string(),
    }
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

#[cfg(test)]
mod tests {
    use super::template_lag;

    #[test]
    fn lagging_services_are_catalog_services_with_evidence() {
        for (service, arn, reason) in template_lag() {
            assert!(crate::catalog::service(service).is_some(), "{service}");
            let parts = crate::engine::split_arn(arn).unwrap_or_else(|| panic!("{arn}"));
            // The service's own ARN, or one of another service its actions act on.
            assert!(crate::catalog::service(parts[2]).is_some(), "{arn}");
            assert!(!reason.is_empty(), "{service}");
        }
    }
}

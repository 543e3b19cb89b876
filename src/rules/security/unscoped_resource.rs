use crate::catalog::{AccessLevel, Action};
use crate::rules::actions::{resolution, Resolution};
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM407",
        name: "unscoped-resource",
        severity: Severity::Warning,
        summary:
            "Write or permissions-management actions that support resource types, allowed on `*`",
        doc: r#"## What it does
Reports each `Action` entry of an `Allow` statement with `"Resource": "*"` and no `Condition`
that grants a `Write` or `Permissions management` action which supports a resource type (the
Service Authorization Reference lists one for it), so it could be scoped to ARNs. Wildcard
entries are reported with the actions they grant this way. Actions that support no resource type
can only be granted on `*` and are not reported; neither are `"*"` (`admin-access`),
`iam:PassRole` (`passrole-wildcard-resource`), `NotAction`
(`allow-not-action`), `NotResource` (`allow-not-resource`), or statements with a `Condition`,
which may scope the grant by tag, account or service.

## Why is this bad?
Changing or deleting every resource of a kind in the account (or every account's, in a
resource policy) is rarely the need: an `Allow` on `*` gives the holder every present and future
resource, including other teams' and production's. This is parliament's `RESOURCE_STAR` and
iam-policy-validator's wildcard-resource check.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "*"}
}
```

## Fix
Name the resources (`arn:aws:s3:::my-bucket/*`), or add a condition that scopes them
(`aws:ResourceTag/team`, `aws:ResourceAccount`).
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    // Only a policy that grants can grant too much: SCPs, RCPs, endpoint policies, boundaries
    // and session policies only cap.
    if !doc.kind.grants() {
        return;
    }
    if matches!(doc.kind, Kind::Trust | Kind::Key) {
        return;
    }
    for statement in doc.statements() {
        if statement.effect() != Some(Effect::Allow) || statement.condition.is_some() {
            continue;
        }
        let (Some(actions), Some(resources)) = (&statement.action, &statement.resource) else {
            continue;
        };
        let Some(star) = resources.items.iter().find(|r| r.value == "*") else {
            continue;
        };
        for item in &actions.items {
            let scopable = |a: &Action| {
                matches!(
                    a.access_level(),
                    AccessLevel::Write | AccessLevel::PermissionsManagement
                ) && a.supports_resource_types()
            };
            // `passrole-wildcard-resource` reports `iam:PassRole` on `*` already, as a
            // security finding: one mistake, one finding.
            if item.value.eq_ignore_ascii_case("iam:PassRole") {
                continue;
            }
            let mut names: Vec<String> = match resolution(doc, item) {
                Resolution::Action(action) if scopable(&action) => vec![item.value.to_string()],
                Resolution::Pattern { service, pattern } => service
                    .matching_actions(pattern)
                    .filter(scopable)
                    .map(|a| format!("{}:{}", service.prefix(), a.name()))
                    .collect(),
                _ => continue,
            };
            if names.is_empty() {
                continue;
            }
            let message = if names.len() == 1 && names[0] == item.value {
                format!(
                    "`{}` is allowed on every resource, though it can be scoped to ARNs",
                    item.value
                )
            } else {
                let total = names.len();
                names.truncate(3);
                let shown: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                format!(
                    "`{}` allows {total} write action{} on every resource that can be scoped to ARNs: {}{}",
                    item.value,
                    if total == 1 { "" } else { "s" },
                    shown.join(", "),
                    if total > 3 { ", ..." } else { "" }
                )
            };
            out.emit(
                out.at(item.span, message)
                    .help("name the resources in `Resource`, or scope them with a condition such as `aws:ResourceTag/...`")
                    .related(out.file(), star.span, "every resource"),
            );
        }
    }
}

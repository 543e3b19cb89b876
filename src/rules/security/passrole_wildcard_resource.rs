use super::{every_role, has_condition_key};
use crate::engine::action::list_matches;
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM402",
        name: "passrole-wildcard-resource",
        severity: Severity::Security,
        summary: "`iam:PassRole` allowed on every role without an `iam:PassedToService` condition",
        doc: r#"## What it does
Reports an `Allow` statement that grants `iam:PassRole` (by name, through `iam:*`, `iam:Pass*`,
`*`, or a `NotAction` that does not exclude it) on every role (`"*"`, `arn:aws:iam::*:role/*`)
or through `NotResource`, without an `iam:PassedToService` condition. Patterns scoped to a role
path or name prefix (`role/service-role/*`, `role/MyApp*`) are accepted, as Access Analyzer does.

## Why is this bad?
Passing a role to a service lets that service act with the role's permissions. Whoever may pass
any role to any service can hand an administrator role to an EC2 instance or Lambda function
they control: privilege escalation (Access Analyzer `PASS_ROLE_WITH_STAR_IN_RESOURCE`).

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
}
```

## Fix
Name the roles (`arn:aws:iam::123456789012:role/app-task-role`) and restrict the receiving
service with `"Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    // Only a policy that grants can grant too much.
    if !doc.kind.grants() {
        return;
    }
    for statement in doc.statements() {
        if statement.effect() != Some(Effect::Allow) {
            continue;
        }
        let Some((actions, negated)) = statement.actions() else {
            continue;
        };
        if !list_matches(
            actions.items.iter().map(|item| item.value),
            negated,
            "iam:PassRole",
        ) {
            continue;
        }
        if has_condition_key(statement, "iam:PassedToService") {
            continue;
        }
        let Some((resources, not_resource)) = statement.resources() else {
            continue;
        };
        let (span, message) = if not_resource {
            // NotResource grants every role unless one of its entries excludes them all.
            if resources.items.iter().any(|r| every_role(r.value)) {
                continue;
            }
            (
                resources.key_span,
                "`iam:PassRole` is allowed through `NotResource` on every role not listed"
                    .to_string(),
            )
        } else {
            let Some(broad) = resources.items.iter().find(|r| every_role(r.value)) else {
                continue;
            };
            (
                broad.span,
                format!(
                    "`iam:PassRole` is allowed on every role (`{}`)",
                    broad.value
                ),
            )
        };
        out.emit(
            out.at(span, message)
                .help(doc.with_kind_note("name the roles that may be passed and add a `StringEquals` `iam:PassedToService` condition for the service that receives them"))
                .related(out.file(), actions.span, "grants iam:PassRole"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::security::every_role;

    #[test]
    fn role_wildcards() {
        for broad in [
            "*",
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::123456789012:role/*",
            "arn:aws:iam::*:*",
            "arn:*:iam::*:role*",
        ] {
            assert!(every_role(broad), "{broad}");
        }
        for narrow in [
            "arn:aws:iam::*:role/service-role/*",
            "arn:aws:iam::*:role/AmazonSageMaker*",
            "arn:aws:iam::123456789012:role/app",
            "arn:aws:s3:::*",
            "arn:aws:iam::*:user/*",
        ] {
            assert!(!every_role(narrow), "{narrow}");
        }
    }
}

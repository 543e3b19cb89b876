use super::{allows, every_resource, every_role, has_condition_key};
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM408",
        name: "service-linked-role-wildcard",
        severity: Severity::Warning,
        summary: "`iam:CreateServiceLinkedRole` allowed on every role without an `iam:AWSServiceName` condition",
        doc: r#"## What it does
Reports an `Allow` statement that grants `iam:CreateServiceLinkedRole` (by name, through
`iam:*`, `iam:Create*`, `*`, or a `NotAction` that does not exclude it) on every resource
(`"*"`, `arn:aws:iam::*:role/*`) or through `NotResource`, without an `iam:AWSServiceName`
condition. This is Access Analyzer's `CREATE_SLR_*` family (`CREATE_SLR_WITH_STAR_IN_RESOURCE`,
`..._WITH_STAR_IN_ACTION_AND_RESOURCE`, `..._WITH_NOT_RESOURCE`, `..._WITH_NOT_ACTION_...`).

## Why is this bad?
A service-linked role carries permissions AWS defines for its service. Whoever may create any
of them can switch on every AWS service's role in the account, including ones with broad access,
when they only needed the role of one service.

## Example
```json
{
  "Version": "2012-10-17",
  "Statement": {"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole", "Resource": "*"}
}
```

## Fix
Name the service: `"Condition": {"StringEquals": {"iam:AWSServiceName": "elasticmapreduce.amazonaws.com"}}`,
or scope `Resource` to that service's role path
(`arn:aws:iam::*:role/aws-service-role/elasticmapreduce.amazonaws.com/*`).
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
    for statement in doc.statements() {
        if !allows(statement, "iam:CreateServiceLinkedRole")
            || has_condition_key(statement, "iam:AWSServiceName")
        {
            continue;
        }
        let Some((resources, negated)) = statement.resources() else {
            continue;
        };
        let span = if negated {
            // NotResource grants every role unless one of its entries excludes them all.
            let excludes_roles = resources.items.iter().any(|r| every_role(r.value));
            every_resource(statement).filter(|_| !excludes_roles)
        } else {
            resources
                .items
                .iter()
                .find(|r| every_role(r.value))
                .map(|r| r.span)
        };
        let Some(span) = span else {
            continue;
        };
        let (actions, _) = statement.actions().expect("allows() saw actions");
        out.emit(
            out.at(
                span,
                "`iam:CreateServiceLinkedRole` is allowed for every AWS service's role",
            )
            .help("add a `StringEquals` `iam:AWSServiceName` condition naming the service (`elasticmapreduce.amazonaws.com`)")
            .related(out.file(), actions.span, "grants iam:CreateServiceLinkedRole"),
        );
    }
}

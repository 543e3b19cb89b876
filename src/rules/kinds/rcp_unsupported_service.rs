use crate::catalog;
use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM025",
        name: "rcp-unsupported-service",
        severity: Severity::Error,
        summary: "In an RCP, an action of a service resource control policies do not support",
        doc: r#"## What it does
Reports, in a resource control policy (RCP), an action of a service that RCPs do not apply to
(the catalog's `rcpSupportedServices`: S3, STS, KMS, SQS, Secrets Manager, DynamoDB, ...).

## Why is this bad?
AWS Organizations refuses an RCP naming an unsupported service (`RCP_SYNTAX_ERROR_ACTION`), and
the restriction it was meant to enforce never applies: RCPs cap only the resources of the
services that support them.

## Example
An RCP (declared with `--kind rcp`):
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": "*", "Action": "ec2:*", "Resource": "*",
  "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}}
```

## Fix
Remove the action; restrict that service with an SCP or with its resources' own policies.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    if doc.kind != Kind::Rcp {
        return;
    }
    for statement in doc.statements() {
        let Some((list, _)) = statement.actions() else {
            continue;
        };
        for action in &list.items {
            // `*` is every supported service; a wildcard in the prefix is another rule's matter.
            let Some((service, _)) = action.value.split_once(':') else {
                continue;
            };
            if service.contains(['*', '?']) || catalog::rcp_supported(service) {
                continue;
            }
            out.emit(
                out.at(
                    action.span,
                    format!("resource control policies do not support `{service}` actions"),
                )
                .help(doc.with_kind_note(
                    "remove the action; restrict this service with an SCP or its resources' own policies",
                )),
            );
        }
    }
}

use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM017",
        name: "missing-principal",
        severity: Severity::Error,
        summary: "A trust, resource, key, RCP or VPC endpoint policy statement without `Principal`",
        doc: r#"## What it does
Reports a statement without `Principal` or `NotPrincipal` in a role trust policy, a
resource-based policy, a KMS key policy, a resource control policy (RCP) or a VPC endpoint
policy. Identity policies, SCPs, permissions boundaries and session policies are not checked.

## Why is this bad?
These policies are attached to a resource (or an endpoint), so each statement must say *who* it
applies to; AWS rejects a statement without a principal. In an RCP and usually in an endpoint
policy it is `"Principal": "*"`.

## Example
A trust policy (declared with `--kind trust`):
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}}
```

## Fix
Add the principal, e.g. `"Principal": {"Service": "cloudtrail.amazonaws.com"}`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let Some(policy) = doc.policy else { return };
    if doc.kind.attached_to_principals() {
        return;
    }
    for statement in doc.statements() {
        if !policy.statement_has(statement, "Principal")
            && !policy.statement_has(statement, "NotPrincipal")
        {
            out.emit(
                out.at(Span::new(statement.span.start, statement.span.start + 1), format!("this statement of {} has no `Principal`", doc.kind.describe()))
                    .help(doc.with_kind_note(if matches!(doc.kind, Kind::Rcp | Kind::Endpoint) {
                        "add \"Principal\": \"*\" and narrow the statement with conditions"
                    } else {
                        "add the principal, e.g. \"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"}"
                    })),
            );
        }
    }
}

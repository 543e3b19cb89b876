use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM016",
        name: "missing-resource",
        severity: Severity::Error,
        summary:
            "A statement has neither `Resource` nor `NotResource` (all kinds but trust policies)",
        doc: r#"## What it does
Reports a statement without `Resource` or `NotResource` in an identity, resource or KMS key
policy. Role trust policies must not have a `Resource` and are not checked.

## Why is this bad?
IAM rejects identity policy statements without a resource. In a KMS key policy the API accepts
the statement but it has no effect.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject"}}
```

## Fix
Add the resources the statement applies to, e.g. `"Resource": "arn:aws:s3:::reports/*"`, or
`"Resource": "*"` in a key policy (meaning "this key").
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let Some(policy) = doc.policy else { return };
    if doc.kind == Kind::Trust {
        return;
    }
    for statement in doc.statements() {
        if !policy.statement_has(statement, "Resource")
            && !policy.statement_has(statement, "NotResource")
        {
            let example = if doc.kind == Kind::Key {
                "\"Resource\": \"*\" (this key)"
            } else {
                "\"Resource\": \"arn:...\""
            };
            out.emit(
                out.at(
                    Span::new(statement.span.start, statement.span.start + 1),
                    "this statement has no `Resource` or `NotResource`",
                )
                .help(doc.with_kind_note(format!("add {example}"))),
            );
        }
    }
}

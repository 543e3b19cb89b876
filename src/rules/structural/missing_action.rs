use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM014",
        name: "missing-action",
        severity: Severity::Error,
        summary: "A statement has neither `Action` nor `NotAction`",
        doc: r#"## What it does
Reports a statement without `Action` or `NotAction`.

## Why is this bad?
IAM rejects such a statement. In a KMS key policy the API accepts it, but the statement silently
has no effect.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Resource": "*"}}
```

## Fix
Add the actions the statement is meant to allow or deny, e.g. `"Action": "s3:GetObject"`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let Some(policy) = doc.policy else { return };
    for statement in doc.statements() {
        if !policy.statement_has(statement, "Action")
            && !policy.statement_has(statement, "NotAction")
        {
            out.emit(
                out.at(
                    Span::new(statement.span.start, statement.span.start + 1),
                    "this statement has no `Action` or `NotAction`",
                )
                .help("add \"Action\": [\"service:ActionName\", ...]"),
            );
        }
    }
}

use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM010",
        name: "missing-effect",
        severity: Severity::Error,
        summary: "A statement has no `Effect`",
        doc: r#"## What it does
Reports a statement without an `Effect` element.

## Why is this bad?
Every statement must say whether it allows or denies; AWS rejects a statement without `Effect`.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Action": "s3:GetObject", "Resource": "*"}}
```

## Fix
Add `"Effect": "Allow"` or `"Effect": "Deny"`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for statement in doc.statements() {
        if !doc
            .policy
            .is_some_and(|p| p.statement_has(statement, "Effect"))
        {
            out.emit(
                out.at(
                    Span::new(statement.span.start, statement.span.start + 1),
                    "this statement has no `Effect`",
                )
                .help("add \"Effect\": \"Allow\" or \"Effect\": \"Deny\""),
            );
        }
    }
}

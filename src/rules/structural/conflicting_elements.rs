use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM015",
        name: "conflicting-elements",
        severity: Severity::Error,
        summary: "A statement has both an element and its `Not` form (Action and NotAction, ...)",
        doc: r#"## What it does
Reports a statement with both `Action` and `NotAction`, both `Resource` and `NotResource`, or both
`Principal` and `NotPrincipal`.

## Why is this bad?
Each pair is mutually exclusive; AWS rejects the statement. The two forms mean opposite things,
so the intent cannot be guessed.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:DeleteObject", "Resource": "*"}}
```

## Fix
Keep one of the two. To allow everything in a service but one action, use two statements: an
`Allow` of `s3:*` and a `Deny` of `s3:DeleteObject`.
"#,
        pack: None,
    },
    check,
};

const PAIRS: [(&str, &str); 3] = [
    ("Action", "NotAction"),
    ("Resource", "NotResource"),
    ("Principal", "NotPrincipal"),
];

fn check(doc: &Document, out: &mut Findings) {
    let Some(policy) = doc.policy else { return };
    for statement in doc.statements() {
        let Some(node) = policy.statement_node(statement) else {
            continue;
        };
        for (positive, negative) in PAIRS {
            if let (Some(first), Some(second)) = (node.get(positive), node.get(negative)) {
                out.emit(
                    out.at(
                        second.key.span,
                        format!("a statement cannot have both `{positive}` and `{negative}`"),
                    )
                    .help(format!("keep either `{positive}` or `{negative}`"))
                    .related(
                        out.file(),
                        first.key.span,
                        format!("`{positive}` is here"),
                    ),
                );
            }
        }
    }
}

use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM007",
        name: "missing-version",
        severity: Severity::Warning,
        summary: "The policy has no `Version`, so IAM reads it with the 2008 language",
        doc: r#"## What it does
Reports a policy document without a `Version` element.

## Why is this bad?
Without `"Version": "2012-10-17"` IAM applies the legacy 2008-10-17 language: policy variables
such as `${aws:username}` are not substituted but matched as literal text, so a statement that
uses them silently matches nothing (or the wrong thing). KMS key policies require the version.

## Example
```json
{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}}
```

## Fix
Add `"Version": "2012-10-17"` as the first element.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let Some(policy) = doc.policy else { return };
    if policy.version.is_none() {
        let at = policy.root.span;
        out.emit(
            out.at(
                Span::new(at.start, at.start + 1),
                "the policy has no `Version` element",
            )
            .help(
                "add \"Version\": \"2012-10-17\"; without it policy variables are not substituted",
            ),
        );
    }
}

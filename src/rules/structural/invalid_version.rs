use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM008",
        name: "invalid-version",
        severity: Severity::Error,
        summary: "`Version` is not `2012-10-17` or `2008-10-17`",
        doc: r#"## What it does
Reports a `Version` value other than the two IAM policy language versions, `2012-10-17` and the
legacy `2008-10-17`.

## Why is this bad?
`Version` is the version of the policy language, not a date of your choosing. AWS rejects any
other value. Writing today's date there is a common mistake.

## Example
```json
{"Version": "2024-01-01", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}
```

## Fix
Use `"Version": "2012-10-17"`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let Some(version) = doc.policy.and_then(|p| p.version) else {
        return;
    };
    if version.value != "2012-10-17" && version.value != "2008-10-17" {
        out.emit(
            out.at(
                version.span,
                format!("`{}` is not a policy language version", version.value),
            )
            .help("use \"2012-10-17\" (the only other valid value is the legacy \"2008-10-17\")"),
        );
    }
}

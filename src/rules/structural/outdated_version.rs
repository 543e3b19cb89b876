use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM032",
        name: "outdated-version",
        severity: Severity::Warning,
        summary: "`Version` is the legacy `2008-10-17`",
        doc: r#"## What it does
Reports `"Version": "2008-10-17"`, the first version of the IAM policy language.

## Why is this bad?
AWS still accepts it, but under it policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`)
are plain text: a `Resource` such as `arn:aws:s3:::home/${aws:username}/*` then matches only the
literal string, not each user's folder. Newer features are documented for `2012-10-17` only.

## Example
```json
{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}
```

## Fix
Use `"Version": "2012-10-17"`, and check that any `${...}` in the policy is meant as a variable.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let Some(version) = doc.policy.and_then(|p| p.version) else {
        return;
    };
    if version.value == "2008-10-17" {
        out.emit(
            out.at(
                version.span,
                "`2008-10-17` is the legacy policy language version: policy variables are plain text under it",
            )
            .help("use \"Version\": \"2012-10-17\""),
        );
    }
}

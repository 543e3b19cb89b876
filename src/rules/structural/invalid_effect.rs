use crate::rules::prelude::*;
use crate::rules::Edit;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM011",
        name: "invalid-effect",
        severity: Severity::Error,
        summary: "`Effect` is not exactly `Allow` or `Deny` (values are case-sensitive)",
        doc: r#"## What it does
Reports an `Effect` value other than `Allow` or `Deny`. The values are case-sensitive: `allow`,
`ALLOW` and `Allowed` are all invalid.

## Why is this bad?
AWS rejects the policy. Tools that compare case-insensitively hide the mistake until deploy time.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}}
```

## Fix
Write `"Allow"` or `"Deny"` exactly. `iamlint check --fix` corrects the case when the intent is
unambiguous.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for statement in doc.statements() {
        let Some(effect) = statement.effect else {
            continue;
        };
        if statement.effect().is_some() {
            continue;
        }
        let intended = ["Allow", "Deny"]
            .into_iter()
            .find(|e| e.eq_ignore_ascii_case(effect.value.trim()));
        let mut diagnostic = out.at(
            effect.span,
            format!("`{}` is not a valid Effect", effect.value),
        );
        diagnostic = match intended {
            Some(fixed) => diagnostic
                .help(format!("use \"{fixed}\"; Effect values are case-sensitive"))
                .fix(
                    format!("replace with \"{fixed}\""),
                    vec![Edit {
                        span: effect.span,
                        replacement: format!("\"{fixed}\""),
                    }],
                ),
            None => diagnostic.help("use \"Allow\" or \"Deny\""),
        };
        out.emit(diagnostic);
    }
}

use crate::engine::BaseOperator;
use crate::rules::prelude::*;

use super::for_each_test;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM315",
        name: "wildcard-without-like-operator",
        severity: Severity::Warning,
        summary: "A `*` or `?` in a value of `StringEquals` (or its negation), which compares it literally",
        doc: r#"## What it does
Reports a value with `*` or `?` under `StringEquals`, `StringNotEquals`,
`StringEqualsIgnoreCase` or `StringNotEqualsIgnoreCase` (with `IfExists` or a set qualifier),
outside a `${...}` variable (Access Analyzer's `WILDCARD_WITHOUT_LIKE_OPERATOR`).
`ArnEquals` and `ArnNotEquals` are not reported: IAM matches wildcards in them exactly as in
`ArnLike`.

## Why is this bad?
The `Equals` operators compare the value character for character, so `*` matches only a
literal asterisk: `"StringEquals": {"aws:PrincipalTag/team": "data-*"}` matches no real tag.
An `Allow` never applies, a `Deny` never denies, and a negated test is always true.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
  "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data-*"}}}}
```

## Fix
Use `StringLike` (`StringNotLike` for the negation). To mean a literal `*` in a `Like`
operator, write `${*}`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for_each_test(doc, |test| {
        let Ok(op) = test.operator else { return };
        if !matches!(
            op.base,
            BaseOperator::StringEquals | BaseOperator::StringEqualsIgnoreCase
        ) {
            return;
        }
        for value in &test.entry.values {
            if !outside_variables(value.text).contains(['*', '?']) {
                continue;
            }
            let like = crate::engine::Operator {
                base: BaseOperator::StringLike,
                ..*op
            }
            .name();
            out.emit(
                out.at(
                    value.span,
                    format!(
                        "`{}` compares `{}` literally, so its wildcard matches only the character itself",
                        test.block.operator.value, value.text
                    ),
                )
                .help(format!("use `{like}` to match a pattern"))
                .related(out.file(), test.block.operator.span, "the operator"),
            );
        }
    });
}

/// The text without its `${...}` variables (`${*}` is how a policy writes a literal `*`).
fn outside_variables(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        kept.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => rest = &rest[start + end + 1..],
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    kept.push_str(rest);
    kept
}

use crate::catalog::ConditionType;
use crate::engine::{split_arn, BaseOperator, Operator, ValueType};
use crate::policy::ConditionBlock;
use crate::rules::prelude::*;
use crate::rules::Edit;

use super::{for_each_test, key_info};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM305",
        name: "arn-key-with-string-operator",
        severity: Severity::Suggestion,
        summary: "A String operator on an ARN-typed key such as `aws:SourceArn`; use `ArnLike`/`ArnEquals`",
        doc: r#"## What it does
Reports a String operator (`StringEquals`, `StringLike`, their negations and `IfExists` /
set forms) on an ARN-typed key such as `aws:SourceArn`, `aws:PrincipalArn` or
`iam:AssociatedResourceArn`.

## Why is this bad?
`StringLike` matches the whole ARN as one string, so a `*` can run across the colons that
separate partition, service, region and account: `arn:aws:sns:*:111122223333:topic` also
matches an ARN of another account that contains `:111122223333:topic` in its resource part.
`ArnLike` compares the six ARN parts one by one and keeps each wildcard inside its part.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sns:Publish", "Resource": "*",
  "Condition": {"StringLike": {"aws:SourceArn": "arn:aws:s3:::my-bucket-*"}}}}
```

## Fix
Use `ArnLike` (or `ArnEquals`; the two are the same) and `ArnNotLike` for the negations.
Changing the operator changes what matches when values contain wildcards, so review each
value. `iamlint check --fix` renames the operator only when that cannot change the outcome:
every key of the block is ARN-typed and every value is a complete ARN without wildcards.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    for_each_test(doc, |test| {
        let Ok(op) = test.operator else { return };
        if op.value_type() != ValueType::String {
            return;
        }
        let key = test.entry.key;
        let Some(info) = key_info(doc, &key) else {
            return;
        };
        if info.condition_type() != ConditionType::Arn {
            return;
        }
        let replacement = arn_equivalent(op);
        let mut diagnostic = out
            .at(
                key.span,
                format!(
                    "`{}` is an ARN, but `{}` compares it as plain text",
                    key.value, test.block.operator.value
                ),
            )
            .related(out.file(), test.block.operator.span, "the operator");
        diagnostic = match replacement {
            Some(arn) => {
                let name = arn.name();
                diagnostic = diagnostic.help(format!(
                    "use `{name}`: it matches the ARN part by part, so a wildcard cannot run across the account or region"
                ));
                if fix_is_exact(doc, test.block, op) {
                    diagnostic.fix(
                        format!("rename the operator to \"{name}\""),
                        vec![Edit {
                            span: test.block.operator.span,
                            replacement: format!("\"{name}\""),
                        }],
                    )
                } else {
                    diagnostic
                }
            }
            None => diagnostic.help(
                "use `ArnLike`/`ArnNotLike` (ARN operators are case-sensitive, so check the values' case)",
            ),
        };
        out.emit(diagnostic);
    });
}

/// The ARN operator with the same negation, `IfExists` and qualifier. `StringEqualsIgnoreCase`
/// has none: every ARN operator is case-sensitive.
fn arn_equivalent(op: &Operator) -> Option<Operator> {
    let like = match op.base {
        BaseOperator::StringEquals => false,
        BaseOperator::StringLike => true,
        _ => return None,
    };
    Some(Operator {
        base: BaseOperator::Arn { like },
        ..*op
    })
}

/// Renaming is exact only when no value has a wildcard (so `StringLike`, `StringEquals`,
/// `ArnLike` and `ArnEquals` all compare for equality) and every value is a complete ARN
/// (which no non-ARN request value can equal); and only if every key of the block is
/// ARN-typed, since the rename applies to all of them.
fn fix_is_exact(doc: &Document, block: &ConditionBlock, op: &Operator) -> bool {
    arn_equivalent(op).is_some()
        && block.entries.iter().all(|entry| {
            key_info(doc, &entry.key).is_some_and(|k| k.condition_type() == ConditionType::Arn)
                && entry.values.iter().all(|v| {
                    !v.text.contains(['*', '?', '$'])
                        && split_arn(v.text).is_some_and(|p| p[0] == "arn")
                })
        })
}

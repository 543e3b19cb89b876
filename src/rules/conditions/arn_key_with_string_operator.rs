use crate::catalog::ConditionType;
use crate::engine::{split_arn, BaseOperator, Operator, ValueType};
use crate::policy::ConditionValue;
use crate::rules::prelude::*;

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
`iam:AssociatedResourceArn`. Not reported when every value is a complete ARN without
wildcards or variables under `StringEquals` or `StringLike`: both then compare for exact,
case-sensitive equality, as `ArnEquals` does (the form of AWS's own CloudFront bucket
policies).

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
value.
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
        if info.condition_type() != ConditionType::Arn
            || same_as_arn_operator(op, &test.entry.values)
        {
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
            Some(arn) => diagnostic.help(format!(
                "use `{}`: it matches the ARN part by part, so a wildcard cannot run across the account or region",
                arn.name()
            )),
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

/// `StringEquals` and `StringLike` on complete ARNs without wildcards or variables compare
/// for exact, case-sensitive equality, as the ARN operators do: nothing to advise.
fn same_as_arn_operator(op: &Operator, values: &[ConditionValue]) -> bool {
    matches!(
        op.base,
        BaseOperator::StringEquals | BaseOperator::StringLike
    ) && !values.is_empty()
        && values.iter().all(|v| {
            !v.text.contains(['*', '?', '$'])
                && split_arn(v.text).is_some_and(|p| p[0] == "arn" && !p[1].is_empty())
        })
}
